"""Inter-annotator agreement report over a corpus.

Everything is computed on one offset axis: the documents (those all given annotators
have) are laid end to end, so each figure is a few numpy calls over the whole corpus
rather than a Python loop per document. The coefficients are the ones of
:mod:`annotator.agreement.kappa` and :mod:`annotator.agreement.alpha`; span matching
follows :mod:`annotator.agreement.spans` (same pairs, same tie-breaks).

Choices worth knowing when reading the figures:

- Token-level figures (Cohen, Fleiss, Krippendorff) treat each token of each layer as a
  unit whose value is its label or ``"O"``; with ``layer=None`` the overall values pool
  the units of both layers (a token counts once per layer).
- Span P/R/F1 of a pair ``(a, b)`` takes ``a`` as the reference; F1 is symmetric.
  Per label and overall figures pool the counts of all pairs.
- Per-document F1 is 1.0 when no annotator marked anything in it (nothing to disagree
  on), unlike the pooled figures, which follow spaCy's 0.0 convention for empty sets.
- Unitizing alpha lays the documents on one continuum (gaps may run across a document
  boundary, as if the corpus were one text); see :mod:`annotator.agreement.alpha`.
- Speakers: of the QUOTE pairs matched in overlap mode, those where at least one side
  has a speaker; they agree when both have one and the two overlap. Kinds: of the
  matched QUOTE pairs where both have a kind, those with the same kind.
- Undefined coefficients (``nan``) are ``None`` in ``to_json()``.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain, combinations
from operator import attrgetter
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from annotator.agreement.alpha import (
    alpha_from_coincidence,
    binary_coincidence,
    merge_units,
    overlapping_pairs,
    unitizing_alpha_arrays,
)
from annotator.agreement.kappa import (
    OUTSIDE,
    binary_confusion,
    kappa_from_confusion,
    label_rank_order,
    paint_ranges,
)
from annotator.agreement.spans import LAYERS, PRF
from annotator.core.model import Annotation, QuoteKind, RelationLabel, Token

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

KINDS: list[str] = [str(k) for k in QuoteKind]
_KIND_CODE: dict[Any, int] = {None: -1, **{k: i for i, k in enumerate(KINDS)}}


class Disagreement(NamedTuple):
    """One character range on which the annotators differ.

    ``labels[annotator]`` is the label that annotator gave exactly this range, or ``None``.
    ``reason``: ``"label"`` (everyone marked the range, with different labels),
    ``"boundary"`` (someone marked an overlapping range instead) or ``"missing"``
    (someone marked nothing there).
    """

    doc_id: Hashable
    start: int
    end: int
    text: str
    labels: dict[str, str | None]
    reason: str = ""


# --------------------------------------------------------------------------- results


def _num(x: float | None) -> float | None:
    return None if x is None or math.isnan(x) else float(x)


@dataclass
class PairAgreement:
    a: str
    b: str
    layer: str  # "ents", "quotes" or "all"
    exact: PRF
    overlap: PRF
    cohen_kappa: float

    def to_json(self) -> dict[str, Any]:
        return {
            "a": self.a,
            "b": self.b,
            "layer": self.layer,
            "f1_exact": self.exact.f,
            "f1_overlap": self.overlap.f,
            "cohen_kappa": _num(self.cohen_kappa),
            "exact": self.exact.to_dict(),
            "overlap": self.overlap.to_dict(),
        }


@dataclass
class LabelAgreement:
    label: str
    layer: str
    counts: dict[str, int]  # spans per annotator
    exact: PRF
    overlap: PRF
    cohen_kappa: float  # mean over pairs of the label-vs-rest token kappa
    krippendorff_alpha: float  # label-vs-rest, tokens
    unitizing_alpha: float

    def to_json(self) -> dict[str, Any]:
        return {
            "layer": self.layer,
            "counts": self.counts,
            "f1_exact": self.exact.f,
            "f1_overlap": self.overlap.f,
            "exact": self.exact.to_dict(),
            "overlap": self.overlap.to_dict(),
            "cohen_kappa": _num(self.cohen_kappa),
            "krippendorff_alpha": _num(self.krippendorff_alpha),
            "unitizing_alpha": _num(self.unitizing_alpha),
        }


@dataclass
class DocumentAgreement:
    doc_id: Hashable
    f1_exact: float
    f1_overlap: float
    cohen_kappa: float  # mean over pairs; nan when undefined for every pair
    token_agreement: float  # share of tokens (x layers) all annotators label alike
    disagreements: int

    def to_json(self) -> dict[str, Any]:
        return {
            "document": _json_id(self.doc_id),
            "f1_exact": self.f1_exact,
            "f1_overlap": self.f1_overlap,
            "cohen_kappa": _num(self.cohen_kappa),
            "token_agreement": self.token_agreement,
            "disagreements": self.disagreements,
        }


@dataclass
class AttributionAgreement:
    """Agreement on a property of matched QUOTE pairs (speaker or kind), for one pair."""

    a: str
    b: str
    matched_quotes: int = 0
    compared: int = 0  # pairs where the property can be compared
    agree: int = 0

    @property
    def rate(self) -> float | None:
        return self.agree / self.compared if self.compared else None

    def to_json(self) -> dict[str, Any]:
        return {
            "a": self.a,
            "b": self.b,
            "matched_quotes": self.matched_quotes,
            "compared": self.compared,
            "agree": self.agree,
            "rate": self.rate,
        }


def _pooled(items: Sequence[AttributionAgreement]) -> dict[str, Any]:
    compared = sum(x.compared for x in items)
    agree = sum(x.agree for x in items)
    return {
        "matched_quotes": sum(x.matched_quotes for x in items),
        "compared": compared,
        "agree": agree,
        "rate": agree / compared if compared else None,
        "pairs": [x.to_json() for x in items],
    }


def _json_id(doc_id: Hashable) -> Any:
    return doc_id if isinstance(doc_id, int | str) else str(doc_id)


@dataclass
class AgreementReport:
    annotators: list[str]
    layers: list[str]
    documents: list[Hashable]
    pairs: list[PairAgreement]
    fleiss_kappa: float | None  # None with fewer than 3 annotators
    krippendorff_alpha: float
    unitizing_alpha: float
    by_layer: dict[str, dict[str, float | None]]
    labels: dict[str, LabelAgreement]
    per_document: list[DocumentAgreement]
    speakers: list[AttributionAgreement]
    kinds: list[AttributionAgreement]
    kind_confusion: dict[tuple[str, str], IntArray]  # (a, b) -> KINDS x KINDS counts
    disagreement_block: _DisagreementBlock = field(repr=False)
    texts: list[str] = field(repr=False)
    # (a, b, layer) -> token confusion matrix over ``vocabulary``; layer "all" pools them
    confusions: dict[tuple[str, str, str], IntArray] = field(repr=False, default_factory=dict)
    vocabulary: list[str] = field(default_factory=list)  # "O" first
    layer_labels: dict[str, list[int]] = field(default_factory=dict)  # vocabulary indices

    _disagreements: list[Disagreement] | None = field(default=None, repr=False, init=False)

    @property
    def disagreements(self) -> list[Disagreement]:
        """Every range the annotators differ on, by document and position.

        Built on first use: on a big corpus these are ~10^5 Python objects, which cost
        more than all the figures together and are not needed for them.
        """
        if self._disagreements is None:
            self._disagreements = self.disagreement_block.rows(
                self.documents, self.texts, self.annotators, self.vocabulary
            )
        return self._disagreements

    @property
    def disagreement_count(self) -> int:
        return len(self.disagreement_block.doc)

    def confusion(self, a: str, b: str, layer: str | None = None) -> tuple[list[str], IntArray]:
        """Token-level label confusion of ``a`` (rows) against ``b`` (columns).

        ``layer=None`` pools the report's layers; labels are ``"O"`` and the layer's labels.
        """
        lay = "all" if layer is None else layer
        if (a, b, lay) in self.confusions:
            m = self.confusions[(a, b, lay)]
        elif (b, a, lay) in self.confusions:
            m = self.confusions[(b, a, lay)].T
        else:
            raise KeyError(f"[E211] No confusion matrix for {a!r} x {b!r} in layer {lay!r}.")
        keep = [0, *(self.layer_labels[lay] if lay != "all" else range(1, len(self.vocabulary)))]
        return [self.vocabulary[i] for i in keep], m[np.ix_(keep, keep)]

    def documents_by_disagreement(self) -> list[DocumentAgreement]:
        """Documents, most disagreement first (lowest overlap F1, then exact F1, then kappa)."""

        def key(d: DocumentAgreement) -> tuple[float, float, float, int]:
            kappa = 1.0 if math.isnan(d.cohen_kappa) else d.cohen_kappa
            return (d.f1_overlap, d.f1_exact, kappa, -d.disagreements)

        return sorted(self.per_document, key=key)

    def to_json(self) -> dict[str, Any]:
        return {
            "documents": len(self.documents),
            "annotators": self.annotators,
            "layers": self.by_layer,
            "pairs": [p.to_json() for p in self.pairs],
            "fleiss_kappa": _num(self.fleiss_kappa),
            "krippendorff_alpha": _num(self.krippendorff_alpha),
            "unitizing_alpha": _num(self.unitizing_alpha),
            "labels": {name: lab.to_json() for name, lab in self.labels.items()},
            "per_document": [d.to_json() for d in self.per_document],
            "speakers": _pooled(self.speakers),
            "kinds": {
                **_pooled(self.kinds),
                "labels": KINDS,
                "confusion": {f"{a}|{b}": m.tolist() for (a, b), m in self.kind_confusion.items()},
            },
            "disagreements": self.disagreement_count,
        }

    def write_disagreements_csv(self, path: str | Path) -> None:
        with open(path, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["document", "start", "end", "text", "reason", *self.annotators])
            for d in self.disagreements:
                w.writerow(
                    [d.doc_id, d.start, d.end, d.text, d.reason]
                    + [d.labels.get(a) or "" for a in self.annotators]
                )


# --------------------------------------------------------------------------- building blocks


@dataclass
class _Corpus:
    doc_ids: list[Hashable]
    offsets: IntArray  # doc i occupies [offsets[i], offsets[i + 1])
    tok_start: IntArray  # corpus offsets; a token belongs to the span it starts in
    texts: list[str]

    @property
    def length(self) -> int:
        return int(self.offsets[-1])


def _build_corpus(
    doc_ids: list[Hashable], tokens: Mapping[Hashable, Any], texts: Mapping[Hashable, str]
) -> _Corpus:
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
    return _Corpus(doc_ids, offsets, tok_start, doc_texts)


_TOKEN_START = attrgetter("start")


@dataclass
class _Spans:
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

    def take(self, idx: IntArray | npt.NDArray[np.bool_]) -> _Spans:
        return _Spans(*(getattr(self, f)[idx] for f in _SPAN_FIELDS))


_SPAN_FIELDS = (
    "doc",
    "start",
    "end",
    "label",
    "kind",
    "spk_start",
    "spk_end",
    "key_start",
    "key_end",
)


@dataclass
class _Raw:
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


def _read_annotator(
    by_doc: Mapping[Hashable, Annotation], doc_ids: list[Hashable], layers: Sequence[str]
) -> _Raw:
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
    return _Raw(doc, start, end, layer, label, kind, list(names), rels)


_START, _END, _LABEL, _LAYER, _KIND = (
    attrgetter(f) for f in ("start", "end", "label", "layer", "kind")
)


def _layer_spans(raw: _Raw, layer_index: int, to_vocab: IntArray, corpus: _Corpus) -> _Spans:
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
    return _Spans(
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


def _match(a: _Spans, b: _Spans) -> tuple[IntArray, IntArray, IntArray, IntArray]:
    """``(exact a, exact b, overlap a, overlap b)`` index pairs, one-to-one.

    Overlap matching is greedy by largest overlap, ties by boundary distance and then
    position (as ``spans.align_spans``). An edge whose two spans meet nothing else is
    taken whatever the order, so only the contested edges go through the Python loop.
    """
    ai, bj = overlapping_pairs(a.key_start, a.key_end, b.key_start, b.key_end)
    same = (a.start[ai] == b.start[bj]) & (a.end[ai] == b.end[bj])
    ex_a, ex_b = ai[same], bj[same]
    if len(ai) == 0:
        return ex_a, ex_b, ai, bj
    deg_a = np.bincount(ai, minlength=len(a.start))
    deg_b = np.bincount(bj, minlength=len(b.start))
    lone = (deg_a[ai] == 1) & (deg_b[bj] == 1)
    take_a = [ai[lone]]
    take_b = [bj[lone]]
    ci, cj = ai[~lone], bj[~lone]
    if len(ci):
        ov = np.minimum(a.end[ci], b.end[cj]) - np.maximum(a.start[ci], b.start[cj])
        dist = np.abs(a.start[ci] - b.start[cj]) + np.abs(a.end[ci] - b.end[cj])
        order = np.lexsort((b.end[cj], b.start[cj], a.end[ci], a.start[ci], dist, -ov))
        used_a: set[int] = set()
        used_b: set[int] = set()
        pa: list[int] = []
        pb: list[int] = []
        for i, j in zip(ci[order].tolist(), cj[order].tolist(), strict=True):
            if i not in used_a and j not in used_b:
                used_a.add(i)
                used_b.add(j)
                pa.append(i)
                pb.append(j)
        take_a.append(np.array(pa, dtype=np.int64))
        take_b.append(np.array(pb, dtype=np.int64))
    return ex_a, ex_b, np.concatenate(take_a), np.concatenate(take_b)


def _prf_by(
    key_a: IntArray, key_b: IntArray, key_tp: IntArray, size: int
) -> tuple[IntArray, IntArray, IntArray]:
    """Per-key (tp, fp, fn) with ``a`` as reference."""
    tp = np.bincount(key_tp, minlength=size)
    fn = np.bincount(key_a, minlength=size) - tp
    fp = np.bincount(key_b, minlength=size) - tp
    return tp, fp, fn


def _clusters(
    tables: Sequence[_Spans], by_label: bool
) -> tuple[IntArray, IntArray, IntArray, IntArray, IntArray, IntArray]:
    """All annotators' spans grouped into runs of overlapping spans.

    Returns ``(cluster, annotator, doc, start, end, label)`` sorted by position.
    ``by_label`` keeps labels apart (quotes: a SPEAKER inside a QUOTE is not a rival).
    """
    ann = np.concatenate([np.full(len(t.start), i, dtype=np.int64) for i, t in enumerate(tables)])
    doc = np.concatenate([t.doc for t in tables])
    start = np.concatenate([t.start for t in tables])
    end = np.concatenate([t.end for t in tables])
    label = np.concatenate([t.label for t in tables])
    ks = np.concatenate([t.key_start if by_label else t.start for t in tables])
    ke = np.concatenate([t.key_end if by_label else t.end for t in tables])
    order = np.lexsort((ann, end, ks))
    ann, doc, start, end, label, ks, ke = (x[order] for x in (ann, doc, start, end, label, ks, ke))
    new = np.ones(len(ks), dtype=bool)
    if len(ks) > 1:
        new[1:] = ks[1:] >= np.maximum.accumulate(ke)[:-1]
    cluster = np.cumsum(new) - 1
    return cluster, ann, doc, start, end, label


@dataclass
class _DisagreementBlock:
    """Disagreement rows as arrays; turned into ``Disagreement`` tuples only when read."""

    doc: IntArray
    start: IntArray  # document offsets
    end: IntArray
    labels: IntArray  # rows x annotators, vocabulary code or -1
    reason: IntArray  # index into _REASONS

    @staticmethod
    def concat(blocks: Sequence[_DisagreementBlock], n_ann: int) -> _DisagreementBlock:
        if not blocks:
            e = np.zeros(0, dtype=np.int64)
            return _DisagreementBlock(e, e, e, np.zeros((0, n_ann), dtype=np.int64), e)
        b = _DisagreementBlock(
            *(np.concatenate([getattr(x, f) for x in blocks]) for f in _BLOCK_FIELDS)
        )
        order = np.lexsort((b.end, b.start, b.doc))
        return _DisagreementBlock(*(getattr(b, f)[order] for f in _BLOCK_FIELDS))

    def rows(
        self,
        doc_ids: Sequence[Hashable],
        texts: Sequence[str],
        annotators: list[str],
        vocab: list[str],
    ) -> list[Disagreement]:
        names: list[str | None] = [*vocab, None]  # code -1 -> None
        out: list[Disagreement] = []
        for d, s, e, labs, r in zip(
            self.doc.tolist(),
            self.start.tolist(),
            self.end.tolist(),
            self.labels.tolist(),
            self.reason.tolist(),
            strict=True,
        ):
            by_ann = dict(zip(annotators, [names[c] for c in labs], strict=True))
            out.append(Disagreement(doc_ids[d], s, e, texts[d][s:e], by_ann, _REASONS[r]))
        return out


_BLOCK_FIELDS = ("doc", "start", "end", "labels", "reason")
_REASONS = ("label", "boundary", "missing")


def _disagreements(
    tables: Sequence[_Spans], by_label: bool, n_ann: int, corpus: _Corpus
) -> tuple[_DisagreementBlock, IntArray]:
    """Disagreement rows (one per distinct range in a contested cluster) and per-doc counts."""
    per_doc = np.zeros(len(corpus.doc_ids), dtype=np.int64)
    empty = _DisagreementBlock.concat([], n_ann)
    cluster, ann, doc, start, end, label = _clusters(tables, by_label)
    if len(cluster) == 0:
        return empty, per_doc
    n_cl = int(cluster[-1]) + 1
    size = np.bincount(cluster, minlength=n_cl)
    present = np.zeros((n_cl, n_ann), dtype=bool)
    present[cluster, ann] = True

    def spread(x: IntArray) -> npt.NDArray[np.bool_]:
        lo = np.full(n_cl, np.iinfo(np.int64).max)
        hi = np.full(n_cl, np.iinfo(np.int64).min)
        np.minimum.at(lo, cluster, x)
        np.maximum.at(hi, cluster, x)
        return lo != hi

    agreed = (size == n_ann) & present.all(axis=1) & ~spread(start) & ~spread(end) & ~spread(label)
    rows = ~agreed[cluster]
    cluster, ann, doc, start, end, label = (x[rows] for x in (cluster, ann, doc, start, end, label))
    if len(cluster) == 0:
        return empty, per_doc
    # one row per (cluster, start, end); spans are already ordered by start, end within
    order = np.lexsort((ann, end, start, cluster))
    cluster, ann, doc, start, end, label = (
        x[order] for x in (cluster, ann, doc, start, end, label)
    )
    new = np.ones(len(cluster), dtype=bool)
    new[1:] = (cluster[1:] != cluster[:-1]) | (start[1:] != start[:-1]) | (end[1:] != end[:-1])
    group = np.cumsum(new) - 1
    n_g = int(group[-1]) + 1
    labels = np.full((n_g, n_ann), -1, dtype=np.int64)
    labels[group, ann] = label
    g_cluster, g_doc, g_start, g_end = cluster[new], doc[new], start[new], end[new]
    missing = labels < 0
    all_there = ~missing.any(axis=1)
    same_label = all_there & (labels.min(axis=1) == labels.max(axis=1))
    emit = ~same_label
    # someone missing here but present elsewhere in the cluster marked other boundaries
    boundary = (missing & present[g_cluster]).any(axis=1)
    reason_code = np.where(all_there, 0, np.where(boundary, 1, 2))
    np.add.at(per_doc, g_doc[emit], 1)
    off = corpus.offsets[g_doc[emit]]
    block = _DisagreementBlock(
        g_doc[emit], g_start[emit] - off, g_end[emit] - off, labels[emit], reason_code[emit]
    )
    return block, per_doc


def _fleiss_stats(
    codes: IntArray, weight: FloatArray, n_values: int
) -> tuple[float, float, FloatArray]:
    """Sufficient statistics of Fleiss' kappa over weighted items (weight = tokens)."""
    n = codes.shape[1]
    agree = 0.0
    for i in range(n):
        for j in range(i + 1, n):
            agree += float(weight[codes[:, i] == codes[:, j]].sum())
    per_category = sum(
        np.bincount(codes[:, i], weights=weight, minlength=n_values) for i in range(n)
    )
    return float(weight.sum()), agree, np.asarray(per_category, dtype=np.float64)


