"""Comparing two annotation sets (``annotator evaluate``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.agreement.spans import Evaluation, evaluate
from annotator.app.labels import all_as_labels
from annotator.core import AnnotatorError

if TYPE_CHECKING:
    from annotator.app.project import Project


def evaluate_sets(project: Project, reference: str, candidate: str) -> Evaluation:
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
    return evaluate(sets[0], sets[1])
