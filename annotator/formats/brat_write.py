"""brat standoff export: a folder of ``NAME.txt`` + ``NAME.ann`` per document, with the
``annotation.conf`` and ``visual.conf`` brat needs to open it.

Each span is a ``T`` line (a span across line ends is written as brat writes one: a
fragment per line, which our import joins again), each relation an ``R`` line of type
``Speaker`` or ``Cue`` (``Arg1`` the QUOTE), a quote's kind an ``A`` line ``Kind``, a
span outside its label's usual layer an ``A`` line ``Layer``, and notes kept from a brat
import (``meta["brat_notes"]``) ``#`` lines on their span. Offsets are those brat reads:
it opens the ``.txt`` with universal newlines, so a CRLF counts as one character.

The folder is written beside the target under a temporary name and renamed into place
on ``close``; ``abort`` removes it. A target that holds anything but an earlier brat
export is refused before anything is written.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from pathlib import Path
from typing import Any

from annotator.core import DEFAULT_SCHEME, Annotation, AnnotatorError, Document, default_layer
from annotator.formats.brat_read import CONF_MARK
from annotator.formats.export_base import PlacedSpan, place_by_offsets, span_index, write_failed

_SAFE = re.compile(r"[^\w.\-]+")
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10))}
_RESERVED |= {f"lpt{i}" for i in range(10)}
_EXPORT_FILES = {".txt", ".ann", ".conf"}
MAX_NAME = 100
_RELATION_TYPE = {"speaker": "Speaker", "cue": "Cue"}


class BratExportError(AnnotatorError):
    """The brat export's target folder cannot be used."""

    code = "E360"


def file_name(document: Document) -> str:
    """A file-safe stem for ``document``: its external id without folders or a ``.txt``
    ending, else ``doc-<id>``."""
    name = document.external_id.replace("\\", "/").rsplit("/", 1)[-1]
    name = name.removesuffix(".txt").removesuffix(".ann")
    name = _SAFE.sub("_", name).strip("._")[:MAX_NAME]
    if not name or name.casefold() in _RESERVED:
        name = f"doc-{document.id}" if document.id is not None else f"doc-{name or 'x'}"
    return name


def _is_export(folder: Path) -> bool:
    """An empty folder, or an earlier export of ours (its annotation.conf says so, and it
    holds nothing else): a brat corpus from elsewhere is never replaced, even one that
    was imported from there."""
    children = list(folder.iterdir())
    if not children:
        return True
    if any(c.is_dir() or c.suffix.lower() not in _EXPORT_FILES for c in children):
        return False
    try:
        with (folder / "annotation.conf").open(encoding="utf-8", errors="replace") as f:
            return f.readline().startswith(CONF_MARK)
    except OSError:
        return False


def brat_view(text: str) -> list[int]:
    """For each offset of ``text`` (and its end), the offset brat gives it: a CRLF
    is one character there."""
    out: list[int] = []
    n = 0
    for i, ch in enumerate(text):
        out.append(n)
        if not (ch == "\r" and text.startswith("\r\n", i)):
            n += 1
    out.append(n)
    return out