def _fleiss_from_stats(n_items: float, n: int, agree: float, per_category: FloatArray) -> float:
    if n_items == 0 or n < 2:
        return math.nan
    # sum_j n_ij^2 = n + 2 * (agreeing rater pairs of item i), so P_bar needs only the total
    p_bar = 2.0 * agree / (n_items * n * (n - 1))
    p_j = per_category / (n_items * n)
    pe = float((p_j * p_j).sum())
    return math.nan if pe >= 1.0 else (p_bar - pe) / (1.0 - pe)


def _mean(xs: Sequence[float]) -> float:
    vals = [x for x in xs if not math.isnan(x)]
    return sum(vals) / len(vals) if vals else math.nan


def _segments(tables: Sequence[_Spans], corpus: _Corpus) -> tuple[IntArray, FloatArray, IntArray]:
    """Elementary segments of a layer: boundaries, tokens per segment, document per segment.

    Between two consecutive span boundaries (of any annotator) every token has the same
    label for each annotator, so token-level statistics only need one unit per segment
    weighted by its token count: ~10x fewer units than tokens.
    """
    bounds = np.sort(
        np.concatenate([corpus.offsets, *(t.start for t in tables), *(t.end for t in tables)])
    )
    # sort + mask: np.unique's hash path is several times slower on ~10^6 int64
    bounds = bounds[np.concatenate([[True], bounds[1:] != bounds[:-1]])]
    tok_at = np.searchsorted(corpus.tok_start, bounds, side="left")
    weight = np.diff(tok_at).astype(np.float64)
    seg_doc = np.searchsorted(corpus.offsets, bounds[:-1], side="right") - 1
    return bounds, weight, seg_doc


