"""Issue 14 item 3: short quoted fragments no cue governs are the words of their
clause's subject (mixed quotes, hidden by default); titles, nicknames and scare
quotes after "so-called" stay out (hand-written sentences; both suggesters)."""

from __future__ import annotations

import pytest

from annotator.nlp.suggester import LOW_CONFIDENCE, Suggester

from .conftest import quotes, run


def _confidences(suggester: Suggester, text: str) -> list[float]:
    sugg = run(suggester, text)
    return [s.confidence or 0.0 for s in sugg.spans if s.label == "QUOTE"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'Ortiz remains "deeply worried" about the flooding in the north.',
            ('remains "deeply worried"', "mixed", "Ortiz", None),
        ),
        (
            'The senator has "no plans" to resign before the election.',
            ('has "no plans"', "mixed", "The senator", None),
        ),
    ],
)
def test_quotes_uncued_fragment_is_a_mixed_quote_of_the_subject(
    parser_suggester: Suggester, text: str, expected: tuple[str, str, str, None]
) -> None:
    assert quotes(text, run(parser_suggester, text)) == [expected]
    assert all(c < LOW_CONFIDENCE for c in _confidences(parser_suggester, text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'She remains "deeply worried" about the flooding in the north.',
            ('remains "deeply worried"', "mixed", "She", None),
        ),
        (
            'Senator Tom Ward remains "deeply worried" about the flooding.',
            ('remains "deeply worried"', "mixed", "Senator Tom Ward", None),
        ),
    ],
)
def test_rules_uncued_fragment_after_a_name_or_pronoun(
    rule_suggester: Suggester, text: str, expected: tuple[str, str, str, None]
) -> None:
    assert quotes(text, run(rule_suggester, text)) == [expected]
    assert all(c < LOW_CONFIDENCE for c in _confidences(rule_suggester, text))


@pytest.mark.parametrize("which", ["parser", "rules"])
@pytest.mark.parametrize(
    "text",
    [
        'The so-called "peace dividend" never came.',
        'Dwayne "the Rock" Johnson visited the school on Friday.',
        'She read "War and Peace" twice last summer.',
        'The crowd sang "Happy Birthday" at the end of the show.',
        'A "modest" recovery is expected next year.',
    ],
)
def test_quotes_titles_nicknames_and_scare_quotes_stay_out(
    parser_suggester: Suggester, rule_suggester: Suggester, which: str, text: str
) -> None:
    suggester = parser_suggester if which == "parser" else rule_suggester
    assert quotes(text, run(suggester, text)) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'The mayor promised to "do everything in my power to keep the library open."',
            ('to "do everything in my power to keep the library open."', "The mayor", "promised"),
        ),
        (
            'The union accused management of "treating workers like spare parts."',
            ('management of "treating workers like spare parts."', "The union", "accused"),
        ),
        (
            'The company said in a statement that it "deeply regrets the distress caused."',
            ('it "deeply regrets the distress caused."', "The company", "said"),
        ),
    ],
)
def test_quotes_quoted_words_continuing_the_sentence_are_mixed(
    parser_suggester: Suggester, text: str, expected: tuple[str, str, str]
) -> None:
    # a quote after an ordinary word continues the writer's sentence: a paraphrase
    # holding quoted words, not a direct quote (docs/QUOTES.md §2)
    q = quotes(text, run(parser_suggester, text))
    assert q == [(expected[0], "mixed", expected[1], expected[2])]


def test_quotes_quote_after_its_cue_or_colon_stays_direct(parser_suggester: Suggester) -> None:
    text = 'The mayor said: "We will keep the library open." She added "nobody will lose a job."'
    q = quotes(text, run(parser_suggester, text))
    assert [x[1] for x in q] == ["direct", "direct"]
