"""A database password never leaves the process: not in any command's output or error,
not in the window's "Cannot open the project" dialog.

No server is needed: the URLs point at a PostgreSQL port on 127.0.0.1 where nothing
listens (connection refused), which is what most real leaks went through (the error
quoting the URL). The success paths' wording is checked on SQLite URLs, and on the
test server when one is configured (a password in the URL is ignored by its trust
authentication but must still never be shown).
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from annotator.cli import app
from annotator.storage.engine import Database, StorageError, redact_text, redact_url

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
SECRET = "Pw-i11-S3cret"
runner = CliRunner()


def _refused_port() -> int:
    """A loopback port nothing listens on: bound, then released."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def pg_url() -> str:
    return f"postgresql+psycopg://alice:{SECRET}@127.0.0.1:{_refused_port()}/project"


def _all_output(result: Any) -> str:
    text = result.output
    with contextlib.suppress(ValueError):  # separate in Click 8.2+, may repeat output
        text += result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        text += repr(result.exception)
    return text


def _commands(url: str, tmp_path: Path) -> list[list[str]]:
    local = str(tmp_path / "local.db")
    return [
        ["--db", url, "db", "upgrade"],
        ["--db", url, "db", "check"],
        ["db", "check", "--db", url],
        ["db", "copy", "--from", local, "--to", url],
        ["db", "copy", "--from", url, "--to", local],
        ["--db", url, "db", "backup", str(tmp_path / "backup.db")],
        ["--db", url, "db", "settle-suggestions", "--dry-run"],
        ["--db", url, "status"],
        ["--db", url, "status", "--json"],
        ["--db", url, "import", str(SEEDS)],
        ["--db", url, "export", "--format", "jsonl", "--gold", "--out", str(tmp_path / "o")],
        ["--db", url, "agreement"],
        ["--db", url, "option"],
    ]


def test_no_command_prints_the_password_of_an_unreachable_server(
    pg_url: str, tmp_path: Path
) -> None:
    Database(tmp_path / "local.db").dispose()  # a real source for `db copy --to`
    for argv in _commands(pg_url, tmp_path):
        result = runner.invoke(app, argv)
        text = _all_output(result)
        assert result.exit_code != 0, (argv, text)
        assert SECRET not in text, (argv, text)
        assert "Traceback" not in text, (argv, text)
        if argv[-2:] != ["--db", pg_url]:  # the message names the server, masked
            assert "alice:***@127.0.0.1" in text, (argv, text)


def test_the_environment_variable_url_is_masked_too(pg_url: str) -> None:
    result = runner.invoke(app, ["db", "upgrade"], env={"ANNOTATOR_DB": pg_url})
    text = _all_output(result)
    assert result.exit_code != 0
    assert SECRET not in text and "alice:***@127.0.0.1" in text


def test_a_separate_process_prints_no_password(pg_url: str) -> None:
    """What really leaves the process: stdout and stderr of the installed command."""
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "from annotator.cli import main; raise SystemExit(main())",
            *["--db", pg_url, "db", "upgrade"],
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert proc.returncode != 0
    assert SECRET not in proc.stdout + proc.stderr
    assert "Connection refused" in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    "tail",
    [
        "?connect_timeout=abc",  # the driver refuses a parameter (not an OperationalError)
        "?sslmode=bogus",
    ],
)
def test_bad_connection_parameters_give_one_line_without_the_password(
    pg_url: str, tail: str
) -> None:
    result = runner.invoke(app, ["--db", pg_url + tail, "status"])
    text = _all_output(result)
    assert result.exit_code == 2, text
    assert SECRET not in text and "Traceback" not in text
    assert "error: [E200] Cannot open the database" in text


def test_a_url_that_cannot_be_parsed_is_masked() -> None:
    # a port that is not a number: SQLAlchemy's parser raises ValueError
    url = f"postgresql+psycopg://alice:{SECRET}@127.0.0.1:notaport/project"
    result = runner.invoke(app, ["--db", url, "status"])
    text = _all_output(result)
    assert result.exit_code == 2 and SECRET not in text and "Traceback" not in text
    with pytest.raises(StorageError) as caught:
        Database(url)
    assert SECRET not in str(caught.value)


