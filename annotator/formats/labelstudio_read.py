"""Import of a Label Studio task list (its JSON export; the shape is in ``labelstudio``),
or of its flat JSON-MIN export (no relations there).

Each task becomes a document: its text is ``data.text`` (else the first string value
of ``data``), its meta ``data.meta`` and the rest of ``data``. Each annotation is a
record of its own, with an annotator: the e-mail of ``completed_by`` when Label
Studio gives it, the annotator our export named in ``data`` for an annotation that
was imported into Label Studio from such a file, else ``ls-user-<id>``. A cancelled
(skipped) annotation is stored as skipped. Each prediction is a record for the
suggestion set ``suggestions:<model_version>`` (``suggestions:labelstudio`` without
one), its regions suggested with their score as confidence.

``labels`` results become spans, per-region ``choices`` of direct/indirect/mixed a
quote's kind (found by region id, else by the region's offsets), and ``relation``
results relations from the QUOTE to its SPEAKER or CUE (drawn the other way round
they are turned; without a label the target's label names them). What cannot be
kept is reported and only it is left out: a relation or kind that points at no
region, another result type (counted per file).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from annotator.core import QuoteKind, RelationLabel
from annotator.formats.labelstudio import (
    ANNOTATOR_KEY,
    DEFAULT_PREDICTIONS,
    ORIGIN_FROM_LS,
    SUGGESTIONS_PREFIX,
    TEXT_NAME,
)
from annotator.formats.records import (
    DEFAULT_READ,
    ImportRecord,
    Problem,
    RawRelation,
    RawSpan,
    ReadOptions,
)
from annotator.formats.textio import decode_text, display_path

MAX_WARNINGS = 20  # per file; the rest are counted
_KINDS = {str(k) for k in QuoteKind}
_RELATIONS = {str(r) for r in RelationLabel}
_CHILD_RELATION = {"SPEAKER": "speaker", "CUE": "cue"}
_ORIGINS = {ls: str(ours) for ls, ours in ORIGIN_FROM_LS.items()}


class TaskError(ValueError):
    """A task (or one of its annotations) whose structure is wrong; says what."""


def _no_constant(name: str) -> Any:
    # NaN and Infinity are not JSON (PostgreSQL's json type refuses them)
    raise TaskError(f"{name} is not a JSON value")


def _int(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TaskError(f"{what} must be an integer, got {value!r}")
    return value


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def looks_like_labelstudio(obj: Any) -> bool:
    """A task list (or one task) as Label Studio exports it."""
    if isinstance(obj, dict):
        return isinstance(obj.get("data"), dict)
    return (
        isinstance(obj, list)
        and bool(obj)
        and any(isinstance(t, dict) and isinstance(t.get("data"), dict) for t in obj[:10])
    )


class _Utf16:
    """Label Studio's older editor counted offsets in UTF-16 units (JavaScript's
    string length), which differ from ours after an emoji: maps them back."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._to_cp: dict[int, int] | None = None

    def convert(self, start: int, end: int) -> tuple[int, int] | None:
        if self._to_cp is None:
            table: dict[int, int] = {}
            unit = 0
            for i, ch in enumerate(self.text):
                table[unit] = i
                unit += 2 if ord(ch) > 0xFFFF else 1
            table[unit] = len(self.text)
            self._to_cp = table
        s, e = self._to_cp.get(start), self._to_cp.get(end)
        return None if s is None or e is None else (s, e)


