"""spaCy DocBin (``.spacy``) export: one ``Doc`` per document, built from the stored tokens.

Each ``Doc`` has exactly the stored tokens (``doc.text`` equals the document text;
any stretch of text between stored tokens other than one space becomes a
whitespace token, as spaCy's tokenizer makes them), the ``ents`` layer in
``doc.ents`` (all other tokens ``O``: a finished annotation is complete) and the
``quotes`` layer (QUOTE, SPEAKER and CUE) in ``doc.spans[span_key]``.

The default key is ``sc``, the group a stock ``spacy init config --pipeline
ner,spancat`` trains and scores, so the export trains with no overrides. Under another
key a stock config fails (E143: spancat finds no labels in ``sc``); with only
``spans_key`` overridden it trains, but spaCy reports spancat's figures as
``spans_<key>_f`` while the stock ``score_weights`` and table read ``spans_sc_f``, which
shows 0 and lets NER alone pick the best model (``spacy_config`` renames the weights).
All three labels go in the one group: relations and kinds index it, and a stock spancat
learns from it what its suggester can propose (n-grams of 1-3 tokens): SPEAKER and CUE,
and QUOTE only where a quote is that short.

What spaCy has no place for is kept in ``doc.user_data`` (written because the
DocBin has ``store_user_data=True``; every ``DocBin().from_disk(path)`` gives it
back):

===============  ============================================================
``doc_id``        the document's id in the project database
``external_id``   its external id (file name, ``meta.id``)
``meta``          its ``meta`` object
``annotator``     whose annotation this is; ``status``: its status
``span_key``      the key of the quotes span group
``span_kinds``    one entry per span of ``doc.spans[span_key]``, in order: the
                  quote kind (``direct`` / ``indirect`` / ``mixed``) or ``None``
``relations``     ``[head, child, label]`` triples; ``head`` and ``child`` index
                  ``doc.spans[span_key]``, ``label`` is ``speaker`` or ``cue``
===============  ============================================================

``quotes_of(doc)`` turns that into one record per QUOTE (kind, speaker and cue
spans); ``annotation_from_doc(doc)`` gives back the whole ``Annotation``;
``annotator.formats.docbin_reader`` imports a ``.spacy`` file or folder as records.

``DocBinWriter`` fills spaCy's own ``DocBin`` (``DocBin.add``, ``DocBin.to_bytes``)
one shard at a time, so memory holds one shard, not the whole corpus: an export up to
``DEFAULT_SHARD_DOCS`` documents is one ordinary ``.spacy`` file, a larger one a folder
of them that ``spacy train`` reads as one corpus (``annotator.formats.docbin_shards``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.core import (
    Annotation,
    AnnotationStatus,
    Document,
    Layer,
    Origin,
    QuoteKind,
    Relation,
    RelationLabel,
    Span,
    Token,
    validate_label,
)
from annotator.formats.docbin_add import DocBinAdder
from annotator.formats.docbin_shards import (
    EXTENSION,
    check_target,
    docbin_files,
    publish,
    remove_output,
    remove_part,
    shard_name,
    write_manifest,
)
from annotator.formats.export_base import (
    PlacedSpan,
    SpanPlacementError,
    WriterError,
    describe,
    part_path,
    place_spans,
    token_columns,
    tokens_of,
    write_failed,
)
from annotator.nlp.tokenize import blank_pipeline

if TYPE_CHECKING:
    from spacy.tokens import Doc, DocBin
    from spacy.vocab import Vocab

DEFAULT_SPAN_KEY = "sc"
# Documents per shard. Writing speed is the same from 500 to 8,000 (1.11-1.18 ms per
# document of ~270 tokens, add + write); memory grows with the shard (~27 MB per
# 1,000 such documents), and most projects stay one file at 2,000.
DEFAULT_SHARD_DOCS = 2000
# Tokens per shard, for long articles: a DocBin holds 13 uint64 attributes per token,
# so this bounds a shard's token array near 100 MB whatever the documents' length.
DEFAULT_SHARD_TOKENS = 1_000_000


def words_and_spaces(
    text: str, tokens: Sequence[Token]
) -> tuple[list[str], list[bool], list[int] | None]:
    """Words and spaces giving exactly ``text``, and the word index of each stored token
    (``None`` when they are the same, the usual case for spaCy-made tokens)."""
    starts, ends, ws = token_columns(tokens)
    # C-level passes over the columns (two list comprehensions cost a third of a
    # DocBin export's own work)
    words = list(map(text.__getitem__, map(slice, starts, ends)))
    spaces = list(map(bool, ws))
    # Ordered, non-overlapping tokens whose words and spaces add up to the text's
    # length leave no gap: the common case, checked without a per-token loop.
    if sum(map(len, words)) + sum(spaces) == len(text):
        return words, spaces, None
    words, spaces = [], []
    index: list[int] = []
    gaps = False
    pos = 0
    for tok in tokens:
        if tok.start > pos:
            gaps = True
            _gap(text[pos : tok.start], words, spaces)
        index.append(len(words))
        words.append(text[tok.start : tok.end])
        spaces.append(tok.ws)
        pos = tok.end + (1 if tok.ws else 0)
    if pos < len(text):
        gaps = True
        _gap(text[pos:], words, spaces)
    return words, spaces, (index if gaps else None)


# zlib level of the DocBin files: spaCy's DocBin.to_bytes compresses at zlib's default
# (6); level 3 takes a third of its time for a file some 15% larger (2,000 articles:
# 1.08 -> 0.36 s CPU, 3.1 -> 3.7 MB), read by DocBin.from_bytes as any other.
DOCBIN_ZLIB_LEVEL = 3


def docbin_bytes(docbin: DocBin) -> bytes:
    """``docbin.to_bytes()``, the same msgpack message, compressed at
    ``DOCBIN_ZLIB_LEVEL``."""
    import zlib

    import numpy
    import srsly

    for tokens in docbin.tokens:
        assert len(tokens.shape) == 2, tokens.shape
    lengths = [len(tokens) for tokens in docbin.tokens]
    tokens = numpy.vstack(docbin.tokens) if docbin.tokens else numpy.asarray([])
    spaces = numpy.vstack(docbin.spaces) if docbin.spaces else numpy.asarray([])
    msg = {
        "version": docbin.version,
        "attrs": docbin.attrs,
        "tokens": tokens.tobytes("C"),
        "spaces": spaces.tobytes("C"),
        "lengths": numpy.asarray(lengths, dtype="int32").tobytes("C"),
        "strings": sorted(docbin.strings),
        "cats": docbin.cats,
        "flags": docbin.flags,
        "span_groups": docbin.span_groups,
    }
    if docbin.store_user_data:
        msg["user_data"] = docbin.user_data
    return zlib.compress(srsly.msgpack_dumps(msg), DOCBIN_ZLIB_LEVEL)


def _gap(gap: str, words: list[str], spaces: list[bool]) -> None:
    # spaCy keeps one space as the previous token's whitespace_ and makes a token of
    # any other run of whitespace; do the same so doc.text is the stored text.
    if words and not spaces[-1] and gap.startswith(" "):
        spaces[-1] = True
        gap = gap[1:]
    if gap:
        words.append(gap)
        spaces.append(False)


def build_doc(
    document: Document,
    annotation: Annotation,
    *,
    vocab: Vocab | None = None,
    lang: str = "en",
    span_key: str = DEFAULT_SPAN_KEY,
) -> Doc:
    """The training ``Doc`` of one annotated document (raises ``SpanPlacementError``)."""
    from spacy.tokens import Doc
    from spacy.tokens import Span as SpacySpan

    placed = place_spans(document, annotation)
    words, spaces, index = words_and_spaces(document.text, tokens_of(document))
    doc = Doc(vocab or blank_pipeline(lang).vocab, words=words, spaces=spaces)

    def bounds(p: PlacedSpan) -> tuple[int, int]:
        if index is None:
            return p.token_start, p.token_end + 1
        return index[p.token_start], index[p.token_end] + 1

    ents = [p for p in placed if p.span.layer == Layer.ENTS]
    quotes = [p for p in placed if p.span.layer != Layer.ENTS]
    try:
        doc.ents = [SpacySpan(doc, *bounds(p), label=p.span.label) for p in ents]
    except ValueError as exc:  # overlapping entities: validation should have refused them
        raise SpanPlacementError(f"{describe(document)}: entities cannot be set: {exc}") from exc
    doc.spans[span_key] = [SpacySpan(doc, *bounds(p), label=p.span.label) for p in quotes]
    in_group = {p.span.key: n for n, p in enumerate(quotes)}
    relations: list[list[Any]] = []
    for rel in annotation.relations:
        if rel.head not in in_group or rel.child not in in_group:
            raise SpanPlacementError(
                f"{describe(document)}: relation {rel.label} links a span outside the "
                f"{span_key!r} span group"
            )
        relations.append([in_group[rel.head], in_group[rel.child], str(rel.label)])
    relations.sort()
    doc.user_data.update(
        {
            "doc_id": document.id,
            "external_id": document.external_id,
            "meta": document.meta,
            "annotator": annotation.annotator,
            "status": str(annotation.status),
            "span_key": span_key,
            "span_kinds": [str(p.span.kind) if p.span.kind else None for p in quotes],
            "relations": relations,
        }
    )
    return doc


def annotation_from_doc(doc: Doc, span_key: str | None = None) -> Annotation:
    """The annotation a ``Doc`` of our export carries (ents, span group, kinds, relations)."""
    data = doc.user_data
    key = span_key or data.get("span_key") or DEFAULT_SPAN_KEY
    spans = [
        Span(e.start_char, e.end_char, e.label_, Layer.ENTS, Origin.ACCEPTED) for e in doc.ents
    ]
    group = list(doc.spans[key]) if key in doc.spans else []
    kinds = list(data.get("span_kinds") or [None] * len(group))
    quotes = [
        Span(
            s.start_char,
            s.end_char,
            s.label_,
            Layer.QUOTES,
            Origin.ACCEPTED,
            QuoteKind(kind) if kind else None,
        )
        for s, kind in zip(group, kinds, strict=True)
    ]
    relations = [
        Relation(quotes[h].key, quotes[c].key, RelationLabel(label))
        for h, c, label in data.get("relations") or []
    ]
    for span in (*spans, *quotes):
        # A .spacy file from elsewhere may carry any string as a label; the same rule
        # as every other importer keeps it out (ValidationError names the label).
        validate_label(span.label)
    return Annotation(
        document_id=data.get("doc_id"),
        annotator=str(data.get("annotator") or ""),
        spans=spans + quotes,
        relations=relations,
        status=AnnotationStatus(data.get("status") or AnnotationStatus.DONE),
    )


def quotes_of(doc: Doc) -> list[dict[str, Any]]:
    """One record per QUOTE of an exported ``Doc``: its span, kind, speaker and cue spans."""
    data = doc.user_data
    key = data.get("span_key") or DEFAULT_SPAN_KEY
    group = list(doc.spans[key]) if key in doc.spans else []
    kinds = list(data.get("span_kinds") or [None] * len(group))
    out: dict[int, dict[str, Any]] = {}
    for n, (span, kind) in enumerate(zip(group, kinds, strict=True)):
        if span.label_ == "QUOTE":
            out[n] = {"span": span, "kind": kind, "speaker": None, "cue": None}
    for h, c, label in data.get("relations") or []:
        if h in out:
            out[h][label] = group[c]
    return list(out.values())


def read_docbin(path: Path, lang: str = "en") -> Iterator[Doc]:
    """The Docs of an export: one ``.spacy`` file or a folder of them, in corpus order."""
    from spacy.tokens import DocBin

    vocab = blank_pipeline(lang).vocab
    for file in docbin_files(path):
        yield from DocBin().from_disk(file).get_docs(vocab)


# writer -----------------------------------------------------------------------------------


class DocBinWriter:
    """Writes spaCy's own ``DocBin``, one shard at a time, so memory holds one shard.

    Documents go into an in-memory ``DocBin`` (``store_user_data=True``); when it holds
    ``shard_docs`` documents or ``shard_tokens`` tokens, the next document starts a new
    one and the full one is written with ``DocBin.to_bytes``. An export that never fills
    a shard is one ``.spacy`` file at ``path``; a larger one is a folder named ``path``
    of shard files (``annotator.formats.docbin_shards`` says why spaCy reads both)."""

    extension = EXTENSION

    def __init__(
        self,
        path: Path,
        *,
        lang: str = "en",
        span_key: str = DEFAULT_SPAN_KEY,
        shard_docs: int | None = None,
        shard_tokens: int | None = None,
    ) -> None:
        # Read at call time, not bound as defaults, so one setting changes every export.
        shard_docs = DEFAULT_SHARD_DOCS if shard_docs is None else shard_docs
        shard_tokens = DEFAULT_SHARD_TOKENS if shard_tokens is None else shard_tokens
        if shard_docs < 1 or shard_tokens < 1:
            raise ValueError("shard_docs and shard_tokens must be at least 1")
        self.path = Path(path)
        self._part = part_path(self.path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            check_target(self.path)
            remove_part(self.path)  # left by an export that was killed while closing
        except OSError as exc:
            raise write_failed(self.path, exc) from exc
        self.lang = lang
        self.span_key = span_key
        self.shard_docs = shard_docs
        self.shard_tokens = shard_tokens
        self.vocab = blank_pipeline(lang).vocab
        self._bin = _new_docbin()
        self._adder = DocBinAdder()  # spaCy's DocBin.add's result, faster (docbin_add)
        self._bin_tokens = 0
        self._shards: list[int] = []  # documents in each shard written so far
        self._count = 0
        self._closed = False

    def __len__(self) -> int:
        return self._count

    @property
    def shards(self) -> int:
        """Shard files written so far (0 while everything fits in one file)."""
        return len(self._shards)

    def add(self, document: Document, annotation: Annotation) -> None:
        self.add_doc(build_doc(document, annotation, vocab=self.vocab, span_key=self.span_key))

    def add_docs(self, docs: Iterable[Doc]) -> None:
        for doc in docs:
            self.add_doc(doc)

    def add_doc(self, doc: Doc) -> None:
        held = len(self._bin)
        # A shard is written when the next document arrives, so an export of exactly
        # shard_docs documents is still one file; one long document may be a shard alone.
        if held and (held >= self.shard_docs or self._bin_tokens + len(doc) > self.shard_tokens):
            self._write_shard()
        self._adder.add(self._bin, doc)
        self._bin_tokens += len(doc)
        self._count += 1

    def _write_shard(self) -> None:
        if not self._shards:
            self._part.mkdir()
        self._save(self._bin, self._part / shard_name(len(self._shards)))
        self._shards.append(len(self._bin))
        self._bin = _new_docbin()
        self._bin_tokens = 0

    def _save(self, docbin: DocBin, path: Path) -> None:
        try:
            data = docbin_bytes(docbin)
        except ValueError as exc:  # spaCy's E870: over 4 GiB of data in one DocBin
            raise WriterError(
                f"{self.path.name}: too much token data for one DocBin ({len(docbin)} "
                f"documents, {self._bin_tokens:,} tokens); export with smaller shards."
            ) from exc
        with path.open("wb") as f:
            f.write(data)

    def close(self) -> None:
        if self._closed:
            return
        try:
            if self._shards:
                if len(self._bin):
                    self._write_shard()
                write_manifest(self._part, self._shards, span_key=self.span_key)
            else:
                self._save(self._bin, self._part)
            publish(self._part, self.path)
        except OSError as exc:
            self._remove_part()
            raise write_failed(self.path, exc) from exc
        except BaseException:
            self._remove_part()
            raise
        finally:
            self._release()

    def abort(self) -> None:
        self._release()
        self._remove_part()

    def _remove_part(self) -> None:
        with contextlib.suppress(OSError):
            remove_output(self._part)

    def _release(self) -> None:
        self._closed = True
        self._bin = _new_docbin()


def _new_docbin() -> DocBin:
    from spacy.tokens import DocBin

    return DocBin(store_user_data=True)


def docbin_of(docs: Iterable[Doc]) -> DocBin:
    """A plain in-memory DocBin with the writer's settings (tests, small exports)."""
    from spacy.tokens import DocBin

    return DocBin(store_user_data=True, docs=docs)
