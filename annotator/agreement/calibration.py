"""What a suggestion's confidence is worth: measured precision per confidence.

A pipeline's score is not a probability (spaCy's ``ner`` gives every entity the same
score; rule weights are guesses). Measured against a reference set (gold, or an
annotator's finished work), each suggested span is right or wrong; sorted by score, an
isotonic fit (pool adjacent violators) turns the scores into the precision measured at
each score, never decreasing as the score rises. That fit is the calibration: applied
to new suggestions, a shown 0.7 means "of such suggestions, 70% were right".

Groups: one per layer and label (``ents:PERSON``, ``quotes:QUOTE``); a label with fewer
than ``min_count`` scored spans falls back to its layer's fit. Entities match exactly
(start, end, label); quote spans match one-to-one by overlap, as ``evaluate`` scores
them (quote boundaries are where annotators differ most).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from annotator.agreement.errors import AgreementError
from annotator.agreement.spans import LAYERS, Mode, align_spans, unique_spans
from annotator.core.model import Annotation, Span

_Doc = TypeVar("_Doc")

DEFAULT_MODES: dict[str, Mode] = {"ents": "exact", "quotes": "overlap"}
MIN_COUNT = 20  # scored spans a label needs for a fit of its own


@dataclass(frozen=True, slots=True)
class Bucket:
    """Scored spans with ``lo <= confidence < hi`` (the last bucket includes 1.0)."""

    lo: float
    hi: float
    count: int
    correct: int
    mean_confidence: float

    @property
    def precision(self) -> float | None:
        return self.correct / self.count if self.count else None


@dataclass(frozen=True, slots=True)
class Step:
    """One block of the isotonic fit: scores up to ``upto`` are worth ``precision``."""

    upto: float
    precision: float
    count: int


@dataclass
class GroupCalibration:
    name: str
    buckets: list[Bucket]
    steps: list[Step]
    count: int
    correct: int
    # Spans the pipeline gave no score (spaCy's ``ner`` gives none): their measured
    # precision is the one figure they can carry.
    unscored_count: int = 0
    unscored_correct: int = 0

    @property
    def unscored_precision(self) -> float | None:
        return self.unscored_correct / self.unscored_count if self.unscored_count else None

    @property
    def ece(self) -> float:
        """Expected calibration error of the raw scores: the count-weighted mean gap
        between a bucket's mean score and its measured precision."""
        if not self.count:
            return 0.0
        gap = sum(
            b.count * abs(b.mean_confidence - (b.precision or 0.0)) for b in self.buckets if b.count
        )
        return gap / self.count

    def precision_at(self, confidence: float) -> float:
        for step in self.steps:
            if confidence <= step.upto:
                return step.precision
        return self.steps[-1].precision if self.steps else 0.0


@dataclass
class Calibration:
    """Per group, the reliability buckets of the raw scores and the fitted mapping."""

    groups: dict[str, GroupCalibration] = field(default_factory=dict)
    unscored: int = 0  # candidate spans without a confidence
    documents: int = 0

    def group_for(self, span: Span) -> GroupCalibration | None:
        layer = str(span.layer)
        return self.groups.get(f"{layer}:{span.label}") or self.groups.get(layer)

    def calibrate(self, span: Span) -> Span:
        """``span`` with its confidence replaced by the precision measured at it (for a
        span without a score, the precision measured for unscored spans of its label)."""
        group = self.group_for(span)
        if group is None:
            return span
        if span.confidence is None:
            measured = group.unscored_precision
        else:
            measured = group.precision_at(span.confidence) if group.steps else None
        return span if measured is None else replace(span, confidence=round(measured, 4))

    def calibrate_all(self, annotation: Annotation) -> Annotation:
        out = annotation.copy()
        out.spans = [self.calibrate(s) for s in annotation.spans]  # keys unchanged
        return out

    def threshold_for(self, group: str, precision: float) -> float | None:
        """The lowest raw score whose fitted precision reaches ``precision``."""
        found = self.groups.get(group)
        if found is None:
            return None
        lower = 0.0
        for step in found.steps:
            if step.precision >= precision:
                return lower
            lower = step.upto
        return None

    # -- stored in the project as JSON ------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "unscored": self.unscored,
            "groups": {
                name: {
                    "count": g.count,
                    "correct": g.correct,
                    "ece": round(g.ece, 4),
                    "buckets": [
                        [b.lo, b.hi, b.count, b.correct, round(b.mean_confidence, 4)]
                        for b in g.buckets
                    ],
                    "steps": [[s.upto, round(s.precision, 4), s.count] for s in g.steps],
                    "unscored": [g.unscored_count, g.unscored_correct],
                }
                for name, g in self.groups.items()
            },
        }

    def dumps(self) -> str:
        return json.dumps(self.to_json(), sort_keys=True)

    @classmethod
    def loads(cls, raw: str) -> Calibration:
        try:
            data = json.loads(raw)
            groups = {
                name: GroupCalibration(
                    name,
                    [Bucket(*b) for b in g["buckets"]],
                    [Step(*s) for s in g["steps"]],
                    int(g["count"]),
                    int(g["correct"]),
                    *(int(v) for v in g.get("unscored", (0, 0))),
                )
                for name, g in data["groups"].items()
            }
        except (ValueError, KeyError, TypeError) as exc:
            raise AgreementError.of("E623", why=str(exc)) from exc
        return cls(groups, int(data.get("unscored", 0)), int(data.get("documents", 0)))


