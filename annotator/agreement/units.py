"""The report's units: the corpus on one offset axis and each annotator's spans as arrays.

The documents (those all given annotators have) are laid end to end, so each figure is
a few numpy calls over the whole corpus rather than a Python loop per document. A
``SpanTable`` holds one annotator's spans of one layer in corpus offsets, labels coded
by the report's vocabulary: ``"O"``, then each layer's labels from lowest to highest
token precedence (:func:`annotator.agreement.kappa.label_rank_order`).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from operator import attrgetter
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

from annotator.agreement.kappa import OUTSIDE, label_rank_order
from annotator.core.model import Annotation, QuoteKind, RelationLabel

DocId = TypeVar("DocId", bound=Hashable)
IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

KINDS: list[str] = [str(k) for k in QuoteKind]
_KIND_CODE: dict[Any, int] = {None: -1, **{k: i for i, k in enumerate(KINDS)}}


@dataclass
class Corpus:
    doc_ids: Sequence[Hashable]
    offsets: IntArray  # doc i occupies [offsets[i], offsets[i + 1])
    tok_start: IntArray  # corpus offsets; a token belongs to the span it starts in
    texts: list[str]

    @property
    def length(self) -> int:
        return int(self.offsets[-1])


def build_corpus(
    doc_ids: Sequence[DocId], tokens: Mapping[DocId, Any], texts: Mapping[DocId, str]
) -> Corpus:
    doc_texts = [texts[d] for d in doc_ids]
    offsets = np.zeros(len(doc_ids) + 1, dtype=np.int64)
    np.cumsum([len(t) for t in doc_texts], out=offsets[1:])
    per_doc = [tokens[d] for d in doc_ids]
    counts = np.fromiter(map(len, per_doc), np.int64, len(per_doc))
    n = int(counts.sum())
    if all(isinstance(t, np.ndarray) for t in per_doc):
        # fast path: the caller keeps token offsets as arrays, (n, 2) or (n,) of starts
        parts = [np.asarray(t, dtype=np.int64) for t in per_doc]
        starts = [x[:, 0] if x.ndim == 2 else x for x in parts]
        tok_start = np.concatenate(starts) if starts else np.zeros(0, dtype=np.int64)
    else:
        # Only starts are read: converting millions of Token objects is the slowest part
        # of the report, and one attribute instead of two halves it.
        flat = chain.from_iterable(
            t[:, 0] if isinstance(t, np.ndarray) else map(_TOKEN_START, t) for t in per_doc
        )
        tok_start = np.fromiter(flat, np.int64, n)
    tok_start += np.repeat(offsets[:-1], counts)
    return Corpus(doc_ids, offsets, tok_start, doc_texts)


_TOKEN_START = attrgetter("start")


@dataclass
class SpanTable:
    """One annotator's spans of one layer, sorted by (label, start, end), no duplicates."""

    doc: IntArray
    start: IntArray  # corpus offsets
    end: IntArray
    label: IntArray  # vocabulary code
    kind: IntArray  # index in KINDS, -1 for none
    spk_start: IntArray  # speaker of a QUOTE, -1 for none
    spk_end: IntArray
    key_start: IntArray  # start on a per-label axis: label * corpus length + start
    key_end: IntArray


@dataclass
class RawSpans:
    """One annotator's spans of every layer, before the vocabulary is known."""

    doc: IntArray
    start: IntArray
    end: IntArray
    layer: IntArray
    label: IntArray  # local code into ``names``
    kind: IntArray
    names: list[str]
    # speaker relations: (doc, head start, head end, head local label, child start, child end)
    speakers: list[tuple[int, int, int, int, int, int]]


def read_annotator(
    by_doc: Mapping[DocId, Annotation], doc_ids: Sequence[DocId], layers: Sequence[str]
) -> RawSpans:
    layer_code: dict[Any, int] = {name: i for i, name in enumerate(layers)}
    spans: list[Any] = []
    counts: list[int] = []
    speakers: list[tuple[int, int, int, str, int, int]] = []
    for i, d in enumerate(doc_ids):
        ann = by_doc[d]
        spans.extend(ann.spans)
        counts.append(len(ann.spans))
        for rel in ann.relations:
            if rel.label == RelationLabel.SPEAKER:
                h, c = rel.head, rel.child
                speakers.append((i, h.start, h.end, h.label, c.start, c.end))
    n = len(spans)
    # map() over attrgetter and dict lookups stays in C: a generator expression here
    # costs about as much as the whole numpy part of the report
    labels_seen = set(map(_LABEL, spans)) | {x[3] for x in speakers}
    names = {name: i for i, name in enumerate(sorted(labels_seen))}
    for x in set(map(_LAYER, spans)) - layer_code.keys():
        layer_code[x] = -1  # a layer not asked for
    kind_code = dict(_KIND_CODE)
    for x in set(map(_KIND, spans)) - kind_code.keys():
        kind_code[x] = _KIND_CODE.get(str(x), -1)
    start = np.fromiter(map(_START, spans), np.int64, n)
    end = np.fromiter(map(_END, spans), np.int64, n)
    layer = np.fromiter(map(layer_code.__getitem__, map(_LAYER, spans)), np.int64, n)
    label = np.fromiter(map(names.__getitem__, map(_LABEL, spans)), np.int64, n)
    kind = np.fromiter(map(kind_code.__getitem__, map(_KIND, spans)), np.int64, n)
    doc = np.repeat(np.arange(len(doc_ids), dtype=np.int64), counts)
    rels = [(i, hs, he, names[hl], cs, ce) for i, hs, he, hl, cs, ce in speakers]
    return RawSpans(doc, start, end, layer, label, kind, list(names), rels)


