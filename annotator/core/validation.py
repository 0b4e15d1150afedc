"""Rules every saved annotation keeps, and the rules for what may be stored at all.

The storage rules (label, name and text checks) are the same on every backend: SQLite
stores any string, PostgreSQL refuses NUL in TEXT and strings longer than a VARCHAR's
length, and IOB cannot write a label with a space. Checking here, before any database
sees the value, makes a project that works on SQLite copy to PostgreSQL, and every file
we export read back in.
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from annotator.core.errors import ValidationError
from annotator.core.model import Annotation, Layer, Span, Token
from annotator.core.tokens import TokenIndex, token_index_range

# The lengths of the storage columns (annotator/storage/models.py; a test holds them
# equal): spans.label and rejections.label, documents.external_id, annotators.name.
MAX_LABEL_LENGTH = 100
MAX_EXTERNAL_ID_LENGTH = 500
MAX_NAME_LENGTH = 200


def _shown(value: str, limit: int = 40) -> str:
    return repr(value if len(value) <= limit else value[:limit] + "…")


def _bad_character(value: str) -> str | None:
    """The first character no stored string may hold: C0/C1 controls (NUL among them)
    and UTF-16 surrogates (not Unicode text; no encoder writes them)."""
    for ch in value:
        if unicodedata.category(ch) in ("Cc", "Cs"):
            return ch
    return None


@lru_cache(maxsize=4096)  # a handful of labels, checked for every span saved
def label_problem(label: object) -> str | None:
    """Why ``label`` cannot be a span label, or None when it can.

    A label is 1 to ``MAX_LABEL_LENGTH`` characters with no whitespace (IOB separates
    columns by whitespace, so ``B-MY LABEL`` would not read back) and no control
    character."""
    if not isinstance(label, str):
        return f"a label must be a string, got {type(label).__name__}"
    if not label:
        return "a span needs a label"
    if len(label) > MAX_LABEL_LENGTH:
        return (
            f"label {_shown(label)} is {len(label)} characters long; "
            f"the limit is {MAX_LABEL_LENGTH}"
        )
    bad = _bad_character(label)
    if bad is not None:
        return f"label {_shown(label)} contains the control character U+{ord(bad):04X}"
    if any(ch.isspace() for ch in label):
        return (
            f"label {_shown(label)} contains whitespace; use _ or - instead "
            "(IOB and most training formats split on whitespace)"
        )
    return None


def validate_label(label: str) -> None:
    problem = label_problem(label)
    if problem is not None:
        raise ValidationError(problem[0].upper() + problem[1:] + ".", code="E116")


def name_problem(value: str, what: str, max_length: int = MAX_NAME_LENGTH) -> str | None:
    """Why ``value`` cannot be stored as an annotator name or external id (``what``)."""
    if len(value) > max_length:
        return f"{what} {_shown(value)} is {len(value)} characters long; the limit is {max_length}"
    bad = _bad_character(value)
    if bad is not None:
        return f"{what} {_shown(value)} contains the control character U+{ord(bad):04X}"
    if value and not value.strip():
        return f"{what} is only whitespace"
    return None


def text_problem(text: str) -> str | None:
    """Why ``text`` cannot be a document's text: NUL (PostgreSQL's TEXT refuses it and C
    tools stop at it) or a lone surrogate (not Unicode)."""
    nul = text.find("\x00")
    if nul >= 0:
        return f"the text contains a NUL character (U+0000) at offset {nul}"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        code = ord(text[exc.start])
        return f"the text contains a lone surrogate (U+{code:04X}) at offset {exc.start}"
    return None


def validate_span(
    span: Span, text: str, tokens: Sequence[Token] | TokenIndex | None = None
) -> None:
    if not 0 <= span.start < span.end <= len(text):
        raise ValidationError(
            f"Span {span.start}-{span.end} ({span.label}) is empty or outside the text "
            f"(length {len(text)}).",
            code="E110",
        )
    if not span.label:
        raise ValidationError("A span needs a label.", code="E111")
    validate_label(span.label)
    if tokens is not None and token_index_range(tokens, span.start, span.end) is None:
        raise ValidationError(
            f"Span {span.start}-{span.end} ({span.label}) {text[span.start : span.end]!r} "
            "does not start and end on token boundaries.",
            code="E112",
        )


def overlapping_entity(spans: Sequence[Span], candidate: Span) -> Span | None:
    """The ``ents`` span that ``candidate`` would overlap, if any."""
    if candidate.layer != Layer.ENTS:
        return None
    for span in spans:
        if span.layer == Layer.ENTS and span.key != candidate.key and span.overlaps(candidate):
            return span
    return None


def validate_annotation(
    annotation: Annotation, text: str, tokens: Sequence[Token] | TokenIndex | None = None
) -> None:
    index = (
        None if tokens is None else tokens if isinstance(tokens, TokenIndex) else TokenIndex(tokens)
    )
    keys = set()
    for span in annotation.spans:
        validate_span(span, text, index)
        if span.key in keys:
            raise ValidationError(f"Duplicate span {tuple(span.key)}.", code="E113")
        keys.add(span.key)
    ents = sorted((s for s in annotation.spans if s.layer == Layer.ENTS), key=lambda s: s.start)
    for a, b in itertools.pairwise(ents):
        if b.start < a.end:
            raise ValidationError(
                f"Entities overlap: {text[a.start : a.end]!r} ({a.label}) and "
                f"{text[b.start : b.end]!r} ({b.label}).",
                code="E114",
            )
    for rel in annotation.relations:
        if rel.head not in keys or rel.child not in keys:
            raise ValidationError(
                f"Relation {rel.label} points at a span that is not in this annotation.",
                code="E115",
            )
