"""Where a spaCy export lands: one ``.spacy`` file, or a folder of them (shards).

An export that fits in one shard is one ordinary DocBin file at the path asked for
(``--out gold.spacy`` gives ``gold.spacy``). A larger one is a folder of that same
name holding ``000000.spacy``, ``000001.spacy`` … in document order, plus a hidden
manifest (``.docbin-shards.json``: documents per shard). spaCy's corpus reader
(``spacy.training.Corpus``, which ``spacy train --paths.train PATH`` uses) reads a file,
or every ``.spacy`` file under a folder sorted by path and skipping hidden names, as
one corpus: the path an export prints trains either way, and does not change as a
project grows past one shard.

Everything is written under ``PATH.part`` and renamed into place at the end, so a
failed or cancelled export leaves no half-written output and the previous export at
``PATH`` (a file or a folder of ours) stays until the new one replaces it.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Sequence
from pathlib import Path

from annotator.formats.export_base import WriterError, part_path

MANIFEST = ".docbin-shards.json"
EXTENSION = ".spacy"
_NAME_DIGITS = 6  # shard names sort in document order up to a million shards


def shard_name(n: int) -> str:
    if n >= 10**_NAME_DIGITS:
        # A seventh digit would sort "1000000" before "999999" and reorder the corpus.
        raise WriterError(f"More than {10**_NAME_DIGITS:,} shards; export with larger shards.")
    return f"{n:0{_NAME_DIGITS}d}{EXTENSION}"


def is_docbin_folder(path: Path) -> bool:
    """Whether ``path`` is a folder of shards that an export of ours wrote."""
    return path.is_dir() and (path / MANIFEST).is_file()


def docbin_files(path: Path) -> list[Path]:
    """The DocBin files of an export (a file or a folder), in the order spaCy's corpus
    reader takes them (``spacy.training.corpus.walk_corpus``)."""
    path = Path(path)
    if not path.is_dir():
        return [path]
    return sorted(
        p
        for p in path.rglob(f"*{EXTENSION}")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
    )


def write_manifest(folder: Path, counts: Sequence[int], *, span_key: str) -> None:
    shards = [{"file": shard_name(n), "documents": c} for n, c in enumerate(counts)]
    data = {"documents": sum(counts), "span_key": span_key, "shards": shards}
    (folder / MANIFEST).write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


def check_target(path: Path) -> None:
    """Refuse, before anything is written, a target that is a folder we did not write:
    replacing it would delete someone's files."""
    if path.is_dir() and not is_docbin_folder(path):
        raise WriterError(
            f"{path} is a folder that no spaCy export of this program wrote; "
            f"choose another --out (a file name ending in {EXTENSION}, or a new folder)."
        )


def remove_output(path: Path) -> None:
    """Remove a file, or a folder of shards (finished, or a ``.part`` one being written).
    A folder holding anything else is left alone and refused."""
    if path.is_symlink() or path.is_file():
        path.unlink()
        return
    if not path.is_dir():
        return
    names = {p.name for p in path.iterdir()}
    if not all(n == MANIFEST or (n.endswith(EXTENSION) and n[:-6].isdigit()) for n in names):
        raise WriterError(f"{path} holds files other than DocBin shards; remove it by hand.")
    shutil.rmtree(path)


def remove_part(path: Path) -> None:
    """Remove what an export to ``path`` left under its temporary names (killed exports)."""
    remove_output(part_path(path))
    remove_output(_aside_path(path))


def publish(src: Path, dst: Path) -> None:
    """Move the finished ``src`` (a file or a folder) to ``dst``, replacing the export
    that is there."""
    if not dst.is_dir() and not (src.is_dir() and dst.exists()):
        os.replace(src, dst)  # onto a file or nothing: atomic
        return
    # A folder cannot be renamed over a file or a non-empty folder: move the old export
    # aside first, and back if the new one cannot take its place.
    old = _aside_path(dst)
    remove_output(old)
    os.replace(dst, old)
    try:
        os.replace(src, dst)
    except BaseException:
        os.replace(old, dst)
        raise
    remove_output(old)


def _aside_path(path: Path) -> Path:
    return path.with_name(path.name + ".old")
