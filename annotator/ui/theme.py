"""Colours derived from the label scheme and the current (light or dark) palette.

Label colours come from colour-blind-safe palettes (Okabe–Ito, Tol). They are not
painted as they are: each is blended with the window's base colour so that the
text on top keeps the palette's own text colour and stays readable on light and
dark themes alike.
"""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache

from PySide6.QtGui import QColor, QPalette

from annotator.core import Origin, Span

# How much of the label colour shows through, by theme (dark?) and by state: a
# decided label is strong, a suggestion a light tint, a low-confidence one fainter still.
_ALPHA_ACCEPTED = {False: 0.50, True: 0.45}
_ALPHA_SUGGESTED = {False: 0.22, True: 0.24}
_ALPHA_LOW = {False: 0.10, True: 0.12}
FALLBACK_COLOUR = "#999999"
# Below this a suggestion is "low confidence": hidden unless L, and drawn fainter.
# The same threshold as the suggester's and the editor's; no confidence is not low.
LOW_CONFIDENCE = 0.5


class Mark(StrEnum):
    """How firmly a span is on the page: decides every stroke and tint of it."""

    DECIDED = "decided"  # accepted, edited or the annotator's own
    SUGGESTED = "suggested"
    LOW = "low"  # a suggestion with a confidence below LOW_CONFIDENCE


def mark_of(span: Span) -> Mark:
    if span.origin != Origin.SUGGESTED:
        return Mark.DECIDED
    if span.confidence is not None and span.confidence < LOW_CONFIDENCE:
        return Mark.LOW
    return Mark.SUGGESTED


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightnessF() < 0.5


@lru_cache(maxsize=512)
def _blend(colour: str, base: str, alpha: float) -> QColor:
    c, b = QColor(colour), QColor(base)
    return QColor.fromRgbF(
        c.redF() * alpha + b.redF() * (1 - alpha),
        c.greenF() * alpha + b.greenF() * (1 - alpha),
        c.blueF() * alpha + b.blueF() * (1 - alpha),
    )


def span_background(
    colour: str, palette: QPalette, *, suggested: bool, low: bool = False
) -> QColor:
    dark = is_dark(palette)
    table = _ALPHA_ACCEPTED if not suggested else _ALPHA_LOW if low else _ALPHA_SUGGESTED
    return QColor(_blend(colour, palette.color(QPalette.ColorRole.Base).name(), table[dark]))


def mark_background(colour: str, palette: QPalette, mark: Mark) -> QColor:
    return span_background(colour, palette, suggested=mark != Mark.DECIDED, low=mark == Mark.LOW)


def mark_colour(colour: str, palette: QPalette) -> QColor:
    """A label colour used for lines and outlines: lightened a little on dark themes."""
    c = QColor(colour)
    return c.lighter(130) if is_dark(palette) else c


def text_on(colour: QColor) -> QColor:
    """Black or white, whichever reads better on ``colour`` (WCAG relative luminance)."""

    def channel(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    lum = (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF())
    )
    return QColor("#000000") if lum > 0.179 else QColor("#ffffff")
