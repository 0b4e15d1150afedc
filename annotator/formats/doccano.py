"""doccano's sequence-labeling-with-relations JSONL: export, and import of its variants.

Export, one document a line::

    {"text": ..., "meta": {...},
     "entities": [{"id", "label", "start_offset", "end_offset"}],
     "relations": [{"id", "from_id", "to_id", "type"}],
     "quote_kinds": {"<start>:<end>": "direct" | "indirect" | "mixed"},
     "span_layers": {"<start>:<end>": "ents" | "quotes"},   # where not the default
     "answer": "accept" | "ignore" | "reject",
     "_annotator_id": name}

Every line has all these columns, ``{}`` where a document has no kind or no unusual
layer: doccano's import reads a chunk of lines as one table, and a column missing
from some of its lines fails the whole import (NaN in their metadata).

doccano has no span attributes and no layers, so a quote's kind and an unusual
layer ride in top-level columns: doccano keeps unknown columns as metadata and
writes them back on its own export, so they survive a trip through doccano. They
are keyed by character offsets, not entity ids, because doccano numbers the
entities anew on its export. A kind's key ``"start:end"`` names the QUOTE there; a
layer's names the one entity there. Where that is not enough (a kind on another
label, two entities on the same offsets) the key ends with the label:
``"start:end:LABEL"``. Entity ids are numbered per document from 0 in span order.

Import reads that, doccano's own export (``text`` or ``data``; ``entities`` as
objects or ``[start, end, label]`` lists; the plain ``"label": [[start, end,
"LABEL"], ...]`` form) and doccano's zip of one JSONL file per user, where each
file's user name becomes the annotator (``all.jsonl`` has none). Unknown
top-level columns become ``meta``. doccano records carry no answer, so labelled
records import as done (``accept``) unless they carry ``answer``. Files we wrote
before the offset keys, with ``quote_kinds`` keyed by entity id, still read; a kind
or layer whose key finds no span is reported as a warning with the file and line.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import IO, Any

from annotator.core import Annotation, Document, Span, default_layer
from annotator.formats.export_base import AtomicTextFile, answer_of, place_by_offsets, span_index
from annotator.formats.jsonl import RecordError, check_answer, external_id_for, iter_jsonl_lines
from annotator.formats.jsonl_writer import dumps_line, export_meta
from annotator.formats.records import (
    DEFAULT_READ,
    ImportRecord,
    Problem,
    RawRelation,
    RawSpan,
    ReadOptions,
)
from annotator.formats.textio import display_path, printable

_KNOWN = {
    "text",
    "data",
    "meta",
    "entities",
    "label",
    "labels",
    "relations",
    "quote_kinds",
    "span_layers",
    "answer",
    "_annotator_id",
    "id",
    "Comments",
    "comments",
}
_SHARED_USER_FILES = {"all"}
QUOTE = "QUOTE"
_ID_KEY = re.compile(r"-?\d+")
_OFFSET_KEY = re.compile(r"(\d+):(\d+)(?::(.+))?", re.DOTALL)


def _offset_key(span: Span, with_label: bool) -> str:
    key = f"{span.start}:{span.end}"
    return f"{key}:{span.label}" if with_label else key


def doccano_from(document: Document, annotation: Annotation) -> dict[str, Any]:
    placed = place_by_offsets(document, annotation)
    index = span_index(placed)
    entities = [
        {
            "id": n,
            "label": p.span.label,
            "start_offset": p.span.start,
            "end_offset": p.span.end,
        }
        for n, p in enumerate(placed)
    ]
    rels = sorted(annotation.relations, key=lambda r: (index[r.head], index[r.child], r.label))
    relations = [
        {"id": n, "from_id": index[r.head], "to_id": index[r.child], "type": str(r.label)}
        for n, r in enumerate(rels)
    ]
    obj: dict[str, Any] = {
        "text": document.text,
        "meta": export_meta(document),
        "entities": entities,
        "relations": relations,
    }
    at_offsets = Counter((p.span.start, p.span.end) for p in placed)
    kinds = {
        _offset_key(p.span, p.span.label != QUOTE): str(p.span.kind)
        for p in placed
        if p.span.kind is not None
    }
    # Every line has every column, empty or not: doccano reads a file in chunks of
    # lines as a table (pandas), and a column that one line of a chunk lacks becomes
    # NaN in that line's metadata, which its database refuses as invalid JSON (the
    # whole import fails, from the first article without a quote).
    obj["quote_kinds"] = kinds
    obj["span_layers"] = {
        _offset_key(p.span, at_offsets[(p.span.start, p.span.end)] > 1): str(p.span.layer)
        for p in placed
        if p.span.layer != default_layer(p.span.label)
    }
    # unfinished work imports as done, as a doccano line without an answer does
    obj["answer"] = answer_of(annotation) or "accept"
    obj["_annotator_id"] = annotation.annotator
    return obj


class DoccanoWriter:
    extension = ".jsonl"

    def __init__(self, path: Path) -> None:
        self._file = AtomicTextFile(path)
        self.path = self._file.path

    def add(self, document: Document, annotation: Annotation) -> None:
        self._file.stream.write(dumps_line(doccano_from(document, annotation)))

    def close(self) -> None:
        self._file.commit()

    def abort(self) -> None:
        self._file.abort()


# import -------------------------------------------------------------------------------


def looks_like_doccano(obj: Any) -> bool:
    return (
        isinstance(obj, dict)
        and "spans" not in obj
        and ("entities" in obj or "label" in obj or "labels" in obj)
    )


def _offset(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise RecordError(f"{what} must be an integer, got {value!r}")
    return value


def _entities(obj: dict[str, Any]) -> list[tuple[Any, int, int, str]]:
    """(id, start, end, label) of every labelled span, whichever form the record uses."""
    out: list[tuple[Any, int, int, str]] = []
    items = obj.get("entities")
    if items is None:
        items = obj.get("label", obj.get("labels", []))
    if not isinstance(items, list):
        raise RecordError("entities must be a list")
    for i, item in enumerate(items):
        if isinstance(item, dict):
            label = item.get("label")
            start = _offset(item.get("start_offset"), f"entity {i} start_offset")
            end = _offset(item.get("end_offset"), f"entity {i} end_offset")
            ident = item.get("id", i)
        elif isinstance(item, list | tuple) and len(item) == 3:
            start = _offset(item[0], f"label {i} start")
            end = _offset(item[1], f"label {i} end")
            label, ident = item[2], i
        else:
            raise RecordError(f"entity {i} must be an object or [start, end, label]")
        if not isinstance(label, str) or not label:
            raise RecordError(f"entity {i} has no label")
        out.append((ident, start, end, label))
    return out


def record_from_doccano(
    obj: Any, source: str, line: int, default_annotator: str | None = None
) -> ImportRecord:
    return parse_doccano(obj, source, line, default_annotator)[0]


def _attach(
    column: str,
    values: dict[Any, Any],
    entities: list[tuple[Any, int, int, str]],
    spans: list[RawSpan],
    field: str,
) -> list[str]:
    """Set ``field`` (kind or layer) on the spans ``values``' keys name; what each key
    that names no span was (the caller reports them)."""
    lost: list[str] = []
    by_id = {str(ident): n for n, (ident, *_rest) in enumerate(entities)}
    for key, value in values.items():
        key = str(key)
        found = _OFFSET_KEY.fullmatch(key)
        if found is not None:
            start, end, label = int(found[1]), int(found[2]), found[3]
            if label is None and field == "kind":
                label = QUOTE
            targets = [
                sp
                for sp in spans
                if (sp.start, sp.end) == (start, end) and label in (None, sp.label)
            ]
        elif _ID_KEY.fullmatch(key) and key in by_id:
            # The entity-id keys of files written before the offset keys.
            targets = [spans[by_id[key]]]
        else:
            targets = []
        if not targets:
            if found is None:
                what = "entity of that id"
            else:
                what = f"{label + ' ' if label else ''}span at {found[1]}-{found[2]}"
            lost.append(f"{column} {key!r} ({value!r}) finds no {what} in this line")
            continue
        if field == "layer":
            # One span per key: a label on the same offsets in both layers is written as
            # two entities, and only the one outside its default layer has a key.
            targets = [next((sp for sp in targets if sp.layer is None), targets[0])]
        for sp in targets:
            setattr(sp, field, value)
    return lost


def parse_doccano(
    obj: Any, source: str, line: int, default_annotator: str | None = None
) -> tuple[ImportRecord, list[Problem]]:
    """One line's record, and a warning for each kind or layer that finds no span."""
    if not isinstance(obj, dict):
        raise RecordError("a line must hold a JSON object")
    text = obj.get("text", obj.get("data"))
    if not isinstance(text, str):
        raise RecordError('no "text" string')
    if not text.strip():
        raise RecordError('"text" is empty')
    meta_value = obj.get("meta") or {}
    if not isinstance(meta_value, dict):
        raise RecordError('"meta" must be an object')
    meta = dict(meta_value)
    for key, value in obj.items():
        if key not in _KNOWN:
            meta.setdefault(key, value)
    kinds = obj.get("quote_kinds") or {}
    layers = obj.get("span_layers") or {}
    if not isinstance(kinds, dict) or not isinstance(layers, dict):
        raise RecordError("quote_kinds and span_layers must be objects")
    entities = _entities(obj)
    by_id: dict[str, tuple[int, int, str]] = {}
    spans: list[RawSpan] = []
    for ident, start, end, label in entities:
        by_id[str(ident)] = (start, end, label)
        spans.append(RawSpan(start=start, end=end, label=label))
    lost = _attach("quote_kinds", kinds, entities, spans, "kind")
    lost += _attach("span_layers", layers, entities, spans, "layer")
    warnings = [Problem(source, line, f"{message}; left out", warning=True) for message in lost]
    relations: list[RawRelation] = []
    items = obj.get("relations") or []
    if not isinstance(items, list):
        raise RecordError("relations must be a list")
    for i, rel in enumerate(items):
        if not isinstance(rel, dict) or not isinstance(rel.get("type"), str):
            raise RecordError(f"relation {i} needs a type")
        head = by_id.get(str(rel.get("from_id")))
        child = by_id.get(str(rel.get("to_id")))
        if head is None or child is None:
            raise RecordError(f"relation {i} points at an entity id that is not in this line")
        relations.append(RawRelation(label=rel["type"], head_span=head, child_span=child))
    answer = check_answer(obj.get("answer", "accept"))
    external = external_id_for(meta, source, line, obj.get("id"))
    annotator = default_annotator or obj.get("_annotator_id")
    record = ImportRecord(
        text=text,
        source=source,
        line=line,
        external_id=external,
        meta=meta,
        spans=spans,
        relations=relations,
        annotator=str(annotator) if annotator else None,
        answer=answer,
    )
    return record, warnings


