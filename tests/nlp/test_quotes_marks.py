from __future__ import annotations

from annotator.nlp.quotes_marks import find_quote_segments


def texts(text: str) -> list[str]:
    return [text[s.start : s.end] for s in find_quote_segments(text)]


def test_quotes_marks_pairs_every_double_mark_style() -> None:
    text = '“One two.” "Three four." „Fünf sechs“ «Sept huit» »Ni ti« ‘not this’'
    assert texts(text) == ["“One two.”", '"Three four."', "„Fünf sechs“", "«Sept huit»", "»Ni ti«"]


def test_quotes_marks_mixed_pair_from_edited_copy() -> None:
    assert texts('He said “we will win." Then left.') == ['“we will win."']


def test_quotes_marks_apostrophes_are_never_quotes() -> None:
    text = "The players’ union said it’s the clubs’ problem, and Tom's too."
    assert texts(text) == []


def test_quotes_marks_unbalanced_gives_nothing_and_no_error() -> None:
    for text in ['He said "we will', "“Never closed.\nNext paragraph.", "” stray closer", '"', "“"]:
        assert texts(text) == []


def test_quotes_marks_unbalanced_straight_mark_does_not_swallow_the_next_quote() -> None:
    text = 'A stray " mark, then she said "this is fine" today.'
    assert texts(text) == ['"this is fine"']


def test_quotes_marks_multi_paragraph_quote_is_one_segment_per_paragraph() -> None:
    text = "“First paragraph of the speech.\n“Second paragraph,” he said.\nAfter."
    segs = find_quote_segments(text)
    assert [text[s.start : s.end] for s in segs] == [
        "“First paragraph of the speech.",
        "“Second paragraph,”",
    ]
    assert segs[0].group == segs[1].group
    assert not segs[0].closed and segs[1].closed


def test_quotes_marks_single_marks_used_throughout() -> None:
    text = "‘We won’t stop,’ she said. Residents’ groups agreed."
    assert texts(text) == ["‘We won’t stop,’"]


def test_quotes_marks_single_marks_inside_double_are_nested_not_separate() -> None:
    text = "“He called it ‘a disgrace’ on Monday,” she said."
    assert texts(text) == ["“He called it ‘a disgrace’ on Monday,”"]
