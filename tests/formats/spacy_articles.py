"""Short news articles written for these tests, with entities, quotes, kinds and relations.

Each sentence is written with its labels inline, ``[text|LABEL]``; a quote's own marker
``{text|kind}`` makes a QUOTE of that kind whose speaker and cue are the sentence's
SPEAKER and CUE. ``article_records`` turns the marked sentences into the project's JSONL
(character offsets), so a test imports them through the real ``annotator import``.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path
from typing import Any

# A sentence: [words|LABEL] for an entity (PERSON, ORG, GPE, DATE) or a SPEAKER / CUE,
# {words|kind} for the QUOTE. Words with two labels nest: [[Ana Reyes|PERSON]|SPEAKER].
_SENTENCES = [
    '{"The harbour will reopen on [Monday|DATE],"|direct} [[Ana Reyes|PERSON]|SPEAKER] [said|CUE].',
    "[[Tomas Varga|PERSON]|SPEAKER] [said|CUE] {the council had approved the new budget|indirect}.",
    "[The mayor|SPEAKER] [told|CUE] reporters {the bridge in [Oslo|GPE] was safe|indirect}.",
    '{"We expect more rain,"|direct} [said|CUE] [[Lena Holm|PERSON]|SPEAKER] of [Meteo North|ORG].',
    "[[Karim Dahl|PERSON]|SPEAKER] [warned|CUE] that {prices in [Lisbon|GPE] would rise|indirect}.",
    '[A spokesman|SPEAKER] for [Baltic Rail|ORG] [said|CUE] {the line was "fully open"|mixed}.',
    '{"Nobody was hurt,"|direct} [Police|SPEAKER] [said|CUE] on [Tuesday|DATE].',
    "[[Ines Moreau|PERSON]|SPEAKER] [added|CUE] that {the school in [Lyon|GPE] was shut|indirect}.",
    '{"It is a good day for [Porto|GPE],"|direct} [[Rui Campos|PERSON]|SPEAKER] [said|CUE].',
    "[The minister|SPEAKER] [denied|CUE] that {[Nordbank|ORG] had been warned|indirect}.",
]
_FILLER = [
    "Traffic was slow in [Oslo|GPE] all morning.",
    "The report was published by [Meteo North|ORG] on [Friday|DATE].",
    "Shops near the station stayed open late.",
    "[Baltic Rail|ORG] runs six trains a day to [Lisbon|GPE].",
    "Residents of [Lyon|GPE] gathered in the square.",
]
_MARK = re.compile(r"\[|\]|\{|\}|\|")


def _parse(marked: str, offset: int) -> tuple[str, list[dict[str, Any]], list[dict[str, Any]]]:
    """Plain text, spans and relations of one marked sentence starting at ``offset``."""
    out: list[str] = []
    stack: list[tuple[str, int]] = []
    spans: list[dict[str, Any]] = []
    pos = 0
    i = 0
    while i < len(marked):
        ch = marked[i]
        if ch in "[{":
            stack.append((ch, pos))
            i += 1
        elif ch == "|":
            close = "]" if stack[-1][0] == "[" else "}"
            j = marked.index(close, i)
            tag = marked[i + 1 : j]
            opener, start = stack.pop()
            if opener == "{":
                spans.append(
                    {"start": offset + start, "end": offset + pos, "label": "QUOTE", "kind": tag}
                )
            else:
                spans.append({"start": offset + start, "end": offset + pos, "label": tag})
            i = j + 1
        else:
            out.append(ch)
            pos += 1
            i += 1
    text = "".join(out)
    refs = {s["label"]: s for s in spans}
    relations: list[dict[str, Any]] = []
    if "QUOTE" in refs:
        for label, rel in (("SPEAKER", "speaker"), ("CUE", "cue")):
            if label in refs:
                relations.append(
                    {
                        "label": rel,
                        "head_span": _ref(refs["QUOTE"]),
                        "child_span": _ref(refs[label]),
                    }
                )
    return text, spans, relations


def _ref(span: dict[str, Any]) -> dict[str, Any]:
    return {"start": span["start"], "end": span["end"], "label": span["label"]}


def article(n: int, sentences: int = 5, seed: int = 0) -> dict[str, Any]:
    """One JSONL record: a few sentences chosen by ``n`` and ``seed``, spans and relations."""
    rng = random.Random(seed * 1000 + n)
    chosen = [rng.choice(_FILLER if k % 2 else _SENTENCES) for k in range(sentences)]
    text = ""
    spans: list[dict[str, Any]] = []
    relations: list[dict[str, Any]] = []
    for marked in chosen:
        if text:
            text += " "
        plain, s, r = _parse(marked, len(text))
        text += plain
        spans += s
        relations += r
    for s in spans:
        if s["label"] in ("QUOTE", "SPEAKER", "CUE"):
            s["layer"] = "quotes"
    return {
        "text": text,
        "meta": {"id": f"article-{seed}-{n}"},
        "spans": spans,
        "relations": relations,
        "answer": "accept",
    }


def write_articles(path: Path, count: int, seed: int = 0) -> list[dict[str, Any]]:
    records = [article(n, seed=seed) for n in range(count)]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return records


assert not _MARK.search("".join(_parse(s, 0)[0] for s in _SENTENCES + _FILLER))
