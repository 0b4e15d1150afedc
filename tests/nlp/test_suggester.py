from __future__ import annotations

from collections import Counter

from annotator.core import DEFAULT_SCHEME, Layer
from annotator.nlp.suggester import Suggester
from annotator.nlp.tokenize import tokenize

from .conftest import run

TEXT = (
    "Russian Deputy Foreign Minister Sergei Ryabkov spoke in Moscow on Monday.\n"
    '"Nothing can be ruled out," he said.\n'
)


def test_suggester_drops_and_counts_labels_outside_scheme(parser_suggester: Suggester) -> None:
    labels = {"PERSON", "QUOTE", "SPEAKER", "CUE"}
    sugg = parser_suggester.suggest(TEXT, tokenize(TEXT), scheme_labels=labels)
    assert {s.label for s in sugg.spans} <= labels
    assert sugg.dropped_labels["GPE"] >= 1 and sugg.dropped_labels["DATE"] >= 1


def test_suggester_entities_leave_titles_out(parser_suggester: Suggester) -> None:
    sugg = run(parser_suggester, TEXT)
    persons = [TEXT[s.start : s.end] for s in sugg.spans if s.label == "PERSON"]
    assert persons == ["Sergei Ryabkov"]


def test_suggester_entities_no_worse_than_raw_doc_ents(parser_suggester: Suggester) -> None:
    text = "The United States and Russia's Vladimir Putin met in Alaska in August."
    sugg = run(parser_suggester, text)
    ours = {(s.start, s.end, s.label) for s in sugg.spans if s.layer == Layer.ENTS}
    raw = {(e.start_char, e.end_char, e.label_) for e in parser_suggester.nlp(text).ents}
    gold = {(4, 17, "GPE"), (22, 28, "GPE"), (31, 45, "PERSON"), (49, 55, "GPE"),
            (59, 65, "DATE")}
    assert len(ours & gold) >= len(raw & gold)


def test_suggester_suggest_many_matches_suggest(parser_suggester: Suggester) -> None:
    texts = [TEXT, '"We work continuously," Ryabkov said.', "No quotes at all here."]
    items = [(i, t, tokenize(t)) for i, t in enumerate(texts)]
    many = dict(parser_suggester.suggest_many(items, batch_size=2))
    for i, t in enumerate(texts):
        assert many[i].spans == run(parser_suggester, t).spans


def test_suggester_suggest_many_with_two_processes(rule_suggester: Suggester) -> None:
    texts = [TEXT, '"We work continuously," Ryabkov said.', "No quotes here."] * 3
    items = [(f"doc-{i}", t, tokenize(t)) for i, t in enumerate(texts)]
    many = list(rule_suggester.suggest_many(items, batch_size=2, n_process=2))
    assert [k for k, _ in many] == [f"doc-{i}" for i in range(len(texts))]
    for (_, sugg), t in zip(many, texts, strict=True):
        assert sugg.spans == run(rule_suggester, t).spans


def test_suggester_suggest_many_two_processes_with_model(parser_suggester: Suggester) -> None:
    texts = [TEXT, '"We work continuously," Ryabkov said.']
    items = [(i, t, tokenize(t)) for i, t in enumerate(texts)]
    many = dict(parser_suggester.suggest_many(items, n_process=2))
    assert many[1].spans == run(parser_suggester, texts[1]).spans


def test_suggester_default_scheme_keeps_everything(rule_suggester: Suggester) -> None:
    sugg = run(rule_suggester, TEXT)
    assert sugg.dropped_labels == Counter()
    assert all(s.label in DEFAULT_SCHEME for s in sugg.spans)


def test_suggester_survives_tokens_that_leave_gaps(rule_suggester: Suggester) -> None:
    text = '"Hello there my friends," Anna said.'
    tokens = [t for t in tokenize(text) if text[t.start : t.end] != "there"]
    sugg = rule_suggester.suggest(text, tokens)  # must not raise
    from annotator.core import validate_span

    for span in sugg.spans:
        validate_span(span, text, tokens)
