""".spacy import: our export read back (file and shard folder), DocBins made elsewhere,
and bad input reported without losing what is stored."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from spacy.tokens import Doc, DocBin
from spacy.tokens import Span as SpacySpan
from typer.testing import CliRunner

import annotator.formats.docbin as docbin
from annotator.app.export import annotation_pairs
from annotator.app.project import Project
from annotator.cli import app
from annotator.formats.docbin_reader import read_docbin_records
from annotator.formats.docbin_shards import is_docbin_folder
from annotator.formats.records import ImportRecord, Problem
from annotator.formats.registry import expand_paths
from annotator.nlp.tokenize import blank_pipeline
from tests.formats.spacy_articles import write_articles

runner = CliRunner()


def _cli(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def _stored(db: Path, annotator: str) -> dict[str, Any]:
    """Per document text: its meta, status and every span (with layer and kind) and
    relation (by the spans' offsets and labels) of one annotator."""
    out: dict[str, Any] = {}
    with Project.open(db) as project:
        for doc, ann in annotation_pairs(project, annotator, "all"):
            by_key = {s.key: (s.start, s.end, s.label) for s in ann.spans}
            out[doc.text] = (
                doc.meta,
                str(ann.status),
                sorted((s.start, s.end, s.label, str(s.layer), s.kind) for s in ann.spans),
                sorted((by_key[r.head], by_key[r.child], str(r.label)) for r in ann.relations),
            )
    return out


@pytest.fixture
def source(tmp_path: Path) -> Path:
    db = tmp_path / "source.db"
    write_articles(tmp_path / "articles.jsonl", 12, seed=3)
    _cli("--db", str(db), "import", str(tmp_path / "articles.jsonl"), "--annotator", "alice")
    return db


def test_export_then_import_gives_the_same_spans_relations_and_kinds(
    source: Path, tmp_path: Path
) -> None:
    out = tmp_path / "alice.spacy"
    _cli("--db", str(source), "export", "--format", "spacy", "--annotator", "alice",
         "--out", str(out))  # fmt: skip
    target = tmp_path / "target.db"
    printed = _cli("--db", str(target), "import", str(out))
    assert "imported 12 documents" in printed and "warning" not in printed
    before, after = _stored(source, "alice"), _stored(target, "alice")
    assert after == before
    kinds = {k for _, _, spans, _ in after.values() for *_, k in spans}
    assert kinds == {None, "direct", "indirect", "mixed"}
    assert sum(len(rels) for *_, rels in after.values()) > 20


def test_a_folder_of_shards_imports_as_one_corpus_in_order(
    source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(docbin, "DEFAULT_SHARD_DOCS", 5)  # 12 documents: three shards
    out = tmp_path / "shards.spacy"
    _cli("--db", str(source), "export", "--format", "spacy", "--annotator", "alice",
         "--out", str(out))  # fmt: skip
    assert is_docbin_folder(out) and len(list(out.glob("*.spacy"))) == 3
    assert expand_paths([out]) == [(out, "spacy")]
    records = [r for r in read_docbin_records(out) if isinstance(r, ImportRecord)]
    assert [r.meta["id"] for r in records] == [f"article-3-{n}" for n in range(12)]
    target = tmp_path / "target.db"
    _cli("--db", str(target), "import", str(out))
    assert _stored(target, "alice") == _stored(source, "alice")


def _foreign_doc(text: str, ents: list[tuple[str, str]], sc: list[tuple[str, str]]) -> Doc:
    doc = blank_pipeline("en").make_doc(text)

    def span(words: str, label: str) -> SpacySpan:
        start = text.index(words)
        made = doc.char_span(start, start + len(words), label=label)
        assert made is not None
        return made

    doc.ents = [span(w, label) for w, label in ents]
    doc.spans["sc"] = [span(w, label) for w, label in sc]
    return doc


def test_a_docbin_made_elsewhere_gives_ents_and_span_groups_by_label(tmp_path: Path) -> None:
    text = "Ana Reyes said the Oslo harbour would reopen."
    doc = _foreign_doc(
        text,
        ents=[("Ana Reyes", "PERSON"), ("Oslo", "GPE")],
        sc=[("Ana Reyes", "SPEAKER"), ("said", "CUE"), ("Oslo harbour", "FAC"), ("Oslo", "GPE")],
    )
    path = tmp_path / "elsewhere.spacy"
    DocBin(docs=[doc]).to_disk(path)
    items = list(read_docbin_records(path))
    warnings = [i for i in items if isinstance(i, Problem)]
    (record,) = [i for i in items if isinstance(i, ImportRecord)]
    got = {(text[s.start : s.end], s.label, s.layer) for s in record.spans or []}
    assert got == {
        ("Ana Reyes", "PERSON", "ents"),
        ("Oslo", "GPE", "ents"),
        ("Ana Reyes", "SPEAKER", "quotes"),
        ("said", "CUE", "quotes"),
    }
    # The FAC span overlaps the entity Oslo: left out with a warning, the document kept.
    assert len(warnings) == 1 and warnings[0].warning
    assert "FAC 19-31 of doc.spans['sc'] overlaps an entity" in warnings[0].message
    assert record.answer == "accept" and record.external_id == "elsewhere.spacy:1"
    target = tmp_path / "t.db"
    printed = _cli("--db", str(target), "import", str(path))
    assert "imported 1 documents" in printed
    assert len(_stored(target, "imported")[text][2]) == 4


def test_bad_user_data_is_left_out_with_a_warning_and_the_spans_kept(tmp_path: Path) -> None:
    text = '"Rain is coming," Lena Holm said.'
    doc = blank_pipeline("en").make_doc(text)
    quote = doc.char_span(0, 17, label="QUOTE")
    speaker = doc.char_span(18, 27, label="SPEAKER")
    assert quote is not None and speaker is not None
    doc.spans["sc"] = [quote, speaker]
    doc.user_data.update(
        {
            "span_key": "sc",
            "span_kinds": ["direct"],  # one kind for two spans
            "relations": [[0, 1, "speaker"], [0, 7, "cue"], "nonsense"],
            "status": "done",
        }
    )
    path = tmp_path / "odd.spacy"
    DocBin(store_user_data=True, docs=[doc]).to_disk(path)
    items = list(read_docbin_records(path))
    messages = [i.message for i in items if isinstance(i, Problem)]
    assert len(messages) == 3
    assert "span_kinds does not give one kind per span" in messages[0]
    assert "relation (0, 7, 'cue') does not link two spans" in messages[1]
    assert "relation 'nonsense'" in messages[2]
    (record,) = [i for i in items if isinstance(i, ImportRecord)]
    assert [(s.label, s.kind) for s in record.spans or []] == [("QUOTE", None), ("SPEAKER", None)]
    assert [(r.label, r.head_span, r.child_span) for r in record.relations] == [
        ("speaker", (0, 17, "QUOTE"), (18, 27, "SPEAKER"))
    ]


def test_a_file_that_is_no_docbin_is_one_problem_and_nothing_stored_is_lost(
    source: Path, tmp_path: Path
) -> None:
    good = tmp_path / "good.spacy"
    _cli("--db", str(source), "export", "--format", "spacy", "--annotator", "alice",
         "--out", str(good))  # fmt: skip
    bad = tmp_path / "bad.spacy"
    bad.write_bytes(b"\x00not a docbin at all\xff" * 10)
    empty = tmp_path / "empty.spacy"
    empty.write_bytes(b"")
    before = _stored(source, "alice")
    result = runner.invoke(app, ["--db", str(source), "import", str(bad), str(empty), str(good)])
    assert "bad.spacy: is not a spaCy DocBin file" in result.output
    assert "empty.spacy: is not a spaCy DocBin file" in result.output
    assert "imported 0 documents (12 already present" in result.output
    assert result.exit_code == 1  # skipped input is an error exit, after the good file
    assert _stored(source, "alice") == before
    with Project.open(source) as project:
        assert project.count_documents() == 12


def test_an_empty_folder_given_as_spacy_is_reported(tmp_path: Path) -> None:
    folder = tmp_path / "nothing"
    folder.mkdir()
    (problem,) = list(read_docbin_records(folder))
    assert isinstance(problem, Problem) and "holds no .spacy file" in problem.message
