from __future__ import annotations

from annotator.core import Layer, Origin, Span
from annotator.nlp.learned import LearnedEntities, merge_entities
from annotator.nlp.tokenize import tokenize

TEXT = "Thanh Nien reported that the Kremlin and Thanh Nien Newspaper disagreed."


def test_learned_finds_accepted_pairs_token_aligned() -> None:
    learned = LearnedEntities([("Thanh Nien", "ORG"), ("Kremlin", "ORG")])
    found = learned.find(TEXT, tokenize(TEXT))
    assert [(TEXT[s.start : s.end], s.label) for s in found] == [
        ("Thanh Nien", "ORG"), ("Kremlin", "ORG"), ("Thanh Nien", "ORG")
    ]
    assert all(s.origin == Origin.SUGGESTED and s.layer == Layer.ENTS for s in found)


def test_learned_prefers_longest_match_and_remove_forgets() -> None:
    learned = LearnedEntities()
    learned.add("Thanh Nien", "ORG")
    learned.add("Thanh Nien Newspaper", "ORG")
    found = learned.find(TEXT, tokenize(TEXT))
    assert [TEXT[s.start : s.end] for s in found] == ["Thanh Nien", "Thanh Nien Newspaper"]
    learned.remove("Thanh Nien Newspaper", "ORG")
    found = learned.find(TEXT, tokenize(TEXT))
    assert [TEXT[s.start : s.end] for s in found] == ["Thanh Nien", "Thanh Nien"]


def test_learned_most_accepted_label_wins_for_same_text() -> None:
    learned = LearnedEntities([("Kremlin", "ORG"), ("Kremlin", "ORG"), ("Kremlin", "FAC")])
    (span,) = learned.find(TEXT, tokenize(TEXT))
    assert span.label == "ORG"


def test_learned_merge_keeps_ents_non_overlapping_and_learned_wins() -> None:
    base = [
        Span(0, 10, "PERSON"),  # "Thanh Nien" wrongly as PERSON
        Span(29, 36, "ORG"),
        Span(0, 20, "QUOTE", Layer.QUOTES),  # quote layer passes through
    ]
    learned = [Span(0, 10, "ORG"), Span(41, 61, "ORG"), Span(41, 51, "ORG")]
    merged = merge_entities(base, learned)
    ents = [(s.start, s.end, s.label) for s in merged if s.layer == Layer.ENTS]
    assert ents == [(0, 10, "ORG"), (29, 36, "ORG"), (41, 61, "ORG")]
    assert any(s.label == "QUOTE" for s in merged)
