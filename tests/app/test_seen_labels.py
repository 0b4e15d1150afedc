"""Agreement, review, gold and export see only what a person saw; `db check` lists the
versions that hold undecided suggestions and `db settle-suggestions` fixes them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from annotator.app.export import export_project
from annotator.app.maintenance import check_project, settle_suggestions
from annotator.app.project import Project
from annotator.app.review import adopt_version, finished_annotations, gold_pairs
from annotator.cli import app
from annotator.core import (
    Annotation,
    AnnotationStatus,
    AnnotatorKind,
    Layer,
    Origin,
    Relation,
    RelationLabel,
    Span,
    snap_range,
)

runner = CliRunner()


def _span(project: Project, doc_id: int, needle: str, label: str, layer: Layer, origin: Origin,
          confidence: float | None = None) -> Span:
    doc = project.get_document(doc_id)
    at = doc.text.index(needle)
    start, end = snap_range(doc.tokens or [], doc.text, at, at + len(needle)) or (0, 0)
    return Span(start, end, label, layer, origin, confidence=confidence)


def _legacy_done(project: Project, doc_id: int, name: str) -> dict[str, Span]:
    """A done version as Enter stored it before the rule: suggestions kept undecided."""
    project.ensure_annotator(name)
    spans = {
        "shown": _span(project, doc_id, "Ryabkov", "PERSON", Layer.ENTS, Origin.SUGGESTED),
        "confident": _span(project, doc_id, "Moscow", "GPE", Layer.ENTS, Origin.SUGGESTED, 0.9),
        "accepted": _span(project, doc_id, "Russia", "GPE", Layer.ENTS, Origin.ACCEPTED),
        "hidden_quote": _span(project, doc_id, "the search for a solution", "QUOTE",
                              Layer.QUOTES, Origin.SUGGESTED, 0.3),
        "hidden_speaker": _span(project, doc_id, "Sergei Ryabkov", "SPEAKER", Layer.QUOTES,
                                Origin.SUGGESTED, 0.45),
    }
    relation = Relation(spans["hidden_quote"].key, spans["hidden_speaker"].key,
                        RelationLabel.SPEAKER)
    project.put_annotation(Annotation(
        document_id=doc_id, annotator=name, spans=list(spans.values()),
        relations=[relation], status=AnnotationStatus.DONE,
    ))
    return spans


def _doc_with(project: Project, *needles: str) -> int:
    for row in project.list_documents("nobody"):
        text = project.get_document(row.id).text
        if all(n in text for n in needles):
            return row.id
    raise AssertionError(f"no seed article holds {needles}")


def _setup(seeded: Any) -> tuple[Project, int, dict[str, Span]]:
    project: Project = seeded
    doc_id = _doc_with(project, "Ryabkov", "Moscow", "Russia", "the search for a solution")
    spans = _legacy_done(project, doc_id, "alice")
    _legacy_done(project, doc_id, "bob")
    return project, doc_id, spans


def test_seen_agreement_input_and_gold_drop_hidden_suggestions(seeded: Any) -> None:
    project, doc_id, spans = _setup(seeded)
    for ann in finished_annotations(project, ["alice", "bob"]).values():
        labels = {s.key for s in ann[doc_id].spans}
        assert spans["hidden_quote"].key not in labels
        assert spans["hidden_speaker"].key not in labels
        assert {spans["shown"].key, spans["confident"].key, spans["accepted"].key} == labels
        assert ann[doc_id].relations == []
    pairs = dict((d.id, a) for d, a in gold_pairs(project, fallback="majority"))
    assert {s.key for s in pairs[doc_id].spans} == {
        spans["shown"].key, spans["confident"].key, spans["accepted"].key
    }
    gold = adopt_version(project, doc_id, "alice")
    assert spans["hidden_quote"].key not in {s.key for s in gold.spans}


def test_seen_export_writes_only_what_was_seen(seeded: Any, tmp_path: Path) -> None:
    project, _doc_id, _spans = _setup(seeded)
    out = tmp_path / "alice.jsonl"
    report = export_project(project, out, fmt="jsonl", annotator="alice")
    assert report.ok
    (record,) = [json.loads(line) for line in out.read_text().splitlines()]
    labels = sorted(s["label"] for s in record["spans"])
    assert labels == ["GPE", "GPE", "PERSON"]
    assert record["relations"] == []


def test_seen_export_of_an_unfinished_version_holds_only_decisions(
    seeded: Any, tmp_path: Path
) -> None:
    project: Project = seeded
    doc_id = _doc_with(project, "Ryabkov", "Russia")
    project.ensure_annotator("carol")
    project.put_annotation(Annotation(
        document_id=doc_id, annotator="carol", status=AnnotationStatus.IN_PROGRESS,
        spans=[
            _span(project, doc_id, "Ryabkov", "PERSON", Layer.ENTS, Origin.SUGGESTED),
            _span(project, doc_id, "Russia", "GPE", Layer.ENTS, Origin.MANUAL),
        ],
    ))
    out = tmp_path / "carol.jsonl"
    assert export_project(project, out, fmt="jsonl", annotator="carol", status="all").ok
    (record,) = [json.loads(line) for line in out.read_text().splitlines()]
    assert [s["label"] for s in record["spans"]] == ["GPE"]


def test_seen_suggestion_sets_are_not_filtered(seeded: Any) -> None:
    """A pipeline's own set keeps its low-confidence spans (evaluate compares them)."""
    project: Project = seeded
    doc_id = _doc_with(project, "Ryabkov")
    project.ensure_annotator("suggestions:x-1", AnnotatorKind.MODEL)
    low = _span(project, doc_id, "Ryabkov", "PERSON", Layer.ENTS, Origin.SUGGESTED, 0.2)
    project.put_annotation(Annotation(document_id=doc_id, annotator="suggestions:x-1",
                                      spans=[low], status=AnnotationStatus.DONE))
    (ann,) = finished_annotations(project, ["suggestions:x-1"])["suggestions:x-1"].values()
    assert ann.spans == [low]
    assert not [p for p in check_project(project.url).problems if "suggestions:x-1" in p]


