"""Quote rules on hand-written sentences, one per pattern (parser and rule suggester)."""

from __future__ import annotations

import itertools

import pytest

from annotator.core import validate_span
from annotator.nlp.suggester import LOW_CONFIDENCE, Suggester
from annotator.nlp.tokenize import tokenize

from .conftest import quotes, run


def test_quotes_said_after_named_speaker(parser_suggester: Suggester) -> None:
    text = '"We will not accept these terms," Ryabkov said on Monday.'
    q = quotes(text, run(parser_suggester, text))
    assert q == [('"We will not accept these terms,"', "direct", "Ryabkov", "said")]


def test_quotes_said_first_with_colon(parser_suggester: Suggester) -> None:
    text = 'Foreign Minister Anna Berg said: "The door remains open to talks."'
    q = quotes(text, run(parser_suggester, text))
    assert q == [('"The door remains open to talks."', "direct", "Foreign Minister Anna Berg",
                  "said")]


def test_quotes_inverted_said_speaker(parser_suggester: Suggester) -> None:
    text = "“Nothing can be ruled out in advance,” said Ryabkov, the deputy minister."
    q = quotes(text, run(parser_suggester, text))
    assert q == [("“Nothing can be ruled out in advance,”", "direct", "Ryabkov", "said")]


def test_quotes_high_confidence_for_named_speaker(parser_suggester: Suggester) -> None:
    text = '"We will not accept these terms," Ryabkov said on Monday.'
    sugg = run(parser_suggester, text)
    quote = next(s for s in sugg.spans if s.label == "QUOTE")
    assert quote.confidence is not None and quote.confidence >= 0.85


def test_quotes_pronoun_speaker_gets_person_referent(parser_suggester: Suggester) -> None:
    text = (
        "Sergei Ryabkov spoke to reporters in Moscow.\n"
        '"We have established formats and channels for these talks," he added.'
    )
    sugg = run(parser_suggester, text)
    q = quotes(text, sugg)
    assert q[0][2] == "he" and q[0][3] == "added"
    (pron_key, ref_key), = sugg.referents.items()
    assert text[pron_key.start : pron_key.end] == "he"
    assert text[ref_key.start : ref_key.end] == "Sergei Ryabkov" and ref_key.label == "PERSON"
    quote = next(s for s in sugg.spans if s.label == "QUOTE")
    assert LOW_CONFIDENCE <= (quote.confidence or 0) < 0.85  # medium: a resolved pronoun


def test_quotes_according_to(parser_suggester: Suggester) -> None:
    text = "According to the harbour authority, eleven vessels were waiting offshore on Monday."
    q = quotes(text, run(parser_suggester, text))
    assert q == [("eleven vessels were waiting offshore on Monday", "indirect",
                  "the harbour authority", "According to")]


def test_quotes_indirect_clause_without_that(parser_suggester: Suggester) -> None:
    text = "Ryabkov said Moscow does not intend to force Beijing on this issue."
    sugg = run(parser_suggester, text)
    q = quotes(text, sugg)
    assert q == [("Moscow does not intend to force Beijing on this issue", "indirect", "Ryabkov",
                  "said")]
    quote = next(s for s in sugg.spans if s.label == "QUOTE")
    assert (quote.confidence or 0) < LOW_CONFIDENCE  # indirect quotes are low confidence


def test_quotes_indirect_clause_leaves_out_that(parser_suggester: Suggester) -> None:
    text = "The minister warned that prices would rise again next year."
    q = quotes(text, run(parser_suggester, text))
    assert q == [("prices would rise again next year", "indirect", "The minister", "warned")]


def test_quotes_indirect_postposed_cue(parser_suggester: Suggester) -> None:
    text = "Moscow won't pressure Beijing to join such discussions, he said."
    q = quotes(text, run(parser_suggester, text))
    assert q == [("Moscow won't pressure Beijing to join such discussions", "indirect", "he",
                  "said")]


def test_quotes_cognition_verbs_only_when_enabled(parser_suggester: Suggester) -> None:
    text = "The mayor believes the new bridge will open before winter."
    assert quotes(text, run(parser_suggester, text)) == []
    sugg = parser_suggester.suggest(text, tokenize(text), indirect_cognition=True)
    assert quotes(text, sugg)[0][2:] == ("The mayor", "believes")


def test_quotes_mixed_quote_takes_in_the_fragment(parser_suggester: Suggester) -> None:
    text = 'Campaigners described the decision as "short-sighted and cruel" on Friday.'
    q = quotes(text, run(parser_suggester, text))
    assert q == [('the decision as "short-sighted and cruel"', "mixed", "Campaigners",
                  "described")]


