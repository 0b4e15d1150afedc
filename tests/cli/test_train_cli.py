"""``annotator train`` / ``annotator trained`` from the command line, then ``suggest --model``."""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from annotator.cli import app
from annotator.nlp import pipeline

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()
TINY = [
    "--set", "training.max_steps=12",
    "--set", "training.eval_frequency=6",
    "--set", "components.ner.model.hidden_width=16",
    "--set", "components.ner.model.tok2vec.encode.width=32",
    "--set", "components.ner.model.tok2vec.encode.depth=1",
]  # fmt: skip


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("ANNOTATOR_MODELS_INDEX", str(tmp_path / "index.json"))
    pipeline.clear_cache()
    yield
    pipeline.clear_cache()


def _db(tmp_path: Path, n: int = 5) -> str:
    spec = importlib.util.spec_from_file_location("bench_train", ROOT / "bench" / "bench_train.py")
    assert spec is not None and spec.loader is not None
    bt = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bt)
    data = bt.write_jsonl(bt.labelled_records(n, words=80, seed=9), tmp_path / "a.jsonl")
    db = str(tmp_path / "p.db")
    result = runner.invoke(app, ["--db", db, "import", str(data)])
    assert result.exit_code == 0, result.output
    return db


def test_train_then_suggest_with_it_then_evaluate(tmp_path: Path) -> None:
    db = _db(tmp_path)
    result = runner.invoke(app, ["--db", db, "train", "--name", "cli", "--quiet", *TINY])
    assert result.exit_code == 0, result.output
    assert "model cli-v1 saved to" in result.output
    assert "held-out scores (1 documents): entities F1" in result.output
    assert "annotator suggest --model cli" in result.output

    listed = runner.invoke(app, ["--db", db, "trained", "--json"])
    assert listed.exit_code == 0, listed.output
    (record,) = json.loads(listed.output)
    assert record["name"] == "cli" and record["version"] == 1
    assert Path(record["path"]) == (tmp_path / "p-models" / "cli-v1").resolve()

    suggested = runner.invoke(app, ["--db", db, "suggest", "--model", "cli"])
    assert suggested.exit_code == 0, suggested.output
    assert "into 'suggestions:en_cli-1'" in suggested.output
    compared = runner.invoke(
        app, ["--db", db, "evaluate", "--reference", "gold", "--candidate", "suggestions:en_cli-1"]
    )
    assert compared.exit_code == 0, compared.output
    assert "documents: 5" in compared.output


def test_show_config_prints_both_layers_with_overrides(tmp_path: Path) -> None:
    db = _db(tmp_path, n=2)
    result = runner.invoke(
        app,
        ["--db", db, "train", "--show-config", "--set", "training.max_steps=9",
         "--set", "entities:training.patience=4"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    ents, quotes = result.output.split("# ===== quotes =====")
    assert "# ===== entities =====" in ents
    assert "max_steps = 9" in ents and "max_steps = 9" in quotes
    assert "patience = 4" in ents and "patience = 600" in quotes
    assert not (tmp_path / "p-models").exists()


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (["--set", "training.max_stepz=3"], "E370", "no setting 'max_stepz'"),
        (["--from", "nobody"], "E521", "Annotators: gold"),
        (["--base", "no_such_pipeline"], "E304", "Installed pipelines"),
        (["--eval-fraction", "1.5"], "E522", "--eval-fraction"),
    ],
)
def test_bad_inputs_are_one_line_errors(
    tmp_path: Path, args: list[str], code: str, says: str
) -> None:
    db = _db(tmp_path, n=2)
    result = runner.invoke(app, ["--db", db, "train", *args])
    assert result.exit_code == 2, result.output
    assert f"[{code}]" in result.output and says in result.output
    assert "Traceback" not in result.output
    listed = runner.invoke(app, ["--db", db, "trained"])
    assert "no trained models yet" in listed.output
