"""``annotator train``'s use case on a real project file and real (tiny) spaCy training."""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from annotator.app.evaluation import evaluate_sets
from annotator.app.project import Project
from annotator.app.suggest import run_suggest
from annotator.app.training import (
    TrainError,
    TrainRequest,
    heldout_positions,
    models_dir,
    show_config,
    train_model,
    trained_models,
)
from annotator.core import AnnotatorError, AnnotatorKind
from annotator.nlp import pipeline
from annotator.nlp.training_config import TrainingConfigError

ROOT = Path(__file__).resolve().parents[2]
# a few steps: these tests check what training makes, not how well it learns
TINY = [
    "training.max_steps=12",
    "training.eval_frequency=6",
    "components.ner.model.hidden_width=16",
    "components.ner.model.tok2vec.encode.width=32",
    "components.ner.model.tok2vec.encode.depth=1",
]


def bench_train() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_train", ROOT / "bench" / "bench_train.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def labelled_project(path: Path, n: int = 6, annotator: str = "gold") -> Project:
    bt = bench_train()
    data = bt.write_jsonl(
        bt.labelled_records(n, words=80, seed=5, annotator=annotator), path.parent / "a.jsonl"
    )
    project = Project.open(path)
    report = project.import_paths([data])
    assert report.annotations == n
    return project


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("ANNOTATOR_MODELS_INDEX", str(tmp_path / "index.json"))
    pipeline.clear_cache()
    yield
    pipeline.clear_cache()


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Project]:
    p = labelled_project(tmp_path / "p.db")
    yield p
    p.close()


def _annotations(project: Project) -> dict[str, int]:
    return {a.name: len(project.load_annotations(a)) for a in project.annotators()}


def test_trained_model_is_published_recorded_and_suggests(project: Project) -> None:
    result = train_model(project, TrainRequest(name="tiny", overrides=TINY, seed=2))
    model = result.model
    folder = Path(model.path)
    assert folder == (models_dir(project) / "tiny-v1").resolve()
    assert (folder / "meta.json").exists() and (folder / "config.cfg").exists()
    assert sorted(p.name for p in folder.parent.iterdir()) == ["tiny-v1"]  # no .part left
    meta = json.loads((folder / "meta.json").read_text())
    assert meta["name"] == "tiny" and meta["version"] == "1"
    assert meta["annotator"]["heldout_scores"] == model.scores
    assert (model.documents, model.train_documents, model.heldout_documents) == (6, 5, 1)
    assert set(model.scores) >= {"ents_f", "quotes_exact_f", "speaker_accuracy", "cue_accuracy"}
    assert model.spacy_version and model.trained_at
    assert [m.key for m in trained_models(project)] == ["tiny-v1"]

    # suggest --model NAME: the name resolves to the folder; its set is its own
    suggester = pipeline.load_suggester("tiny")
    assert "quote_ner" in suggester.nlp.pipe_names
    report = run_suggest(project, suggester)
    assert report.documents == 6
    assert report.annotation_set == model.suggestion_set == "suggestions:en_tiny-1"
    who = project.annotator(model.suggestion_set)
    assert who is not None and who.kind == AnnotatorKind.MODEL
    ev = evaluate_sets(project, "gold", model.suggestion_set)
    assert ev.documents == 6

    # a second training is version 2, both recorded; the name means the latest
    second = train_model(project, TrainRequest(name="tiny", overrides=TINY)).model
    assert second.version == 2 and Path(second.path).name == "tiny-v2"
    assert [m.key for m in trained_models(project)] == ["tiny-v1", "tiny-v2"]
    pipeline.clear_cache()
    assert pipeline.resolve_pipeline("tiny").path == second.path
    assert pipeline.resolve_pipeline("tiny-v1").path == model.path


def test_a_folder_loads_from_any_project(project: Project, tmp_path: Path) -> None:
    out = tmp_path / "elsewhere"
    model = train_model(project, TrainRequest(name="moved", out=out, overrides=TINY)).model
    assert Path(model.path).parent == out.resolve()
    with Project.open(tmp_path / "other.db") as other:
        other.import_paths([ROOT / "seeds"])
        report = run_suggest(other, pipeline.load_suggester(model.path))
        assert report.documents == 5


def test_cancelled_training_leaves_nothing(project: Project) -> None:
    before = _annotations(project)

    def stop(message: str) -> None:
        if message.startswith("training the quotes layer"):
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        train_model(project, TrainRequest(name="stopped", overrides=TINY), say=stop)
    folder = models_dir(project)
    assert not folder.exists() or list(folder.iterdir()) == []
    assert trained_models(project) == []
    assert _annotations(project) == before
    with pytest.raises(AnnotatorError, match="E304"):
        pipeline.resolve_pipeline("stopped", installed=[])


