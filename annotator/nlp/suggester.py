"""Suggester: runs a spaCy pipeline over stored tokens and returns suggestions.

One class serves trained pipelines and the built-in rule pipeline; the quote
finder is chosen by what the pipeline can do (a parser or not).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, TypeVar

from spacy.tokens import Doc

from annotator.core import (
    DEFAULT_SCHEME,
    Layer,
    Origin,
    QuoteKind,
    Relation,
    RelationLabel,
    Span,
    SpanKey,
    Token,
    TokenIndex,
    ValidationError,
    validate_span,
)
from annotator.nlp.entities import entity_spans
from annotator.nlp.quotes import ParseQuoteFinder, pronoun_referent
from annotator.nlp.quotes_common import (
    CONF_MEDIUM,
    CONF_PRONOUN_UNRESOLVED,
    PRONOUNS,
    QuoteCandidate,
    paragraph_ids,
)

if TYPE_CHECKING:
    from spacy.language import Language

    from annotator.nlp.pipeline import PipelineInfo

K = TypeVar("K")

LOW_CONFIDENCE = 0.5  # the UI hides suggestions below this unless asked


@dataclass
class Suggestions:
    spans: list[Span] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    # pronoun SPEAKER key -> the PERSON/ORG entity it most likely refers to
    referents: dict[SpanKey, SpanKey] = field(default_factory=dict)
    dropped_labels: Counter[str] = field(default_factory=Counter)


class QuoteFinder(Protocol):
    def find(self, doc: Doc, *, indirect_cognition: bool = False) -> list[QuoteCandidate]: ...


def doc_for_tokens(nlp: Language, text: str, tokens: list[Token]) -> Doc:
    """A Doc in ``nlp``'s vocab whose tokens are the stored ones and whose text
    is ``text`` exactly; uncovered gaps become extra whitespace tokens so that
    character offsets stay the document's own."""
    words: list[str] = []
    spaces: list[bool] = []
    pos = 0
    for tok in tokens:
        if tok.start > pos:
            gap = text[pos : tok.start]
            if words and spaces[-1] is False and gap.startswith(" "):
                spaces[-1] = True
                gap = gap[1:]
            if gap:
                words.append(gap)
                spaces.append(False)
        words.append(text[tok.start : tok.end])
        nxt = tok.end
        has_space = nxt < len(text) and text[nxt] == " " and tok.ws
        spaces.append(has_space)
        pos = tok.end + (1 if has_space else 0)
    if pos < len(text):
        gap = text[pos:]
        if words and spaces[-1] is False and gap.startswith(" "):
            spaces[-1] = True
            gap = gap[1:]
        if gap:
            words.append(gap)
            spaces.append(False)
    doc = Doc(nlp.vocab, words=words, spaces=spaces)
    # a paragraph break always ends a sentence: without this the parser can
    # run a headline into the next paragraph and hang one's clause on the other
    # (the parser and sentencizer respect preset boundaries)
    for i in range(1, len(doc)):
        prev = doc[i - 1]
        if "\n" in prev.text and prev.is_space and not doc[i].is_space:
            doc[i].is_sent_start = True
    return doc


