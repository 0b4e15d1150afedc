"""Figures of each document: F1 of the spans, mean pairwise kappa, tokens agreed on.

Per-document F1 is 1.0 when no annotator marked anything in it (nothing to disagree
on), unlike the pooled figures, which follow spaCy's 0.0 convention for empty sets.
Counts are gathered for the whole corpus at once, by document index.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np

from annotator.agreement.results import DocumentAgreement
from annotator.agreement.span_figures import prf_by
from annotator.agreement.spans import MODES
from annotator.agreement.token_figures import Segments
from annotator.agreement.units import FloatArray, IntArray, SpanTable


@dataclass
class DocumentTally:
    n_docs: int
    n_labels: int
    tp: dict[str, IntArray]  # mode -> matched spans per document
    errors: dict[str, IntArray]  # mode -> unmatched spans (either side) per document
    tokens: FloatArray  # tokens x layers
    all_agree: FloatArray  # tokens (x layers) every annotator labels alike
    # per pair: tokens with equal labels, then (document, label) counts of a and of b
    pair_tokens: list[tuple[FloatArray, FloatArray, FloatArray]]
    disagreements: IntArray

    @staticmethod
    def empty(n_annotators: int, n_docs: int, n_labels: int) -> DocumentTally:
        def ints() -> dict[str, IntArray]:
            return {m: np.zeros(n_docs, dtype=np.int64) for m in MODES}

        n_pairs = len(list(combinations(range(n_annotators), 2)))
        return DocumentTally(
            n_docs,
            n_labels,
            ints(),
            ints(),
            np.zeros(n_docs, dtype=np.float64),
            np.zeros(n_docs, dtype=np.float64),
            [
                (np.zeros(n_docs), np.zeros(n_docs * n_labels), np.zeros(n_docs * n_labels))
                for _ in range(n_pairs)
            ],
            np.zeros(n_docs, dtype=np.int64),
        )

    def add_tokens(self, seg: Segments) -> None:
        n_docs, k = self.n_docs, self.n_labels
        all_eq = np.all(seg.codes == seg.codes[:, :1], axis=1)
        self.all_agree += np.bincount(seg.doc, weights=seg.weight * all_eq, minlength=n_docs)
        self.tokens += np.bincount(seg.doc, weights=seg.weight, minlength=n_docs)
        n_ann = seg.codes.shape[1]
        for (i, j), (eq, rows, cols) in zip(
            combinations(range(n_ann), 2), self.pair_tokens, strict=True
        ):
            ca, cb = seg.codes[:, i], seg.codes[:, j]
            eq += np.bincount(seg.doc, weights=seg.weight * (ca == cb), minlength=n_docs)
            rows += np.bincount(seg.doc * k + ca, weights=seg.weight, minlength=n_docs * k)
            cols += np.bincount(seg.doc * k + cb, weights=seg.weight, minlength=n_docs * k)

    def add_spans(self, mode: str, a: SpanTable, b: SpanTable, matched_a: IntArray) -> None:
        """Count a pair's spans, ``a.doc[matched_a]`` being its matched ones."""
        tp, fp, fn = prf_by(a.doc, b.doc, a.doc[matched_a], self.n_docs)
        self.tp[mode] += tp
        self.errors[mode] += fp + fn

    def add_disagreements(self, per_doc: IntArray) -> None:
        self.disagreements += per_doc

    def results(self, doc_ids: Sequence[Hashable]) -> list[DocumentAgreement]:
        n_docs, k = self.n_docs, self.n_labels
        n_d = self.tokens
        kappa_docs = []
        for eq_d, rows, cols in self.pair_tokens:
            pe_sum = (rows.reshape(n_docs, k) * cols.reshape(n_docs, k)).sum(axis=1)
            with np.errstate(divide="ignore", invalid="ignore"):
                po = eq_d / n_d
                pe = pe_sum / (n_d * n_d)
                kap = np.where(pe < 1.0, (po - pe) / (1.0 - pe), np.nan)
            kappa_docs.append(kap)
        stacked = np.stack(kappa_docs) if kappa_docs else np.full((1, n_docs), np.nan)
        defined = ~np.isnan(stacked)
        with np.errstate(invalid="ignore", divide="ignore"):
            kappa_mean = np.where(defined, stacked, 0.0).sum(axis=0) / defined.sum(axis=0)
            token_agree = np.where(n_d > 0, self.all_agree / np.maximum(n_d, 1), 1.0)
        f1e = _f1(self.tp["exact"], self.errors["exact"])
        f1o = _f1(self.tp["overlap"], self.errors["overlap"])
        return [
            DocumentAgreement(
                doc_ids[d],
                float(f1e[d]),
                float(f1o[d]),
                float(kappa_mean[d]),
                float(token_agree[d]),
                int(self.disagreements[d]),
            )
            for d in range(n_docs)
        ]


def _f1(tp: IntArray, err: IntArray) -> FloatArray:
    denom = 2 * tp + err
    return np.where(denom > 0, 2 * tp / np.maximum(denom, 1), 1.0)


__all__ = ["DocumentTally"]
