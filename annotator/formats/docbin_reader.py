"""spaCy DocBin (``.spacy``) import: a file, or a folder of shards, read as records.

Each ``Doc`` becomes one record with the Doc's text and character offsets:

- ``doc.ents`` are entities (layer ``ents``);
- the span group our export wrote (its key is ``doc.user_data["span_key"]``) is the
  quotes layer, with each span's kind from ``user_data["span_kinds"]``
  and the ``relations`` triples (indices into that group) as speaker and cue relations;
- any other span group (a DocBin made elsewhere) gives its spans by label: QUOTE,
  SPEAKER and CUE to the quotes layer, any other label to the entities, where a span
  that overlaps an entity already taken is left out with a warning (entities may not
  overlap; the document is kept);
- ``user_data`` ``meta``, ``external_id``, ``annotator`` and ``status`` come back as
  they were exported. A Doc without a status (a DocBin from elsewhere is training data)
  counts as finished.

Bad parts of ``user_data`` (a kinds list of the wrong length, a relation pointing past
the group) are left out with a warning naming the document; a file that is no DocBin is
one problem and the next file is read. Problems give the document's position in its
file (1-based) where a line number would go.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.core import Layer, default_layer
from annotator.formats.docbin_shards import docbin_files
from annotator.formats.records import (
    DEFAULT_READ,
    ImportRecord,
    Problem,
    RawRelation,
    RawSpan,
    ReadOptions,
)
from annotator.formats.textio import display_path

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from spacy.tokens import Span as SpacySpan

_ANSWERS = {"done": "accept", "skipped": "ignore"}  # others: unfinished, no answer
_KINDS = ("direct", "indirect", "mixed")


def read_docbin_records(
    path: Path, options: ReadOptions = DEFAULT_READ
) -> Iterator[ImportRecord | Problem]:
    """The records of a ``.spacy`` file or a folder of them, in corpus order."""
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    path = Path(path)
    files = docbin_files(path)
    if path.is_dir() and not files:
        yield Problem(display_path(path), None, "the folder holds no .spacy file")
    for file in files:
        source = display_path(file)
        try:
            docbin = DocBin().from_disk(file)
        except OSError as exc:
            yield Problem(source, None, f"cannot be read: {exc.strerror or exc}")
            continue
        except Exception as exc:  # msgpack, zlib and spaCy each raise their own
            yield Problem(source, None, f"is not a spaCy DocBin file ({type(exc).__name__})")
            continue
        # A Vocab of its own per file: the strings a DocBin carries are all it needs.
        docs = docbin.get_docs(Vocab())
        for n in range(1, len(docbin) + 1):
            try:
                doc = next(docs)
            except Exception as exc:  # a damaged DocBin fails in get_docs
                yield Problem(source, n, f"document {n} cannot be read ({exc})")
                break
            yield from record_of(doc, source, n)


def record_of(doc: Doc, source: str, n: int) -> Iterator[ImportRecord | Problem]:
    """One Doc as a record, after a warning for each part of it that was left out."""
    data = doc.user_data if isinstance(doc.user_data, dict) else {}
    warnings: list[str] = []
    spans = [RawSpan(e.start_char, e.end_char, e.label_, "ents") for e in doc.ents]
    taken = {(s.start, s.end, s.label) for s in spans}
    ent_ranges = [(s.start, s.end) for s in spans]
    key = data.get("span_key")
    key = key if isinstance(key, str) else None
    relations: list[RawRelation] = []
    if key is not None and key in doc.spans:
        group = list(doc.spans[key])
        kinds = _kinds(data.get("span_kinds"), len(group), key, warnings)
        ours = [
            RawSpan(s.start_char, s.end_char, s.label_, "quotes", kind)
            for s, kind in zip(group, kinds, strict=True)
        ]
        relations = _relations(data.get("relations"), ours, key, warnings)
        for raw in ours:
            if (raw.start, raw.end, raw.label) not in taken:
                taken.add((raw.start, raw.end, raw.label))
                spans.append(raw)
    for other in sorted(k for k in doc.spans if k != key):
        for s in doc.spans[other]:
            if (s.start_char, s.end_char, s.label_) in taken:
                continue  # the same span in two groups (or also an entity) is one span
            found = _foreign(s, other, ent_ranges, warnings)
            if found is not None:
                taken.add((found.start, found.end, found.label))
                spans.append(found)
    for message in warnings:
        yield Problem(source, n, f"document {n}: {message}", warning=True)
    meta = data.get("meta")
    meta = dict(meta) if isinstance(meta, dict) else {}
    external = data.get("external_id") or meta.get("id") or f"{Path(source).name}:{n}"
    annotator = data.get("annotator")
    status = data.get("status")
    yield ImportRecord(
        text=doc.text,
        source=source,
        line=n,
        external_id=str(external),
        meta=meta,
        spans=spans,
        relations=relations,
        annotator=annotator if isinstance(annotator, str) and annotator else None,
        answer=_ANSWERS.get(status) if isinstance(status, str) else "accept",
    )


def _kinds(value: Any, size: int, key: str, warnings: list[str]) -> list[str | None]:
    if value is None:
        return [None] * size
    if not isinstance(value, (list, tuple)) or len(value) != size:
        warnings.append(
            f"span_kinds does not give one kind per span of doc.spans[{key!r}] "
            f"({size} spans); the quotes are imported without kinds"
        )
        return [None] * size
    out: list[str | None] = []
    for kind in value:
        if kind is not None and kind not in _KINDS:
            warnings.append(f"unknown quote kind {kind!r} left out")
            kind = None
        out.append(kind)
    return out


def _relations(
    value: Any, group: Sequence[RawSpan], key: str, warnings: list[str]
) -> list[RawRelation]:
    if value is None:
        return []
    if not isinstance(value, (list, tuple)):  # msgpack gives lists back as tuples
        warnings.append("relations is not a list; no relation imported")
        return []
    out: list[RawRelation] = []
    for item in value:
        link = _link(item, len(group))
        if link is None:
            warnings.append(
                f"relation {item!r} does not link two spans of doc.spans[{key!r}]; left out"
            )
            continue
        h, c = group[link[0]], group[link[1]]
        out.append(RawRelation(link[2], (h.start, h.end, h.label), (c.start, c.end, c.label)))
    return out


def _link(item: Any, size: int) -> tuple[int, int, str] | None:
    """``[head, child, label]`` when it is one (two indices into the group), else None."""
    if not isinstance(item, (list, tuple)) or len(item) != 3:
        return None
    head, child, label = item
    for index in (head, child):
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < size:
            return None
    return (head, child, label) if isinstance(label, str) else None


def _foreign(
    span: SpacySpan, key: str, ents: list[tuple[int, int]], warnings: list[str]
) -> RawSpan | None:
    start, end, label = span.start_char, span.end_char, span.label_
    if default_layer(label) == Layer.QUOTES:
        return RawSpan(start, end, label, "quotes")
    if any(start < e and s < end for s, e in ents):
        warnings.append(f"{label} {start}-{end} of doc.spans[{key!r}] overlaps an entity; left out")
        return None
    ents.append((start, end))
    return RawSpan(start, end, label, "ents")