def _fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The span cut at its line ends, as brat cuts a selection across lines; a span that
    begins or ends with a line end is one fragment (the cut would lose that end)."""
    piece = text[start:end]
    if "\n" not in piece and "\r" not in piece:
        return [(start, end)]
    if piece[0] in "\r\n" or piece[-1] in "\r\n":
        return [(start, end)]
    out: list[tuple[int, int]] = []
    a = start
    for m in re.finditer(r"[\r\n]+", piece):
        out.append((a, start + m.start()))
        a = start + m.end()
    out.append((a, end))
    return out


class BratWriter:
    extension = ""  # a folder

    def __init__(self, path: Path, **_options: Any) -> None:
        self.path = Path(path)
        self._check_target()
        self._tmp = self.path.with_name(self.path.name + ".part")
        self._names: set[str] = set()
        self._labels: set[str] = set()
        self._relation_args: dict[str, tuple[set[str], set[str]]] = {}
        self._layers_used = False
        try:
            shutil.rmtree(self._tmp, ignore_errors=True)  # a stale one of a killed export
            self._tmp.mkdir(parents=True)
        except OSError as exc:
            raise write_failed(self.path, exc) from exc

    def _check_target(self) -> None:
        if self.path.exists() and not self.path.is_dir():
            raise BratExportError(
                f"{self.path} is a file; a brat export is a folder. Choose a new folder "
                "(nothing was written)."
            )
        if self.path.is_dir() and not _is_export(self.path):
            raise BratExportError(
                f"{self.path} holds files other than an earlier brat export of this "
                "program; choose an empty or new folder (nothing was written)."
            )

    def _unique(self, document: Document) -> str:
        name = file_name(document)
        candidate, n = name, 1
        while candidate.casefold() in self._names:  # also unique where case is ignored
            n += 1
            candidate = f"{name}-{n}"
        self._names.add(candidate.casefold())
        return candidate

    def add(self, document: Document, annotation: Annotation) -> None:
        placed = place_by_offsets(document, annotation)
        lines = self._ann_lines(document, annotation, placed)
        name = self._unique(document)
        try:
            with (self._tmp / f"{name}.txt").open("w", encoding="utf-8", newline="") as f:
                f.write(document.text)
            with (self._tmp / f"{name}.ann").open("w", encoding="utf-8", newline="\n") as f:
                f.writelines(line + "\n" for line in lines)
        except OSError as exc:
            raise write_failed(self.path, exc) from exc

    def _ann_lines(
        self, document: Document, annotation: Annotation, placed: list[PlacedSpan]
    ) -> list[str]:
        text = document.text
        view = brat_view(text) if "\r" in text else None
        index = span_index(placed)
        lines: list[str] = []
        attributes: list[str] = []
        for n, p in enumerate(placed, start=1):
            span = p.span
            self._labels.add(span.label)
            frags = _fragments(text, span.start, span.end)
            where = ";".join(f"{view[a]} {view[b]}" if view else f"{a} {b}" for a, b in frags)
            # brat's own text column: the fragments joined by one space (brat checks it);
            # a line end left inside a fragment would end the line, so it becomes a space
            shown = " ".join(text[a:b] for a, b in frags).replace("\r\n", " ")
            shown = shown.replace("\r", " ").replace("\n", " ")
            lines.append(f"T{n}\t{span.label} {where}\t{shown}")
            if span.kind is not None:
                attributes.append(f"Kind T{n} {span.kind}")
            if span.layer != default_layer(span.label):
                self._layers_used = True
                attributes.append(f"Layer T{n} {span.layer}")
        rels = sorted(annotation.relations, key=lambda r: (index[r.head], index[r.child], r.label))
        for n, rel in enumerate(rels, start=1):
            rtype = _RELATION_TYPE[str(rel.label)]
            heads, children = self._relation_args.setdefault(rtype, (set(), set()))
            heads.add(rel.head.label)
            children.add(rel.child.label)
            lines.append(f"R{n}\t{rtype} Arg1:T{index[rel.head] + 1} Arg2:T{index[rel.child] + 1}")
        lines.extend(f"A{n}\t{a}" for n, a in enumerate(attributes, start=1))
        lines.extend(_notes(document, placed))
        return lines

    def _conf(self) -> str:
        labels = sorted(self._labels | set(DEFAULT_SCHEME.names()))
        relations = [
            f"{rtype}\tArg1:{'|'.join(sorted(h))}, Arg2:{'|'.join(sorted(c))}"
            for rtype, (h, c) in sorted(self._relation_args.items())
        ]
        for rtype, child in (("Speaker", "SPEAKER"), ("Cue", "CUE")):
            if rtype not in self._relation_args:
                relations.append(f"{rtype}\tArg1:QUOTE, Arg2:{child}")
        attributes = ["Kind\tArg:QUOTE, Value:direct|indirect|mixed"]
        if self._layers_used:
            attributes.append("Layer\tArg:<ENTITY>, Value:ents|quotes")
        return "\n".join(
            [
                f"{CONF_MARK} {' '.join(labels)}",
                "[entities]",
                *labels,
                "",
                "[relations]",
                *sorted(relations),
                # quotes hold entities and other quotes' speakers: let spans overlap
                "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>",
                "",
                "[events]",
                "",
                "[attributes]",
                *attributes,
                "",
            ]
        )

    def _visual(self) -> str:
        colours = {spec.name: spec.colour for spec in DEFAULT_SCHEME.labels}
        drawing = [
            f"{label}\tbgColor:{colours[label]}"
            for label in sorted(self._labels)
            if label in colours
        ]
        return "\n".join(
            [
                "[labels]",
                "",
                "[drawing]",
                "SPAN_DEFAULT\tfgColor:black, bgColor:lightgreen, borderColor:darken",
                "ARC_DEFAULT\tcolor:black, arrowHead:triangle-5",
                *drawing,
                "",
            ]
        )

    def close(self) -> None:
        old = self.path.with_name(self.path.name + ".old")
        try:
            (self._tmp / "annotation.conf").write_text(self._conf(), encoding="utf-8")
            (self._tmp / "visual.conf").write_text(self._visual(), encoding="utf-8")
            self._check_target()  # again: another program may have written there meanwhile
            shutil.rmtree(old, ignore_errors=True)
            # A folder cannot replace a folder that holds files: the earlier export
            # (checked in __init__) steps aside first, and comes back if the rename fails.
            if self.path.exists():
                os.replace(self.path, old)
            os.replace(self._tmp, self.path)
        except BaseException as exc:
            self.abort()
            if old.exists() and not self.path.exists():
                with contextlib.suppress(OSError):
                    os.replace(old, self.path)
            if isinstance(exc, OSError):
                raise write_failed(self.path, exc) from exc
            raise
        shutil.rmtree(old, ignore_errors=True)

    def abort(self) -> None:
        with contextlib.suppress(OSError):
            shutil.rmtree(self._tmp)


def _notes(document: Document, placed: list[PlacedSpan]) -> list[str]:
    """``#`` lines for the notes a brat import kept, on the span they were attached to
    when it is still there (a note on a span deleted since has nowhere to go)."""
    notes = document.meta.get("brat_notes")
    if not isinstance(notes, list):
        return []
    where = {(p.span.start, p.span.end, p.span.label): n for n, p in enumerate(placed, start=1)}
    out: list[str] = []
    for note in notes:
        if not isinstance(note, dict) or not isinstance(note.get("span"), list):
            continue
        key = tuple(note["span"])
        if key in where:
            kind = str(note.get("type") or "AnnotatorNotes")
            body = " ".join(str(note.get("text", "")).split())
            out.append(f"#{len(out) + 1}\t{kind} T{where[key]}\t{body}")
    return out
