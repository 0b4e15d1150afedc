"""spaCy DocBin (``.spacy``) export: one ``Doc`` per document, built from the stored tokens.

Each ``Doc`` has exactly the stored tokens (``doc.text`` equals the document text;
any stretch of text between stored tokens other than one space becomes a
whitespace token, as spaCy's tokenizer makes them), the ``ents`` layer in
``doc.ents`` (all other tokens ``O``: a finished annotation is complete) and the
``quotes`` layer in ``doc.spans[span_key]`` (default ``"quotes"``).

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
spans); ``annotation_from_doc(doc)`` gives back the whole ``Annotation``.

``DocBinWriter`` streams: it packs each ``Doc`` as ``DocBin.add`` would, appends
the token arrays and per-document records to temporary files beside the output,
and on ``close`` writes the same zlib-compressed msgpack
object ``DocBin.to_bytes`` would, reading the spooled parts back in chunks. So
memory holds one document plus the set of distinct strings, not the whole corpus,
and the file is an ordinary DocBin.
"""

from __future__ import annotations

import os
import struct
import tempfile
import zlib
from array import array
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import srsly

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
from annotator.formats.export_base import (
    PlacedSpan,
    SpanPlacementError,
    WriterError,
    describe,
    part_path,
    place_spans,
    remove_part,
    tokens_of,
    write_failed,
)
from annotator.nlp.tokenize import blank_pipeline

if TYPE_CHECKING:
    from spacy.tokens import Doc, DocBin
    from spacy.vocab import Vocab

DEFAULT_SPAN_KEY = "quotes"
_DOCBIN_VERSION = "0.1"  # DocBin.version in spaCy 3.x
_CHUNK = 1 << 20


def words_and_spaces(
    text: str, tokens: Sequence[Token]
) -> tuple[list[str], list[bool], list[int] | None]:
    """Words and spaces giving exactly ``text``, and the word index of each stored token
    (``None`` when they are the same, the usual case for spaCy-made tokens)."""
    words = [text[t.start : t.end] for t in tokens]
    spaces = [t.ws for t in tokens]
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
    from spacy.tokens import DocBin

    yield from DocBin().from_disk(path).get_docs(blank_pipeline(lang).vocab)


# streaming writer ------------------------------------------------------------------------


def _map_header(n: int) -> bytes:
    return bytes([0x80 | n]) if n < 16 else b"\xde" + struct.pack(">H", n)


def _bin_header(n: int) -> bytes:
    return b"\xc6" + struct.pack(">I", n)


def _array_header(n: int) -> bytes:
    return b"\xdd" + struct.pack(">I", n)


class _Spool:
    """Bytes appended to an anonymous temporary file, counted."""

    def __init__(self, folder: Path) -> None:
        # Closed in close(); a with-block cannot span the writer's lifetime.
        self.file: IO[bytes] = tempfile.TemporaryFile(dir=folder, prefix=".export-")  # noqa: SIM115
        self.size = 0
        self.count = 0

    def write(self, data: bytes, items: int = 1) -> None:
        self.file.write(data)
        self.size += len(data)
        self.count += items

    def chunks(self) -> Iterator[bytes]:
        self.file.flush()
        self.file.seek(0)
        while chunk := self.file.read(_CHUNK):
            yield chunk

    def close(self) -> None:
        self.file.close()


