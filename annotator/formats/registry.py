"""Which reader handles which format, and how ``auto`` picks one from a file name."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from annotator.core import AnnotatorError
from annotator.formats.brat_read import pair_brat, read_brat
from annotator.formats.docbin_reader import read_docbin_records
from annotator.formats.docbin_shards import is_docbin_folder
from annotator.formats.doccano import looks_like_doccano, read_doccano
from annotator.formats.export_base import Writer
from annotator.formats.iob import read_iob
from annotator.formats.jsonl import read_jsonl
from annotator.formats.labelstudio_read import read_labelstudio
from annotator.formats.records import ImportRecord, Problem, ReadOptions
from annotator.formats.textio import display_path, encoding_of, iter_lines
from annotator.formats.txt import read_txt

Reader = Callable[[Path, ReadOptions], Iterator[ImportRecord | Problem]]
WriterFactory = Callable[..., Writer]

READERS: dict[str, Reader] = {
    "txt": read_txt,
    "jsonl": read_jsonl,
    "doccano": read_doccano,
    "iob": read_iob,
    "labelstudio": read_labelstudio,
    "brat": read_brat,
    "spacy": read_docbin_records,
}
_EXTENSIONS = {
    ".txt": "txt",
    ".text": "txt",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".zip": "doccano",
    ".iob": "iob",
    ".conll": "iob",
    ".json": "labelstudio",  # the reader says so when a .json is no task list
    ".ann": "brat",  # with the .txt beside it (pair_brat)
    ".spacy": "spacy",
}
_SNIFF_BYTES = 64 * 1024 * 1024


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
    if name == "jsonl" and looks_like_doccano(_first_object(path)):
        return "doccano"
    if name is None:
        raise UnknownFormatError(
            f"Cannot tell the format of {path.name}; pass --format ({', '.join(sorted(READERS))})."
        )
    return name


def expand_paths(paths: list[Path], fmt: str = "auto") -> list[tuple[Path, str]]:
    """Files to read with their format; folders are searched (sorted) for known extensions."""
    out: list[tuple[Path, str]] = []
    for path in paths:
        if is_docbin_folder(path) and fmt in ("auto", "spacy"):
            out.append((path, "spacy"))  # a spaCy export's shards: one corpus, in order
        elif path.is_dir():
            for child in sorted(path.rglob("*")):
                suffix = child.suffix.lower()
                known = fmt != "auto" or suffix in _EXTENSIONS
                if fmt == "brat":  # a brat corpus also holds its .conf files
                    known = suffix in (".txt", ".ann")
                if child.is_file() and known and not child.name.startswith("."):
                    out.append((child, format_for(child, fmt)))
        else:
            out.append((path, format_for(path, fmt) if path.exists() else fmt))
    return pair_brat(out, fmt)


def _first_object(path: Path) -> Any:
    """The first JSON object of a JSONL file, or None (unreadable files go to the reader,
    which reports them with a line number). Reads at most ``_SNIFF_BYTES`` of a line."""
    try:
        with path.open("rb") as f:
            if encoding_of(f.peek(4)[:4]) in ("utf-16", "utf-32"):
                lines: Iterator[tuple[int, bytes] | Problem] = iter_lines(
                    f, display_path(path), max_line=_SNIFF_BYTES
                )
                try:
                    first = next((x for x in lines if isinstance(x, Problem) or x[1].strip()), None)
                finally:
                    lines.close()  # type: ignore[attr-defined]
                raw = first[1] if isinstance(first, tuple) else b""
            else:
                while (raw := f.readline(_SNIFF_BYTES + 1)) and not raw.strip():
                    pass
                if len(raw) > _SNIFF_BYTES:
                    return None  # the reader reports the long line
            return json.loads(raw.decode("utf-8-sig")) if raw.strip() else None
    except (OSError, ValueError, RecursionError):
        return None


# writers --------------------------------------------------------------------------------


def _spacy_writer(path: Path, **options: Any) -> Writer:
    from annotator.formats.docbin import DEFAULT_SPAN_KEY, DocBinWriter

    return DocBinWriter(
        path, lang=options.get("lang", "en"), span_key=options.get("span_key", DEFAULT_SPAN_KEY)
    )


def _jsonl_writer(path: Path, **options: Any) -> Writer:
    from annotator.formats.jsonl_writer import JsonlWriter

    return JsonlWriter(path, tokens=options.get("tokens", True))


def _doccano_writer(path: Path, **_options: Any) -> Writer:
    from annotator.formats.doccano import DoccanoWriter

    return DoccanoWriter(path)


def _brat_writer(path: Path, **_options: Any) -> Writer:
    from annotator.formats.brat_write import BratWriter

    return BratWriter(path)


def _iob_writer(path: Path, **options: Any) -> Writer:
    from annotator.formats.iob import IobWriter

    return IobWriter(path, lang=options.get("lang", "en"), docstart=options.get("docstart", True))


def _labelstudio_writer(path: Path, **options: Any) -> Writer:
    from annotator.formats.labelstudio_write import LabelStudioWriter

    return LabelStudioWriter(path, scheme=options.get("scheme"))


# name -> (factory, file extension); factories import spaCy only when used.
WRITERS: dict[str, tuple[WriterFactory, str]] = {
    "spacy": (_spacy_writer, ".spacy"),
    "jsonl": (_jsonl_writer, ".jsonl"),
    "doccano": (_doccano_writer, ".jsonl"),
    "iob": (_iob_writer, ".iob"),
    "brat": (_brat_writer, ""),  # no extension: a folder of .txt + .ann
    "labelstudio": (_labelstudio_writer, ".json"),
}


def register_writer(name: str, factory: WriterFactory, extension: str) -> None:
    WRITERS[name] = (factory, extension)


def writer_for(fmt: str) -> tuple[WriterFactory, str]:
    if fmt not in WRITERS:
        raise UnknownFormatError(
            f"Unknown export format {fmt!r}. Available: {', '.join(sorted(WRITERS))}."
        )
    return WRITERS[fmt]
