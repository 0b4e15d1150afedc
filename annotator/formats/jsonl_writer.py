"""JSONL export in the project's format, a superset of Prodigy's task format.

One task a line::

    {"text": ..., "meta": {...}, "_input_hash": int, "_task_hash": int,
     "_view_id"?: str,
     "tokens": [{"text", "start", "end", "id", "ws"}],
     "spans": [{"start", "end", "token_start", "token_end", "label",
                "layer", "kind"?, "origin", "confidence"?, "text", "rejected"?}],
     "relations": [{"head", "child", "head_span", "child_span", "label"}],
     "answer": "accept" | "ignore" | "reject" (absent for unfinished work),
     "_annotator_id": name}

``token_end`` is inclusive and a relation's ``head``/``child`` is the index of the
last token of its span, both as Prodigy writes them. Without tokens
(``JsonlWriter(path, tokens=False)``, ``export --no-tokens``) ``tokens``,
``token_start``/``token_end`` and ``head``/``child`` are left out: every span and
relation end is then given by its character offsets alone, which our import reads
back exactly. ``meta`` gets ``id`` (the document's external id) when it has neither
``id`` nor ``source``, so a re-import keeps the external id.

Hashes: a document imported from Prodigy keeps the ``_input_hash``, ``_task_hash`` and
``_view_id`` it came with (stored in its meta, written here at the top level, where
Prodigy reads them). Other tasks get the hashes Prodigy's ``set_hashes`` would give
them (``prodigy_hash``). A rejected article (answer ``reject``) lists the
suggestions its annotator rejected among its spans, marked ``"rejected": true``, as
Prodigy lists the spans of a rejected task.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring
from pathlib import Path
from typing import Any

from annotator.core import Annotation, Document, Layer, Origin, Span
from annotator.formats.export_base import (
    AtomicTextFile,
    PlacedSpan,
    answer_of,
    place_by_offsets,
    place_spans,
    span_index,
    token_columns,
)
from annotator.formats.prodigy_hash import INPUT_HASH, TASK_HASH, VIEW_ID, set_hashes

_PRODIGY_KEYS = (INPUT_HASH, TASK_HASH, VIEW_ID)


def export_meta(document: Document) -> dict[str, Any]:
    meta = dict(document.meta)
    if document.external_id and "id" not in meta and "source" not in meta:
        meta["id"] = document.external_id
    return meta


def _span_ref(p: PlacedSpan, tokens: bool) -> dict[str, Any]:
    ref: dict[str, Any] = {"start": p.span.start, "end": p.span.end}
    if tokens:
        ref["token_start"] = p.token_start
        ref["token_end"] = p.token_end
    ref["label"] = p.span.label
    return ref


def _rejected(
    document: Document, annotation: Annotation, tokens: bool = True
) -> list[PlacedSpan]:
    """The rejected suggestions of a rejected article, placed on its tokens like spans
    (a key that no longer fits them fails the document's export, as a span would)."""
    if answer_of(annotation) != "reject" or not annotation.rejected:
        return []
    labels = {s.key for s in annotation.spans}
    keys = sorted(k for k in annotation.rejected if k not in labels)
    shadow = Annotation(
        None,
        annotation.annotator,
        spans=[Span(k.start, k.end, k.label, Layer(k.layer), Origin.SUGGESTED) for k in keys],
    )
    return (place_spans if tokens else place_by_offsets)(document, shadow)


def task_from(
    document: Document, annotation: Annotation, *, tokens: bool = True
) -> dict[str, Any]:
    """The JSONL task for one document and annotation (raises ``SpanPlacementError``)."""
    task = _task_without_tokens(document, annotation, tokens)
    if not tokens:
        return task
    out = {k: task.pop(k) for k in ("text", "meta")}
    out["tokens"] = [
        {"text": document.text[s:e], "start": s, "end": e, "id": i, "ws": bool(w)}
        for i, (s, e, w) in enumerate(zip(*token_columns(document.tokens or []), strict=True))
    ]
    out.update(task)
    return out


def _task_without_tokens(
    document: Document, annotation: Annotation, tokens: bool
) -> dict[str, Any]:
    """The task of ``task_from`` but its ``tokens``; spans with token indices when
    ``tokens``, else placed by their offsets alone."""
    placed = (place_spans if tokens else place_by_offsets)(document, annotation)
    text = document.text
    index = span_index(placed)
    spans: list[dict[str, Any]] = []
    for p in placed:
        item = _span_ref(p, tokens)
        item["layer"] = str(p.span.layer)
        if p.span.kind is not None:
            item["kind"] = str(p.span.kind)
        item["origin"] = str(p.span.origin)
        if p.span.confidence is not None:
            item["confidence"] = p.span.confidence
        item["text"] = text[p.span.start : p.span.end]
        spans.append(item)
    for p in _rejected(document, annotation, tokens):
        item = _span_ref(p, tokens)
        item.update(layer=str(p.span.layer), text=text[p.span.start : p.span.end])
        item["rejected"] = True
        spans.append(item)
    relations: list[dict[str, Any]] = []
    for rel in sorted(
        annotation.relations, key=lambda r: (index[r.head], index[r.child], str(r.label))
    ):
        head, child = placed[index[rel.head]], placed[index[rel.child]]
        ends: dict[str, Any] = {"head": head.token_end, "child": child.token_end} if tokens else {}
        relations.append(
            {
                **ends,
                "head_span": _span_ref(head, tokens),
                "child_span": _span_ref(child, tokens),
                "label": str(rel.label),
            }
        )
    meta = export_meta(document)
    kept = {key: meta.pop(key) for key in _PRODIGY_KEYS if key in meta}
    task: dict[str, Any] = {"text": text, "meta": meta}
    task["spans"] = spans
    task["relations"] = relations
    if isinstance(kept.get(INPUT_HASH), int) and isinstance(kept.get(TASK_HASH), int):
        task[INPUT_HASH], task[TASK_HASH] = kept[INPUT_HASH], kept[TASK_HASH]
    else:
        set_hashes(task, overwrite=True)
    if isinstance(kept.get(VIEW_ID), str):
        task[VIEW_ID] = kept[VIEW_ID]
    answer = answer_of(annotation)
    if answer is not None:
        task["answer"] = answer
    task["_annotator_id"] = annotation.annotator
    return task


def dumps_line(obj: dict[str, Any]) -> str:
    # ensure_ascii=False keeps non-English text readable and the file smaller.
    return json.dumps(obj, ensure_ascii=False) + "\n"


_BOOL = ("false", "true")


def tokens_json(document: Document) -> str:
    """``json.dumps`` of the task's ``tokens`` list, character for character, made
    without a dict per token (a million tokens' dicts were a third of the export)."""
    text = document.text
    starts, ends, ws = token_columns(document.tokens or [])
    items = [
        f'{{"text": {encode_basestring(text[s:e])}, "start": {s}, "end": {e}, '
        f'"id": {i}, "ws": {_BOOL[w]}}}'
        for i, (s, e, w) in enumerate(zip(starts, ends, ws, strict=True))
    ]
    return "[" + ", ".join(items) + "]"


def task_line(document: Document, annotation: Annotation, *, tokens: bool = True) -> str:
    """``dumps_line(task_from(...))``, the same characters, with the tokens written by
    ``tokens_json`` into the object between its ``meta`` and its ``spans``."""
    task = _task_without_tokens(document, annotation, tokens)
    if not tokens:
        return dumps_line(task)
    head = json.dumps({"text": task.pop("text"), "meta": task.pop("meta")}, ensure_ascii=False)
    tail = json.dumps(task, ensure_ascii=False)
    return f"{head[:-1]}, \"tokens\": {tokens_json(document)}, {tail[1:]}\n"


class JsonlWriter:
    """Streams one task a line into ``path`` (published on ``close``); ``tokens=False``
    leaves the tokens out (see the module doc)."""

    extension = ".jsonl"

    def __init__(self, path: Path, *, tokens: bool = True) -> None:
        self._file = AtomicTextFile(path)
        self.path = self._file.path
        self._tokens = tokens

    def add(self, document: Document, annotation: Annotation) -> None:
        self._file.stream.write(task_line(document, annotation, tokens=self._tokens))

    def close(self) -> None:
        self._file.commit()

    def abort(self) -> None:
        self._file.abort()