def test_quotes_split_quote_gives_two_quotes_with_one_speaker(parser_suggester: Suggester) -> None:
    text = '"Four per cent is a pay cut," she said. "Everyone here knows what rent costs now."'
    q = quotes(text, run(parser_suggester, text))
    assert [x[0] for x in q] == ['"Four per cent is a pay cut,"',
                                 '"Everyone here knows what rent costs now."']
    assert {x[2] for x in q} == {"she"}


def test_quotes_multi_paragraph_quote_linked_to_one_speaker(parser_suggester: Suggester) -> None:
    text = (
        'Union organiser Maria Lopez said: "We have been patient for two years.\n'
        '"Nobody here wanted a strike, and nobody wants one to last."\n'
    )
    q = quotes(text, run(parser_suggester, text))
    assert [x[0] for x in q] == ['"We have been patient for two years.',
                                 '"Nobody here wanted a strike, and nobody wants one to last."']
    assert all(x[1] == "direct" and x[2] == "Union organiser Maria Lopez" for x in q)


def test_quotes_scare_quotes_and_titles_are_not_quotes(parser_suggester: Suggester) -> None:
    text = ('The so-called "peace dividend" never came. Some carried copies of '
            '"The Ragged Trousered Philanthropists" to the rally.')
    assert quotes(text, run(parser_suggester, text)) == []


def test_quotes_negated_speech_is_not_a_quote(parser_suggester: Suggester) -> None:
    text = "The minister did not say that the talks had failed."
    assert quotes(text, run(parser_suggester, text)) == []


@pytest.mark.parametrize(
    "text",
    [
        'He said "we will',
        "“Never closed.\nAnd a new paragraph.",
        "” stray closer, she said.",
        "",
        "\n\n",
        "It’s the players’ union’s call, the clubs’ owners said.",
    ],
)
def test_quotes_unbalanced_or_empty_text_gives_no_direct_quote(
    parser_suggester: Suggester, rule_suggester: Suggester, text: str
) -> None:
    for suggester in (parser_suggester, rule_suggester):
        sugg = run(suggester, text)
        assert not [s for s in sugg.spans if s.label == "QUOTE" and s.kind == "direct"]


# -- the rule suggester (no parser) --------------------------------------------


def test_rules_said_after(rule_suggester: Suggester) -> None:
    text = '"We will not accept these terms," Ryabkov said on Monday.'
    assert quotes(text, run(rule_suggester, text)) == [
        ('"We will not accept these terms,"', "direct", "Ryabkov", "said")
    ]


def test_rules_said_before_with_apposition(rule_suggester: Suggester) -> None:
    text = 'Its chief executive, Daniel Hart, said: "Our door remains open to everyone."'
    assert quotes(text, run(rule_suggester, text)) == [
        ('"Our door remains open to everyone."', "direct", "Its chief executive", "said")
    ]


def test_rules_inverted_said(rule_suggester: Suggester) -> None:
    text = "“We’ve been writing letters since 2019,” said Graham Pike, who lives nearby."
    assert quotes(text, run(rule_suggester, text)) == [
        ("“We’ve been writing letters since 2019,”", "direct", "Graham Pike", "said")
    ]


def test_rules_pronoun_and_floating_quote(rule_suggester: Suggester) -> None:
    text = '"Four per cent is a pay cut," she said. "Everyone here knows what rent costs now."'
    q = quotes(text, run(rule_suggester, text))
    assert [x[2] for x in q] == ["she", "she"]


def test_rules_intermediary_is_not_the_speaker(rule_suggester: Suggester) -> None:
    text = 'He stated, "We are open to contacts with the other side," as reported by TASS.'
    assert quotes(text, run(rule_suggester, text)) == [
        ('"We are open to contacts with the other side,"', "direct", "He", "stated")
    ]


def test_quotes_every_span_is_token_aligned_and_valid(
    parser_suggester: Suggester, rule_suggester: Suggester
) -> None:
    from pathlib import Path

    seeds = Path(__file__).resolve().parents[2] / "seeds"
    for path in sorted(seeds.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        tokens = tokenize(text)
        for suggester in (parser_suggester, rule_suggester):
            sugg = suggester.suggest(text, tokens)
            keys = {s.key for s in sugg.spans}
            for span in sugg.spans:
                validate_span(span, text, tokens)
                # quote rules give their documented precision; entities a real score or none
                if span.layer == "quotes" or span.confidence is not None:
                    assert span.confidence is not None and 0.0 <= span.confidence <= 1.0
            ents = sorted((s for s in sugg.spans if s.layer == "ents"), key=lambda s: s.start)
            assert all(a.end <= b.start for a, b in itertools.pairwise(ents))
            assert all(r.head in keys and r.child in keys for r in sugg.relations)
