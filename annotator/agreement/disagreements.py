"""Where the annotators differ: runs of overlapping spans, one row per contested range.

Rows stay arrays (``DisagreementBlock``) until someone reads them: on a big corpus they
are ~10^5 Python objects, which cost more than all the figures together.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from annotator.agreement.units import Corpus, IntArray, SpanTable


class Disagreement(NamedTuple):
    """One character range on which the annotators differ.

    ``labels[annotator]`` is the label that annotator gave exactly this range, or ``None``.
    ``reason``: ``"label"`` (everyone marked the range, with different labels),
    ``"boundary"`` (someone marked an overlapping range instead) or ``"missing"``
    (someone marked nothing there).
    """

    doc_id: Hashable
    start: int
    end: int
    text: str
    labels: dict[str, str | None]
    reason: str = ""


def _clusters(
    tables: Sequence[SpanTable], by_label: bool
) -> tuple[IntArray, IntArray, IntArray, IntArray, IntArray, IntArray]:
    """All annotators' spans grouped into runs of overlapping spans.

    Returns ``(cluster, annotator, doc, start, end, label)`` sorted by position.
    ``by_label`` keeps labels apart (quotes: a SPEAKER inside a QUOTE is not a rival).
    """
    ann = np.concatenate([np.full(len(t.start), i, dtype=np.int64) for i, t in enumerate(tables)])
    doc = np.concatenate([t.doc for t in tables])
    start = np.concatenate([t.start for t in tables])
    end = np.concatenate([t.end for t in tables])
    label = np.concatenate([t.label for t in tables])
    ks = np.concatenate([t.key_start if by_label else t.start for t in tables])
    ke = np.concatenate([t.key_end if by_label else t.end for t in tables])
    order = np.lexsort((ann, end, ks))
    ann, doc, start, end, label, ks, ke = (x[order] for x in (ann, doc, start, end, label, ks, ke))
    new = np.ones(len(ks), dtype=bool)
    if len(ks) > 1:
        new[1:] = ks[1:] >= np.maximum.accumulate(ke)[:-1]
    cluster = np.cumsum(new) - 1
    return cluster, ann, doc, start, end, label


@dataclass
class DisagreementBlock:
    """Disagreement rows as arrays; turned into ``Disagreement`` tuples only when read."""

    doc: IntArray
    start: IntArray  # document offsets
    end: IntArray
    labels: IntArray  # rows x annotators, vocabulary code or -1
    reason: IntArray  # index into _REASONS

    @staticmethod
    def concat(blocks: Sequence[DisagreementBlock], n_ann: int) -> DisagreementBlock:
        if not blocks:
            e = np.zeros(0, dtype=np.int64)
            return DisagreementBlock(e, e, e, np.zeros((0, n_ann), dtype=np.int64), e)
        b = DisagreementBlock(
            *(np.concatenate([getattr(x, f) for x in blocks]) for f in _BLOCK_FIELDS)
        )
        order = np.lexsort((b.end, b.start, b.doc))
        return DisagreementBlock(*(getattr(b, f)[order] for f in _BLOCK_FIELDS))

    def rows(
        self,
        doc_ids: Sequence[Hashable],
        texts: Sequence[str],
        annotators: list[str],
        vocab: list[str],
    ) -> list[Disagreement]:
        names: list[str | None] = [*vocab, None]  # code -1 -> None
        out: list[Disagreement] = []
        for d, s, e, labs, r in zip(
            self.doc.tolist(),
            self.start.tolist(),
            self.end.tolist(),
            self.labels.tolist(),
            self.reason.tolist(),
            strict=True,
        ):
            by_ann = dict(zip(annotators, [names[c] for c in labs], strict=True))
            out.append(Disagreement(doc_ids[d], s, e, texts[d][s:e], by_ann, _REASONS[r]))
        return out


_BLOCK_FIELDS = ("doc", "start", "end", "labels", "reason")
_REASONS = ("label", "boundary", "missing")


def find_disagreements(
    tables: Sequence[SpanTable], by_label: bool, n_ann: int, corpus: Corpus
) -> tuple[DisagreementBlock, IntArray]:
    """Disagreement rows (one per distinct range in a contested cluster) and per-doc counts."""
    per_doc = np.zeros(len(corpus.doc_ids), dtype=np.int64)
    empty = DisagreementBlock.concat([], n_ann)
    cluster, ann, doc, start, end, label = _clusters(tables, by_label)
    if len(cluster) == 0:
        return empty, per_doc
    n_cl = int(cluster[-1]) + 1
    size = np.bincount(cluster, minlength=n_cl)
    present = np.zeros((n_cl, n_ann), dtype=bool)
    present[cluster, ann] = True

    def spread(x: IntArray) -> npt.NDArray[np.bool_]:
        lo = np.full(n_cl, np.iinfo(np.int64).max)
        hi = np.full(n_cl, np.iinfo(np.int64).min)
        np.minimum.at(lo, cluster, x)
        np.maximum.at(hi, cluster, x)
        return lo != hi

    agreed = (size == n_ann) & present.all(axis=1) & ~spread(start) & ~spread(end) & ~spread(label)
    rows = ~agreed[cluster]
    cluster, ann, doc, start, end, label = (x[rows] for x in (cluster, ann, doc, start, end, label))
    if len(cluster) == 0:
        return empty, per_doc
    # one row per (cluster, start, end); spans are already ordered by start, end within
    order = np.lexsort((ann, end, start, cluster))
    cluster, ann, doc, start, end, label = (
        x[order] for x in (cluster, ann, doc, start, end, label)
    )
    new = np.ones(len(cluster), dtype=bool)
    new[1:] = (cluster[1:] != cluster[:-1]) | (start[1:] != start[:-1]) | (end[1:] != end[:-1])
    group = np.cumsum(new) - 1
    n_g = int(group[-1]) + 1
    labels = np.full((n_g, n_ann), -1, dtype=np.int64)
    labels[group, ann] = label
    g_cluster, g_doc, g_start, g_end = cluster[new], doc[new], start[new], end[new]
    missing = labels < 0
    all_there = ~missing.any(axis=1)
    same_label = all_there & (labels.min(axis=1) == labels.max(axis=1))
    emit = ~same_label
    # someone missing here but present elsewhere in the cluster marked other boundaries
    boundary = (missing & present[g_cluster]).any(axis=1)
    reason_code = np.where(all_there, 0, np.where(boundary, 1, 2))
    np.add.at(per_doc, g_doc[emit], 1)
    off = corpus.offsets[g_doc[emit]]
    block = DisagreementBlock(
        g_doc[emit], g_start[emit] - off, g_end[emit] - off, labels[emit], reason_code[emit]
    )
    return block, per_doc


__all__ = ["Disagreement", "DisagreementBlock", "find_disagreements"]
