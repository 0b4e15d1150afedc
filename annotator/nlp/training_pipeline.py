"""What a pipeline ``annotator train`` made adds to a stock spaCy pipeline.

A trained pipeline is one spaCy folder: ``quote_ner`` (a ``ner`` over QUOTE, SPEAKER and
CUE, with its own tok2vec) runs first, then ``annotator_quote_spans`` moves what it found
from ``doc.ents`` to ``doc.spans[QUOTE_SPANS_KEY]`` and clears ``doc.ents``, so that the
entity ``ner`` after it starts from an empty ``doc.ents`` (a ``ner`` keeps entities set
before it, and a QUOTE holds names). Importing this module registers that component:
``annotator.nlp.pipeline`` does before loading a folder, and a script loading the folder
with ``spacy.load`` imports it first.

The quote component then takes its quotes from those spans (``TrainedQuoteFinder``):
each predicted QUOTE becomes a candidate, its speaker and cue chosen among the predicted
SPEAKER and CUE spans (``links="nearest"``: the nearest of each in the same paragraph,
in the quote's own sentence first, without crossing another quote) or taken from the
rule finder's candidate for the same stretch of text (``links="rules"``: the
parse-based attachment of ``annotator.nlp.quotes`` when the pipeline parses, else
``nlp.rules``), the predicted span overlapping the rules' choice giving the bounds
(else the rules' span), falling back to the nearest one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from spacy.language import Language
from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from annotator.core import QuoteKind
from annotator.nlp.quotes_common import QuoteCandidate, paragraph_ids

if TYPE_CHECKING:
    from annotator.nlp.quotes_component import QuoteFinder

QUOTE_NER = "quote_ner"
MOVER = "annotator_quote_spans"
QUOTE_SPANS_KEY = "annotator_quote_ner"
META_KEY = "annotator"  # our part of the folder's meta.json
LINK_RULES = ("nearest", "rules")
QUOTE_CONFIDENCE = 0.7  # a ner gives no score; above the window's hiding threshold
_OPEN_MARKS = frozenset("\"“‘'«„")
_CLOSE_MARKS = frozenset("\"”’'»“")


@Language.component(MOVER)
def move_quote_spans(doc: Doc) -> Doc:
    """The quote layer's entities into ``doc.spans[QUOTE_SPANS_KEY]``; ``doc.ents`` empty."""
    doc.spans[QUOTE_SPANS_KEY] = list(doc.ents)
    doc.ents = []
    return doc


def is_trained(nlp: Language) -> bool:
    return QUOTE_NER in nlp.pipe_names and MOVER in nlp.pipe_names


def trained_finder(nlp: Language) -> QuoteFinder | None:
    """The finder for a pipeline ``annotator train`` made (None for any other)."""
    if not is_trained(nlp):
        return None
    from annotator.nlp.quotes_component import default_finder

    links = str(nlp.meta.get(META_KEY, {}).get("links", "rules"))
    rules = default_finder(nlp) if links == "rules" else None
    if rules is not None:
        ensure_sentences(nlp)
    return TrainedQuoteFinder(links=links, rules=rules)


_SENTENCE_SETTERS = ("parser", "senter", "sentencizer")


def ensure_sentences(nlp: Language) -> None:
    """A sentencizer after the quote spans when nothing in ``nlp`` sets sentences. The
    rules stop a speaker or a quote at a sentence end, and a model trained without
    ``--base`` has no parser or senter: its docs had no sentences, and "“…,” Albescu
    warned. Sorensen said: “…”" gave the second quote the speaker "Albescu warned.
    Sorensen". The rule pipeline sets them with the same sentencizer."""
    factories = {nlp.get_pipe_meta(name).factory for name in nlp.pipe_names}
    if not factories & set(_SENTENCE_SETTERS):
        nlp.add_pipe("sentencizer", after=MOVER)


def quote_kind(doc: Doc, start: int, end: int) -> QuoteKind:
    """Direct when the span begins and ends at quotation marks, mixed when it holds
    some, else indirect."""
    first, last = doc[start].text, doc[end - 1].text
    if first[:1] in _OPEN_MARKS and last[-1:] in _CLOSE_MARKS:
        return QuoteKind.DIRECT
    inside = doc[start:end].text
    if any(m in inside for m in ("“", "”", '"')):
        return QuoteKind.MIXED
    return QuoteKind.INDIRECT


def _gap(a: tuple[int, int], b: tuple[int, int]) -> int:
    if a[1] <= b[0]:
        return b[0] - a[1]
    if b[1] <= a[0]:
        return a[0] - b[1]
    return 0


