"""Issue 14 item 1: the second half or continuation of a direct quote keeps the
cue of the first (hand-written sentences; parser and rule suggester)."""

from __future__ import annotations

import pytest

from annotator.nlp.suggester import Suggester

from .conftest import quotes, run


def test_quotes_not_inside_the_second_half_does_not_negate_the_cue(
    parser_suggester: Suggester,
) -> None:
    # the parser hangs "not" from inside the second half on "added"
    text = '"The vote counts," he added, "not the noise."'
    q = quotes(text, run(parser_suggester, text))
    assert q == [
        ('"The vote counts,"', "direct", "he", "added"),
        ('"not the noise."', "direct", "he", "added"),
    ]


def test_quotes_negated_cue_outside_quotes_is_still_negated(parser_suggester: Suggester) -> None:
    text = "The minister did not say that the talks had failed."
    assert quotes(text, run(parser_suggester, text)) == []


@pytest.mark.parametrize("which", ["parser", "rules"])
@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ('"This plan is finished," Harlow said. "It does not work and it never did."', "Harlow"),
        (
            '"The river is rising," said Ortega, who runs the shelter. '
            '"People are not leaving their homes."',
            "Ortega",
        ),
    ],
)
def test_quotes_continuation_takes_the_cue_of_the_first_half(
    parser_suggester: Suggester,
    rule_suggester: Suggester,
    which: str,
    text: str,
    speaker: str,
) -> None:
    suggester = parser_suggester if which == "parser" else rule_suggester
    q = quotes(text, run(suggester, text))
    assert [x[1:] for x in q] == [("direct", speaker, "said")] * 2


@pytest.mark.parametrize("which", ["parser", "rules"])
def test_quotes_continuation_in_a_new_paragraph_has_no_cue(
    parser_suggester: Suggester, rule_suggester: Suggester, which: str
) -> None:
    # a floating quote in the next paragraph keeps its speaker but borrows no cue
    text = '"This plan is finished," Harlow said.\n"It does not work and it never did."'
    suggester = parser_suggester if which == "parser" else rule_suggester
    q = quotes(text, run(suggester, text))
    assert q[1][1:] == ("direct", "Harlow", None)


def test_rules_continuation_after_another_name_borrows_no_cue(rule_suggester: Suggester) -> None:
    text = '"This plan is finished," Harlow said. Ortiz disagreed. "It works and it always did."'
    q = quotes(text, run(rule_suggester, text))
    assert q[1][3] is None
