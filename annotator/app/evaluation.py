"""Comparing two annotation sets (``annotator evaluate``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from annotator.agreement.calibration import (
    Calibration,
    calibrate,
    format_calibration,
)
from annotator.agreement.spans import Evaluation, evaluate
from annotator.app.calibrated import SETTING_PREFIX as CALIBRATION_PREFIX
from annotator.app.labels import all_as_labels
from annotator.core import Annotation, AnnotatorError

CHART_SUFFIXES = (".png", ".svg", ".pdf")

__all__ = [
    "CALIBRATION_PREFIX",
    "calibrate_sets",
    "evaluate_sets",
    "format_calibration",
    "load_sets",
    "write_calibration_chart",
]

if TYPE_CHECKING:
    from annotator.app.project import Project


def evaluate_sets(project: Project, reference: str, candidate: str) -> Evaluation:
    ref, cand = load_sets(project, reference, candidate)
    return evaluate(ref, cand)


def calibrate_sets(
    project: Project, reference: str, candidate: str, *, bins: int = 10, save: bool = False
) -> Calibration:
    """How far ``candidate``'s scores can be trusted against ``reference`` (see
    ``annotator.agreement.calibration``); ``save`` keeps the fit in the project, under
    the candidate set's name, for the window and later runs to read."""
    ref, cand = load_sets(project, reference, candidate)
    cal = calibrate(ref, cand, bins=bins)
    if save:
        project.set_setting(
            CALIBRATION_PREFIX + project.resolve_annotator_name(candidate), cal.dumps()
        )
    return cal


def load_sets(
    project: Project, reference: str, candidate: str
) -> tuple[dict[int, Annotation], dict[int, Annotation]]:
    """The two sets as their labels (a person's version: what they saw and decided)."""
    names = {}
    for role, name in (("reference", reference), ("candidate", candidate)):
        resolved = project.resolve_annotator_name(name)
        if project.annotator(resolved) is None:
            known = ", ".join(a.name for a in project.annotators()) or "none"
            raise AnnotatorError(
                f"No annotation set {name!r} for --{role}. Known: {known}.", code="E401"
            )
        names[role] = resolved
    sets = []
    for role in ("reference", "candidate"):
        who = project.annotator(names[role])
        assert who is not None  # checked above
        sets.append(all_as_labels(project.load_annotations(who), who))
    return sets[0], sets[1]


def write_calibration_chart(cal: Calibration, path: Path) -> Path:
    """The reliability chart as PNG, SVG or PDF (by ``path``'s suffix; matplotlib)."""
    from annotator.agreement.calibration_chart import write_reliability_chart

    if path.suffix.lower() not in CHART_SUFFIXES:
        raise AnnotatorError(
            f"Cannot draw a chart as {path.name!r}: use a {', '.join(CHART_SUFFIXES)} file.",
            code="E402",
        )
    return write_reliability_chart(cal, path)
