"""brat standoff import: a document is ``NAME.txt`` with its annotations in ``NAME.ann``.

What each ``.ann`` line becomes:

- ``T`` text-bound annotations are spans. Their type goes through ``--map`` (``Content=QUOTE``);
  a type equal to one of our labels (PERSON, QUOTE, SPEAKER ...) needs none. Spans of an
  unmapped type are skipped with one warning per type and file, with their count.
  Fragments separated only by white space (brat splits a selection at every line end)
  are one span; fragments with text between them become one span each, reported.
- ``R`` relations become ``speaker``/``cue`` relations from the QUOTE argument to the
  other one: the relation type (``--map Said=speaker``, or a type named speaker/cue)
  or else the other argument's label (SPEAKER or CUE) says which.
- ``E`` events: each QUOTE participant (argument or trigger) gets a relation to each
  SPEAKER or CUE participant; a role may be mapped too (``--map Source=SPEAKER``).
- ``A``/``M`` attributes: ``Kind`` (or a name mapped to ``kind``) with a value
  direct/indirect/mixed (any case, or mapped) is the quote's kind; a binary attribute
  named after a kind (``A1 Direct T1``) is that kind; ``Layer`` ents/quotes is the
  span's layer (written by our export for a label outside its default layer).
- ``#`` notes (``AnnotatorNotes``) are kept in the document's meta under
  ``brat_notes``, with the span they are attached to, and written back on export.
- ``N`` normalizations and ``*`` equivalences have no counterpart: counted, reported.

Offsets: brat reads the ``.txt`` as UTF-8 with universal newlines, so a CRLF (or a lone
CR) is one character and a UTF-8 byte order mark is one. Other tools count the bytes'
characters as they are. Where the two readings differ, the one whose offsets give the
text column of more ``T`` lines wins (brat's on a tie); the document's text is stored
as the file holds it and the offsets are translated into it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from annotator.formats.brat_ann import SEGMENTS, AnnDoc, pair, parse
from annotator.formats.records import DEFAULT_READ, ImportRecord, Problem, ReadOptions
from annotator.formats.textio import decode_text, display_path
from annotator.formats.txt import MAX_BYTES, looks_binary

CONF_MARK = "# Quote & Entity Annotator labels:"  # our export's labels, imported as they are


def pair_brat(files: list[tuple[Path, str]], fmt: str) -> list[tuple[Path, str]]:
    """``files`` with every ``.txt`` that has a sibling ``.ann`` read as one brat
    document (the ``.ann`` is not a separate input), unless ``--format`` chose another
    reader. An ``.ann`` without its ``.txt`` stays, for the reader to report."""
    out: list[tuple[Path, str]] = []
    seen: set[Path] = set()
    for path, found in files:
        suffix = path.suffix.lower()
        if fmt in ("auto", "brat") and suffix == ".txt" and path.with_suffix(".ann").is_file():
            path, found = path, "brat"
        elif found == "brat" and suffix == ".ann" and path.with_suffix(".txt").exists():
            path = path.with_suffix(".txt")
        if found == "brat":
            if path in seen:
                continue
            seen.add(path)
        out.append((path, found))
    return out


# reading the pair -----------------------------------------------------------------------


def _read_text(path: Path, source: str) -> tuple[str, bool] | Problem:
    """The ``.txt``'s text and whether it started with a UTF-8 byte order mark."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return Problem(source, None, f"file is {size} bytes; the limit is {MAX_BYTES}")
        data = path.read_bytes()
    except OSError as exc:
        return Problem(source, None, f"cannot read: {exc.strerror or exc}")
    if looks_binary(data) and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Problem(source, None, "binary file, not text")
    try:
        text = decode_text(data)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return Problem(source, line, f"not valid UTF-8 (byte {exc.start})")
    return text, data.startswith(b"\xef\xbb\xbf")


