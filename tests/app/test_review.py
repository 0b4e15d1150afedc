from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from annotator.app.project import Project
from annotator.app.review import adopt_version, agreement_report, gold_pairs, majority_annotation
from annotator.cli import app
from annotator.core import Annotation, AnnotationStatus, AnnotatorError, Layer, Span

TEXT_A = "Putin met Trump in Moscow on Friday."
TEXT_B = "Zelensky spoke in Kyiv."


def _line(text: str, spans: list[tuple[int, int, str]], who: str) -> str:
    return json.dumps(
        {
            "text": text,
            "spans": [{"start": s, "end": e, "label": lab} for s, e, lab in spans],
            "answer": "accept",
            "_annotator_id": who,
        }
    )


@pytest.fixture
def two_annotators(tmp_path: Path) -> Path:
    f = tmp_path / "labels.jsonl"
    f.write_text(
        "\n".join(
            [
                _line(TEXT_A, [(0, 5, "PERSON"), (10, 15, "PERSON"), (19, 25, "GPE")], "alice"),
                _line(TEXT_A, [(0, 5, "PERSON"), (10, 15, "ORG"), (19, 25, "GPE")], "bob"),
                _line(TEXT_B, [(0, 8, "PERSON"), (18, 22, "GPE")], "alice"),
                _line(TEXT_B, [(0, 8, "PERSON"), (18, 22, "GPE")], "bob"),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    db = tmp_path / "p.db"
    with Project.open(db) as project:
        assert project.import_paths([f]).problems == []
    return db


def test_review_agreement_counts_only_documents_all_finished(two_annotators: Path) -> None:
    with Project.open(two_annotators) as project:
        report = agreement_report(project, ["alice", "bob"], "ents")
        assert len(report.documents) == 2
        pair = report.pairs[0].to_json()
        # 4 of 5 spans agree exactly: P = R = F1 = 0.8
        assert pair["f1_exact"] == pytest.approx(0.8)
        assert pair["f1_overlap"] == pytest.approx(0.8)
        assert len(report.disagreements) == 1
        # bob reopens one document: it drops out of the comparison
        doc_id = project.list_documents("bob")[1].id
        ann = project.load_annotation(doc_id, "bob")
        assert ann is not None
        ann.status = AnnotationStatus.IN_PROGRESS
        project.put_annotation(ann)
        assert len(agreement_report(project, ["alice", "bob"]).documents) == 1


def test_review_agreement_default_ignores_people_who_finished_nothing(
    two_annotators: Path,
) -> None:
    with Project.open(two_annotators) as project:
        project.list_documents("visitor")  # opening the list makes the annotator exist
        report = agreement_report(project)
        assert report.annotators == ["alice", "bob"] and len(report.documents) == 2


def test_review_agreement_needs_two_annotators(two_annotators: Path) -> None:
    with Project.open(two_annotators) as project, pytest.raises(AnnotatorError, match="two or"):
        agreement_report(project, ["alice"])


def test_review_majority_vote_keeps_spans_most_annotators_made() -> None:
    def ann(*spans: Span) -> Annotation:
        return Annotation(1, "x", spans=list(spans), status=AnnotationStatus.DONE)

    putin, trump_p, trump_o = Span(0, 5, "PERSON"), Span(10, 15, "PERSON"), Span(10, 15, "ORG")
    voted = majority_annotation([ann(putin, trump_p), ann(putin, trump_o), ann(putin, trump_p)], 1)
    assert [(s.start, s.label) for s in voted.spans] == [(0, "PERSON"), (10, "PERSON")]
    tie = majority_annotation([ann(putin, trump_p), ann(putin, trump_o)], 1)
    assert [(s.start, s.label) for s in tie.spans] == [(0, "PERSON")]


def test_review_adopt_version_then_edit_is_gold_and_exported(two_annotators: Path) -> None:
    with Project.open(two_annotators) as project:
        doc_id = project.list_documents("alice")[0].id
        gold = adopt_version(project, doc_id, "bob")
        assert {(s.start, s.label) for s in gold.spans} == {(0, "PERSON"), (10, "ORG"), (19, "GPE")}
        from annotator.core import operations as ops

        trump = gold.span_by_key(Span(10, 15, "ORG").key)
        assert trump is not None
        gold, _ = project.apply(gold, ops.relabel(trump, "PERSON"))
        gold, _ = project.apply(gold, ops.SetStatus(AnnotationStatus.DONE))
    with Project.open(two_annotators) as project:
        pairs = list(gold_pairs(project, fallback="none"))
        assert len(pairs) == 1
        doc, saved = pairs[0]
        assert doc.text == TEXT_A
        assert {(s.start, s.label) for s in saved.spans if s.layer == Layer.ENTS} == {
            (0, "PERSON"),
            (10, "PERSON"),
            (19, "GPE"),
        }
        with_fallback = list(gold_pairs(project, fallback="alice"))
        assert len(with_fallback) == 2
        majority = dict((d.text, a) for d, a in gold_pairs(project, fallback="majority"))
        assert {s.label for s in majority[TEXT_B].spans} == {"PERSON", "GPE"}


def test_review_cli_agreement_json_and_report(two_annotators: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out_dir = tmp_path / "report"
    args = ["--db", str(two_annotators), "agreement", "--annotators", "alice,bob", "--json"]
    result = runner.invoke(app, [*args, "--report", str(out_dir)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["documents"] == 2
    assert {"a", "b", "layer", "f1_exact", "f1_overlap", "cohen_kappa"} <= set(data["pairs"][0])
    assert data["fleiss_kappa"] is None
    assert "krippendorff_alpha" in data and "labels" in data
    assert (out_dir / "index.html").exists()
    assert "alice" in (out_dir / "disagreements.csv").read_text(encoding="utf-8")


def test_review_cli_assignment_overlap_then_agreement_text(two_annotators: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["--db", str(two_annotators), "agreement"])
    assert result.exit_code == 0, result.output
    assert "alice ~ bob" in result.output and "Cohen's kappa" in result.output
    bad = runner.invoke(app, ["--db", str(two_annotators), "agreement", "--layer", "x"])
    assert bad.exit_code == 2 and "--layer must be" in bad.output


def test_review_cli_export_gold_with_fallback(two_annotators: Path, tmp_path: Path) -> None:
    with Project.open(two_annotators) as project:
        doc_id = project.list_documents("alice")[0].id
        adopt_version(project, doc_id, "alice")
        gold = project.load_annotation(doc_id, "gold")
        assert gold is not None
        from annotator.core import operations as ops

        project.apply(gold, ops.SetStatus(AnnotationStatus.DONE))
    runner = CliRunner()
    base = ["--db", str(two_annotators), "export", "--format", "jsonl", "--gold"]
    only = tmp_path / "gold.jsonl"
    assert runner.invoke(app, [*base, "--out", str(only)]).exit_code == 0
    assert len(only.read_text(encoding="utf-8").splitlines()) == 1
    both = tmp_path / "gold_bob.jsonl"
    result = runner.invoke(app, [*base, "--fallback", "bob", "--out", str(both)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in both.read_text(encoding="utf-8").splitlines()]
    assert [r["text"] for r in rows] == [TEXT_A, TEXT_B]
    maj = tmp_path / "gold_majority.jsonl"
    result = runner.invoke(app, [*base, "--fallback", "majority", "--out", str(maj)])
    assert result.exit_code == 0, result.output
    assert len(maj.read_text(encoding="utf-8").splitlines()) == 2
    bad = runner.invoke(
        app,
        [
            *base[:-1],
            "--annotator",
            "bob",
            "--fallback",
            "alice",
            "--out",
            str(tmp_path / "x.jsonl"),
        ],
    )
    assert bad.exit_code == 2 and "--fallback goes with --gold" in bad.output