_START, _END, _LABEL, _LAYER, _KIND = (
    attrgetter(f) for f in ("start", "end", "label", "layer", "kind")
)


def layer_table(raw: RawSpans, layer_index: int, to_vocab: IntArray, corpus: Corpus) -> SpanTable:
    keep = (raw.layer == layer_index) & (raw.end > raw.start)
    doc = raw.doc[keep]
    shift = corpus.offsets[doc]
    start = raw.start[keep] + shift
    end = raw.end[keep] + shift
    label = to_vocab[raw.label[keep]]
    kind = raw.kind[keep]
    order = np.lexsort((end, start, label))
    doc, start, end, label, kind = doc[order], start[order], end[order], label[order], kind[order]
    if len(start) > 1:
        dup = np.zeros(len(start), dtype=bool)
        dup[1:] = (start[1:] == start[:-1]) & (end[1:] == end[:-1]) & (label[1:] == label[:-1])
        if dup.any():
            doc, start, end, label, kind = (x[~dup] for x in (doc, start, end, label, kind))
    L = corpus.length + 1
    spk_start = np.full(len(start), -1, dtype=np.int64)
    spk_end = np.full(len(start), -1, dtype=np.int64)
    if raw.speakers:
        rel = np.array(raw.speakers, dtype=np.int64)
        rshift = corpus.offsets[rel[:, 0]]
        rkey = (to_vocab[rel[:, 3]] * L + rel[:, 1] + rshift) * L + rel[:, 2] + rshift
        skey = (label * L + start) * L + end
        # the first speaker relation of a head wins, as Annotation.speaker_of does
        rkey_u, first = np.unique(rkey, return_index=True)
        pos = np.searchsorted(rkey_u, skey)
        pos_ok = np.minimum(pos, len(rkey_u) - 1)
        hit = (pos < len(rkey_u)) & (rkey_u[pos_ok] == skey)
        src = first[pos_ok[hit]]
        spk_start[hit] = rel[src, 4] + rshift[src]
        spk_end[hit] = rel[src, 5] + rshift[src]
    return SpanTable(
        doc,
        start,
        end,
        label,
        kind,
        spk_start,
        spk_end,
        label * L + start,
        label * L + end,
    )


@dataclass
class Vocabulary:
    """Label names by code (``"O"`` is 0) and each layer's codes, lowest precedence first.

    A label used in both layers is shown as ``"NAME (layer)"`` in the second one.
    """

    names: list[str]
    layer_codes: dict[str, list[int]]

    @staticmethod
    def of(raws: Sequence[RawSpans], layers: Sequence[str]) -> Vocabulary:
        names: list[str] = [OUTSIDE]
        layer_codes: dict[str, list[int]] = {}
        seen: set[str] = set()
        for li, lay in enumerate(layers):
            used = {
                r.names[c]
                for r in raws
                for c in np.flatnonzero(np.bincount(r.label[r.layer == li], minlength=1)).tolist()
            }
            codes: list[int] = []
            for name in label_rank_order(used):
                shown = name if name not in seen else f"{name} ({lay})"
                seen.add(name)
                codes.append(len(names))
                names.append(shown)
            layer_codes[lay] = codes
        return Vocabulary(names, layer_codes)

    def __len__(self) -> int:
        return len(self.names)

    def tables(
        self, raws: Sequence[RawSpans], layer_index: int, layer: str, corpus: Corpus
    ) -> list[SpanTable]:
        """Each annotator's spans of one layer, labels in vocabulary codes."""
        codes_here = self.layer_codes[layer]
        tables: list[SpanTable] = []
        for r in raws:
            # local label code of the annotator -> vocabulary code of this layer
            to_vocab = np.full(max(len(r.names), 1), -1, dtype=np.int64)
            for c, name in enumerate(r.names):
                for vc in codes_here:
                    if self.names[vc] == name or self.names[vc] == f"{name} ({layer})":
                        to_vocab[c] = vc
            tables.append(layer_table(r, layer_index, to_vocab, corpus))
        return tables


__all__ = [
    "KINDS",
    "Corpus",
    "RawSpans",
    "SpanTable",
    "Vocabulary",
    "build_corpus",
    "layer_table",
    "read_annotator",
]
