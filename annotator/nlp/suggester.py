"""Suggester: runs a spaCy pipeline over stored tokens and returns suggestions.

One class serves trained pipelines and the built-in rule pipeline; the quote
finder is chosen by what the pipeline can do (a parser or not) and runs as the
pipeline's last component.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

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
    TokenArray,
    TokenIndex,
    ValidationError,
    validate_span,
)
from annotator.nlp.attribute_columns import use_column_ruler
from annotator.nlp.pieces import PIECE_CHARS, Piece, cut_pieces
from annotator.nlp.quotes_common import CONF_MEDIUM, CONF_PRONOUN_UNRESOLVED
from annotator.nlp.quotes_component import (
    COMPONENT,
    RESULT_KEY,
    QuoteFinder,
    QuoteRow,
    ensure_component,
    findings,
)
from annotator.nlp.tokenize import same_tokenizer, tokenize, tokens_of

if TYPE_CHECKING:
    from spacy.language import Language

    from annotator.nlp.pipeline_info import PipelineInfo

K = TypeVar("K")

LOW_CONFIDENCE = 0.5  # the UI hides suggestions below this unless asked
QUOTE_LABELS = frozenset({"QUOTE", "SPEAKER", "CUE"})
SINGLE_BATCH = 8  # pieces of one long text processed at once by ``suggest``
Findings = dict[str, Any]  # what the quote component leaves in ``doc.user_data``


@dataclass
class Suggestions:
    spans: list[Span] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    # pronoun SPEAKER key -> the PERSON/ORG entity it most likely refers to
    referents: dict[SpanKey, SpanKey] = field(default_factory=dict)
    dropped_labels: Counter[str] = field(default_factory=Counter)
    # tokens that are neither punctuation nor whitespace (what "words/s" counts)
    words: int = 0
    # the document's tokens when it came without stored tokens and was tokenized here
    tokens: Sequence[Token] | None = None


def doc_for_tokens(nlp: Language, text: str, tokens: Sequence[Token]) -> Doc:
    """A Doc in ``nlp``'s vocab whose tokens are the stored ones and whose text
    is ``text`` exactly; uncovered gaps become extra whitespace tokens so that
    character offsets stay the document's own."""
    words: list[str] = []
    spaces: list[bool] = []
    breaks: list[int] = []  # words that are whitespace holding a newline
    pos = 0
    n = len(text)
    for tok in tokens:
        start, end = tok.start, tok.end
        if start > pos:
            gap = text[pos:start]
            if words and spaces[-1] is False and gap.startswith(" "):
                spaces[-1] = True
                gap = gap[1:]
            if gap:
                if "\n" in gap and gap.isspace():
                    breaks.append(len(words))
                words.append(gap)
                spaces.append(False)
        word = text[start:end]
        if "\n" in word and word.isspace():
            breaks.append(len(words))
        words.append(word)
        has_space = end < n and text[end] == " " and tok.ws
        spaces.append(has_space)
        pos = end + 1 if has_space else end
    if pos < n:
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
    for b in breaks:
        nxt = b + 1
        if nxt < len(words) and not words[nxt].isspace():
            doc[nxt].is_sent_start = True
    return doc