def _read_stream(
    stream: IO[bytes], source: str, annotator: str | None
) -> Iterator[ImportRecord | Problem]:
    for item in iter_jsonl_lines(stream, source):
        if isinstance(item, Problem):
            yield item
            continue
        number, obj = item
        try:
            record, warnings = parse_doccano(obj, source, number, annotator)
        except RecordError as exc:
            yield Problem(source, number, str(exc))
            continue
        yield from warnings
        yield record


def read_doccano(
    path: Path, options: ReadOptions = DEFAULT_READ
) -> Iterator[ImportRecord | Problem]:
    """doccano JSONL, or doccano's zip export (one JSONL file per user)."""
    if zipfile.is_zipfile(path):
        yield from read_doccano_zip(path)
        return
    source = display_path(path)
    try:
        stream = path.open("rb")
    except OSError as exc:
        yield Problem(source, None, f"cannot read: {exc.strerror or exc}")
        return
    with stream:
        yield from _read_stream(stream, source, None)


# Limits on what a zip may unpack to, checked against each member's header before it is
# opened (zipfile stops a member at its declared size and fails its checksum if the
# header lied, so the declared sizes bound what is read). A doccano export of a large
# project is some hundreds of MB; JSONL compresses 3-10x, highly repetitive JSONL
# some tens of times; a zip bomb thousands of times.
MAX_MEMBER_BYTES = 2 * 1024**3
MAX_TOTAL_BYTES = 8 * 1024**3
MAX_RATIO = 200
_RATIO_FLOOR = 16 * 1024**2  # smaller members may compress as well as they like


