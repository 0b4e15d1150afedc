from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core import Token, ValidationError, decode_tokens, encode_tokens, snap_range
from annotator.core.tokens import token_index_range
from annotator.nlp.tokenize import tokenize

TEXT = "Ryabkov said: “Nothing can be ruled out,” he added.\n\nPutin’s envoy  arrived."


def test_tokens_encoding_round_trips_spacy_tokens() -> None:
    tokens = tokenize(TEXT)
    data = encode_tokens(tokens)
    assert decode_tokens(data, TEXT) == tokens
    assert len(data) < 3 * len(tokens)  # compact: about two bytes a token


def test_tokens_encoding_rejects_unordered_tokens() -> None:
    with pytest.raises(ValidationError, match="E101"):
        encode_tokens([Token(5, 7), Token(3, 4)])


def test_tokens_decode_rejects_unknown_encoding() -> None:
    with pytest.raises(ValidationError, match="E102"):
        decode_tokens(b"\x09\x01", "ab")


def test_snap_expands_to_token_boundaries_and_trims_whitespace() -> None:
    tokens = tokenize(TEXT)
    start = TEXT.index("abkov")
    assert snap_range(tokens, TEXT, start, start + 3) == (0, len("Ryabkov"))
    # leading/trailing whitespace is trimmed before snapping
    s = TEXT.index(" said")
    assert snap_range(tokens, TEXT, s, s + 5) == (s + 1, s + 5)


def test_snap_whitespace_only_range_is_none() -> None:
    tokens = tokenize(TEXT)
    s = TEXT.index("\n\n")
    assert snap_range(tokens, TEXT, s, s + 2) is None
    assert snap_range(tokens, TEXT, 3, 3) is None


def test_snap_outside_text_raises() -> None:
    with pytest.raises(ValidationError, match="outside the text"):
        snap_range(tokenize(TEXT), TEXT, 0, len(TEXT) + 1)


def test_token_index_range_inclusive_end() -> None:
    tokens = tokenize(TEXT)
    assert token_index_range(tokens, 0, 7) == (0, 0)
    assert token_index_range(tokens, 0, 12) == (0, 1)
    assert token_index_range(tokens, 1, 7) is None


words = st.text(alphabet="abcXYZ’'\"“”.,-é😀中", min_size=1, max_size=8)
seps = st.sampled_from([" ", "  ", "\n", "\t", "\r\n", "\u2028", ""])


@st.composite
def texts_and_ranges(draw: st.DrawFn) -> tuple[str, int, int]:
    parts = draw(st.lists(st.tuples(words, seps), min_size=1, max_size=30))
    text = "".join(w + s for w, s in parts)
    a = draw(st.integers(0, len(text)))
    b = draw(st.integers(a, len(text)))
    return text, a, b


@settings(max_examples=300, deadline=None)
@given(texts_and_ranges())
def test_snap_property_aligned_and_covering(case: tuple[str, int, int]) -> None:
    text, a, b = case
    tokens = tokenize(text)
    assert decode_tokens(encode_tokens(tokens), text) == tokens
    snapped = snap_range(tokens, text, a, b)
    trimmed = text[a:b].strip()
    if snapped is None:
        assert not trimmed  # only whitespace, or nothing, was selected
        return
    s, e = snapped
    assert token_index_range(tokens, s, e) is not None  # token-aligned
    assert trimmed and trimmed in text[s:e]  # covers what was selected
    # smallest: shrinking by a token on either side would lose selected characters
    i, j = token_index_range(tokens, s, e)  # type: ignore[misc]
    first, last = tokens[i], tokens[j]
    ts = a + (len(text[a:b]) - len(text[a:b].lstrip()))
    te = b - (len(text[a:b]) - len(text[a:b].rstrip()))
    assert first.start <= ts < first.end or (first.start >= ts and first.start < te)
    assert last.start < te <= last.end or (last.end <= te and last.end > ts)
