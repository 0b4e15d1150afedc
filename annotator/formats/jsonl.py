"""JSONL in the project's format: Prodigy's task format, plus `layer` and `kind` on spans.

One object a line: ``text``, optional ``meta``, ``spans``, ``relations``,
``_annotator_id`` and ``answer``. Read line by line so memory stays flat.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from annotator.formats.records import (
    DEFAULT_READ,
    ImportRecord,
    Problem,
    RawRelation,
    RawSpan,
    ReadOptions,
)
from annotator.formats.textio import MAX_LINE, display_path, iter_lines, open_lines

__all__ = ["MAX_LINE", "RecordError", "iter_jsonl_lines", "read_jsonl", "record_from_object"]
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def _encodable(obj: Any) -> bool:
    try:
        json.dumps(obj, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class _NotJson(ValueError):
    pass


def _no_constant(name: str) -> Any:
    # Python's json reads NaN and Infinity; JSON has neither and PostgreSQL's json type
    # refuses them, so a record holding one would store on SQLite only.
    raise _NotJson(f"{name} is not a JSON value")


class RecordError(ValueError):
    """A line whose structure is wrong; the message says what."""


def _int(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise RecordError(f"{what} must be an integer, got {value!r}")
    return value


def _span_ref(value: Any, what: str) -> tuple[int, int, str]:
    if not isinstance(value, dict):
        raise RecordError(f"{what} must be an object with start, end, label")
    return (
        _int(value.get("start"), f"{what}.start"),
        _int(value.get("end"), f"{what}.end"),
        str(value.get("label", "")),
    )


def parse_spans(items: Any) -> list[RawSpan]:
    if not isinstance(items, list):
        raise RecordError("spans must be a list")
    spans = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise RecordError(f"span {i} is not an object")
        label = item.get("label")
        if not isinstance(label, str) or not label:
            raise RecordError(f"span {i} has no label")
        conf = item.get("confidence", item.get("score"))
        spans.append(
            RawSpan(
                start=_int(item.get("start"), f"span {i} start"),
                end=_int(item.get("end"), f"span {i} end"),
                label=label,
                layer=item.get("layer"),
                kind=item.get("kind"),
                token_start=item.get("token_start"),
                token_end=item.get("token_end"),
                origin=item.get("origin"),
                confidence=float(conf) if isinstance(conf, (int, float)) else None,
            )
        )
    return spans


def parse_relations(items: Any) -> list[RawRelation]:
    if not isinstance(items, list):
        raise RecordError("relations must be a list")
    out = []
    for i, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get("label"), str):
            raise RecordError(f"relation {i} needs a label")
        out.append(
            RawRelation(
                label=item["label"],
                head_span=_span_ref(item["head_span"], f"relation {i} head_span")
                if "head_span" in item
                else None,
                child_span=_span_ref(item["child_span"], f"relation {i} child_span")
                if "child_span" in item
                else None,
                head=item.get("head") if isinstance(item.get("head"), int) else None,
                child=item.get("child") if isinstance(item.get("child"), int) else None,
            )
        )
    return out


def check_answer(answer: Any) -> str | None:
    if answer is not None and answer not in ("accept", "reject", "ignore"):
        raise RecordError(f"answer must be accept, reject or ignore, got {answer!r}")
    return answer


def external_id_for(meta: dict[str, Any], source: str, line: int, own_id: Any = None) -> str:
    """A record's external id: its meta id or source, its own id, else file:line."""
    external = meta.get("id") or meta.get("source") or own_id
    return str(external) if external is not None else f"{Path(source).name}:{line}"


def record_from_object(obj: Any, source: str, line: int) -> ImportRecord:
    if not isinstance(obj, dict):
        raise RecordError("a line must hold a JSON object")
    text = obj.get("text")
    if not isinstance(text, str):
        raise RecordError('no "text" string')
    if not text.strip():
        raise RecordError('"text" is empty')
    meta = obj.get("meta") or {}
    if not isinstance(meta, dict):
        raise RecordError('"meta" must be an object')
    spans = parse_spans(obj["spans"]) if "spans" in obj else None
    relations = parse_relations(obj.get("relations") or [])
    answer = check_answer(obj.get("answer"))
    external = external_id_for(meta, source, line)
    annotator = obj.get("_annotator_id")
    return ImportRecord(
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


def iter_jsonl_lines(
    stream: IO[bytes], source: str, *, max_line: int = MAX_LINE
) -> Iterator[tuple[int, Any] | Problem]:
    """(line number, parsed object) for each non-blank line, or a Problem."""
    yield from parse_jsonl_lines(iter_lines(stream, source, max_line=max_line), source)


def parse_jsonl_lines(
    lines: Iterator[tuple[int, bytes] | Problem], source: str
) -> Iterator[tuple[int, Any] | Problem]:
    for item in lines:
        if isinstance(item, Problem):
            yield item
            continue
        number, raw = item
        if not raw.strip():
            continue
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            yield Problem(source, number, "not valid UTF-8")
            continue
        try:
            obj = json.loads(line, parse_constant=_no_constant)
        except (json.JSONDecodeError, RecursionError, _NotJson) as exc:
            if isinstance(exc, json.JSONDecodeError):
                msg = exc.msg
            else:
                msg = str(exc) if isinstance(exc, _NotJson) else "nested too deeply"
            yield Problem(source, number, f"invalid JSON: {msg}")
            continue
        if _SURROGATE_ESCAPE.search(raw) and not _encodable(obj):
            # JSON may escape half of a UTF-16 pair ("\ud800"); such a string is not
            # Unicode, and SQLite, spaCy and every writer would fail on it later.
            yield Problem(
                source, number, "contains a lone UTF-16 surrogate escape (\\ud800-\\udfff)"
            )
            continue
        yield number, obj


def read_jsonl(
    path: Path, options: ReadOptions = DEFAULT_READ
) -> Iterator[ImportRecord | Problem]:
    source = display_path(path)
    for item in parse_jsonl_lines(open_lines(path), source):
        if isinstance(item, Problem):
            yield item
            continue
        number, obj = item
        try:
            yield record_from_object(obj, source, number)
        except RecordError as exc:
            yield Problem(source, number, str(exc))
