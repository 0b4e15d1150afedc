"""Krippendorff's alpha: nominal (coincidence matrix) and unitizing (alpha_U).

Nominal alpha follows Krippendorff, "Computing Krippendorff's Alpha-Reliability" (2011):
values of a unit are pairable when the unit has at least two of them; each unit adds
``1 / (m_u - 1)`` per ordered pair of values to the coincidence matrix ``o``;
``alpha = 1 - (n - 1) * sum_{c != k} o_ck / sum_{c != k} n_c n_k``. It is ``nan`` when
undefined (fewer than two pairable values, or a single value used throughout), where the
``krippendorff`` package raises.

Unitizing alpha is Krippendorff's alpha_U of "On the reliability of unitizing continuous
data" (Sociological Methodology 25, 1995) as worked in *Content Analysis*, 2nd ed.
(2004, pp. 251-256), computed the way DKPro Agreement's
``KrippendorffAlphaUnitizingAgreement`` does (the implementation INCEpTION reports as
"Krippendorff's alpha (unitizing)"):

- it is defined *per category* c: each rater's continuum splits into units of c and gaps
  (everything else, including units of other categories); observed disagreement sums,
  over ordered rater pairs, the squared distances of intersecting sections (two units:
  ``(begin diff)^2 + (end diff)^2``; a unit lying wholly inside the other rater's gap:
  its length squared; anything else 0), divided by ``R (R - 1) L^2``; expected
  disagreement considers every placement of each unit in the gaps of all raters;
- the overall value is ``1 - mean_c D_o(c) / mean_c D_e(c)`` (DKPro's
  ``calculateAgreement``), not a mean of per-category alphas;
- this is neither the later c|u-alpha (agreement on values *within* units all coders
  identified) nor the |u-alpha of Krippendorff, Mathet, Bouvry & Widlöcher (2016, Quality
  & Quantity 50). ``collapse_labels=True`` gives the label-blind reading: alpha_U of
  "is this character inside any span", which is the question |u-alpha asks, computed
  with the 1995 formula;
- a category nobody used has ``D_e = 0``; its alpha is ``nan`` (DKPro returns 0.0) and it
  contributes nothing to the overall means;
- one rater's overlapping units of the same category (nested QUOTEs) are merged into
  their union first, because the method assumes they do not overlap.

Validated in the tests against the 2004 textbook example (category c: D_o = 0.0144,
D_e = 0.0532, alpha = 0.7286; category k: alpha = 1; overall 0.8591).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from annotator.agreement.errors import AgreementError
from annotator.agreement.kappa import encode_labels

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


# --------------------------------------------------------------------------- nominal


def coincidence_matrix(codes: IntArray, n_values: int) -> FloatArray:
    """Coincidence matrix of a units x coders matrix of value codes (``-1`` = missing)."""
    present = codes >= 0
    m_u = present.sum(axis=1)
    pairable = m_u >= 2
    weight = np.zeros(len(codes), dtype=np.float64)
    weight[pairable] = 1.0 / (m_u[pairable] - 1)
    o = np.zeros((n_values, n_values), dtype=np.float64)
    n_coders = codes.shape[1] if codes.ndim == 2 else 0
    for i in range(n_coders):
        for j in range(i + 1, n_coders):
            both = present[:, i] & present[:, j] & pairable
            if not both.any():
                continue
            pair = codes[both, i] * n_values + codes[both, j]
            o += np.bincount(pair, weights=weight[both], minlength=n_values * n_values).reshape(
                n_values, n_values
            )
    return o + o.T  # ordered pairs (i, j) and (j, i)


def alpha_from_coincidence(o: npt.ArrayLike) -> float:
    """Nominal alpha of a coincidence matrix."""
    m = np.asarray(o, dtype=np.float64)
    n_c = m.sum(axis=1)
    n = n_c.sum()
    expected = n * n - float((n_c * n_c).sum())  # sum over c != k of n_c n_k
    if n <= 1 or expected <= 0:
        return math.nan
    observed = n - np.trace(m)  # sum over c != k of o_ck
    return float(1.0 - (n - 1) * observed / expected)


def binary_coincidence(o: npt.ArrayLike, value: int) -> FloatArray:
    """2x2 coincidence matrix of ``value`` against all others (for per-label alpha)."""
    m = np.asarray(o, dtype=np.float64)
    cc = m[value, value]
    cx = m[value].sum() - cc
    return np.array([[cc, cx], [cx, m.sum() - cc - 2 * cx]])


def alpha_nominal_codes(codes: IntArray, n_values: int) -> float:
    return alpha_from_coincidence(coincidence_matrix(codes, n_values))


def krippendorff_alpha_nominal(units: Sequence[Sequence[str | None]]) -> float:
    """Nominal alpha; ``units[u]`` holds the coders' values for unit u, ``None`` if missing.

    Units may have different lengths (missing trailing coders).
    """
    width = max((len(u) for u in units), default=0)
    padded = [[*u, *([None] * (width - len(u)))] for u in units]
    flat: list[str | None] = [x for u in padded for x in u]
    vocab, (codes,) = encode_labels(flat)
    return alpha_nominal_codes(codes.reshape(len(units), width), len(vocab))


# --------------------------------------------------------------------------- unitizing


@dataclass
class UnitizingAlpha:
    """alpha_U overall and per category, with the disagreements behind them."""

    alpha: float
    observed: float
    expected: float
    categories: dict[str, float] = field(default_factory=dict)
    observed_by_category: dict[str, float] = field(default_factory=dict)
    expected_by_category: dict[str, float] = field(default_factory=dict)


def _merge(starts: IntArray, ends: IntArray) -> tuple[IntArray, IntArray]:
    """Union of intervals, sorted; touching intervals stay separate units."""
    if len(starts) == 0:
        return starts, ends
    order = np.lexsort((ends, starts))
    s, e = starts[order], ends[order]
    reach = np.maximum.accumulate(e)
    new = np.ones(len(s), dtype=bool)
    new[1:] = s[1:] >= reach[:-1]
    if new.all():
        return s, e
    group = np.cumsum(new) - 1
    out_e = np.zeros(int(group[-1]) + 1, dtype=np.int64)
    np.maximum.at(out_e, group, e)
    return s[new], out_e


def overlapping_pairs(
    a_starts: IntArray, a_ends: IntArray, b_starts: IntArray, b_ends: IntArray
) -> tuple[IntArray, IntArray]:
    """Index pairs ``(i, j)`` with ``a[i]`` and ``b[j]`` sharing a position.

    ``b`` must be sorted by start. Candidates for ``a[i]`` are the ``b`` starting before
    it ends and not ending (running maximum of ends) before it starts; that window is
    exact for non-overlapping ``b`` and a superset otherwise, so it is filtered after.
    """
    if len(a_starts) == 0 or len(b_starts) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    reach = np.maximum.accumulate(b_ends)
    lo = np.searchsorted(reach, a_starts, side="right")
    hi = np.searchsorted(b_starts, a_ends, side="left")
    lens = np.maximum(hi - lo, 0)
    total = int(lens.sum())
    ai = np.repeat(np.arange(len(a_starts), dtype=np.int64), lens)
    bj = np.repeat(lo, lens) + (
        np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(lens) - lens, lens)
    )
    keep = (b_starts[bj] < a_ends[ai]) & (a_starts[ai] < b_ends[bj])
    return ai[keep], bj[keep]


def _category_disagreement(
    units: Sequence[tuple[IntArray, IntArray]], begin: int, length: int
) -> tuple[float, float]:
    """``(D_o, D_e)`` of one category; ``units[r]`` = rater r's (starts, ends), merged."""
    n_raters = len(units)
    L = float(length)
    # observed: unordered rater pairs, doubled below
    observed = 0.0
    for r1 in range(n_raters):
        s1, e1 = units[r1]
        for r2 in range(r1 + 1, n_raters):
            s2, e2 = units[r2]
            i, j = overlapping_pairs(s1, e1, s2, e2)
            ds = (s1[i] - s2[j]).astype(np.float64)
            de = (e1[i] - e2[j]).astype(np.float64)
            observed += float((ds * ds + de * de).sum())
            # a unit that meets no unit of the other rater lies inside one of its gaps
            lone1 = np.ones(len(s1), dtype=bool)
            lone1[i] = False
            lone2 = np.ones(len(s2), dtype=bool)
            lone2[j] = False
            l1 = (e1 - s1)[lone1].astype(np.float64)
            l2 = (e2 - s2)[lone2].astype(np.float64)
            observed += float((l1 * l1).sum() + (l2 * l2).sum())
    d_o = 2.0 * observed / (n_raters * (n_raters - 1) * L * L)

    lengths = np.concatenate([e - s for s, e in units]).astype(np.float64)
    if len(lengths) == 0:
        return d_o, 0.0
    gap_parts = []
    for s, e in units:
        bounds_start = np.concatenate([[begin], e])
        bounds_end = np.concatenate([s, [begin + length]])
        g = bounds_end - bounds_start
        gap_parts.append(g[g > 0])
    gaps = np.sort(np.concatenate(gap_parts).astype(np.float64))
    suffix = np.concatenate([np.cumsum((gaps + 1.0)[::-1])[::-1], [0.0]])
    idx = np.searchsorted(gaps, lengths, side="left")  # gaps with length >= unit length
    count = len(gaps) - idx
    fits = suffix[idx] - lengths * count  # sum over those gaps of (gap - l + 1)
    n_c = len(lengths)
    within = (n_c - 1) * (2 * lengths**3 - 3 * lengths**2 + lengths) / 3.0
    total = float((within + lengths * lengths * fits).sum())
    rl = n_raters * L
    denominator = rl * (rl - 1) - float((lengths * (lengths - 1)).sum())
    d_e = total * 2.0 / L / denominator if denominator > 0 else 0.0
    return d_o, d_e


