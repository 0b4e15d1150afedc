"""Storing suggestions as the annotation set ``suggestions:<pipeline>``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from annotator.core import Annotation, AnnotationStatus, Annotator, Document

if TYPE_CHECKING:
    from annotator.app.project import Project
    from annotator.nlp.suggester import Suggestions


def store_suggestions(
    project: Project, annotator: Annotator, results: Sequence[tuple[Document, Suggestions]]
) -> None:
    annotations = []
    for doc, result in results:
        annotations.append(
            Annotation(
                document_id=doc.id,
                annotator=annotator.name,
                spans=list(result.spans),
                relations=list(result.relations),
                status=AnnotationStatus.DONE,
            )
        )
    project.repo.put_annotations(annotations, annotator)
