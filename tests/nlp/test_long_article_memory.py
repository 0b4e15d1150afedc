"""A long one-paragraph article's tokens and suggestions in bounded memory.

Tokens used to be a list of ``Token`` tuples (about 144 bytes a token, with their
ints); they are a ``TokenArray`` of 9 bytes a token, made, stored, read back and
searched without a tuple per token. Peaks are measured with tracemalloc (Python's
allocations and spaCy's, which go through PyMem)."""

from __future__ import annotations

import sys
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

from annotator.core import TokenArray, TokenIndex, decode_tokens, encode_tokens
from annotator.nlp.pieces import cut_pieces
from annotator.nlp.pipeline import load_suggester
from annotator.nlp.tokenize import tokenize

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
from bench_long_article import long_text  # noqa: E402

T = TypeVar("T")


def _traced(fn: Callable[[], T]) -> tuple[T, int, int]:
    """``fn()``, with the memory it left allocated and its peak, in bytes."""
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        out = fn()
        held, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return out, held - base, peak - base


def test_a_long_articles_tokens_cost_bytes_not_objects() -> None:
    """1 MB in one paragraph, ~180,000 tokens: tokenized in chunks into arrays,
    encoded from them, decoded into arrays, cut into pieces and indexed on them.
    As tuples the tokens alone took over 144 bytes each."""
    text = long_text(1_000_000)
    tokenize("Warm up the tokenizer.")
    tokens, held, peak = _traced(lambda: tokenize(text))
    n = len(tokens)
    assert isinstance(tokens, TokenArray) and n > 150_000
    assert held < 12 * n, held / n  # 9 bytes a token (and the arrays' spare room)
    assert peak < 16 * n + 4_000_000, peak / n  # plus one chunk's Doc at a time
    data, _, peak = _traced(lambda: encode_tokens(tokens))
    assert peak < 8 * n, peak / n  # the bytes (2 a token) and the buffer they are made in
    decoded, held, peak = _traced(lambda: decode_tokens(data, text))
    assert decoded == tokens
    assert held < 12 * n and peak < 24 * n, (held / n, peak / n)
    _, _, peak = _traced(lambda: (cut_pieces(text, decoded), TokenIndex(decoded)))
    assert peak < 2 * n + 1_000_000, peak / n  # the columns are searched as they are


def test_suggestions_are_the_same_from_a_list_of_tokens_and_from_the_array() -> None:
    """The stitched suggestions of a text cut in pieces do not depend on how its
    tokens are held."""
    text = long_text(60_000)
    tokens = tokenize(text)
    rules = load_suggester("rules")
    from_array = rules.suggest(text, tokens)
    from_list = rules.suggest(text, list(tokens))
    assert len(cut_pieces(text, tokens)) > 3 and from_array.spans
    assert from_array.spans == from_list.spans
    assert from_array.relations == from_list.relations
    assert from_array.referents == from_list.referents


@pytest.mark.slow
def test_suggest_a_long_article_in_memory_bounded_by_its_suggestions() -> None:
    """300,000 characters in one paragraph through the rule pipeline: what stays is
    the tokens (9 bytes each) and the suggestions; the old tuples and the findings
    of every piece held to the end took over 40 bytes a character at peak."""
    text = long_text(300_000)
    rules = load_suggester("rules")
    warm = "“We will see,” Anna Petrova said."
    rules.suggest(warm, tokenize(warm))

    def run() -> int:
        return len(rules.suggest(text, tokenize(text)).spans)

    spans, held, peak = _traced(run)
    assert spans > 5_000
    assert held < 16 * len(text), held / len(text)
    assert peak < 30 * len(text), peak / len(text)
