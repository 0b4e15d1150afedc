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
from spacy.attrs import DEP, HEAD, IS_SPACE, LEMMA, MORPH, ORTH, POS, TAG
from spacy.language import Language
from spacy.tokens import Doc

from annotator.nlp.entities import entity_rows
from annotator.nlp.quotes_arrays import arrays_of, doc_session
from annotator.nlp.quotes_common import PRONOUNS, QuoteCandidate, include_that, paragraph_ids

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

    def __init__(self, finder: QuoteFinder, *, keep_that: bool = False) -> None:
        self.finder = finder
        # the scheme option of docs/QUOTES.md: False (ours) leaves a leading
        # complementiser "that" outside indirect and mixed quotes, True (PARC) keeps it
        self.keep_that = keep_that
        # the pipeline's lemmatizer when ensure_component took it out of the
        # pipeline: lemmas are then made here, only for the tokens the rules read
        self.lemmatizer: Any = None
        self._lemmas: dict[Any, int] = {}  # lemma by (orth, pos, morph): see lemmatize_cue_tokens

    def __call__(
        self,
        doc: Doc,
        *,
        quotes: bool = True,
        indirect_cognition: bool = False,
        keep_that: bool | None = None,
    ) -> Doc:
        if quotes and self.lemmatizer is not None:
            if len(self._lemmas) > 200_000:
                self._lemmas.clear()  # bounded: a long run meets ever more word forms
            lemmatize_cue_tokens(doc, self.lemmatizer, self._lemmas)
        doc.user_data[RESULT_KEY] = findings(
            doc,
            self.finder,
            quotes=quotes,
            indirect_cognition=indirect_cognition,
            keep_that=self.keep_that if keep_that is None else keep_that,
        )
        doc.tensor = numpy.zeros((0,), dtype="float32")
        return doc

    def pipe(self, docs: Iterable[Doc], *, batch_size: int = 0, **kwargs: Any) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc, **kwargs)


@Language.factory(COMPONENT, default_config={"keep_that": False})
def make_quote_component(nlp: Language, name: str, keep_that: bool) -> QuoteComponent:
    """``keep_that``: keep a leading complementiser "that" in indirect and mixed
    quotes (PARC's convention); False, the default, is this project's scheme."""
    return QuoteComponent(default_finder(nlp), keep_that=keep_that)


def findings(
    doc: Doc,
    finder: QuoteFinder,
    *,
    quotes: bool = True,
    indirect_cognition: bool = False,
    keep_that: bool = False,
) -> dict[str, Any]:
    """What the suggester needs from a processed Doc, in character offsets."""
    with doc_session(doc) as arrays:  # the Doc's columns, read once for all the rules
        ent_labels = [label for _, _, label in arrays.ent_rows]
        ents: list[EntityRow] = entity_rows(doc, scheme_labels=None, dropped=Counter())
        rows: list[QuoteRow] = []
        if quotes:
            cands = finder.find(doc, indirect_cognition=indirect_cognition)
            if keep_that:
                include_that(doc, cands)
            rows = quote_rows(doc, cands)
        return {"words": count_words(doc), "ent_labels": ent_labels, "ents": ents, "quotes": rows}


def count_words(doc: Doc) -> int:
    """Tokens that are neither punctuation nor whitespace (spaCy's ``is_punct`` and
    ``is_space``): words and numbers; "%" and quote marks are punctuation."""
    if not len(doc):
        return 0
    return arrays_of(doc).n_words


def quote_rows(doc: Doc, cands: list[QuoteCandidate]) -> list[QuoteRow]:
    from annotator.nlp.quotes import pronoun_referent

    arrays = arrays_of(doc)
    idx, ends = arrays.idx, arrays.ends

    def chars(r: tuple[int, int]) -> CharRange:
        return idx[r[0]], ends[r[1] - 1]

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
        rows.append((qs, qe, str(cand.kind), cand.confidence, speaker, pron, referent, cue))
    return rows


@Language.component(BREAKS)
def paragraph_breaks(doc: Doc) -> Doc:
    """A paragraph break always ends a sentence: without this the parser can run a
    headline into the next paragraph and hang one's clause on the other (the parser
    and sentencizer respect preset boundaries). First in the pipeline, so that it
    runs wherever the pipeline runs, texts tokenized by spaCy included.

    The token after a whitespace token holding a newline starts a sentence, unless
    it is whitespace itself. Only whitespace tokens followed by a non-whitespace one
    are looked at (found with numpy): a Token object for every token costs more."""
    if len(doc) < 2:
        return doc
    space = doc.to_array(IS_SPACE).astype(bool)
    for i in numpy.flatnonzero(space[:-1] & ~space[1:]).tolist():
        if "\n" in doc[i].text:
            doc[i + 1].is_sent_start = True
    return doc


