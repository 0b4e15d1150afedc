"""The quote rules and the entity clean-up as the last spaCy pipeline component.

Run inside the pipeline, they run wherever spaCy runs the pipeline: with
``nlp.pipe(..., n_process=2)`` that is the worker processes, and only small,
picklable results come back to the main process. The component leaves its
findings in ``doc.user_data[RESULT_KEY]`` as plain tuples in character offsets
of ``doc.text`` (msgpack survives the trip through ``Doc.to_bytes``):

- ``"words"``: how many tokens are neither punctuation nor whitespace;
- ``"ent_labels"``: the label of every ``doc.ents`` entry (to count labels
  outside the project's scheme);
- ``"ents"``: ``(start, end, label, score or None)`` of each cleaned entity
  (:func:`annotator.nlp.entities.entity_spans`);
- ``"quotes"``: ``(start, end, kind, confidence, speaker, pronoun, referent,
  cue)`` of each quote candidate, where ``speaker``, ``referent`` and ``cue``
  are ``(start, end)`` or ``None`` and ``pronoun`` says whether the speaker is
  a personal pronoun (whose confidence depends on the referent being among the
  entities the project keeps: decided by the suggester in the main process).

The component also empties ``doc.tensor``: nothing after it reads it, and it is
most of what a worker would otherwise send back (96 floats per token).
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any, Protocol

import numpy
from spacy.attrs import IS_PUNCT, IS_SPACE
from spacy.language import Language
from spacy.tokens import Doc

from annotator.nlp.entities import entity_spans
from annotator.nlp.quotes_common import PRONOUNS, QuoteCandidate, paragraph_ids

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

COMPONENT = "annotator_quotes"
BREAKS = "annotator_breaks"
RESULT_KEY = "annotator_suggest"

CharRange = tuple[int, int]
EntityRow = tuple[int, int, str, float | None]
QuoteRow = tuple[int, int, str, float, CharRange | None, bool, CharRange | None, CharRange | None]


class QuoteFinder(Protocol):
    def find(self, doc: Doc, *, indirect_cognition: bool = False) -> list[QuoteCandidate]: ...


def default_finder(nlp: Language) -> QuoteFinder:
    """The parse-based finder when the pipeline parses, else the rule-based one."""
    if "parser" in nlp.pipe_names:
        from annotator.nlp.quotes import ParseQuoteFinder

        return ParseQuoteFinder()
    from annotator.nlp.rules import RuleQuoteFinder

    return RuleQuoteFinder()


class QuoteComponent:
    """Entities and quote candidates of a processed Doc, kept in ``doc.user_data``.

    Per-call options come as keyword arguments (``nlp.pipe(component_cfg=…)``):
    ``quotes=False`` skips the quote rules (a scheme without quote labels) and
    ``indirect_cognition=True`` lets "believe"/"think" report indirect quotes."""

    def __init__(self, finder: QuoteFinder) -> None:
        self.finder = finder

    def __call__(self, doc: Doc, *, quotes: bool = True, indirect_cognition: bool = False) -> Doc:
        doc.user_data[RESULT_KEY] = findings(
            doc, self.finder, quotes=quotes, indirect_cognition=indirect_cognition
        )
        doc.tensor = numpy.zeros((0,), dtype="float32")
        return doc

    def pipe(self, docs: Iterable[Doc], *, batch_size: int = 0, **kwargs: Any) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc, **kwargs)


@Language.factory(COMPONENT)
def make_quote_component(nlp: Language, name: str) -> QuoteComponent:
    return QuoteComponent(default_finder(nlp))


def findings(
    doc: Doc, finder: QuoteFinder, *, quotes: bool = True, indirect_cognition: bool = False
) -> dict[str, Any]:
    """What the suggester needs from a processed Doc, in character offsets."""
    ent_labels = [e.label_ for e in doc.ents]
    ents: list[EntityRow] = [
        (s.start, s.end, s.label, s.confidence)
        for s in entity_spans(doc, scheme_labels=None, dropped=Counter())
    ]
    rows: list[QuoteRow] = []
    if quotes:
        rows = quote_rows(doc, finder.find(doc, indirect_cognition=indirect_cognition))
    return {"words": count_words(doc), "ent_labels": ent_labels, "ents": ents, "quotes": rows}


def count_words(doc: Doc) -> int:
    """Tokens that are neither punctuation nor whitespace (spaCy's ``is_punct`` and
    ``is_space``): words and numbers; "%" and quote marks are punctuation."""
    if not len(doc):
        return 0
    flags = doc.to_array([IS_PUNCT, IS_SPACE])
    return int((flags.sum(axis=1) == 0).sum())


def quote_rows(doc: Doc, cands: list[QuoteCandidate]) -> list[QuoteRow]:
    from annotator.nlp.quotes import pronoun_referent

    def chars(r: tuple[int, int]) -> CharRange:
        last = doc[r[1] - 1]
        return doc[r[0]].idx, last.idx + len(last.text)

    paras: list[int] | None = None
    rows: list[QuoteRow] = []
    for cand in cands:
        speaker: CharRange | None = None
        pron = False
        referent: CharRange | None = None
        if cand.speaker is not None:
            speaker = chars(cand.speaker)
            first = doc[cand.speaker[0]]
            pron = cand.speaker[1] - cand.speaker[0] == 1 and first.lower_ in PRONOUNS
            if pron:
                if paras is None:
                    paras = paragraph_ids(doc)
                ref = pronoun_referent(doc, first, paras)
                referent = chars(ref) if ref is not None else None
        cue = chars(cand.cue) if cand.cue is not None else None
        qs, qe = chars((cand.start, cand.end))
        rows.append(
            (qs, qe, str(cand.kind), cand.confidence, speaker, pron, referent, cue)
        )
    return rows


@Language.component(BREAKS)
def paragraph_breaks(doc: Doc) -> Doc:
    """A paragraph break always ends a sentence: without this the parser can run a
    headline into the next paragraph and hang one's clause on the other (the parser
    and sentencizer respect preset boundaries). First in the pipeline, so that it
    runs wherever the pipeline runs, texts tokenized by spaCy included."""
    n = len(doc)
    if not n or "\n" not in doc.text:
        return doc
    flags = doc.to_array([IS_SPACE]).tolist()
    for i, space in enumerate(flags):
        if space and i + 1 < n and not flags[i + 1] and "\n" in doc[i].text:
            doc[i + 1].is_sent_start = True
    return doc


def ensure_component(nlp: Language) -> QuoteComponent:
    """The pipeline's quote component, added last if it is not there yet (and the
    paragraph-break rule first)."""
    if BREAKS not in nlp.component_names:
        nlp.add_pipe(BREAKS, first=True)
    if COMPONENT not in nlp.component_names:
        nlp.add_pipe(COMPONENT, last=True)
    component = nlp.get_pipe(COMPONENT)
    assert isinstance(component, QuoteComponent)
    return component
