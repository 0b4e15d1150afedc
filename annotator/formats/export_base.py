"""What every writer shares: span placement on the stored tokens, ordering, atomic files.

Writers are pure: each takes one ``Document`` (with its stored tokens) and one
``Annotation`` at a time and writes them; which annotation of a document gets
exported is the caller's choice (``annotator.app.export``).
"""

from __future__ import annotations

import contextlib
import os
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Protocol

from annotator.core import (
    Annotation,
    AnnotationStatus,
    AnnotatorError,
    Document,
    Span,
    SpanKey,
    Token,
)


class SpanPlacementError(AnnotatorError):
    """A span or relation of one document cannot be written without losing it."""

    code = "E320"


class WriterError(AnnotatorError):
    code = "E321"


@dataclass(frozen=True, slots=True)
class PlacedSpan:
    """A span with the indices of its first and last (inclusive) stored token."""

    span: Span
    token_start: int
    token_end: int


def span_order(span: Span) -> tuple[int, int, str, str]:
    # Sorted output makes an export independent of the database's row order, which is
    # what lets DB -> file -> new DB -> file come out byte-identical.
    return (span.start, span.end, str(span.layer), span.label)


def describe(document: Document) -> str:
    ext = f" ({document.external_id})" if document.external_id else ""
    return f"document {document.id}{ext}"


def tokens_of(document: Document) -> Sequence[Token]:
    if document.tokens is None:
        raise SpanPlacementError(
            f"{describe(document)} has no stored tokens; open it once or re-import it."
        )
    return document.tokens


def token_columns(tokens: Sequence[Token]) -> tuple[Sequence[int], Sequence[int], Sequence[int]]:
    """The tokens' starts, ends and whitespace flags (1 or 0, or bools) as three
    sequences: the arrays of a ``TokenArray`` as they are, else made in one pass each."""
    starts = getattr(tokens, "starts", None)
    ends = getattr(tokens, "ends", None)
    ws = getattr(tokens, "ws", None)
    if starts is not None and ends is not None and ws is not None:
        return starts, ends, ws
    return [t.start for t in tokens], [t.end for t in tokens], [t.ws for t in tokens]


def _index_of(values: Sequence[int], value: int) -> int | None:
    # Token starts and ends both rise strictly (tokens are ordered and not empty).
    i = bisect_left(values, value)
    return i if i < len(values) and values[i] == value else None


def place_spans(document: Document, annotation: Annotation) -> list[PlacedSpan]:
    """The annotation's spans in output order with token indices.

    Raises ``SpanPlacementError`` naming every span that does not start and end on
    a stored token boundary, and every relation whose ends are missing: exports
    must never drop a span quietly."""
    tokens = tokens_of(document)
    starts, ends, _ = token_columns(tokens)
    text = document.text
    placed: list[PlacedSpan] = []
    bad: list[str] = []
    for span in sorted(annotation.spans, key=span_order):
        i = _index_of(starts, span.start)
        j = _index_of(ends, span.end)
        if i is None or j is None or j < i or not 0 <= span.start < span.end <= len(text):
            bad.append(
                f"{span.label} {span.start}-{span.end} {text[span.start : span.end]!r} "
                "is not on token boundaries"
            )
            continue
        placed.append(PlacedSpan(span, i, j))
    _check_relations(annotation, placed, bad, "cannot be placed")
    if bad:
        raise SpanPlacementError(f"{describe(document)}: " + "; ".join(bad))
    return placed


def place_by_offsets(document: Document, annotation: Annotation) -> list[PlacedSpan]:
    """The annotation's spans in output order, for the formats that give spans by
    character offsets alone (doccano, brat, JSONL without tokens): tokens are not
    needed, and not consulted when the document has none (its token indices are -1).
    A document with tokens still has every span checked against them, as
    ``place_spans`` does; without, a span must be a non-empty part of the text (the
    tokens made for it later are split at its ends, so it will always fit them)."""
    if document.tokens is not None:
        return place_spans(document, annotation)
    n = len(document.text)
    placed: list[PlacedSpan] = []
    bad: list[str] = []
    for span in sorted(annotation.spans, key=span_order):
        if 0 <= span.start < span.end <= n:
            placed.append(PlacedSpan(span, -1, -1))
        else:
            bad.append(f"{span.label} {span.start}-{span.end} is outside the text (length {n})")
    _check_relations(annotation, placed, bad, "is not there")
    if bad:
        raise SpanPlacementError(f"{describe(document)}: " + "; ".join(bad))
    return placed


def _check_relations(
    annotation: Annotation, placed: list[PlacedSpan], bad: list[str], why: str
) -> None:
    keys = {p.span.key for p in placed}
    for rel in annotation.relations:
        if rel.head not in keys or rel.child not in keys:
            bad.append(f"relation {rel.label} points at a span that {why}")


def span_index(placed: Sequence[PlacedSpan]) -> dict[SpanKey, int]:
    return {p.span.key: n for n, p in enumerate(placed)}


def answer_of(annotation: Annotation) -> str | None:
    """Prodigy's answer for a status; None (no answer) for unfinished work."""
    if annotation.status == AnnotationStatus.DONE:
        return "accept"
    if annotation.status == AnnotationStatus.SKIPPED:
        return "reject" if annotation.flagged else "ignore"
    return None


class Writer(Protocol):
    """One export file: ``add`` each pair, then ``close`` to publish or ``abort``."""

    path: Path

    def add(self, document: Document, annotation: Annotation) -> None: ...

    def close(self) -> None: ...

    def abort(self) -> None: ...


def part_path(path: Path) -> Path:
    """Where ``path`` is written before it is renamed into place."""
    return path.with_name(path.name + ".part")


def remove_part(path: Path) -> None:
    """Remove ``path``'s temporary file: a stale one left by an export that was killed
    (kill -9, power loss) is removed by the next export to the same target."""
    with contextlib.suppress(FileNotFoundError):
        part_path(path).unlink()


def write_failed(path: Path, exc: OSError) -> WriterError:
    """The error for a failed write, naming the file (an ENOSPC from a buffered write
    names none) and saying that nothing was left behind."""
    reason = exc.strerror or str(exc) or type(exc).__name__
    return WriterError(
        f"Cannot write {path}: {reason}. Nothing was written there and no partial file "
        "was left behind; free some space or choose another folder, then export again."
    )


class AtomicTextFile:
    """A text file written under a temporary name and renamed into place on ``close``,
    so a failed or cancelled export never leaves a half-written file that looks whole,
    nor its temporary file (which would keep a full disk full)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._tmp = part_path(self.path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            remove_part(self.path)
            self.stream: IO[str] = self._tmp.open("w", encoding="utf-8", newline="\n")
        except OSError as exc:
            raise write_failed(self.path, exc) from exc

    def commit(self) -> None:
        try:
            self.stream.close()
            os.replace(self._tmp, self.path)
        except OSError as exc:
            self.abort()
            raise write_failed(self.path, exc) from exc
        except BaseException:
            self.abort()
            raise

    def abort(self) -> None:
        try:
            # Closing flushes the buffer, which fails again on a full disk: the file
            # is removed whatever the close says.
            self.stream.close()
        except OSError:
            pass
        finally:
            remove_part(self.path)
