"""Disagreement regions and the edits that resolve them (plain Python, no window)."""

from __future__ import annotations

from annotator.agreement.report import Disagreement
from annotator.core import Annotation, Layer, Relation, RelationLabel, Span
from annotator.ui.review_items import adopt_document, matches, review_items, take_region

TEXT = 'Putin met Donald Trump in Moscow. He said "we win" today.'


def _ann(*spans: Span, relations: tuple[Relation, ...] = ()) -> Annotation:
    return Annotation(1, "x", spans=list(spans), relations=list(relations))


def test_review_items_merge_overlapping_rows_of_a_layer_and_keep_the_worst_reason() -> None:
    rows = [
        Disagreement(1, 10, 22, "Donald Trump", {"a": "PERSON", "b": None}, "boundary"),
        Disagreement(1, 17, 22, "Trump", {"a": None, "b": "ORG"}, "boundary"),
        Disagreement(1, 26, 32, "Moscow", {"a": "GPE", "b": "LOC"}, "label"),
        Disagreement(1, 10, 22, "Donald Trump", {"a": "SPEAKER", "b": None}, "missing"),
    ]
    items = review_items(rows)
    assert [(i.start, i.end, i.layer, i.reason) for i in items] == [
        (10, 22, "ents", "boundary"),
        (10, 22, "quotes", "missing"),
        (26, 32, "ents", "label"),
    ]
    assert items[0].labels == {"PERSON", "ORG"}


def test_review_take_region_replaces_overlapping_entities_and_is_undone_by_its_inverse() -> None:
    [item] = review_items([Disagreement(1, 17, 22, "Trump", {"a": None, "b": "ORG"}, "boundary")])
    gold = _ann(Span(0, 5, "PERSON"), Span(17, 22, "ORG"))
    theirs = _ann(Span(10, 22, "PERSON"))  # reaches past the region
    batch = take_region(gold, theirs, item, "alice")
    assert batch is not None
    after, inverse = batch.apply(gold, TEXT)
    assert {(s.start, s.end, s.label) for s in after.spans} == {
        (0, 5, "PERSON"),
        (10, 22, "PERSON"),
    }
    assert matches(after, theirs, item)
    back, _ = inverse.apply(after, TEXT)
    assert {s.key for s in back.spans} == {s.key for s in gold.spans}
    assert take_region(after, theirs, item, "alice") is None, "nothing left to take"


def test_review_adopt_document_copies_links_and_drops_gold_only_ones() -> None:
    quote = Span(42, 50, "QUOTE", Layer.QUOTES)
    he = Span(34, 36, "SPEAKER", Layer.QUOTES)
    said = Span(37, 41, "CUE", Layer.QUOTES)
    gold = _ann(quote, said, relations=(Relation(quote.key, said.key, RelationLabel.CUE),))
    version = _ann(
        Span(0, 5, "PERSON"),
        quote,
        he,
        relations=(Relation(quote.key, he.key, RelationLabel.SPEAKER),),
    )
    batch = adopt_document(gold, version, "bob")
    assert batch is not None
    after, inverse = batch.apply(gold, TEXT)
    assert {s.key for s in after.spans} == {s.key for s in version.spans}
    assert set(after.relations) == set(version.relations)
    back, _ = inverse.apply(after, TEXT)
    assert {s.key for s in back.spans} == {s.key for s in gold.spans}
    assert set(back.relations) == set(gold.relations)