def test_a_password_with_an_unescaped_at_sign_is_masked_whole() -> None:
    # SQLAlchemy reads "Pw-i11" as the password and "S3cret@127.0.0.1" as the host;
    # the person's password is both pieces, and a driver message quoting that "host"
    # ("failed to resolve host 'S3cret@127.0.0.1'") must not show the second one.
    url = "postgresql+psycopg://alice:Pw-i11@S3cret@127.0.0.1:5432/project"
    shown = redact_url(url)
    assert "Pw-i11" not in shown and "S3cret" not in shown
    assert shown.startswith("postgresql+psycopg://alice:***@")
    assert "S3cret" not in redact_text("failed to resolve host 'S3cret@127.0.0.1'")


def test_a_password_query_parameter_is_masked() -> None:
    shown = redact_url(f"postgresql+psycopg://alice@127.0.0.1/project?password={SECRET}")
    assert SECRET not in shown


def test_sqlite_success_wording_names_the_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'p.db'}"
    result = runner.invoke(app, ["--db", url, "db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert f"{url}: schema at revision {Database.head_revision()}" in result.output
    result = runner.invoke(app, ["--db", url, "db", "check"])
    assert result.exit_code == 0, result.output
    assert f"{url}: ok" in result.output
    result = runner.invoke(app, ["--db", url, "status"])
    assert f"database: {url}" in result.output


@pytest.mark.pg
def test_server_success_paths_mask_the_password(tmp_path: Path) -> None:
    from annotator.storage.testing import pg_base_url, temporary_pg_database

    if not pg_base_url():
        pytest.skip("no PostgreSQL test server (ANNOTATOR_TEST_PG_URL)")
    with temporary_pg_database() as base:
        url = make_url(base).set(password=SECRET).render_as_string(hide_password=False)
        local = tmp_path / "local.db"
        assert runner.invoke(app, ["--db", str(local), "import", str(SEEDS)]).exit_code == 0
        runs = [
            ["--db", url, "db", "upgrade"],
            ["--db", url, "db", "check"],
            ["db", "copy", "--from", str(local), "--to", url],
            ["--db", url, "status"],
            ["--db", url, "db", "backup", str(tmp_path / "backup.db")],
        ]
        for argv in runs:
            result = runner.invoke(app, argv)
            text = _all_output(result)
            assert result.exit_code == 0, (argv, text)
            assert SECRET not in text, (argv, text)
        upgraded = runner.invoke(app, ["--db", url, "db", "upgrade"]).output
        assert ":***@" in upgraded and "schema at revision" in upgraded


def test_the_window_dialog_shows_no_password(qtbot: Any, pg_url: str, tmp_path: Path) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from annotator.ui.app import _open_window

    seen: list[tuple[str, str]] = []

    def read_and_close() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, read_and_close)
            return
        seen.append((box.windowTitle(), box.text()))
        box.grab().save(str(tmp_path / "dialog.png"))
        box.done(0)

    QTimer.singleShot(20, read_and_close)
    assert _open_window(pg_url, "alice", None) is None
    assert seen, "no dialog was shown"
    title, text = seen[0]
    assert title == "Cannot open the project"
    assert SECRET not in text
    assert "Cannot open the database postgresql+psycopg://alice:***@127.0.0.1" in text


def test_recent_projects_never_keep_or_show_a_password(qtbot: Any, tmp_path: Path) -> None:
    """The settings file and File ▸ Recent projects: the URL without its password."""
    from PySide6.QtCore import QSettings

    from annotator.ui import settings as user_settings

    folder = tmp_path / "settings"
    folder.mkdir()
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    secret = "S3cretPass"
    user_settings.remember_project(f"postgresql+psycopg://ann:{secret}@127.0.0.1:1/db")
    assert user_settings.recent_projects()[0] == "postgresql+psycopg://ann@127.0.0.1:1/db"
    assert user_settings.last_project() == "postgresql+psycopg://ann@127.0.0.1:1/db"
    user_settings.settings().sync()
    for file in folder.rglob("*"):
        if file.is_file():
            assert secret not in file.read_text(errors="replace")
