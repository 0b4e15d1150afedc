"""Agreement for the review window and the dashboard: the report types, one document's
disagreements, and the dashboard's charts (the UI never imports ``annotator.agreement``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from annotator.agreement.report import AgreementReport, Disagreement, agreement
from annotator.core import Annotation, AnnotationStatus, Document

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from annotator.app.project import Project

__all__ = [
    "AgreementReport",
    "Disagreement",
    "compare_versions",
    "figure_confusion",
    "figure_label_f1",
    "figure_per_document",
]


def compare_versions(
    project: Project, document: Document, names: Sequence[str]
) -> tuple[dict[str, Annotation | None], list[Disagreement]]:
    """Each of ``names``' version of ``document`` and where the finished ones disagree
    (nothing to compare below two finished versions)."""
    doc_id = document.id or 0
    versions = {name: project.labels(doc_id, name) for name in names}
    # Like the corpus report: only finished work is compared.
    done = {
        n: a for n, a in versions.items() if a is not None and a.status == AnnotationStatus.DONE
    }
    rows: list[Disagreement] = []
    if len(done) >= 2:
        report = agreement(
            {n: {doc_id: a} for n, a in done.items()},
            {doc_id: document.tokens or []},
            {doc_id: document.text},
        )
        rows = list(report.disagreements)
    return versions, rows


# The charts import matplotlib: only when the dashboard draws one, not with the window.


def figure_label_f1(report: AgreementReport) -> Figure:
    from annotator.agreement.report_html import figure_label_f1 as draw

    return draw(report)


def figure_per_document(report: AgreementReport) -> Figure:
    from annotator.agreement.report_html import figure_per_document as draw

    return draw(report)


def figure_confusion(report: AgreementReport, a: str, b: str, layer: str | None = None) -> Figure:
    from annotator.agreement.report_html import figure_confusion as draw

    return draw(report, a, b, layer)
