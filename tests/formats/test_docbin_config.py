"""``export --format spacy --config``: the config's contents, and what is refused.

(``test_spacy_train.py`` trains with the written config; these check it quickly.)
"""

from __future__ import annotations

from pathlib import Path

import pytest
from confection import Config
from typer.testing import CliRunner

from annotator.cli import app
from annotator.formats.spacy_config import TrainingConfigError, training_config
from tests.formats.spacy_articles import write_articles

runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "p.db")
    write_articles(tmp_path / "a.jsonl", 4)
    result = runner.invoke(app, ["--db", path, "import", str(tmp_path / "a.jsonl")])
    assert result.exit_code == 0, result.output
    return path


def _export(db: str, *args: str) -> tuple[int, str]:
    base = ["--db", db, "export", "--format", "spacy", "--annotator", "imported"]
    result = runner.invoke(app, [*base, *args])
    return result.exit_code, result.output


def _read(path: Path) -> Config:
    return Config().from_str(path.read_text(encoding="utf-8"), interpolate=False)


def test_config_names_the_exported_train_and_dev_files(db: str, tmp_path: Path) -> None:
    corpus, cfg = tmp_path / "corpus", tmp_path / "cfg" / "config.cfg"
    code, out = _export(db, "--out", str(corpus), "--dev", "0.25", "--config", str(cfg))
    assert code == 0, out
    assert str(cfg) in out
    config = _read(cfg)
    assert config["paths"]["train"] == str((corpus / "train.spacy").resolve())
    assert config["paths"]["dev"] == str((corpus / "dev.spacy").resolve())
    assert config["nlp"]["pipeline"] == ["tok2vec", "ner", "spancat"]
    assert config["nlp"]["lang"] == "en"
    assert config["components"]["spancat"]["spans_key"] == "sc"
    assert config["training"]["score_weights"]["spans_sc_f"] > 0


def test_config_without_dev_split_scores_on_the_training_file(db: str, tmp_path: Path) -> None:
    out_file, folder = tmp_path / "all.spacy", tmp_path / "cfgdir"
    folder.mkdir()
    code, out = _export(db, "--out", str(out_file), "--config", str(folder))
    assert code == 0, out
    text = (folder / "config.cfg").read_text(encoding="utf-8")
    assert "No dev split was exported" in text
    config = _read(folder / "config.cfg")
    assert config["paths"]["train"] == config["paths"]["dev"] == str(out_file.resolve())


def test_config_for_another_span_key_weighs_that_key(db: str, tmp_path: Path) -> None:
    cfg = tmp_path / "config.cfg"
    code, out = _export(
        db, "--out", str(tmp_path / "q.spacy"), "--span-key", "quotes", "--config", str(cfg)
    )
    assert code == 0, out
    config = _read(cfg)
    weights = config["training"]["score_weights"]
    assert config["components"]["spancat"]["spans_key"] == "quotes"
    assert weights["spans_quotes_f"] > 0
    assert weights["spans_sc_f"] is None  # dropped from spaCy's table, not shown as 0


def test_config_with_another_format_is_refused_before_anything_is_written(
    db: str, tmp_path: Path
) -> None:
    out, cfg = tmp_path / "out.jsonl", tmp_path / "config.cfg"
    base = ["--db", db, "export", "--format", "jsonl", "--annotator", "imported"]
    result = runner.invoke(app, [*base, "--out", str(out), "--config", str(cfg)])
    assert result.exit_code != 0
    assert "[E350] --config writes a spaCy training config" in result.output
    assert not out.exists() and not cfg.exists()


def test_unwritable_config_is_a_clear_error_and_leaves_no_part_file(
    db: str, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    out = tmp_path / "all.spacy"
    code, printed = _export(db, "--out", str(out), "--config", str(blocker / "config.cfg"))
    assert code != 0
    assert "[E350] Cannot write the training config" in printed
    assert "The export itself was written" in printed
    assert out.is_file() and blocker.read_text() == "not a folder"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_a_language_spacy_does_not_have_is_a_clear_error() -> None:
    with pytest.raises(TrainingConfigError, match=r"\[E350\] spaCy cannot make .* 'zz'"):
        training_config(lang="zz", train=Path("t.spacy"), dev=Path("t.spacy"))
