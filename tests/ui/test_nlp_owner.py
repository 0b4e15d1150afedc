"""In the window, spaCy is imported and called by one thread only: the NLP worker.

Two threads importing spaCy at once crash ("partially initialized module
'spacy.util'"); the window started without --model once did so on most starts. The
child process opens the window as the README does and records every first import of
a spaCy or thinc module and every pipeline call with its thread.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from annotator.app.project import Project

HERE = Path(__file__).resolve().parent
SEEDS = HERE.parents[1] / "seeds"


def _run_child(db: Path, tmp_path: Path) -> dict:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }
    proc = subprocess.run(
        [sys.executable, str(HERE / "nlp_owner_child.py"), str(db)],
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith("RESULT ")]
    assert proc.returncode == 0 and lines, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    return json.loads(lines[-1][len("RESULT ") :])


def test_window_imports_and_calls_spacy_on_one_nlp_thread_only(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    with Project.open(db) as project:  # imported here, in the test process
        assert project.import_paths([SEEDS]).imported == 5
    result = _run_child(db, tmp_path)
    assert result["errors"] == []
    assert result["first_suggestions"] > 0 and result["second_suggestions"] > 0
    owner = result["nlp_thread"]
    assert owner is not None and owner != result["main"]
    importers = {thread for _name, thread in result["imports"]}
    assert importers == {owner}, [
        name for name, thread in result["imports"] if thread != owner
    ][:20]
    callers = {thread for _name, thread in result["calls"]}
    if result["model"] != "rules":  # a spaCy pipeline was loaded: it ran, on the owner
        assert result["calls"]
    assert callers <= {owner}


def test_window_pipeline_choice_happens_off_the_ui_thread(tmp_path: Path) -> None:
    """The current suggestion set names a pipeline: finding out whether it is installed
    imports spacy.util, which once ran on the UI thread while a worker imported spaCy."""
    db = tmp_path / "p.db"
    with Project.open(db) as project:
        assert project.import_paths([SEEDS]).imported == 5
        project.set_setting("current_suggestions", "suggestions:rules-1")
    result = _run_child(db, tmp_path)
    assert result["errors"] == []
    owner = result["nlp_thread"]
    assert {thread for _name, thread in result["imports"]} == {owner}
    assert result["model"] == "rules"
