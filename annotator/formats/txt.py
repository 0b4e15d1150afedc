"""Plain-text articles: one file per document, UTF-8 (with or without BOM) or UTF-16 /
UTF-32 with a BOM (what Windows editors save as "Unicode")."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from annotator.formats.records import DEFAULT_READ, ImportRecord, Problem, ReadOptions
from annotator.formats.textio import decode_text, display_path, encoding_of

MAX_BYTES = 50 * 1024 * 1024


def looks_binary(data: bytes) -> bool:
    # NUL never occurs in text; many other C0 controls mean a binary format too.
    if b"\x00" in data[:8192]:
        return True
    sample = data[:8192]
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return bool(sample) and controls / len(sample) > 0.05


def read_txt(
    path: Path, options: ReadOptions = DEFAULT_READ
) -> Iterator[ImportRecord | Problem]:
    source = display_path(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            yield Problem(source, None, f"file is {size} bytes; the limit is {MAX_BYTES}")
            return
        data = path.read_bytes()
    except OSError as exc:
        yield Problem(source, None, f"cannot read: {exc.strerror or exc}")
        return
    codec = encoding_of(data[:4])
    # UTF-16 and UTF-32 are full of NUL bytes: only their decoded text is judged.
    wide = codec in ("utf-16", "utf-32")
    if not wide and looks_binary(data):
        yield Problem(source, None, "binary file, not text")
        return
    try:
        text = decode_text(data)
    except UnicodeDecodeError as exc:
        if wide:
            yield Problem(source, None, f"not valid {codec.upper()} (byte {exc.start})")
            return
        line = data[: exc.start].count(b"\n") + 1
        yield Problem(source, line, f"not valid UTF-8 (byte {exc.start})")
        return
    if wide and looks_binary(text.encode("utf-8", "surrogatepass")):
        yield Problem(source, None, "binary file, not text")
        return
    if not text.strip():
        yield Problem(source, None, "empty file")
        return
    name = display_path(path.name)
    yield ImportRecord(text=text, source=source, external_id=name, meta={"source": name})