_SENTENCE_ENDS = frozenset(".!?")


def sentence_stops(doc: Doc) -> list[int]:
    """``stops[i]``: how many sentence-final marks (. ! ?) come before token ``i``, so
    that ``stops[b] - stops[a]`` says whether tokens ``a``..``b`` cross a sentence end.
    Marks inside a quote are inside its span, so "“… now.” Okafor said" crosses none."""
    stops = [0]
    for tok in doc:
        stops.append(stops[-1] + (tok.text in _SENTENCE_ENDS))
    return stops


def nearest(
    quote: tuple[int, int],
    spans: Sequence[tuple[int, int]],
    paras: Sequence[int],
    quotes: Sequence[tuple[int, int]],
    stops: Sequence[int] | None = None,
) -> tuple[int, int] | None:
    """The span of ``spans`` nearest to ``quote`` in its paragraph, not lying across or
    beyond another quote; one in the quote's own sentence before any across a sentence
    end (``stops``, see ``sentence_stops``: "Okafor is certain the line will close.
    Novak warned that …" gives the first quote Okafor, not the nearer Novak); ties: the
    one after the quote ("…,” she said")."""
    first, last = paras[quote[0]], paras[quote[1] - 1]
    best: tuple[int, int, int, int] | None = None  # crosses?, gap, before?, index
    for i, s in enumerate(spans):
        if not first <= paras[s[0]] <= last:
            continue
        lo, hi = (quote[1], s[0]) if s[0] >= quote[1] else (s[1], quote[0])
        if any(q != quote and lo <= q[0] and q[1] <= hi for q in quotes):
            continue  # another quote between them: that one's speaker
        crosses = int(stops is not None and stops[hi] > stops[lo])
        key = (crosses, _gap(quote, s), 0 if s[0] >= quote[1] else 1, i)
        if best is None or key < best:
            best = key
    return None if best is None else spans[best[3]]


class TrainedQuoteFinder:
    """Quote candidates from the trained ``quote_ner``'s spans (see the module)."""

    def __init__(self, links: str = "rules", rules: QuoteFinder | None = None) -> None:
        self.links = links
        self.rules = rules

    def find(self, doc: Doc, *, indirect_cognition: bool = False) -> list[QuoteCandidate]:
        spans: Sequence[SpacySpan] = doc.spans.get(QUOTE_SPANS_KEY, [])
        by_label: dict[str, list[tuple[int, int]]] = {"QUOTE": [], "SPEAKER": [], "CUE": []}
        for s in spans:
            if s.label_ in by_label:
                by_label[s.label_].append((s.start, s.end))
        quotes = by_label["QUOTE"]
        if not quotes:
            return []
        paras = paragraph_ids(doc)
        stops = sentence_stops(doc)
        ruled: list[Any] = []
        if self.links == "rules" and self.rules is not None:
            ruled = self.rules.find(doc, indirect_cognition=indirect_cognition)
        out: list[QuoteCandidate] = []
        for q in quotes:
            speaker = cue = None
            if ruled:
                match = _best_overlap(q, ruled)
                if match is not None:
                    # the rules choose; the model's span of that stretch gives the bounds
                    speaker = _predicted(match.speaker, by_label["SPEAKER"])
                    cue = _predicted(match.cue, by_label["CUE"])
            if speaker is None:
                speaker = nearest(q, by_label["SPEAKER"], paras, quotes, stops)
            if cue is None:
                cue = nearest(q, by_label["CUE"], paras, quotes, stops)
            kind = quote_kind(doc, *q)
            out.append(QuoteCandidate(q[0], q[1], kind, QUOTE_CONFIDENCE, speaker, cue))
        return out


def _best_overlap(q: tuple[int, int], cands: Sequence[QuoteCandidate]) -> QuoteCandidate | None:
    best: tuple[int, QuoteCandidate] | None = None
    for c in cands:
        shared = min(q[1], c.end) - max(q[0], c.start)
        if shared > 0 and (best is None or shared > best[0]):
            best = (shared, c)
    return None if best is None else best[1]


def _predicted(
    ruled: tuple[int, int] | None, predicted: Sequence[tuple[int, int]]
) -> tuple[int, int] | None:
    """The predicted span overlapping the rules' one most, else the rules' own."""
    if ruled is None:
        return None
    best = max(predicted, key=lambda p: min(p[1], ruled[1]) - max(p[0], ruled[0]), default=None)
    if best is not None and min(best[1], ruled[1]) > max(best[0], ruled[0]):
        return best
    return ruled