def test_learning_curve_file_is_written(project: Project, tmp_path: Path) -> None:
    chart = tmp_path / "curve.png"
    result = train_model(
        project, TrainRequest(name="curved", overrides=TINY, curve=chart, eval_fraction=0.34)
    )
    assert result.curve_path == chart and chart.stat().st_size > 1000
    assert chart.read_bytes()[:4] == b"\x89PNG"
    assert [p.fraction for p in result.curve] == [0.25, 0.5, 0.75, 1.0]
    assert [p.train_documents for p in result.curve] == [1, 2, 3, 4]
    assert result.curve[-1].scores == result.model.scores
    assert sorted(p.name for p in models_dir(project).iterdir()) == ["curved-v1"]


def test_heldout_split_is_fixed_by_the_seed() -> None:
    assert heldout_positions(10, 0.2, 1) == heldout_positions(10, 0.2, 1)
    assert len(heldout_positions(10, 0.2, 1)) == 2
    assert heldout_positions(10, 0.0, 1) == set()
    assert len(heldout_positions(3, 0.01, 0)) == 1  # at least one
    assert len(heldout_positions(2, 0.99, 0)) == 1  # never all


def test_show_config_applies_overrides_without_training(project: Project) -> None:
    text = show_config(project, TrainRequest(overrides=["quotes:training.max_steps=77"]))
    ents, quotes = text.split("# ===== quotes =====")
    assert "max_steps = 1500" in ents and "max_steps = 77" in quotes
    assert not models_dir(project).exists()


def _raises(project: Project, code: str, **kwargs: Any) -> str:
    before = _annotations(project)
    req = TrainRequest(**{"overrides": TINY, **kwargs})
    with pytest.raises(AnnotatorError) as info:
        train_model(project, req)
    assert f"[{code}]" in str(info.value)
    assert _annotations(project) == before  # nothing saved is lost
    assert trained_models(project) == []
    return str(info.value)


def test_bad_inputs_are_clear_errors(project: Project) -> None:
    assert "Annotators: gold" in _raises(project, "E521", source="nobody")
    _raises(project, "E521", source="gold", gold=True)
    assert "--show-config" in _raises(project, "E370", overrides=["training.max_stepz=1"])
    assert "Installed pipelines" in _raises(project, "E304", base="no_such_pipeline")
    _raises(project, "E522", eval_fraction=1.0)
    _raises(project, "E522", curve=Path("curve.gif"))
    _raises(project, "E523", name="bad name")
    _raises(project, "E523", name="rules")
    assert not models_dir(project).exists()


def test_nothing_finished_is_e520(tmp_path: Path) -> None:
    with Project.open(tmp_path / "empty.db") as p:
        p.import_paths([ROOT / "seeds"])  # documents, no annotations
        with pytest.raises(TrainError, match=r"\[E520\].*no finished annotations"):
            train_model(p, TrainRequest(overrides=TINY))
        with pytest.raises(TrainError, match=r"\[E520\].*no gold"):
            train_model(p, TrainRequest(gold=True, overrides=TINY))


def test_from_one_annotator_and_no_split(tmp_path: Path) -> None:
    with labelled_project(tmp_path / "p.db", n=3, annotator="ana") as p:
        model = train_model(
            p, TrainRequest(source="ana", eval_fraction=0, overrides=TINY, name="ana")
        ).model
        assert (model.source, model.train_documents, model.heldout_documents) == ("ana", 3, 0)
        assert model.scores == {}
        # without gold, the default is every finished human annotation
        default = train_model(p, TrainRequest(eval_fraction=0, overrides=TINY)).model
        assert default.source.startswith("gold, else") and default.train_documents == 3


def test_bad_config_value_fails_in_spacy_cleanly(project: Project) -> None:
    with pytest.raises(AnnotatorError, match=r"\[E371\]"):
        train_model(project, TrainRequest(overrides=[*TINY, 'training.dropout="lots"']))
    assert not any(models_dir(project).iterdir())
    with pytest.raises(TrainingConfigError):
        show_config(project, TrainRequest(overrides=["nlp.nothing=1"]))


def test_base_pipeline_weights_and_components_are_kept(project: Project) -> None:
    from annotator.nlp.pipeline import resolve_pipeline

    base = resolve_pipeline(None)
    if base.kind != "spacy":
        pytest.skip("no spaCy pipeline installed")
    # the sourced entity ner has no [model] section to set: these go to the quote layer
    tiny = ["training.max_steps=6", "training.eval_frequency=3"]
    tiny += [f"quotes:{o}" for o in TINY if o.startswith("components.")]
    model = train_model(
        project, TrainRequest(name="based", base=base.name, overrides=tiny, links="rules")
    ).model
    assert model.base == base.name
    suggester = pipeline.load_suggester("based")
    names = suggester.nlp.pipe_names
    assert names[names.index("quote_ner") :][:2] == ["quote_ner", "annotator_quote_spans"]
    assert "parser" in names and "ner" in names
    assert "PERSON" in suggester.nlp.get_pipe("ner").labels  # type: ignore[attr-defined]
    assert run_suggest(project, suggester).documents == 6
