"""Label schemes: which labels a project uses, their layer, colour and hotkey."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from annotator.core.model import Layer

QUOTE_LABELS = frozenset({"QUOTE", "SPEAKER", "CUE"})


def default_layer(label: str) -> Layer:
    return Layer.QUOTES if label in QUOTE_LABELS else Layer.ENTS


@dataclass(frozen=True, slots=True)
class LabelSpec:
    name: str
    layer: Layer
    colour: str
    hotkey: str = ""
    description: str = ""


@dataclass(frozen=True)
class LabelScheme:
    labels: tuple[LabelSpec, ...] = field(default_factory=tuple)

    def names(self, layer: Layer | None = None) -> list[str]:
        return [spec.name for spec in self.labels if layer is None or spec.layer == layer]

    def get(self, name: str) -> LabelSpec | None:
        for spec in self.labels:
            if spec.name == name:
                return spec
        return None

    def __contains__(self, name: object) -> bool:
        return any(spec.name == name for spec in self.labels)

    def to_json(self) -> str:
        return json.dumps([asdict(s) for s in self.labels])

    @classmethod
    def from_json(cls, data: str) -> LabelScheme:
        items = json.loads(data)
        return cls(
            tuple(
                LabelSpec(
                    name=i["name"],
                    layer=Layer(i["layer"]),
                    colour=i["colour"],
                    hotkey=i.get("hotkey", ""),
                    description=i.get("description", ""),
                )
                for i in items
            )
        )


# Okabe–Ito and Tol palettes: colour-blind safe, legible on light and dark themes.
_ENTITY_LABELS: tuple[tuple[str, str, str, str], ...] = (
    # name, colour, hotkey, description (OntoNotes, as spaCy's English pipelines use)
    ("PERSON", "#E69F00", "1", "People, including fictional"),
    ("ORG", "#56B4E9", "2", "Companies, agencies, institutions, media outlets"),
    ("GPE", "#009E73", "3", "Countries, cities, states"),
    ("NORP", "#F0E442", "4", "Nationalities, religious or political groups"),
    ("LOC", "#CC79A7", "5", "Non-GPE locations, mountain ranges, bodies of water"),
    ("DATE", "#BBBBBB", "6", "Absolute or relative dates or periods"),
    ("CARDINAL", "#88CCEE", "7", "Numerals that do not fall under another type"),
    ("EVENT", "#D55E00", "8", "Named hurricanes, battles, wars, sports events"),
    ("MONEY", "#44AA99", "9", "Monetary values"),
    ("FAC", "#DDCC77", "", "Buildings, airports, highways, bridges"),
    ("PRODUCT", "#AA4499", "", "Objects, vehicles, foods (not services)"),
    ("WORK_OF_ART", "#999933", "", "Titles of books, songs"),
    ("LAW", "#661100", "", "Named documents made into laws"),
    ("LANGUAGE", "#6699CC", "", "Any named language"),
    ("TIME", "#DDDDDD", "", "Times smaller than a day"),
    ("PERCENT", "#A6CEE3", "", "Percentages"),
    ("QUANTITY", "#B2DF8A", "", "Measurements, as of weight or distance"),
    ("ORDINAL", "#FDBF6F", "", "first, second"),
)

DEFAULT_SCHEME = LabelScheme(
    (
        *tuple(LabelSpec(n, Layer.ENTS, c, h, d) for n, c, h, d in _ENTITY_LABELS),
        LabelSpec("QUOTE", Layer.QUOTES, "#0072B2", "q", "What is attributed"),
        LabelSpec("SPEAKER", Layer.QUOTES, "#882255", "s", "Who said it"),
        LabelSpec("CUE", Layer.QUOTES, "#117733", "c", "The reporting verb or phrase"),
    )
)
