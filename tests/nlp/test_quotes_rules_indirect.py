"""Indirect quotes of the rule suggester (no parser): the sentence shapes whose
reported clause the words alone give (hand-written sentences)."""

from __future__ import annotations

import pytest

from annotator.nlp.suggester import LOW_CONFIDENCE, Suggester

from .conftest import quotes, run


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The minister warned that prices would rise again next year.",
            ("prices would rise again next year", "indirect", "The minister", "warned"),
        ),
        (
            "Prices will rise again next year, the minister said.",
            ("Prices will rise again next year", "indirect", "the minister", "said"),
        ),
        (
            "Prices will rise again next year, said Ana Ruiz.",
            ("Prices will rise again next year", "indirect", "Ana Ruiz", "said"),
        ),
        (
            "According to the harbour authority, eleven vessels were waiting offshore.",
            (
                "eleven vessels were waiting offshore",
                "indirect",
                "the harbour authority",
                "According to",
            ),
        ),
        (
            "Eleven vessels were waiting offshore, according to the harbour authority.",
            (
                "Eleven vessels were waiting offshore",
                "indirect",
                "the harbour authority",
                "according to",
            ),
        ),
        (
            "The mayor told reporters on Monday that the bridge would reopen in May.",
            ("the bridge would reopen in May", "indirect", "The mayor", "told"),
        ),
        (
            "Ortiz said she had not expected to finish in the top five.",
            ("she had not expected to finish in the top five", "indirect", "Ortiz", "said"),
        ),
        (
            "KYIV, Ukraine (AP) — Officials said that the power plant was shut down overnight.",
            ("the power plant was shut down overnight", "indirect", "Officials", "said"),
        ),
    ],
)
def test_rules_indirect_quote_shapes(
    rule_suggester: Suggester, text: str, expected: tuple[str, str, str, str]
) -> None:
    sugg = run(rule_suggester, text)
    assert quotes(text, sugg) == [expected]
    assert all((s.confidence or 0) < LOW_CONFIDENCE for s in sugg.spans if s.label == "QUOTE")


@pytest.mark.parametrize(
    "text",
    [
        "The minister did not say that the talks had failed.",
        "The spokesman declined to say that the talks had failed.",
        "The report found that most schools lacked heating in winter.",
        "Nobody knew why he said that.",  # "that" ends the sentence: no clause
        "The engineer explained it to the committee in detail.",
        "The mayor said goodbye to the staff, who knew that the office would close.",
    ],
)
def test_rules_no_indirect_quote(rule_suggester: Suggester, text: str) -> None:
    assert quotes(text, run(rule_suggester, text)) == []


def test_rules_sentences_with_quotation_marks_keep_their_own_rules(
    rule_suggester: Suggester,
) -> None:
    text = 'Ortiz said that the plan was "a betrayal of every voter."'
    assert quotes(text, run(rule_suggester, text)) == [
        ('the plan was "a betrayal of every voter."', "mixed", "Ortiz", "said")
    ]


def test_rules_indirect_needs_sentence_boundaries() -> None:
    import spacy

    from annotator.nlp.rules import RuleQuoteFinder

    doc = spacy.blank("en")("Prices will rise again next year, the minister said.")
    assert RuleQuoteFinder().find(doc) == []  # no sentencizer ran: nothing, no error
