"""Agreement on who speaks and how: properties of the QUOTE pairs matched in overlap mode.

Speakers: of the matched QUOTE pairs, those where at least one side has a speaker; they
agree when both have one and the two overlap. Kinds: of the matched QUOTE pairs where
both have a kind, those with the same kind.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np

from annotator.agreement.results import AttributionAgreement
from annotator.agreement.units import KINDS, IntArray, SpanTable


@dataclass
class AttributionTally:
    speakers: list[AttributionAgreement]  # one per annotator pair
    kinds: list[AttributionAgreement]
    kind_confusion: dict[tuple[str, str], IntArray]  # (a, b) -> KINDS x KINDS counts

    @staticmethod
    def empty(annotators: list[str]) -> AttributionTally:
        pairs = list(combinations(annotators, 2))
        nk = len(KINDS)
        return AttributionTally(
            [AttributionAgreement(a, b) for a, b in pairs],
            [AttributionAgreement(a, b) for a, b in pairs],
            {p: np.zeros((nk, nk), dtype=np.int64) for p in pairs},
        )

    def add_pair(
        self,
        pair: int,
        a: SpanTable,
        b: SpanTable,
        overlap_a: IntArray,
        overlap_b: IntArray,
        quote_code: int,
    ) -> None:
        """Count the matched spans ``(overlap_a[x], overlap_b[x])`` labelled ``quote_code``."""
        q = a.label[overlap_a] == quote_code
        qa, qb = overlap_a[q], overlap_b[q]
        sp = self.speakers[pair]
        sp.matched_quotes += len(qa)
        has_a, has_b = a.spk_start[qa] >= 0, b.spk_start[qb] >= 0
        sp.compared += int(np.count_nonzero(has_a | has_b))
        sp.agree += int(
            np.count_nonzero(
                has_a
                & has_b
                & (a.spk_start[qa] < b.spk_end[qb])
                & (b.spk_start[qb] < a.spk_end[qa])
            )
        )
        kd = self.kinds[pair]
        kd.matched_quotes += len(qa)
        ka, kb = a.kind[qa], b.kind[qb]
        both = (ka >= 0) & (kb >= 0)
        kd.compared += int(np.count_nonzero(both))
        kd.agree += int(np.count_nonzero(both & (ka == kb)))
        nk = len(KINDS)
        self.kind_confusion[(kd.a, kd.b)] += np.bincount(
            ka[both] * nk + kb[both], minlength=nk * nk
        ).reshape(nk, nk)


__all__ = ["AttributionTally"]
