"""JSONL in the project's format: Prodigy's task format, plus `layer` and `kind` on spans.

One object a line: ``text``, optional ``meta``, ``tokens``, ``spans``, ``relations``,
``_annotator_id`` and ``answer``. Read line by line so memory stays flat.

What Prodigy puts in a task is kept: ``_input_hash``, ``_task_hash`` and ``_view_id``
go to the document's meta, and the export writes them back. A relation's ends are
found by ``head_span``/``child_span``, else by its ``head``/``child`` token indices
read against the record's own ``tokens``; a relation that cannot be kept (unknown
label, index out of range, an end that is no labelled span) is left out with a
warning naming the line, and the rest of the record is imported. A ``reject`` answer's
spans become rejected suggestions (see ``mark_rejected``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from annotator.core import RelationLabel
from annotator.formats.prodigy_hash import INPUT_HASH, TASK_HASH, VIEW_ID
from annotator.formats.records import (
    DEFAULT_READ,
    ImportRecord,
    Problem,
    RawRelation,
    RawSpan,
    ReadOptions,
)
from annotator.formats.textio import MAX_LINE, display_path, iter_lines, open_lines

__all__ = [
    "MAX_LINE",
    "RecordError",
    "iter_jsonl_lines",
    "parse_record",
    "read_jsonl",
    "record_from_object",
]
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


# A span object holding only these keys, with integer offsets and a label, is read
# without looking up the others one by one (the usual span: an import reads a hundred
# thousand); any other span takes the general path below, with its checks.
_PLAIN_SPAN_KEYS = frozenset(("start", "end", "label", "layer", "kind", "text"))


def parse_spans(items: Any) -> list[RawSpan]:
    if not isinstance(items, list):
        raise RecordError("spans must be a list")
    spans: list[RawSpan] = []
    append = spans.append
    plain = _PLAIN_SPAN_KEYS
    for i, item in enumerate(items):
        if type(item) is dict and item.keys() <= plain:
            start, end, label = item.get("start"), item.get("end"), item.get("label")
            if type(start) is int and type(end) is int and type(label) is str and label:
                append(RawSpan(start, end, label, item.get("layer"), item.get("kind")))
                continue
        append(_span_of(item, i))
    return spans


def _span_of(item: Any, i: int) -> RawSpan:
    if not isinstance(item, dict):
        raise RecordError(f"span {i} is not an object")
    label = item.get("label")
    if not isinstance(label, str) or not label:
        raise RecordError(f"span {i} has no label")
    conf = item.get("confidence", item.get("score"))
    return RawSpan(
        start=_int(item.get("start"), f"span {i} start"),
        end=_int(item.get("end"), f"span {i} end"),
        label=label,
        layer=item.get("layer"),
        kind=item.get("kind"),
        token_start=_opt_int(item.get("token_start")),
        token_end=_opt_int(item.get("token_end")),
        origin=item.get("origin"),
        confidence=float(conf) if isinstance(conf, (int, float)) else None,
        rejected=item.get("rejected") is True,
    )


def _opt_int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def mark_rejected(spans: list[RawSpan], answer: str | None) -> None:
    """A ``reject`` answer says the task's spans are wrong: they become rejected
    suggestions, not labels. Where spans say ``"rejected": true`` (our own export of a
    rejected article that also holds labels) only those are."""
    if answer == "reject" and not any(s.rejected for s in spans):
        for span in spans:
            span.rejected = True


def parse_relations(
    items: Any,
    spans: list[RawSpan],
    tokens: dict[int, tuple[int, int]] | None = None,
    *,
    source: str = "",
    line: int | None = None,
    warnings: list[Problem] | None = None,
) -> list[RawRelation]:
    """The record's relations that can be placed; each one that cannot is left out with a
    warning in ``warnings`` (the rest of the record is kept)."""
    if not isinstance(items, list):
        raise RecordError("relations must be a list")
    resolver = _Ends(spans, tokens)
    out = []
    touching_rejected = 0
    for i, item in enumerate(items):
        try:
            rel = _relation(item, i, resolver)
        except RecordError as exc:
            if warnings is not None:
                warnings.append(Problem(source, line, f"{exc}; left out", warning=True))
            continue
        if rel is None:
            touching_rejected += 1
            continue
        out.append(rel)
    if touching_rejected and warnings is not None:
        warnings.append(
            Problem(
                source,
                line,
                f"{touching_rejected} relation(s) between rejected spans left out (the spans "
                "are kept as rejected suggestions)",
                warning=True,
            )
        )
    return out


_LABELS = tuple(str(label) for label in RelationLabel)


def _relation(item: Any, i: int, ends: _Ends) -> RawRelation | None:
    """One relation with both ends as (start, end, label); None when it links a rejected
    span. Raises ``RecordError`` saying why it cannot be kept."""
    if not isinstance(item, dict):
        raise RecordError(f"relation {i} is not an object")
    label = item.get("label")
    if not isinstance(label, str) or label.lower() not in _LABELS:
        raise RecordError(
            f"relation {i} has unknown label {label!r}; the labels are {', '.join(_LABELS)}"
        )
    head = ends.find(item, "head", i)
    child = ends.find(item, "child", i)
    if head.rejected or child.rejected:
        return None
    return RawRelation(
        label=label,
        head_span=(head.start, head.end, head.label),
        child_span=(child.start, child.end, child.label),
    )


class _Ends:
    """Finds the span a relation's end names: by its ``head_span``/``child_span``
    offsets, else by the ``head``/``child`` token index, read against the record's own
    ``tokens`` (whose tokenizer made the indices), else against the spans' own
    ``token_start``/``token_end``."""

    def __init__(self, spans: list[RawSpan], tokens: dict[int, tuple[int, int]] | None):
        self.spans = spans
        self.tokens = tokens
        self.by_ref = {(s.start, s.end, s.label): s for s in spans}

    def find(self, item: dict[str, Any], side: str, i: int) -> RawSpan:
        ref = item.get(f"{side}_span")
        if ref is not None:
            return self._by_offsets(ref, side, i)
        index = item.get(side)
        if isinstance(index, bool) or not isinstance(index, int):
            raise RecordError(f"relation {i} names no {side} ({side}_span or {side} token)")
        return self._by_token(index, side, i)

    def _by_offsets(self, ref: Any, side: str, i: int) -> RawSpan:
        if type(ref) is dict:
            start, end, label = ref.get("start"), ref.get("end"), ref.get("label")
            if type(start) is int and type(end) is int and type(label) is str:
                # the usual reference: found without building its messages
                found = self.by_ref.get((start, end, label))
                if found is not None:
                    return found
        what = f"relation {i} {side}_span"
        if not isinstance(ref, dict):
            raise RecordError(f"{what} must be an object with start, end, label")
        start = _int(ref.get("start"), f"{what}.start")
        end = _int(ref.get("end"), f"{what}.end")
        label = ref.get("label")
        if not isinstance(label, str) or not label:
            # Prodigy links tokens that are in no span this way; we link spans only.
            raise RecordError(f"{what} {start}-{end} has no label (it is not a labelled span)")
        span = self.by_ref.get((start, end, label))
        if span is None:
            raise RecordError(f"{what} ({label} {start}-{end}) is not a span of this record")
        return span

    def _by_token(self, index: int, side: str, i: int) -> RawSpan:
        if self.tokens is not None:
            bounds = self.tokens.get(index)
            if bounds is None:
                raise RecordError(
                    f"relation {i} {side} token {index} is not among the record's "
                    f"{len(self.tokens)} tokens"
                )
            token_start, token_end = bounds
            for span in self.spans:
                if span.end == token_end and span.start <= token_start:
                    return span
            raise RecordError(f"relation {i} {side} token {index} ends no span of this record")
        for span in self.spans:
            if span.token_end == index:
                return span
        raise RecordError(
            f"relation {i} {side} token {index} cannot be placed: the record has no tokens "
            "and no span gives that token_end"
        )


def parse_tokens(items: Any) -> dict[int, tuple[int, int]] | None:
    """The record's own tokens as id -> (start, end), or None when it has none usable
    (a relation's token indices then resolve through the spans' token_end)."""
    if not isinstance(items, list) or not items:
        return None
    out: dict[int, tuple[int, int]] = {}
    for position, token in enumerate(items):
        if not isinstance(token, dict):
            return None
        start, end = _opt_int(token.get("start")), _opt_int(token.get("end"))
        if start is None or end is None:
            return None
        ident = _opt_int(token.get("id"))
        out[position if ident is None else ident] = (start, end)
    return out


def check_answer(answer: Any) -> str | None:
    if answer is not None and answer not in ("accept", "reject", "ignore"):
        raise RecordError(f"answer must be accept, reject or ignore, got {answer!r}")
    return answer


def external_id_for(meta: dict[str, Any], source: str, line: int, own_id: Any = None) -> str:
    """A record's external id: its meta id or source, its own id, else file:line."""
    external = meta.get("id") or meta.get("source") or own_id
    return str(external) if external is not None else f"{Path(source).name}:{line}"


