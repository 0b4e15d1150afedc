"""Comparing two annotation sets (``annotator evaluate``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.agreement.spans import Evaluation, evaluate
from annotator.core import AnnotatorError

if TYPE_CHECKING:
    from annotator.app.project import Project


def evaluate_sets(project: Project, reference: str, candidate: str) -> Evaluation:
    names = {}
    for role, name in (("reference", reference), ("candidate", candidate)):
        resolved = project.resolve_annotator_name(name)
        if project.repo.annotator(resolved) is None:
            known = ", ".join(a.name for a in project.annotators()) or "none"
            raise AnnotatorError(
                f"No annotation set {name!r} for --{role}. Known: {known}.", code="E400"
            )
        names[role] = resolved
    ref = project.repo.load_annotations(project.repo.annotator(names["reference"]))  # type: ignore[arg-type]
    cand = project.repo.load_annotations(project.repo.annotator(names["candidate"]))  # type: ignore[arg-type]
    return evaluate(ref, cand)
