"""Issue 14 item 4: the scheme option ``keep_that`` of the quote component
(hand-written sentences; a real spaCy pipeline and the rule pipeline)."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language

from annotator.nlp.quotes_component import BREAKS, COMPONENT, RESULT_KEY
from annotator.nlp.rules import build_rule_pipeline

from .conftest import MODEL, needs_model

INDIRECT = "The minister warned that prices would rise again next year."
MIXED = 'Ortiz said that the plan was "a betrayal of every voter."'
COMMA = "The minister warned that, in her view, prices would rise."


def _quote_texts(nlp: Language, text: str, **cfg: bool) -> list[str]:
    doc = nlp(text, component_cfg={COMPONENT: cfg}) if cfg else nlp(text)
    return [text[row[0] : row[1]] for row in doc.user_data[RESULT_KEY]["quotes"]]


def _with_component(nlp: Language, **config: bool) -> Language:
    nlp.add_pipe(BREAKS, first=True)
    nlp.add_pipe(COMPONENT, last=True, config=config)
    return nlp


@pytest.fixture(scope="module")
def parser_nlp_keep() -> Language:
    if MODEL not in spacy.util.get_installed_models():
        pytest.skip(f"{MODEL} is not installed")
    return _with_component(spacy.load(MODEL), keep_that=True)


@pytest.fixture(scope="module")
def parser_nlp_default() -> Language:
    if MODEL not in spacy.util.get_installed_models():
        pytest.skip(f"{MODEL} is not installed")
    return _with_component(spacy.load(MODEL))


@needs_model
def test_keep_that_is_off_by_default(parser_nlp_default: Language) -> None:
    assert parser_nlp_default.get_pipe(COMPONENT).keep_that is False  # type: ignore[attr-defined]
    assert _quote_texts(parser_nlp_default, INDIRECT) == ["prices would rise again next year"]


@needs_model
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (INDIRECT, "that prices would rise again next year"),
        (MIXED, 'that the plan was "a betrayal of every voter."'),
        (COMMA, "that, in her view, prices would rise"),
    ],
)
def test_keep_that_widens_indirect_and_mixed_quotes(
    parser_nlp_keep: Language, text: str, expected: str
) -> None:
    assert _quote_texts(parser_nlp_keep, text) == [expected]


@needs_model
def test_keep_that_leaves_direct_quotes_alone(parser_nlp_keep: Language) -> None:
    text = 'She said that: "Prices will rise again next year, and we know it."'
    assert _quote_texts(parser_nlp_keep, text) == [
        '"Prices will rise again next year, and we know it."'
    ]


def test_keep_that_in_the_rule_pipeline_and_per_call() -> None:
    nlp = _with_component(build_rule_pipeline(), keep_that=True)
    assert _quote_texts(nlp, MIXED) == ['that the plan was "a betrayal of every voter."']
    # a per-call option overrides the configured one
    assert _quote_texts(nlp, MIXED, keep_that=False) == [
        'the plan was "a betrayal of every voter."'
    ]


def test_heldout_bench_exact_matching_ignores_a_leading_that() -> None:
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "bench" / "bench_heldout.py"
    spec = importlib.util.spec_from_file_location("bench_heldout_for_test", path)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    text = "The minister warned that, prices would rise. Thatcher said so."
    key = bench.without_that(text)
    start = text.index("that")
    content = text.index("prices")
    end = text.index(".")
    assert key((start, end, "QUOTE")) == key((content, end, "QUOTE")) == (content, end, "QUOTE")
    assert key((start, end, "CUE")) == (start, end, "CUE")  # only quotes
    other = text.index("Thatcher")
    assert key((other, len(text) - 1, "QUOTE")) == (other, len(text) - 1, "QUOTE")
