"""Cutting a long text into pieces the pipeline can take.

spaCy refuses texts over ``nlp.max_length`` (E088) and its parser and NER need
about 2–3 GB of temporary memory per million characters in one batch, so a
20 MB article in one Doc cannot work. The suggester runs such a text as pieces
of at most :data:`PIECE_CHARS` characters, each a run of whole stored tokens,
and shifts what it finds in a piece by the piece's offset. Pieces tile the
text: every character belongs to exactly one piece, the whitespace after a
cut to the piece before it.

Where a piece ends, in order of preference, within the second half of its
allowed length (so pieces do not get tiny):

1. at a paragraph break (a newline) outside quotation marks;
2. after a sentence-like end (". ", "! ", "? ", "… ") outside quotation marks;
3. at any token boundary outside quotation marks;
4. the same three inside quotation marks, when a quotation runs over the whole
   window; such a cut is marked ``quoted`` and the suggester drops the quotes
   that touch it (each half would be a truncated quote).

No span can cross a cut: each is found inside one piece. What a cut loses is
context across it (a pronoun whose referent is in the piece before, a
floating quote whose speaker is there): those are left unattributed.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from annotator.core import Token, TokenArray
from annotator.nlp.quotes_marks import find_quote_segments

# 10,000 characters are about 2,000 tokens: four ordinary news articles, and a
# batch of 64 such pieces peaks near 2 GB with en_core_web_sm (measured).
PIECE_CHARS = 10_000
_SENTENCE_ENDS = frozenset({".", "!", "?", "…", "...", "?!", "!?"})


@dataclass(frozen=True, slots=True)
class Piece:
    """Characters ``start:end`` of the text and its tokens ``first:stop``."""

    start: int
    end: int
    first: int
    stop: int
    quoted_start: bool = False  # the cut before this piece falls inside a quotation
    quoted_end: bool = False  # the cut after it does

    def tokens(self, tokens: Sequence[Token]) -> Sequence[Token]:
        """This piece's tokens in offsets of the piece's own text."""
        off = self.start
        if isinstance(tokens, TokenArray):
            return tokens[self.first : self.stop].shifted(-off)
        return [Token(t.start - off, t.end - off, t.ws) for t in tokens[self.first : self.stop]]


def cut_pieces(text: str, tokens: Sequence[Token], max_chars: int = PIECE_CHARS) -> list[Piece]:
    """The pieces of ``text``; one piece when it is not longer than ``max_chars``.

    A piece is longer than ``max_chars`` only when one token is (no cut can fall
    inside a stored token)."""
    n = len(text)
    if n <= max_chars or len(tokens) < 2:
        return [Piece(0, n, 0, len(tokens))]
    starts = tokens.starts if isinstance(tokens, TokenArray) else [t.start for t in tokens]
    quoted = _Quotations(text)
    pieces: list[Piece] = []
    pos, first, quoted_before = 0, 0, False
    while n - pos > max_chars and first < len(tokens) - 1:
        limit = pos + max_chars
        # a cut goes before token k (k > first): the piece is [pos, starts[k])
        hi = bisect_right(starts, limit) - 1
        lo = max(first + 1, bisect_left(starts, pos + max_chars // 2))
        if hi < first + 1:
            hi = lo = first + 1  # one token longer than the window: cut right after it
        lo = min(lo, hi)
        k, inside = _best_cut(text, tokens, quoted, lo, hi)
        pieces.append(Piece(pos, starts[k], first, k, quoted_before, inside))
        pos, first, quoted_before = starts[k], k, inside
    pieces.append(Piece(pos, n, first, len(tokens), quoted_before, False))
    return pieces


def _best_cut(
    text: str, tokens: Sequence[Token], quoted: _Quotations, lo: int, hi: int
) -> tuple[int, bool]:
    """The token index to cut before, in ``lo..hi``, and whether the cut is quoted."""

    def inside(k: int) -> bool:
        return quoted.inside(tokens[k].start)

    def paragraph(k: int) -> bool:
        return "\n" in text[tokens[k - 1].start : tokens[k].start]

    def sentence(k: int) -> bool:
        prev = tokens[k - 1]
        return text[prev.start : prev.end] in _SENTENCE_ENDS and tokens[k].start > prev.end

    def any_boundary(k: int) -> bool:
        return True

    candidates = range(hi, lo - 1, -1)
    for outside in (True, False):
        for kind in (paragraph, sentence, any_boundary):
            for k in candidates:
                if kind(k) and inside(k) != outside:
                    return k, not outside
    return hi, False  # not reached: any_boundary accepts every k


class _Quotations:
    """Character ranges of the text's quotations (a quote over several paragraphs is
    one range), found once for the whole text: the same pairing the quote rules use."""

    def __init__(self, text: str) -> None:
        groups: dict[int, tuple[int, int]] = {}
        for seg in find_quote_segments(text):
            s, e = groups.get(seg.group, (seg.start, seg.end))
            groups[seg.group] = (min(s, seg.start), max(e, seg.end))
        ranges = sorted(groups.values())
        self.starts = [s for s, _ in ranges]
        self.ends = [e for _, e in ranges]

    def inside(self, c: int) -> bool:
        i = bisect_left(self.starts, c) - 1  # the last quotation starting before c
        return i >= 0 and self.ends[i] > c
