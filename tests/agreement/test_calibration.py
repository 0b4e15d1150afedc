"""Calibration: the precision measured per suggestion score, its fit, and its use."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from annotator.agreement.calibration import (
    Calibration,
    calibrate,
    format_calibration,
    isotonic_steps,
)
from annotator.agreement.errors import AgreementError
from annotator.app.evaluation import calibrate_sets
from annotator.app.project import Project
from annotator.app.suggest import CURRENT_SUGGESTIONS_KEY
from annotator.cli import app
from annotator.core import (
    Annotation,
    AnnotationStatus,
    AnnotatorKind,
    Document,
    Layer,
    Origin,
    Span,
    Token,
)

runner = CliRunner()


def _ent(start: int, label: str = "PERSON", conf: float | None = None) -> Span:
    return Span(start, start + 3, label, Layer.ENTS, Origin.SUGGESTED, confidence=conf)


def test_isotonic_steps_pool_violators_and_never_decrease() -> None:
    points = [(0.1, True), (0.2, False), (0.3, False), (0.6, True), (0.7, False), (0.9, True)]
    steps = isotonic_steps(points)
    precisions = [s.precision for s in steps]
    assert precisions == sorted(precisions)
    # 0.1 (right) then 0.2, 0.3 (wrong) violate: pooled into one block of 1/3
    assert steps[0].upto == 0.3 and steps[0].precision == pytest.approx(1 / 3)
    assert steps[0].count == 3
    # 0.6 right, 0.7 wrong pool to 1/2; 0.9 right stays alone
    assert [(s.upto, s.precision) for s in steps[1:]] == [(0.7, 0.5), (0.9, 1.0)]
    assert sum(s.count for s in steps) == len(points)


def test_isotonic_steps_never_split_equal_scores() -> None:
    steps = isotonic_steps([(0.8, True), (0.8, False), (0.8, True), (0.8, True)])
    assert [(s.upto, s.precision, s.count) for s in steps] == [(0.8, 0.75, 4)]
    # a wrong span sorts first among equal scores: it must not pool its score's block
    # into the one below before the rest of that block is counted
    steps = isotonic_steps([(0.3, False), (0.3, True), (0.9, False), (0.9, True), (0.9, True)])
    assert [(s.upto, s.count) for s in steps] == [(0.3, 2), (0.9, 3)]


def _sets() -> tuple[dict[int, Annotation], dict[int, Annotation]]:
    """30 documents: a PERSON at 0 scored 0.9 (always right), a PERSON at 10 scored
    0.3 (right in one document of three), a GPE without a score at 20 (right in four of
    five) and one QUOTE scored 0.2 that overlaps the reference quote."""
    ref: dict[int, Annotation] = {}
    cand: dict[int, Annotation] = {}
    for d in range(30):
        gold = [_ent(0)]
        if d % 3 == 0:
            gold.append(_ent(10))
        if d % 5:
            gold.append(_ent(20, "GPE"))
        gold.append(Span(30, 60, "QUOTE", Layer.QUOTES))
        ref[d] = Annotation(d, "gold", spans=gold)
        cand[d] = Annotation(
            d,
            "suggestions:x-1",
            spans=[
                _ent(0, conf=0.9),
                _ent(10, conf=0.3),
                _ent(20, "GPE"),
                Span(32, 60, "QUOTE", Layer.QUOTES, Origin.SUGGESTED, confidence=0.2),
            ],
        )
    return ref, cand


def test_calibration_measures_precision_per_score_and_per_label() -> None:
    ref, cand = _sets()
    cal = calibrate(ref, cand, bins=10)
    assert cal.documents == 30 and cal.unscored == 30
    person = cal.groups["ents:PERSON"]
    assert person.count == 60 and person.correct == 40
    by_bucket = {b.lo: (b.count, b.correct) for b in person.buckets if b.count}
    assert by_bucket == {0.3: (30, 10), 0.9: (30, 30)}
    assert cal.calibrate(_ent(10, conf=0.3)).confidence == pytest.approx(1 / 3, abs=1e-4)
    assert cal.calibrate(_ent(0, conf=0.9)).confidence == 1.0
    # a score between the measured ones takes the next block up (never decreasing)
    assert cal.calibrate(_ent(0, conf=0.5)).confidence == 1.0
    # no score: the precision measured for that label's unscored spans
    assert cal.calibrate(_ent(20, "GPE")).confidence == pytest.approx(0.8)
    # quotes match by overlap, as evaluate scores them: a low raw score, always right
    quote = Span(32, 60, "QUOTE", Layer.QUOTES, Origin.SUGGESTED, confidence=0.2)
    assert cal.calibrate(quote).confidence == 1.0
    # the raw scores were far from what they measured
    assert person.ece == pytest.approx((30 * abs(0.3 - 1 / 3) + 30 * abs(0.9 - 1.0)) / 60)
    assert cal.threshold_for("ents:PERSON", 0.9) == pytest.approx(0.3)
    text = format_calibration(cal)
    assert "ents:PERSON: 60 scored spans, precision 0.67" in text
    assert "without a score: 30 spans, precision 0.80" in text


def test_calibration_a_rare_label_falls_back_to_its_layer() -> None:
    ref, cand = _sets()
    cand[0].spans.append(_ent(40, "ORG", conf=0.9))  # one ORG: too few for its own fit
    cal = calibrate(ref, cand, min_count=20)
    assert "ents:ORG" not in cal.groups
    org = cal.calibrate(_ent(40, "ORG", conf=0.9))
    assert org.confidence == pytest.approx(cal.groups["ents"].precision_at(0.9), abs=1e-4)
    # the layer's fit keeps the PERSON blocks apart: 10/30 at 0.3, 30/31 at 0.9
    assert [s.count for s in cal.groups["ents"].steps] == [30, 31]


def test_calibration_round_trips_as_json_and_refuses_a_damaged_one() -> None:
    ref, cand = _sets()
    cal = calibrate(ref, cand)
    again = Calibration.loads(cal.dumps())
    span = _ent(10, conf=0.3)
    assert again.calibrate(span) == cal.calibrate(span)
    assert again.calibrate(_ent(20, "GPE")) == cal.calibrate(_ent(20, "GPE"))
    with pytest.raises(AgreementError, match="E623"):
        Calibration.loads('{"groups": {"ents": {"count": 1}}}')
    with pytest.raises(AgreementError, match="E624"):
        calibrate(ref, cand, bins=0)


def _project(tmp_path: Path) -> tuple[Project, int]:
    """A project whose gold says the low-scored PERSON at 10 is right in every document."""
    project = Project.open(tmp_path / "p.db")
    text = "Ann met Bob at the hall with Cid, who said nothing more today."
    tokens = [Token(m.start(), m.end()) for m in __import__("re").finditer(r"\S+", text)]
    docs = [Document(text + f" {i}", external_id=f"d{i}", tokens=tokens) for i in range(25)]
    project._repo.insert_documents(docs)
    project.ensure_annotator("gold")
    set_name = "suggestions:x-1"
    project.ensure_annotator(set_name, AnnotatorKind.MODEL)
    for doc in docs:
        bob = Span(8, 11, "PERSON", Layer.ENTS, Origin.SUGGESTED, confidence=0.3)
        project.put_annotation(
            Annotation(doc.id, set_name, spans=[bob], status=AnnotationStatus.DONE)
        )
        project.put_annotation(
            Annotation(
                doc.id,
                "gold",
                spans=[Span(8, 11, "PERSON", Layer.ENTS, Origin.MANUAL)],
                status=AnnotationStatus.DONE,
            )
        )
    project.set_setting(CURRENT_SUGGESTIONS_KEY, set_name)
    return project, docs[0].id or 0


def test_a_saved_calibration_sets_the_confidence_the_window_shows(tmp_path: Path) -> None:
    project, doc_id = _project(tmp_path)
    with project:
        before = project.open_annotation(doc_id, "alice")
        assert [s.confidence for s in before.spans] == [0.3]  # hidden below 0.5
        calibrate_sets(project, "gold", "suggestions:x-1", save=True)
        other = project.document_ids()[1]
        after = project.open_annotation(other, "alice")
        # measured: right every time, so shown with the precision it earned
        assert [s.confidence for s in after.spans] == [1.0]
        assert [s.origin for s in after.spans] == [Origin.SUGGESTED]
    with Project.open(tmp_path / "p.db") as again:  # kept in the project
        third = again.document_ids()[2]
        assert [s.confidence for s in again.open_annotation(third, "bob").spans] == [1.0]
        # the suggestion set itself keeps its raw scores, for the next fit
        raw = again.load_annotation(third, "suggestions:x-1")
        assert raw is not None and [s.confidence for s in raw.spans] == [0.3]


def test_cli_evaluate_calibration_draws_the_chart_and_refuses_other_files(
    tmp_path: Path,
) -> None:
    project, _ = _project(tmp_path)
    project.close()
    db = str(tmp_path / "p.db")
    chart = tmp_path / "reliability.png"
    args = ["--db", db, "evaluate", "--reference", "gold", "--candidate", "suggestions:x-1"]
    result = runner.invoke(app, [*args, "--calibration", str(chart)])
    assert result.exit_code == 0, result.output
    assert "ents:PERSON: 25 scored spans, precision 1.00" in result.output
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    as_json = runner.invoke(app, [*args, "--calibration", str(tmp_path / "r.svg"), "--json"])
    assert as_json.exit_code == 0, as_json.output
    assert json.loads(as_json.output)["groups"]["ents"]["count"] == 25
    assert (tmp_path / "r.svg").read_text().lstrip().startswith("<?xml")
    bad = runner.invoke(app, [*args, "--calibration", str(tmp_path / "r.txt")])
    assert bad.exit_code != 0
    assert "E402" in bad.output and "Traceback" not in bad.output
    assert not (tmp_path / "r.txt").exists()
    # P/R/F: a layer's row keeps its name (it was read as a style tag and vanished)
    table = runner.invoke(app, args)
    assert "[ents]" in table.output
