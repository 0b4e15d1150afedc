"""Indirect quotes for the rule finder (no parser): the few sentence shapes whose
reported clause can be read off the words alone (docs/QUOTES.md §4).

- "X said that CLAUSE." — a cue, then "that" (within a few words) or a subject
  pronoun ("said he had …"): the clause to the sentence end;
- "CLAUSE, X said." / "CLAUSE, said X." — a sentence closing with its cue;
- "According to X, CLAUSE." / "CLAUSE, according to X."

Sentences holding quotation marks are left to the direct and mixed rules, and a
negated or refused cue ("did not say that") reports nothing.
"""

from __future__ import annotations

from typing import Protocol

from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from annotator.core import QuoteKind
from annotator.nlp.quotes_common import (
    CONF_INDIRECT,
    QuoteCandidate,
    dateline_tokens,
    trim,
)

# a cue after one of these reports nothing ("did not say that", "refused to say")
_NEGATORS = frozenset({"not", "n't", "never", "refused", "declined", "denied", "to", "no"})
_MIN_WORDS = 3  # shorter content is rarely a reported clause
# "said he had …": a subject pronoun right after a cue opens the reported clause
# ("it" not: "explained it to the committee")
_SUBJECT_PRONOUNS = frozenset({"he", "she", "they", "we", "i"})
_DETERMINERS = frozenset(
    {"the", "a", "an", "this", "that", "its", "his", "her", "their", "our", "whose", "every"}
)
_THAT_WITHIN = 5  # words between a cue and its "that" ("told reporters on Monday that")


class _RuleCues(Protocol):
    """What the rule finder lends: its cue test and its speaker runs."""

    def _is_cue(self, doc: Doc, i: int) -> tuple[int, int] | None: ...

    def _run_before(
        self, doc: Doc, cue_start: int, para: int, qidx: list[int]
    ) -> tuple[int, int] | None: ...

    def _run_after(
        self, doc: Doc, begin: int, para: int, qidx: list[int]
    ) -> tuple[int, int] | None: ...


def rule_indirect(
    finder: _RuleCues, doc: Doc, qidx: list[int], paras: list[int]
) -> list[QuoteCandidate]:
    """Indirect quotes of the sentences without quotation marks (low confidence)."""
    out: list[QuoteCandidate] = []
    if not doc.has_annotation("SENT_START"):
        return out  # a Doc no sentencizer saw: no sentence to read a clause from
    datelines = dateline_tokens(doc)
    for sent in doc.sents:
        if any(qidx[i] >= 0 for i in range(sent.start, sent.end)):
            continue
        start = sent.start
        while start < sent.end and (start in datelines or doc[start].is_space):
            start += 1
        if start >= sent.end:
            continue
        cand = _according(finder, doc, sent, start, paras, qidx) or _cue_first(
            finder, doc, sent, start, paras, qidx
        )
        if cand is None:
            cand = _cue_last(finder, doc, sent, start, paras, qidx)
        if cand is not None:
            out.append(cand)
    return out


def _words(doc: Doc, start: int, end: int) -> int:
    return sum(1 for t in doc[start:end] if t.is_alpha or t.like_num)


def _content(doc: Doc, start: int, end: int, para: int, paras: list[int]) -> tuple[int, int] | None:
    span = trim(doc, start, end)
    if span is None or _words(doc, *span) < _MIN_WORDS:
        return None
    if paras[span[0]] != para or paras[span[1] - 1] != para:
        return None
    return span


def _noun(doc: Doc, i: int) -> bool:
    """A cue word after a determiner is a noun ("the report found …", "a claim")."""
    return i > 0 and doc[i - 1].lower_ in _DETERMINERS


def _negated(doc: Doc, cue_start: int, limit: int) -> bool:
    return any(doc[k].lower_ in _NEGATORS for k in range(max(limit, cue_start - 2), cue_start))


