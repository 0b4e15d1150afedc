"""IOB (CoNLL-2003 style) for the ``ents`` layer: export and import.

Export: one token a line as ``word TAG`` with IOB2 tags (``B-PER``, ``I-PER``,
``O``); a blank line between sentences; each document opens with the line
``-DOCSTART- -X- O O`` (optional). Sentences come from spaCy's rule-based
sentencizer's rule on the stored tokens (``sentence_starts``), and a line break in the text also
ends a sentence (headlines have no full stop); a sentence never ends inside an
entity, so every ``I-`` follows its ``B-``. Whitespace tokens are not written.
The file is what ``spacy convert -c ner`` and most CoNLL readers take.

Import: whitespace-separated columns, the first the word and the last the tag
(IOB1, IOB2 or BILUO); documents split at ``-DOCSTART-`` lines (a file with none
is one document) or, with ``--iob-documents blocks``, at every blank line too
(Label Studio's CoNLL export). The text is rebuilt as the words joined by spaces,
one sentence a line. Imported records are done (``accept``). A line that cannot be
read is skipped and reported, the rest of the file kept; an ``I-`` with no ``B-``
before it starts an entity, with a warning naming the line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from annotator.core import Annotation, Document, Layer, label_problem
from annotator.formats.export_base import (
    AtomicTextFile,
    SpanPlacementError,
    describe,
    place_spans,
    tokens_of,
)
from annotator.formats.records import DEFAULT_READ, ImportRecord, Problem, RawSpan, ReadOptions
from annotator.formats.textio import display_path, open_lines
from annotator.nlp.tokenize import blank_pipeline

DOCSTART = "-DOCSTART- -X- O O"
_WS = re.compile(r"\s+")
_TAG = re.compile(r"^(?:O|([BIELSU])-(.+))$")


@lru_cache(maxsize=1)
def _punct_chars() -> frozenset[str]:
    from spacy.pipeline import Sentencizer

    return frozenset(Sentencizer.default_punct_chars)


class _IsPunct(dict[str, bool]):
    """``Lexeme.is_punct`` of a word, asked of the vocabulary once per distinct word."""

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.vocab = blank_pipeline(lang).vocab

    def __missing__(self, word: str) -> bool:
        value = self[word] = bool(self.vocab[word].is_punct)
        return value


@lru_cache(maxsize=4)
def _is_punct(lang: str) -> _IsPunct:
    return _IsPunct(lang)


def sentence_starts(words: list[str], lang: str = "en") -> set[int]:
    """The words that start a sentence, as spaCy's rule-based ``sentencizer`` (default
    punctuation) marks them on a ``Doc`` of these words: a sentence starts at the first
    word after a run of sentence-final punctuation that is not punctuation itself.
    Computed on the words, without building the ``Doc`` and running the pipe (that was
    a fifth of an IOB export); tests check it against the real sentencizer."""
    if not words:
        return set()
    final = _punct_chars()
    is_punct = _is_punct(lang)
    starts = {0}
    seen_final = False
    for i, word in enumerate(words):
        if word in final:
            seen_final = True
        elif seen_final and not is_punct[word]:
            starts.add(i)
            seen_final = False
    return starts


def iob_lines(document: Document, annotation: Annotation, *, lang: str = "en") -> list[str]:
    """The lines (without newlines) of one document's sentences, blank lines between."""
    from annotator.formats.docbin import words_and_spaces

    placed = place_spans(document, annotation)
    tokens = tokens_of(document)
    text = document.text
    tags = ["O"] * len(tokens)
    for p in placed:
        if p.span.layer != Layer.ENTS:
            continue
        problem = label_problem(p.span.label)
        if problem is not None:
            # A label stored before labels were checked: writing it would make a file
            # that this reader (and every CoNLL reader) splits into the wrong columns.
            raise SpanPlacementError(f"{describe(document)}: {problem}; IOB cannot hold it")
        tags[p.token_start] = f"B-{p.span.label}"
        for k in range(p.token_start + 1, p.token_end + 1):
            tags[k] = f"I-{p.span.label}"
    words, _spaces, index = words_and_spaces(text, tokens)
    starts = sentence_starts(words, lang)
    lines: list[str] = []
    pending_break = False
    # the stored tokens' words: the Doc's own, unless gaps between tokens became words
    token_words = words if index is None else [words[i] for i in index]
    sub = _WS.sub
    for k, word in enumerate(token_words):
        if word.isspace():
            pending_break = pending_break or "\n" in word
            continue
        at = k if index is None else index[k]
        if (pending_break or at in starts) and lines and lines[-1] and tags[k][0] != "I":
            lines.append("")
        pending_break = False
        # A word with inner whitespace would split into columns; it never comes from
        # spaCy's tokenizer, but stored tokens may come from elsewhere.
        lines.append(f"{word if word.isalnum() else sub('_', word)} {tags[k]}")
    return lines


class IobWriter:
    extension = ".iob"
    layers = (Layer.ENTS,)  # what the file carries: entity tags, no quotes, no links

    def __init__(self, path: Path, *, lang: str = "en", docstart: bool = True) -> None:
        self._file = AtomicTextFile(path)
        self.path = self._file.path
        self.lang = lang
        self.docstart = docstart

    def add(self, document: Document, annotation: Annotation) -> None:
        lines = iob_lines(document, annotation, lang=self.lang)
        out = self._file.stream
        if self.docstart:
            out.write(DOCSTART + "\n\n")
        if lines:
            out.write("\n".join(lines) + "\n\n")

    def close(self) -> None:
        self._file.commit()

    def abort(self) -> None:
        self._file.abort()


