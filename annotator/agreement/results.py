"""What the agreement report holds: figures per pair, label, document and attribution.

Undefined coefficients (``nan``) are ``None`` in ``to_json()``.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from annotator.agreement.disagreements import Disagreement, DisagreementBlock
from annotator.agreement.errors import NoSuchConfusionError
from annotator.agreement.spans import PRF
from annotator.agreement.units import KINDS, IntArray


def json_number(x: float | None) -> float | None:
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
            "cohen_kappa": json_number(self.cohen_kappa),
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
            "cohen_kappa": json_number(self.cohen_kappa),
            "krippendorff_alpha": json_number(self.krippendorff_alpha),
            "unitizing_alpha": json_number(self.unitizing_alpha),
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
            "cohen_kappa": json_number(self.cohen_kappa),
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
    disagreement_block: DisagreementBlock = field(repr=False)
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
            raise NoSuchConfusionError.of("E621", a=a, b=b, layer=lay)
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
            "fleiss_kappa": json_number(self.fleiss_kappa),
            "krippendorff_alpha": json_number(self.krippendorff_alpha),
            "unitizing_alpha": json_number(self.unitizing_alpha),
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


__all__ = [
    "AgreementReport",
    "AttributionAgreement",
    "DocumentAgreement",
    "LabelAgreement",
    "PairAgreement",
    "json_number",
]
