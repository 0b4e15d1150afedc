"""Kappa and alpha: hand-computed cases, published values, independent implementations."""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.agreement.alpha import (
    krippendorff_alpha_nominal,
    unitizing_alpha,
)
from annotator.agreement.kappa import (
    cohen_kappa,
    fleiss_kappa,
    fleiss_kappa_from_labels,
    token_labels,
)
from annotator.core.labels import default_layer
from annotator.core.model import Annotation, QuoteKind, Relation, RelationLabel, Span, Token

# Fleiss (1971), table 1: 30 patients, 6 psychiatrists, 5 diagnoses; kappa = 0.430.
FLEISS_1971 = [
    [4, 4, 4, 4, 4, 4], [2, 2, 2, 5, 5, 5], [2, 3, 3, 3, 3, 5], [5, 5, 5, 5, 5, 5],
    [2, 2, 2, 4, 4, 4], [1, 1, 3, 3, 3, 3], [3, 3, 3, 3, 5, 5], [1, 1, 3, 3, 3, 4],
    [1, 1, 4, 4, 4, 4], [5, 5, 5, 5, 5, 5], [1, 4, 4, 4, 4, 4], [1, 2, 4, 4, 4, 4],
    [2, 2, 2, 3, 3, 3], [1, 4, 4, 4, 4, 4], [2, 2, 4, 4, 4, 5], [3, 3, 3, 3, 3, 5],
    [1, 1, 1, 4, 5, 5], [1, 1, 1, 1, 1, 2], [2, 2, 4, 4, 4, 4], [1, 3, 3, 5, 5, 5],
    [5, 5, 5, 5, 5, 5], [2, 4, 4, 4, 4, 4], [2, 2, 4, 5, 5, 5], [1, 1, 4, 4, 4, 4],
    [1, 4, 4, 4, 4, 5], [2, 2, 2, 2, 2, 4], [1, 1, 1, 1, 5, 5], [2, 2, 4, 4, 4, 4],
    [1, 3, 3, 3, 3, 3], [5, 5, 5, 5, 5, 5],
]  # fmt: skip

# Wikipedia's Fleiss example: 10 items, 14 raters, 5 categories; kappa = 0.210.
FLEISS_WIKIPEDIA = [
    [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
]  # fmt: skip

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C:
# 4 observers x 12 units with missing values; nominal alpha = 0.743.
_K2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]
K2011_UNITS = [[None if v is None else str(v) for v in unit] for unit in zip(*_K2011, strict=True)]

# Krippendorff (2004), Content Analysis 2nd ed., p. 254: two observers on [150, 450).
K2004_UNITS = [
    (0, 225, 295, "c"), (0, 370, 400, "c"), (1, 220, 300, "c"), (1, 355, 375, "c"),
    (1, 400, 420, "c"), (0, 180, 240, "k"), (0, 300, 350, "k"), (1, 180, 240, "k"),
    (1, 300, 350, "k"),
]  # fmt: skip


def span(start: int, end: int, label: str, kind: str | None = None) -> Span:
    return Span(start, end, label, default_layer(label), kind=QuoteKind(kind) if kind else None)


def ann(spans: Iterable[Span], speakers: Iterable[tuple[Span, Span]] = ()) -> Annotation:
    rels = [Relation(q.key, s.key, RelationLabel.SPEAKER) for q, s in speakers]
    return Annotation(1, "x", spans=list(spans), relations=rels)


# ----------------------------------------------------------------- published values


def test_kappa_cohen_published_example() -> None:
    # 50 grant proposals, two readers: yes/yes 20, yes/no 5, no/yes 10, no/no 15;
    # p_o = 0.7, p_e = 0.5, kappa = 0.4 (Wikipedia, "Cohen's kappa", simple example)
    a = ["yes"] * 25 + ["no"] * 25
    b = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    assert cohen_kappa(a, b) == pytest.approx(0.4)


def test_kappa_fleiss_1971_published_value() -> None:
    items = [[str(v) for v in row] for row in FLEISS_1971]
    assert fleiss_kappa_from_labels(items) == pytest.approx(0.430, abs=5e-4)


