"""Entities the annotator labelled one by one, found again in new documents.

A match is not a model's judgement: it carries no confidence, only how many of
the annotator's own labels it comes from (``Span.learned_from``).

Each (text, label) pair is looked up in a new document's text and kept
where it starts and ends on stored token boundaries, so matches are token-aligned
by construction. Plain string search over the stored tokens, no spaCy: opening an
article runs this on the UI thread, and only the NLP worker may call spaCy. The
lead merges these with pipeline suggestions; learned entities win on conflicts.
"""

from __future__ import annotations

import json
import threading
from bisect import bisect_left
from collections.abc import Iterable, Sequence

from annotator.core import Layer, Origin, Span, Token, TokenIndex


class LearnedEntities:
    """(text, label) pairs with how often each was confirmed, matched case-sensitively
    on whole tokens."""

    def __init__(self, pairs: Iterable[tuple[str, str]] = (), lang: str = "en") -> None:
        self.lang = lang
        self._pairs: dict[tuple[str, str], int] = {}  # (text, label) -> times accepted
        self._lock = threading.Lock()  # add/remove may race with find from a worker
        for text, label in pairs:
            self.add(text, label)

    def __len__(self) -> int:
        return len(self._pairs)

    def __contains__(self, pair: object) -> bool:
        return pair in self._pairs

    def pairs(self) -> list[tuple[str, str]]:
        return sorted(self._pairs)

    def count(self, text: str, label: str) -> int:
        """How many times this pair was confirmed (0: not learned)."""
        return self._pairs.get((text.strip(), label), 0)

    def add(self, text: str, label: str, times: int = 1) -> bool:
        """Count ``times`` more confirmations; True when the pair is new."""
        text = text.strip()
        if not text or not label or times < 1:
            return False
        with self._lock:
            before = self._pairs.get((text, label), 0)
            self._pairs[(text, label)] = before + times
            return before == 0

    def discount(self, text: str, label: str) -> bool:
        """One confirmation fewer (the label was deleted or undone); the pair is
        forgotten at zero. True when something changed."""
        pair = (text.strip(), label)
        with self._lock:
            n = self._pairs.get(pair, 0)
            if n <= 0:
                return False
            if n > 1:
                self._pairs[pair] = n - 1
            else:
                del self._pairs[pair]
            return True

    def remove(self, text: str, label: str) -> None:
        """Forget a pair entirely (e.g. after the annotator deleted it)."""
        with self._lock:
            self._pairs.pop((text.strip(), label), None)

    def to_json(self) -> str:
        with self._lock:
            rows = [[t, lab, n] for (t, lab), n in sorted(self._pairs.items())]
        return json.dumps(rows, ensure_ascii=False)

    @classmethod
    def from_json(cls, data: str, lang: str = "en") -> LearnedEntities:
        """Pairs saved by :meth:`to_json`; malformed entries are skipped, not fatal."""
        learned = cls(lang=lang)
        try:
            rows = json.loads(data)
        except ValueError:
            return learned
        for row in rows if isinstance(rows, list) else []:
            if (
                isinstance(row, list)
                and len(row) == 3
                and isinstance(row[0], str)
                and isinstance(row[1], str)
                and isinstance(row[2], int)
            ):
                learned.add(row[0], row[1], row[2])
        return learned

    def find(self, text: str, tokens: Sequence[Token]) -> list[Span]:
        """Non-overlapping matches (longest first, then leftmost) as ents spans, each
        with no confidence and ``learned_from`` = times its pair was confirmed."""
        with self._lock:
            counts = dict(self._pairs)
        if not counts or not tokens:
            return []
        # the columns as sorted sequences (a TokenArray's own arrays, no copy)
        index = TokenIndex(tokens)
        starts, ends = index.starts, index.ends
        n = len(starts)
        # (start token, end token exclusive) -> label accepted most often for that text
        best: dict[tuple[int, int], tuple[str, str]] = {}
        for surface, label in counts:
            at = text.find(surface)
            while at >= 0:
                first = bisect_left(starts, at)
                end = at + len(surface)
                last = bisect_left(ends, end)
                if first < n and starts[first] == at and last < n and ends[last] == end:
                    key = (first, last + 1)
                    old = best.get(key)
                    if old is None or counts[(surface, label)] > counts[old]:
                        best[key] = (surface, label)
                at = text.find(surface, at + 1)
        chosen: list[tuple[int, int, str, int]] = []
        taken: set[int] = set()
        for (first, stop), (surface, label) in sorted(
            best.items(), key=lambda kv: (kv[0][0] - kv[0][1], kv[0][0])
        ):
            if any(i in taken for i in range(first, stop)):
                continue
            taken.update(range(first, stop))
            chosen.append((first, stop, label, counts[(surface, label)]))
        chosen.sort()
        return [
            Span(
                tokens[first].start,
                tokens[stop - 1].end,
                label,
                Layer.ENTS,
                Origin.SUGGESTED,
                None,
                None,  # not a model's score: see learned_from
                learned_from=n,
            )
            for first, stop, label, n in chosen
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
