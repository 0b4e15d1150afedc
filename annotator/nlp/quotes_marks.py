"""Pairing quotation marks character by character (docs/QUOTES.md §1).

spaCy's ``is_quote`` is not used: it takes the apostrophe of ``players’`` for a
quote. Pairing works per paragraph; a paragraph that ends inside an open quote
and is followed by one starting with an opening mark continues the same quote
(one segment per paragraph, same ``group``). Anything unmatched is dropped.
This module needs no spaCy at all, so the rule suggester and the parser-based
one share it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# opening mark -> the marks that may close it (mixed pairs occur in edited copy)
_DOUBLE_CLOSERS: dict[str, str] = {
    "“": '”"',
    '"': '"”',
    "„": "“”",
    "«": "»",
    "»": "«",
}
_SINGLE_CLOSERS: dict[str, str] = {"‘": "’'", "'": "'’", "‚": "‘’"}
_OPEN_CONTEXT = set("([{—–-/")  # a straight mark after these opens


def _marks_pattern(closers: dict[str, str]) -> re.Pattern[str]:
    """Every character the pairing loop reacts to (openers and closers): the
    scan jumps from one to the next instead of looking at every character."""
    chars = set(closers) | {c for v in closers.values() for c in v}
    return re.compile("[" + re.escape("".join(sorted(chars))) + "]")


_DOUBLE_MARKS = _marks_pattern(_DOUBLE_CLOSERS)
_SINGLE_MARKS = _marks_pattern(_SINGLE_CLOSERS)
_SINGLE_OPENERS = re.compile("[‘']")


@dataclass(frozen=True, slots=True)
class QuoteSegment:
    start: int  # offset of the opening mark
    end: int  # offset after the closing mark (or paragraph end when continued)
    group: int  # segments of one multi-paragraph quote share a group
    closed: bool  # False for a paragraph piece of a quote continued below

    def inner(self, text: str) -> str:
        return text[self.start + 1 : self.end - (1 if self.closed else 0)]


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line; news paragraphs are lines."""
    out: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        end = pos + len(line)
        s, e = pos, end
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            out.append((s, e))
        pos = end + 1
    return out


def _straight_opens(text: str, i: int, para_start: int) -> bool:
    if i == para_start:
        return True
    prev = text[i - 1]
    return prev.isspace() or prev in _OPEN_CONTEXT


def _single_opens(text: str, i: int, para_start: int) -> bool:
    nxt = text[i + 1] if i + 1 < len(text) else " "
    return _straight_opens(text, i, para_start) and not nxt.isspace()


def _single_closes(text: str, i: int) -> bool:
    # an apostrophe has a letter on both sides (don’t) or follows a plural s
    # followed by a space (players’ union); a closing mark is followed by
    # punctuation, a space or the end, and preceded by a non-space.
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    if prev.isspace() or nxt.isalnum():
        return False
    return not (prev == "s" and nxt == " ")


def uses_single_marks(text: str) -> bool:
    """True when the document quotes with single marks throughout (British style)."""
    if any(ch in text for ch in "“”„«»"):
        return False
    if '"' in text:
        return False
    paras = _paragraphs(text)
    opens = 0
    for ps, pe in paras:
        for m in _SINGLE_OPENERS.finditer(text, ps, pe):
            if _single_opens(text, m.start(), ps):
                opens += 1
    return opens >= 1


def find_quote_segments(text: str) -> list[QuoteSegment]:
    """All balanced direct-quote segments of ``text``, in order; never raises."""
    single = uses_single_marks(text)
    closers = _SINGLE_CLOSERS if single else _DOUBLE_CLOSERS
    marks = _SINGLE_MARKS if single else _DOUBLE_MARKS
    paras = _paragraphs(text)
    segments: list[QuoteSegment] = []
    group = 0
    pending: list[QuoteSegment] = []  # pieces of a quote continued over paragraphs
    for p_index, (ps, pe) in enumerate(paras):
        open_at: int | None = None
        open_mark = ""
        if pending:
            # a continued quote must reopen at the very start of this paragraph
            if text[ps] in closers:
                open_at, open_mark = ps, text[ps]
                start_scan = ps + 1
            else:
                pending = []
                start_scan = ps
        else:
            start_scan = ps
        # only quote marks change anything below: visit just those
        for m in marks.finditer(text, start_scan, pe):
            i = m.start()
            ch = text[i]
            if open_at is None:
                if ch in closers and _opens(text, i, ps, single):
                    open_at, open_mark = i, ch
            else:
                if ch in closers[open_mark] and _closes(text, i, single, open_mark):
                    seg = QuoteSegment(open_at, i + 1, group, True)
                    segments.extend(pending)
                    segments.append(seg)
                    pending = []
                    group += 1
                    open_at = None
                elif ch == open_mark and _opens(text, i, ps, single):
                    # the same opener again: the first one was never closed
                    pending = []
                    open_at = i
        if open_at is not None:
            nxt = paras[p_index + 1] if p_index + 1 < len(paras) else None
            if nxt is not None and text[nxt[0]] in closers and _opens(text, nxt[0], nxt[0], single):
                pending.append(QuoteSegment(open_at, pe, group, False))
            else:
                pending = []  # unmatched: no suggestion
        elif pending:
            pending = []
    return [s for s in segments if s.end - s.start > 2]


def _opens(text: str, i: int, para_start: int, single: bool) -> bool:
    ch = text[i]
    if single:
        return _single_opens(text, i, para_start)
    if ch == '"':
        nxt = text[i + 1] if i + 1 < len(text) else " "
        return _straight_opens(text, i, para_start) and not nxt.isspace()
    if ch == "»":
        # »…« (German/Danish); a » after a word is more likely a stray closer
        return _straight_opens(text, i, para_start)
    return True


def _closes(text: str, i: int, single: bool, open_mark: str) -> bool:
    if single:
        return _single_closes(text, i)
    if text[i] == '"':
        # a straight mark after a space and before a word opens a new quote:
        # the earlier one was unbalanced and is left alone
        prev = text[i - 1]
        nxt = text[i + 1] if i + 1 < len(text) else " "
        return not (prev.isspace() and nxt.isalnum())
    return True