def unitizing_alpha(
    units: Sequence[tuple[Hashable, int, int, str]],
    *,
    begin: int,
    length: int,
    raters: Sequence[Hashable] | None = None,
    collapse_labels: bool = False,
) -> UnitizingAlpha:
    """Krippendorff's alpha_U of ``(rater, start, end, category)`` units.

    The continuum is ``[begin, begin + length)``.

    ``raters`` lists every rater, including any who marked nothing (they still count);
    by default the raters seen in ``units``. See the module notes for the exact variant.
    """
    rater_list = list(raters) if raters is not None else list(dict.fromkeys(u[0] for u in units))
    if len(rater_list) < 2:
        raise AgreementError.of("E610")
    if length <= 0:
        raise AgreementError.of("E611")
    rater_index = {r: i for i, r in enumerate(rater_list)}
    grouped: dict[str, list[list[tuple[int, int]]]] = {}
    for rater, start, end, label in units:
        if not begin <= start < end <= begin + length:
            raise AgreementError.of("E612", start=start, end=end, begin=begin, stop=begin + length)
        cat = "*" if collapse_labels else label
        per_rater = grouped.setdefault(cat, [[] for _ in rater_list])
        per_rater[rater_index[rater]].append((start, end))
    arrays: dict[str, list[tuple[IntArray, IntArray]]] = {}
    for cat, per_rater in grouped.items():
        merged = []
        for pairs in per_rater:
            a = np.array(pairs, dtype=np.int64).reshape(-1, 2)
            merged.append(_merge(a[:, 0], a[:, 1]))
        arrays[cat] = merged
    return unitizing_alpha_arrays(arrays, begin=begin, length=length)


