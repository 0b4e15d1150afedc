"""Hostile input for every importer: each file either imports or is reported as a
problem with a message; the database stays consistent and nothing hangs.

The hypothesis cases share one SQLite project per test function (a file per example
would dominate the run time); each example checks the database afterwards.
"""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
import time
import warnings
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.app.project import Project
from annotator.core import AnnotatorError
from annotator.formats.registry import READERS

FORMATS = sorted(READERS)  # txt, jsonl, doccano, iob, and any reader registered later
SUFFIX = {"txt": ".txt", "jsonl": ".jsonl", "doccano": ".jsonl", "iob": ".iob"}
BOUND_S = 20.0  # no single file may take longer than this

FUZZ = settings(
    max_examples=25,
    deadline=None,  # bounded by BOUND_S below; the first example pays for spaCy's load
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,  # the same examples on every run: CI failures reproduce
)


def _import(project: Project, path: Path, fmt: str) -> None:
    start = time.monotonic()
    try:
        report = project.import_paths([path], fmt=fmt)
    except AnnotatorError as exc:  # a clear, coded error is an acceptable outcome
        assert str(exc).startswith("[E"), exc
    else:
        for problem in report.problems:
            assert problem.message.strip(), problem
    assert time.monotonic() - start < BOUND_S


def _consistent(project: Project) -> None:
    url = project.url
    assert url.startswith("sqlite:///")
    con = sqlite3.connect(url.removeprefix("sqlite:///"))
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        # every annotation's span count matches, every span lies inside its text
        # each text's length once (MATERIALIZED): length() of a long text per span row
        # would make this check quadratic for a document with a million spans
        bad = con.execute(
            "with lens as materialized (select id, length(text) as n from documents) "
            "select count(*) from spans s join annotations a on a.id = s.annotation_id "
            'join lens d on d.id = a.document_id where s.start < 0 or s."end" <= s.start '
            'or s."end" > d.n'
        ).fetchone()[0]
        assert bad == 0
    finally:
        con.close()


@pytest.fixture
def fuzz_project(tmp_path: Path):  # type: ignore[no-untyped-def]
    with Project.open(tmp_path / "fuzz.db") as project:
        yield project


text_chars = st.characters(codec="utf-8") | st.sampled_from(
    ["\x00", "\ud800", "\n", "“", "𝔘", "\u2028"]
)
hostile_text = st.text(text_chars, max_size=300)


@pytest.mark.parametrize("fmt", FORMATS)
@FUZZ
@given(data=st.binary(max_size=2000))
def test_fuzz_random_bytes(fuzz_project: Project, tmp_path: Path, fmt: str, data: bytes) -> None:
    path = tmp_path / f"in{SUFFIX.get(fmt, '.dat')}"
    path.write_bytes(data)
    _import(fuzz_project, path, fmt)
    _consistent(fuzz_project)


span_obj = st.fixed_dictionaries(
    {
        "start": st.integers(-5, 400) | st.just(2**70) | st.text(max_size=3),
        "end": st.integers(-5, 400) | st.none(),
        "label": st.sampled_from(["ORG", "PERSON", "QUOTE", "SPEAKER", "CUE", ""])
        | st.text(max_size=150),
    },
    optional={
        "layer": st.sampled_from(["ents", "quotes", "x"]),
        "kind": st.sampled_from(["direct", "indirect", "nope"]),
        "token_start": st.integers(-2, 50),
        "token_end": st.integers(-2, 50),
    },
)
jsonl_record = st.fixed_dictionaries(
    {"text": hostile_text | st.integers() | st.none()},
    optional={
        "spans": st.lists(span_obj, max_size=8) | st.text(max_size=5),
        "relations": st.lists(
            st.fixed_dictionaries(
                {"label": st.sampled_from(["speaker", "cue", "SPEAKER", "x"])},
                optional={"head": st.integers(-1, 30), "child": st.integers(-1, 30)},
            ),
            max_size=3,
        ),
        "meta": st.dictionaries(st.text(max_size=5), st.text(max_size=600)) | st.text(max_size=3),
        "answer": st.sampled_from(["accept", "reject", "ignore", "maybe"]),
        "_annotator_id": st.text(text_chars, max_size=250),
        "label": st.lists(
            st.tuples(st.integers(-3, 300), st.integers(-3, 300), st.text(max_size=8))
        ),
    },
)