class _Results:
    """The spans, relations and notes of one annotation's (or prediction's) result."""

    def __init__(self, text: str, where: str, *, suggested: bool, score: float | None) -> None:
        self.text = text
        self.where = where
        self.suggested = suggested
        self.score = score
        self.spans: list[RawSpan] = []
        self.relations: list[RawRelation] = []
        self.regions: dict[str, list[RawSpan]] = {}
        self.notes: list[str] = []
        self.ignored: Counter[str] = Counter()
        self._utf16 = _Utf16(text)

    def read(self, result: Any) -> None:
        if not isinstance(result, list):
            raise TaskError(f"{self.where}: result must be a list")
        choices: list[dict[str, Any]] = []
        relations: list[dict[str, Any]] = []
        for n, item in enumerate(result):
            if not isinstance(item, dict):
                raise TaskError(f"{self.where}: result {n} is not an object")
            kind = item.get("type")
            if kind == "labels":
                self._region(item, n)
            elif kind == "choices":
                choices.append(item)
            elif kind == "relation":
                relations.append(item)
            else:
                self.ignored[str(kind)] += 1
        for item in choices:
            self._kind(item)
        for item in relations:
            self._relation(item)

    def _offsets(self, value: dict[str, Any], n: int) -> tuple[int, int]:
        start, end = value.get("start"), value.get("end")
        if type(start) is not int or type(end) is not int:  # bool is no offset either
            _int(start, f"{self.where}: result {n} start")
            _int(end, f"{self.where}: result {n} end")
        assert isinstance(start, int) and isinstance(end, int)
        shown = value.get("text")
        if shown is not None and self.text[start:end] != shown and isinstance(shown, str):
            fixed = self._utf16.convert(start, end)
            if fixed is not None and self.text[fixed[0] : fixed[1]] == shown:
                self.notes.append(
                    f"region {start}-{end} {shown[:40]!r} counted UTF-16 units; read as "
                    f"{fixed[0]}-{fixed[1]}"
                )
                return fixed
            self.notes.append(
                f"region {start}-{end} says its text is {shown[:40]!r} but the offsets "
                f"cover {self.text[start:end][:40]!r}; the offsets are kept"
            )
        return start, end

    def _region(self, item: dict[str, Any], n: int) -> None:
        value = item.get("value")
        if not isinstance(value, dict):
            raise TaskError(f"{self.where}: result {n} has no value")
        labels = value.get("labels")
        if not isinstance(labels, list) or not labels:
            raise TaskError(f"{self.where}: result {n} has no labels")
        start, end = self._offsets(value, n)
        meta = item.get("meta")
        layer = meta.get("layer") if isinstance(meta, dict) else None
        if not isinstance(layer, str):
            layer = None
        if self.suggested:
            origin: str | None = "suggested"
        else:
            origin = _ORIGINS.get(str(item.get("origin")))
        confidence = item.get("score")
        if confidence is not None:
            confidence = _number(confidence)
        if confidence is None and self.suggested:
            confidence = self.score
        spans = []
        for label in labels:
            if type(label) is not str or not label:
                raise TaskError(f"{self.where}: result {n} has a label that is not a string")
            spans.append(
                RawSpan(start, end, label, layer=layer, origin=origin, confidence=confidence)
            )
        self.spans += spans
        ident = item.get("id")
        if ident is not None:
            self.regions.setdefault(str(ident), []).extend(spans)

    def _kind(self, item: dict[str, Any]) -> None:
        value = item.get("value")
        chosen = value.get("choices") if isinstance(value, dict) else None
        kinds = [c for c in chosen if c in _KINDS] if isinstance(chosen, list) else []
        if not kinds:
            self.ignored["choices"] += 1  # a classification of something else
            return
        assert isinstance(value, dict)
        targets = [s for s in self.regions.get(str(item.get("id")), []) if s.label == "QUOTE"]
        if not targets and isinstance(value.get("start"), int):
            # the region's id changed on the way: its offsets still name it
            targets = [
                s
                for s in self.spans
                if s.label == "QUOTE" and (s.start, s.end) == (value["start"], value.get("end"))
            ]
        if not targets:
            self.notes.append(
                f"quote kind {kinds[0]!r} of region {item.get('id')!r} finds no QUOTE "
                "there; not kept"
            )
            return
        for span in targets:
            span.kind = kinds[0]

    def _relation(self, item: dict[str, Any]) -> None:
        a, b = str(item.get("from_id")), str(item.get("to_id"))
        if item.get("direction") == "left":
            a, b = b, a
        if a not in self.regions or b not in self.regions:
            self.notes.append(f"a relation {a!r} -> {b!r} points at a region that is not there")
            return
        head = _pick(self.regions[a], {"QUOTE"})
        child = _pick(self.regions[b], set(_CHILD_RELATION))
        if head.label != "QUOTE" and child.label == "QUOTE":
            # drawn from the speaker or cue to the quote
            head = _pick(self.regions[b], {"QUOTE"})
            child = _pick(self.regions[a], set(_CHILD_RELATION))
        labels = item.get("labels")
        given = [str(x).lower() for x in labels] if isinstance(labels, list) else []
        names = [x for x in given if x in _RELATIONS]
        if not given and child.label in _CHILD_RELATION:
            names = [_CHILD_RELATION[child.label]]
        if not names:
            self.notes.append(
                f"relation {head.label} -> {child.label} labelled {given or 'nothing'}: only "
                "speaker and cue relations are kept; left out"
            )
            return
        for name in names:
            self.relations.append(
                RawRelation(
                    name,
                    head_span=(head.start, head.end, head.label),
                    child_span=(child.start, child.end, child.label),
                )
            )