def _member_problem(info: zipfile.ZipInfo, unpacked_so_far: int) -> str | None:
    size, packed = info.file_size, info.compress_size
    if info.flag_bits & 0x1:
        return "encrypted (no password is asked for)"
    if size > MAX_MEMBER_BYTES:
        return f"unpacks to {size} bytes; the limit for one file is {MAX_MEMBER_BYTES}"
    if size > _RATIO_FLOOR and size > MAX_RATIO * max(packed, 1):
        return (
            f"unpacks {size // max(packed, 1)} times its packed size ({packed} -> {size} "
            f"bytes); more than {MAX_RATIO} times is taken for a zip bomb"
        )
    if unpacked_so_far + size > MAX_TOTAL_BYTES:
        return f"with this file the archive unpacks to over {MAX_TOTAL_BYTES} bytes"
    return None


def read_doccano_zip(path: Path) -> Iterator[ImportRecord | Problem]:
    shown = display_path(path)
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile, ValueError, EOFError) as exc:
        yield Problem(shown, None, f"not a readable zip file: {exc}")
        return
    unpacked = 0
    with archive:
        for info in sorted(archive.infolist(), key=lambda i: i.filename):
            name = PurePosixPath(info.filename)
            if info.is_dir() or name.name.startswith((".", "__MACOSX")):
                continue
            source = f"{shown}!{printable(info.filename)}"
            if name.suffix.lower() not in (".jsonl", ".json"):
                yield Problem(source, None, "not a JSONL file; skipped")
                continue
            problem = _member_problem(info, unpacked)
            if problem is not None:
                yield Problem(source, None, problem)
                continue
            unpacked += info.file_size
            user = printable(name.stem) if name.stem not in _SHARED_USER_FILES else None
            yield from _read_member(archive, info, source, user)


def _read_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, source: str, user: str | None
) -> Iterator[ImportRecord | Problem]:
    """One member's records; a damaged member (bad checksum, truncated data, a method
    zipfile cannot unpack) ends with a Problem after the records read before it."""
    try:
        with archive.open(info) as stream:
            yield from _read_stream(stream, source, user)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
        yield Problem(source, None, f"damaged zip member: {exc}; the rest of it skipped")
    except (NotImplementedError, RuntimeError) as exc:
        yield Problem(source, None, f"cannot unpack: {exc}")
