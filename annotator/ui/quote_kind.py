"""The kind a new QUOTE starts with, guessed from its quotation marks (K changes it)."""

from __future__ import annotations

from annotator.core import QuoteKind

_OPENING_MARKS = "\"“„«»‘‚'"
_CLOSING_MARKS = "\"”“»«’'"


def guess_kind(text: str) -> QuoteKind:
    """direct when the span is one quoted segment, mixed when it holds a quoted fragment."""
    stripped = text.strip()
    trimmed = stripped.rstrip(".,;:!?")
    if (
        len(stripped) >= 2
        and stripped[0] in _OPENING_MARKS
        and (stripped[-1] in _CLOSING_MARKS or trimmed[-1:] in _CLOSING_MARKS)
    ):
        return QuoteKind.DIRECT
    if any(mark in stripped for mark in '“”"«»„'):
        return QuoteKind.MIXED
    return QuoteKind.INDIRECT