def test_kappa_fleiss_table_published_value() -> None:
    assert fleiss_kappa(FLEISS_WIKIPEDIA) == pytest.approx(0.210, abs=5e-4)


def test_alpha_nominal_krippendorff_2011_missing_data() -> None:
    assert krippendorff_alpha_nominal(K2011_UNITS) == pytest.approx(0.743, abs=5e-4)


def test_alpha_unitizing_krippendorff_2004_example() -> None:
    result = unitizing_alpha(K2004_UNITS, begin=150, length=300)
    assert result.observed_by_category["c"] == pytest.approx(0.0144, abs=1e-4)
    assert result.expected_by_category["c"] == pytest.approx(0.0532, abs=1e-4)
    assert result.categories["c"] == pytest.approx(0.7286, abs=1e-4)
    assert result.observed_by_category["k"] == 0.0
    assert result.expected_by_category["k"] == pytest.approx(0.0490, abs=1e-4)
    assert result.categories["k"] == 1.0
    assert result.alpha == pytest.approx(0.8591, abs=5e-4)  # DKPro's figure and tolerance


# ----------------------------------------------------------------- hand-computed cases


def test_kappa_cohen_perfect_total_and_chance() -> None:
    assert cohen_kappa(["A", "B", "A", "O"], ["A", "B", "A", "O"]) == 1.0
    # total disagreement with balanced marginals: p_o = 0, p_e = 0.5 -> -1
    assert cohen_kappa(["A", "B"], ["B", "A"]) == pytest.approx(-1.0)
    # independent raters: p_o = p_e = 0.5 -> 0
    assert cohen_kappa(["A", "A", "B", "B"], ["A", "B", "A", "B"]) == pytest.approx(0.0)


def test_kappa_cohen_undefined_is_nan() -> None:
    assert math.isnan(cohen_kappa(["O", "O"], ["O", "O"]))


def test_kappa_cohen_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="E602"):
        cohen_kappa(["A"], ["A", "B"])
    with pytest.raises(ValueError, match="E603"):
        cohen_kappa([], [])


def test_kappa_fleiss_rejects_unequal_rater_counts() -> None:
    with pytest.raises(ValueError, match="E605"):
        fleiss_kappa([[2, 1], [1, 1]])


def test_kappa_fleiss_perfect_and_total_disagreement() -> None:
    assert fleiss_kappa([[3, 0], [0, 3], [3, 0]]) == 1.0
    # two raters always split: P_bar = 0, P_e = 0.5 -> -1
    assert fleiss_kappa([[1, 1], [1, 1]]) == pytest.approx(-1.0)


def test_alpha_nominal_perfect_missing_and_undefined() -> None:
    assert krippendorff_alpha_nominal([["a", "a", None], ["b", None, "b"], ["a", "a"]]) == 1.0
    # a unit with a single value is not pairable and does not count
    assert krippendorff_alpha_nominal([["a", "a"], ["b", "b"], ["c", None]]) == 1.0
    assert math.isnan(krippendorff_alpha_nominal([["a", "a"], ["a", "a"]]))
    assert math.isnan(krippendorff_alpha_nominal([["a", None], [None, "b"]]))


def test_alpha_nominal_total_disagreement_hand_computed() -> None:
    # o_ab = o_ba = 2, n = 4, n_a = n_b = 2: alpha = 1 - 3 * 4 / 8 = -0.5
    assert krippendorff_alpha_nominal([["a", "b"], ["b", "a"]]) == pytest.approx(-0.5)


def test_alpha_unitizing_perfect_and_disjoint() -> None:
    same = [(r, 10, 20, "X") for r in "ab"] + [(r, 40, 45, "X") for r in "ab"]
    assert unitizing_alpha(same, begin=0, length=100).alpha == 1.0
    disjoint = [("a", 10, 20, "X"), ("b", 50, 60, "X")]
    assert unitizing_alpha(disjoint, begin=0, length=100).alpha < 0


