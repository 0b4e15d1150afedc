"""Plain-text articles: one UTF-8 file (with or without BOM) per document."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from annotator.formats.records import ImportRecord, Problem

MAX_BYTES = 50 * 1024 * 1024


def looks_binary(data: bytes) -> bool:
    # NUL never occurs in text; many other C0 controls mean a binary format too.
    if b"\x00" in data[:8192]:
        return True
    sample = data[:8192]
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return bool(sample) and controls / len(sample) > 0.05


def read_txt(path: Path) -> Iterator[ImportRecord | Problem]:
    source = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            yield Problem(source, None, f"file is {size} bytes; the limit is {MAX_BYTES}")
            return
        data = path.read_bytes()
    except OSError as exc:
        yield Problem(source, None, f"cannot read: {exc.strerror or exc}")
        return
    if looks_binary(data):
        yield Problem(source, None, "binary file, not text")
        return
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        yield Problem(source, line, f"not valid UTF-8 (byte {exc.start})")
        return
    if not text.strip():
        yield Problem(source, None, "empty file")
        return
    yield ImportRecord(text=text, source=source, external_id=path.name, meta={"source": path.name})