def test_seen_db_check_lists_and_settle_fixes_without_losing_anything(seeded: Any) -> None:
    project, doc_id, spans = _setup(seeded)
    url = project.url
    report = check_project(url)
    unsettled = [p for p in report.problems if "never decided" in p]
    assert len(unsettled) == 2 and "alice" in unsettled[0] + unsettled[1]
    assert "4 suggestion(s) never decided (2 under the display threshold" in unsettled[0]

    preview = settle_suggestions(url, dry_run=True)
    assert [(c.annotator, c.removed, c.accepted) for c in preview] == [
        ("alice", 2, 2), ("bob", 2, 2)
    ]
    assert len([p for p in check_project(url).problems if "never decided" in p]) == 2

    result = runner.invoke(app, ["--db", url, "db", "settle-suggestions"])
    assert result.exit_code == 0, result.output
    assert "changed 2 finished version(s): 4 suggestion(s) removed, 4 accepted" in result.output
    assert check_project(url).ok
    with Project.open(url) as again:
        ann = again.load_annotation(doc_id, "alice")
        assert ann is not None and ann.status == AnnotationStatus.DONE
        assert {s.key: s.origin for s in ann.spans} == {
            spans["shown"].key: Origin.ACCEPTED,
            spans["confident"].key: Origin.ACCEPTED,
            spans["accepted"].key: Origin.ACCEPTED,
        }
        assert ann.relations == []


def test_seen_db_check_cli_exits_non_zero_on_unsettled_versions(seeded: Any) -> None:
    project, _doc_id, _spans = _setup(seeded)
    result = runner.invoke(app, ["--db", project.url, "db", "check"])
    assert result.exit_code == 1
    assert "settle-suggestions" in result.output


def test_seen_option_command_sets_enter_requires_decisions(seeded: Any) -> None:
    url = seeded.url
    result = runner.invoke(app, ["--db", url, "option"])
    assert result.exit_code == 0 and "enter-requires-decisions: off" in result.output
    result = runner.invoke(app, ["--db", url, "option", "enter-requires-decisions", "on"])
    assert result.exit_code == 0 and "enter-requires-decisions: on" in result.output
    with Project.open(url) as again:
        assert again.finish_requires_decisions()
    bad = runner.invoke(app, ["--db", url, "option", "enter-requires-decisions", "maybe"])
    assert bad.exit_code != 0 and "on' or 'off" in bad.output
    with Project.open(url) as again:
        assert again.finish_requires_decisions()  # a bad value changes nothing