@pytest.mark.parametrize("fmt", ["jsonl", "doccano"])
@FUZZ
@given(records=st.lists(jsonl_record, max_size=6))
def test_fuzz_structured_jsonl(
    fuzz_project: Project, tmp_path: Path, fmt: str, records: list[dict]
) -> None:
    path = tmp_path / "in.jsonl"
    with path.open("w", encoding="utf-8", errors="surrogatepass") as f:
        for rec in records:
            f.write(json.dumps(rec) + "\n")  # ensure_ascii: surrogates as \\ud800
    _import(fuzz_project, path, fmt)
    _consistent(fuzz_project)


@pytest.mark.parametrize("fmt", ["txt", "iob"])
@FUZZ
@given(body=hostile_text)
def test_fuzz_text_formats(fuzz_project: Project, tmp_path: Path, fmt: str, body: str) -> None:
    path = tmp_path / f"in{SUFFIX[fmt]}"
    path.write_bytes(body.encode("utf-8", errors="surrogatepass"))
    _import(fuzz_project, path, fmt)
    _consistent(fuzz_project)


member_name = st.text(
    st.characters(codec="utf-8", exclude_characters="\x00") | st.sampled_from(["/", "."]),
    min_size=1,
    max_size=40,
).map(lambda n: n + ".jsonl") | st.sampled_from(
    ["all.jsonl", "alice.jsonl", "__MACOSX/x.jsonl", ".hidden.jsonl", "notes.txt", "d/"]
)
member_body = st.binary(max_size=500) | st.lists(jsonl_record, max_size=4).map(
    lambda recs: "".join(json.dumps(r) + "\n" for r in recs).encode("utf-8", "surrogatepass")
)


@FUZZ
@given(
    members=st.lists(st.tuples(member_name, member_body), max_size=5),
    method=st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2]),
    damage=st.none() | st.tuples(st.integers(0, 10_000), st.integers(1, 255)),
)
def test_fuzz_doccano_zip_members(
    fuzz_project: Project,
    tmp_path: Path,
    members: list[tuple[str, bytes]],
    method: int,
    damage: tuple[int, int] | None,
) -> None:
    """Any member names and bodies, any compression, and a flipped byte anywhere (a
    damaged header, checksum or stream): the zip imports or is reported, never raises."""
    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w", compression=method) as z:
        warnings.simplefilter("ignore")  # duplicate names are part of the hostility
        for name, body in members:
            z.writestr(name, body)
    data = bytearray(buffer.getvalue())
    if damage is not None and data:
        at, mask = damage
        data[at % len(data)] ^= mask
    path = tmp_path / "in.zip"
    path.write_bytes(bytes(data))
    _import(fuzz_project, path, "doccano")
    _consistent(fuzz_project)


file_name = st.binary(min_size=1, max_size=60).filter(
    lambda b: b"/" not in b and b"\x00" not in b and b not in (b".", b"..")
)


@pytest.mark.skipif(sys.platform != "linux", reason="file names are bytes on Linux")
@FUZZ
@given(names=st.lists(file_name, min_size=1, max_size=4, unique=True))
def test_fuzz_file_names(fuzz_project: Project, tmp_path: Path, names: list[bytes]) -> None:
    """Any bytes as file names (Linux allows all but / and NUL) in a folder: each file
    imports or is reported, and whatever is stored about it is valid UTF-8 text."""
    folder = tmp_path / f"in{len(list(tmp_path.iterdir()))}"
    folder.mkdir()
    for i, name in enumerate(names):
        for suffix in (b".txt", b".jsonl"):
            path = os.path.join(os.fsencode(folder), name[:200] + suffix)
            with open(path, "wb") as f:
                body = f"Article {i} named {name!r}."
                f.write(body.encode() if suffix == b".txt" else json.dumps({"text": body}).encode())
    _import(fuzz_project, folder, "auto")
    _consistent(fuzz_project)
    con = sqlite3.connect(fuzz_project.url.removeprefix("sqlite:///"))
    try:
        for external_id, meta in con.execute("select external_id, meta from documents"):
            external_id.encode("utf-8")  # a surrogate escape would raise here
            meta.encode("utf-8")
    finally:
        con.close()


