"""Token-level labelling and kappa coefficients (Cohen 1960, Fleiss 1971).

Undefined coefficients are ``nan`` (as ``sklearn.metrics.cohen_kappa_score`` and
``statsmodels``' ``fleiss_kappa`` give): that happens when expected agreement is 1,
i.e. every rating in the data is the same label. The report turns ``nan`` into ``null``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from annotator.agreement.errors import AgreementError
from annotator.core.model import Annotation, Token

OUTSIDE = "O"

# In the quotes layer spans overlap (a SPEAKER or CUE often sits inside a QUOTE); a token
# takes the most specific label so the small SPEAKER/CUE spans are not swallowed by the
# QUOTE around them. Labels not listed rank below QUOTE; equal ranks (only possible with
# invalid overlapping entities) resolve to the alphabetically last label, to stay
# deterministic.
LABEL_PRIORITY: dict[str, int] = {"SPEAKER": 3, "CUE": 2, "QUOTE": 1}

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


def label_rank_order(labels: Iterable[str]) -> list[str]:
    """Labels from lowest to highest precedence (see ``LABEL_PRIORITY``)."""
    return sorted(set(labels), key=lambda lab: (LABEL_PRIORITY.get(lab, 0), lab))


def paint_ranges(lo: IntArray, hi: IntArray, ranks: IntArray, size: int) -> IntArray:
    """``out[x]`` = highest rank of the ranges ``[lo, hi)`` containing x, or ``-1``."""
    out = np.full(size, -1, dtype=np.int64)
    lens = np.maximum(hi - lo, 0)
    total = int(lens.sum())
    if total == 0:
        return out
    first = np.repeat(lo, lens)
    offsets = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(lens) - lens, lens)
    np.maximum.at(out, first + offsets, np.repeat(ranks, lens))
    return out


def paint_tokens(
    span_starts: IntArray, span_ends: IntArray, span_ranks: IntArray, tok_starts: IntArray
) -> IntArray:
    """For each token the highest rank of the spans containing it, or ``-1``.

    A token is in a span when it *starts* inside it: for token-aligned spans (every saved
    span) that is plain containment, and a misaligned imported span still gets a
    definite answer without needing token ends. Vectorised over any number of documents
    laid end to end on one offset axis.
    """
    lo = np.searchsorted(tok_starts, span_starts, side="left")
    hi = np.searchsorted(tok_starts, span_ends, side="left")
    return paint_ranges(lo, hi, span_ranks, len(tok_starts))


def token_labels(annotation: Annotation, tokens: Sequence[Token], layer: str) -> list[str]:
    """Each token's label in ``layer``, or ``"O"``; overlaps resolved by ``LABEL_PRIORITY``."""
    spans = [s for s in annotation.spans if s.layer == layer]
    order = label_rank_order(s.label for s in spans)
    rank = {lab: i for i, lab in enumerate(order)}
    ranks = paint_tokens(
        np.array([s.start for s in spans], dtype=np.int64),
        np.array([s.end for s in spans], dtype=np.int64),
        np.array([rank[s.label] for s in spans], dtype=np.int64),
        np.array([t.start for t in tokens], dtype=np.int64),
    )
    names = [*order, OUTSIDE]  # rank -1 indexes the last element
    return [names[r] for r in ranks.tolist()]


def encode_labels(*sequences: Sequence[str | None]) -> tuple[list[str], list[IntArray]]:
    """Shared vocabulary (sorted) and int codes per sequence; ``None`` becomes ``-1``."""
    vocab = sorted({x for seq in sequences for x in seq if x is not None})
    index = {lab: i for i, lab in enumerate(vocab)}
    codes = [
        np.array([-1 if x is None else index[x] for x in seq], dtype=np.int64) for seq in sequences
    ]
    return vocab, codes


def confusion_matrix(a: IntArray, b: IntArray, n_labels: int) -> IntArray:
    """``cm[i, j]`` = items labelled ``i`` by a and ``j`` by b (codes ``0..n_labels-1``)."""
    return np.bincount(a * n_labels + b, minlength=n_labels * n_labels).reshape(n_labels, n_labels)


def kappa_from_confusion(cm: npt.ArrayLike) -> float:
    """Cohen's kappa of a square confusion matrix of counts."""
    m = np.asarray(cm, dtype=np.float64)
    n = m.sum()
    if n == 0:
        return math.nan
    po = np.trace(m) / n
    pe = float(m.sum(axis=0) @ m.sum(axis=1)) / (n * n)
    if pe >= 1.0:
        return math.nan
    return float((po - pe) / (1.0 - pe))


