"""Small labelled articles for the round trips, written for this project (CC0, invented).

Each article is its text and its labels named by the words they cover, so the data reads
as prose; :func:`records` turns them into our JSONL records with character offsets.
Together they hold every kind of label the round trips must carry: entities (ents
layer), QUOTE / SPEAKER / CUE that overlap entities (quotes layer), all three quote
kinds, and speaker and cue relations.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Label:
    words: str
    label: str
    kind: str | None = None
    nth: int = 0  # which occurrence of ``words`` (0 = the first)


@dataclass(frozen=True)
class Article:
    text: str
    labels: list[Label]
    # (quote words, "speaker" | "cue", the other span's words); first occurrences
    relations: list[tuple[str, str, str]] = field(default_factory=list)


ARTICLES = [
    Article(
        text=(
            "Ferry crews in Valtmouth vote to strike\n"
            "VALTMOUTH – Ferry crews at Northbay Lines voted on Tuesday to stop work next week. "
            '"We carry the whole island and nobody pays us for it," said Ines Marlow, '
            "who chairs the crews' union. Northbay Lines said it regretted the vote. "
            "Its director, Tomas Reed, told the Valtmouth Courier that the company "
            'would "keep talking for as long as it takes".'
        ),
        labels=[
            Label("Valtmouth", "GPE"),
            Label("VALTMOUTH", "GPE"),
            Label("Northbay Lines", "ORG"),
            Label("Tuesday", "DATE"),
            Label('"We carry the whole island and nobody pays us for it,"', "QUOTE", "direct"),
            Label("said", "CUE"),
            Label("Ines Marlow", "SPEAKER"),
            Label("Ines Marlow", "PERSON"),
            Label("Northbay Lines", "ORG", nth=1),
            Label("Tomas Reed", "PERSON"),
            Label("Its director, Tomas Reed", "SPEAKER"),
            Label("told", "CUE"),
            Label("Valtmouth Courier", "ORG"),
            Label(
                'that the company would "keep talking for as long as it takes"',
                "QUOTE",
                "mixed",
            ),
        ],
        relations=[
            ('"We carry the whole island and nobody pays us for it,"', "speaker", "Ines Marlow"),
            ('"We carry the whole island and nobody pays us for it,"', "cue", "said"),
            (
                'that the company would "keep talking for as long as it takes"',
                "speaker",
                "Its director, Tomas Reed",
            ),
            ('that the company would "keep talking for as long as it takes"', "cue", "told"),
        ],
    ),
    Article(
        text=(
            "Orchard growers fear a second dry summer\n"
            "Growers around Kessington say the apple harvest could fall by half. "
            "Hanna Oyelaran, who farms 40 hectares near the river, warned that "
            "the wells on her land were lower than she had ever seen them. "
            "The Kessington Growers Guild said it would ask the county for help in March. "
            "“Water is the only thing we cannot buy more of,” Oyelaran said."
        ),
        labels=[
            Label("Kessington", "GPE"),
            Label("Hanna Oyelaran", "PERSON"),
            Label("Hanna Oyelaran, who farms 40 hectares near the river", "SPEAKER"),
            Label("40 hectares", "QUANTITY"),
            Label("warned", "CUE"),
            Label(
                "that the wells on her land were lower than she had ever seen them",
                "QUOTE",
                "indirect",
            ),
            Label("The Kessington Growers Guild", "ORG"),
            Label("The Kessington Growers Guild", "SPEAKER"),
            Label("said", "CUE"),
            Label("it would ask the county for help in March", "QUOTE", "indirect"),
            Label("March", "DATE"),
            Label("“Water is the only thing we cannot buy more of,”", "QUOTE", "direct"),
            Label("Oyelaran", "SPEAKER", nth=1),
            Label("Oyelaran", "PERSON", nth=1),
            Label("said", "CUE", nth=1),
        ],
        relations=[
            (
                "that the wells on her land were lower than she had ever seen them",
                "speaker",
                "Hanna Oyelaran, who farms 40 hectares near the river",
            ),
            ("that the wells on her land were lower than she had ever seen them", "cue", "warned"),
            (
                "it would ask the county for help in March",
                "speaker",
                "The Kessington Growers Guild",
            ),
            ("it would ask the county for help in March", "cue", "said"),
        ],
    ),
    Article(
        text=(
            "Museum reopens its glass hall\n"
            "The Harlow Museum of Science reopened its glass hall on Saturday after "
            "three years of repairs. Curator Piet Vandersloot said the roof had "
            '"simply outlived the people who built it". Visitors from Brenna and Oslo '
            "queued from early morning."
        ),
        labels=[
            Label("The Harlow Museum of Science", "ORG"),
            Label("Saturday", "DATE"),
            Label("three years", "DATE"),
            Label("Piet Vandersloot", "PERSON"),
            Label("Curator Piet Vandersloot", "SPEAKER"),
            Label("said", "CUE"),
            Label('the roof had "simply outlived the people who built it"', "QUOTE", "mixed"),
            Label("Brenna", "GPE"),
            Label("Oslo", "GPE"),
        ],
        relations=[
            (
                'the roof had "simply outlived the people who built it"',
                "speaker",
                "Curator Piet Vandersloot",
            ),
            ('the roof had "simply outlived the people who built it"', "cue", "said"),
        ],
    ),
]

LAYER = {"QUOTE": "quotes", "SPEAKER": "quotes", "CUE": "quotes"}


def _find(text: str, words: str, nth: int) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(words, start + 1)
    return start, start + len(words)


def record(article: Article, annotator: str = "gold") -> dict[str, Any]:
    spans: list[dict[str, Any]] = []
    for lab in article.labels:
        start, end = _find(article.text, lab.words, lab.nth)
        span: dict[str, Any] = {
            "start": start,
            "end": end,
            "label": lab.label,
            "layer": LAYER.get(lab.label, "ents"),
        }
        if lab.kind:
            span["kind"] = lab.kind
        spans.append(span)
    by_words = {(lab.words, lab.label) for lab in article.labels}
    relations = []
    for quote, rel, other in article.relations:
        other_label = "SPEAKER" if rel == "speaker" else "CUE"
        assert (other, other_label) in by_words, other
        qs, qe = _find(article.text, quote, 0)
        os_, oe = _find(article.text, other, 0)
        relations.append(
            {
                "label": rel,
                "head_span": {"start": qs, "end": qe, "label": "QUOTE"},
                "child_span": {"start": os_, "end": oe, "label": other_label},
            }
        )
    return {
        "text": article.text,
        "meta": {"source": "tests/peers", "license": "CC0-1.0"},
        "spans": spans,
        "relations": relations,
        "answer": "accept",
        "_annotator_id": annotator,
    }


def write(path: Path) -> Path:
    """Our JSONL of these articles and the CC0 articles of tests/data, labelled by gold."""
    cc0 = Path(__file__).resolve().parent.parent / "data" / "articles_cc0.jsonl"
    lines = [json.dumps(record(a), ensure_ascii=False) for a in ARTICLES]
    lines += [line for line in cc0.read_text(encoding="utf-8").splitlines() if line.strip()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