def _pick(spans: list[RawSpan], preferred: set[str]) -> RawSpan:
    """The span of a region with several labels that a relation end means."""
    return next((s for s in spans if s.label in preferred), spans[0])


def _text_of(data: dict[str, Any]) -> tuple[str, str]:
    text = data.get(TEXT_NAME)
    if isinstance(text, str):
        return TEXT_NAME, text
    for key, value in data.items():
        if isinstance(value, str):
            return key, value
    raise TaskError("data has no text (no string value)")


def _annotator(annotation: dict[str, Any], data: dict[str, Any]) -> str | None:
    who = annotation.get("completed_by")
    if isinstance(who, dict) and isinstance(who.get("email"), str) and who["email"]:
        return str(who["email"])
    ours = data.get(ANNOTATOR_KEY)
    # Label Studio gives an imported annotation the id it came with as import_id;
    # one made in Label Studio has none and belongs to its user.
    if isinstance(ours, str) and ours and (who is None or annotation.get("import_id") is not None):
        return ours
    if isinstance(who, dict) and who.get("id") is not None:
        who = who["id"]
    if isinstance(who, str) and "@" in who:
        return who  # JSON-MIN names the annotator by e-mail
    if isinstance(who, int | str) and not isinstance(who, bool) and str(who):
        return f"ls-user-{who}"
    return ours if isinstance(ours, str) and ours else None


def _prediction_set(prediction: dict[str, Any]) -> str:
    version = prediction.get("model_version")
    if isinstance(version, str | int) and str(version) and str(version) != "undefined":
        return SUGGESTIONS_PREFIX + str(version)
    return DEFAULT_PREDICTIONS


class _TaskReader:
    def __init__(self, source: str) -> None:
        self.source = source
        self.ignored: Counter[str] = Counter()
        self.notes = 0

    def records(self, task: Any, n: int) -> Iterator[ImportRecord | Problem]:
        where = f"{self.source} task {n}"
        if not isinstance(task, dict):
            raise TaskError("a task must be a JSON object")
        data = task.get("data")
        if not isinstance(data, dict):
            raise TaskError('a task needs a "data" object (Label Studio\'s task format)')
        key, text = _text_of(data)
        if not text.strip():
            raise TaskError(f"data.{key} is empty")
        meta_value = data.get("meta") or {}
        if not isinstance(meta_value, dict):
            raise TaskError("data.meta must be an object")
        meta = dict(meta_value)
        for k, v in data.items():
            if k not in (key, "meta", ANNOTATOR_KEY):
                meta.setdefault(k, v)
        own = task.get("id")
        external = meta.get("id") or meta.get("source") or own
        external_id = str(external) if external is not None else f"{Path(self.source).name}#{n}"

        def record(**fields: Any) -> ImportRecord:
            return ImportRecord(
                text=text, source=where, external_id=external_id, meta=meta, **fields
            )

        annotations = task.get("annotations", task.get("completions")) or []
        predictions = task.get("predictions") or []
        if not isinstance(annotations, list) or not isinstance(predictions, list):
            raise TaskError("annotations and predictions must be lists")
        out: list[ImportRecord] = []
        for i, ann in enumerate(annotations):
            try:
                if not isinstance(ann, dict):
                    raise TaskError(f"annotation {i} is not an object")
                res = _Results(text, f"annotation {i}", suggested=False, score=None)
                res.read(ann.get("result") or [])
            except TaskError as exc:
                # only this annotation is lost; the task's other ones are kept
                yield Problem(where, None, f"{exc}; annotation skipped")
                continue
            yield from self._notes(where, res)
            skipped = bool(ann.get("was_cancelled"))
            out.append(
                record(
                    spans=res.spans,
                    relations=res.relations,
                    annotator=_annotator(ann, data),
                    answer="ignore" if skipped else "accept",
                )
            )
        for i, pred in enumerate(predictions):
            if not isinstance(pred, dict):
                # older exports list the predictions' ids only
                self.ignored["prediction id"] += 1
                continue
            score = _number(pred.get("score"))
            res = _Results(text, f"prediction {i}", suggested=True, score=score)
            try:
                res.read(pred.get("result") or [])
            except TaskError as exc:
                yield Problem(where, None, f"{exc}; prediction skipped")
                continue
            yield from self._notes(where, res)
            out.append(
                record(
                    spans=res.spans,
                    relations=res.relations,
                    annotator=_prediction_set(pred),
                    answer="accept",
                )
            )
        if not out:
            out.append(record())
        yield from out

    def _notes(self, where: str, res: _Results) -> Iterator[Problem]:
        self.ignored.update(res.ignored)
        for note in res.notes:
            self.notes += 1
            if self.notes <= MAX_WARNINGS:
                yield Problem(where, None, f"{res.where}: {note}", warning=True)


