"""Synthetic news-like articles for benchmarks (deterministic, no network)."""

from __future__ import annotations

import random
from collections.abc import Iterator

_NAMES = ["Sergei Ryabkov", "Donald Trump", "Vladimir Putin", "Maria Zakharova", "Emmanuel Macron"]
_PLACES = ["Moscow", "Washington", "Kyiv", "Beijing", "Paris", "Berlin", "Ankara"]
_VERBS = ["said", "added", "told reporters", "warned", "insisted"]
_FILLER = (
    "The talks continued for several hours behind closed doors while officials from both "
    "sides declined to comment on the details of the draft agreement"
).split()


def article(rng: random.Random, n_chars: int = 2500) -> str:
    parts: list[str] = []
    size = 0
    while size < n_chars:
        name, place, verb = rng.choice(_NAMES), rng.choice(_PLACES), rng.choice(_VERBS)
        words = " ".join(rng.choice(_FILLER) for _ in range(rng.randint(8, 20)))
        if rng.random() < 0.4:
            sentence = f"“{words.capitalize()} in {place},” {name} {verb}."
        else:
            sentence = f"{name} {verb} that {words} in {place}."
        if rng.random() < 0.2:
            sentence += "\n"
        parts.append(sentence)
        size += len(sentence) + 1
    return " ".join(parts)


def articles(n: int, seed: int = 7) -> Iterator[str]:
    rng = random.Random(seed)
    for i in range(n):
        yield f"Article {i}. " + article(rng)
