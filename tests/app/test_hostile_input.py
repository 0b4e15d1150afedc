"""Hostile input to import, export and ``db copy`` (issue 11, items 3, 4, 5 and 8).

Each test builds the hostile file for real (a zip bomb, a non-UTF-8 file name made
from bytes, a full tmpfs, a killed export) and checks what a person sees: the bad
part reported with its file and line, everything else imported or written, no
traceback, nothing left behind.
"""

from __future__ import annotations

import codecs
import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import tracemalloc
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from annotator.app.export import ExportError, export_project
from annotator.app.maintenance import copy_project
from annotator.app.project import Project
from annotator.core import (
    MAX_EXTERNAL_ID_LENGTH,
    MAX_LABEL_LENGTH,
    MAX_NAME_LENGTH,
    Annotation,
    AnnotationStatus,
    Document,
    Span,
    ValidationError,
    label_problem,
)
from annotator.formats import doccano
from annotator.formats.docbin import annotation_from_doc, build_doc
from annotator.formats.iob import read_iob
from annotator.formats.records import ImportRecord, Problem
from annotator.formats.textio import iter_lines
from annotator.nlp.tokenize import tokenize
from annotator.storage.models import AnnotatorRow, DocumentRow, RejectionRow, SpanRow
from annotator.storage.testing import backends, database_url, pg_base_url

CHILD = "import sys; from annotator.cli import main; sys.exit(main(sys.argv[1:]))"


def _jsonl(path: Path, rows: list[object]) -> Path:
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n")
    return path


def _cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", CHILD, *args], capture_output=True, text=True, timeout=timeout
    )


@pytest.fixture(params=backends())
def any_project(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Project]:
    """A fresh project on SQLite, and on PostgreSQL when ANNOTATOR_TEST_PG_URL is set:
    the same input must give the same report on both."""
    if request.param == "postgresql":
        request.applymarker(pytest.mark.pg)
    with database_url(request.param, tmp_path) as url, Project.open(url) as project:
        yield project


# 3. zip bombs and long lines -------------------------------------------------------------


