"""Conversion between stored offsets (Python code points) and Qt text positions.

The database, the exports and spaCy count Python ``str`` code points. Qt's text
classes count UTF-16 code units, so every character outside the Basic
Multilingual Plane (emoji, rare CJK, math letters) takes two positions there.
``QTextDocument.setPlainText`` also folds ``\\r\\n`` into one paragraph
separator. To keep the mapping independent of Qt's rules, the window is given
:attr:`OffsetMap.display_text`, in which this module has already folded every
``\\r\\n`` into ``\\n``; the remaining characters (lone ``\\r``, ``\\u2028``,
tabs, combining marks) each take exactly one UTF-16 unit or two for astral ones.

Optionally (``paragraph_gap=True``, the window's display) an empty line is shown
after each line break followed by text: QPlainTextEdit has no paragraph spacing,
and news articles read far better with it. In that mode a paragraph longer than
:data:`DISPLAY_BLOCK_CHARS` is also shown as several lines, broken after a space:
Qt lays out a paragraph as one block in one go, and a 20 MB paragraph froze the
window for ten seconds (0.1 s when shown in 10,000-character lines). Those
inserted line breaks exist only on screen.

``OffsetMap`` answers both directions in O(log n) with two sorted arrays, and in
O(1) for the common case of a BMP-only text without ``\\r\\n``.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence

_REPLACEMENT = "\ufffd"
DISPLAY_BLOCK_CHARS = 10_000  # longest paragraph shown as one Qt block
# astral characters and lone surrogates: one character class, scanned only when
# ``_has_wide`` says there is one (an alternation with "\r\n|\n" in it scanned a
# 66,000-character article in 2.2 ms; str.find and the check take 0.1 ms)
_WIDE = re.compile("[\U00010000-\U0010ffff\ud800-\udfff]")


def utf16_len(text: str) -> int:
    """Number of UTF-16 code units ``text`` takes (what Qt calls its length)."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


class OffsetMap:
    """Maps code-point offsets of one text to positions in the Qt display text and back.

    Each character of the stored text contributes ``+1`` to the Qt position, except
    that an astral character contributes ``+2`` and the ``\\r`` of a ``\\r\\n`` pair
    contributes ``0`` (it is folded into the following ``\\n``).
    """

    __slots__ = ("_cp_points", "_deltas", "_qt_points", "display_text", "text")

    def __init__(self, text: str, *, paragraph_gap: bool = False) -> None:
        """``paragraph_gap``: show an empty line after each line break that is followed
        by text (QPlainTextEdit has no paragraph spacing); the inserted line maps to
        the start of the next paragraph."""
        self.text = text
        # Code-point offsets after which the running delta (qt - cp) changes, and the delta
        # from there on. Astral chars and paragraph gaps shift later positions by +1,
        # a folded \r by -1.
        cp_points: list[int] = []
        deltas: list[int] = []
        delta = 0
        pieces: list[str] = []
        last = 0
        n = len(text)
        breaks = _block_breaks(text, DISPLAY_BLOCK_CHARS) if paragraph_gap else []
        for i, found in _merged(_specials(text, newlines=paragraph_gap), breaks):
            if not found:
                # a display-only line break before text[i] in a very long paragraph
                pieces.append(text[last:i])
                pieces.append("\n")
                last = i
                delta += 1
                cp_points.append(i)
                deltas.append(delta)
            elif found in ("\r\n", "\n"):
                nl = i + len(found) - 1  # the \n
                if found == "\r\n":
                    pieces.append(text[last:i])
                    last = i + 1  # drop the \r, keep the \n
                    delta -= 1
                    cp_points.append(i + 1)
                    deltas.append(delta)
                if paragraph_gap and nl + 1 < n and text[nl + 1] not in "\r\n":
                    pieces.append(text[last : nl + 1])
                    pieces.append("\n")
                    last = nl + 1
                    delta += 1
                    cp_points.append(nl + 1)
                    deltas.append(delta)
            elif ord(found) > 0xFFFF:
                delta += 1
                cp_points.append(i + 1)
                deltas.append(delta)
            else:
                # A lone surrogate cannot cross into Qt; one replacement char keeps the count.
                pieces.append(text[last:i])
                pieces.append(_REPLACEMENT)
                last = i + 1
        if pieces:
            pieces.append(text[last:])
            display: str = "".join(pieces)
        else:
            display = text
        self.display_text = display
        self._cp_points = cp_points
        self._deltas = deltas
        self._qt_points = [p + d for p, d in zip(cp_points, deltas, strict=True)]

    @property
    def identity(self) -> bool:
        """True when code-point offsets and Qt positions coincide (no conversion needed)."""
        return not self._cp_points

    @property
    def qt_length(self) -> int:
        return self.to_qt(len(self.text))

    def to_qt(self, offset: int) -> int:
        """Qt position of code-point ``offset`` (0 ≤ offset ≤ len(text))."""
        if not 0 <= offset <= len(self.text):
            raise ValueError(f"offset {offset} is outside the text (length {len(self.text)})")
        i = bisect_right(self._cp_points, offset)
        return offset + (self._deltas[i - 1] if i else 0)

    def to_qt_many(self, offsets: Sequence[int]) -> list[int]:
        """``to_qt`` of each offset, in one pass (an open places thousands of span ends)."""
        n = len(self.text)
        if offsets and not (min(offsets) >= 0 and max(offsets) <= n):
            bad = next(o for o in offsets if not 0 <= o <= n)
            raise ValueError(f"offset {bad} is outside the text (length {n})")
        if not self._cp_points:
            return list(offsets)
        points = self._cp_points
        shifts = (0, *self._deltas)  # shifts[i]: the delta after i change points
        return [o + shifts[bisect_right(points, o)] for o in offsets]

    def from_qt(self, position: int, *, round_up: bool = False) -> int:
        """Code-point offset of Qt ``position``.

        A position between the two halves of a surrogate pair is rounded down to the
        character's start, or up past it with ``round_up=True`` (use it for span ends so
        the character stays inside the span). The one position that stands for a folded
        ``\\r\\n`` maps to the ``\\r``, so a range never ends between the two.
        """
        qt_len = self.qt_length
        position = min(max(position, 0), qt_len)
        i = bisect_right(self._qt_points, position)
        offset = position - (self._deltas[i - 1] if i else 0)
        if (
            i
            and self._qt_points[i - 1] == position
            and self._deltas[i - 1] < (self._deltas[i - 2] if i > 1 else 0)
        ):
            # Folded \r\n: this Qt position is the \n; the \r sits one code point earlier.
            # Several folds can never share a position, so one step back is enough.
            return position - self._deltas[i - 1] - 1
        # Between the halves of a surrogate pair: the next astral boundary is at position + 1.
        j = bisect_left(self._qt_points, position + 1)
        if (
            j < len(self._qt_points)
            and self._qt_points[j] == position + 1
            and self._deltas[j] > (self._deltas[j - 1] if j else 0)
        ):
            offset = self._cp_points[j] - 1 + (1 if round_up else 0)
        return offset

    def range_to_qt(self, start: int, end: int) -> tuple[int, int]:
        return self.to_qt(start), self.to_qt(end)

    def range_from_qt(self, start: int, end: int) -> tuple[int, int]:
        """Code-point range for a Qt selection, widened to whole characters."""
        if start > end:
            start, end = end, start
        return self.from_qt(start), self.from_qt(end, round_up=True)


