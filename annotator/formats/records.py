"""What readers produce: raw records with character offsets, and problems with a place."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

SNAP_CHOICES = ("split", "expand")
IOB_DOCUMENT_CHOICES = ("docstart", "blocks")


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """How an import reads its files; every reader takes these (most use none of them).

    ``snap``: a span that starts or ends inside a tokenizer token either splits that
    document's token there (``split``, the default: the span is kept exactly) or is
    widened to whole tokens (``expand``). ``type_map``: a source format's span and
    relation types mapped to ours (brat's ``--map Content=QUOTE``). ``iob_documents``:
    an IOB file's documents start at each ``-DOCSTART-`` line (``docstart``) or at
    each blank-line-separated block (``blocks``, as Label Studio's CoNLL export needs).
    """

    snap: str = "split"
    type_map: Mapping[str, str] = field(default_factory=dict)
    iob_documents: str = "docstart"


DEFAULT_READ = ReadOptions()


@dataclass(frozen=True, slots=True)
class Problem:
    """Something that was skipped, with the file and line it came from; a ``warning``
    skipped nothing (the input was read, with a change worth knowing about)."""

    source: str
    line: int | None
    message: str
    warning: bool = False

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line is not None else self.source
        return f"{where}: {self.message}"


@dataclass(slots=True)
class RawSpan:
    start: int
    end: int
    label: str
    layer: str | None = None
    kind: str | None = None
    token_start: int | None = None
    token_end: int | None = None
    origin: str | None = None
    confidence: float | None = None
    rejected: bool = False  # a suggestion the annotator rejected, not a label


@dataclass(slots=True)
class RawRelation:
    label: str
    head_span: tuple[int, int, str] | None = None
    child_span: tuple[int, int, str] | None = None
    head: int | None = None  # index of the head span's last token (Prodigy)
    child: int | None = None


@dataclass(slots=True)
class ImportRecord:
    text: str
    source: str
    line: int | None = None
    external_id: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    spans: list[RawSpan] | None = None  # None: the record carries no annotation
    relations: list[RawRelation] = field(default_factory=list)
    annotator: str | None = None
    answer: str | None = None

    @property
    def annotated(self) -> bool:
        return self.spans is not None or self.answer is not None