def test_alpha_unitizing_silent_rater_and_unused_category() -> None:
    units = [("a", 10, 20, "X")]
    result = unitizing_alpha(units, begin=0, length=100, raters=["a", "b"])
    assert result.alpha < 0  # b saw nothing where a saw a unit
    assert unitizing_alpha([], begin=0, length=10, raters=["a", "b"]).alpha != 1.0
    with pytest.raises(ValueError, match="E610"):
        unitizing_alpha(units, begin=0, length=100)
    with pytest.raises(ValueError, match="E612"):
        unitizing_alpha([("a", 90, 120, "X"), ("b", 1, 2, "X")], begin=0, length=100)


def test_alpha_unitizing_collapse_labels_ignores_categories() -> None:
    units = [("a", 10, 20, "PER"), ("b", 10, 20, "ORG")]
    by_label = unitizing_alpha(units, begin=0, length=100)
    blind = unitizing_alpha(units, begin=0, length=100, collapse_labels=True)
    assert by_label.alpha < 0 and blind.alpha == 1.0


def test_alpha_unitizing_merges_nested_units_of_one_rater() -> None:
    nested = [("a", 10, 30, "QUOTE"), ("a", 12, 20, "QUOTE"), ("b", 10, 30, "QUOTE")]
    assert unitizing_alpha(nested, begin=0, length=50).alpha == 1.0


def test_kappa_token_labels_priority_in_quotes_layer() -> None:
    tokens = [Token(i * 5, i * 5 + 4, True) for i in range(6)]
    q = span(0, 29, "QUOTE")
    a = ann([q, span(10, 14, "SPEAKER"), span(15, 19, "CUE"), span(0, 4, "PER")])
    assert token_labels(a, tokens, "quotes") == [
        "QUOTE",
        "QUOTE",
        "SPEAKER",
        "CUE",
        "QUOTE",
        "QUOTE",
    ]
    assert token_labels(a, tokens, "ents") == ["PER", "O", "O", "O", "O", "O"]


# ----------------------------------------------------------------- independent implementations


def _label_lists(n_raters: int, min_items: int = 1) -> st.SearchStrategy[list[list[str]]]:
    item = st.lists(st.sampled_from("ABCO"), min_size=n_raters, max_size=n_raters)
    return st.lists(item, min_size=min_items, max_size=60)


@pytest.mark.filterwarnings("ignore::RuntimeWarning", "ignore::UserWarning")
@settings(max_examples=150, deadline=None)
@given(_label_lists(2))
def test_kappa_cohen_matches_sklearn(items: list[list[str]]) -> None:
    sklearn_metrics = pytest.importorskip("sklearn.metrics")
    a = [x[0] for x in items]
    b = [x[1] for x in items]
    ours = cohen_kappa(a, b)
    with np.errstate(all="ignore"):
        theirs = sklearn_metrics.cohen_kappa_score(a, b)
    if math.isnan(theirs):
        assert math.isnan(ours)
    else:
        assert ours == pytest.approx(theirs, abs=1e-9)


@pytest.mark.filterwarnings("ignore::RuntimeWarning", "ignore::UserWarning")
@settings(max_examples=150, deadline=None)
@given(st.integers(2, 5).flatmap(_label_lists))
def test_kappa_fleiss_matches_statsmodels(items: list[list[str]]) -> None:
    inter_rater = pytest.importorskip("statsmodels.stats.inter_rater")
    table, _ = inter_rater.aggregate_raters(np.array(items))
    with np.errstate(all="ignore"):
        theirs = inter_rater.fleiss_kappa(table, method="fleiss")
    ours = fleiss_kappa_from_labels(items)
    assert fleiss_kappa(table) == pytest.approx(ours, abs=1e-9, nan_ok=True)
    if math.isnan(theirs):
        assert math.isnan(ours)
    else:
        assert ours == pytest.approx(theirs, abs=1e-9)


_maybe_label = st.one_of(st.none(), st.sampled_from("ABCD"))