# --------------------------------------------------------------------------- the report


def agreement(
    annotations: Mapping[str, Mapping[Hashable, Annotation]],
    tokens: Mapping[Hashable, Sequence[Token] | npt.NDArray[np.integer[Any]]],
    texts: Mapping[Hashable, str],
    *,
    layer: str | None = None,
) -> AgreementReport:
    """Agreement of two or more annotators over the documents they all have.

    ``annotations[annotator][doc_id]``; ``tokens[doc_id]`` is the document's tokens, or an
    ``(n, 2)`` integer array of their offsets (faster for big corpora); ``texts[doc_id]``
    its text. ``layer``: ``"ents"``, ``"quotes"`` or ``None`` for both. The caller
    chooses which annotations count (e.g. only finished ones).
    """
    annotators = list(annotations)
    if len(annotators) < 2:
        raise ValueError(f"[E210] Agreement needs two or more annotators; got {annotators}.")
    if layer is not None and layer not in LAYERS:
        raise ValueError(f"[E212] Unknown layer {layer!r}; use one of {list(LAYERS)} or None.")
    layers = list(LAYERS) if layer is None else [str(layer)]
    first = annotations[annotators[0]]
    doc_ids = [
        d
        for d in first
        if d in tokens and d in texts and all(d in annotations[a] for a in annotators[1:])
    ]
    corpus = _build_corpus(doc_ids, tokens, texts)
    raws = [_read_annotator(annotations[a], doc_ids, layers) for a in annotators]
    n_ann, n_docs = len(annotators), len(doc_ids)
    pair_idx = list(combinations(range(n_ann), 2))

    # vocabulary: "O", then each layer's labels from lowest to highest token precedence
    vocab: list[str] = [OUTSIDE]
    layer_of: list[str] = [""]
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
            codes.append(len(vocab))
            vocab.append(shown)
            layer_of.append(lay)
        layer_codes[lay] = codes
    k = len(vocab)

    per_doc_tp = {m: np.zeros(n_docs, dtype=np.int64) for m in ("exact", "overlap")}
    per_doc_err = {m: np.zeros(n_docs, dtype=np.int64) for m in ("exact", "overlap")}
    per_doc_n = np.zeros(n_docs, dtype=np.float64)
    per_doc_eq_all = np.zeros(n_docs, dtype=np.float64)
    # per pair and document: tokens with equal labels, label counts of a, label counts of b
    per_doc_pair = {
        p: [np.zeros(n_docs), np.zeros(n_docs * k), np.zeros(n_docs * k)] for p in pair_idx
    }
    per_doc_dis = np.zeros(n_docs, dtype=np.int64)

    label_tp = {m: np.zeros((len(pair_idx), k), dtype=np.int64) for m in ("exact", "overlap")}
    label_fp = {m: np.zeros((len(pair_idx), k), dtype=np.int64) for m in ("exact", "overlap")}
    label_fn = {m: np.zeros((len(pair_idx), k), dtype=np.int64) for m in ("exact", "overlap")}
    label_counts = np.zeros((n_ann, k), dtype=np.int64)

    confusions: dict[tuple[str, str, str], IntArray] = {}
    coincidence_by_layer: dict[str, FloatArray] = {}
    fleiss_by_layer: dict[str, tuple[int, float, FloatArray]] = {}
    unit_arrays: dict[str, list[tuple[IntArray, IntArray]]] = {}
    pairs: list[PairAgreement] = []
    speakers = [AttributionAgreement(annotators[i], annotators[j]) for i, j in pair_idx]
    kinds = [AttributionAgreement(annotators[i], annotators[j]) for i, j in pair_idx]
    kind_conf = {
        (annotators[i], annotators[j]): np.zeros((len(KINDS), len(KINDS)), dtype=np.int64)
        for i, j in pair_idx
    }
    dis_blocks: list[_DisagreementBlock] = []
    quote_code = vocab.index("QUOTE") if "QUOTE" in vocab else -1

    for li, lay in enumerate(layers):
        codes_here = layer_codes[lay]
        # local label code of each annotator -> vocabulary code of this layer
        tables: list[_Spans] = []
        for r in raws:
            to_vocab = np.full(max(len(r.names), 1), -1, dtype=np.int64)
            for c, name in enumerate(r.names):
                for vc in codes_here:
                    if vocab[vc] == name or vocab[vc] == f"{name} ({lay})":
                        to_vocab[c] = vc
            tables.append(_layer_spans(r, li, to_vocab, corpus))
        for ai, t in enumerate(tables):
            label_counts[ai] += np.bincount(t.label, minlength=k)

        # token labels, one unit per elementary segment weighted by its tokens; the rank
        # of a label within the layer is its position in codes_here
        bounds, weight, seg_doc = _segments(tables, corpus)
        n_seg = len(weight)
        rank_to_code = np.array([*codes_here, 0], dtype=np.int64)  # rank -1 -> "O"
        code_to_rank = np.full(k, -1, dtype=np.int64)
        code_to_rank[codes_here] = np.arange(len(codes_here))
        seg_codes = np.empty((n_seg, n_ann), dtype=np.int64)
        for ai, t in enumerate(tables):
            lo = np.searchsorted(bounds, t.start)
            hi = np.searchsorted(bounds, t.end)
            seg_codes[:, ai] = rank_to_code[paint_ranges(lo, hi, code_to_rank[t.label], n_seg)]
        all_eq = np.all(seg_codes == seg_codes[:, :1], axis=1)
        per_doc_eq_all += np.bincount(seg_doc, weights=weight * all_eq, minlength=n_docs)
        per_doc_n += np.bincount(seg_doc, weights=weight, minlength=n_docs)
        if n_ann >= 3:
            fleiss_by_layer[lay] = _fleiss_stats(seg_codes, weight, k)
        coincidence = np.zeros((k, k), dtype=np.float64)

        for pi, (i, j) in enumerate(pair_idx):
            a, b = tables[i], tables[j]
            ca, cb = seg_codes[:, i], seg_codes[:, j]
            cm = np.rint(np.bincount(ca * k + cb, weights=weight, minlength=k * k))
            cm = cm.astype(np.int64).reshape(k, k)
            confusions[(annotators[i], annotators[j], lay)] = cm
            # no missing values: every token has n_ann labels, so the coincidence matrix
            # is the symmetrised sum of the pairwise confusions over (m_u - 1)
            coincidence += (cm + cm.T) / (n_ann - 1)
            acc = per_doc_pair[(i, j)]
            acc[0] += np.bincount(seg_doc, weights=weight * (ca == cb), minlength=n_docs)
            acc[1] += np.bincount(seg_doc * k + ca, weights=weight, minlength=n_docs * k)
            acc[2] += np.bincount(seg_doc * k + cb, weights=weight, minlength=n_docs * k)
            if pi == len(pair_idx) - 1:
                coincidence_by_layer[lay] = coincidence

            ex_a, _, ov_a, ov_b = _match(a, b)
            prfs: dict[str, PRF] = {}
            for mode, ma in (("exact", ex_a), ("overlap", ov_a)):
                tp, fp, fn = _prf_by(a.label, b.label, a.label[ma], k)
                label_tp[mode][pi] += tp
                label_fp[mode][pi] += fp
                label_fn[mode][pi] += fn
                prfs[mode] = PRF(int(tp.sum()), int(fp.sum()), int(fn.sum()))
                dtp, dfp, dfn = _prf_by(a.doc, b.doc, a.doc[ma], n_docs)
                per_doc_tp[mode] += dtp
                per_doc_err[mode] += dfp + dfn
            pairs.append(
                PairAgreement(
                    annotators[i],
                    annotators[j],
                    lay,
                    prfs["exact"],
                    prfs["overlap"],
                    kappa_from_confusion(cm),
                )
            )
            if quote_code >= 0:
                q = a.label[ov_a] == quote_code
                qa, qb = ov_a[q], ov_b[q]
                sp = speakers[pi]
                sp.matched_quotes += len(qa)
                has_a, has_b = a.spk_start[qa] >= 0, b.spk_start[qb] >= 0
                sp.compared += int(np.count_nonzero(has_a | has_b))
                sp.agree += int(
                    np.count_nonzero(
                        has_a
                        & has_b
                        & (a.spk_start[qa] < b.spk_end[qb])
                        & (b.spk_start[qb] < a.spk_end[qa])
                    )
                )
                kd = kinds[pi]
                kd.matched_quotes += len(qa)
                ka, kb = a.kind[qa], b.kind[qb]
                both = (ka >= 0) & (kb >= 0)
                kd.compared += int(np.count_nonzero(both))
                kd.agree += int(np.count_nonzero(both & (ka == kb)))
                nk = len(KINDS)
                kind_conf[(annotators[i], annotators[j])] += np.bincount(
                    ka[both] * nk + kb[both], minlength=nk * nk
                ).reshape(nk, nk)

        for code in codes_here:
            per_rater = []
            for t in tables:
                lo, hi = np.searchsorted(t.label, [code, code + 1])
                per_rater.append(merge_units(t.start[lo:hi], t.end[lo:hi]))
            unit_arrays[vocab[code]] = per_rater

        block, dis_doc = _disagreements(tables, lay == "quotes", n_ann, corpus)
        dis_blocks.append(block)
        per_doc_dis += dis_doc

    # ---- overall and per layer figures
    u_alpha = (
        unitizing_alpha_arrays(unit_arrays, begin=0, length=corpus.length)
        if corpus.length > 0
        else None
    )

    def u_alpha_of(names: Sequence[str]) -> float:
        if u_alpha is None:
            return math.nan
        d_o = [
            u_alpha.observed_by_category[n] for n in names if u_alpha.expected_by_category[n] > 0
        ]
        d_e = [
            u_alpha.expected_by_category[n] for n in names if u_alpha.expected_by_category[n] > 0
        ]
        return 1.0 - sum(d_o) / sum(d_e) if d_e else math.nan

    by_layer: dict[str, dict[str, float | None]] = {}
    for lay in layers:
        lay_pairs = [p for p in pairs if p.layer == lay]
        fl = fleiss_by_layer.get(lay)
        by_layer[lay] = {
            "f1_exact": sum((p.exact for p in lay_pairs), PRF()).f,
            "f1_overlap": sum((p.overlap for p in lay_pairs), PRF()).f,
            "cohen_kappa": _num(_mean([p.cohen_kappa for p in lay_pairs])),
            "fleiss_kappa": _num(_fleiss_from_stats(fl[0], n_ann, fl[1], fl[2])) if fl else None,
            "krippendorff_alpha": _num(alpha_from_coincidence(coincidence_by_layer[lay])),
            "unitizing_alpha": _num(u_alpha_of([vocab[c] for c in layer_codes[lay]])),
        }

    if len(layers) > 1:
        for i, j in pair_idx:
            a_name, b_name = annotators[i], annotators[j]
            cm = sum(confusions[(a_name, b_name, lay)] for lay in layers)
            confusions[(a_name, b_name, "all")] = cm
            lay_pairs = [p for p in pairs if p.a == a_name and p.b == b_name]
            pairs.append(
                PairAgreement(
                    a_name,
                    b_name,
                    "all",
                    sum((p.exact for p in lay_pairs), PRF()),
                    sum((p.overlap for p in lay_pairs), PRF()),
                    kappa_from_confusion(cm),
                )
            )
    else:
        for i, j in pair_idx:
            key = (annotators[i], annotators[j])
            confusions[(key[0], key[1], "all")] = confusions[(key[0], key[1], layers[0])]

    fleiss: float | None = None
    if n_ann >= 3:
        stats = list(fleiss_by_layer.values())
        fleiss = _fleiss_from_stats(
            sum(s[0] for s in stats), n_ann, sum(s[1] for s in stats), sum(s[2] for s in stats)
        )
    coincidence_all = sum(coincidence_by_layer.values())
    alpha_all = alpha_from_coincidence(coincidence_all)

    labels: dict[str, LabelAgreement] = {}
    for lay in layers:
        for code in layer_codes[lay]:
            name = vocab[code]
            kappas = [
                kappa_from_confusion(
                    binary_confusion(confusions[(annotators[i], annotators[j], lay)], code)
                )
                for i, j in pair_idx
            ]
            labels[name] = LabelAgreement(
                label=name,
                layer=lay,
                counts={a: int(label_counts[ai, code]) for ai, a in enumerate(annotators)},
                exact=PRF(
                    int(label_tp["exact"][:, code].sum()),
                    int(label_fp["exact"][:, code].sum()),
                    int(label_fn["exact"][:, code].sum()),
                ),
                overlap=PRF(
                    int(label_tp["overlap"][:, code].sum()),
                    int(label_fp["overlap"][:, code].sum()),
                    int(label_fn["overlap"][:, code].sum()),
                ),
                cohen_kappa=_mean(kappas),
                krippendorff_alpha=alpha_from_coincidence(
                    binary_coincidence(coincidence_by_layer[lay], code)
                ),
                unitizing_alpha=u_alpha.categories.get(name, math.nan) if u_alpha else math.nan,
            )

    per_document: list[DocumentAgreement] = []
    kappa_docs = []
    for i, j in pair_idx:
        eq_d, rows, cols = per_doc_pair[(i, j)]
        n_d = per_doc_n  # tokens x layers
        pe_sum = (rows.reshape(n_docs, k) * cols.reshape(n_docs, k)).sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            po = eq_d / n_d
            pe = pe_sum / (n_d * n_d)
            kap = np.where(pe < 1.0, (po - pe) / (1.0 - pe), np.nan)
        kappa_docs.append(kap)
    stacked = np.stack(kappa_docs) if kappa_docs else np.full((1, n_docs), np.nan)
    defined = ~np.isnan(stacked)
    with np.errstate(invalid="ignore", divide="ignore"):
        kappa_mean = np.where(defined, stacked, 0.0).sum(axis=0) / defined.sum(axis=0)
        token_agree = np.where(per_doc_n > 0, per_doc_eq_all / np.maximum(per_doc_n, 1), 1.0)

    def doc_f1(tp: IntArray, err: IntArray) -> FloatArray:
        denom = 2 * tp + err
        return np.where(denom > 0, 2 * tp / np.maximum(denom, 1), 1.0)

    f1e = doc_f1(per_doc_tp["exact"], per_doc_err["exact"])
    f1o = doc_f1(per_doc_tp["overlap"], per_doc_err["overlap"])
    for d in range(n_docs):
        per_document.append(
            DocumentAgreement(
                doc_ids[d],
                float(f1e[d]),
                float(f1o[d]),
                float(kappa_mean[d]),
                float(token_agree[d]),
                int(per_doc_dis[d]),
            )
        )

    return AgreementReport(
        annotators=annotators,
        layers=layers,
        documents=doc_ids,
        pairs=pairs,
        fleiss_kappa=fleiss,
        krippendorff_alpha=alpha_all,
        unitizing_alpha=u_alpha.alpha if u_alpha else math.nan,
        by_layer=by_layer,
        labels=labels,
        per_document=per_document,
        speakers=speakers,
        kinds=kinds,
        kind_confusion=kind_conf,
        disagreement_block=_DisagreementBlock.concat(dis_blocks, n_ann),
        texts=corpus.texts,
        confusions=confusions,
        vocabulary=vocab,
        layer_labels=layer_codes,
    )


__all__ = [
    "KINDS",
    "AgreementReport",
    "AttributionAgreement",
    "Disagreement",
    "DocumentAgreement",
    "LabelAgreement",
    "PairAgreement",
    "agreement",
]