# import -------------------------------------------------------------------------------

MAX_WARNINGS = 10  # per file for tags read as something else; the rest are counted


class _DocState:
    def __init__(self, line: int) -> None:
        self.line = line
        self.parts: list[str] = []
        self.pos = 0
        self.sentence_open = False
        self.spans: list[RawSpan] = []
        self.current: dict[str, Any] | None = None  # open entity: label, start, end

    def close_entity(self) -> None:
        if self.current is not None:
            c = self.current
            self.spans.append(RawSpan(c["start"], c["end"], c["label"], layer="ents"))
            self.current = None

    def end_sentence(self) -> None:
        self.close_entity()
        if self.sentence_open:
            self.parts.append("\n")
            self.pos += 1
            self.sentence_open = False

    def add(self, word: str, prefix: str | None, label: str) -> bool:
        """Add one token; False when an inside/last tag had no beginning before it and
        was read as the start of an entity (IOB1 does that on purpose, a broken IOB2
        file by mistake: the caller warns)."""
        if self.sentence_open:
            self.parts.append(" ")
            self.pos += 1
        start, end = self.pos, self.pos + len(word)
        self.parts.append(word)
        self.pos = end
        self.sentence_open = True
        cur = self.current
        orphan = False
        if prefix is None:
            self.close_entity()
        elif prefix in "BSU" or cur is None or cur["label"] != label:
            # IOB1 starts an entity with I-, so I- after O or another type starts one too.
            orphan = prefix not in "BSU"
            self.close_entity()
            self.current = {"label": label, "start": start, "end": end}
        else:
            cur["end"] = end
        if prefix in ("E", "L", "S", "U"):
            self.close_entity()
        return not orphan

    def record(self, source: str, n: int) -> ImportRecord | None:
        self.end_sentence()
        text = "".join(self.parts).rstrip("\n")
        if not text.strip():
            return None
        ext = f"{Path(source).name}#{n}"
        return ImportRecord(
            text=text,
            source=source,
            line=self.line,
            external_id=ext,
            meta={"id": ext},
            spans=self.spans,
            answer="accept",
        )


def _parse_tag(tag: str) -> tuple[str | None, str] | str:
    """(prefix, label) of a tag (``(None, "")`` for ``O``), or why it is not one."""
    m = _TAG.match(tag)
    if m is None:
        return f"unknown tag {tag!r} (tags are O, or B-, I-, E-, L-, S- or U- and a label)"
    prefix, label = m.group(1), m.group(2) or ""
    if prefix is not None:
        problem = label_problem(label)
        if problem is not None:
            return f"tag {tag[:60]!r}: {problem}"
    return prefix, label


def read_iob(path: Path, options: ReadOptions = DEFAULT_READ) -> Iterator[ImportRecord | Problem]:
    """Documents of an IOB file. A line that cannot be read (no tag, an unknown tag, not
    UTF-8, too long) is skipped and reported with its number; the rest of its document
    is kept, as if that line were not there."""
    source = display_path(path)
    # Label Studio's CoNLL export puts one -DOCSTART- before all its tasks and a blank
    # line after each: there a blank line ends a document, not a sentence.
    blocks = options.iob_documents == "blocks"
    n = 0
    state = _DocState(1)
    orphans = 0
    docstarts = sentences = ls_lines = 0  # for the hint below
    for item in open_lines(path):
        if isinstance(item, Problem):
            yield item
            continue
        number, raw = item
        try:
            line = raw.decode("utf-8").strip()
        except UnicodeDecodeError as exc:
            yield Problem(source, number, f"not valid UTF-8 (byte {exc.start} of the line)")
            continue
        if line.startswith("-DOCSTART-"):
            docstarts += 1
            doc = state.record(source, n)
            if doc is not None:
                n += 1
                yield doc
            state = _DocState(number)
            continue
        if not line:
            if blocks:
                doc = state.record(source, n)
                if doc is not None:
                    n += 1
                    yield doc
                state = _DocState(number + 1)
            else:
                sentences += state.sentence_open
                state.end_sentence()
            continue
        cols = line.split()
        if len(cols) == 4 and cols[1] == "-X-" and cols[2] == "_":
            ls_lines += 1
        if len(cols) < 2:
            yield Problem(source, number, "a line needs a word and a tag")
            continue
        tag = _parse_tag(cols[-1])
        if isinstance(tag, str):
            yield Problem(source, number, tag)
            continue
        prefix, label = tag
        if not state.add(cols[0], prefix, label):
            orphans += 1
            if orphans <= MAX_WARNINGS:
                yield Problem(
                    source,
                    number,
                    f"{cols[-1]} does not follow B-{label} or I-{label}: read as the start "
                    f"of an entity (B-{label})",
                    warning=True,
                )
    sentences += state.sentence_open
    doc = state.record(source, n)
    if doc is not None:
        yield doc
    if not blocks and docstarts <= 1 and sentences > 1 and ls_lines:
        # a whole Label Studio project read as one document is easy to miss
        yield Problem(
            source,
            None,
            f"one document of {sentences} blank-line blocks, written like Label Studio's "
            "CoNLL export (one -DOCSTART- for all its tasks); for a document per task "
            "import it with --iob-documents blocks",
            warning=True,
        )
    if orphans > MAX_WARNINGS:
        yield Problem(
            source,
            None,
            f"{orphans - MAX_WARNINGS} more inside tags without a beginning were read as "
            "the start of an entity",
            warning=True,
        )
