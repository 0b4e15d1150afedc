"""Token storage and snapping of character ranges to token boundaries.

Tokens are stored with each document so that a later tokenizer upgrade cannot
shift saved spans. The encoding is a run of unsigned LEB128 varints: for each
token the gap since the previous token's end and the token's length. Whitespace
after a token (spaCy's ``whitespace_``) is a gap of exactly one space before the
next token; it is recomputed from the text on decoding.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from itertools import accumulate, chain, repeat
from operator import and_, eq, sub
from typing import Protocol

from annotator.core.errors import ValidationError
from annotator.core.model import Token
from annotator.core.token_array import TokenArray, offsets_array

_ENCODING_VERSION = 1
_SMALL = 2**31 - 1  # the largest offset an array('i') holds


def _put_varint(out: bytearray, value: int) -> None:
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)


def encode_tokens(tokens: Iterable[Token]) -> bytes:
    toks = tokens if isinstance(tokens, Sequence) else list(tokens)
    if toks:
        # The usual case, every gap and length one byte (under 128), in C-level passes
        # (an import encodes a million tokens); anything else takes the loop, which
        # also says what is wrong with tokens out of order. A TokenArray's columns
        # are read as they are: no tuple per token.
        starts: Sequence[int]
        ends: Sequence[int]
        if isinstance(toks, TokenArray):
            starts, ends = toks.starts, toks.ends
        else:
            starts, ends, _ = zip(*toks, strict=True)
        try:
            gaps = bytes(map(sub, starts, chain((0,), ends)))
            lengths = bytes(map(sub, ends, starts))
        except ValueError:  # a value under 0 or over 255
            return _encode_varints(toks)
        if max(gaps) < 0x80 and max(lengths) < 0x80 and 0 not in lengths:
            out = bytearray(1 + 2 * len(toks))
            out[0] = _ENCODING_VERSION
            out[1::2] = gaps
            out[2::2] = lengths
            return bytes(out)
    return _encode_varints(toks)


def _encode_varints(tokens: Iterable[Token]) -> bytes:
    out = bytearray([_ENCODING_VERSION])
    prev_end = 0
    for tok in tokens:
        if tok.start < prev_end or tok.end <= tok.start:
            raise ValidationError(
                f"Tokens must be non-empty and in order; got {tok.start}-{tok.end} "
                f"after {prev_end}.",
                code="E101",
            )
        _put_varint(out, tok.start - prev_end)
        _put_varint(out, tok.end - tok.start)
        prev_end = tok.end
    return bytes(out)


def _varints(data: bytes) -> Sequence[int]:
    body = data[1:]
    if not body or max(body) < 0x80:
        # the usual case (gaps and lengths under 128): every byte is one value
        return body
    values = array("q")
    value = shift = 0
    for byte in body:
        value |= (byte & 0x7F) << shift
        if byte & 0x80:
            shift += 7
        else:
            values.append(value)
            value = shift = 0
    return values


def decode_tokens(data: bytes, text: str) -> TokenArray:
    """The stored tokens of ``text`` as a compact :class:`TokenArray` (no tuple per
    token: a 20 MB article has some 3.5 million tokens)."""
    if not data or data[0] != _ENCODING_VERSION:
        raise ValidationError("Unknown token encoding; re-tokenize the document.", code="E102")
    values = _varints(data)
    # running sums of (gap, length, gap, length, …) are (start, end, start, end, …),
    # made straight into an array (4 bytes each, 8 past 2**31 characters)
    bounds = offsets_array(big=sum(values) > _SMALL)
    bounds.extend(accumulate(values))
    del values
    starts = bounds[0::2]
    ends = bounds[1::2]
    del bounds
    return TokenArray(starts, ends, _spaces_after(starts, ends, text))


def _spaces_after(starts: Sequence[int], ends: Sequence[int], text: str) -> bytes:
    """Each token's whitespace_ flag: one space that the next token starts right after
    (the last token may be followed by any one space)."""
    count = len(ends)
    if not count:
        return b""
    n = len(text)
    last = bool(ends[-1] < n and text[ends[-1]] == " ")
    if count == 1:
        return bytes([last])
    if ends[-2] >= n:  # tokens past the text (decoded without it): no whitespace
        return bytes(count)
    # C-level passes over the columns, nothing kept per token but the flag
    inner = ends[:-1]
    space = map(eq, map(text.__getitem__, inner), repeat(" "))
    adjacent = map(eq, map(sub, starts[1:], inner), repeat(1))
    return bytes(map(and_, space, adjacent)) + bytes([last])


class TokenIndex:
    """A document's tokens with their start and end offsets as sorted lists, so that
    snapping and alignment checks are binary searches. Build one per document when
    placing many spans (an import line, a suggestion run, a validation)."""

    __slots__ = ("ends", "starts", "tokens")

    def __init__(self, tokens: Sequence[Token]) -> None:
        self.tokens = tokens
        self.starts: Sequence[int]
        self.ends: Sequence[int]
        if isinstance(tokens, TokenArray):  # its own columns: no list of ints per token
            self.starts, self.ends = tokens.starts, tokens.ends
        else:
            self.starts = [t.start for t in tokens]
            self.ends = [t.end for t in tokens]

    def snap(self, text: str, start: int, end: int) -> tuple[int, int] | None:
        if start < 0 or end > len(text) or start > end:
            raise ValidationError(
                f"Span {start}-{end} is outside the text (length {len(text)}).", code="E103"
            )
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start >= end or not self.tokens:
            return None
        first = bisect_right(self.ends, start)  # first token ending after start
        last = bisect_left(self.starts, end) - 1  # last token starting before end
        if first > last or first >= len(self.tokens) or last < 0:
            return None
        return self.starts[first], self.ends[last]

    def index_range(self, start: int, end: int) -> tuple[int, int] | None:
        i = bisect_left(self.starts, start)
        if i >= len(self.starts) or self.starts[i] != start:
            return None
        j = bisect_left(self.ends, end)
        if j >= len(self.ends) or self.ends[j] != end or j < i:
            return None
        return i, j


def _index(tokens: Sequence[Token] | TokenIndex) -> TokenIndex:
    return tokens if isinstance(tokens, TokenIndex) else TokenIndex(tokens)


def snap_range(
    tokens: Sequence[Token] | TokenIndex, text: str, start: int, end: int
) -> tuple[int, int] | None:
    """Smallest token-aligned range covering ``[start, end)``, trimmed of whitespace.

    Returns ``None`` when the range holds no token (empty, or whitespace only).
    Raises ``ValidationError`` when the range is outside the text.
    """
    return _index(tokens).snap(text, start, end)


def token_index_range(
    tokens: Sequence[Token] | TokenIndex, start: int, end: int
) -> tuple[int, int] | None:
    """Indices of the first and last (inclusive) token of an aligned span, else ``None``."""
    return _index(tokens).index_range(start, end)


def split_tokens(tokens: Sequence[Token], cuts: Iterable[int]) -> tuple[Sequence[Token], int]:
    """``tokens`` split at every offset of ``cuts`` that falls strictly inside a token,
    and how many tokens were split.

    A span taken from another tool may start or end inside one of our tokens ("U.S." in
    "U.S.-Russia"); splitting the token there keeps the span exactly. Splitting only adds
    boundaries, so every span aligned before stays aligned (spans are stored by
    character offsets, never by token index). The pieces are joined without
    whitespace; the last keeps the token's own. Offsets between tokens or outside
    every token change nothing. A :class:`TokenArray` gives a ``TokenArray`` (itself
    when nothing is split), anything else a list.
    """
    starts = tokens.starts if isinstance(tokens, TokenArray) else [t.start for t in tokens]
    inside: dict[int, set[int]] = {}
    for cut in cuts:
        i = bisect_right(starts, cut) - 1  # the last token starting at or before cut
        if i >= 0 and starts[i] < cut < tokens[i].end:
            inside.setdefault(i, set()).add(cut)
    if isinstance(tokens, TokenArray):
        return (_split_array(tokens, inside) if inside else tokens), len(inside)
    if not inside:
        return list(tokens), 0
    out: list[Token] = []
    for i, tok in enumerate(tokens):
        points = inside.get(i)
        if points is None:
            out.append(tok)
            continue
        start = tok.start
        for cut in sorted(points):
            out.append(Token(start, cut, False))
            start = cut
        out.append(Token(start, tok.end, tok.ws))
    return out, len(inside)


def _split_array(tokens: TokenArray, inside: dict[int, set[int]]) -> TokenArray:
    """``split_tokens`` of a TokenArray: the columns copied between the split tokens."""
    big = tokens.starts.typecode == "q"
    starts, ends, ws = offsets_array(big=big), offsets_array(big=big), bytearray()
    prev = 0
    for i in sorted(inside):
        starts.extend(tokens.starts[prev:i])
        ends.extend(tokens.ends[prev:i])
        ws += tokens.ws[prev:i]
        start = tokens.starts[i]
        for cut in sorted(inside[i]):
            starts.append(start)
            ends.append(cut)
            ws.append(0)
            start = cut
        starts.append(start)
        ends.append(tokens.ends[i])
        ws.append(tokens.ws[i])
        prev = i + 1
    starts.extend(tokens.starts[prev:])
    ends.extend(tokens.ends[prev:])
    ws += tokens.ws[prev:]
    return TokenArray(starts, ends, bytes(ws))


class _Range(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


def fit_tokens(tokens: Sequence[Token], spans: Iterable[_Range]) -> Sequence[Token]:
    """``tokens`` split at every start and end of ``spans`` (``Span``, ``SpanKey``, or
    anything with ``start`` and ``end``) that falls inside a token, so that every span
    starts and ends on a token boundary. A document's spans may be stored before its
    tokens (an import keeps spans exactly and leaves tokenizing to first use): tokens
    made afresh for it are fitted this way before any span is placed on them."""
    cuts: list[int] = []
    for sp in spans:
        cuts.append(sp.start)
        cuts.append(sp.end)
    return split_tokens(tokens, cuts)[0]
