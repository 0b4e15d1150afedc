"""One name keeps one label through an article, and its later mentions are found."""

from __future__ import annotations

import spacy
from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from annotator.core import Layer
from annotator.nlp.entity_consistency import COMPONENT, EntityConsistency

from .conftest import MODEL, needs_model, run


def _doc(text: str, ents: list[tuple[int, int, str]]) -> Doc:
    doc = spacy.blank("en")(text)
    doc.ents = [SpacySpan(doc, s, e, label) for s, e, label in ents]
    return doc


def _ents(doc: Doc) -> list[tuple[str, str]]:
    return [(e.text, e.label_) for e in doc.ents]


def test_the_majority_label_wins_for_every_mention() -> None:
    text = "Naftogaz said prices rose . Naftogaz cut supply . Later Naftogaz agreed ."
    doc = _doc(text, [(0, 1, "ORG"), (5, 6, "PERSON"), (10, 11, "ORG")])
    assert _ents(EntityConsistency()(doc)) == [("Naftogaz", "ORG")] * 3


def test_a_tie_keeps_each_mentions_own_label() -> None:
    doc = _doc("Jordan spoke . Jordan borders Syria .", [(0, 1, "PERSON"), (3, 4, "GPE")])
    assert _ents(EntityConsistency()(doc)) == [("Jordan", "PERSON"), ("Jordan", "GPE")]


def test_numbers_and_dates_are_not_made_consistent() -> None:
    doc = _doc("two days , then two more on Monday", [(0, 1, "CARDINAL"), (4, 5, "DATE")])
    assert _ents(EntityConsistency()(doc)) == [("two", "CARDINAL"), ("two", "DATE")]


def test_a_missed_mention_and_a_lone_surname_become_the_name() -> None:
    text = "Anna Petrova met Olga Ivanova . Then Petrova and Olga Ivanova left ."
    doc = _doc(text, [(0, 2, "PERSON"), (3, 5, "PERSON")])
    assert _ents(EntityConsistency()(doc)) == [
        ("Anna Petrova", "PERSON"),
        ("Olga Ivanova", "PERSON"),
        ("Petrova", "PERSON"),
        ("Olga Ivanova", "PERSON"),
    ]


def test_a_surname_the_model_read_otherwise_is_the_person() -> None:
    text = "Donald Trump spoke . Trump aides met . Trump left ."
    doc = _doc(text, [(0, 2, "PERSON"), (4, 5, "ORG"), (8, 9, "ORG")])
    assert _ents(EntityConsistency()(doc)) == [
        ("Donald Trump", "PERSON"), ("Trump", "PERSON"), ("Trump", "PERSON"),
    ]  # fmt: skip


def test_a_place_named_like_a_surname_stays_a_place() -> None:
    text = "George Washington slept here . Washington sent troops ."
    doc = _doc(text, [(0, 2, "PERSON"), (5, 6, "GPE")])
    assert _ents(EntityConsistency()(doc)) == [
        ("George Washington", "PERSON"),
        ("Washington", "GPE"),
    ]


def test_a_word_of_a_longer_capitalised_name_is_left_alone() -> None:
    text = "Anna Petrova spoke . She lives on Petrova Street ."
    doc = _doc(text, [(0, 2, "PERSON")])
    assert _ents(EntityConsistency()(doc)) == [("Anna Petrova", "PERSON")]


def test_without_add_missed_only_labels_change() -> None:
    text = "Anna Petrova spoke . Naftogaz said . Petrova left . Naftogaz won . Naftogaz"
    doc = _doc(text, [(0, 2, "PERSON"), (4, 5, "PERSON"), (10, 11, "ORG"), (13, 14, "ORG")])
    out = EntityConsistency(add_missed=False)(doc)
    assert _ents(out) == [("Anna Petrova", "PERSON")] + [("Naftogaz", "ORG")] * 3


@needs_model
def test_the_installed_pipeline_runs_it_after_the_places(parser_suggester) -> None:  # type: ignore[no-untyped-def]
    names = parser_suggester.nlp.pipe_names
    assert COMPONENT in names and names.index(COMPONENT) > names.index("ner")
    text = (
        "Ukrenergo said power was restored. Ukrenergo engineers worked all night, "
        "Volodymyr Kudrytskyi said. Kudrytskyi thanked them."
    )
    alone = spacy.load(MODEL)(text)  # the model by itself misses the second mention
    assert "Kudrytskyi" not in {e.text for e in alone.ents}
    sugg = run(parser_suggester, text)
    people = {
        text[s.start : s.end] for s in sugg.spans if s.layer == Layer.ENTS and s.label == "PERSON"
    }
    assert people == {"Volodymyr Kudrytskyi", "Kudrytskyi"}
