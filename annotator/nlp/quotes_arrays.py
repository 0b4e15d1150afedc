"""Per-document token columns the quote rules share, read once per Doc.

``doc[i]`` makes a new Python ``Token`` object every time, and ``doc.text`` and
``doc.ents`` are rebuilt from Token and Span objects on every access; the rules
ask such questions thousands of times per article. :func:`doc_session` reads
the columns once (one ``doc.to_array`` call) for the duration of a ``with``
block; inside it :func:`arrays_of` returns them, and per-document memos (a
token's cue, for instance) live there too. Outside a session :func:`arrays_of`
reads the columns afresh each time (correct, only slower), so a Doc changed
between two sessions is never seen stale. Sessions are per thread.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy
from spacy.attrs import (
    ENT_IOB,
    ENT_TYPE,
    HEAD,
    IDX,
    IS_ALPHA,
    IS_PUNCT,
    IS_SPACE,
    LENGTH,
    LIKE_NUM,
    ORTH,
    SPACY,
)
from spacy.tokens import Doc, Span

_ATTRS = [ORTH, SPACY, IDX, IS_SPACE, IS_PUNCT, IS_ALPHA, LIKE_NUM, HEAD, LENGTH]
_TEXTS: dict[int, str] = {}  # orth hash -> text; -1 - hash -> text and a space
_MAX_TEXTS = 1_000_000


class DocArrays:
    """Columns of one Doc as Python lists, indexed by token."""

    __slots__ = (
        "_ent_rows",
        "_ents",
        "_paras",
        "_space_at",
        "doc",
        "ends",
        "heads",
        "idx",
        "is_punct",
        "is_space",
        "memo",
        "n",
        "n_words",
        "text",
        "texts",
        "words",
    )

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.n = n = len(doc)
        self.memo: dict[Any, Any] = {}
        self._paras: list[int] | None = None
        self._ents: Sequence[Span] | None = None
        self._ent_rows: list[tuple[int, int, str]] | None = None
        if not n:
            self.texts: list[str] = []
            self.text = ""
            self.idx: list[int] = []
            self.ends: list[int] = []
            self.is_space: list[bool] = []
            self.is_punct: list[bool] = []
            self.words: list[bool] = []
            self.heads: list[int] = []
            self.n_words = 0
            self._space_at: list[int] = []
            return
        arr = doc.to_array(_ATTRS)
        orth = arr[:, 0]
        # a token's text by its orth hash (a hash of the string, the same in every
        # vocab): a dict lookup is cheaper than the StringStore's
        if len(_TEXTS) > _MAX_TEXTS:
            _TEXTS.clear()  # bounded: a long run meets ever more words
        texts_of = _TEXTS
        orth_list = orth.tolist()
        missing = set(orth_list).difference(texts_of)
        if missing:
            strings = doc.vocab.strings
            for o in missing:
                t = strings[o]
                texts_of[o] = t
                texts_of[-1 - o] = t + " "  # text_with_ws when a space follows
        self.texts = list(map(texts_of.__getitem__, orth_list))
        # doc.text joins every token's text_with_ws (its text and one space or none)
        with_ws = [-1 - o if s else o for o, s in zip(orth_list, arr[:, 1].tolist(), strict=True)]
        self.text = "".join(map(texts_of.__getitem__, with_ws))
        idx = arr[:, 2].astype("int64")
        self.idx = idx.tolist()
        self.ends = (idx + arr[:, 8].astype("int64")).tolist()
        space = arr[:, 3] != 0
        punct = arr[:, 4] != 0
        self.is_space = space.tolist()
        self.is_punct = punct.tolist()
        self.words = ((arr[:, 5] != 0) | (arr[:, 6] != 0)).tolist()
        self.n_words = int(n - (space | punct).sum())
        # HEAD is relative and comes back as uint64: read it as signed
        self.heads = (numpy.arange(n) + arr[:, 7].astype("int64")).tolist()
        self._space_at = numpy.flatnonzero(space).tolist()

    @property
    def paras(self) -> list[int]:
        """Paragraph number of every token (see ``quotes_common.paragraph_ids``):
        the breaks before it, counted over the whitespace tokens holding a newline."""
        if self._paras is None:
            texts = self.texts
            starts = numpy.zeros(self.n + 1, dtype="int64")
            for i in self._space_at:
                if "\n" in texts[i]:
                    starts[i + 1] = 1
            self._paras = numpy.cumsum(starts[: self.n]).tolist()
        return self._paras

    @property
    def ent_rows(self) -> list[tuple[int, int, str]]:
        """``(start, end, label)`` of every ``doc.ents`` entry, in order, read from
        the IOB columns the way ``Doc.ents`` reads them, without a Span each."""
        if self._ent_rows is None:
            rows: list[tuple[int, int, int]] = []
            if self.n:
                cols = self.doc.to_array([ENT_IOB, ENT_TYPE]).tolist()
                start, label = -1, 0
                for i, (iob, typ) in enumerate(cols):
                    if iob == 1:
                        if start == -1:
                            return [(e.start, e.end, e.label_) for e in self.ents]  # raises
                    elif iob in (0, 2) or (iob == 3 and typ == 0):
                        if start != -1:
                            rows.append((start, i, label))
                        start, label = -1, 0
                    elif iob == 3:
                        if start != -1:
                            rows.append((start, i, label))
                        start, label = i, typ
                if start != -1:
                    rows.append((start, self.n, label))
            strings = self.doc.vocab.strings
            named = [(s, e, strings[lab]) for s, e, lab in rows]
            self._ent_rows = [r for r in named if r[2] != ""]  # as Doc.ents drops them
        return self._ent_rows

    @property
    def ents(self) -> Sequence[Span]:
        if self._ents is None:
            self._ents = self.doc.ents
        return self._ents


_local = threading.local()


@contextmanager
def doc_session(doc: Doc) -> Iterator[DocArrays]:
    """Share one :class:`DocArrays` of ``doc`` for the block (nested sessions of
    the same Doc reuse it). Nothing may change the Doc's tokens, heads or
    entities inside the block."""
    current: DocArrays | None = getattr(_local, "arrays", None)
    if current is not None and current.doc is doc:
        yield current
        return
    arrays = DocArrays(doc)
    _local.arrays = arrays
    try:
        yield arrays
    finally:
        _local.arrays = current


def arrays_of(doc: Doc) -> DocArrays:
    """The session's columns of ``doc``, else freshly read ones."""
    current: DocArrays | None = getattr(_local, "arrays", None)
    if current is not None and current.doc is doc:
        return current
    return DocArrays(doc)


def session_of(doc: Doc) -> DocArrays | None:
    """The session's columns of ``doc``, or None outside a session of it (for
    memos: outside a session nothing is remembered)."""
    current: DocArrays | None = getattr(_local, "arrays", None)
    if current is not None and current.doc is doc:
        return current
    return None
