"""Reading hostile text files line by line in bounded memory.

Every line-based reader (JSONL, doccano, IOB) reads through ``iter_lines``: a line is
read at most ``max_line`` bytes at a time, so a 3 GiB line (a zip bomb's favourite)
costs ``max_line`` bytes of memory, not 3 GiB, and is reported and skipped while the
lines after it are still read. The encoding comes from the byte order mark: UTF-8 with
or without one, UTF-16 and UTF-32 with one (what Windows editors save as "Unicode").
"""

from __future__ import annotations

import codecs
import contextlib
import io
import os
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from annotator.formats.records import Problem

MAX_LINE = 64 * 1024 * 1024
_DISCARD = 1 << 20  # the rest of a too-long line is skipped in pieces of this size

# Longest first: the UTF-32 LE mark starts with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def display_path(path: str | os.PathLike[str]) -> str:
    """A path as valid UTF-8 text: a file name that is not UTF-8 (``bad\\xff.txt`` on
    Linux, which Python holds with surrogate escapes) shows its odd bytes as ``\\xff``,
    and control characters (a newline or an escape sequence in a name) as ``\\n`` or
    ``\\x1b``. Everything stored or printed about a file goes through this: a surrogate
    escape cannot be encoded by SQLite, PostgreSQL or the terminal."""
    return printable(os.fsencode(path).decode("utf-8", "backslashreplace"))


def printable(name: str) -> str:
    """``name`` with its control characters escaped (zip member names are any str)."""
    if not any(unicodedata.category(ch) == "Cc" for ch in name):
        return name
    return "".join(
        ch.encode("unicode_escape").decode("ascii") if unicodedata.category(ch) == "Cc" else ch
        for ch in name
    )


def name_is_text(path: str | os.PathLike[str]) -> bool:
    try:
        os.fspath(path).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def encoding_of(head: bytes) -> str:
    """The codec for data starting with ``head`` (its first 4 bytes or more)."""
    for bom, codec in _BOMS:
        if head.startswith(bom):
            return codec
    return "utf-8"


def decode_text(data: bytes) -> str:
    """``data`` decoded by its byte order mark (UTF-8 without one); raises
    ``UnicodeDecodeError``."""
    return data.decode(encoding_of(data[:4]))


def _bounded_lines(
    stream: IO[bytes], source: str, max_line: int
) -> Iterator[tuple[int, bytes] | Problem]:
    number = 0
    while True:
        raw = stream.readline(max_line + 1)
        if not raw:
            return
        number += 1
        if len(raw) > max_line and not raw.endswith(b"\n"):
            # Skip the rest of the line without holding it.
            while True:
                rest = stream.readline(_DISCARD)
                if not rest or rest.endswith(b"\n"):
                    break
            yield Problem(source, number, f"line longer than {max_line} bytes")
            continue
        yield number, raw


def _decoded_lines(
    stream: IO[bytes], source: str, codec: str, max_line: int
) -> Iterator[tuple[int, bytes] | Problem]:
    """UTF-16/32 input re-encoded as UTF-8 lines (the readers parse UTF-8)."""
    text = io.TextIOWrapper(stream, encoding=codec, errors="strict", newline=None)
    number = 0
    max_chars = max_line // 2
    try:
        while True:
            line = text.readline(max_chars + 1)
            if not line:
                return
            number += 1
            if len(line) > max_chars and not line.endswith("\n"):
                while True:
                    rest = text.readline(_DISCARD)
                    if not rest or rest.endswith("\n"):
                        break
                yield Problem(source, number, f"line longer than {max_line} bytes")
                continue
            yield number, line.encode("utf-8")
    except UnicodeDecodeError as exc:
        # The decoder cannot resynchronise after a broken UTF-16 unit: stop here.
        yield Problem(source, number + 1, f"not valid {codec.upper()} ({exc.reason}); rest skipped")
    finally:
        # Give the stream back unclosed (its owner closes it); it may be closed already
        # when an abandoned generator is collected after its file.
        with contextlib.suppress(ValueError):
            text.detach()


def iter_lines(
    stream: IO[bytes], source: str, *, max_line: int = MAX_LINE
) -> Iterator[tuple[int, bytes] | Problem]:
    """(line number, the line as UTF-8 bytes) for every line, or a ``Problem`` for a
    line that is too long or cannot be decoded; a byte order mark is dropped."""
    head = stream.peek(4)[:4] if hasattr(stream, "peek") else b""
    codec = encoding_of(head)
    if codec in ("utf-16", "utf-32"):
        yield from _decoded_lines(stream, source, codec, max_line)
        return
    first = True
    for item in _bounded_lines(stream, source, max_line):
        if first and not isinstance(item, Problem) and item[1].startswith(codecs.BOM_UTF8):
            item = (item[0], item[1][len(codecs.BOM_UTF8) :])
        first = False
        yield item


def open_lines(path: Path, *, max_line: int = MAX_LINE) -> Iterator[tuple[int, bytes] | Problem]:
    """``iter_lines`` of a file, with a ``Problem`` when it cannot be opened."""
    source = display_path(path)
    try:
        stream = path.open("rb")
    except OSError as exc:
        yield Problem(source, None, f"cannot read: {exc.strerror or exc}")
        return
    with stream:
        yield from iter_lines(stream, source, max_line=max_line)
