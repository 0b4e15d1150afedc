"""Label Studio's task list: what its reader and writer share, and the labelling config.

One task of the list (JSON, ``[task, task, ...]``), as Label Studio exports it and as
``annotator export --format labelstudio`` writes it::

    {"data": {"text": ..., "meta": {...}, "_annotator_id": name},
     "annotations": [{"id": n, "was_cancelled": false, "ground_truth": false,
                      "result": [<region>, <kind>, <relation>, ...]}],
     "predictions": [{"model_version": key, "score": x, "result": [...]}]}

    <region>   {"id": "s0", "type": "labels", "from_name": "label", "to_name": "text",
                "origin": "manual" | "prediction" | "prediction-changed", "score"?: x,
                "meta"?: {"layer": "quotes"},
                "value": {"start": 0, "end": 5, "text": "Hello", "labels": ["QUOTE"]}}
    <kind>     {"id": "s0", "type": "choices", "from_name": "kind", "to_name": "text",
                "value": {"start": 0, "end": 5, "text": "Hello", "choices": ["direct"]}}
    <relation> {"type": "relation", "from_id": "s0", "to_id": "s1",
                "direction": "right", "labels": ["speaker"]}

A quote's kind is a per-region ``choices`` result (Label Studio's own way of
classifying a region: it carries the region's id and offsets, and the labelling
config below shows the choice when a QUOTE is selected). A span on a layer that
is not its label's usual one says so in the region's ``meta``. Label Studio keeps
``data`` as given, so the document's meta and the name of the annotator whose work
was exported ride there; the annotation's ``id`` comes back from Label Studio as
``import_id``, which tells an annotation that came from us from one made there.
``completed_by`` is not written: Label Studio refuses the import of a task whose
``completed_by`` is not one of its own users.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path

from annotator.core import LabelScheme, Origin, QuoteKind, RelationLabel

LABELS_NAME = "label"  # the <Labels> tag; results name it in from_name
TEXT_NAME = "text"  # the <Text> tag; results name it in to_name
KIND_NAME = "kind"  # the per-region <Choices> for a quote's kind
ANNOTATOR_KEY = "_annotator_id"  # in data: whose annotations the file holds
CONFIG_SUFFIX = ".label_config.xml"
# The annotation set of a pipeline's suggestions is named with this prefix
# (annotator.app.suggest.SUGGESTIONS_PREFIX; a test keeps the two equal). Such a set
# is written as Label Studio predictions, and predictions come back as one.
SUGGESTIONS_PREFIX = "suggestions:"
DEFAULT_PREDICTIONS = SUGGESTIONS_PREFIX + "labelstudio"

# Label Studio marks a region drawn by hand "manual", one taken over from a
# prediction "prediction", and a prediction changed before submitting
# "prediction-changed": our manual, accepted and edited.
ORIGIN_TO_LS = {
    Origin.MANUAL: "manual",
    Origin.ACCEPTED: "prediction",
    Origin.EDITED: "prediction-changed",
}
ORIGIN_FROM_LS = {v: k for k, v in ORIGIN_TO_LS.items()}


def config_path(path: Path) -> Path:
    """The labelling config written beside ``path``: ``tasks.json`` ->
    ``tasks.label_config.xml``."""
    stem = path.stem if path.suffix.lower() == ".json" else path.name
    return path.with_name(stem + CONFIG_SUFFIX)


def label_config(labels: Iterable[str], scheme: LabelScheme | None = None) -> str:
    """The labelling config for ``labels`` (each once, in the order given): Label
    Studio accepts it as a project's config as it is. Colours come from ``scheme``."""
    view = ET.Element("View")
    tag = ET.SubElement(view, "Labels", name=LABELS_NAME, toName=TEXT_NAME)
    seen: set[str] = set()
    for name in labels:
        if name in seen:
            continue
        seen.add(name)
        spec = scheme.get(name) if scheme is not None else None
        attrs = {"value": name}
        if spec is not None and spec.colour:
            attrs["background"] = spec.colour
        ET.SubElement(tag, "Label", attrs)
    relations = ET.SubElement(view, "Relations")
    for rel in RelationLabel:
        ET.SubElement(relations, "Relation", value=str(rel))
    ET.SubElement(view, "Text", name=TEXT_NAME, value="$" + TEXT_NAME)
    # Shown only while a QUOTE region is selected; its result is that region's.
    choices = ET.SubElement(
        view,
        "Choices",
        name=KIND_NAME,
        toName=TEXT_NAME,
        perRegion="true",
        visibleWhen="region-selected",
        whenLabelValue="QUOTE",
        choice="single",
    )
    for kind in QuoteKind:
        ET.SubElement(choices, "Choice", value=str(kind))
    ET.indent(view)
    return ET.tostring(view, encoding="unicode") + "\n"


def label_order(seen: Iterable[str], scheme: LabelScheme | None) -> list[str]:
    """The project's labels in its order, then any other label the export wrote."""
    names = list(scheme.names()) if scheme is not None else []
    known = set(names)
    return names + sorted(set(seen) - known)