# the English lemmatizer's lemmas are read by the quote rules only for these
# tokens (quotes_parse.ParseReader.cue_of and quotes_indirect._content_of): a
# verb by part of speech or tag, its direct objects and its head
_VERB_POS = ("VERB", "AUX")
_VERB_TAGS = ("VBG", "VBN", "VBD", "VBZ", "VBP")


def lemmatize_cue_tokens(doc: Doc, lemmatizer: Any, cache: dict[Any, int] | None = None) -> None:
    """Set the lemmas the quote rules read, as ``lemmatizer`` would set them in the
    pipeline (its own ``lemmatize``, only where no lemma is set yet, the way it
    does with ``overwrite = false``): verbs, their direct objects and their heads.
    Every other token keeps no lemma.

    ``cache`` keeps lemmas between documents by the key the rule lemmatizer caches
    its own results under (text, part of speech, morphology): a lemma is a function
    of that key, and the lemmatizer is asked once per key instead of once per token."""
    n = len(doc)
    if not n:
        return
    strings = doc.vocab.strings
    pos_ids = [strings.add(p) for p in _VERB_POS]
    tag_ids = [strings.add(t) for t in _VERB_TAGS]
    cols = doc.to_array([POS, TAG, DEP, HEAD, LEMMA, ORTH, MORPH])
    pos, tag, dep, lemma = cols[:, 0], cols[:, 1], cols[:, 2], cols[:, 4]
    heads = numpy.arange(n) + cols[:, 3].astype("int64")
    verb = numpy.isin(pos, pos_ids) | numpy.isin(tag, tag_ids)
    wanted = verb.copy()
    wanted[heads[verb]] = True
    wanted |= (dep == strings.add("dobj")) & verb[heads]
    todo = numpy.flatnonzero(wanted & (lemma == 0)).tolist()
    if not todo:
        return
    if cache is None:
        cache = {}
    keys = cols[:, [5, 0, 6]].tolist()
    lemmas = lemma.copy()
    for i in todo:
        key = tuple(keys[i])
        value = cache.get(key)
        if value is None:
            value = cache[key] = strings.add(lemmatizer.lemmatize(doc[i])[0])
        lemmas[i] = value
    doc.from_array([LEMMA], lemmas.reshape((n, 1)))  # type: ignore[arg-type]


def ensure_component(nlp: Language) -> QuoteComponent:
    """The pipeline's quote component, added last if it is not there yet (and the
    paragraph-break rule first)."""
    if BREAKS not in nlp.component_names:
        nlp.add_pipe(BREAKS, first=True)
    if COMPONENT not in nlp.component_names:
        nlp.add_pipe(COMPONENT, last=True)
    component = nlp.get_pipe(COMPONENT)
    assert isinstance(component, QuoteComponent)
    _defer_lemmatizer(nlp, component)
    return component


# what may follow the lemmatizer for _defer_lemmatizer: none of these reads lemmas
# (NER embeds NORM, PREFIX, SUFFIX and SHAPE), and our component makes its own
_AFTER_LEMMATIZER = frozenset({"ner", COMPONENT})


def _defer_lemmatizer(nlp: Language, component: QuoteComponent) -> None:
    """Take spaCy's rule lemmatizer out of the pipeline and let the quote component
    lemmatize just the tokens the quote rules read (about one in four; the
    lemmatizer costs about 3% of en_core_web_sm's time). The suggestions are the
    same: the rules read the very lemma the lemmatizer would have set, and nothing
    else in the pipeline or the suggester reads lemmas. Only when every component
    after it is known not to read lemmas, and it does not overwrite earlier ones."""
    if component.lemmatizer is not None or "lemmatizer" not in nlp.pipe_names:
        return
    names = nlp.pipe_names
    lemmatizer = nlp.get_pipe("lemmatizer")
    if (
        not set(names[names.index("lemmatizer") + 1 :]) <= _AFTER_LEMMATIZER
        or getattr(lemmatizer, "overwrite", True)
        or getattr(lemmatizer, "mode", "") != "rule"
        or not callable(getattr(lemmatizer, "lemmatize", None))
    ):
        return
    nlp.disable_pipe("lemmatizer")
    component.lemmatizer = lemmatizer