def unitizing_alpha_arrays(
    units: dict[str, list[tuple[IntArray, IntArray]]], *, begin: int, length: int
) -> UnitizingAlpha:
    """alpha_U from ``{category: [(starts, ends) per rater]}``, each sorted and non-overlapping.

    The vectorised entry point for a corpus laid end to end; use :func:`merge_units` to
    prepare each rater's arrays.
    """
    result = UnitizingAlpha(alpha=math.nan, observed=0.0, expected=0.0)
    d_os: list[float] = []
    d_es: list[float] = []
    for cat in sorted(units):
        d_o, d_e = _category_disagreement(units[cat], begin, length)
        result.observed_by_category[cat] = d_o
        result.expected_by_category[cat] = d_e
        result.categories[cat] = 1.0 - d_o / d_e if d_e > 0 else math.nan
        if d_e > 0:
            d_os.append(d_o)
            d_es.append(d_e)
    if d_es:
        result.observed = sum(d_os) / len(d_os)
        result.expected = sum(d_es) / len(d_es)
        result.alpha = 1.0 - result.observed / result.expected
    return result


def merge_units(starts: IntArray, ends: IntArray) -> tuple[IntArray, IntArray]:
    """Sort one rater's units of one category and merge overlapping ones."""
    return _merge(np.asarray(starts, dtype=np.int64), np.asarray(ends, dtype=np.int64))


__all__ = [
    "UnitizingAlpha",
    "alpha_from_coincidence",
    "alpha_nominal_codes",
    "binary_coincidence",
    "coincidence_matrix",
    "krippendorff_alpha_nominal",
    "merge_units",
    "overlapping_pairs",
    "unitizing_alpha",
    "unitizing_alpha_arrays",
]
