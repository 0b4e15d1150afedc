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
