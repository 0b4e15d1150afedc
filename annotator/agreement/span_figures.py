"""Span-level figures: one-to-one matching of two annotators' spans, P/R/F1 per label.

Span P/R/F1 of a pair ``(a, b)`` takes ``a`` as the reference; F1 is symmetric. Per
label and overall figures pool the counts of all pairs. Matching follows
:mod:`annotator.agreement.spans` (same pairs, same tie-breaks), vectorised over the
corpus.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from annotator.agreement.alpha import merge_units, overlapping_pairs
from annotator.agreement.spans import MODES, PRF, Mode
from annotator.agreement.units import IntArray, SpanTable


class Matches(NamedTuple):
    """Matched span index pairs of two tables, exact and overlap, one-to-one."""

    exact_a: IntArray
    exact_b: IntArray
    overlap_a: IntArray
    overlap_b: IntArray

    def of_a(self, mode: Mode) -> IntArray:
        return self.exact_a if mode == "exact" else self.overlap_a


def match(a: SpanTable, b: SpanTable) -> Matches:
    """``(exact a, exact b, overlap a, overlap b)`` index pairs, one-to-one.

    Overlap matching is greedy by largest overlap, ties by boundary distance and then
    position (as ``spans.align_spans``). An edge whose two spans meet nothing else is
    taken whatever the order, so only the contested edges go through the Python loop.
    """
    ai, bj = overlapping_pairs(a.key_start, a.key_end, b.key_start, b.key_end)
    same = (a.start[ai] == b.start[bj]) & (a.end[ai] == b.end[bj])
    ex_a, ex_b = ai[same], bj[same]
    if len(ai) == 0:
        return Matches(ex_a, ex_b, ai, bj)
    deg_a = np.bincount(ai, minlength=len(a.start))
    deg_b = np.bincount(bj, minlength=len(b.start))
    lone = (deg_a[ai] == 1) & (deg_b[bj] == 1)
    take_a = [ai[lone]]
    take_b = [bj[lone]]
    ci, cj = ai[~lone], bj[~lone]
    if len(ci):
        ov = np.minimum(a.end[ci], b.end[cj]) - np.maximum(a.start[ci], b.start[cj])
        dist = np.abs(a.start[ci] - b.start[cj]) + np.abs(a.end[ci] - b.end[cj])
        order = np.lexsort((b.end[cj], b.start[cj], a.end[ci], a.start[ci], dist, -ov))
        used_a: set[int] = set()
        used_b: set[int] = set()
        pa: list[int] = []
        pb: list[int] = []
        for i, j in zip(ci[order].tolist(), cj[order].tolist(), strict=True):
            if i not in used_a and j not in used_b:
                used_a.add(i)
                used_b.add(j)
                pa.append(i)
                pb.append(j)
        take_a.append(np.array(pa, dtype=np.int64))
        take_b.append(np.array(pb, dtype=np.int64))
    return Matches(ex_a, ex_b, np.concatenate(take_a), np.concatenate(take_b))


def prf_by(
    key_a: IntArray, key_b: IntArray, key_tp: IntArray, size: int
) -> tuple[IntArray, IntArray, IntArray]:
    """Per-key (tp, fp, fn) with ``a`` as reference."""
    tp = np.bincount(key_tp, minlength=size)
    fn = np.bincount(key_a, minlength=size) - tp
    fp = np.bincount(key_b, minlength=size) - tp
    return tp, fp, fn


@dataclass
class SpanTally:
    """Span counts per annotator and label, and matched counts per pair and label."""

    counts: IntArray  # annotators x labels
    tp: dict[str, IntArray]  # mode -> pairs x labels
    fp: dict[str, IntArray]
    fn: dict[str, IntArray]

    @staticmethod
    def empty(n_annotators: int, n_pairs: int, n_labels: int) -> SpanTally:
        def zeros() -> dict[str, IntArray]:
            return {m: np.zeros((n_pairs, n_labels), dtype=np.int64) for m in MODES}

        counts = np.zeros((n_annotators, n_labels), dtype=np.int64)
        return SpanTally(counts, zeros(), zeros(), zeros())

    def count(self, tables: Sequence[SpanTable]) -> None:
        k = self.counts.shape[1]
        for ai, t in enumerate(tables):
            self.counts[ai] += np.bincount(t.label, minlength=k)

    def add_pair(self, pair: int, a: SpanTable, b: SpanTable) -> tuple[Matches, dict[str, PRF]]:
        """Match the spans of ``a`` and ``b``; the pair's P/R/F counts by mode."""
        k = self.counts.shape[1]
        matches = match(a, b)
        prfs: dict[str, PRF] = {}
        for mode in MODES:
            tp, fp, fn = prf_by(a.label, b.label, a.label[matches.of_a(mode)], k)
            self.tp[mode][pair] += tp
            self.fp[mode][pair] += fp
            self.fn[mode][pair] += fn
            prfs[mode] = PRF(int(tp.sum()), int(fp.sum()), int(fn.sum()))
        return matches, prfs

    def label_prf(self, mode: str, code: int) -> PRF:
        """Counts of one label, pooled over pairs."""
        return PRF(
            int(self.tp[mode][:, code].sum()),
            int(self.fp[mode][:, code].sum()),
            int(self.fn[mode][:, code].sum()),
        )


def units_by_label(
    tables: Sequence[SpanTable], codes: Sequence[int], names: Sequence[str]
) -> dict[str, list[tuple[IntArray, IntArray]]]:
    """Each label's units per annotator for unitizing alpha (overlaps merged)."""
    out: dict[str, list[tuple[IntArray, IntArray]]] = {}
    for code in codes:
        per_rater = []
        for t in tables:
            lo, hi = np.searchsorted(t.label, [code, code + 1])
            per_rater.append(merge_units(t.start[lo:hi], t.end[lo:hi]))
        out[names[code]] = per_rater
    return out


__all__ = ["Matches", "SpanTally", "match", "prf_by", "units_by_label"]
