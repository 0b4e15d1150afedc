"""A file written by a newer version is refused without a byte changed.

The revision is read read-only before any pragma: the connect event switches files to
WAL, which rewrites the header (bytes 18-19), so a file in rollback-journal mode used to
come out in WAL mode while the message said it was not changed.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from annotator.app.project import Project
from annotator.cli import app
from annotator.storage.engine import Database, SchemaTooNewError

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _siblings(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir() if p.name.startswith(path.name))


@pytest.fixture
def future_file(tmp_path: Path) -> Path:
    """A project in rollback-journal mode whose revision is from the future."""
    path = tmp_path / "future.db"
    runner.invoke(app, ["--db", str(path), "import", str(ROOT / "seeds")])
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0] == "delete"
        conn.execute("UPDATE alembic_version SET version_num = 'zzzz'")
        conn.commit()
    finally:
        conn.close()
    assert path.read_bytes()[18:20] == b"\x01\x01"  # rollback journal, not WAL (2, 2)
    assert _siblings(path) == ["future.db"]
    return path


def test_project_open_refuses_a_newer_file_untouched(future_file: Path) -> None:
    before = _digest(future_file)
    with pytest.raises(SchemaTooNewError, match="the database was not changed") as caught:
        Project.open(future_file)
    assert "'zzzz'" in str(caught.value) and Database.head_revision() in str(caught.value)
    assert _digest(future_file) == before
    assert _siblings(future_file) == ["future.db"]  # no -wal, -shm or -journal left


@pytest.mark.parametrize(
    "argv",
    [["status"], ["db", "upgrade"], ["db", "check"], ["db", "backup", "BACKUP"], ["import", "S"]],
)
def test_commands_refuse_a_newer_file_untouched(
    future_file: Path, argv: list[str], tmp_path: Path
) -> None:
    before = _digest(future_file)
    places = {"BACKUP": str(tmp_path / "b.db"), "S": str(ROOT / "seeds")}
    result = runner.invoke(app, ["--db", str(future_file), *[places.get(a, a) for a in argv]])
    assert result.exit_code == 2, result.output
    assert "[E201]" in result.output and "written by a newer version" in result.output
    assert "the database was not changed" in result.output
    assert "Traceback" not in result.output
    assert _digest(future_file) == before
    assert _siblings(future_file) == ["future.db"]
    assert not (tmp_path / "b.db").exists()


def test_a_newer_file_given_as_a_url_is_refused_untouched(future_file: Path) -> None:
    before = _digest(future_file)
    with pytest.raises(SchemaTooNewError):
        Database(f"sqlite:///{future_file}", upgrade=False)
    assert _digest(future_file) == before


def test_a_current_file_in_rollback_journal_mode_still_opens(tmp_path: Path) -> None:
    """The read-only look does not get in the way of files it has no reason to refuse."""
    path = tmp_path / "old-mode.db"
    Database(path).dispose()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()
    with Project.open(path) as project:
        assert project.count_documents() == 0
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"
