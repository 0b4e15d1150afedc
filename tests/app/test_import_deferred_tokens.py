"""A labelled import (the default ``--snap split``) keeps every span exactly and stores
no tokens, without spaCy; whichever path tokenizes the document first (opening it,
reading several, an export, a suggestion run) splits the tokens at its stored spans, so
no span ever starts or ends inside a token and no span changes."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from annotator.app.export import export_project
from annotator.app.project import Project
from annotator.app.suggest import run_suggest
from annotator.formats.docbin import read_docbin
from annotator.nlp.pipeline import load_suggester

ROOT = Path(__file__).resolve().parents[2]
TEXT = "Talks on U.S.-Russia ties resumed, Lavrov said."
US, RUSSIA, LAVROV, QUOTE, CUE = (9, 13), (14, 20), (35, 41), (0, 33), (42, 46)
SPANS = [
    {"start": US[0], "end": US[1], "label": "GPE"},
    {"start": RUSSIA[0], "end": RUSSIA[1], "label": "GPE"},
    {"start": LAVROV[0], "end": LAVROV[1], "label": "PERSON"},
    {"start": QUOTE[0], "end": QUOTE[1], "label": "QUOTE", "kind": "indirect"},
    {"start": LAVROV[0], "end": LAVROV[1], "label": "SPEAKER"},
    {"start": CUE[0], "end": CUE[1], "label": "CUE"},
]
EXPECTED = {(s["start"], s["end"], s["label"]) for s in SPANS}
TEXT_SHA = hashlib.sha256(TEXT.encode()).hexdigest()


def _ref(span: dict[str, object]) -> dict[str, object]:
    return {k: span[k] for k in ("start", "end", "label")}


def _import(tmp_path: Path) -> Path:
    """The real CLI in its own process: returns the project, and checks that no spaCy
    (nor numpy) module was imported and no tokens were stored."""
    src = tmp_path / "labelled.jsonl"
    record = {
        "text": TEXT,
        "_annotator_id": "ann",
        "answer": "accept",
        "spans": SPANS,
        "relations": [
            {"label": "speaker", "head_span": _ref(SPANS[3]), "child_span": _ref(SPANS[4])},
            {"label": "cue", "head_span": _ref(SPANS[3]), "child_span": _ref(SPANS[5])},
        ],
    }
    other = {"text": "Minsk hosted the talks.", "spans": [{"start": 0, "end": 5, "label": "GPE"}]}
    src.write_text(json.dumps(record) + "\n" + json.dumps(other) + "\n")
    db = tmp_path / "p.db"
    code = (
        "import sys\n"
        "from annotator.cli import main\n"
        "try:\n"
        f"    main(['--db', {str(db)!r}, 'import', {str(src)!r}])\n"
        "except SystemExit as exc:\n"
        "    assert not exc.code, exc.code\n"
        "heavy = ('spacy', 'thinc', 'numpy')\n"
        "print('HEAVY', sorted(m for m in sys.modules if m.split('.')[0] in heavy))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert "imported 2 documents" in done.stdout
    assert "HEAVY []" in done.stdout, done.stdout  # no spaCy, and no numpy either
    with sqlite3.connect(db) as conn:
        untokenized = "SELECT count(*) FROM documents WHERE tokens IS NULL"
        assert conn.execute(untokenized).fetchone() == (2,)
    return db


def _check_stored(db: Path, *, tokenized: bool = True) -> None:
    """Every stored span on the stored tokens' boundaries, and the spans as imported."""
    with Project.open(db) as project:
        for doc_id in project.document_ids():
            doc = project.get_document(doc_id, tokenize_missing=False)
            if not tokenized and doc.tokens is None:
                continue
            assert doc.tokens is not None
            starts = {t.start for t in doc.tokens}
            ends = {t.end for t in doc.tokens}
            ann = project.labels(doc_id, "ann") if doc.text == TEXT else None
            names = [a.name for a in project.annotators()]
            for name in names:
                found = project.labels(doc_id, name)
                for span in found.spans if found else []:
                    assert span.start in starts and span.end in ends, (name, span)
            if ann is not None:
                assert {(s.start, s.end, s.label) for s in ann.spans} == EXPECTED
                words = [TEXT[t.start : t.end] for t in doc.tokens]
                assert words[2:5] == ["U.S.", "-", "Russia"]


def _open_one(project: Project) -> None:
    for doc_id in project.document_ids():
        tokens = project.get_document(doc_id).tokens
        assert tokens == project.get_document(doc_id, tokenize_missing=False).tokens


def _open_several(project: Project) -> None:
    docs = project.documents(project.document_ids())
    for doc in docs:
        assert doc.tokens == project.get_document(doc.id or 0, tokenize_missing=False).tokens


def _suggest(project: Project) -> None:
    run_suggest(project, load_suggester("rules"))


@pytest.mark.parametrize("first_use", [_open_one, _open_several, _suggest])
def test_labelled_import_stores_no_tokens_and_first_use_splits_them(
    tmp_path: Path, first_use: Callable[[Project], None]
) -> None:
    db = _import(tmp_path)
    with Project.open(db) as project:
        first_use(project)
    _check_stored(db)


def test_export_of_an_untokenized_import_keeps_every_span(tmp_path: Path) -> None:
    db = _import(tmp_path)
    out = tmp_path / "ann.spacy"
    with Project.open(db) as project:
        report = export_project(project, out, fmt="spacy", annotator="ann", status="all")
        assert not report.problems
    ents = {doc.text: [(e.text, e.label_, e.start_char, e.end_char) for e in doc.ents]
            for doc in read_docbin(out)}  # fmt: skip
    assert ents[TEXT] == [
        ("U.S.", "GPE", *US),
        ("Russia", "GPE", *RUSSIA),
        ("Lavrov", "PERSON", *LAVROV),
    ]
    _check_stored(db, tokenized=False)  # the export stores no tokens; spans unchanged


def test_a_text_tokenized_while_an_import_labels_it_is_split_after_the_write(
    tmp_path: Path,
) -> None:
    """The window tokenizes a stored text (no spans yet, so no split) after this
    import found it stored without tokens and before its spans are written: the write
    path splits the stored tokens at the new spans once they are stored."""
    from annotator.app import importing
    from annotator.core import Document
    from annotator.formats.align import align_record
    from annotator.formats.doccano import record_from_doccano
    from annotator.nlp.tokenize import tokenize

    db = tmp_path / "p.db"
    with Project.open(db) as project:
        repo = project._repo
        plain = Document(TEXT, "plain")
        repo.import_batch([plain], [])
        assert plain.id is not None
        rec = record_from_doccano({"text": TEXT, "label": [[*US, "GPE"]]}, "g.jsonl", 1)
        aligned = align_record(rec, None, "ann")
        entry = importing._Entry(rec, Document(TEXT), aligned.annotation)
        report = importing.ImportReport()
        stored_ids = repo.document_ids_by_sha([TEXT_SHA])
        importing._fit_stored(repo, [entry], stored_ids, report)  # no tokens to split yet
        # meanwhile the window opens the article: tokenized, no span stored to split at
        whole = repo.set_tokens([(plain.id, tokenize(TEXT))])[plain.id]
        assert "U.S.-Russia" in [TEXT[t.start : t.end] for t in whole]
        importing._write(repo, [entry], report)
        assert report.split_tokens == 1
        tokens = repo.get_document(plain.id).tokens or []
        words = [TEXT[t.start : t.end] for t in tokens]
        assert words[2:4] == ["U.S.", "-Russia"]