class Suggester:
    """Suggestions from one pipeline; cheap to call from a worker thread.

    The quote rules and the entity clean-up run as the pipeline's last component
    (:mod:`annotator.nlp.quotes_component`), so with ``n_process > 1`` they run in
    spaCy's worker processes; this process only turns their plain results into
    spans. Texts longer than :data:`~annotator.nlp.pieces.PIECE_CHARS` (never more
    than the pipeline's ``max_length``) run as pieces (:mod:`annotator.nlp.pieces`)."""

    def __init__(self, nlp: Language, info: PipelineInfo, finder: QuoteFinder | None = None):
        self.nlp = nlp
        self.info = info
        self.component = ensure_component(nlp)
        # the same POS, tags, morphs and lemmas as spaCy's attribute ruler, in a
        # tenth of its time (see attribute_columns)
        use_column_ruler(nlp)
        if finder is not None:
            self.component.finder = finder
        self.piece_chars = max(1, min(PIECE_CHARS, nlp.max_length))
        self._same_tokenizer: dict[str, bool] = {}

    def tokenizes_as_project(self, lang: str = "en") -> bool:
        """Whether the pipeline's own tokenizer splits text exactly as the project's
        tokenizer for ``lang`` (same rules, exceptions and patterns; only the
        vocabulary differs). Then a document without stored tokens goes into the
        pipeline as text: spaCy tokenizes it once, in the worker process, and its
        tokens are stored."""
        same = self._same_tokenizer.get(lang)
        if same is None:
            same = self._same_tokenizer[lang] = same_tokenizer(self.nlp, lang)
        return same

    def __repr__(self) -> str:
        return f"Suggester({self.info.key!r})"

    @property
    def finder(self) -> QuoteFinder:
        return self.component.finder

    # -- running the pipeline ----------------------------------------------

    def _disabled(self, scheme_labels: Collection[str] | None) -> list[str]:
        # every component is needed for quotes (lemmas for cues, parse for
        # speakers); only NER can go when the scheme has no entity label
        if scheme_labels is not None and not (set(scheme_labels) & set(self.info.ner_labels)):
            return [n for n in self.nlp.pipe_names if n in ("ner", "entity_ruler")]
        return []

    @staticmethod
    def _labels(scheme_labels: Collection[str] | None) -> set[str]:
        return set(scheme_labels if scheme_labels is not None else DEFAULT_SCHEME.names())

    def suggest(
        self,
        text: str,
        tokens: Sequence[Token],
        *,
        scheme_labels: Collection[str] | None = None,
        indirect_cognition: bool = False,
        keep_that: bool = False,
    ) -> Suggestions:
        # a small batch: a long text's pieces go through a few at a time
        ((_, result),) = self.suggest_many(
            [(0, text, tokens)],
            batch_size=SINGLE_BATCH,
            scheme_labels=scheme_labels,
            indirect_cognition=indirect_cognition,
            keep_that=keep_that,
        )
        return result

    def suggest_many(
        self,
        items: Iterable[tuple[K, str, Sequence[Token] | None]],
        *,
        batch_size: int = 64,
        n_process: int = 1,
        scheme_labels: Collection[str] | None = None,
        indirect_cognition: bool = False,
        keep_that: bool = False,
        lang: str = "en",
    ) -> Iterator[tuple[K, Suggestions]]:
        """Suggestions for many documents, in order. With ``n_process > 1`` spaCy
        sends the Docs as bytes (the texts, for documents it tokenizes) to worker
        processes, where the whole pipeline runs, quote rules included; keys and
        stored tokens stay in this process.

        A long text is cut into pieces; a batch holds at most ``batch_size``
        pieces or documents, so memory stays bounded by ``batch_size`` times
        ``PIECE_CHARS`` characters however long an article is.

        ``tokens`` may be ``None`` for a document not tokenized yet: it is tokenized
        with the project's rules for ``lang`` (by the pipeline itself when its
        tokenizer is the same, see :meth:`tokenizes_as_project`) and the result
        carries the tokens. ``keep_that``: the scheme option that starts an indirect
        or mixed quote at its complementiser "that" (docs/QUOTES.md)."""
        labels = self._labels(scheme_labels)
        cfg = {
            COMPONENT: {
                "quotes": bool(QUOTE_LABELS & labels),
                "indirect_cognition": indirect_cognition,
                "keep_that": keep_that,
            }
        }
        # key, text, tokens (None: from the Doc), pieces, tokenized here
        pending: deque[tuple[K, str, Sequence[Token] | None, list[Piece], bool]] = deque()
        nlp = self.nlp
        whole = [Piece(0, 0, 0, 0)]  # stands for "one piece, tokens from the Doc"

        def docs() -> Iterator[Doc | str]:
            for key, text, stored in items:
                fresh = stored is None
                if stored is None:
                    if len(text) <= self.piece_chars and self.tokenizes_as_project(lang):
                        pending.append((key, text, None, whole, True))
                        yield text
                        continue
                    stored = tokenize(text, lang)
                # compact columns (a long article's tokens as tuples would cost
                # about 144 bytes each); a TokenArray is taken as it is
                tokens = TokenArray.from_tokens(stored)
                pieces = cut_pieces(text, tokens, self.piece_chars)
                pending.append((key, text, tokens, pieces, fresh))
                if len(pieces) == 1:
                    yield doc_for_tokens(nlp, text, tokens)
                    continue
                for p in pieces:
                    yield doc_for_tokens(nlp, text[p.start : p.end], p.tokens(tokens))

        done = nlp.pipe(
            docs(),
            batch_size=batch_size,
            n_process=n_process,
            disable=self._disabled(scheme_labels),
            component_cfg=cfg,
        )
        # each piece's findings become spans as the piece comes out of the pipeline
        # (its Doc and findings are not kept): a long article holds its spans only
        combining: _Combined | None = None
        seen = 0
        try:
            for doc in done:
                key, text, tokens, pieces, fresh = pending[0]
                if tokens is None:  # one piece, tokenized by the pipeline
                    tokens = tokens_of(doc)
                    pieces = [Piece(0, len(text), 0, len(tokens))]
                if combining is None:
                    combining = _Combined(text, tokens, labels)
                combining.add(pieces[seen], doc.user_data[RESULT_KEY])
                seen += 1
                if seen < len(pieces):
                    continue
                pending.popleft()
                result = self._finish(combining)
                if fresh:
                    result.tokens = tokens
                yield key, result
                combining, seen = None, 0
        finally:
            close = getattr(done, "close", None)
            if close is not None:
                close()  # ends spaCy's worker processes when the caller stops early

    # -- turning a processed Doc into suggestions ---------------------------

    def from_doc(
        self,
        doc: Doc,
        text: str,
        tokens: Sequence[Token],
        *,
        scheme_labels: Collection[str] | None = None,
        indirect_cognition: bool = False,
    ) -> Suggestions:
        """Suggestions from a Doc of ``text`` that went through this pipeline (the
        component's findings are used when it ran, else computed now)."""
        labels = self._labels(scheme_labels)
        found = doc.user_data.get(RESULT_KEY)
        if found is None:
            found = findings(
                doc,
                self.finder,
                quotes=bool(QUOTE_LABELS & labels),
                indirect_cognition=indirect_cognition,
            )
        combining = _Combined(text, tokens, labels)
        combining.add(Piece(0, len(text), 0, len(tokens)), found)
        return self._finish(combining)

    def _finish(self, c: _Combined) -> Suggestions:
        """One document's suggestions, once every piece was added."""
        result = c.result
        result.spans.extend(c.ents)
        if QUOTE_LABELS & c.labels:
            self._add_quotes(c.text, c.index, c.rows, c.labels, c.ents, result)
        return result

    def _add_quotes(
        self,
        text: str,
        index: TokenIndex,
        rows: list[QuoteRow],
        labels: set[str],
        ents: list[Span],
        result: Suggestions,
    ) -> None:
        ent_by_range = {(e.start, e.end): e for e in ents}
        quote_spans: dict[SpanKey, Span] = {}
        other: dict[SpanKey, Span] = {}
        relations: dict[tuple[SpanKey, SpanKey, str], Relation] = {}

        def put(store: dict[SpanKey, Span], span: Span) -> Span | None:
            if span.label not in labels or not _valid(span, text, index):
                return None
            old = store.get(span.key)
            if old is not None and (old.confidence or 0) >= (span.confidence or 0):
                return old
            store[span.key] = span
            return span

        for qs, qe, kind_name, conf, speaker, pron, referent, cue_range in rows:
            kind = QuoteKind(kind_name)
            speaker_span: Span | None = None
            if speaker is not None:
                s, e = speaker
                if pron:
                    ref_span = (
                        ent_by_range.get((referent[0], referent[1]))
                        if referent is not None
                        else None
                    )
                    if kind == QuoteKind.DIRECT and conf >= CONF_PRONOUN_UNRESOLVED:
                        conf = CONF_MEDIUM if ref_span is not None else CONF_PRONOUN_UNRESOLVED
                    key = SpanKey(s, e, "SPEAKER", str(Layer.QUOTES))
                    if ref_span is not None:
                        result.referents[key] = ref_span.key
                speaker_span = Span(s, e, "SPEAKER", Layer.QUOTES, Origin.SUGGESTED, None, conf)
            quote = put(
                quote_spans,
                Span(qs, qe, "QUOTE", Layer.QUOTES, Origin.SUGGESTED, kind, conf),
            )
            if quote is None:
                continue
            if speaker_span is not None:
                sp = put(other, speaker_span)
                if sp is not None:
                    rel = Relation(quote.key, sp.key, RelationLabel.SPEAKER)
                    relations[rel.key] = rel
            if cue_range is not None:
                cs, ce = cue_range
                cue = put(other, Span(cs, ce, "CUE", Layer.QUOTES, Origin.SUGGESTED, None, conf))
                if cue is not None:
                    rel = Relation(quote.key, cue.key, RelationLabel.CUE)
                    relations[rel.key] = rel
        result.spans.extend(quote_spans.values())
        result.spans.extend(other.values())
        # a QUOTE key may have been replaced by a stronger duplicate: keep the
        # relations whose ends both exist
        keys = set(quote_spans) | set(other)
        result.relations.extend(r for r in relations.values() if r.head in keys and r.child in keys)
        result.referents = {k: v for k, v in result.referents.items() if k in keys}


