"""The display threshold a project setting means."""

from __future__ import annotations

from annotator.core import Layer, Origin, Span
from annotator.core.seen import DISPLAY_THRESHOLD, parse_threshold, shown_by_default


def test_a_stored_threshold_is_read_and_a_bad_one_falls_back() -> None:
    assert parse_threshold(None) == DISPLAY_THRESHOLD == 0.5
    assert parse_threshold("0.70") == 0.7
    assert parse_threshold("0") == 0.0
    for bad in ("", "high", "1.5", "-0.1", "nan"):
        assert parse_threshold(bad) == DISPLAY_THRESHOLD


def test_the_threshold_decides_what_is_shown() -> None:
    span = Span(0, 4, "GPE", Layer.ENTS, Origin.SUGGESTED, None, 0.6)
    assert shown_by_default(span, parse_threshold("0.5"))
    assert not shown_by_default(span, parse_threshold("0.7"))
