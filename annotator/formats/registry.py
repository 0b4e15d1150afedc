"""Which reader handles which format, and how ``auto`` picks one from a file name."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from annotator.core import AnnotatorError
from annotator.formats.jsonl import read_jsonl
from annotator.formats.records import ImportRecord, Problem
from annotator.formats.txt import read_txt

Reader = Callable[[Path], Iterator[ImportRecord | Problem]]

READERS: dict[str, Reader] = {
    "txt": read_txt,
    "jsonl": read_jsonl,
}
_EXTENSIONS = {".txt": "txt", ".text": "txt", ".jsonl": "jsonl", ".ndjson": "jsonl"}


class UnknownFormatError(AnnotatorError):
    code = "E300"


def register_reader(name: str, reader: Reader, *extensions: str) -> None:
    READERS[name] = reader
    for ext in extensions:
        _EXTENSIONS[ext] = name


def format_for(path: Path, fmt: str = "auto") -> str:
    if fmt != "auto":
        if fmt not in READERS:
            raise UnknownFormatError(
                f"Unknown import format {fmt!r}. Available: auto, {', '.join(sorted(READERS))}."
            )
        return fmt
    name = _EXTENSIONS.get(path.suffix.lower())
    if name is None:
        raise UnknownFormatError(
            f"Cannot tell the format of {path.name}; pass --format ({', '.join(sorted(READERS))})."
        )
    return name


def expand_paths(paths: list[Path], fmt: str = "auto") -> list[tuple[Path, str]]:
    """Files to read with their format; folders are searched (sorted) for known extensions."""
    out: list[tuple[Path, str]] = []
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                known = fmt != "auto" or child.suffix.lower() in _EXTENSIONS
                if child.is_file() and known and not child.name.startswith("."):
                    out.append((child, format_for(child, fmt)))
        else:
            out.append((path, format_for(path, fmt) if path.exists() else fmt))
    return out