@pytest.mark.filterwarnings("ignore::RuntimeWarning", "ignore::UserWarning")
@settings(max_examples=150, deadline=None)
@given(
    st.integers(2, 4).flatmap(
        lambda n: st.lists(st.lists(_maybe_label, min_size=n, max_size=n), min_size=1, max_size=40)
    )
)
def test_alpha_nominal_matches_krippendorff_package(units: list[list[str | None]]) -> None:
    krippendorff = pytest.importorskip("krippendorff")
    ours = krippendorff_alpha_nominal(units)
    codes = {"A": 1.0, "B": 2.0, "C": 3.0, "D": 4.0}
    data = np.array([[np.nan if v is None else codes[v] for v in unit] for unit in units]).T
    try:
        theirs = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    except (ValueError, ZeroDivisionError):
        theirs = math.nan  # the package raises where alpha is undefined
    if math.isnan(theirs) or math.isnan(ours):
        # it returns nan/raises on no pairable values and on a single value domain
        assert math.isnan(ours) or math.isnan(theirs)
    else:
        assert ours == pytest.approx(theirs, abs=1e-9)


# ----------------------------------------------------------------- alpha_U vs. a literal port


def _sections(units: list[tuple[int, int]], begin: int, end: int) -> list[tuple[int, int, bool]]:
    out, pos = [], begin
    for s, e in sorted(units):
        if s > pos:
            out.append((pos, s, False))
        out.append((s, e, True))
        pos = e
    if pos < end:
        out.append((pos, end, False))
    return out


def _delta(g: tuple[int, int, bool], h: tuple[int, int, bool]) -> float:
    (gb, ge, gu), (hb, he, hu) = g, h
    if gu and hu:
        return (gb - hb) ** 2 + (ge - he) ** 2
    if gu and hb <= gb and ge <= he:
        return (ge - gb) ** 2
    if hu and gb <= hb and he <= ge:
        return (he - hb) ** 2
    return 0.0


def _reference_category(raters: list[list[tuple[int, int]]], begin: int, length: int) -> float:
    """Krippendorff (2004, pp. 252-253) written out section by section, O(n^2)."""
    R, L = len(raters), length
    secs = [_sections(u, begin, begin + L) for u in raters]
    observed = 0.0
    for i in range(R):
        for j in range(R):
            if i != j:
                for g in secs[i]:
                    for h in secs[j]:
                        if g[0] < h[1] and h[0] < g[1]:
                            observed += _delta(g, h)
    d_o = observed / (R * (R - 1) * L * L)
    lengths = [e - s for u in raters for s, e in u]
    gaps = [e - s for sec in secs for s, e, is_unit in sec if not is_unit]
    n_c = len(lengths)
    total = 0.0
    for lg in lengths:
        total += (n_c - 1) * (2 * lg**3 - 3 * lg**2 + lg) / 3
        total += lg * lg * sum(h - lg + 1 for h in gaps if h >= lg)
    d_e = 2 / L * total / (R * L * (R * L - 1) - sum(lg * (lg - 1) for lg in lengths))
    return 1 - d_o / d_e


@st.composite
def _unitizations(draw: st.DrawFn) -> tuple[int, list[list[tuple[int, int]]]]:
    length = draw(st.integers(10, 80))
    n_raters = draw(st.integers(2, 4))
    raters = []
    for _ in range(n_raters):
        cuts = sorted(set(draw(st.lists(st.integers(0, length), max_size=8))))
        # alternate cut points into non-overlapping units
        raters.append([(cuts[k], cuts[k + 1]) for k in range(0, len(cuts) - 1, 2)])
    return length, raters


@settings(max_examples=200, deadline=None)
@given(_unitizations())
def test_alpha_unitizing_matches_section_by_section_reference(
    data: tuple[int, list[list[tuple[int, int]]]],
) -> None:
    length, raters = data
    shifted = [[(s + 5, e + 5) for s, e in spans] for spans in raters]
    units = [(r, s, e, "X") for r, spans in enumerate(shifted) for s, e in spans]
    if not units:
        return
    ours = unitizing_alpha(units, begin=5, length=length, raters=range(len(raters)))
    assert ours.categories["X"] == pytest.approx(_reference_category(shifted, 5, length), abs=1e-9)
