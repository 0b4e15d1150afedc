"""Issue 14 item 2: speech verbs the lexicon lacked, "Name, Outlet:" speakers and
datelines that are never speakers (hand-written sentences; both suggesters)."""

from __future__ import annotations

import pytest

from annotator.nlp.suggester import Suggester

from .conftest import quotes, run

BOTH = ["parser", "rules"]


def _pick(which: str, parser: Suggester, rules: Suggester) -> Suggester:
    return parser if which == "parser" else rules


@pytest.mark.parametrize("which", BOTH)
@pytest.mark.parametrize(
    ("text", "speaker", "cue"),
    [
        ('"Please, let us go home now," the mother implored.', "the mother", "implored"),
        ('"This is the best season we have ever had," the coach gushed.', "the coach", "gushed"),
        ('"It is a betrayal of every voter," Senator Tom Ward fumed.', "Senator Tom Ward", "fumed"),
        ('"That is simply not true," Ortiz interjected.', "Ortiz", "interjected"),
        ('"We have waited nine years for this road," Ana Ruiz sighed.', "Ana Ruiz", "sighed"),
        ('"Nobody else in the league can do this," the owner boasted.', "the owner", "boasted"),
        (
            '"We lost a generation of teachers," the principal lamented.',
            "the principal",
            "lamented",
        ),
        ('"Where did all the money go?" the auditor wondered.', "the auditor", "wondered"),
        (
            '"Where did all the money go?" the auditor wondered aloud.',
            "the auditor",
            "wondered aloud",
        ),
        ('"We want the same thing," Lisa Park chimed in.', "Lisa Park", "chimed in"),
        (
            '"I never voted for that plan," the councillor blurted out.',
            "the councillor",
            "blurted out",
        ),
    ],
)
def test_quotes_new_speech_verbs(
    parser_suggester: Suggester,
    rule_suggester: Suggester,
    which: str,
    text: str,
    speaker: str,
    cue: str,
) -> None:
    q = quotes(text, run(_pick(which, parser_suggester, rule_suggester), text))
    assert [x[1:] for x in q] == [("direct", speaker, cue)]


@pytest.mark.parametrize("which", BOTH)
def test_quotes_refer_to_as_is_a_small_clause(
    parser_suggester: Suggester, rule_suggester: Suggester, which: str
) -> None:
    text = 'The mayor referred to the new stadium as "a gift to the whole city."'
    q = quotes(text, run(_pick(which, parser_suggester, rule_suggester), text))
    assert q == [
        ('the new stadium as "a gift to the whole city."', "mixed", "The mayor", "referred to")
    ]


@pytest.mark.parametrize("which", BOTH)
def test_quotes_refer_to_without_as_is_no_cue(
    parser_suggester: Suggester, rule_suggester: Suggester, which: str
) -> None:
    text = 'The mayor referred to the report, saying only: "We will read it carefully."'
    q = quotes(text, run(_pick(which, parser_suggester, rule_suggester), text))
    assert all(x[3] != "referred to" for x in q)


def test_rules_dubbed_has_its_doubled_consonant(rule_suggester: Suggester) -> None:
    text = 'Critics dubbed the building "the glass coffin."'
    q = quotes(text, run(rule_suggester, text))
    assert q == [('the building "the glass coffin."', "mixed", "Critics", "dubbed")]


@pytest.mark.parametrize("which", BOTH)
@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ('Maria Lopez, Channel 4 News: "The hospital has no power tonight."', "Maria Lopez"),
        ('Dr. Ana Ruiz, Reuters: "Three villages were flooded in the night."', "Dr. Ana Ruiz"),
        ('Peskov: "There will be no talks this week."', "Peskov"),
    ],
)
def test_quotes_name_and_outlet_before_a_colon(
    parser_suggester: Suggester, rule_suggester: Suggester, which: str, text: str, speaker: str
) -> None:
    q = quotes(text, run(_pick(which, parser_suggester, rule_suggester), text))
    assert [x[1:3] for x in q] == [("direct", speaker)]


@pytest.mark.parametrize("which", BOTH)
@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        (
            'KYIV, Ukraine (AP) — Ukraine\'s foreign minister said: "We will not give in."',
            "Ukraine's foreign minister",
        ),
        (
            'MOSCOW (AP) — The mayor of the city said: "There will be no talks this week."',
            "The mayor of the city",
        ),
        ('MOSCOW — "The talks have ended without any agreement at all."', None),
        ('LONDON: "Prices will keep rising for another year and more."', "LONDON"),
    ],
)
def test_quotes_dateline_is_never_the_speaker(
    parser_suggester: Suggester,
    rule_suggester: Suggester,
    which: str,
    text: str,
    speaker: str | None,
) -> None:
    # (the last is no dateline: a bare name before a colon stays a speaker)
    q = quotes(text, run(_pick(which, parser_suggester, rule_suggester), text))
    assert [x[1:3] for x in q] == [("direct", speaker)]


def test_quotes_dateline_stays_out_of_the_content(parser_suggester: Suggester) -> None:
    # the parser hangs the dateline on the quote's clause: no mixed quote from it
    text = 'KYIV, Ukraine (AP) — "We will rebuild every bridge," the mayor said on Monday.'
    q = quotes(text, run(parser_suggester, text))
    assert q == [('"We will rebuild every bridge,"', "direct", "the mayor", "said")]