class DocBinWriter:
    """Writes a ``.spacy`` file readable by ``DocBin().from_disk`` in flat memory.

    ``add_doc`` packs a ``Doc`` exactly as ``DocBin.add`` does (same attributes,
    strings, span groups, user data; a test holds the two byte-equal after
    decompression) but straight into the spool files, and with one reused msgpack
    packer: ``srsly.msgpack_dumps`` builds a new packer per call, whose set-up looks
    up msgpack encoders among the installed packages' entry points and costs more
    than packing a whole document."""

    extension = ".spacy"

    def __init__(
        self,
        path: Path,
        *,
        lang: str = "en",
        span_key: str = DEFAULT_SPAN_KEY,
    ) -> None:
        from spacy.attrs import DEP, ENT_ID, ENT_KB_ID, ENT_TYPE, LEMMA, MORPH, NORM, ORTH, TAG
        from spacy.tokens import DocBin

        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            remove_part(self.path)  # left by an export that was killed while closing
        except OSError as exc:
            raise write_failed(self.path, exc) from exc
        self.lang = lang
        self.span_key = span_key
        self.vocab = blank_pipeline(lang).vocab
        self.attrs: list[int] = list(DocBin(store_user_data=True).attrs)
        # The token strings DocBin.add collects, read as hashes in one array.
        self._string_attrs = [ORTH, TAG, LEMMA, NORM, DEP, ENT_TYPE, ENT_KB_ID, ENT_ID]
        self._morph = [MORPH]
        self._pack = srsly.msgpack.Packer(use_bin_type=True).pack
        folder = self.path.parent
        self._tokens = _Spool(folder)
        self._spaces = _Spool(folder)
        self._lists = {
            name: _Spool(folder) for name in ("cats", "flags", "span_groups", "user_data")
        }
        self._lengths = array("i")
        self._strings: set[str] = set()
        self._seen: set[int] = set()
        self._closed = False

    def __len__(self) -> int:
        return len(self._lengths)

    def add(self, document: Document, annotation: Annotation) -> None:
        self.add_doc(build_doc(document, annotation, vocab=self.vocab, span_key=self.span_key))

    def add_docs(self, docs: Iterable[Doc]) -> None:
        for doc in docs:
            self.add_doc(doc)

    def add_doc(self, doc: Doc) -> None:
        import numpy
        from spacy.attrs import SPACY

        tokens = doc.to_array(self.attrs)
        if tokens.ndim == 1:
            tokens = tokens.reshape((tokens.shape[0], 1))
        spaces = numpy.asarray(doc.to_array(SPACY), dtype=bool)
        self._tokens.write(numpy.ascontiguousarray(tokens, dtype="uint64").tobytes("C"))
        self._spaces.write(spaces.tobytes("C"))
        self._lengths.append(len(doc))
        self._collect_strings(doc)
        pack = self._pack
        self._lists["cats"].write(pack(doc.cats))
        self._lists["flags"].write(pack({"has_unknown_spaces": doc.has_unknown_spaces}))
        self._lists["span_groups"].write(pack(self._span_groups_bytes(doc)))
        self._lists["user_data"].write(pack(pack(doc.user_data)))

    def _collect_strings(self, doc: Doc) -> None:
        import numpy

        strings = self.vocab.strings if doc.vocab is self.vocab else doc.vocab.strings
        seen, out = self._seen, self._strings
        for h in numpy.unique(doc.to_array(self._string_attrs)).tolist():
            if h not in seen:
                seen.add(h)
                out.add(strings[h])
        for h in numpy.unique(doc.to_array(self._morph)).tolist():
            if -h - 1 not in seen:  # its own key space: str(token.morph) differs from "_"
                seen.add(-h - 1)
                morph = strings[h] if h else ""
                out.add("" if morph == "_" else morph)
        for group in doc.spans.values():
            for span in group:
                out.add(span.label_)
                if span.kb_id in strings:
                    out.add(span.kb_id_)
                if span.id in strings:
                    out.add(span.id_)

    def _span_groups_bytes(self, doc: Doc) -> bytes:
        # SpanGroups.to_bytes / SpanGroup.to_bytes of spaCy 3.x, with the reused packer.
        if len(doc.spans) == 0:
            return b"\x90"
        msg: dict[bytes, list[str]] = {}
        for key, group in doc.spans.items():
            data = {
                "name": group.name,
                "attrs": group.attrs,
                "spans": [
                    struct.pack(
                        ">QQQllll",
                        s.id,
                        s.kb_id,
                        s.label,
                        s.start,
                        s.end,
                        s.start_char,
                        s.end_char,
                    )
                    for s in group
                ],
            }
            msg.setdefault(self._pack(data), []).append(key)
        return self._pack(msg)

    def _parts(self) -> Iterator[bytes]:
        """The msgpack object of ``DocBin.to_bytes``, in pieces."""
        pack = self._pack
        lengths = self._lengths.tobytes()  # native int32, as numpy's int32 tobytes
        yield _map_header(10)
        yield pack("version") + pack(_DOCBIN_VERSION)
        yield pack("attrs") + pack(self.attrs)
        for name, spool in (("tokens", self._tokens), ("spaces", self._spaces)):
            yield pack(name) + _bin_header(spool.size)
            yield from spool.chunks()
        yield pack("lengths") + pack(lengths)
        yield pack("strings") + pack(sorted(self._strings))
        for name in ("cats", "flags", "span_groups", "user_data"):
            spool = self._lists[name]
            yield pack(name) + _array_header(spool.count)
            yield from spool.chunks()

    def close(self) -> None:
        if self._closed:
            return
        if self._tokens.size >= 1 << 32:
            self.abort()
            raise WriterError(
                f"{self.path.name}: more than 4 GiB of token data for one DocBin; "
                "export fewer documents per file."
            )
        tmp = part_path(self.path)
        try:
            with tmp.open("wb") as f:
                z = zlib.compressobj()
                for part in self._parts():
                    f.write(z.compress(part))
                f.write(z.flush())
            os.replace(tmp, self.path)
        except OSError as exc:
            remove_part(self.path)
            raise write_failed(self.path, exc) from exc
        except BaseException:
            remove_part(self.path)
            raise
        finally:
            self._release()

    def abort(self) -> None:
        self._release()

    def _release(self) -> None:
        self._closed = True
        for spool in (self._tokens, self._spaces, *self._lists.values()):
            spool.close()


def docbin_of(docs: Iterable[Doc]) -> DocBin:
    """A plain in-memory DocBin with the writer's settings (tests, small exports)."""
    from spacy.tokens import DocBin

    return DocBin(store_user_data=True, docs=docs)
