"""Places (and other names) the gazetteer knows win over the model's guess.

A small model tags "Kiev" PERSON or ORG, "Crimea" ORG, "Kherson" PERSON, "Russian"
GPE, "Gazprom" PERSON. The component :data:`COMPONENT`, added after ``ner`` by
:func:`add_places`, matches the gazetteer's GPE, LOC, ORG and NORP names
(``resources/gazetteer.json``; below, "places" for short) with a ``PhraseMatcher`` on
token text and sets ``doc.ents`` again:

- a model entity that is exactly a place, or lies inside one ("York" of "New York"),
  becomes the place with the gazetteer's label;
- a model entity that holds a place ("Dynamo Kiev", "Kyiv Post", "the Kherson region")
  stays: a place inside a longer name is part of that name;
- a PERSON entity whose text is a place that is also a common name ("Jordan",
  "Georgia"; ``place_or_person`` in the gazetteer), or a word of a longer PERSON name
  in the same document ("Sofia" after "Sofia Petrova"), stays a PERSON;
- with ``add_missed`` (the default), a place no model entity touches is added.

The quote rules read entities from the token columns after this, so they see the
corrected labels. Cost: one matcher call and loops over entities and matches only.
"""

from __future__ import annotations

from bisect import bisect_right
from functools import lru_cache
from typing import Any

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan
from spacy.util import filter_spans

from annotator.nlp.quotes_lexicon import load_resource

COMPONENT = "annotator_gazetteer_places"
# ORG and NORP too: on held-out news (sm) ORG F1 0.645 -> 0.656, NORP 0.861 -> 0.892
PLACE_LABELS = ("GPE", "LOC", "ORG", "NORP")


@lru_cache(maxsize=1)
def _places() -> tuple[dict[str, tuple[str, ...]], frozenset[str]]:
    gaz: dict[str, Any] = load_resource("gazetteer.json")
    by_label = {label: tuple(gaz.get(label, ())) for label in PLACE_LABELS}
    return by_label, frozenset(gaz.get("place_or_person", ()))


class GazetteerPlaces:
    """The pipeline component: see the module's description."""

    def __init__(self, nlp: Language, *, add_missed: bool = True) -> None:
        self.add_missed = add_missed
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        by_label, ambiguous = _places()
        for label, names in by_label.items():
            self.matcher.add(label, [nlp.make_doc(n) for n in names])
        self.ambiguous = ambiguous
        strings = nlp.vocab.strings
        self._label_ids = {strings.add(label): label for label in PLACE_LABELS}

    def __call__(self, doc: Doc) -> Doc:
        matches = self.matcher(doc)
        if not matches:
            return doc
        places = filter_spans(
            [SpacySpan(doc, s, e, label=self._label_ids[m]) for m, s, e in matches]
        )
        ents = list(doc.ents)
        person_words = {t.text for e in ents if e.label_ == "PERSON" and len(e) > 1 for t in e}
        place_at = {p.start: p for p in places}
        starts = sorted(place_at)
        kept: list[SpacySpan] = []
        used: set[int] = set()  # starts of places that replaced or met a model entity
        for ent in ents:
            place = _place_over(ent, place_at, starts)
            if place is None:
                kept.append(ent)
                continue
            used.add(place.start)
            inside = place.start <= ent.start and ent.end <= place.end
            if not inside:
                kept.append(ent)  # holds the place or crosses it: the model's name stays
            elif ent.label_ == "PERSON" and (
                place.text in self.ambiguous or place.text in person_words
            ):
                kept.append(ent)
            else:
                kept.append(place)
        if self.add_missed:
            kept.extend(p for p in places if p.start not in used)
        doc.set_ents(filter_spans(kept))
        return doc


def _place_over(
    ent: SpacySpan, place_at: dict[int, SpacySpan], starts: list[int]
) -> SpacySpan | None:
    """The first place that overlaps ``ent`` (places do not overlap each other)."""
    k = bisect_right(starts, ent.start) - 1
    if k >= 0 and place_at[starts[k]].end > ent.start:
        return place_at[starts[k]]
    k += 1
    if k < len(starts) and starts[k] < ent.end:
        return place_at[starts[k]]
    return None


@Language.factory(COMPONENT, default_config={"add_missed": True})
def make_gazetteer_places(nlp: Language, name: str, add_missed: bool) -> GazetteerPlaces:
    return GazetteerPlaces(nlp, add_missed=add_missed)


def add_places(nlp: Language, *, add_missed: bool = True) -> bool:
    """Add the component right after ``ner`` (a pipeline without ``ner`` is left as
    it is). Returns whether the pipeline now has it."""
    if COMPONENT in nlp.component_names:
        return True
    if "ner" not in nlp.pipe_names:
        return False
    nlp.add_pipe(COMPONENT, after="ner", config={"add_missed": add_missed})
    return True
