"""TokenArray, the compact sequence of tokens, is the list of Token tuples it replaces."""

from __future__ import annotations

import pickle

from hypothesis import given
from hypothesis import strategies as st

from annotator.core import (
    Token,
    TokenArray,
    TokenIndex,
    decode_tokens,
    encode_tokens,
    snap_range,
    split_tokens,
)
from annotator.core.token_array import concat


@st.composite
def texts_and_tokens(draw: st.DrawFn) -> tuple[str, list[Token]]:
    """A text of words, single and double spaces, long gaps, and the tokens the
    project's encoding can hold (non-empty, in order), some followed by one space."""
    pieces = draw(
        st.lists(
            st.tuples(
                st.text(alphabet="ab.é“”", min_size=1, max_size=300),
                st.sampled_from(["", " ", "  ", "\n", " " * 200]),
            ),
            max_size=40,
        )
    )
    text = ""
    tokens: list[Token] = []
    for word, gap in pieces:
        start = len(text)
        text += word
        tokens.append(Token(start, len(text), gap == " "))
        text += gap
    return text, tokens


def _old_decode(data: bytes, text: str) -> list[Token]:
    """The decoding TokenArray replaced (a list of tuples), for comparison."""
    from itertools import accumulate

    from annotator.core.tokens import _varints

    bounds = list(accumulate(_varints(data)))
    if not bounds:
        return []  # (the old code raised on no tokens; the new gives none)
    starts, ends = bounds[0::2], bounds[1::2]
    n = len(text)
    nexts = [*starts[1:], n + 1]
    return [
        Token(s, e, e < n and text[e] == " " and (nx == e + 1 or nx == n + 1))
        for s, e, nx in zip(starts, ends, nexts, strict=True)
    ]


@given(texts_and_tokens())
def test_token_array_is_the_list_of_tuples(case: tuple[str, list[Token]]) -> None:
    _text, tokens = case
    arr = TokenArray.from_tokens(tokens)
    assert arr == tokens and tokens == arr and list(arr) == tokens
    assert len(arr) == len(tokens)
    for i in range(-len(tokens), len(tokens)):
        assert arr[i] == tokens[i] and type(arr[i]) is Token and type(arr[i].ws) is bool
    assert arr[1:-1] == tokens[1:-1] and isinstance(arr[1:-1], TokenArray)
    assert arr[::2] == tokens[::2]
    assert list(reversed(arr)) == tokens[::-1]
    assert pickle.loads(pickle.dumps(arr)) == arr
    if tokens:
        assert tokens[0] in arr and arr.index(tokens[-1]) == tokens.index(tokens[-1])
        assert arr != tokens[:-1] and arr != [*tokens[:-1], Token(-1, -1, False)]


@given(texts_and_tokens())
def test_stored_tokens_decode_to_the_same_tokens_as_before(case: tuple[str, list[Token]]) -> None:
    text, tokens = case
    data = encode_tokens(tokens)
    assert encode_tokens(TokenArray.from_tokens(tokens)) == data  # straight from the arrays
    decoded = decode_tokens(data, text)
    assert isinstance(decoded, TokenArray)
    assert decoded == _old_decode(data, text)
    assert decode_tokens(data, "") == _old_decode(data, "")  # offsets only


@given(texts_and_tokens(), st.lists(st.integers(min_value=-5, max_value=3000), max_size=20))
def test_split_and_snap_are_the_same_on_the_array(
    case: tuple[str, list[Token]], cuts: list[int]
) -> None:
    text, tokens = case
    arr = TokenArray.from_tokens(tokens)
    split_list, n_list = split_tokens(tokens, cuts)
    split_arr, n_arr = split_tokens(arr, cuts)
    assert isinstance(split_arr, TokenArray)
    assert (split_arr, n_arr) == (split_list, n_list)
    a, b = TokenIndex(tokens), TokenIndex(arr)
    for c in cuts:
        lo, hi = sorted((max(0, min(c, len(text))), max(0, min(c + 7, len(text)))))
        assert snap_range(a, text, lo, hi) == snap_range(b, text, lo, hi)
        assert a.index_range(lo, hi) == b.index_range(lo, hi)


def test_offsets_past_two_gigabytes_take_eight_byte_columns() -> None:
    big = [Token(2**31 + 5, 2**31 + 9, True), Token(2**31 + 10, 2**31 + 12, False)]
    arr = TokenArray.from_tokens(big)
    assert arr.starts.typecode == "q" and arr == big
    small = TokenArray.from_tokens([Token(0, 3, False)])
    joined = concat([small, arr])
    assert joined == [Token(0, 3, False), *big] and joined.starts.typecode == "q"
    assert small.shifted(2**32) == [Token(2**32, 2**32 + 3, False)]


def test_token_array_costs_nine_bytes_a_token() -> None:
    tokens = [Token(i * 10, i * 10 + 5, True) for i in range(100_000)]
    assert TokenArray.from_tokens(tokens).nbytes() == 9 * 100_000
