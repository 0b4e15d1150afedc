"""Span-level precision, recall and F1 between a reference and a candidate annotation.

Conventions (chosen to match spaCy's ``PRFScore`` and ``Scorer.score_spans``):

- An annotation is a *set* of spans: a span is identified by ``(start, end, label)``
  and duplicates count once, as spaCy's scorer builds sets of ``(label, start, end)``.
- ``p = tp / (tp + fp)``, ``r = tp / (tp + fn)``, ``f = 2pr / (p + r)``, each ``0.0``
  when its denominator is zero. So two *empty* sets score ``p = r = f = 0.0``, not 1.0;
  ``tp + fp + fn == 0`` tells "nothing to compare" apart from "total disagreement".
  (spaCy's ``PRFScore`` gives 0.0 there too; its ``Scorer`` reports ``None``.)
- ``exact``: same start, end and label. ``overlap``: same label and the character ranges
  share at least one character; matching is one-to-one, greedy by largest overlap (ties:
  smaller boundary distance, then position), so no span is counted twice. An exact pair always
  has the largest overlap either of its spans can have, so the overlap matching contains
  the exact matching and overlap scores are never below exact ones.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from annotator.agreement.errors import AgreementError
from annotator.core.model import Annotation, Layer, Span

_Doc = TypeVar("_Doc", bound=Hashable)  # however a caller keys its documents

Mode = Literal["exact", "overlap"]
MODES: tuple[Mode, Mode] = ("exact", "overlap")
LAYERS: tuple[str, str] = (str(Layer.ENTS), str(Layer.QUOTES))
NO_KIND = "none"  # quote_kinds bucket for QUOTE spans that carry no kind


@dataclass
class PRF:
    """Counts of one comparison; precision, recall and F1 derive from them."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def p(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def r(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f(self) -> float:
        p, r = self.p, self.r
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: PRF) -> PRF:
        return PRF(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    def __iadd__(self, other: PRF) -> PRF:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        return self

    def __len__(self) -> int:
        # spaCy's PRFScore convention: an empty score means "nothing was compared"
        return self.tp + self.fp + self.fn

    def to_dict(self) -> dict[str, float | int]:
        return {"p": self.p, "r": self.r, "f": self.f, "tp": self.tp, "fp": self.fp, "fn": self.fn}


def unique_spans(spans: Iterable[Span]) -> list[Span]:
    """First span of each ``(start, end, label)``, in input order."""
    seen: set[tuple[int, int, str]] = set()
    out: list[Span] = []
    for s in spans:
        k = (s.start, s.end, s.label)
        if k not in seen:
            seen.add(k)
            out.append(s)
    return out


def align_spans(
    reference: Sequence[Span], candidate: Sequence[Span], mode: Mode
) -> list[tuple[int, int]]:
    """One-to-one matched ``(reference index, candidate index)`` pairs.

    Indices point into the given sequences; the caller should pass
    :func:`unique_spans` output when duplicates are possible, else a duplicate stays
    unmatched and counts as an error.
    """
    if mode == "exact":
        where: dict[tuple[int, int, str], int] = {}
        for i, s in enumerate(reference):
            where.setdefault((s.start, s.end, s.label), i)
        pairs: list[tuple[int, int]] = []
        for j, s in enumerate(candidate):
            i = where.pop((s.start, s.end, s.label), -1)
            if i >= 0:
                pairs.append((i, j))
        return pairs
    if mode != "overlap":
        raise AgreementError.of("E601", mode=mode)
    by_label: dict[str, list[int]] = defaultdict(list)
    for j, s in enumerate(candidate):
        by_label[s.label].append(j)
    # (-overlap, distance, reference start, end, candidate start, end, i, j)
    edges: list[tuple[int, int, int, int, int, int, int, int]] = []
    for i, r in enumerate(reference):
        for j in by_label.get(r.label, ()):
            c = candidate[j]
            ov = min(r.end, c.end) - max(r.start, c.start)
            if ov > 0:
                dist = abs(r.start - c.start) + abs(r.end - c.end)
                # ties broken by position, not list order, so that the corpus-wide
                # vectorised matcher in report.py picks exactly the same pairs
                edges.append((-ov, dist, r.start, r.end, c.start, c.end, i, j))
    edges.sort()
    used_r: set[int] = set()
    used_c: set[int] = set()
    matched: list[tuple[int, int]] = []
    for *_, i, j in edges:
        if i not in used_r and j not in used_c:
            used_r.add(i)
            used_c.add(j)
            matched.append((i, j))
    matched.sort()
    return matched


def match_spans(reference: Sequence[Span], candidate: Sequence[Span], mode: Mode) -> PRF:
    """P/R/F counts of ``candidate`` against ``reference`` (see the module notes)."""
    ref = unique_spans(reference)
    cand = unique_spans(candidate)
    tp = len(align_spans(ref, cand, mode))
    return PRF(tp, len(cand) - tp, len(ref) - tp)


def _count_by_label(
    ref: Sequence[Span],
    cand: Sequence[Span],
    pairs: Sequence[tuple[int, int]],
    label_of: Any,
    into: dict[str, PRF],
) -> None:
    for s in ref:
        into[label_of(s)].fn += 1
    for s in cand:
        into[label_of(s)].fp += 1
    for i, _ in pairs:
        prf = into[label_of(ref[i])]
        prf.tp += 1
        prf.fp -= 1
        prf.fn -= 1


def _defaultprf() -> defaultdict[str, PRF]:
    return defaultdict(PRF)


@dataclass
class Evaluation:
    """Result of :func:`evaluate`: counts per layer, label and quote kind."""

    documents: int = 0
    layers: dict[str, dict[str, PRF]] = field(
        default_factory=lambda: {layer: {m: PRF() for m in MODES} for layer in LAYERS}
    )
    labels: dict[str, dict[str, PRF]] = field(default_factory=dict)
    quote_kinds: dict[str, dict[str, PRF]] = field(default_factory=dict)
    speaker_total: int = 0  # matched quote pairs whose reference quote has a speaker
    speaker_correct: int = 0
    kind_total: int = 0  # matched quote pairs whose reference quote has a kind
    kind_correct: int = 0

    @property
    def speaker_accuracy(self) -> float | None:
        return self.speaker_correct / self.speaker_total if self.speaker_total else None

    @property
    def kind_accuracy(self) -> float | None:
        return self.kind_correct / self.kind_total if self.kind_total else None

    def to_json(self) -> dict[str, Any]:
        def modes(d: Mapping[str, PRF]) -> dict[str, Any]:
            return {m: d[m].to_dict() for m in MODES}

        return {
            "documents": self.documents,
            "layers": {layer: modes(d) for layer, d in self.layers.items()},
            "labels": {label: modes(self.labels[label]) for label in sorted(self.labels)},
            "speaker_accuracy": self.speaker_accuracy,
            "kind_accuracy": self.kind_accuracy,
            "quote_kinds": {k: modes(self.quote_kinds[k]) for k in sorted(self.quote_kinds)},
        }

    def format_table(self) -> str:
        """Fixed-width text table for a terminal."""
        rows: list[tuple[str, dict[str, PRF]]] = []
        rows += [(f"[{layer}]", d) for layer, d in self.layers.items()]
        rows += [(label, self.labels[label]) for label in sorted(self.labels)]
        rows += [(f"QUOTE:{k}", self.quote_kinds[k]) for k in sorted(self.quote_kinds)]
        width = max([len(name) for name, _ in rows] + [5])
        head = (
            f"{'':{width}}  {'exact':^23}  {'overlap':^23}  {'ref':>6}  {'cand':>6}\n"
            f"{'label':{width}}  {'P':>7}{'R':>8}{'F':>8}  {'P':>7}{'R':>8}{'F':>8}"
            f"  {'n':>6}  {'n':>6}"
        )
        lines = [head, "-" * len(head.splitlines()[1])]
        for name, d in rows:
            e, o = d["exact"], d["overlap"]
            lines.append(
                f"{name:{width}}  {e.p:7.3f} {e.r:7.3f} {e.f:7.3f}"
                f"  {o.p:7.3f} {o.r:7.3f} {o.f:7.3f}  {e.tp + e.fn:6d}  {e.tp + e.fp:6d}"
            )
        sa, ka = self.speaker_accuracy, self.kind_accuracy
        lines.append("")
        lines.append(f"documents: {self.documents}")
        lines.append(
            "speaker accuracy: "
            + ("n/a" if sa is None else f"{sa:.3f} ({self.speaker_correct}/{self.speaker_total})")
        )
        lines.append(
            "kind accuracy:    "
            + ("n/a" if ka is None else f"{ka:.3f} ({self.kind_correct}/{self.kind_total})")
        )
        return "\n".join(lines)


def evaluate(
    reference: Mapping[_Doc, Annotation], candidate: Mapping[_Doc, Annotation]
) -> Evaluation:
    """Score ``candidate`` against ``reference`` over the documents present in both.

    ``speaker_accuracy``: of the QUOTE pairs matched in overlap mode whose reference
    quote has a speaker (``speaker`` relation), the share whose candidate quote has a
    speaker overlapping the reference one. ``kind_accuracy``: of the matched QUOTE pairs
    whose reference quote has a kind, the share with the same kind. Both are ``None``
    when nothing qualifies.
    """
    ev = Evaluation()
    labels: defaultdict[str, dict[str, PRF]] = defaultdict(lambda: {m: PRF() for m in MODES})
    kinds: defaultdict[str, dict[str, PRF]] = defaultdict(lambda: {m: PRF() for m in MODES})
    for doc_id, ref_ann in reference.items():
        cand_ann = candidate.get(doc_id)
        if cand_ann is None:
            continue
        ev.documents += 1
        for layer in LAYERS:
            ref = unique_spans(s for s in ref_ann.spans if s.layer == layer)
            cand = unique_spans(s for s in cand_ann.spans if s.layer == layer)
            for mode in MODES:
                pairs = align_spans(ref, cand, mode)
                per_label: defaultdict[str, PRF] = _defaultprf()
                _count_by_label(ref, cand, pairs, lambda s: s.label, per_label)
                for label, prf in per_label.items():
                    labels[label][mode] += prf
                    ev.layers[layer][mode] += prf
                if layer == Layer.QUOTES and mode == "overlap":
                    _score_attribution(ev, ref_ann, cand_ann, ref, cand, pairs)
            if layer == Layer.QUOTES:
                ref_q = [s for s in ref if s.label == "QUOTE"]
                cand_q = [s for s in cand if s.label == "QUOTE"]
                _score_kinds(ref_q, cand_q, kinds)
    ev.labels = dict(labels)
    ev.quote_kinds = dict(kinds)
    return ev


def kind_name(span: Span) -> str:
    return str(span.kind) if span.kind is not None else NO_KIND


def _score_kinds(
    ref_q: Sequence[Span], cand_q: Sequence[Span], into: defaultdict[str, dict[str, PRF]]
) -> None:
    # Relabel QUOTE spans by kind so matching requires the same kind.
    ref_k = [s.with_(label=kind_name(s)) for s in ref_q]
    cand_k = [s.with_(label=kind_name(s)) for s in cand_q]
    for mode in MODES:
        pairs = align_spans(ref_k, cand_k, mode)
        per_kind: defaultdict[str, PRF] = _defaultprf()
        _count_by_label(ref_k, cand_k, pairs, lambda s: s.label, per_kind)
        for k, prf in per_kind.items():
            into[k][mode] += prf


def _score_attribution(
    ev: Evaluation,
    ref_ann: Annotation,
    cand_ann: Annotation,
    ref: Sequence[Span],
    cand: Sequence[Span],
    pairs: Sequence[tuple[int, int]],
) -> None:
    for i, j in pairs:
        r, c = ref[i], cand[j]
        if r.label != "QUOTE":
            continue
        if r.kind is not None:
            ev.kind_total += 1
            ev.kind_correct += r.kind == c.kind
        r_spk = ref_ann.speaker_of(r.key)
        if r_spk is None:
            continue
        ev.speaker_total += 1
        c_spk = cand_ann.speaker_of(c.key)
        if c_spk is not None and c_spk.start < r_spk.end and r_spk.start < c_spk.end:
            ev.speaker_correct += 1


__all__ = [
    "LAYERS",
    "MODES",
    "PRF",
    "Evaluation",
    "Mode",
    "align_spans",
    "evaluate",
    "match_spans",
    "unique_spans",
]