def _our_labels(folder: Path) -> frozenset[str]:
    """Labels our own export declared in the folder's annotation.conf (custom labels
    of a project come back without a ``--map``)."""
    try:
        with (folder / "annotation.conf").open(encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.startswith(CONF_MARK):
                    return frozenset(line[len(CONF_MARK) :].split())
    except OSError:
        pass
    return frozenset()


def read_brat(path: Path, options: ReadOptions = DEFAULT_READ) -> Iterator[ImportRecord | Problem]:
    """One brat document from its ``.txt`` or its ``.ann`` (the other one beside it)."""
    txt, ann = path.with_suffix(".txt"), path.with_suffix(".ann")
    if path.suffix.lower() not in (".txt", ".ann"):
        yield Problem(display_path(path), None, "a brat document is a .txt with its .ann")
        return
    if not txt.is_file():
        yield Problem(display_path(ann), None, f"no {display_path(txt.name)} beside it")
        return
    read = _read_text(txt, display_path(txt))
    if isinstance(read, Problem):
        yield read
        return
    text, bom = read
    name = display_path(txt.name)
    meta: dict[str, object] = {"source": name}
    if not text.strip():
        yield Problem(display_path(txt), None, "empty file")
        return
    if not ann.is_file():
        yield Problem(display_path(txt), None, "no .ann beside it: imported as text", warning=True)
        yield ImportRecord(text=text, source=display_path(txt), external_id=txt.stem, meta=meta)
        return
    source = display_path(ann)
    try:
        # brat splits on line feeds only (str.splitlines would also split on U+2028 ...)
        lines = [x.removesuffix("\r") for x in decode_text(ann.read_bytes()).split("\n")]
    except OSError as exc:
        yield Problem(source, None, f"cannot read: {exc.strerror or exc}")
        return
    except UnicodeDecodeError as exc:
        yield Problem(source, None, f"not valid UTF-8 (byte {exc.start}); document skipped")
        return
    doc = AnnDoc(source, text, None, options.type_map, _our_labels(ann.parent))
    doc.view_to_text = _choose_view(doc, lines, bom)
    spans = parse(doc, lines)
    yield from doc.out
    if doc.notes:
        meta["brat_notes"] = doc.notes
    yield ImportRecord(
        text=text,
        source=source,
        external_id=txt.stem,
        meta=meta,
        spans=spans,
        relations=doc.relations,
        answer="accept",
    )


# offsets ---------------------------------------------------------------------------------


def _view(text: str, bom: bool, universal: bool) -> tuple[str, list[int]]:
    """The text as a reader with these habits sees it, and for each of its offsets
    (and its end) the offset in ``text``."""
    chars: list[str] = ["\ufeff"] if bom else []
    where: list[int] = [0] if bom else []
    i = 0
    while i < len(text):
        ch = text[i]
        if universal and ch == "\r":
            chars.append("\n")
            where.append(i)
            i += 2 if text.startswith("\r\n", i) else 1
            continue
        chars.append(ch)
        where.append(i)
        i += 1
    where.append(len(text))
    return "".join(chars), where


def _t_lines(lines: list[str]) -> Iterator[tuple[list[tuple[int, int]], str]]:
    for line in lines:
        if line.startswith("T"):
            parts = line.split("\t", 2)
            if len(parts) == 3 and " " in parts[1]:
                segs = parts[1].split(" ", 1)[1]
                if SEGMENTS.match(segs):
                    yield [pair(s) for s in segs.split(";")], parts[2]


def _same_text(view: str, segments: list[tuple[int, int]], column: str) -> bool:
    got = " ".join(view[a:b] for a, b in segments)
    return " ".join(got.split()) == " ".join(column.split())


def _choose_view(doc: AnnDoc, lines: list[str], bom: bool) -> list[int] | None:
    """brat's reading of the offsets unless the file's own characters fit better."""
    universal = "\r" in doc.text
    if not (bom or universal):
        return None
    candidates = [(bom, universal), (False, False)]
    if bom and universal:
        candidates[1:1] = [(bom, False), (False, universal)]
    t_lines = list(_t_lines(lines))
    best: tuple[int, list[int], tuple[bool, bool]] | None = None
    for habits in candidates:
        view, where = _view(doc.text, *habits)
        score = sum(_same_text(view, segs, col) for segs, col in t_lines)
        if best is None or score > best[0]:
            best = (score, where, habits)
    assert best is not None
    _, where, (counted_bom, one_line_end) = best
    if universal:
        how = "one character (as brat counts them)" if one_line_end else "two characters"
        doc.warn(None, f"the .txt has CR line ends; offsets read with a line end as {how}")
    if bom:
        how = "counted as a character (as brat does)" if counted_bom else "not counted"
        doc.warn(None, f"the .txt starts with a byte order mark; {how} in the offsets")
    return where
