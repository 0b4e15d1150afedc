"""HTML/SVG/CSV output of the agreement report (matplotlib only; no Qt)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from annotator.agreement.report import AgreementReport, agreement
from annotator.core.labels import default_layer
from annotator.core.model import Annotation, QuoteKind, Span, Token

pytest.importorskip("matplotlib")

from matplotlib.figure import Figure

from annotator.agreement.report_html import (
    figure_confusion,
    figure_label_f1,
    figure_per_document,
    write_report,
)

TEXT = "Alice met <Bob> & Carol in Paris ."
TOKENS = [Token(0, 5), Token(6, 9), Token(10, 15), Token(16, 17), Token(18, 23), Token(24, 26),
          Token(27, 32), Token(33, 34)]  # fmt: skip


def sp(start: int, end: int, label: str) -> Span:
    kind = QuoteKind.DIRECT if label == "QUOTE" else None
    return Span(start, end, label, default_layer(label), kind=kind)


def make_report() -> AgreementReport:
    a = Annotation(1, "ann/1", [sp(0, 5, "PER"), sp(10, 15, "PER"), sp(27, 32, "GPE")])
    b = Annotation(1, "b", [sp(0, 5, "PER"), sp(10, 15, "ORG"), sp(6, 26, "QUOTE")])
    c = Annotation(1, "c", [sp(0, 5, "PER"), sp(27, 32, "LOC")])
    return agreement({"ann/1": {1: a}, "b": {1: b}, "c": {1: c}}, {1: TOKENS}, {1: TEXT})


def test_report_html_figures_are_plain_figures() -> None:
    report = make_report()
    for fig in (
        figure_label_f1(report),
        figure_confusion(report, "ann/1", "b"),
        figure_confusion(report, "b", "c", "ents"),
        figure_per_document(report),
    ):
        assert isinstance(fig, Figure)
        assert fig.axes


def test_report_html_writes_index_charts_and_csv(tmp_path: Path) -> None:
    report = make_report()
    index = write_report(report, tmp_path / "out")
    out = tmp_path / "out"
    assert index == out / "index.html"
    page = index.read_text(encoding="utf-8")
    assert "&lt;Bob&gt;" in page  # document text is escaped
    for name in ("label_f1.svg", "per_document.svg", "confusion_ann_1_b.svg"):
        assert (out / name).read_text(encoding="utf-8").lstrip().startswith("<?xml")
        assert name in page
    for name in ("overall", "layers", "pairs", "labels", "per_document", "speakers", "kinds",
                 "disagreements"):  # fmt: skip
        rows = list(csv.reader((out / f"{name}.csv").open(encoding="utf-8")))
        assert rows and rows[0], name
        assert f"{name}.csv" in page
    pairs = list(csv.DictReader((out / "pairs.csv").open(encoding="utf-8")))
    assert {(p["a"], p["b"]) for p in pairs} == {("ann/1", "b"), ("ann/1", "c"), ("b", "c")}


def test_report_html_svg_is_reproducible(tmp_path: Path) -> None:
    report = make_report()
    write_report(report, tmp_path / "one")
    write_report(report, tmp_path / "two")
    one = (tmp_path / "one" / "label_f1.svg").read_bytes()
    assert one == (tmp_path / "two" / "label_f1.svg").read_bytes()
