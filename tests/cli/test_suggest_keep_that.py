"""``annotator suggest --keep-that``: the scheme option is kept in the project and the
stored quotes start at their complementiser "that"; ``--drop-that`` turns it off."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from annotator.app.project import Project
from annotator.app.suggest import KEEP_THAT_SETTING, current_suggestions
from annotator.cli import app

runner = CliRunner()
TEXT = 'The minister said that the plan was "a betrayal of every voter."\n'


def _quotes(db: Path) -> list[str]:
    with Project.open(db) as project:
        (doc_id,) = project.document_ids()
        ann = current_suggestions(project, doc_id)
        assert ann is not None
        return [TEXT[s.start : s.end] for s in ann.spans if s.label == "QUOTE"]


def _suggest(db: Path, *flags: str) -> None:
    result = runner.invoke(app, ["--db", str(db), "suggest", "--model", "rules", *flags])
    assert result.exit_code == 0, result.output


def test_keep_that_is_kept_in_the_project_and_used(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"text": TEXT}) + "\n", "utf-8")
    db = tmp_path / "p.db"
    assert runner.invoke(app, ["--db", str(db), "import", str(src)]).exit_code == 0
    _suggest(db)
    assert _quotes(db) == ['the plan was "a betrayal of every voter."']
    _suggest(db, "--keep-that")
    assert _quotes(db) == ['that the plan was "a betrayal of every voter."']
    with Project.open(db) as project:
        assert project.setting(KEEP_THAT_SETTING) == "1"
    _suggest(db)  # remembered: the window and later runs follow the project's scheme
    assert _quotes(db) == ['that the plan was "a betrayal of every voter."']
    _suggest(db, "--drop-that")
    assert _quotes(db) == ['the plan was "a betrayal of every voter."']


def test_a_new_models_suggestions_follow_the_option_too(tmp_path: Path) -> None:
    """``suggest_documents`` (a trained model's suggestions in the window, the open
    article's refresh) uses the project's scheme like the CLI and the window."""
    from annotator.app.suggest import set_keeps_that
    from annotator.app.training_runs import suggest_documents, use_model
    from annotator.nlp.pipeline import load_suggester

    with Project.open(tmp_path / "p.db") as project:
        src = tmp_path / "in.jsonl"
        src.write_text(json.dumps({"text": TEXT}) + "\n", "utf-8")
        project.import_paths([src])
        set_keeps_that(project, True)
        rules = load_suggester("rules")
        use_model(project, rules)
        (doc_id,) = project.document_ids()
        assert suggest_documents(project, rules, [doc_id]) == 1
        ann = current_suggestions(project, doc_id)
        assert ann is not None
        quotes = [TEXT[s.start : s.end] for s in ann.spans if s.label == "QUOTE"]
        assert quotes == ['that the plan was "a betrayal of every voter."']