def prodigy_meta(obj: dict[str, Any], meta: dict[str, Any]) -> dict[str, Any]:
    """``meta`` with the record's Prodigy hashes and view id, which the JSONL export
    writes back: Prodigy knows a question it has seen by its hashes."""
    out = dict(meta)
    for key in (INPUT_HASH, TASK_HASH):
        value = _opt_int(obj.get(key))
        if value is not None:
            out[key] = value
    if isinstance(obj.get(VIEW_ID), str):
        out[VIEW_ID] = obj[VIEW_ID]
    return out


def record_from_object(obj: Any, source: str, line: int) -> ImportRecord:
    return parse_record(obj, source, line)[0]


def parse_record(obj: Any, source: str, line: int) -> tuple[ImportRecord, list[Problem]]:
    """The record of one line and the warnings about what of it was left out."""
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
    answer = check_answer(obj.get("answer"))
    mark_rejected(spans or [], answer)
    warnings: list[Problem] = []
    relations = parse_relations(
        obj.get("relations") or [],
        spans or [],
        parse_tokens(obj.get("tokens")),
        source=source,
        line=line,
        warnings=warnings,
    )
    external = external_id_for(meta, source, line)
    annotator = obj.get("_annotator_id")
    record = ImportRecord(
        text=text,
        source=source,
        line=line,
        external_id=external,
        meta=prodigy_meta(obj, meta),
        spans=spans,
        relations=relations,
        annotator=str(annotator) if annotator else None,
        answer=answer,
    )
    return record, warnings


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


def read_jsonl(path: Path, options: ReadOptions = DEFAULT_READ) -> Iterator[ImportRecord | Problem]:
    source = display_path(path)
    for item in parse_jsonl_lines(open_lines(path), source):
        if isinstance(item, Problem):
            yield item
            continue
        number, obj = item
        try:
            record, warnings = parse_record(obj, source, number)
        except RecordError as exc:
            yield Problem(source, number, str(exc))
            continue
        yield from warnings
        yield record