def _block_breaks(text: str, limit: int) -> list[int]:
    """Offsets before which a display line break goes so that no paragraph of
    ``text`` is shown as one block longer than ``limit`` characters: after the last
    space in the second half of each stretch, else (no space) at the limit, never
    right after an astral character or a ``\r``."""
    if len(text) <= limit:
        return []
    out: list[int] = []
    pos, n = 0, len(text)
    while pos < n:
        nl = text.find("\n", pos)
        end = n if nl < 0 else nl
        start = pos
        while end - start > limit:
            space = text.rfind(" ", start + limit // 2, start + limit)
            cut = space + 1 if space >= 0 else start + limit
            while cut > start + 1 and (ord(text[cut - 1]) > 0xFFFF or text[cut - 1] == "\r"):
                cut -= 1
            out.append(cut)
            start = cut
        pos = end + 1
    return out


def _specials(text: str, *, newlines: bool) -> list[tuple[int, str]]:
    """What the map must look at, as (offset, text) in order of offset: each
    ``"\r\n"`` (and, with ``newlines``, each other ``"\n"``), each astral character
    and each lone surrogate. All at C speed: ``str.find`` for the line breaks, and
    the character class only for a text that has a wide character."""
    found: list[tuple[int, str]] = []
    if newlines:
        i = text.find("\n")
        while i >= 0:
            found.append((i - 1, "\r\n") if i and text[i - 1] == "\r" else (i, "\n"))
            i = text.find("\n", i + 1)
    elif "\r\n" in text:
        i = text.find("\r\n")
        while i >= 0:
            found.append((i, "\r\n"))
            i = text.find("\r\n", i + 2)
    if not text.isascii() and _has_wide(text):
        found.extend((m.start(), m.group()) for m in _WIDE.finditer(text))
        found.sort()
    return found


def _has_wide(text: str) -> bool:
    """Whether ``text`` holds an astral character (two UTF-16 units) or a lone
    surrogate (which no strict codec encodes)."""
    try:
        return len(text.encode("utf-16-le")) != 2 * len(text)
    except UnicodeEncodeError:
        return True


def _merged(found: list[tuple[int, str]], breaks: list[int]) -> Iterator[tuple[int, str]]:
    """The special characters and the display breaks as (offset, ""), in order of
    offset (a break never falls on one: it follows a space or a character
    ``_specials`` does not look for)."""
    if not breaks:
        yield from found
        return
    k = 0
    for i, what in found:
        while k < len(breaks) and breaks[k] <= i:
            yield breaks[k], ""
            k += 1
        yield i, what
    for b in breaks[k:]:
        yield b, ""
