"""Database maintenance use cases: copy/merge projects, check them, back them up.

Shared by ``annotator db ...`` and the window; no Qt here.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
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
    "Settled",
    "backup_project",
    "check_project",
    "copy_project",
    "settle_suggestions",
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


@dataclass(frozen=True)
class Settled:
    """One finished version brought in line with the seen-only rule."""

    annotator: str
    document_id: int
    status: str
    accepted: int  # shown by default and left undecided on Enter: kept, as accepted
    removed: int  # never shown by default (or the version was skipped): removed


def settle_suggestions(db: str | Path | None, *, dry_run: bool = False) -> list[Settled]:
    """Make every person's finished version hold only what they saw and decided, as
    Enter does since the seen-only rule: in a done version, the undecided suggestions
    that were shown by default become accepted and the hidden ones are removed; in a
    skipped one, every undecided suggestion is removed. Each version is one
    transaction; ``dry_run`` only lists them. Agreement, review and export already
    read versions this way; this makes the stored data say so too."""
    from annotator.app.project import Project
    from annotator.core.seen import labels_seen
    from annotator.storage.checks import unsettled_annotations

    changes: list[Settled] = []
    with Project.open(db) as project:
        with project.db.engine.connect() as conn:
            found = unsettled_annotations(conn)
        for item in found:
            ann = project.load_annotation(item.document_id, item.annotator)
            if ann is None:
                continue
            settled = labels_seen(ann)
            before = {s.key for s in ann.spans}
            after = {s.key for s in settled.spans}
            changes.append(
                Settled(
                    item.annotator,
                    item.document_id,
                    item.status,
                    accepted=item.suggested - len(before - after),
                    removed=len(before - after),
                )
            )
            if not dry_run:
                project.save_version(ann, settled)
    return changes


def examine_project(db: str | Path | None) -> CheckReport:
    """``annotator db check``: every check, on a damaged project too. The quick table
    check at open is skipped (it would refuse the very project to examine); the report
    names each difference between the live schema and this version's instead."""
    database = Database(resolve_db(db), upgrade=False, verify_schema=False)
    try:
        return check_database(database)
    finally:
        database.dispose()


def shown_url(db: str | Path) -> str:
    """A project's path or URL as it may be shown (never a password)."""
    from annotator.storage.engine import redact_url

    return redact_url(db)


def shown_text(text: str) -> str:
    """A message with every database password this process has seen shown as ``***``."""
    from annotator.storage.engine import redact_text

    return redact_text(text)


def url_to_remember(db: str | Path) -> str:
    """A project's path or URL without its password, for the recent-projects list and
    the settings file (the password belongs in ~/.pgpass or PGPASSWORD, which the
    PostgreSQL driver reads when the URL has none)."""
    text = str(db)
    if "://" not in text or text.startswith("sqlite"):
        return text
    from sqlalchemy.engine import make_url

    try:
        url = make_url(text)
    except Exception:  # not a URL SQLAlchemy can read: nothing safe to remember
        return shown_url(text)
    if url.password is None:
        return text
    # URL.set(password=None) means "unchanged"; the NamedTuple replace drops it
    return url._replace(password=None).render_as_string(hide_password=False)