def binary_confusion(cm: npt.ArrayLike, label: int) -> FloatArray:
    """2x2 matrix of ``label`` against every other label (for per-label kappa)."""
    m = np.asarray(cm, dtype=np.float64)
    both = m[label, label]
    a_only = m[label].sum() - both
    b_only = m[:, label].sum() - both
    return np.array([[both, a_only], [b_only, m.sum() - both - a_only - b_only]])


def cohen_kappa(a: Sequence[str], b: Sequence[str]) -> float:
    """Cohen's (1960) kappa of two raters labelling the same items."""
    if len(a) != len(b):
        raise AgreementError.of("E602", a=len(a), b=len(b))
    if not a:
        raise AgreementError.of("E603")
    vocab, (ca, cb) = encode_labels(a, b)
    return kappa_from_confusion(confusion_matrix(ca, cb, len(vocab)))


def fleiss_kappa(table: npt.ArrayLike) -> float:
    """Fleiss' (1971) kappa of an items x categories table of rating counts.

    Every row must sum to the same number of raters ``n >= 2``.
    """
    t = np.asarray(table, dtype=np.float64)
    if t.ndim != 2 or t.shape[0] == 0:
        raise AgreementError.of("E604")
    n_per_item = t.sum(axis=1)
    n = float(n_per_item[0])
    if n < 2 or not np.all(n_per_item == n):
        raise AgreementError.of("E605")
    # sum_j n_ij^2 = n + 2 * (agreeing rater pairs of item i)
    agreeing = (float((t * t).sum()) - t.shape[0] * n) / 2.0
    return FleissStats(float(t.shape[0]), n, agreeing, t.sum(axis=0)).kappa()


class FleissStats(NamedTuple):
    """Sufficient statistics of Fleiss' kappa; the statistics of parts add up.

    ``items`` may be a weighted count (the report weighs a segment by its tokens).
    """

    items: float
    raters: float
    agreeing_pairs: float  # sum over items of the rater pairs giving the same label
    per_category: FloatArray  # ratings per category

    @staticmethod
    def of_codes(codes: IntArray, n_labels: int, weight: FloatArray | None = None) -> FleissStats:
        """Statistics of an items x raters matrix of label codes (no missing values).

        Avoids building the items x categories table, which for a corpus of tokens and
        many labels would be large.
        """
        n_items, n = codes.shape
        w = np.ones(n_items, dtype=np.float64) if weight is None else weight
        agree = 0.0
        for i in range(n):
            for j in range(i + 1, n):
                agree += float(w[codes[:, i] == codes[:, j]].sum())
        per_category = np.zeros(n_labels, dtype=np.float64)
        for i in range(n):
            per_category += np.bincount(codes[:, i], weights=w, minlength=n_labels)
        return FleissStats(float(w.sum()), float(n), agree, per_category)

    @staticmethod
    def pooled(parts: Sequence[FleissStats]) -> FleissStats:
        """Statistics of the parts taken together (same raters, same categories)."""
        return FleissStats(
            sum(p.items for p in parts),
            parts[0].raters,
            sum(p.agreeing_pairs for p in parts),
            sum((p.per_category for p in parts[1:]), parts[0].per_category),
        )

    def kappa(self) -> float:
        n_items, n = self.items, self.raters
        if n_items == 0 or n < 2:
            return math.nan
        # P_bar is the mean over items of (agreeing pairs / all pairs), so needs the total
        p_bar = 2.0 * self.agreeing_pairs / (n_items * n * (n - 1))
        p_j = self.per_category / (n_items * n)
        pe = float((p_j * p_j).sum())
        return math.nan if pe >= 1.0 else (p_bar - pe) / (1.0 - pe)


def fleiss_kappa_codes(codes: IntArray, n_labels: int) -> float:
    """Fleiss' kappa from an items x raters matrix of label codes (no missing values)."""
    n_items, n = codes.shape
    if n_items == 0 or n < 2:
        raise AgreementError.of("E606")
    if (codes < 0).any():
        raise AgreementError.of("E607")
    return FleissStats.of_codes(codes, n_labels).kappa()


def fleiss_kappa_from_labels(items: Sequence[Sequence[str]]) -> float:
    """Fleiss' kappa from each item's list of labels (one per rater, same count per item)."""
    if not items:
        raise AgreementError.of("E608")
    n = len(items[0])
    if any(len(x) != n for x in items):
        raise AgreementError.of("E609")
    vocab, codes = encode_labels(*items)
    return fleiss_kappa_codes(np.stack(codes), len(vocab))


__all__ = [
    "LABEL_PRIORITY",
    "OUTSIDE",
    "FleissStats",
    "binary_confusion",
    "cohen_kappa",
    "confusion_matrix",
    "encode_labels",
    "fleiss_kappa",
    "fleiss_kappa_codes",
    "fleiss_kappa_from_labels",
    "kappa_from_confusion",
    "label_rank_order",
    "paint_ranges",
    "paint_tokens",
    "token_labels",
]