def test_fuzz_deep_json_and_huge_line(fuzz_project: Project, tmp_path: Path) -> None:
    path = tmp_path / "deep.jsonl"
    deep = "[" * 100_000 + "]" * 100_000
    huge = json.dumps({"text": "x " * 3_000_000})  # one 6 MB line
    ok = json.dumps({"text": "Putin spoke in Moscow."})
    path.write_text("\n".join([ok, deep, '{"text": ' * 50_000, huge]) + "\n")
    report = fuzz_project.import_paths([path])
    assert report.imported == 2
    assert len(report.problems) == 2 and all(p.message for p in report.problems)
    _consistent(fuzz_project)


def test_fuzz_deep_json_on_the_first_line_with_auto_format(
    fuzz_project: Project, tmp_path: Path
) -> None:
    path = tmp_path / "deep_first.jsonl"
    path.write_text("[" * 100_000 + "]" * 100_000 + "\n" + '{"text": "Fine."}\n')
    _import(fuzz_project, path, "auto")


def test_fuzz_nul_in_text_is_stored_or_reported(fuzz_project: Project, tmp_path: Path) -> None:
    path = tmp_path / "nul.jsonl"
    path.write_text('{"text": "NUL \\u0000 inside"}\n{"text": "fine text"}\n')
    _import(fuzz_project, path, "jsonl")
    _consistent(fuzz_project)
    assert fuzz_project.count_documents() >= 1


@pytest.mark.parametrize("fmt", ["jsonl", "doccano"])
def test_fuzz_lone_surrogate_in_text_is_a_problem_not_a_crash(
    fuzz_project: Project, tmp_path: Path, fmt: str
) -> None:
    path = tmp_path / "odd.jsonl"
    path.write_text('{"text": "lone \\ud800 surrogate"}\n{"text": "fine text"}\n')
    _import(fuzz_project, path, fmt)
    _consistent(fuzz_project)


def _import_in_child(db: Path, path: Path, bound_s: float) -> subprocess.CompletedProcess[str]:
    """``annotator import`` in a child process, killed at the bound: a hang fails the
    test at ``bound_s`` instead of stalling the run."""
    code = "import sys; from annotator.cli import main; sys.exit(main(sys.argv[1:]))"
    try:
        return subprocess.run(
            [sys.executable, "-c", code, "--db", str(db), "import", str(path)],
            capture_output=True,
            text=True,
            timeout=bound_s,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"importing {path.name} took longer than {bound_s:.0f} s")


@pytest.mark.slow
def test_fuzz_fifty_megabyte_article(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    sentence = "Officials met reporters in Moscow today and said little. "
    path.write_text(sentence * (50 * 1024 * 1024 // len(sentence) - 1))
    result = _import_in_child(tmp_path / "p.db", path, 300)
    assert result.returncode in (0, 1), result.stderr
    assert "imported 1 documents" in result.stdout or "skipped" in result.stderr
    with Project.open(tmp_path / "p.db") as project:
        _consistent(project)


@pytest.mark.slow
def test_fuzz_a_million_spans(tmp_path: Path) -> None:
    n = 1_000_000
    text = "ab " * n
    spans = [{"start": 3 * i, "end": 3 * i + 2, "label": "ORG"} for i in range(n)]
    path = tmp_path / "spans.jsonl"
    path.write_text(json.dumps({"text": text, "spans": spans}) + "\n")
    result = _import_in_child(tmp_path / "p.db", path, 300)
    assert result.returncode in (0, 1), result.stderr
    with Project.open(tmp_path / "p.db") as project:
        _consistent(project)