def isotonic_steps(points: list[tuple[float, bool]]) -> list[Step]:
    """Pool adjacent violators over (score, right) sorted by score: blocks of equal
    scores are never split, and each block's precision is at least the one before."""
    equal: list[list[float]] = []  # [score, correct, count], one per distinct score
    for score, right in sorted(points):
        if equal and equal[-1][0] == score:
            equal[-1][1] += right
            equal[-1][2] += 1
        else:
            equal.append([score, float(right), 1.0])
    blocks: list[list[float]] = []  # [upto, correct, count]
    for block in equal:
        blocks.append(block)
        while len(blocks) > 1 and blocks[-2][1] / blocks[-2][2] >= blocks[-1][1] / blocks[-1][2]:
            upto, correct, count = blocks.pop()
            blocks[-1] = [upto, blocks[-1][1] + correct, blocks[-1][2] + count]
    return [Step(upto, correct / count, int(count)) for upto, correct, count in blocks]


def _buckets(points: list[tuple[float, bool]], bins: int) -> list[Bucket]:
    sums: list[list[float]] = [[0, 0, 0.0] for _ in range(bins)]
    for score, right in points:
        k = min(int(score * bins), bins - 1) if score >= 0 else 0
        sums[k][0] += 1
        sums[k][1] += right
        sums[k][2] += score
    return [
        Bucket(k / bins, (k + 1) / bins, int(n), int(c), s / n if n else 0.0)
        for k, (n, c, s) in enumerate(sums)
    ]


Points = dict[str, list[tuple[float | None, bool]]]


def scored_points(
    reference: Mapping[_Doc, Annotation],
    candidate: Mapping[_Doc, Annotation],
    modes: Mapping[str, Mode] = DEFAULT_MODES,
) -> tuple[Points, int, int]:
    """Per group, each candidate span's (confidence or None, matched the reference)."""
    points: Points = defaultdict(list)
    unscored = documents = 0
    for doc_id, ref_ann in reference.items():
        cand_ann = candidate.get(doc_id)
        if cand_ann is None:
            continue
        documents += 1
        for layer in LAYERS:
            ref = unique_spans(s for s in ref_ann.spans if s.layer == layer)
            cand = unique_spans(s for s in cand_ann.spans if s.layer == layer)
            matched = {j for _, j in align_spans(ref, cand, modes.get(layer, "exact"))}
            for j, span in enumerate(cand):
                unscored += span.confidence is None
                right = j in matched
                points[layer].append((span.confidence, right))
                points[f"{layer}:{span.label}"].append((span.confidence, right))
    return points, unscored, documents


def calibrate(
    reference: Mapping[_Doc, Annotation],
    candidate: Mapping[_Doc, Annotation],
    *,
    bins: int = 10,
    min_count: int = MIN_COUNT,
    modes: Mapping[str, Mode] = DEFAULT_MODES,
) -> Calibration:
    """The reliability of ``candidate``'s scores against ``reference``, and their fit."""
    if bins < 1:
        raise AgreementError.of("E624", bins=bins)
    points, unscored, documents = scored_points(reference, candidate, modes)
    out = Calibration(unscored=unscored, documents=documents)
    for name in sorted(points):
        found = [(c, right) for c, right in points[name] if c is not None]
        bare = [right for c, right in points[name] if c is None]
        if ":" in name and len(found) < min_count and len(bare) < min_count:
            continue  # too few to trust: the layer's fit answers for this label
        out.groups[name] = GroupCalibration(
            name,
            _buckets(found, bins),
            isotonic_steps(found),
            len(found),
            sum(1 for _, right in found if right),
            len(bare),
            sum(bare),
        )
    return out


def format_calibration(cal: Calibration) -> str:
    """A table per group: raw-score buckets with their measured precision."""
    lines = [f"{cal.documents} documents; {cal.unscored} suggested spans had no score"]
    for name, g in cal.groups.items():
        share = g.correct / g.count if g.count else 0.0
        lines.append(
            f"\n{name}: {g.count} scored spans, precision {share:.2f}, "
            f"calibration error of the raw scores {g.ece:.3f}"
        )
        if g.unscored_count:
            lines.append(
                f"  without a score: {g.unscored_count} spans, precision "
                f"{g.unscored_precision or 0.0:.2f}"
            )
        if not g.count:
            continue
        lines.append("  score        spans  right  precision  mean score")
        for b in g.buckets:
            if b.count:
                lines.append(
                    f"  {b.lo:.1f}-{b.hi:.1f}  {b.count:9d}  {b.correct:5d}  "
                    f"{b.precision or 0.0:9.2f}  {b.mean_confidence:10.2f}"
                )
        fit = ", ".join(f"≤{s.upto:.2f} → {s.precision:.2f}" for s in g.steps)
        lines.append(f"  fitted: {fit}")
    return "\n".join(lines)
