"""A document's tokens held compactly: a ``Sequence[Token]`` backed by arrays.

A ``Token`` tuple costs about 144 bytes (the tuple and its two int objects); a
20 MB article has some 3.5 million tokens, half a gigabyte as tuples. ``TokenArray``
keeps the starts and ends as ``array('i')`` (``'q'`` past 2**31 characters) and the
whitespace flags as bytes: 9 bytes a token. Indexing or iterating makes ``Token``
tuples on the fly, so every reader of a sequence of tokens works unchanged; the
columns themselves (:attr:`TokenArray.starts`, :attr:`TokenArray.ends`) serve
binary searches and encoding without making a tuple.

It is immutable (a slice is a new ``TokenArray``), so documents may share one.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Sequence
from itertools import repeat
from operator import eq
from typing import Any, overload

from annotator.core.model import Token

_SMALL = 2**31 - 1


def offsets_array(values: Iterable[int] = (), *, big: bool = False) -> array[int]:
    """An array of character offsets: 4 bytes each, 8 when ``big`` or when one does
    not fit in 4."""
    if big:
        return array("q", values)
    values = values if isinstance(values, array | list | tuple | range) else list(values)
    try:
        return array("i", values)
    except OverflowError:
        return array("q", values)


class TokenArray(Sequence[Token]):
    """Tokens as three columns: starts, ends (arrays of ints) and whitespace flags
    (bytes, 1 where the token is followed by one space)."""

    __slots__ = ("ends", "starts", "ws")

    starts: array[int]
    ends: array[int]
    ws: bytes

    def __init__(self, starts: array[int], ends: array[int], ws: bytes) -> None:
        if not len(starts) == len(ends) == len(ws):
            raise ValueError("starts, ends and ws must have the same length")
        self.starts = starts
        self.ends = ends
        self.ws = ws

    @classmethod
    def from_tokens(cls, tokens: Iterable[Token]) -> TokenArray:
        """The tokens of any iterable of ``Token`` (or (start, end, ws) tuples)."""
        if isinstance(tokens, TokenArray):
            return tokens
        starts: list[int] = []
        ends: list[int] = []
        ws = bytearray()
        for start, end, space in tokens:
            starts.append(start)
            ends.append(end)
            ws.append(1 if space else 0)
        return cls(offsets_array(starts), offsets_array(ends), bytes(ws))

    @classmethod
    def empty(cls) -> TokenArray:
        return cls(array("i"), array("i"), b"")

    def __len__(self) -> int:
        return len(self.ws)

    @overload
    def __getitem__(self, i: int) -> Token: ...
    @overload
    def __getitem__(self, i: slice) -> TokenArray: ...
    def __getitem__(self, i: int | slice) -> Token | TokenArray:
        if isinstance(i, slice):
            return TokenArray(self.starts[i], self.ends[i], self.ws[i])
        return tuple.__new__(Token, (self.starts[i], self.ends[i], self.ws[i] != 0))

    def __iter__(self) -> Iterator[Token]:
        # tuple.__new__, not Token(...): a NamedTuple's __new__ is a Python function
        columns = zip(self.starts, self.ends, map(bool, self.ws), strict=True)
        return map(tuple.__new__, repeat(Token), columns)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, TokenArray):
            return self.ws == other.ws and self.starts == other.starts and self.ends == other.ends
        if isinstance(other, list | tuple):
            return len(other) == len(self) and all(map(eq, self, other))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # equal to lists, which are unhashable

    def __repr__(self) -> str:
        shown = ", ".join(repr(t) for t in self[:3])
        more = ", …" if len(self) > 3 else ""
        return f"TokenArray([{shown}{more}], n={len(self)})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (TokenArray, (self.starts, self.ends, self.ws))

    def shifted(self, offset: int) -> TokenArray:
        """The same tokens with ``offset`` added to every start and end."""
        if not offset:
            return self
        big = self.starts.typecode == "q"
        return TokenArray(
            offsets_array((s + offset for s in self.starts), big=big),
            offsets_array((e + offset for e in self.ends), big=big),
            self.ws,
        )

    def nbytes(self) -> int:
        """The memory of the columns (what the tokens cost, the object aside)."""
        return (
            self.starts.itemsize * len(self.starts)
            + self.ends.itemsize * len(self.ends)
            + len(self.ws)
        )


def as_token_array(tokens: Sequence[Token] | None) -> TokenArray | None:
    return None if tokens is None else TokenArray.from_tokens(tokens)


def concat(parts: Iterable[TokenArray]) -> TokenArray:
    """The tokens of ``parts`` one after another (each already in document offsets),
    gathered as they come: a generator of parts is never held whole."""
    starts, ends, ws = offsets_array(), offsets_array(), bytearray()
    for p in parts:
        if p.starts.typecode != starts.typecode:
            if starts.typecode == "i":  # the first offset past 2**31: 8 bytes from now on
                starts, ends = array("q", starts), array("q", ends)
            else:
                p = TokenArray(array("q", p.starts), array("q", p.ends), p.ws)
        starts.extend(p.starts)
        ends.extend(p.ends)
        ws += p.ws
    return TokenArray(starts, ends, bytes(ws))