def _cue_first(
    finder: _RuleCues, doc: Doc, sent: SpacySpan, start: int, paras: list[int], qidx: list[int]
) -> QuoteCandidate | None:
    """ "X said that CLAUSE.": the first cue followed by "that"."""
    para = paras[start]
    for k in range(start, sent.end - 1):
        cue = finder._is_cue(doc, k)
        if cue is None or doc[cue[0]].lower_ == "according":
            continue
        if _noun(doc, cue[0]):
            continue
        begin = _clause_start(finder, doc, cue[1], sent.end)
        if begin is None:
            continue
        if _negated(doc, cue[0], start):
            return None
        speaker = finder._run_before(doc, cue[0], para, qidx)
        if speaker is None or speaker[0] < start:
            return None
        content = _content(doc, begin, sent.end, para, paras)
        if content is None:
            return None
        return QuoteCandidate(*content, QuoteKind.INDIRECT, CONF_INDIRECT, speaker, cue)
    return None


def _clause_start(finder: _RuleCues, doc: Doc, after: int, end: int) -> int | None:
    """Where the reported clause after a cue starts: after a "that" within a few
    words ("told reporters on Monday that …"), or at a subject pronoun right
    after the cue ("said he had …"); None when neither is there."""
    if after < end and doc[after].lower_ in _SUBJECT_PRONOUNS:
        return after
    for k in range(after, min(end, after + _THAT_WITHIN + 1)):
        t = doc[k]
        if t.lower_ == "that":
            return k + 1
        if t.is_punct or finder._is_cue(doc, k) is not None:
            return None
    return None


def _cue_last(
    finder: _RuleCues, doc: Doc, sent: SpacySpan, start: int, paras: list[int], qidx: list[int]
) -> QuoteCandidate | None:
    """ "CLAUSE, X said." / "CLAUSE, said X.": the sentence's last comma, then a
    short attribution and the sentence end."""
    para = paras[start]
    end = sent.end
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    comma = next((i for i in range(end - 1, max(start, end - 8) - 1, -1) if doc[i].text == ","), -1)
    if comma <= start:
        return None
    for k in range(comma + 1, end):
        cue = finder._is_cue(doc, k)
        if cue is None or doc[cue[0]].lower_ == "according":
            continue
        if _noun(doc, cue[0]):
            continue
        if _negated(doc, cue[0], comma + 1):
            return None
        if k == comma + 1:  # ", said Ortiz."
            speaker = finder._run_after(doc, cue[1], para, qidx)
        else:  # ", the minister said."
            speaker = (comma + 1, cue[0])
            while speaker[1] > speaker[0] and doc[speaker[1] - 1].lower_ in (
                "has",
                "had",
                "also",
                "later",
                "then",
            ):
                speaker = (speaker[0], speaker[1] - 1)
        if speaker is None or speaker[0] >= speaker[1]:
            return None
        content = _content(doc, start, comma, para, paras)
        if content is None:
            return None
        return QuoteCandidate(*content, QuoteKind.INDIRECT, CONF_INDIRECT, speaker, cue)
    return None


def _according(
    finder: _RuleCues, doc: Doc, sent: SpacySpan, start: int, paras: list[int], qidx: list[int]
) -> QuoteCandidate | None:
    """ "According to X, CLAUSE." and "CLAUSE, according to X." """
    para = paras[start]
    if doc[start].lower_ == "according" and start + 1 < sent.end and doc[start + 1].lower_ == "to":
        comma = next(
            (i for i in range(start + 2, min(sent.end, start + 12)) if doc[i].text == ","), -1
        )
        if comma < 0:
            return None
        content = _content(doc, comma + 1, sent.end, para, paras)
        if content is None:
            return None
        source = (start + 2, comma)
        return QuoteCandidate(
            *content, QuoteKind.INDIRECT, CONF_INDIRECT, source, (start, start + 2)
        )
    for k in range(start + 1, sent.end - 1):
        if doc[k].lower_ == "according" and doc[k + 1].lower_ == "to" and doc[k - 1].text == ",":
            speaker = finder._run_after(doc, k + 2, para, qidx)
            if speaker is None or any(doc[i].text == "," for i in range(speaker[1], sent.end)):
                return None  # "…, according to X, who …": the end of the clause is unclear
            content = _content(doc, start, k - 1, para, paras)
            if content is None:
                return None
            return QuoteCandidate(*content, QuoteKind.INDIRECT, CONF_INDIRECT, speaker, (k, k + 2))
    return None
