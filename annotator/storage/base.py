"""What every part of the repository shares: the database, its error handling, one
write transaction per call, and the dialect-aware statements more than one part needs."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, TypeVar, cast

from sqlalchemy import Connection, Insert, Table, insert
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session

from annotator.core import Annotation
from annotator.storage.engine import (
    Database,
    StorageError,
    WriteFailedError,
    describe_operational_error,
)
from annotator.storage.models import (
    AnnotationRow,
    AnnotatorRow,
    AssignmentRow,
    DocumentNoteRow,
    DocumentRow,
    RejectionRow,
    RelationRow,
    SettingRow,
    SpanRow,
)

# The mapped classes' ``__table__`` is typed as a FromClause; these are the Tables.
ANNOTATIONS = cast(Table, AnnotationRow.__table__)
ANNOTATORS = cast(Table, AnnotatorRow.__table__)
ASSIGNMENTS = cast(Table, AssignmentRow.__table__)
DOCUMENTS = cast(Table, DocumentRow.__table__)
NOTES = cast(Table, DocumentNoteRow.__table__)
REJECTIONS = cast(Table, RejectionRow.__table__)
RELATIONS = cast(Table, RelationRow.__table__)
SETTINGS = cast(Table, SettingRow.__table__)
SPANS = cast(Table, SpanRow.__table__)

CHUNK = 500  # rows per IN (...) / executemany; well under SQLite's variable limit

T = TypeVar("T")


def now() -> datetime:
    return datetime.now(UTC)


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def max_id(conn: Connection, table: Table) -> int:
    """The largest id in ``table`` (0 when empty)."""
    return int(conn.exec_driver_sql(f"SELECT max(id) FROM {table.name}").scalar() or 0)


def sqlite_insert_rows(
    conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]
) -> None:
    """Insert ``rows`` (values in ``columns`` order) with one driver-level executemany.

    An import's hot path on SQLite: SQLAlchemy's insert() compiles per-row bind
    parameters and insertmanyvalues batches, several times SQLite's own work on the
    rows. Values go through the columns' own bind processors (the UTC time-stamps,
    JSON), so what is stored is exactly what insert() stores. Errors still come as
    SQLAlchemy's (an ``IntegrityError`` for a broken key)."""
    if not rows:
        return
    dialect = conn.dialect
    processors = [
        (i, proc)
        for i, name in enumerate(columns)
        if (proc := table.c[name].type.dialect_impl(dialect).bind_processor(dialect))
    ]
    params: Sequence[tuple[Any, ...]] = rows
    if processors:
        converted: list[tuple[Any, ...]] = []
        for row in rows:
            values = list(row)
            for i, proc in processors:
                values[i] = proc(values[i])
            converted.append(tuple(values))
        params = converted
    quoted = ", ".join(dialect.identifier_preparer.quote(name) for name in columns)
    marks = ", ".join("?" for _ in columns)
    conn.exec_driver_sql(f"INSERT INTO {table.name} ({quoted}) VALUES ({marks})", list(params))


def insert_ignore(bind: Session | Connection, table: Table) -> Insert:
    """INSERT ... ON CONFLICT DO NOTHING in the dialect of ``bind``; a plain insert on
    other servers (a duplicate then fails loudly instead of being skipped)."""
    dialect = bind.get_bind().dialect if isinstance(bind, Session) else bind.dialect
    if dialect.name == "sqlite":
        return sqlite_insert(table).on_conflict_do_nothing()
    if dialect.name == "postgresql":
        return pg_insert(table).on_conflict_do_nothing()
    return insert(table)


class ConflictError(StorageError):
    """Someone else saved this annotation since it was loaded (optimistic locking).

    ``current`` is the annotation as it is stored now (``None`` when it was deleted),
    so the caller can show it instead of the stale copy: the refused edit is never
    written over the other one."""

    code = "E210"

    def __init__(
        self, message: str, *, current: Annotation | None = None, code: str | None = None
    ) -> None:
        super().__init__(message, code=code)
        self.current = current


CONFLICT_MESSAGE = (
    "This annotation was changed elsewhere (another window or annotator) since it was "
    "opened, so this edit was not saved and nothing was overwritten. The current version "
    "has been reloaded: repeat the edit on it."
)


class Store:
    """One part of the repository: reads in short sessions, each write one transaction."""

    def __init__(self, db: Database) -> None:
        self.db = db

    @contextmanager
    def _db_errors(self) -> Iterator[None]:
        """Database failures become a ``StorageError`` whose message says what happened
        and that nothing was half-written."""
        try:
            yield
        except OperationalError as exc:
            raise WriteFailedError(
                describe_operational_error(exc, busy_timeout_ms=self.db.busy_timeout_ms)
            ) from exc
        except DataError as exc:
            raise StorageError(
                f"The database refused the data; nothing was written. ({exc.orig})",
                code="E214",
            ) from exc
        except IntegrityError:
            raise
        except DBAPIError as exc:
            if exc.connection_invalidated:
                raise WriteFailedError(describe_operational_error(exc)) from exc
            raise

    @contextmanager
    def _write_tx(self) -> Iterator[Session]:
        """One write transaction in an ORM session."""
        with self._db_errors(), self.db.write_session() as s, s.begin():
            yield s

    @contextmanager
    def _write_conn(self) -> Iterator[Connection]:
        """One write transaction on a bare connection: the per-keystroke save needs no
        ORM session, and skipping it is a good part of that path's cost."""
        with self._db_errors(), self.db.write_engine.begin() as conn:
            yield conn