def _bomb_zip(path: Path, bomb_bytes: int) -> Path:
    """doccano's zip of one JSONL file per user: alice's is fine, mallory's is one line
    of ``bomb_bytes`` spaces (deflate packs it about a thousand times)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("alice.jsonl", json.dumps({"text": "Putin spoke in Moscow.", "label": []}))
        with z.open("mallory.jsonl", "w", force_zip64=True) as member:
            member.write(b'{"text": "')
            chunk = b" " * (1 << 20)
            for _ in range(bomb_bytes // len(chunk)):
                member.write(chunk)
            member.write(b'x"}\n')
    return path


def test_zip_bomb_member_is_named_and_the_good_member_imported(
    project: Project, tmp_path: Path
) -> None:
    path = _bomb_zip(tmp_path / "export.zip", 200 * 1024 * 1024)
    assert path.stat().st_size < 2 * 1024 * 1024
    project.import_paths(
        [_jsonl(tmp_path / "warm.jsonl", [{"text": "Warm up spaCy.", "spans": []}])]
    )
    tracemalloc.start()
    try:
        start = time.monotonic()
        report = project.import_paths([path])
        elapsed = time.monotonic() - start
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert report.imported == 1
    (problem,) = report.problems
    assert problem.source == f"{path}!mallory.jsonl"
    assert "taken for a zip bomb" in problem.message
    # The member is judged by its header, never unpacked: no 200 MB line in memory.
    assert peak < 32 * 1024 * 1024, peak
    assert elapsed < 10, elapsed
    alice = project.annotator("alice")
    assert alice is not None and project.count_documents() == 2


@pytest.mark.slow
def test_the_reported_zip_bomb_a_3_gib_line_in_a_3_mb_zip(tmp_path: Path) -> None:
    """The attack as reported: 6.4 GB RSS and 45 s before, then a MemoryError under a
    limit, and the good member lost. Now: the CLI names the member, imports the good
    one, in flat memory and seconds."""
    import resource

    path = _bomb_zip(tmp_path / "export.zip", 3 * 1024**3)
    assert path.stat().st_size < 4 * 1024 * 1024
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.monotonic()
    result = _cli("--db", str(tmp_path / "p.db"), "import", str(path))
    elapsed = time.monotonic() - start
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "MemoryError" not in result.stderr
    assert "export.zip!mallory.jsonl" in result.stderr
    assert "imported 1 documents" in result.stdout
    assert elapsed < 60, elapsed
    if peak_kib > before:  # the largest child so far is this one
        assert peak_kib < 1024 * 1024, peak_kib  # KiB on Linux: under 1 GiB


def test_zip_member_over_the_size_limit_is_skipped(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A small limit stands for the real one (2 GiB), which no test should unpack.
    monkeypatch.setattr(doccano, "MAX_MEMBER_BYTES", 1000)
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as z:
        z.writestr("a.jsonl", json.dumps({"text": "Small and fine.", "label": []}))
        z.writestr("b.jsonl", json.dumps({"text": "Big " * 400, "label": []}))
    report = project.import_paths([path])
    assert report.imported == 1
    assert [(p.source, "the limit for one file is 1000" in p.message) for p in report.problems] == [
        (f"{path}!b.jsonl", True)
    ]


def test_zip_member_with_a_bad_checksum_is_reported_not_a_traceback(
    project: Project, tmp_path: Path
) -> None:
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("a.jsonl", json.dumps({"text": "First member, fine.", "label": []}))
        z.writestr("b.jsonl", json.dumps({"text": "Second member, damaged.", "label": []}))
        z.writestr("c.jsonl", json.dumps({"text": "Third member, fine.", "label": []}))
    data = bytearray(path.read_bytes())
    # b.jsonl's CRC-32 in the central directory (offset 16 of its entry, the second)
    entry = data.index(b"PK\x01\x02", data.index(b"PK\x01\x02") + 1)
    data[entry + 16] ^= 0xFF
    path.write_bytes(bytes(data))
    report = project.import_paths([path])
    assert any(
        p.source == f"{path}!b.jsonl" and "damaged zip member" in p.message for p in report.problems
    ), report.problems
    texts = {project.get_document(r.id).text for r in project.list_documents("x")}
    assert {"First member, fine.", "Third member, fine."} <= texts


def test_a_long_line_is_skipped_in_bounded_memory_and_the_next_one_read(
    tmp_path: Path,
) -> None:
    path = tmp_path / "long.jsonl"
    with path.open("wb") as f:
        f.write(b'{"text": "' + b"y" * (40 * 1024 * 1024) + b'"}\n')
        f.write(b'{"text": "after"}\n')
    tracemalloc.start()
    try:
        with path.open("rb") as stream:
            items = list(iter_lines(stream, "long.jsonl", max_line=1024 * 1024))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert isinstance(items[0], Problem) and items[0].line == 1
    assert "longer than 1048576 bytes" in items[0].message
    assert items[1] == (2, b'{"text": "after"}\n')
    assert peak < 8 * 1024 * 1024, peak


# 4. one validation on every backend --------------------------------------------------------


def test_label_rules_match_the_storage_columns() -> None:
    assert SpanRow.__table__.c.label.type.length == MAX_LABEL_LENGTH
    assert RejectionRow.__table__.c.label.type.length == MAX_LABEL_LENGTH
    assert DocumentRow.__table__.c.external_id.type.length == MAX_EXTERNAL_ID_LENGTH
    assert AnnotatorRow.__table__.c.name.type.length == MAX_NAME_LENGTH
    assert label_problem("WORK_OF_ART") is None
    assert label_problem("L" * MAX_LABEL_LENGTH) is None
    for bad in ("L" * (MAX_LABEL_LENGTH + 1), "A\x00B", "MY LABEL", "TAB\tBED", " ", "", "A\u2028"):
        assert label_problem(bad), bad


def test_import_refuses_what_postgresql_refuses_on_every_backend(
    any_project: Project, tmp_path: Path
) -> None:
    path = _jsonl(
        tmp_path / "mixed.jsonl",
        [
            {
                "text": "Putin spoke in Moscow.",
                "spans": [{"start": 0, "end": 5, "label": "PERSON"}],
            },
            {"text": "A long label.", "spans": [{"start": 0, "end": 1, "label": "X" * 200}]},
            {"text": "A NUL label.", "spans": [{"start": 0, "end": 1, "label": "A\u0000B"}]},
            {"text": "A spaced label.", "spans": [{"start": 0, "end": 1, "label": "MY LABEL"}]},
            {"text": "NUL \u0000 in the text."},
            {"text": "A long id.", "meta": {"id": "i" * 600}},
            {"text": "A long name.", "_annotator_id": "n" * 250, "spans": []},
            '{"text": "NaN in meta.", "meta": {"score": NaN}}',
            {"text": "Merkel met Macron in Berlin."},
        ],
    )
    report = any_project.import_paths([path])
    assert report.imported == 2, report.problems
    lines = {p.line: p.message for p in report.problems}
    assert set(lines) == {2, 3, 4, 5, 6, 7, 8}
    assert all(p.source == str(path) for p in report.problems)
    assert "200 characters long; the limit is 100" in lines[2]
    assert "U+0000" in lines[3]
    assert "whitespace" in lines[4]
    assert "NUL" in lines[5]
    assert "the limit is 500" in lines[6]
    assert "the limit is 200" in lines[7]
    assert "NaN is not a JSON value" in lines[8]


def _refuse_texts_containing(project: Project, word: str) -> None:
    """A trigger that makes the server refuse one record the checks let through (as a
    server with its own rules would), on SQLite or PostgreSQL."""
    engine = create_engine(project.url)
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.execute(
                text(
                    "CREATE TRIGGER refuse BEFORE INSERT ON documents "
                    f"WHEN NEW.text LIKE '%{word}%' "
                    "BEGIN SELECT RAISE(ABORT, 'refused by the server'); END"
                )
            )
        else:
            conn.execute(
                text(
                    "CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN "
                    f"IF NEW.text LIKE '%{word}%' THEN RAISE EXCEPTION 'refused by the server' "
                    "USING ERRCODE = '22001'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql"
                )
            )
            conn.execute(
                text(
                    "CREATE TRIGGER refuse BEFORE INSERT ON documents "
                    "FOR EACH ROW EXECUTE FUNCTION refuse()"
                )
            )
    engine.dispose()


def test_a_record_the_server_refuses_is_skipped_with_its_file_and_line(
    any_project: Project, tmp_path: Path
) -> None:
    _refuse_texts_containing(any_project, "FORBIDDEN")
    rows: list[object] = [
        {"text": f"Article {i} about Moscow.", "spans": [{"start": 0, "end": 7, "label": "ORG"}]}
        for i in range(5)
    ]
    rows.insert(2, {"text": "A FORBIDDEN article.", "spans": []})
    path = _jsonl(tmp_path / "batch.jsonl", rows)
    report = any_project.import_paths([path])
    assert report.imported == 5 and report.annotations == 5
    (problem,) = report.problems
    assert (problem.source, problem.line) == (str(path), 3)
    assert "the database refused this record" in problem.message
    assert "refused by the server" in problem.message


def test_db_copy_skips_rows_the_rules_refuse_and_copies_the_rest(tmp_path: Path) -> None:
    """SQLite accepted these before the rules existed (or from another program); a copy
    lists them and copies everything else, to SQLite and to PostgreSQL alike."""
    source = tmp_path / "old.db"
    with Project.open(source) as project:
        (good, _nul), _ = project._repo.insert_documents(
            [Document("Putin spoke in Moscow.", external_id="good"), Document("a\x00b", "nul")]
        )
        who = project._repo.ensure_annotator("alice")
        spans = [Span(0, 5, "PERSON"), Span(15, 21, "X" * 200), Span(6, 11, "MY LABEL")]
        project._repo.put_annotation(
            Annotation(good, "alice", spans=spans, status=AnnotationStatus.DONE), who
        )
    for backend in backends():
        with database_url(backend, tmp_path, name=f"copy-{backend}") as target:
            report = copy_project(source, target)
            assert report.documents == 1 and report.annotations == 1
            assert report.spans == 1
            skipped = "\n".join(report.skipped)
            assert "document nul: the text contains a NUL" in skipped
            assert "span 15-21 of document good: label 'XXXX" in skipped
            assert "span 6-11 of document good: label 'MY LABEL' contains whitespace" in skipped
            with Project.open(target) as copy:
                (row,) = copy.list_documents("alice")
                alice = copy.annotator("alice")
                assert alice is not None
                ann = copy._repo.load_annotation(row.id, alice)
                assert ann is not None and [s.label for s in ann.spans] == ["PERSON"]


@pytest.mark.skipif(not pg_base_url(), reason="needs ANNOTATOR_TEST_PG_URL")
@pytest.mark.pg
def test_db_copy_to_postgresql_skips_a_document_the_server_refuses(tmp_path: Path) -> None:
    source = tmp_path / "old.db"
    with Project.open(source) as project:
        project._repo.insert_documents(
            [Document(f"Document number {i}.", external_id=f"d{i}") for i in range(4)]
            + [Document("A FORBIDDEN one.", external_id="bad")]
        )
    with database_url("postgresql", tmp_path) as target:
        with Project.open(target) as dst:
            _refuse_texts_containing(dst, "FORBIDDEN")
        report = copy_project(source, target)
        assert report.documents == 4
        (line,) = report.skipped
        assert line.startswith("document bad: the target refused it (refused by the server)")


def test_cli_db_copy_lists_skipped_rows_and_exits_1(tmp_path: Path) -> None:
    source = tmp_path / "old.db"
    with Project.open(source) as project:
        project._repo.insert_documents([Document("fine text"), Document("a\x00b", "nul")])
    result = _cli("db", "copy", "--from", str(source), "--to", str(tmp_path / "new.db"))
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "skipped document nul: the text contains a NUL" in result.stderr
    assert "copied 1 documents" in result.stdout


def test_iob_export_refuses_a_label_its_importer_would_split(
    project: Project, tmp_path: Path
) -> None:
    (doc_id,), _ = project._repo.insert_documents([Document("Maria Lopez spoke in Lima.")])
    who = project._repo.ensure_annotator("alice")
    stored = [Span(0, 11, "MY LABEL"), Span(21, 25, "GPE")]  # stored before the rules
    project._repo.put_annotation(
        Annotation(doc_id, "alice", spans=stored, status=AnnotationStatus.DONE), who
    )
    out = tmp_path / "out.iob"
    report = export_project(project, out, fmt="iob", annotator="alice")
    assert not report.ok and report.failed_documents == 1
    assert "whitespace" in report.problems[0].message
    assert not out.exists() and not (tmp_path / "out.iob.part").exists()


def test_iob_export_reads_back_with_the_same_entities(project: Project, tmp_path: Path) -> None:
    text_ = "Maria Lopez met Ana in Lima.\nThe UN-WHO office said nothing."
    (doc_id,), _ = project._repo.insert_documents([Document(text_)])
    who = project._repo.ensure_annotator("alice")
    spans = [Span(0, 11, "PERSON"), Span(16, 19, "B-PER"), Span(23, 27, "GPE")]
    project._repo.put_annotation(
        Annotation(doc_id, "alice", spans=spans, status=AnnotationStatus.DONE), who
    )
    out = tmp_path / "out.iob"
    assert export_project(project, out, fmt="iob", annotator="alice").ok
    (rec,) = [r for r in read_iob(out) if isinstance(r, ImportRecord)]
    assert [(rec.text[s.start : s.end], s.label) for s in rec.spans or []] == [
        ("Maria Lopez", "PERSON"),
        ("Ana", "B-PER"),
        ("Lima", "GPE"),
    ]


def test_docbin_labels_are_checked_like_every_importer() -> None:
    text_ = "Maria Lopez spoke."
    document = Document(text_, tokens=tokenize(text_))
    ann = Annotation(None, "a", spans=[Span(0, 11, "TOO " * 30)], status=AnnotationStatus.DONE)
    doc = build_doc(document, ann)
    with pytest.raises(ValidationError, match=r"whitespace|characters long"):
        annotation_from_doc(doc)


# 5. file names that are not UTF-8 ------------------------------------------------------------


def _bad_name_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text("A good article about Moscow.")
    bad = os.path.join(os.fsencode(folder), b"bad\xff.txt")  # Linux names are bytes
    with open(bad, "wb") as f:
        f.write(b"An article whose file name is not UTF-8.")
    bad_jsonl = os.path.join(os.fsencode(folder), b"caf\xe9.jsonl")
    with open(bad_jsonl, "wb") as f:
        f.write(b'{"text": "A record in a Latin-1 named file."}\n')
    return folder


@pytest.mark.skipif(sys.platform != "linux", reason="file names are bytes on Linux")
def test_non_utf8_file_names_are_reported_and_everything_imported(
    project: Project, tmp_path: Path
) -> None:
    report = project.import_paths([_bad_name_folder(tmp_path)])
    assert report.problems == []
    assert report.imported == 3
    shown = {Path(w.source).name for w in report.warnings}
    assert shown == {"bad\\xff.txt", "caf\\xe9.jsonl"}
    ids = sorted(r.external_id for r in project.list_documents("a"))
    assert ids == ["bad\\xff.txt", "caf\\xe9.jsonl:1", "good.txt"]
    con = sqlite3.connect(project.url.removeprefix("sqlite:///"))
    try:
        stored = con.execute("select external_id, meta from documents").fetchall()
    finally:
        con.close()
    for external_id, meta in stored:  # valid UTF-8 text, as every backend needs
        external_id.encode("utf-8")
        meta.encode("utf-8")


@pytest.mark.skipif(sys.platform != "linux", reason="file names are bytes on Linux")
def test_cli_import_of_a_non_utf8_file_name_prints_it_without_a_traceback(
    tmp_path: Path,
) -> None:
    folder = _bad_name_folder(tmp_path)
    result = _cli("--db", str(tmp_path / "p.db"), "import", str(folder))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "bad\\xff.txt" in result.stderr and "not valid UTF-8" in result.stderr
    assert "imported 3 documents" in result.stdout


# 8. export files, encodings, IOB lines, layers, resumed imports ------------------------------


def _done_project(project: Project, n: int, *, size: int = 200) -> None:
    docs = [Document(f"Article {i}. " + "Putin spoke in Moscow. " * (size // 23)) for i in range(n)]
    ids, _ = project._repo.insert_documents(docs)
    who = project._repo.ensure_annotator("alice")
    for doc_id in ids:
        project._repo.put_annotation(
            Annotation(doc_id, "alice", spans=[], status=AnnotationStatus.DONE), who
        )


@contextlib.contextmanager
def _small_disk(folder: Path, size: str = "1m") -> Iterator[Path]:
    folder.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs: {done.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


@pytest.mark.parametrize("fmt", ["doccano", "jsonl", "iob", "spacy"])
def test_export_on_a_full_disk_names_the_file_and_leaves_nothing(
    project: Project, tmp_path: Path, fmt: str
) -> None:
    # About 2.4 MB of text for a 1 MB disk; a DocBin is zlib-compressed (this repetitive
    # text to a sixth), so the spaCy export needs more documents to fill the disk.
    _done_project(project, 240 if fmt == "spacy" else 60, size=40_000)
    with _small_disk(tmp_path / "small") as disk:
        out = disk / "out.data"
        with pytest.raises(ExportError) as caught:
            export_project(project, out, fmt=fmt, annotator="alice")
        message = str(caught.value)
        assert str(out) in message and "No space left on device" in message
        assert list(disk.iterdir()) == []  # no .part: the disk is free again
        free = os.statvfs(disk)
        assert free.f_bfree * free.f_frsize > 900 * 1024


def _stale_part(out: Path) -> Path:
    part = out.with_name(out.name + ".part")
    part.write_bytes(b"half of an export killed with -9")
    return part


@pytest.mark.parametrize("fmt", ["doccano", "jsonl", "iob", "spacy"])
def test_a_stale_part_file_is_removed_by_the_next_export_even_a_cancelled_one(
    project: Project, tmp_path: Path, fmt: str
) -> None:
    _done_project(project, 30)
    out = tmp_path / "out.data"
    part = _stale_part(out)
    report = export_project(project, out, fmt=fmt, annotator="alice", cancel=lambda: True)
    assert report.cancelled and not part.exists() and not out.exists()
    part = _stale_part(out)
    assert export_project(project, out, fmt=fmt, annotator="alice").ok
    assert not part.exists() and out.exists()


@pytest.mark.slow
def test_kill_9_during_an_export_leaves_a_part_the_next_export_removes(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    with Project.open(db) as project:
        _done_project(project, 3000, size=3000)
    out = tmp_path / "out.jsonl"
    part = tmp_path / "out.jsonl.part"
    args = ["--db", str(db), "export", "--format", "doccano", "--annotator", "alice"]
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, *args, "--out", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while not (part.exists() and part.stat().st_size > 0) and time.monotonic() < deadline:
            time.sleep(0.005)
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait()
    if out.exists():
        pytest.skip("the export finished before it could be killed")
    assert part.exists()
    result = _cli(*args, "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert not part.exists()
    assert len(out.read_text().splitlines()) == 3000


@pytest.mark.parametrize(
    "codec,bom", [("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE)]
)
def test_utf16_with_a_bom_is_text_in_every_format(
    project: Project, tmp_path: Path, codec: str, bom: bytes
) -> None:
    body = "Putin spoke in Moscow. “Quotes”, é and 𝔘 survive."
    (tmp_path / "a.txt").write_bytes(bom + body.encode(codec))
    (tmp_path / "b.jsonl").write_bytes(
        bom + (json.dumps({"text": body + " J"}) + "\n").encode(codec)
    )
    (tmp_path / "c.iob").write_bytes(bom + "Putin B-PER\nspoke O\n".encode(codec))
    report = project.import_paths([tmp_path])
    assert report.problems == [] and report.imported == 3
    texts = {project.get_document(r.id).text for r in project.list_documents("a")}
    assert texts == {body, body + " J", "Putin spoke"}


def test_utf8_with_and_without_bom_and_utf16_without_bom(project: Project, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(codecs.BOM_UTF8 + b"With a BOM.")
    (tmp_path / "b.txt").write_bytes(b"Without a BOM.")
    (tmp_path / "c.txt").write_bytes("No BOM, so binary.".encode("utf-16-le"))
    report = project.import_paths([tmp_path])
    assert report.imported == 2
    assert [(Path(p.source).name, p.message) for p in report.problems] == [
        ("c.txt", "binary file, not text")
    ]


def test_one_malformed_iob_line_is_skipped_and_the_rest_of_the_document_kept(
    project: Project, tmp_path: Path
) -> None:
    path = tmp_path / "a.iob"
    path.write_bytes(
        b"-DOCSTART- -X- O O\n\nMaria B-PER\nLopez I-PER\nspoke O\nin O\nLima B-GPE\n\n"
        b"broken\nThe O\n\xff\xfe O\nUN B-ORG\nmet X-BAD\nhere O\n"
        b"-DOCSTART- -X- O O\n\nSecond B-GPE\ndocument O\n"
    )
    report = project.import_paths([path])
    assert report.imported == 2 and report.annotations == 2
    assert [(p.line, p.message.split(";")[0][:24]) for p in report.problems] == [
        (9, "a line needs a word and "),
        (11, "not valid UTF-8 (byte 0 "),
        (13, "unknown tag 'X-BAD' (tag"),
    ]
    first = project.get_document(project.list_documents("a")[0].id)
    assert first.text == "Maria Lopez spoke in Lima\nThe UN here"
    ann = project._repo.load_annotation(first.id or 0, project.annotator("imported"))  # type: ignore[arg-type]
    assert ann is not None
    assert [(first.text[s.start : s.end], s.label) for s in ann.spans] == [
        ("Maria Lopez", "PER"),
        ("Lima", "GPE"),
        ("UN", "ORG"),
    ]


def test_inside_tag_without_a_beginning_is_a_warning_with_its_line(
    project: Project, tmp_path: Path
) -> None:
    path = tmp_path / "a.iob"
    path.write_text("The O\nNew I-LOC\nYork I-LOC\nmet O\nB B-PER\nC I-ORG\n")
    report = project.import_paths([path])
    assert report.problems == [] and report.imported == 1
    assert [(Path(w.source).name, w.line, w.message.split(":")[0]) for w in report.warnings] == [
        ("a.iob", 2, "I-LOC does not follow B-LOC or I-LOC"),
        ("a.iob", 6, "I-ORG does not follow B-ORG or I-ORG"),
    ]
    doc = project.get_document(project.list_documents("a")[0].id)
    ann = project._repo.load_annotation(doc.id or 0, project.annotator("imported"))  # type: ignore[arg-type]
    assert ann is not None
    assert [(doc.text[s.start : s.end], s.label) for s in ann.spans] == [
        ("New York", "LOC"),
        ("B", "PER"),
        ("C", "ORG"),
    ]


def test_cli_prints_import_warnings(tmp_path: Path) -> None:
    path = tmp_path / "a.iob"
    path.write_text("The O\nNew I-LOC\n")
    result = _cli("--db", str(tmp_path / "p.db"), "import", str(path))
    assert result.returncode == 0, result.stderr
    assert f"warning {path}:2: I-LOC does not follow B-LOC" in result.stderr


@pytest.mark.parametrize("layer", ["nonsense", "quote", 5])
def test_an_unknown_layer_is_refused_naming_the_layers(
    project: Project, tmp_path: Path, layer: object
) -> None:
    path = _jsonl(
        tmp_path / "a.jsonl",
        [
            {
                "text": "Putin spoke.",
                "spans": [{"start": 0, "end": 5, "label": "X", "layer": layer}],
            },
            {"text": "Fine.", "spans": [{"start": 0, "end": 4, "label": "X", "layer": "quotes"}]},
        ],
    )
    report = project.import_paths([path])
    assert report.imported == 1
    (problem,) = report.problems
    assert problem.line == 1
    assert f"unknown layer {layer!r}" in problem.message
    assert "the layers are ents (entities) and quotes" in problem.message


def test_a_resumed_import_counts_only_the_annotations_it_added(
    project: Project, tmp_path: Path
) -> None:
    rows = [
        {
            "text": f"Putin spoke in Moscow {i}.",
            "spans": [{"start": 0, "end": 5, "label": "PERSON"}],
        }
        for i in range(10)
    ]
    # The first run was killed after its first batch had committed.
    project.import_paths([_jsonl(tmp_path / "first.jsonl", rows[:4])])
    doc_id = project.list_documents("imported")[0].id
    who = project.annotator("imported")
    assert who is not None
    before = project._repo.load_annotation(doc_id, who)
    report = project.import_paths([_jsonl(tmp_path / "all.jsonl", rows)])
    assert (report.imported, report.duplicates) == (6, 4)
    assert (report.annotations, report.annotations_present, report.annotations_replaced) == (
        6,
        4,
        0,
    )
    after = project._repo.load_annotation(doc_id, who)
    assert before is not None and after is not None
    assert after.version == before.version  # not rewritten: an open window keeps it
    changed = [dict(rows[0], spans=[]), *rows[1:]]
    report = project.import_paths([_jsonl(tmp_path / "changed.jsonl", changed)])
    assert (report.annotations, report.annotations_present, report.annotations_replaced) == (
        0,
        9,
        1,
    )


def test_cli_import_says_what_a_run_again_did_not_add(tmp_path: Path) -> None:
    path = _jsonl(
        tmp_path / "a.jsonl",
        [{"text": "Putin spoke.", "spans": [{"start": 0, "end": 5, "label": "PERSON"}]}],
    )
    db = str(tmp_path / "p.db")
    assert _cli("--db", db, "import", str(path)).returncode == 0
    result = _cli("--db", db, "import", str(path))
    assert "0 annotations added (1 already stored)" in result.stdout, result.stdout
