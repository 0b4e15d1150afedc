"""Export as a Label Studio task list plus its labelling config (shape: ``labelstudio``).

``tasks.json`` gets one task per document; ``tasks.label_config.xml`` beside it is
the config to paste into (or create) the Label Studio project with. Both are
written under temporary names and published together on ``close``.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any

from annotator.core import (
    Annotation,
    AnnotationStatus,
    Document,
    LabelScheme,
    Span,
    default_layer,
    label_problem,
)
from annotator.formats.export_base import (
    AtomicTextFile,
    SpanPlacementError,
    describe,
    span_order,
    write_failed,
)
from annotator.formats.jsonl_writer import export_meta
from annotator.formats.labelstudio import (
    ANNOTATOR_KEY,
    KIND_NAME,
    LABELS_NAME,
    ORIGIN_TO_LS,
    SUGGESTIONS_PREFIX,
    TEXT_NAME,
    config_path,
    label_config,
    label_order,
)


def region_id(n: int) -> str:
    return f"s{n}"


def ordered_spans(document: Document, annotation: Annotation) -> list[Span]:
    """The annotation's spans in output order. Label Studio places regions by
    characters, so the stored tokens are not consulted (placing them cost a third of
    this export); a span outside the text or a relation to a missing span still fails
    the document, as ``place_spans`` does for the token formats."""
    n = len(document.text)
    spans = sorted(annotation.spans, key=span_order)
    bad = [
        f"{s.label} {s.start}-{s.end} is outside the text (length {n})"
        for s in spans
        if not 0 <= s.start < s.end <= n
    ]
    keys = {s.key for s in spans}
    bad += [
        f"relation {r.label} points at a span that is not there"
        for r in annotation.relations
        if r.head not in keys or r.child not in keys
    ]
    # a label stored before labels were checked would break the labelling config
    bad += [p for p in map(label_problem, {s.label for s in spans}) if p is not None]
    if bad:
        raise SpanPlacementError(f"{describe(document)}: " + "; ".join(bad))
    return spans


def results_of(document: Document, annotation: Annotation) -> list[dict[str, Any]]:
    """The ``result`` list of one annotation: regions, quote kinds, then relations."""
    spans = ordered_spans(document, annotation)
    text = document.text
    regions: list[dict[str, Any]] = []
    kinds: list[dict[str, Any]] = []
    for n, span in enumerate(spans):
        value = {
            "start": span.start,
            "end": span.end,
            "text": text[span.start : span.end],
        }
        region: dict[str, Any] = {
            "id": region_id(n),
            "type": "labels",
            "from_name": LABELS_NAME,
            "to_name": TEXT_NAME,
            "value": {**value, "labels": [span.label]},
        }
        origin = ORIGIN_TO_LS.get(span.origin)
        if origin is not None:
            region["origin"] = origin
        if span.confidence is not None:
            region["score"] = span.confidence
        if span.layer != default_layer(span.label):
            region["meta"] = {"layer": str(span.layer)}
        regions.append(region)
        if span.kind is not None:
            kinds.append(
                {
                    "id": region_id(n),
                    "type": "choices",
                    "from_name": KIND_NAME,
                    "to_name": TEXT_NAME,
                    "value": {**value, "choices": [str(span.kind)]},
                }
            )
    index = {s.key: n for n, s in enumerate(spans)}
    relations = [
        {
            "type": "relation",
            "from_id": region_id(index[r.head]),
            "to_id": region_id(index[r.child]),
            "direction": "right",
            "labels": [str(r.label)],
        }
        for r in sorted(
            annotation.relations, key=lambda r: (index[r.head], index[r.child], str(r.label))
        )
    ]
    return regions + kinds + relations


def is_suggestion_set(annotation: Annotation) -> bool:
    return annotation.annotator.startswith(SUGGESTIONS_PREFIX)


def task_from(document: Document, annotation: Annotation, number: int) -> dict[str, Any]:
    """One task; ``number`` (from 1) becomes the annotation's id, which Label Studio
    keeps as its ``import_id``."""
    result = results_of(document, annotation)
    data: dict[str, Any] = {TEXT_NAME: document.text}
    meta = export_meta(document)
    if meta:
        data["meta"] = meta
    task: dict[str, Any] = {"data": data}
    if is_suggestion_set(annotation):
        key = annotation.annotator
        if key.startswith(SUGGESTIONS_PREFIX):
            key = key[len(SUGGESTIONS_PREFIX) :]
        prediction: dict[str, Any] = {"model_version": key, "result": result}
        scores = [s.confidence for s in annotation.spans if s.confidence is not None]
        if scores:
            # Label Studio sorts and filters tasks by a prediction's one score
            prediction["score"] = round(sum(scores) / len(scores), 6)
        task["predictions"] = [prediction]
        return task
    data[ANNOTATOR_KEY] = annotation.annotator
    task["annotations"] = [
        {
            "id": number,
            "result": result,
            "was_cancelled": annotation.status == AnnotationStatus.SKIPPED,
            "ground_truth": False,
        }
    ]
    return task


class LabelStudioWriter:
    """Streams the task list into ``path`` and writes the labelling config beside it."""

    extension = ".json"

    def __init__(self, path: Path, *, scheme: LabelScheme | None = None) -> None:
        self._file = AtomicTextFile(path)
        self.path = self._file.path
        self.config = config_path(self.path)
        self._scheme = scheme
        self._labels: set[str] = set()
        self._count = 0
        self._published = False
        self.companions: list[Path] = []  # published beside the task list
        self._file.stream.write("[")

    def add(self, document: Document, annotation: Annotation) -> None:
        task = task_from(document, annotation, self._count + 1)
        line = json.dumps(task, ensure_ascii=False)
        self._file.stream.write((",\n" if self._count else "\n") + line)
        self._count += 1
        self._labels.update(s.label for s in annotation.spans)

    def close(self) -> None:
        self._file.stream.write("\n]\n")
        xml = AtomicTextFile(self.config)
        try:
            xml.stream.write(label_config(label_order(self._labels, self._scheme), self._scheme))
        except OSError as exc:
            xml.abort()
            self._file.abort()
            raise write_failed(self.config, exc) from exc
        self._file.commit()
        try:
            xml.commit()
        except BaseException:
            # a task list without its config is not what was asked for
            with contextlib.suppress(OSError):
                os.unlink(self.path)
            raise
        self._published = True
        self.companions = [self.config]

    def abort(self) -> None:
        self._file.abort()
        if self._published:
            # A later file of the same export failed: export_pairs removes the task
            # lists it published; the config beside each goes too.
            with contextlib.suppress(OSError):
                self.config.unlink()
