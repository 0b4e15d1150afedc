"""Token-level figures: each token of a layer is a unit whose value is its label or ``"O"``.

Cohen's kappa per pair comes from the pair's token confusion matrix, Krippendorff's
alpha from the coincidence matrix, Fleiss' kappa from its sufficient statistics; with
``layer=None`` the overall values pool the units of both layers (a token counts once
per layer).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np

from annotator.agreement.alpha import alpha_from_coincidence, binary_coincidence
from annotator.agreement.kappa import (
    FleissStats,
    binary_confusion,
    kappa_from_confusion,
    paint_ranges,
)
from annotator.agreement.units import Corpus, FloatArray, IntArray, SpanTable

ALL = "all"  # the layer name of figures that pool the report's layers


@dataclass
class Segments:
    """A layer's token labels, one unit per elementary segment weighted by its tokens."""

    weight: FloatArray  # tokens in the segment
    doc: IntArray  # document of the segment
    codes: IntArray  # segments x annotators, vocabulary code ("O" is 0)


def _segments(tables: Sequence[SpanTable], corpus: Corpus) -> tuple[IntArray, FloatArray, IntArray]:
    """Elementary segments of a layer: boundaries, tokens per segment, document per segment.

    Between two consecutive span boundaries (of any annotator) every token has the same
    label for each annotator, so token-level statistics only need one unit per segment
    weighted by its token count: ~10x fewer units than tokens.
    """
    bounds = np.sort(
        np.concatenate([corpus.offsets, *(t.start for t in tables), *(t.end for t in tables)])
    )
    # sort + mask: np.unique's hash path is several times slower on ~10^6 int64
    bounds = bounds[np.concatenate([[True], bounds[1:] != bounds[:-1]])]
    tok_at = np.searchsorted(corpus.tok_start, bounds, side="left")
    weight = np.diff(tok_at).astype(np.float64)
    seg_doc = np.searchsorted(corpus.offsets, bounds[:-1], side="right") - 1
    return bounds, weight, seg_doc


def label_segments(
    tables: Sequence[SpanTable], codes_here: Sequence[int], n_labels: int, corpus: Corpus
) -> Segments:
    """Each annotator's label of each segment of one layer.

    A token inside overlapping spans takes the label of highest precedence, which is the
    label's position in ``codes_here``.
    """
    bounds, weight, seg_doc = _segments(tables, corpus)
    n_seg = len(weight)
    rank_to_code = np.array([*codes_here, 0], dtype=np.int64)  # rank -1 -> "O"
    code_to_rank = np.full(n_labels, -1, dtype=np.int64)
    code_to_rank[list(codes_here)] = np.arange(len(codes_here))
    seg_codes = np.empty((n_seg, len(tables)), dtype=np.int64)
    for ai, t in enumerate(tables):
        lo = np.searchsorted(bounds, t.start)
        hi = np.searchsorted(bounds, t.end)
        seg_codes[:, ai] = rank_to_code[paint_ranges(lo, hi, code_to_rank[t.label], n_seg)]
    return Segments(weight, seg_doc, seg_codes)


@dataclass
class TokenTally:
    """Token-level counts of every layer, from which the coefficients follow."""

    annotators: list[str]
    n_labels: int
    # (a, b, layer) -> confusion matrix over the vocabulary; layer ALL pools the layers
    confusions: dict[tuple[str, str, str], IntArray] = field(default_factory=dict)
    coincidence: dict[str, FloatArray] = field(default_factory=dict)
    fleiss: dict[str, FleissStats] = field(default_factory=dict)

    def add_layer(self, layer: str, seg: Segments) -> None:
        k, n_ann = self.n_labels, len(self.annotators)
        if n_ann >= 3:
            self.fleiss[layer] = FleissStats.of_codes(seg.codes, k, seg.weight)
        coincidence = np.zeros((k, k), dtype=np.float64)
        for i, j in combinations(range(n_ann), 2):
            ca, cb = seg.codes[:, i], seg.codes[:, j]
            cm = np.rint(np.bincount(ca * k + cb, weights=seg.weight, minlength=k * k))
            cm = cm.astype(np.int64).reshape(k, k)
            self.confusions[(self.annotators[i], self.annotators[j], layer)] = cm
            # no missing values: every token has n_ann labels, so the coincidence matrix
            # is the symmetrised sum of the pairwise confusions over (m_u - 1)
            coincidence += (cm + cm.T) / (n_ann - 1)
        self.coincidence[layer] = coincidence

    def pool_layers(self, layers: Sequence[str]) -> None:
        """Add each pair's confusion matrix of all layers together (layer ``ALL``)."""
        for i, j in combinations(range(len(self.annotators)), 2):
            a, b = self.annotators[i], self.annotators[j]
            per_layer = [self.confusions[(a, b, lay)] for lay in layers]
            if len(per_layer) == 1:
                self.confusions[(a, b, ALL)] = per_layer[0]
            else:
                self.confusions[(a, b, ALL)] = sum(per_layer[1:], per_layer[0])

    def cohen_kappa(self, a: str, b: str, layer: str) -> float:
        return kappa_from_confusion(self.confusions[(a, b, layer)])

    def fleiss_kappa(self, layer: str | None = None) -> float | None:
        """Fleiss' kappa of one layer or of all (``None``); ``None`` under 3 annotators."""
        if len(self.annotators) < 3:
            return None
        if layer is not None:
            return self.fleiss[layer].kappa()
        return FleissStats.pooled(list(self.fleiss.values())).kappa()

    def krippendorff_alpha(self, layer: str | None = None) -> float:
        if layer is not None:
            return alpha_from_coincidence(self.coincidence[layer])
        parts = list(self.coincidence.values())
        return alpha_from_coincidence(sum(parts[1:], parts[0]))

    def label_kappa(self, layer: str, code: int) -> float:
        """Mean over pairs of the label-vs-rest token kappa."""
        return mean(
            [
                kappa_from_confusion(binary_confusion(self.confusions[(a, b, layer)], code))
                for a, b in combinations(self.annotators, 2)
            ]
        )

    def label_alpha(self, layer: str, code: int) -> float:
        """Krippendorff's alpha of the label against every other label."""
        return alpha_from_coincidence(binary_coincidence(self.coincidence[layer], code))


def mean(xs: Sequence[float]) -> float:
    """Mean of the defined values, ``nan`` when there is none."""
    vals = [x for x in xs if not math.isnan(x)]
    return sum(vals) / len(vals) if vals else math.nan


__all__ = ["ALL", "Segments", "TokenTally", "label_segments", "mean"]
