"""What the parser-based and the rule-based quote finders share.

Both work on a spaCy ``Doc`` built from the stored tokens, so a token index
range maps to a token-aligned character range by construction.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from spacy.attrs import IDX, LENGTH
from spacy.tokens import Doc, Span, Token

from annotator.core import QuoteKind
from annotator.nlp.quotes_arrays import arrays_of
from annotator.nlp.quotes_marks import QuoteSegment, find_quote_segments

# docs/QUOTES.md §5: high = direct + same-sentence cue + named speaker; medium =
# resolved pronoun or floating quote; low = indirect, orphan or a cue in the
# neighbouring sentence.
CONF_HIGH = 0.9
CONF_MEDIUM = 0.6
CONF_PRONOUN_UNRESOLVED = 0.55
CONF_NEIGHBOUR = 0.35
CONF_ORPHAN = 0.3
CONF_MIXED = 0.45
# a short quoted fragment no cue governs, attributed to its verb's subject
# (docs/QUOTES.md §4): hidden by default, its precision is that of an orphan
CONF_MIXED_UNCUED = 0.3
CONF_INDIRECT = 0.35
CONF_INDIRECT_NP = 0.3
CONF_COGNITION = 0.25

PRONOUNS = frozenset({"he", "she", "they", "him", "her", "them"})
# a dash or colon links a quote and its speaker ("…” – Peskov" / "Peskov: “…”")
DASHES = frozenset({"-", "–", "—", "--"})
MIN_DIRECT_WORDS = 4  # shorter quoted segments are mostly scare quotes (docs/QUOTES.md §1)


@dataclass
class QuoteCandidate:
    """One suggested quote as token index ranges (end exclusive) into the Doc."""

    start: int
    end: int
    kind: QuoteKind
    confidence: float
    speaker: tuple[int, int] | None = None
    cue: tuple[int, int] | None = None
    group: int | None = None  # multi-paragraph direct quotes share a group


@dataclass
class DirectQuote:
    """A quoted segment in token indices, with its paragraph and group."""

    start: int
    end: int  # exclusive
    group: int
    closed: bool
    words: int
    absorbed: bool = False  # inside a mixed quote: not suggested separately
    attributed: QuoteCandidate | None = None
    extra: dict[str, object] = field(default_factory=dict)


def char_to_token(doc: Doc, n_chars: int | None = None) -> list[int]:
    """For each character offset the index of the token covering it (or the next one).

    ``n_chars`` is ``len(doc.text)`` when the caller has it (spaCy joins every
    token's text to make ``doc.text``)."""
    if n_chars is None:
        n_chars = len(doc.text)
    out = [len(doc)] * (n_chars + 1)
    prev_end = 0
    # offsets from one array call: creating a Token object per token costs more
    for j, (start, length) in enumerate(doc.to_array([IDX, LENGTH]).tolist()):
        end = start + length
        # characters between tokens belong to the next token
        out[prev_end:end] = [j] * (end - prev_end)
        prev_end = end
    return out


def direct_quotes(doc: Doc) -> list[DirectQuote]:
    """The balanced quoted segments, snapped outward to whole tokens."""
    arrays = arrays_of(doc)
    segs: list[QuoteSegment] = find_quote_segments(arrays.text)
    if not segs:
        return []
    # the token covering a character (or the next one) is the first token ending
    # after it: a binary search instead of a table over every character
    ends = arrays.ends
    words = arrays.words
    out: list[DirectQuote] = []
    for seg in segs:
        ts = bisect_right(ends, seg.start)
        te = bisect_right(ends, seg.end - 1) + 1
        if ts >= te or te > len(doc):
            continue
        out.append(DirectQuote(ts, te, seg.group, seg.closed, sum(words[ts:te])))
    return out


def paragraph_ids(doc: Doc) -> list[int]:
    """Paragraph number of every token (paragraphs are separated by newlines)."""
    # only whitespace tokens can hold a newline (whitespace_ is at most one space);
    # a token's paragraph counts the breaks before it, not its own
    return arrays_of(doc).paras


def quote_index(doc: Doc, quotes: list[DirectQuote]) -> list[int]:
    """For each token, the index of the direct quote containing it, else -1."""
    idx = [-1] * len(doc)
    for qi, q in enumerate(quotes):
        for i in range(q.start, q.end):
            idx[i] = qi
    return idx


_OPENING = frozenset({"“", "„", "«", '"', "‘", "("})
_CLOSING = frozenset({"”", "»", '"', "’", ")"})


def trim(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    """Drop whitespace and punctuation (but not quote marks that close a span) at both ends."""
    arrays = arrays_of(doc)
    space, punct, texts = arrays.is_space, arrays.is_punct, arrays.texts
    while start < end and (space[start] or (punct[start] and texts[start] not in _OPENING)):
        start += 1
    while end > start and (space[end - 1] or (punct[end - 1] and texts[end - 1] not in _CLOSING)):
        end -= 1
    return (start, end) if start < end else None


_SENT_END = frozenset({".", "!", "?", "…", "...", '."', ".”"})


def stands_alone(doc: Doc, q: DirectQuote, qidx: list[int], paras: list[int]) -> bool:
    """True when a quote is a sentence of its own: nothing but a sentence end,
    another quote or a paragraph break before it, and a closed sentence at its
    end. Not spaCy's sentences: they often glue an opening mark to the
    previous sentence."""
    i = q.start - 1
    while i >= 0 and doc[i].is_space:
        i -= 1
    if i >= 0 and paras[i] == paras[q.start]:
        if qidx[i] < 0 and doc[i].text not in _SENT_END:
            return False
        if qidx[i] >= 0 and not _ends_sentence(doc, i):
            return False
    if not _ends_sentence(doc, q.end - 1):
        return False
    j = q.end
    while j < len(doc) and doc[j].is_space:
        j += 1
    if j >= len(doc) or paras[j] != paras[q.start] or qidx[j] >= 0:
        return True
    return doc[j].is_title or doc[j].is_upper or (not doc[j].is_alpha and doc[j].text not in ",;:")


def _ends_sentence(doc: Doc, i: int) -> bool:
    """Token ``i`` closes a quote whose text ends in . ! ? or …"""
    j = i
    while j >= 0 and (doc[j].is_quote or doc[j].text in ("”", "’", "»")):
        j -= 1
    return j >= 0 and doc[j].text in _SENT_END


def looks_like_title(doc: Doc, q: DirectQuote) -> bool:
    """A quoted run of capitalised words is the title of a work, not speech."""
    words = [t for t in doc[q.start : q.end] if t.is_alpha]
    small = {"a", "an", "the", "of", "and", "in", "on", "for", "to", "at", "with"}
    return 0 < len(words) <= 10 and all(
        t.is_title or t.is_upper or t.lower_ in small for t in words
    )


def mid_sentence(
    doc: Doc, q: DirectQuote, paras: list[int], is_cue: Callable[[Token], bool]
) -> bool:
    """A quoted segment that continues a sentence after an ordinary word
    ("called the progress “significant”") is a fragment, not a direct quote."""
    i = q.start - 1
    while i >= 0 and doc[i].is_space:
        i -= 1
    if i < 0 or paras[i] != paras[q.start]:
        return False
    prev = doc[i]
    return (prev.is_alpha or prev.like_num) and prev.lower_ != "that" and not is_cue(prev)


def inherit_cues(
    doc: Doc, cands: list[QuoteCandidate], paras: list[int], is_cue: Callable[[Token], bool]
) -> None:
    """A direct quote with no cue of its own that continues the previous direct
    quote of its paragraph ("“X,” she said. “Y.”", or a second half whose cue
    the rules missed) takes that quote's cue, and its speaker when it has none
    (docs/QUOTES.md: the halves of one quotation share speaker and cue). Not when
    it has a speaker of its own, or when a cue or a name that is not the earlier
    attribution stands between the two: then someone else may be speaking."""
    directs = sorted((c for c in cands if c.kind == QuoteKind.DIRECT), key=lambda c: c.start)
    ents = arrays_of(doc).ents
    prev: QuoteCandidate | None = None
    for cand in directs:
        if (
            prev is not None
            and cand.cue is None
            and prev.cue is not None
            and paras[cand.start] == paras[prev.end - 1]
            and (cand.speaker is None or cand.speaker == prev.speaker)
            and not _new_attribution(doc, prev, cand, ents, is_cue)
        ):
            cand.cue = prev.cue
            if cand.speaker is None:
                cand.speaker = prev.speaker
            # the attribution is borrowed: never above medium
            cand.confidence = max(cand.confidence, min(prev.confidence, CONF_MEDIUM))
        prev = cand


def _new_attribution(
    doc: Doc,
    prev: QuoteCandidate,
    cand: QuoteCandidate,
    ents: Sequence[Span],
    is_cue: Callable[[Token], bool],
) -> bool:
    """Between two quotes, a cue or a person or organisation that is not the
    earlier quote's own cue or speaker."""
    own: set[int] = set()
    for r in (prev.cue, prev.speaker):
        if r is not None:
            own.update(range(r[0], r[1]))
    for i in range(prev.end, cand.start):
        if i not in own and is_cue(doc[i]):
            return True
    return any(
        e.label_ in ("PERSON", "ORG")
        and prev.end <= e.start
        and e.end <= cand.start
        and not own.issuperset(range(e.start, e.end))
        for e in ents
    )


def dateline_tokens(doc: Doc) -> frozenset[int]:
    """The tokens of the datelines that open paragraphs ("KYIV, Ukraine (AP) —",
    "MOSCOW —"), dash included: a place and an agency, never a speaker and never
    part of what was said. An all-caps first word, then only capitalised words,
    numbers, commas, periods and brackets up to a dash."""
    arrays = arrays_of(doc)
    if "datelines" in arrays.memo:
        found: frozenset[int] = arrays.memo["datelines"]
        return found
    paras, texts, space = arrays.paras, arrays.texts, arrays.is_space
    out: set[int] = set()
    n = len(doc)
    for s in range(n):
        if space[s]:
            continue
        prev = s - 1
        while prev >= 0 and space[prev]:
            prev -= 1
        if prev >= 0 and paras[prev] == paras[s]:
            continue  # not the first word of its paragraph
        first = doc[s]
        if not (first.is_upper and first.is_alpha and len(first) >= 2):
            continue
        for k in range(s + 1, min(n, s + 12)):
            t = doc[k]
            if texts[k] in DASHES:
                if k + 1 < n and paras[k + 1] == paras[s]:
                    out.update(range(s, k + 1))
                break
            if (
                not (t.is_upper or t.is_title or t.like_num or texts[k] in (",", ".", "(", ")"))
                or space[k]
            ):
                break
    found = frozenset(out)
    arrays.memo["datelines"] = found
    return found


def drop_dateline_speakers(doc: Doc, cands: list[QuoteCandidate]) -> None:
    """A speaker span that starts in a paragraph's dateline starts after it, or is
    no speaker when nothing is left ("KYIV, Ukraine (AP) — …" is not who spoke)."""
    datelines = dateline_tokens(doc)
    if not datelines:
        return
    for cand in cands:
        if cand.speaker is None or cand.speaker[0] not in datelines:
            continue
        start, end = cand.speaker
        while start < end and (start in datelines or doc[start].is_space):
            start += 1
        cand.speaker = (start, end) if start < end else None
        if cand.speaker is None:
            cand.confidence = min(cand.confidence, CONF_MEDIUM)


def _prev_word(doc: Doc, i: int) -> int:
    """The index of the last non-space token before ``i`` (-1 if none)."""
    i -= 1
    while i >= 0 and doc[i].is_space:
        i -= 1
    return i


def after_so_called(doc: Doc, start: int) -> bool:
    """A quote right after "so-called" (one token or "so - called"): scare quotes."""
    i = _prev_word(doc, start)
    if i < 0:
        return False
    if doc[i].lower_ == "so-called":
        return True
    return (
        doc[i].lower_ == "called"
        and i >= 2
        and doc[i - 1].text == "-"
        and (doc[i - 2].lower_ == "so")
    )


def not_speech_fragment(doc: Doc, q: DirectQuote) -> bool:
    """A short quoted fragment that is no one's words: a title of a work (all
    capitalised words), a nickname between a first name and a surname
    (Dwayne “the Rock” Johnson) or scare quotes after "so-called"."""
    if looks_like_title(doc, q) or after_so_called(doc, q.start):
        return True
    i = _prev_word(doc, q.start)
    j = q.end
    while j < len(doc) and doc[j].is_space:
        j += 1
    return (
        i >= 0
        and j < len(doc)
        and doc[i].is_title
        and doc[i].is_alpha
        and doc[j].is_title
        and doc[j].is_alpha
    )


def include_that(doc: Doc, cands: list[QuoteCandidate]) -> None:
    """The ``keep_that`` scheme option: an indirect or mixed quote that starts
    right after a complementiser "that" (nothing but whitespace between) starts
    at "that" instead, as PARC annotates it ("warned that prices would rise")."""
    for cand in cands:
        if cand.kind == QuoteKind.DIRECT:
            continue
        i = _prev_word(doc, cand.start)
        if i >= 0 and doc[i].text == ",":
            i = _prev_word(doc, i)  # "that, in his view, …": the comma comes along
        if i < 0 or doc[i].lower_ != "that":
            continue
        taken = [r for r in (cand.speaker, cand.cue) if r is not None and r[0] <= i < r[1]]
        if not taken:
            cand.start = i