def _load(path: Path, source: str) -> Any:
    data = path.read_bytes()
    try:
        text = decode_text(data)
    except UnicodeDecodeError as exc:
        raise TaskError(f"not valid UTF-8 (byte {exc.start})") from exc
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        return json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise TaskError(
            f"not JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); a Label Studio "
            "export is one JSON list of tasks"
        ) from exc
    except RecursionError as exc:
        raise TaskError("the JSON is nested too deeply") from exc


# JSON-MIN, Label Studio's flat export: one object per annotation, the task's data
# and each control's results (under the control's name) side by side; no relations.
_MIN_FIELDS = {"id", "annotator", "annotation_id", "created_at", "updated_at", "lead_time"}


def _min_regions(value: Any) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(
            isinstance(v, dict) and "start" in v and ("labels" in v or "choices" in v)
            for v in value
        )
    )


def looks_like_json_min(obj: Any) -> bool:
    return isinstance(obj, list) and any(
        isinstance(t, dict) and "data" not in t and any(map(_min_regions, t.values()))
        for t in obj[:10]
    )


def task_from_min(item: Any) -> Any:
    """A JSON-MIN object as the task it was exported from."""
    if not isinstance(item, dict):
        return item  # reported as a task that is no object
    data: dict[str, Any] = {}
    result: list[dict[str, Any]] = []
    for key, value in item.items():
        if key in _MIN_FIELDS:
            continue
        if not _min_regions(value):
            data[key] = value
            continue
        for i, region in enumerate(value):
            kind = "labels" if "labels" in region else "choices"
            # a kind gets its own id here: it finds its QUOTE by the offsets
            result.append({"id": f"{key}-{i}", "type": kind, "from_name": key, "value": region})
    task: dict[str, Any] = {"data": data}
    if "id" in item:
        task["id"] = item["id"]
    if result or item.get("annotator") is not None:
        task["annotations"] = [{"result": result, "completed_by": item.get("annotator")}]
    return task


def read_labelstudio(
    path: Path, options: ReadOptions = DEFAULT_READ
) -> Iterator[ImportRecord | Problem]:
    """Documents and annotations of a Label Studio JSON export (a list of tasks)."""
    source = display_path(path)
    try:
        obj = _load(path, source)
    except OSError as exc:
        yield Problem(source, None, f"cannot read: {exc.strerror or exc}")
        return
    except TaskError as exc:
        yield Problem(source, None, str(exc))
        return
    if isinstance(obj, dict) and isinstance(obj.get("data"), dict):
        obj = [obj]
    if looks_like_json_min(obj) and not looks_like_labelstudio(obj):
        obj = [task_from_min(item) for item in obj]
    if not isinstance(obj, list) or (obj and not looks_like_labelstudio(obj)):
        what = type(obj).__name__ if not isinstance(obj, list) else "a list of other things"
        yield Problem(
            source,
            None,
            f"not a Label Studio task list: the JSON holds {_shape(obj, what)}, not a list of "
            'tasks with "data"; pass --format for another format',
        )
        return
    reader = _TaskReader(source)
    for n, task in enumerate(obj, start=1):
        try:
            # built whole before any is given out: a task whose own structure is
            # broken is skipped entirely, never half of it
            items = list(reader.records(task, n))
        except TaskError as exc:
            yield Problem(f"{source} task {n}", None, f"{exc}; task skipped")
            continue
        yield from items
    if reader.notes > MAX_WARNINGS:
        yield Problem(
            source, None, f"{reader.notes - MAX_WARNINGS} more notes like those above", True
        )
    if reader.ignored:
        counts = ", ".join(f"{n} {kind}" for kind, n in sorted(reader.ignored.items()))
        yield Problem(
            source,
            None,
            f"results of a kind not imported were left out: {counts} (labels, relations "
            "and quote-kind choices are imported)",
            warning=True,
        )


def _shape(obj: Any, what: str) -> str:
    if isinstance(obj, dict):
        keys = ", ".join(sorted(map(str, obj))[:5])
        return f"an object with keys {keys}" if keys else "an empty object"
    if isinstance(obj, list):
        return what
    return f"a {what}"
