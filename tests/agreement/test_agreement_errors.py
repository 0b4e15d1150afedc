"""The agreement package's errors: their own codes, still the built-in types callers catch."""

from __future__ import annotations

import numpy as np
import pytest

from annotator.agreement import AgreementError
from annotator.agreement.kappa import FleissStats, fleiss_kappa, fleiss_kappa_from_labels
from annotator.agreement.report import agreement
from annotator.core.errors import ERRORS, AnnotatorError
from annotator.core.model import Annotation, Layer, Span, Token


def test_agreement_errors_are_annotator_and_value_errors() -> None:
    with pytest.raises(AgreementError) as info:
        agreement({"a": {}}, {}, {})
    err = info.value
    assert isinstance(err, AnnotatorError) and isinstance(err, ValueError)
    assert err.code == "E620"
    assert str(err) == "[E620] Agreement needs two or more annotators; got ['a']."
    assert ERRORS["E620"].owner == "annotator.agreement"


def test_agreement_errors_unknown_confusion_is_a_key_error() -> None:
    text, tokens = "Ann met Bob", [Token(0, 3), Token(4, 7), Token(8, 11)]
    anns = {name: {1: Annotation(1, name, [Span(0, 3, "PER", Layer.ENTS)])} for name in ("a", "b")}
    report = agreement(anns, {1: tokens}, {1: text}, layer="ents")
    with pytest.raises(KeyError, match="E621"):
        report.confusion("a", "c")
    with pytest.raises(AgreementError, match="'quotes'"):
        report.confusion("a", "b", "quotes")


def test_agreement_errors_one_fleiss_for_tables_labels_and_weighted_statistics() -> None:
    items = [["A", "A", "B"], ["B", "B", "B"], ["A", "B", "C"], ["C", "C", "A"]]
    table = [[sum(x == c for x in item) for c in "ABC"] for item in items]
    codes = np.array([["ABC".index(x) for x in item] for item in items], dtype=np.int64)
    from_stats = FleissStats.of_codes(codes, 3).kappa()
    assert fleiss_kappa(table) == pytest.approx(from_stats, abs=1e-12)
    assert fleiss_kappa_from_labels(items) == pytest.approx(from_stats, abs=1e-12)
    # a unit of weight 2 counts as two identical units; parts pool to the whole
    doubled = FleissStats.of_codes(codes[:1], 3, np.array([2.0]))
    assert doubled.kappa() == pytest.approx(
        FleissStats.of_codes(np.repeat(codes[:1], 2, axis=0), 3).kappa(), nan_ok=True
    )
    halves = [FleissStats.of_codes(codes[:2], 3), FleissStats.of_codes(codes[2:], 3)]
    assert FleissStats.pooled(halves).kappa() == pytest.approx(from_stats, abs=1e-12)
