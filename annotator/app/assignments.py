"""Giving each document to N of the annotators, balanced, so their queues follow it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from annotator.core import AnnotatorError

if TYPE_CHECKING:
    from annotator.app.project import Project


def plan_assignments(
    doc_ids: Sequence[int], annotators: Sequence[str], overlap: int
) -> list[tuple[int, str]]:
    """Round-robin with a rotating start: every document gets ``overlap`` distinct
    annotators, and loads differ by at most one document."""
    names = list(dict.fromkeys(annotators))
    if not names:
        raise AnnotatorError("Name at least one annotator (--annotators a,b,c).", code="E500")
    if not 1 <= overlap <= len(names):
        raise AnnotatorError(
            f"--overlap must be between 1 and the number of annotators ({len(names)}).",
            code="E501",
        )
    pairs: list[tuple[int, str]] = []
    cursor = 0
    for doc_id in doc_ids:
        for k in range(overlap):
            pairs.append((doc_id, names[(cursor + k) % len(names)]))
        cursor = (cursor + overlap) % len(names)
    return pairs


def assign(project: Project, annotators: Sequence[str], overlap: int) -> dict[str, int]:
    """Replace the project's assignments; returns documents per annotator."""
    doc_ids = project.document_ids(limit=10**9)
    plan = plan_assignments(doc_ids, annotators, overlap)
    ids = {name: project.ensure_annotator(name).id for name in dict.fromkeys(annotators)}
    project.assign([(doc_id, ids[name] or 0) for doc_id, name in plan])
    counts = dict.fromkeys(ids, 0)
    for _, name in plan:
        counts[name] += 1
    return counts
