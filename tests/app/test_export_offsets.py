"""Formats that give spans by character offsets export without tokenizing.

An import stores labelled documents without tokens (tokenizing waits for first use).
doccano, Label Studio, brat and JSONL without tokens need none: their export writes
the same files before any document is tokenized as after every document was (the
tokens made then are split at the spans' ends, so every span fits them), and it does
not import spaCy. The formats that place spans on tokens (spaCy, IOB, JSONL with
tokens) still tokenize a document whose tokens are not stored.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.app.export import export_project, needs_tokens
from annotator.app.project import Project
from annotator.formats.jsonl import read_jsonl
from annotator.formats.records import ImportRecord

TEXT = 'U.S.-Russia talks: "We will meet again," Maria Lopez said in Oslo.'


def _span(part: str, label: str, **extra: str) -> dict[str, object]:
    start = TEXT.index(part)
    return {"start": start, "end": start + len(part), "label": label, **extra}


def _write_input(path: Path) -> Path:
    quote = _span('"We will meet again,"', "QUOTE", kind="direct")
    speaker = _span("Maria Lopez", "SPEAKER")
    ref = ("start", "end", "label")
    record = {
        "text": TEXT,
        "meta": {"id": "talks"},
        # "U.S." and "Russia" end and start inside spaCy's token "U.S.-Russia"
        "spans": [
            _span("U.S.", "GPE"),
            _span("Russia", "GPE"),
            quote,
            speaker,
            _span("Maria Lopez", "PERSON"),
            _span("said", "CUE"),
            _span("Oslo", "GPE"),
        ],
        "relations": [
            {
                "label": "speaker",
                "head_span": {k: quote[k] for k in ref},
                "child_span": {k: speaker[k] for k in ref},
            }
        ],
        "answer": "accept",
        "_annotator_id": "ann",
    }
    plain = {"text": "Oslo is cold.", "spans": [{"start": 0, "end": 4, "label": "GPE"}],
             "answer": "accept", "_annotator_id": "ann"}  # fmt: skip
    path.write_text(json.dumps(record) + "\n" + json.dumps(plain) + "\n", encoding="utf-8")
    return path


OFFSET_FORMATS = [("doccano", True), ("labelstudio", True), ("brat", True), ("jsonl", False)]


def _contents(path: Path) -> dict[str, bytes]:
    if path.is_dir():
        return {str(p.relative_to(path)): p.read_bytes() for p in sorted(path.rglob("*"))
                if p.is_file()}  # fmt: skip
    return {"file": path.read_bytes()}


def _untokenized(project: Project) -> int:
    return sum(1 for i in project.document_ids() if project.get_document(
        i, tokenize_missing=False).tokens is None)  # fmt: skip


def test_which_formats_need_tokens() -> None:
    assert needs_tokens("spacy") and needs_tokens("iob") and needs_tokens("jsonl")
    assert not needs_tokens("jsonl", tokens=False)
    assert not any(needs_tokens(f) for f in ("doccano", "labelstudio", "brat"))


@pytest.mark.parametrize(("fmt", "tokens"), OFFSET_FORMATS)
def test_offset_formats_write_the_same_before_and_after_tokenizing(
    tmp_path: Path, fmt: str, tokens: bool
) -> None:
    db = tmp_path / "p.db"
    with Project.open(db) as project:
        project.import_paths([_write_input(tmp_path / "in.jsonl")])
        assert _untokenized(project) == 2
        before = tmp_path / "before"
        report = export_project(project, before, fmt=fmt, annotator="ann", tokens=tokens)
        assert report.ok and report.documents == 2 and report.spans == 8
        assert _untokenized(project) == 2  # the export tokenized nothing
        for doc_id in project.document_ids():
            assert project.get_document(doc_id).tokens is not None  # stored now, split
        assert _untokenized(project) == 0
        after = tmp_path / "after"
        export_project(project, after, fmt=fmt, annotator="ann", tokens=tokens)
    assert _contents(before) == _contents(after)


def test_jsonl_without_tokens_reads_back_exactly(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    with Project.open(db) as project:
        project.import_paths([_write_input(tmp_path / "in.jsonl")])
        out = tmp_path / "out.jsonl"
        export_project(project, out, fmt="jsonl", annotator="ann", tokens=False)
    records = [r for r in read_jsonl(out) if isinstance(r, ImportRecord)]
    first = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    assert "tokens" not in first and all("token_start" not in s for s in first["spans"])
    spans = {(s.start, s.end, s.label, s.kind) for s in records[0].spans}
    assert (TEXT.index("Russia"), TEXT.index("Russia") + 6, "GPE", None) in spans
    assert len(spans) == 7 and len(records[0].relations) == 1


_NO_SPACY = """
import sys
from pathlib import Path
from annotator.app.export import export_project
from annotator.app.project import Project
with Project.open(Path(sys.argv[1])) as project:
    for fmt, tokens in {formats}:
        out = Path(sys.argv[2]) / f"{{fmt}}-{{tokens}}"
        assert export_project(project, out, fmt=fmt, annotator="ann", tokens=tokens).ok
print(sorted(m for m in ("spacy", "thinc") if m in sys.modules))
"""


def test_offset_formats_do_not_import_spacy(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    with Project.open(db) as project:
        project.import_paths([_write_input(tmp_path / "in.jsonl")])
    code = _NO_SPACY.format(formats=OFFSET_FORMATS)
    done = subprocess.run(
        [sys.executable, "-c", code, str(db), str(tmp_path)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "[]"
