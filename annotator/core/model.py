"""The data model: documents, tokens, spans, relations, annotations.

Offsets are Python ``str`` (code point) offsets into the document text, end
exclusive, as in spaCy's ``Doc.char_span``, Prodigy and doccano.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any, NamedTuple


class Layer(StrEnum):
    ENTS = "ents"
    QUOTES = "quotes"


_LAYER_VALUE = {layer: str(layer) for layer in Layer}  # str() of an enum is a Python call


class Origin(StrEnum):
    SUGGESTED = "suggested"
    ACCEPTED = "accepted"
    EDITED = "edited"
    MANUAL = "manual"


class QuoteKind(StrEnum):
    DIRECT = "direct"
    INDIRECT = "indirect"
    MIXED = "mixed"

    def next(self) -> QuoteKind:
        kinds = list(QuoteKind)
        return kinds[(kinds.index(self) + 1) % len(kinds)]


class RelationLabel(StrEnum):
    SPEAKER = "speaker"
    CUE = "cue"


class AnnotationStatus(StrEnum):
    TODO = "todo"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    SKIPPED = "skipped"


class AnnotatorKind(StrEnum):
    HUMAN = "human"
    MODEL = "model"
    GOLD = "gold"


class AnnotatorRole(StrEnum):
    ANNOTATOR = "annotator"
    REVIEWER = "reviewer"


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Token(NamedTuple):
    """A token's character range. A NamedTuple, not a dataclass: documents hold
    thousands, and building them is on the path of every article opened."""

    start: int
    end: int
    ws: bool = False  # followed by one space, as spaCy's ``whitespace_``


@dataclass(slots=True)
class Document:
    text: str
    external_id: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    id: int | None = None
    tokens: Sequence[Token] | None = None
    sha256: str = ""

    def __post_init__(self) -> None:
        if not self.sha256:
            self.sha256 = text_sha256(self.text)

    @property
    def title(self) -> str:
        first = self.text.lstrip().split("\n", 1)[0]
        return first[:200]


class SpanKey(NamedTuple):
    """What identifies a span inside one annotation."""

    start: int
    end: int
    label: str
    layer: str


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    label: str
    layer: Layer = Layer.ENTS
    origin: Origin = Origin.MANUAL
    kind: QuoteKind | None = None
    confidence: float | None = None
    # A suggestion found again from this many of the annotator's own labels (0: not
    # learned). Recomputed when an annotation is opened, never stored, and left out of
    # equality so that marking a span is not an edit.
    learned_from: int = field(default=0, compare=False)
    # Span.key, built once: opening an article asks each of its thousand spans for
    # its key several times (merging, drawing, the table, the diff)
    key: SpanKey = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        layer = _LAYER_VALUE.get(self.layer) or str(self.layer)
        object.__setattr__(self, "key", SpanKey(self.start, self.end, self.label, layer))

    def text(self, doc_text: str) -> str:
        return doc_text[self.start : self.end]

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    def with_(self, **changes: Any) -> Span:
        return replace(self, **changes)


@dataclass(frozen=True, slots=True)
class Relation:
    """A link from a QUOTE (head) to its SPEAKER or CUE (child)."""

    head: SpanKey
    child: SpanKey
    label: RelationLabel

    @property
    def key(self) -> tuple[SpanKey, SpanKey, str]:
        return (self.head, self.child, str(self.label))


@dataclass(frozen=True, slots=True)
class Annotator:
    name: str
    kind: AnnotatorKind = AnnotatorKind.HUMAN
    role: AnnotatorRole = AnnotatorRole.ANNOTATOR
    id: int | None = None


@dataclass(slots=True)
class Annotation:
    """One annotator's version of one document."""

    document_id: int | None
    annotator: str
    spans: list[Span] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    status: AnnotationStatus = AnnotationStatus.TODO
    version: int = 0
    updated_at: datetime | None = None
    flagged: bool = False  # e.g. answered "reject" in Prodigy
    rejected: set[SpanKey] = field(default_factory=set)  # suggestions not to propose again
    id: int | None = None

    def span_by_key(self, key: SpanKey) -> Span | None:
        for span in self.spans:
            if span.key == key:
                return span
        return None

    def layer(self, layer: Layer | str) -> list[Span]:
        return [s for s in self.spans if s.layer == layer]

    def speaker_of(self, quote: SpanKey) -> SpanKey | None:
        for rel in self.relations:
            if rel.head == quote and rel.label == RelationLabel.SPEAKER:
                return rel.child
        return None

    def cue_of(self, quote: SpanKey) -> SpanKey | None:
        for rel in self.relations:
            if rel.head == quote and rel.label == RelationLabel.CUE:
                return rel.child
        return None

    def copy(self) -> Annotation:
        return replace(
            self,
            spans=list(self.spans),
            relations=list(self.relations),
            rejected=set(self.rejected),
        )
