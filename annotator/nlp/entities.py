"""Entity suggestions: ``doc.ents`` mapped to the scheme and cleaned to the gold conventions."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection

from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from annotator.core import Layer, Origin, Span
from annotator.nlp.quotes_arrays import arrays_of
from annotator.nlp.rules import title_length

# spaCy's ``ner`` gives no per-entity score; a number would be invented. A span
# extension with one of these names (set by a custom component) is taken as a score.
SCORE_EXTENSIONS = ("confidence", "score")
_LEADING_DROP = frozenset({"the", "his", "her", "its", "their", "our", "my", "your"})
_POSSESSIVE = frozenset({"'s", "’s", "'", "’"})


def entity_spans(
    doc: Doc,
    *,
    scheme_labels: Collection[str] | None,
    dropped: Counter[str],
) -> list[Span]:
    """Non-overlapping entity spans in character offsets of ``doc.text``.

    Leading "the"/possessive determiners and a trailing possessive 's are cut
    (resources/guidelines.md, Entities); labels outside ``scheme_labels`` are counted in
    ``dropped`` instead of returned. ``confidence`` is the pipeline's own score
    for the entity (see :func:`entity_scores`), else ``None``: never made up.
    """
    return [
        Span(s, e, label, Layer.ENTS, Origin.SUGGESTED, None, score)
        for s, e, label, score in entity_rows(doc, scheme_labels=scheme_labels, dropped=dropped)
    ]


def entity_rows(
    doc: Doc,
    *,
    scheme_labels: Collection[str] | None,
    dropped: Counter[str],
) -> list[tuple[int, int, str, float | None]]:
    """:func:`entity_spans` as ``(start, end, label, score)`` tuples, without
    building ``Span`` objects (what the pipeline component sends back)."""
    scores = entity_scores(doc)
    arrays = arrays_of(doc)
    space, punct, texts = arrays.is_space, arrays.is_punct, arrays.texts
    out: list[tuple[int, int, str, float | None]] = []
    for ent_start, ent_end, label in arrays.ent_rows:
        if scheme_labels is not None and label not in scheme_labels:
            dropped[label] += 1
            continue
        start, end = ent_start, ent_end
        while start < end and (
            space[start] or punct[start] or doc[start].lower_ in _LEADING_DROP
        ):
            start += 1
        if label == "PERSON":
            # titles are not part of a PERSON span ("President Putin" -> "Putin")
            while start < end - 1 and (n := title_length(doc, start)) and start + n < end:
                start += n
        while end > start and (
            space[end - 1]
            or texts[end - 1] in _POSSESSIVE
            or (punct[end - 1] and texts[end - 1] not in (")", "%", "."))
        ):
            end -= 1
        if start >= end:
            continue
        score = scores.get((ent_start, ent_end, label))
        out.append((arrays.idx[start], arrays.ends[end - 1], label, score))
    return out


def entity_scores(doc: Doc) -> dict[tuple[int, int, str], float]:
    """Scores the pipeline really computed, by (token start, token end, label).

    Two sources: a ``spancat`` (or any component) that stores ``attrs["scores"]``
    on a ``doc.spans`` group, for the same tokens and label as an entity; and a
    ``Span`` extension named in :data:`SCORE_EXTENSIONS` set on the entity itself.
    The extension wins: it was set on this very entity.
    """
    found: dict[tuple[int, int, str], float] = {}
    for group in doc.spans.values():
        values = group.attrs.get("scores")
        if values is None:
            continue
        for span, value in zip(group, values, strict=False):
            score = _as_score(value)
            if score is not None:
                key = (span.start, span.end, span.label_)
                found[key] = max(score, found.get(key, 0.0))
    names = [n for n in SCORE_EXTENSIONS if SpacySpan.has_extension(n)]
    if names:
        for ent in arrays_of(doc).ents:
            for name in names:
                score = _as_score(getattr(ent._, name))
                if score is not None:
                    found[(ent.start, ent.end, ent.label_)] = score
                    break
    return found


def _as_score(value: object) -> float | None:
    """A probability in [0, 1], or ``None`` for anything else (unset, NaN, a logit)."""
    try:
        score = float(value)  # type: ignore[arg-type]  # numpy floats and arrays of one
    except (TypeError, ValueError):
        return None
    return score if 0.0 <= score <= 1.0 else None