class _Combined:
    """One document's suggestions being gathered from its pieces' findings, in
    document offsets: entities as spans at once, quote rows until the last piece."""

    __slots__ = ("ents", "index", "labels", "result", "rows", "text")

    def __init__(self, text: str, tokens: Sequence[Token], labels: set[str]) -> None:
        self.text = text
        self.labels = labels
        self.result = Suggestions()
        self.index = TokenIndex(tokens)  # one per document: every span is checked against it
        self.ents: list[Span] = []
        self.rows: list[QuoteRow] = []

    def add(self, piece: Piece, f: Findings) -> None:
        text, labels, index = self.text, self.labels, self.index
        off = piece.start
        result = self.result
        result.words += f.get("words", 0)
        dropped = result.dropped_labels
        for label in f["ent_labels"]:
            if label not in labels:
                dropped[label] += 1
        for s, e, label, score in f["ents"]:
            if label in labels:
                span = Span(s + off, e + off, label, Layer.ENTS, Origin.SUGGESTED, None, score)
                if _valid(span, text, index):
                    self.ents.append(span)
        for row in f["quotes"]:
            shifted = _shift_row(row, off)
            if _touches_quoted_cut(text, piece, shifted):
                continue  # half of a quotation cut in two: neither half is the quote
            self.rows.append(shifted)


def _shift(r: Sequence[int] | None, off: int) -> tuple[int, int] | None:
    return None if r is None else (r[0] + off, r[1] + off)


def _shift_row(row: Sequence[Any], off: int) -> QuoteRow:
    qs, qe, kind, conf, speaker, pron, referent, cue = row
    return (
        qs + off, qe + off, kind, conf, _shift(speaker, off), pron, _shift(referent, off),
        _shift(cue, off),
    )  # fmt: skip


def _touches_quoted_cut(text: str, piece: Piece, row: QuoteRow) -> bool:
    """A quote that reaches a cut made inside quotation marks."""
    qs, qe = row[0], row[1]
    if piece.quoted_start and not text[piece.start : qs].strip():
        return True
    return piece.quoted_end and not text[qe : piece.end].strip()


def _valid(span: Span, text: str, tokens: TokenIndex) -> bool:
    try:
        validate_span(span, text, tokens)
    except ValidationError:
        return False
    return 0.0 <= (span.confidence or 0.0) <= 1.0
