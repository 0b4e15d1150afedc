"""JSONL export in the project's format, a superset of Prodigy's task format.

One task a line::

    {"text": ..., "meta": {...}, "_input_hash": int, "_task_hash": int,
     "tokens": [{"text", "start", "end", "id", "ws"}],
     "spans": [{"start", "end", "token_start", "token_end", "label",
                "layer", "kind"?, "origin", "confidence"?, "text"}],
     "relations": [{"head", "child", "head_span", "child_span", "label"}],
     "answer": "accept" | "ignore" | "reject" (absent for unfinished work),
     "_annotator_id": name}

``token_end`` is inclusive and a relation's ``head``/``child`` is the index of the
last token of its span, both as Prodigy writes them. ``meta`` gets ``id`` (the
document's external id) when it has neither ``id`` nor ``source``, so a re-import
keeps the external id.

Hashes (Prodigy's are murmurhash; we avoid the dependency and document ours):
``_input_hash`` is the signed 32-bit big-endian integer of the 4-byte BLAKE2b digest
of the UTF-8 text; ``_task_hash`` is the same function of the input hash and a
compact canonical JSON of the spans (start, end, label, layer, kind) and relations.
Both are stable across runs, machines and Python versions.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from annotator.core import Annotation, Document
from annotator.formats.export_base import (
    AtomicTextFile,
    PlacedSpan,
    answer_of,
    place_spans,
    span_index,
)


def hash32(data: str) -> int:
    digest = hashlib.blake2b(data.encode("utf-8"), digest_size=4).digest()
    return int.from_bytes(digest, "big", signed=True)


def input_hash(text: str) -> int:
    return hash32(text)


def task_hash(in_hash: int, spans: Sequence[Any], relations: Sequence[Any]) -> int:
    canonical = json.dumps(
        {"input": in_hash, "spans": spans, "relations": relations},
        separators=(",", ":"),
        ensure_ascii=False,
        sort_keys=True,
    )
    return hash32(canonical)


def export_meta(document: Document) -> dict[str, Any]:
    meta = dict(document.meta)
    if document.external_id and "id" not in meta and "source" not in meta:
        meta["id"] = document.external_id
    return meta


def _span_ref(p: PlacedSpan) -> dict[str, Any]:
    return {
        "start": p.span.start,
        "end": p.span.end,
        "token_start": p.token_start,
        "token_end": p.token_end,
        "label": p.span.label,
    }


def task_from(document: Document, annotation: Annotation) -> dict[str, Any]:
    """The JSONL task for one document and annotation (raises ``SpanPlacementError``)."""
    placed = place_spans(document, annotation)
    text = document.text
    tokens = document.tokens or []
    index = span_index(placed)
    spans: list[dict[str, Any]] = []
    for p in placed:
        item = _span_ref(p)
        item["layer"] = str(p.span.layer)
        if p.span.kind is not None:
            item["kind"] = str(p.span.kind)
        item["origin"] = str(p.span.origin)
        if p.span.confidence is not None:
            item["confidence"] = p.span.confidence
        item["text"] = text[p.span.start : p.span.end]
        spans.append(item)
    relations: list[dict[str, Any]] = []
    for rel in sorted(
        annotation.relations, key=lambda r: (index[r.head], index[r.child], str(r.label))
    ):
        head, child = placed[index[rel.head]], placed[index[rel.child]]
        relations.append(
            {
                "head": head.token_end,
                "child": child.token_end,
                "head_span": _span_ref(head),
                "child_span": _span_ref(child),
                "label": str(rel.label),
            }
        )
    in_hash = input_hash(text)
    t_hash = task_hash(
        in_hash,
        [[s["start"], s["end"], s["label"], s["layer"], s.get("kind")] for s in spans],
        [
            [
                *(r["head_span"][k] for k in ("start", "end", "label")),
                *(r["child_span"][k] for k in ("start", "end", "label")),
                r["label"],
            ]
            for r in relations
        ],
    )
    task: dict[str, Any] = {
        "text": text,
        "meta": export_meta(document),
        "_input_hash": in_hash,
        "_task_hash": t_hash,
        "tokens": [
            {"text": text[t.start : t.end], "start": t.start, "end": t.end, "id": i, "ws": t.ws}
            for i, t in enumerate(tokens)
        ],
        "spans": spans,
        "relations": relations,
    }
    answer = answer_of(annotation)
    if answer is not None:
        task["answer"] = answer
    task["_annotator_id"] = annotation.annotator
    return task


def dumps_line(obj: dict[str, Any]) -> str:
    # ensure_ascii=False keeps non-English text readable and the file smaller.
    return json.dumps(obj, ensure_ascii=False) + "\n"


class JsonlWriter:
    """Streams one task a line into ``path`` (published on ``close``)."""

    extension = ".jsonl"

    def __init__(self, path: Path) -> None:
        self._file = AtomicTextFile(path)
        self.path = self._file.path

    def add(self, document: Document, annotation: Annotation) -> None:
        self._file.stream.write(dumps_line(task_from(document, annotation)))

    def close(self) -> None:
        self._file.commit()

    def abort(self) -> None:
        self._file.abort()
