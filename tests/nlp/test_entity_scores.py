"""Entity suggestions carry the pipeline's own score, or none at all: never a made-up number."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import numpy
import pytest
import spacy
from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from annotator.core import Layer
from annotator.nlp.entities import entity_scores, entity_spans

from .conftest import run

TEXT = "Sergei Ryabkov met officials of the Kremlin in Moscow on Monday."


def _doc() -> Doc:
    nlp = spacy.blank("en")
    doc = nlp(TEXT)
    doc.ents = [
        SpacySpan(doc, 0, 2, "PERSON"),
        SpacySpan(doc, 6, 7, "ORG"),
        SpacySpan(doc, 8, 9, "GPE"),
    ]
    return doc


def test_entity_scores_ner_without_scores_gives_none() -> None:
    doc = _doc()
    spans = entity_spans(doc, scheme_labels=None, dropped=Counter())
    assert [s.label for s in spans] == ["PERSON", "ORG", "GPE"]
    assert all(s.confidence is None for s in spans)


def test_entity_scores_from_a_spancat_group() -> None:
    doc = _doc()
    group = doc.spans["sc"] = [SpacySpan(doc, 0, 2, "PERSON"), SpacySpan(doc, 6, 7, "ORG")]
    doc.spans["sc"].attrs["scores"] = numpy.array([0.91, 0.42], dtype="float32")
    assert len(group) == 2
    spans = {s.label: s for s in entity_spans(doc, scheme_labels=None, dropped=Counter())}
    assert spans["PERSON"].confidence == pytest.approx(0.91)
    assert spans["ORG"].confidence == pytest.approx(0.42)
    assert spans["GPE"].confidence is None  # not scored by the spancat: no number


def test_entity_scores_same_tokens_other_label_is_not_a_score() -> None:
    doc = _doc()
    doc.spans["sc"] = [SpacySpan(doc, 6, 7, "GPE")]
    doc.spans["sc"].attrs["scores"] = numpy.array([0.99])
    (org,) = [s for s in entity_spans(doc, scheme_labels=None, dropped=Counter())
              if s.label == "ORG"]
    assert org.confidence is None


@pytest.fixture
def confidence_extension() -> Iterator[None]:
    SpacySpan.set_extension("confidence", default=None, force=True)
    yield
    SpacySpan.remove_extension("confidence")


def test_entity_scores_from_a_span_extension(confidence_extension: None) -> None:
    doc = _doc()
    person = doc.ents[0]
    person._.confidence = 0.77
    doc.ents[1]._.confidence = float("nan")  # not a probability: ignored
    doc.ents[2]._.confidence = 3.5  # a logit, not a probability: ignored
    assert entity_scores(doc) == {(0, 2, "PERSON"): pytest.approx(0.77)}
    spans = entity_spans(doc, scheme_labels=None, dropped=Counter())
    assert [s.confidence for s in spans] == [pytest.approx(0.77), None, None]


def test_entity_scores_trained_pipeline_suggests_entities_without_numbers(
    parser_suggester,  # type: ignore[no-untyped-def]
) -> None:
    text = "Sergei Ryabkov, the deputy foreign minister of Russia, spoke in Moscow."
    sugg = run(parser_suggester, text)
    ents = [s for s in sugg.spans if s.layer == Layer.ENTS]
    assert ents, "the pipeline finds entities here"
    assert all(s.confidence is None for s in ents)
    # the quote rules' documented precisions stay
    quote_like = [s for s in sugg.spans if s.layer == Layer.QUOTES]
    assert all(s.confidence is not None for s in quote_like)


def test_entity_scores_rule_pipeline_has_no_numbers_either(rule_suggester) -> None:  # type: ignore[no-untyped-def]
    text = "President Vladimir Putin met Donald Trump in Helsinki."
    sugg = run(rule_suggester, text)
    assert all(s.confidence is None for s in sugg.spans if s.layer == Layer.ENTS)