class Suggester:
    """Suggestions from one pipeline; cheap to call from a worker thread."""

    def __init__(self, nlp: Language, info: PipelineInfo, finder: QuoteFinder | None = None):
        self.nlp = nlp
        self.info = info
        if finder is None:
            if "parser" in nlp.pipe_names:
                finder = ParseQuoteFinder()
            else:
                from annotator.nlp.rules import RuleQuoteFinder

                finder = RuleQuoteFinder()
        self.finder = finder

    def __repr__(self) -> str:
        return f"Suggester({self.info.key!r})"

    # -- running the pipeline ----------------------------------------------

    def _disabled(self, scheme_labels: Collection[str] | None) -> list[str]:
        # every component is needed for quotes (lemmas for cues, parse for
        # speakers); only NER can go when the scheme has no entity label
        if scheme_labels is not None and not (set(scheme_labels) & set(self.info.ner_labels)):
            return [n for n in self.nlp.pipe_names if n in ("ner", "entity_ruler")]
        return []

    def suggest(
        self,
        text: str,
        tokens: list[Token],
        *,
        scheme_labels: Collection[str] | None = None,
        indirect_cognition: bool = False,
    ) -> Suggestions:
        doc = doc_for_tokens(self.nlp, text, tokens)
        with self.nlp.select_pipes(disable=self._disabled(scheme_labels)):
            doc = self.nlp(doc)
        return self.from_doc(
            doc, text, tokens, scheme_labels=scheme_labels, indirect_cognition=indirect_cognition
        )

    def suggest_many(
        self,
        items: Iterable[tuple[K, str, list[Token]]],
        *,
        batch_size: int = 64,
        n_process: int = 1,
        scheme_labels: Collection[str] | None = None,
        indirect_cognition: bool = False,
    ) -> Iterator[tuple[K, Suggestions]]:
        """Suggestions for many documents, in order. With ``n_process > 1`` spaCy
        sends the Docs as bytes to worker processes; keys, texts and tokens stay
        in this process, and the quote rules run here on the returned Docs."""

        def docs() -> Iterator[tuple[Doc, tuple[K, str, list[Token]]]]:
            for key, text, tokens in items:
                yield doc_for_tokens(self.nlp, text, tokens), (key, text, tokens)

        disable = self._disabled(scheme_labels)
        for doc, (key, text, tokens) in self.nlp.pipe(
            docs(), as_tuples=True, batch_size=batch_size, n_process=n_process, disable=disable
        ):
            yield key, self.from_doc(
                doc, text, tokens, scheme_labels=scheme_labels,
                indirect_cognition=indirect_cognition,
            )

    # -- turning a processed Doc into suggestions ---------------------------

    def from_doc(
        self,
        doc: Doc,
        text: str,
        tokens: list[Token],
        *,
        scheme_labels: Collection[str] | None = None,
        indirect_cognition: bool = False,
    ) -> Suggestions:
        labels: Collection[str] = (
            scheme_labels if scheme_labels is not None else DEFAULT_SCHEME.names()
        )
        result = Suggestions()
        index = TokenIndex(tokens)  # one per document: every span is checked against it
        ents = entity_spans(doc, scheme_labels=labels, dropped=result.dropped_labels)
        ents = [s for s in ents if _valid(s, text, index)]
        result.spans.extend(ents)
        if not {"QUOTE", "SPEAKER", "CUE"} & set(labels):
            return result
        cands = self.finder.find(doc, indirect_cognition=indirect_cognition)
        self._add_quotes(doc, text, index, cands, set(labels), ents, result)
        return result

    def _add_quotes(
        self,
        doc: Doc,
        text: str,
        index: TokenIndex,
        cands: list[QuoteCandidate],
        labels: set[str],
        ents: list[Span],
        result: Suggestions,
    ) -> None:
        paras = paragraph_ids(doc)
        ent_by_range = {(e.start, e.end): e for e in ents}
        quote_spans: dict[SpanKey, Span] = {}
        other: dict[SpanKey, Span] = {}
        relations: dict[tuple[SpanKey, SpanKey, str], Relation] = {}

        def chars(r: tuple[int, int]) -> tuple[int, int]:
            return doc[r[0]].idx, doc[r[1] - 1].idx + len(doc[r[1] - 1].text)

        def put(store: dict[SpanKey, Span], span: Span) -> Span | None:
            if span.label not in labels or not _valid(span, text, index):
                return None
            old = store.get(span.key)
            if old is not None and (old.confidence or 0) >= (span.confidence or 0):
                return old
            store[span.key] = span
            return span

        for cand in cands:
            conf = cand.confidence
            speaker_span: Span | None = None
            if cand.speaker is not None:
                s, e = chars(cand.speaker)
                pron = cand.speaker[1] - cand.speaker[0] == 1 and doc[cand.speaker[0]].lower_ in (
                    PRONOUNS
                )
                if pron:
                    ref = pronoun_referent(doc, doc[cand.speaker[0]], paras)
                    ref_span = ent_by_range.get(chars(ref)) if ref is not None else None
                    if cand.kind == QuoteKind.DIRECT and conf >= CONF_PRONOUN_UNRESOLVED:
                        conf = CONF_MEDIUM if ref_span is not None else CONF_PRONOUN_UNRESOLVED
                    key = SpanKey(s, e, "SPEAKER", str(Layer.QUOTES))
                    if ref_span is not None:
                        result.referents[key] = ref_span.key
                speaker_span = Span(s, e, "SPEAKER", Layer.QUOTES, Origin.SUGGESTED, None, conf)
            qs, qe = chars((cand.start, cand.end))
            quote = put(
                quote_spans,
                Span(qs, qe, "QUOTE", Layer.QUOTES, Origin.SUGGESTED, cand.kind, conf),
            )
            if quote is None:
                continue
            if speaker_span is not None:
                sp = put(other, speaker_span)
                if sp is not None:
                    rel = Relation(quote.key, sp.key, RelationLabel.SPEAKER)
                    relations[rel.key] = rel
            if cand.cue is not None:
                cs, ce = chars(cand.cue)
                cue = put(other, Span(cs, ce, "CUE", Layer.QUOTES, Origin.SUGGESTED, None, conf))
                if cue is not None:
                    rel = Relation(quote.key, cue.key, RelationLabel.CUE)
                    relations[rel.key] = rel
        result.spans.extend(quote_spans.values())
        result.spans.extend(other.values())
        # a QUOTE key may have been replaced by a stronger duplicate: keep the
        # relations whose ends both exist
        keys = set(quote_spans) | set(other)
        result.relations.extend(
            r for r in relations.values() if r.head in keys and r.child in keys
        )
        result.referents = {k: v for k, v in result.referents.items() if k in keys}


def _valid(span: Span, text: str, tokens: TokenIndex) -> bool:
    try:
        validate_span(span, text, tokens)
    except ValidationError:
        return False
    return 0.0 <= (span.confidence or 0.0) <= 1.0
