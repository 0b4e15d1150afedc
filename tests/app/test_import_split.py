"""Importing spans that split a tokenizer token, end to end: the real CLI, a real SQLite
project, real spaCy, and the exports read back with spaCy."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from annotator.app import importing
from annotator.app.project import Project
from annotator.cli import app
from annotator.core import Document, snap_range
from annotator.formats.align import align_record
from annotator.formats.docbin import read_docbin
from annotator.formats.doccano import record_from_doccano
from annotator.nlp.tokenize import tokenize

runner = CliRunner()

TEXT = "Talks on U.S.-Russia ties resumed, Lavrov said."
US, RUSSIA, LAVROV, COMPOUND = (9, 13), (14, 20), (35, 41), (9, 20)
OTHER = "Minsk hosted the talks."


def _lines(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def _doccano(path: Path, *records: tuple[str, list[tuple[int, int, str]]]) -> Path:
    return _lines(path, [{"text": t, "label": [list(x) for x in labels]} for t, labels in records])


def _ours(path: Path, annotator: str, spans: list[tuple[int, int, str]]) -> dict[str, object]:
    return {
        "text": TEXT,
        "_annotator_id": annotator,
        "spans": [{"start": s, "end": e, "label": label} for s, e, label in spans],
    }


def _cli(db: Path, *args: str) -> str:
    result = runner.invoke(app, ["--db", str(db), *args])
    assert result.exit_code == 0, result.output
    return result.output


def _words(doc_text: str, project: Project, doc_id: int) -> list[str]:
    return [doc_text[t.start : t.end] for t in project.get_document(doc_id).tokens or []]


def _doc_id(project: Project, text: str) -> int:
    for doc_id in project.document_ids():
        if project.get_document(doc_id).text == text:
            return doc_id
    raise AssertionError(f"{text!r} not stored")


def _export(db: Path, fmt: str, annotator: str, out: Path) -> Path:
    _cli(
        db,
        "export",
        "--format",
        fmt,
        "--annotator",
        annotator,
        "--status",
        "all",
        "--out",
        str(out),
    )
    return out


def _exported_ents(path: Path) -> dict[str, list[tuple[str, str, int, int]]]:
    return {
        doc.text: [(e.text, e.label_, e.start_char, e.end_char) for e in doc.ents]
        for doc in read_docbin(path)
    }


def test_import_keeps_spans_inside_a_token_and_exports_them_exactly(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    gold = _doccano(
        tmp_path / "gold.jsonl",
        (TEXT, [(*US, "GPE"), (*RUSSIA, "GPE"), (*LAVROV, "PERSON")]),
        (OTHER, [(0, 5, "GPE")]),
        ("Out of bounds.", [(4, 99, "ORG")]),
    )
    result = runner.invoke(app, ["--db", str(db), "import", "--annotator", "ann", str(gold)])
    assert result.exit_code == 1  # one record was bad
    assert "gold.jsonl:3" in result.output and "outside the text" in result.output
    # no tokens are stored at import (every span is kept exactly): the token is split
    # when the document is first tokenized, and the import counts no split
    assert "0 spans snapped to tokens, 0 tokens split); skipped 1" in result.output

    with Project.open(db) as project:
        assert project.count_documents() == 2  # the good records are kept
        doc_id = _doc_id(project, TEXT)
        words = _words(TEXT, project, doc_id)
        assert "U.S.-Russia" not in words and words[2:5] == ["U.S.", "-", "Russia"]
        labels = project.labels(doc_id, "ann")
        assert labels is not None
        assert sorted((s.start, s.end, s.label) for s in labels.spans) == [
            (*US, "GPE"),
            (*RUSSIA, "GPE"),
            (*LAVROV, "PERSON"),
        ]
        # what the window's editor gets: the annotation as opened, and a selection of
        # "Russia" snapping to exactly that word on the stored tokens
        opened = project.open_annotation(doc_id, "ann")
        assert {(s.start, s.end) for s in opened.spans} == {US, RUSSIA, LAVROV}
        doc = project.get_document(doc_id)
        assert snap_range(doc.tokens or [], TEXT, *RUSSIA) == RUSSIA

    ents = _exported_ents(_export(db, "spacy", "ann", tmp_path / "ann.spacy"))
    assert ents[TEXT] == [
        ("U.S.", "GPE", *US),
        ("Russia", "GPE", *RUSSIA),
        ("Lavrov", "PERSON", *LAVROV),
    ]
    assert ents[OTHER] == [("Minsk", "GPE", 0, 5)]
    iob = _export(db, "iob", "ann", tmp_path / "ann.iob").read_text().splitlines()
    i = iob.index("U.S. B-GPE")
    assert iob[i : i + 3] == ["U.S. B-GPE", "- O", "Russia B-GPE"]


def test_snap_expand_widens_and_refuses_as_before_losing_nothing(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    _cli(db, "import", str(_doccano(tmp_path / "first.jsonl", (OTHER, [(0, 5, "GPE")]))))
    second = _doccano(
        tmp_path / "second.jsonl",
        (TEXT, [(*US, "GPE"), (*RUSSIA, "GPE")]),
        (TEXT.replace("Talks", "Calls"), [(*RUSSIA, "GPE")]),
    )
    result = runner.invoke(app, ["--db", str(db), "import", "--snap", "expand", str(second)])
    assert result.exit_code == 1
    assert "second.jsonl:1" in result.output
    assert "snap to the same tokens 9-20 'U.S.-Russia'" in result.output
    assert "1 spans snapped to tokens, 0 tokens split); skipped 1" in result.output
    with Project.open(db) as project:
        assert project.count_documents() == 2  # the first import's document, and line 2
        widened = TEXT.replace("Talks", "Calls")
        doc_id = _doc_id(project, widened)
        assert project.get_document(doc_id).tokens == tokenize(widened)  # no token split
        labels = project.labels(doc_id, "imported")
        assert labels is not None
        assert [(s.start, s.end) for s in labels.spans] == [COMPOUND]
        other = project.labels(_doc_id(project, OTHER), "imported")
        assert other is not None and [(s.start, s.end) for s in other.spans] == [(0, 5)]


def test_unknown_snap_is_refused_before_anything_is_read(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    gold = _doccano(tmp_path / "g.jsonl", (TEXT, [(*US, "GPE")]))
    result = runner.invoke(app, ["--db", str(db), "import", "--snap", "shrink", str(gold)])
    assert result.exit_code != 0
    assert "--snap must be split or expand, not 'shrink'" in result.output
    assert "Traceback" not in result.output


def test_a_stored_text_gets_its_tokens_split_and_other_labels_stay_valid(
    tmp_path: Path,
) -> None:
    db = tmp_path / "p.db"
    alice = _lines(tmp_path / "alice.jsonl", [_ours(tmp_path, "alice", [(*COMPOUND, "MISC")])])
    _cli(db, "import", str(alice))
    with Project.open(db) as window:  # a project left open while another import runs
        doc_id = _doc_id(window, TEXT)
        assert "U.S.-Russia" in _words(TEXT, window, doc_id)  # and now cached

        bob = _doccano(tmp_path / "bob.jsonl", (TEXT, [(*US, "GPE"), (*RUSSIA, "GPE")]))
        out = _cli(db, "import", "--annotator", "bob", str(bob))
        assert "0 documents (1 already present, 1 annotations" in out
        assert "1 tokens split" in out

        # the open project sees the split tokens, not its cached copy
        assert _words(TEXT, window, doc_id)[2:5] == ["U.S.", "-", "Russia"]
        kept = window.labels(doc_id, "alice")
        assert kept is not None and [(s.start, s.end) for s in kept.spans] == [COMPOUND]

    assert _exported_ents(_export(db, "spacy", "alice", tmp_path / "a.spacy"))[TEXT] == [
        ("U.S.-Russia", "MISC", *COMPOUND)
    ]
    assert _exported_ents(_export(db, "spacy", "bob", tmp_path / "b.spacy"))[TEXT] == [
        ("U.S.", "GPE", *US),
        ("Russia", "GPE", *RUSSIA),
    ]
    # the same import again: nothing added, nothing split twice, still exportable
    again = _cli(db, "import", "--annotator", "bob", str(bob))
    assert "(1 already present, 0 annotations added (1 already stored)" in again
    with Project.open(db) as project:
        assert _words(TEXT, project, doc_id)[2:5] == ["U.S.", "-", "Russia"]
        assert len(project.get_document(doc_id).tokens or []) == len(tokenize(TEXT)) + 2


def test_a_stored_text_without_tokens_gets_the_split_tokens(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    plain = tmp_path / "talks.txt"
    plain.write_text(TEXT)
    _cli(db, "import", str(plain))
    _cli(db, "import", str(_doccano(tmp_path / "g.jsonl", (TEXT, [(*RUSSIA, "GPE")]))))
    with Project.open(db) as project:
        doc_id = _doc_id(project, TEXT)
        # tokenized on first use and split there at the stored label (a plain tokenizing
        # would give "U.S.-Russia" back and leave the label off the token boundaries)
        assert project.get_document(doc_id, tokenize_missing=False).tokens is not None
        assert _words(TEXT, project, doc_id)[2:4] == ["U.S.-", "Russia"]
    ents = _exported_ents(_export(db, "spacy", "imported", tmp_path / "x.spacy"))
    assert ents[TEXT] == [("Russia", "GPE", *RUSSIA)]


def test_one_text_twice_in_a_file_gets_every_split(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    rows = [
        _ours(tmp_path, "alice", [(*US, "GPE")]),
        {"text": OTHER},  # an unlabelled line between them changes nothing
        _ours(tmp_path, "bob", [(*RUSSIA, "GPE")]),
    ]
    out = _cli(db, "import", str(_lines(tmp_path / "both.jsonl", rows)))
    assert "imported 2 documents (1 already present, 2 annotations" in out
    # stored without tokens: split at both records' spans on first use, not counted here
    assert "0 tokens split" in out
    with Project.open(db) as project:
        assert _words(TEXT, project, _doc_id(project, TEXT))[2:5] == ["U.S.", "-", "Russia"]
    for name, span in (("alice", ("U.S.", "GPE", *US)), ("bob", ("Russia", "GPE", *RUSSIA))):
        lines = _export(db, "iob", name, tmp_path / f"{name}.iob").read_text().splitlines()
        assert f"{span[0]} B-GPE" in lines
        assert _exported_ents(_export(db, "spacy", name, tmp_path / f"{name}.spacy"))[TEXT] == [
            span
        ]


def test_a_text_stored_by_another_import_meanwhile_gets_this_batchs_splits(
    tmp_path: Path,
) -> None:
    """Two imports of one text at once: this batch looked the text up before the other
    stored it (so found nothing), then its insert found it stored, with the other
    import's tokens. The write path is run as it is then."""
    db = tmp_path / "p.db"
    rec = record_from_doccano({"text": TEXT, "label": [[*RUSSIA, "GPE"]]}, "bob.jsonl", 1)
    aligned = align_record(rec, tokenize(TEXT), "bob")
    entry = importing._Entry(rec, Document(TEXT, tokens=aligned.tokens), aligned.annotation)
    # meanwhile, the other import stores the text, splitting the token elsewhere
    alice = _lines(tmp_path / "alice.jsonl", [_ours(tmp_path, "alice", [(*US, "GPE")])])
    _cli(db, "import", str(alice))
    with Project.open(db) as project:
        report = importing.ImportReport()
        importing._write(project._repo, [entry], report)
        assert (report.imported, report.duplicates, report.annotations) == (0, 1, 1)
        words = _words(TEXT, project, _doc_id(project, TEXT))
        assert words[2:5] == ["U.S.", "-", "Russia"]  # both imports' splits
    for name, span in (("alice", ("U.S.", "GPE", *US)), ("bob", ("Russia", "GPE", *RUSSIA))):
        assert _exported_ents(_export(db, "spacy", name, tmp_path / f"{name}.spacy"))[TEXT] == [
            span
        ]
