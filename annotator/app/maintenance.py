"""Database maintenance use cases: copy/merge projects, check them, back them up.

Shared by ``annotator db ...`` and the window; no Qt here.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from annotator.app.paths import resolve_db
from annotator.storage.checks import CheckReport, backup_sqlite, check_database
from annotator.storage.engine import Database, StorageError
from annotator.storage.transfer import Conflict, CopyReport, copy_database

ProgressFn = Callable[[int, int], None]

__all__ = [
    "CheckReport",
    "Conflict",
    "CopyReport",
    "backup_project",
    "check_project",
    "copy_project",
]


def copy_project(
    source: str | Path,
    target: str | Path,
    *,
    batch_size: int = 200,
    progress: ProgressFn | None = None,
) -> CopyReport:
    """Copy the project at ``source`` into ``target`` (created if new, merged if not).

    The source is opened without upgrading it: copying never changes it."""
    src = Database(source, upgrade=False)
    try:
        dst = Database(target, upgrade=True)
        try:
            return copy_database(src, dst, batch_size=batch_size, progress=progress)
        finally:
            dst.dispose()
    finally:
        src.dispose()


def check_project(db: str | Path | None) -> CheckReport:
    database = Database(resolve_db(db), upgrade=False)
    try:
        return check_database(database)
    finally:
        database.dispose()


def backup_project(
    db: str | Path | None,
    path: Path,
    *,
    overwrite: bool = False,
    progress: ProgressFn | None = None,
) -> Path:
    """A consistent SQLite copy of the project at ``path`` while it stays in use.

    An SQLite project is copied with SQLite's backup API; a PostgreSQL one is copied
    into a new SQLite file from one snapshot (``pg_dump`` remains the server-side tool)."""
    path = Path(path).expanduser()
    if path.exists() and not overwrite:
        raise StorageError(
            f"{path} already exists; choose another name or pass --force to replace it.",
            code="E234",
        )
    database = Database(resolve_db(db), upgrade=False)
    try:
        if database.is_sqlite:
            return backup_sqlite(database, path, progress=progress)
        # Build the copy in a temporary file beside the target, then rename it over.
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=path.parent) as tmp:
            partial = Path(tmp) / path.name
            dst = Database(partial)
            try:
                copy_database(database, dst, progress=progress)
            finally:
                dst.dispose()
            partial.replace(path)
        return path.resolve()
    finally:
        database.dispose()
