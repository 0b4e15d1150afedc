"""A damaged schema is named, never met half-way: `db check` lists each difference
between the live schema and the models (and SQLite's search index), and every command
that opens such a project refuses it in one line (E205), with no traceback and no hang.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine
from typer.testing import CliRunner

from annotator.app.project import Project
from annotator.cli import app
from annotator.storage.checks import check_database
from annotator.storage.engine import Database, SchemaDamagedError

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
GOLD = ROOT / "tests" / "data" / "seeds_gold.jsonl"
runner = CliRunner()

# (what is damaged, the SQL that damages it, what `db check` must name)
DAMAGE = {
    "column": (
        "ALTER TABLE annotations DROP COLUMN flagged",
        "column annotations.flagged is missing",
    ),
    "table": ("DROP TABLE relations", "table relations is missing"),
    "search table": ("DROP TABLE documents_fts", "search table documents_fts is missing"),
}


def _seeded(path: Path) -> Path:
    for source in (SEEDS, GOLD):
        result = runner.invoke(app, ["--db", str(path), "import", str(source)])
        assert result.exit_code == 0, result.output
    return path


def _damage(path: Path, sql: str) -> None:
    conn = sqlite3.connect(path)
    try:
        conn.execute(sql)
        conn.commit()
    finally:
        conn.close()


@pytest.fixture(params=sorted(DAMAGE))
def damaged(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, str]:
    sql, named = DAMAGE[request.param]
    path = _seeded(tmp_path / "project.db")
    # the project opened fine before: the check at open is cached for it in this process
    Project.open(path).close()
    _damage(path, sql)
    return path, named


def _text(result: Any) -> str:
    text = result.output
    with contextlib.suppress(ValueError):  # separate in Click 8.2+, may repeat output
        text += result.stderr
    return text


def test_db_check_names_the_damage_and_exits_1(damaged: tuple[Path, str]) -> None:
    path, named = damaged
    result = runner.invoke(app, ["--db", str(path), "db", "check"])
    text = _text(result)
    assert result.exit_code == 1, text
    assert f"problem schema: {named}" in text
    assert "Traceback" not in text
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "skipped: the data checks, until the schema is repaired" in text


@pytest.mark.parametrize(
    "argv",
    [
        ["status"],
        ["status", "--json"],
        ["export", "--format", "jsonl", "--gold", "--out", "OUT"],
        ["import", "NEW"],
        ["db", "upgrade"],
        ["db", "copy", "--from", "DB", "--to", "COPY"],
        ["agreement"],
    ],
)
def test_commands_refuse_a_damaged_project_in_one_line(
    damaged: tuple[Path, str], argv: list[str], tmp_path: Path
) -> None:
    path, named = damaged
    new = tmp_path / "new"
    new.mkdir()
    (new / "a.txt").write_text('A new article. "Fine," she said.', encoding="utf-8")
    places = {"OUT": str(tmp_path / "out.jsonl"), "NEW": str(new), "DB": str(path)}
    places["COPY"] = str(tmp_path / "copy.db")
    args = [places.get(a, a) for a in argv]
    result = runner.invoke(app, ["--db", str(path), *args])
    text = _text(result)
    assert result.exit_code not in (0, None), text
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in text
    stderr = result.stderr  # Click 8.2+ keeps it apart (``output`` holds both)
    errors = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and len(stderr.strip().splitlines()) == 1, stderr
    assert "[E205]" in errors[0] and named in errors[0]
    assert "run `annotator db check`" in errors[0].lower()


def test_smoke_exits_promptly_on_a_damaged_project(damaged: tuple[Path, str]) -> None:
    path, named = damaged
    start = time.monotonic()
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "from annotator.cli import main; raise SystemExit(main())",
            *["--db", str(path), "smoke", "--timeout", "20"],  # the rules pipeline, as run
        ],
        capture_output=True,
        text=True,
        timeout=120,  # the old code hung here until its watchdog
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert proc.returncode != 0
    assert "[E205]" in proc.stderr and named in proc.stderr
    assert "Traceback" not in proc.stderr
    assert time.monotonic() - start < 60


def test_project_open_raises_a_storage_error_naming_it(damaged: tuple[Path, str]) -> None:
    path, named = damaged
    with pytest.raises(SchemaDamagedError, match=named) as caught:
        Project.open(path)
    assert caught.value.code == "E205"


def test_the_window_dialog_says_the_schema_is_damaged(qtbot: Any, tmp_path: Path) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from annotator.ui.app import _open_window

    path = _seeded(tmp_path / "project.db")
    _damage(path, DAMAGE["column"][0])
    seen: list[str] = []

    def read_and_close() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, read_and_close)
            return
        seen.append(box.text())
        box.grab().save(str(tmp_path / "dialog.png"))
        box.done(0)

    QTimer.singleShot(20, read_and_close)
    assert _open_window(str(path), "alice", None) is None
    assert seen and "column annotations.flagged is missing" in seen[0]
    assert "annotator db check" in seen[0]


# every backend: a fresh project has no differences; a damaged one is caught there too


def test_a_new_project_matches_the_models(db_url: str) -> None:
    db = Database(db_url)
    try:
        report = check_database(db)
    finally:
        db.dispose()
    assert report.ok, report.problems
    assert "tables, columns and indexes match this version's schema" in report.checks


@pytest.mark.parametrize("what", ["column", "table"])
def test_damage_is_caught_on_every_backend(db_url: str, what: str) -> None:
    from annotator.storage.engine import to_url

    # made without the check at open: on a server its result is kept for the process
    # (no cheap schema counter there, unlike SQLite's PRAGMA schema_version)
    Database(db_url, verify_schema=False).dispose()
    sql, named = DAMAGE[what]
    engine = create_engine(to_url(db_url))
    with engine.begin() as conn:
        conn.exec_driver_sql(sql)
    engine.dispose()
    with pytest.raises(SchemaDamagedError, match=named):
        Database(db_url)
    db = Database(db_url, upgrade=False, verify_schema=False)
    try:
        report = check_database(db)
    finally:
        db.dispose()
    assert f"schema: {named}" in report.problems


def test_a_dropped_index_is_named(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    Database(path).dispose()
    _damage(path, "DROP INDEX ix_annotations_annotator_status")
    db = Database(path)  # names only at open: a missing index does not break a query
    try:
        report = check_database(db)
    finally:
        db.dispose()
    assert any(
        p.startswith("schema: index ix_annotations_annotator_status on annotations")
        for p in report.problems
    ), report.problems


def test_a_dropped_search_shadow_table_is_named(tmp_path: Path) -> None:
    path = _seeded(tmp_path / "p.db")
    _damage(path, "DROP TABLE documents_fts_idx")
    result = runner.invoke(app, ["--db", str(path), "db", "check"])
    assert result.exit_code == 1
    assert "search table documents_fts_idx is missing" in _text(result)
    result = runner.invoke(app, ["--db", str(path), "status"])
    assert result.exit_code == 2 and "documents_fts_idx is missing" in _text(result)
