"""Held-out scores of a trained (or any) suggester, and the learning curve chart.

The scores are ``evaluate``'s (``agreement.spans.evaluate``: entity F1, quote exact and
overlap F1, speaker accuracy) with cue accuracy beside the speaker's, computed the same
way; ``annotator train`` records them with each model and draws them per training size.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.agreement.spans import Evaluation, align_spans, evaluate, unique_spans
from annotator.core import Annotation, AnnotationStatus, Document, Layer

if TYPE_CHECKING:
    from annotator.app.suggest import SchemeOptions
    from annotator.nlp.suggester import Suggester


@dataclass
class CurvePoint:
    fraction: float
    train_documents: int
    scores: dict[str, float | None]


# scoring -----------------------------------------------------------------------------


def suggested_annotations(
    suggester: Suggester, docs: Sequence[Document], options: SchemeOptions, lang: str
) -> dict[int, Annotation]:
    """The suggestions for ``docs`` under the project's scheme options (its labels and
    keep_that), as every other suggestion run makes them: a model is scored on what
    the window would show."""
    items = [(doc.id or 0, doc.text, doc.tokens) for doc in docs]
    out: dict[int, Annotation] = {}
    for doc_id, result in suggester.suggest_many(items, lang=lang, batch_size=16, **options):
        out[doc_id] = Annotation(
            document_id=doc_id,
            annotator="candidate",
            spans=list(result.spans),
            relations=list(result.relations),
            status=AnnotationStatus.DONE,
        )
    return out


def cue_accuracy(
    reference: Mapping[int, Annotation], candidate: Mapping[int, Annotation]
) -> float | None:
    """As ``evaluate``'s speaker accuracy, for cues: of the QUOTEs matched in overlap mode
    whose reference has a cue, the share whose candidate cue overlaps it."""
    total = correct = 0
    for doc_id, ref_ann in reference.items():
        cand_ann = candidate.get(doc_id)
        if cand_ann is None:
            continue
        ref = unique_spans(s for s in ref_ann.spans if s.layer == Layer.QUOTES)
        cand = unique_spans(s for s in cand_ann.spans if s.layer == Layer.QUOTES)
        for i, j in align_spans(ref, cand, "overlap"):
            if ref[i].label != "QUOTE":
                continue
            r_cue = ref_ann.cue_of(ref[i].key)
            if r_cue is None:
                continue
            total += 1
            c_cue = cand_ann.cue_of(cand[j].key)
            correct += c_cue is not None and c_cue.start < r_cue.end and r_cue.start < c_cue.end
    return correct / total if total else None


def scores_of(ev: Evaluation, cue: float | None) -> dict[str, float | None]:
    """The figures a model is recorded with (all of ``evaluate``'s scorer)."""
    ents, quotes = ev.layers.get("ents"), ev.layers.get("quotes")
    return {
        "documents": float(ev.documents),
        "ents_f": ents["exact"].f if ents else None,
        "quotes_exact_f": quotes["exact"].f if quotes else None,
        "quotes_overlap_f": quotes["overlap"].f if quotes else None,
        "speaker_accuracy": ev.speaker_accuracy,
        "cue_accuracy": cue,
    }


def heldout_scores(
    suggester: Suggester,
    pairs: Sequence[tuple[Document, Annotation]],
    options: SchemeOptions,
    lang: str = "en",
) -> tuple[dict[str, float | None], Evaluation]:
    """``suggester``'s suggestions for the documents of ``pairs`` scored against their
    labels with ``evaluate``'s scorer (and cue accuracy beside its speaker accuracy)."""
    reference = {doc.id or 0: ann for doc, ann in pairs}
    candidate = suggested_annotations(suggester, [d for d, _ in pairs], options, lang)
    ev = evaluate(reference, candidate)
    return scores_of(ev, cue_accuracy(reference, candidate)), ev


# the learning curve --------------------------------------------------------------------

CURVE_FIGURES = (
    ("ents_f", "entities F1 (exact)"),
    ("quotes_overlap_f", "quotes F1 (overlap)"),
    ("quotes_exact_f", "quotes F1 (exact)"),
    ("speaker_accuracy", "speaker accuracy"),
    ("cue_accuracy", "cue accuracy"),
)


def write_curve_chart(points: Sequence[CurvePoint], path: Path, *, title: str = "") -> Path:
    """The held-out figures against the number of training documents (PNG or SVG)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    try:
        xs = [p.train_documents for p in points]
        for key, label in CURVE_FIGURES:
            ys = [p.scores.get(key) for p in points]
            if any(y is not None for y in ys):
                ax.plot(xs, [float("nan") if y is None else y for y in ys], marker="o", label=label)
        ax.set_xlabel("training documents")
        ax.set_ylabel("held-out score")
        ax.set_ylim(0, 1.03)  # a line at 1.0 inside the frame, not hidden on its edge
        ax.set_title(f"learning curve {title}".strip())
        ax.grid(alpha=0.3)
        ax.legend(loc="lower right", fontsize="small")
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.stem}.part{path.suffix}")
        fig.savefig(tmp, format=path.suffix.lower().lstrip("."))
        tmp.replace(path)
    finally:
        plt.close(fig)
    return path


def describe_scores(scores: Mapping[str, float | None]) -> str:
    def f(key: str) -> str:
        v = scores.get(key)
        return "n/a" if v is None else f"{v:.3f}"

    return (
        f"entities F1 {f('ents_f')}, quotes F1 exact {f('quotes_exact_f')} / overlap "
        f"{f('quotes_overlap_f')}, speaker accuracy {f('speaker_accuracy')}, cue accuracy "
        f"{f('cue_accuracy')}"
    )
