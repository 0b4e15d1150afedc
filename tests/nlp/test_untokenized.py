"""Documents without stored tokens go into the pipeline as text when the pipeline
tokenizes as the project does: the same suggestions and the same tokens as the
stored-token path, in one process and in worker processes."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.nlp.pipeline import load_suggester
from annotator.nlp.suggester import Suggester, Suggestions
from annotator.nlp.tokenize import same_tokenizer, tokenize

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def _texts() -> list[str]:
    texts = [p.read_text("utf-8") for p in sorted(SEEDS.glob("*.txt"))[:6]]
    # paragraph breaks of every shape, a URL, an emoji and a CRLF
    texts.append("Headline here\n\n“We will win,” Ryabkov said.\r\nShe said https://x.org/a.\n")
    texts.append("One line.\n\n\n\nAfter many breaks 🙂 the minister said talks went well.")
    texts.append("")
    return texts


def _shape(result: Suggestions) -> tuple[object, ...]:
    spans = sorted((s.start, s.end, s.label, s.kind, s.confidence) for s in result.spans)
    relations = sorted((r.head, r.child, r.label) for r in result.relations)
    return (spans, relations, sorted(result.referents.items()), result.words)


def _both(suggester: Suggester, n_process: int) -> None:
    texts = _texts()
    stored = list(
        suggester.suggest_many(
            [(i, t, tokenize(t)) for i, t in enumerate(texts)], batch_size=4, n_process=n_process
        )
    )
    fresh = list(
        suggester.suggest_many(
            [(i, t, None) for i, t in enumerate(texts)], batch_size=4, n_process=n_process
        )
    )
    assert [k for k, _ in fresh] == list(range(len(texts)))
    for (_, a), (_, b), text in zip(stored, fresh, texts, strict=True):
        assert a.tokens is None  # it came with its tokens
        assert b.tokens == tokenize(text)  # the ones to store: the project's
        assert _shape(b) == _shape(a)


def test_rule_pipeline_takes_text_and_finds_the_same(rule_suggester: Suggester) -> None:
    assert rule_suggester.tokenizes_as_project()
    _both(rule_suggester, 1)


def test_parser_pipeline_takes_text_and_finds_the_same(parser_suggester: Suggester) -> None:
    assert parser_suggester.tokenizes_as_project()
    assert parser_suggester.nlp.pipe_names[0] == "annotator_breaks"
    _both(parser_suggester, 1)


@pytest.mark.slow
def test_parser_pipeline_in_two_processes(parser_suggester: Suggester) -> None:
    _both(parser_suggester, 2)


def test_a_pipeline_with_other_tokenizer_rules_gets_the_projects_tokens() -> None:
    """A pipeline whose tokenizer splits differently never decides the stored tokens."""
    from spacy.attrs import ORTH

    from annotator.nlp.pipeline import clear_cache

    clear_cache()
    try:
        suggester = load_suggester("rules")
        suggester.nlp.tokenizer.add_special_case("Ryabkov", [{ORTH: "Ryab"}, {ORTH: "kov"}])
        suggester._same_tokenizer.clear()
        assert not same_tokenizer(suggester.nlp)
        assert not suggester.tokenizes_as_project()
        text = "They will sign it, Ryabkov said."
        ((_, result),) = suggester.suggest_many([(0, text, None)])
        assert result.tokens == tokenize(text)
        assert "Ryabkov" in [text[t.start : t.end] for t in result.tokens]
    finally:
        clear_cache()  # the changed pipeline must not serve other tests
