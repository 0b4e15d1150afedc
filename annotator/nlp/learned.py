"""Entities the project has accepted, found again in new documents.

Each accepted (text, label) pair becomes a PhraseMatcher pattern over the
stored-token Doc, so matches are token-aligned by construction. The lead
merges these with pipeline suggestions; learned entities win on conflicts.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from annotator.core import Layer, Origin, Span, Token
from annotator.nlp.tokenize import blank_pipeline, doc_from_tokens

LEARNED_CONFIDENCE = 0.95  # the team accepted this exact text with this label before


class LearnedEntities:
    """A set of accepted (text, label) pairs, matched case-sensitively on token text."""

    def __init__(self, pairs: Iterable[tuple[str, str]] = (), lang: str = "en") -> None:
        self.lang = lang
        self._nlp = blank_pipeline(lang)
        self._pairs: dict[tuple[str, str], int] = {}  # (text, label) -> times accepted
        self._lock = threading.Lock()  # add/remove may race with find from a worker
        self._matcher: PhraseMatcher | None = None
        for text, label in pairs:
            self.add(text, label)

    def __len__(self) -> int:
        return len(self._pairs)

    def __contains__(self, pair: object) -> bool:
        return pair in self._pairs

    def pairs(self) -> list[tuple[str, str]]:
        return sorted(self._pairs)

    def add(self, text: str, label: str) -> None:
        text = text.strip()
        if not text or not label:
            return
        with self._lock:
            self._pairs[(text, label)] = self._pairs.get((text, label), 0) + 1
            self._matcher = None

    def remove(self, text: str, label: str) -> None:
        """Forget a pair entirely (e.g. after the annotator deleted it)."""
        with self._lock:
            if self._pairs.pop((text.strip(), label), None) is not None:
                self._matcher = None

    def _build(self) -> PhraseMatcher:
        matcher = PhraseMatcher(self._nlp.vocab, attr="ORTH")
        by_label: dict[str, list[Doc]] = {}
        for text, label in self._pairs:
            by_label.setdefault(label, []).append(self._nlp.make_doc(text))
        for label, docs in by_label.items():
            matcher.add(label, docs)
        return matcher

    def find(self, text: str, tokens: list[Token]) -> list[Span]:
        """Non-overlapping matches (longest first, then leftmost) as ents spans."""
        with self._lock:
            if not self._pairs:
                return []
            if self._matcher is None:
                self._matcher = self._build()
            matcher = self._matcher
            counts = dict(self._pairs)
        doc = doc_from_tokens(text, tokens, self.lang)
        if doc.text != text:
            return []  # the stored tokens do not cover the text: nothing is safe to offer
        found: list[tuple[int, int, str]] = []
        for match_id, start, end in matcher(doc):
            label = self._nlp.vocab.strings[match_id]
            found.append((start, end, label))
        # one label per range: the one accepted most often
        best: dict[tuple[int, int], str] = {}
        for start, end, label in found:
            surface = doc[start:end].text
            old = best.get((start, end))
            if old is None or counts.get((surface, label), 0) > counts.get((surface, old), 0):
                best[(start, end)] = label
        chosen: list[tuple[int, int, str]] = []
        taken: set[int] = set()
        for (start, end), label in sorted(best.items(), key=lambda kv: (kv[0][0] - kv[0][1],
                                                                          kv[0][0])):
            if any(i in taken for i in range(start, end)):
                continue
            taken.update(range(start, end))
            chosen.append((start, end, label))
        chosen.sort()
        return [
            Span(doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text), label, Layer.ENTS,
                 Origin.SUGGESTED, None, LEARNED_CONFIDENCE)
            for s, e, label in chosen
        ]


def merge_entities(base: list[Span], learned: list[Span]) -> list[Span]:
    """Pipeline entities plus learned ones, non-overlapping; learned wins conflicts.

    Quote-layer spans in ``base`` pass through untouched (they may overlap entities).
    """
    learned_ents = [s for s in learned if s.layer == Layer.ENTS]
    kept = [
        s for s in base
        if s.layer != Layer.ENTS or not any(s.overlaps(l_) for l_ in learned_ents)
    ]
    # learned spans among themselves are already non-overlapping when they come
    # from one find(); guard anyway so callers can pass any list
    merged_learned: list[Span] = []
    for span in sorted(learned_ents, key=lambda s: (s.start - s.end, s.start)):
        if not any(span.overlaps(o) for o in merged_learned):
            merged_learned.append(span)
    return sorted(kept + merged_learned, key=lambda s: (s.start, s.end, s.label))
