"""Entity suggestions: ``doc.ents`` mapped to the scheme and cleaned to the gold conventions."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection

from spacy.tokens import Doc

from annotator.core import Layer, Origin, Span
from annotator.nlp.rules import title_length

ENTITY_CONFIDENCE = 0.8  # statistical NER gives no per-span score; shown by default
_LEADING_DROP = frozenset({"the", "his", "her", "its", "their", "our", "my", "your"})
_POSSESSIVE = frozenset({"'s", "’s", "'", "’"})


def entity_spans(
    doc: Doc,
    *,
    scheme_labels: Collection[str] | None,
    dropped: Counter[str],
    confidence: float = ENTITY_CONFIDENCE,
) -> list[Span]:
    """Non-overlapping entity spans in character offsets of ``doc.text``.

    Leading "the"/possessive determiners and a trailing possessive 's are cut
    (gold guidelines A.1–2); labels outside ``scheme_labels`` are counted in
    ``dropped`` instead of returned.
    """
    out: list[Span] = []
    for ent in doc.ents:
        label = ent.label_
        if scheme_labels is not None and label not in scheme_labels:
            dropped[label] += 1
            continue
        start, end = ent.start, ent.end
        while start < end and (
            doc[start].is_space or doc[start].is_punct or doc[start].lower_ in _LEADING_DROP
        ):
            start += 1
        if label == "PERSON":
            # titles are not part of a PERSON span ("President Putin" -> "Putin")
            while start < end - 1 and (n := title_length(doc, start)) and start + n < end:
                start += n
        while end > start and (
            doc[end - 1].is_space
            or doc[end - 1].text in _POSSESSIVE
            or (doc[end - 1].is_punct and doc[end - 1].text not in (")", "%", "."))
        ):
            end -= 1
        if start >= end:
            continue
        s = doc[start].idx
        e = doc[end - 1].idx + len(doc[end - 1].text)
        out.append(Span(s, e, label, Layer.ENTS, Origin.SUGGESTED, None, confidence))
    return out
