"""Code-point offsets <-> Qt (UTF-16, \\r\\n folded) positions."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.core.offsets import OffsetMap, utf16_len

TRICKY = [
    "plain ascii text",
    "emoji 😀 here 👍🏽 and family 👨‍👩‍👧 end",
    "CJK 北京 and astral CJK 𠀀𠀁 mixed",
    "combining e\u0301 and n\u0303o",
    "tabs\tand\ttabs",
    "windows\r\nline\r\nbreaks",
    "lone\rreturn and \r\r\n double",
    "line\u2028separator and para\u2029separator",
    "😀\r\n😀",
    "\r\n",
    "",
]


def _qt_model(text: str) -> str:
    """What Qt holds: \\r\\n folded, then UTF-16 units (as surrogate-escaped str chars)."""
    folded = text.replace("\r\n", "\n")
    return folded.encode("utf-16-le", "surrogatepass").decode("latin-1")


def _utf16_slice(text: str, start: int, end: int) -> str:
    raw = text.replace("\r\n", "\n").encode("utf-16-le", "surrogatepass")
    return raw[2 * start : 2 * end].decode("utf-16-le", "surrogatepass")


@pytest.mark.parametrize("text", TRICKY)
def test_offsets_round_trip_every_boundary(text: str) -> None:
    omap = OffsetMap(text)
    assert omap.qt_length == utf16_len(text.replace("\r\n", "\n"))
    for i in range(len(text) + 1):
        q = omap.to_qt(i)
        back = omap.from_qt(q)
        if i > 0 and text[i - 1] == "\r" and text[i : i + 1] == "\n":
            assert back == i - 1  # the \n of a folded pair maps back to its \r
        else:
            assert back == i


@pytest.mark.parametrize("text", TRICKY)
def test_offsets_span_text_is_the_same_on_both_sides(text: str) -> None:
    omap = OffsetMap(text)
    for start in range(len(text) + 1):
        for end in range(start, len(text) + 1):
            qs, qe = omap.range_to_qt(start, end)
            shown = _utf16_slice(text, qs, qe)
            assert shown == text[start:end].replace("\r\n", "\n") or (
                # a range that starts or ends between \r and \n shows the lone half as \n
                "\r" in text[max(0, start - 1) : end + 1]
            )


def test_offsets_display_text_folds_crlf_only() -> None:
    omap = OffsetMap("a\r\nb\rc\u2028d")
    assert omap.display_text == "a\nb\rc\u2028d"
    assert omap.to_qt(3) == 2  # "b"
    assert omap.from_qt(2) == 3


def test_offsets_identity_fast_path() -> None:
    omap = OffsetMap("nothing special here, even é and 北京")
    assert omap.identity
    assert omap.to_qt(10) == 10
    assert omap.display_text is omap.text


def test_offsets_surrogate_half_rounds_down_or_up() -> None:
    omap = OffsetMap("a😀b")
    assert omap.to_qt(1) == 1 and omap.to_qt(2) == 3
    assert omap.from_qt(2) == 1  # inside the emoji: its start
    assert omap.from_qt(2, round_up=True) == 2  # or past it
    assert omap.range_from_qt(2, 2) == (1, 2)


def test_offsets_lone_surrogate_is_replaced_one_for_one() -> None:
    omap = OffsetMap("a\ud800b")
    assert omap.display_text == "a\ufffdb"
    assert omap.to_qt(2) == 2


def test_offsets_selection_reversed_is_normalised() -> None:
    omap = OffsetMap("abc😀def")
    assert omap.range_from_qt(6, 1) == (1, 5)


def test_offsets_out_of_range_raises() -> None:
    with pytest.raises(ValueError):
        OffsetMap("abc").to_qt(4)


_chars = st.sampled_from([*"ab \t\n\r\u2028\u0301é北", "😀", "𠀀", "\r\n"])


@given(st.lists(_chars, max_size=40).map("".join), st.data())
def test_offsets_property_selection_round_trip(text: str, data: st.DataObject) -> None:
    omap = OffsetMap(text)
    units = _qt_model(text)
    assert omap.qt_length == len(units) // 2
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    if text[start - 1 : start + 1] == "\r\n" or text[end - 1 : end + 1] == "\r\n":
        return  # not a boundary Qt can show
    qs, qe = omap.range_to_qt(start, end)
    assert omap.range_from_qt(qs, qe) == (start, end)
    assert _utf16_slice(text, qs, qe) == text[start:end].replace("\r\n", "\n")


def _reference(text: str, gap: bool, cuts: frozenset[int] = frozenset()) -> tuple[list[int], str]:
    """A slow, obviously correct model: Qt position of every code-point offset, and the
    display text (\\r\\n folded; with ``gap``, an empty line after breaks followed by text; a
    display line break before each offset in ``cuts``)."""
    positions: list[int] = []
    display: list[str] = []
    q = 0
    for k, ch in enumerate(text):
        if k in cuts:
            display.append("\n")
            q += 1
        positions.append(q)
        nxt = text[k + 1 : k + 2]
        if ch == "\r" and nxt == "\n":
            continue  # folded into the \n
        display.append(ch)
        q += 2 if ord(ch) > 0xFFFF else 1
        if gap and ch == "\n" and nxt and nxt not in "\r\n":
            display.append("\n")
            q += 1
    positions.append(q)
    return positions, "".join(display)


@pytest.mark.parametrize("gap", [False, True])
@pytest.mark.parametrize("text", [*TRICKY, "para one\npara two\n\nthree\r\nfour 😀\n"])
def test_offsets_match_the_reference_model(text: str, gap: bool) -> None:
    omap = OffsetMap(text, paragraph_gap=gap)
    positions, display = _reference(text, gap)
    assert omap.display_text == display
    assert [omap.to_qt(k) for k in range(len(text) + 1)] == positions
    for k, q in enumerate(positions):
        if not (k > 0 and text[k - 1] == "\r" and text[k : k + 1] == "\n"):
            assert omap.from_qt(q) == k


@given(st.lists(_chars, max_size=40).map("".join), st.booleans())
def test_offsets_property_reference_model(text: str, gap: bool) -> None:
    test_offsets_match_the_reference_model(text, gap)


def test_offsets_paragraph_gap_maps_to_the_next_paragraph() -> None:
    omap = OffsetMap("one\ntwo", paragraph_gap=True)
    assert omap.display_text == "one\n\ntwo"
    assert omap.to_qt(4) == 5  # "t"
    assert omap.range_from_qt(0, 8) == (0, 7)
    assert omap.from_qt(4, round_up=True) == 4  # the empty line: start of "two"
    # a span across the break keeps its exact stored text
    a, b = omap.range_to_qt(0, 7)
    assert omap.display_text[a:b].replace("\n\n", "\n") == "one\ntwo"


def _reference_blocks(text: str, limit: int) -> tuple[list[int], str]:
    """The reference model with display-only line breaks before the offsets that
    ``_block_breaks`` picks."""
    from annotator.core.offsets import _block_breaks

    return _reference(text, True, frozenset(_block_breaks(text, limit)))


def _check_blocks(text: str, limit: int) -> None:
    import annotator.core.offsets as offsets

    saved = offsets.DISPLAY_BLOCK_CHARS
    offsets.DISPLAY_BLOCK_CHARS = limit
    try:
        omap = OffsetMap(text, paragraph_gap=True)
    finally:
        offsets.DISPLAY_BLOCK_CHARS = saved
    positions, display = _reference_blocks(text, limit)
    assert omap.display_text == display
    assert [omap.to_qt(k) for k in range(len(text) + 1)] == positions
    for k, q in enumerate(positions):
        if not (k > 0 and text[k - 1] == "\r" and text[k : k + 1] == "\n"):
            assert omap.from_qt(q) == k
    # no shown line is longer than the limit
    assert max((len(line) for line in display.split("\n")), default=0) <= limit


@pytest.mark.parametrize(
    "text",
    [
        "word " * 50,
        "x" * 57,
        "short\n" + "a long paragraph of words " * 9 + "\nend",
        "emoji😀" * 20,
        "carriage\r" * 12 + "\r\n" + "tail words " * 6,
    ],
)
def test_offsets_long_paragraphs_are_shown_in_blocks(text: str) -> None:
    _check_blocks(text, 16)


@given(st.lists(_chars, max_size=120).map("".join), st.integers(4, 30))
def test_offsets_property_long_paragraphs_in_blocks(text: str, limit: int) -> None:
    _check_blocks(text, limit)


def test_offsets_a_20_megabyte_paragraph_is_cut_into_blocks() -> None:
    text = "Ryabkov said the talks went on. " * 625_000  # 20 MB, one paragraph
    omap = OffsetMap(text, paragraph_gap=True)
    lines = omap.display_text.split("\n")
    assert len(lines) >= 2_000 and max(map(len, lines)) <= 10_000
    assert omap.from_qt(omap.to_qt(len(text) - 5)) == len(text) - 5


@given(st.lists(_chars, max_size=60).map("".join), st.booleans(), st.data())
def test_offsets_to_qt_many_is_to_qt_of_each(text: str, gap: bool, data: st.DataObject) -> None:
    omap = OffsetMap(text, paragraph_gap=gap)
    offsets = data.draw(st.lists(st.integers(0, len(text)), max_size=30))
    assert omap.to_qt_many(offsets) == [omap.to_qt(o) for o in offsets]


def test_offsets_to_qt_many_refuses_an_offset_outside_the_text() -> None:
    omap = OffsetMap("a😀\r\nb", paragraph_gap=True)
    for bad in ([6], [0, -1], [2, 99]):
        with pytest.raises(ValueError, match="outside the text"):
            omap.to_qt_many(bad)
    assert omap.to_qt_many([]) == []
