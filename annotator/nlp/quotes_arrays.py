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
from itertools import accumulate
from typing import Any

from spacy.attrs import HEAD, IDX, IS_ALPHA, IS_PUNCT, IS_SPACE, LIKE_NUM, ORTH, SPACY
from spacy.tokens import Doc, Span

_ATTRS = [ORTH, SPACY, IDX, IS_SPACE, IS_PUNCT, IS_ALPHA, LIKE_NUM, HEAD]


class DocArrays:
    """Columns of one Doc as Python lists, indexed by token."""

    __slots__ = (
        "_ents",
        "_paras",
        "doc",
        "ends",
        "heads",
        "idx",
        "is_punct",
        "is_space",
        "memo",
        "n",
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
        if not n:
            self.texts: list[str] = []
            self.text = ""
            self.idx: list[int] = []
            self.ends: list[int] = []
            self.is_space: list[int] = []
            self.is_punct: list[int] = []
            self.words: list[bool] = []
            self.heads: list[int] = []
            return
        arr = doc.to_array(_ATTRS)
        strings = doc.vocab.strings
        orth, spacy, idx, space, punct, alpha, num = arr[:, :7].T.tolist()
        self.texts = texts = [strings[o] for o in orth]
        # doc.text joins every token's text_with_ws (orth plus one space or none)
        self.text = "".join([t + " " if s else t for t, s in zip(texts, spacy, strict=True)])
        self.idx = idx
        self.ends = [i + len(t) for i, t in zip(idx, texts, strict=True)]
        self.is_space = space
        self.is_punct = punct
        self.words = [bool(a or b) for a, b in zip(alpha, num, strict=True)]
        # HEAD is relative and comes back as uint64: read it as signed
        rel = arr[:, 7].astype("int64").tolist()
        self.heads = [i + h for i, h in enumerate(rel)]

    @property
    def paras(self) -> list[int]:
        """Paragraph number of every token (see ``quotes_common.paragraph_ids``)."""
        if self._paras is None:
            texts = self.texts
            breaks = [int(sp == 1 and "\n" in texts[i]) for i, sp in enumerate(self.is_space)]
            self._paras = [0, *accumulate(breaks)][: self.n]
        return self._paras

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
