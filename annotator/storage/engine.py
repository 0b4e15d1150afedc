"""Engine and schema management: one ``Database`` per open project."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from annotator.core import AnnotatorError

_MIGRATIONS = Path(__file__).with_name("migrations")
log = logging.getLogger(__name__)
_MIGRATION_LOCK = 0x616E6E6F  # any constant; "anno"


class StorageError(AnnotatorError):
    code = "E200"


class SchemaTooNewError(StorageError):
    code = "E201"


WRITE_FAILED = "E212"  # the code ``Project`` turns into ``StorageUnavailable``


def describe_operational_error(exc: BaseException, *, busy_timeout_ms: int | None = None) -> str:
    """A message a person can act on for a database that could not be used.

    The driver's own text stays at the end, for a bug report."""
    orig = getattr(exc, "orig", None) or exc
    raw = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
    low = raw.lower()
    if "locked" in low or "busy" in low:
        waited = f" (waited {busy_timeout_ms / 1000:g} s)" if busy_timeout_ms else ""
        return (
            f"The database is locked by another program{waited}. This change was not "
            "written and nothing was lost: it is kept, and saving again succeeds once the "
            f"other program finishes. ({raw})"
        )
    if "full" in low or "no space" in low or "too large" in low:
        return (
            "The disk is full (or the database reached its size limit): this change was "
            "not written; everything saved before it is intact. Free some space and save "
            f"again. ({raw})"
        )
    if "disk i/o error" in low:
        return (
            "The database file could not be written (disk I/O error: the disk may be full, "
            "removed or failing). This change was not written; everything saved before it "
            f"is intact. ({raw})"
        )
    if "readonly" in low or "read-only" in low:
        return f"The database is read-only here; nothing can be saved. ({raw})"
    if "unable to open" in low:
        return f"The database file cannot be opened (moved, deleted or no permission). ({raw})"
    if "connection" in low or "server" in low or "timeout" in low:
        return (
            "The database server cannot be reached; this change was not written. Check "
            f"the network and save again. ({raw})"
        )
    return f"The database cannot be written: {raw}"


def to_url(db: str | Path) -> str:
    """A path or an SQLAlchemy URL to a URL."""
    text = str(db)
    if "://" in text:
        return text
    return f"sqlite:///{Path(text).expanduser().resolve()}"


DEFAULT_BUSY_TIMEOUT_MS = 5000


def _sqlite_connect(busy_timeout_ms: int) -> Any:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # We issue BEGIN ourselves (see ``_sqlite_begin``): the sqlite3 module's own
        # transaction handling starts a transaction only before DML, so a read followed
        # by a write would upgrade a shared lock, which WAL refuses at once
        # (SQLITE_BUSY_SNAPSHOT) whatever the busy timeout.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        # WAL lets readers (a reviewer, a backup) work while the annotator writes;
        # busy_timeout makes a briefly locked file wait instead of failing at once;
        # synchronous=FULL: an action acknowledged to the annotator survives a power
        # cut too, not only a crash of the program (NORMAL would lose the last ones).
        # It costs one fsync per commit; imports and suggestion runs commit in batches.
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    return on_connect


def _sqlite_begin(conn: Any) -> None:
    # A session opened for writing takes the write lock up front (BEGIN IMMEDIATE),
    # so it waits for the busy timeout instead of failing half-way; reads stay
    # deferred and never block writers.
    immediate = conn.get_execution_options().get("annotator_write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    return cfg


class Database:
    """An engine plus a session factory, with the schema at the head revision."""

    def __init__(
        self,
        db: str | Path,
        *,
        upgrade: bool = True,
        echo: bool = False,
        busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
    ) -> None:
        self.url = to_url(db)
        url = make_url(self.url)
        # for messages: a server URL's password is never shown
        self.display_url = url.render_as_string(hide_password=True)
        self.backend = url.get_backend_name()
        self.is_sqlite = self.backend == "sqlite"
        self.busy_timeout_ms = busy_timeout_ms
        kwargs: dict[str, Any] = {"echo": echo}
        if self.is_sqlite:
            if url.database and url.database != ":memory:":
                Path(url.database).parent.mkdir(parents=True, exist_ok=True)
            kwargs["connect_args"] = {"timeout": busy_timeout_ms / 1000, "check_same_thread": False}
        else:
            # A shared server: renew connections before a typical idle timeout. No
            # pre-ping (a round trip per action): a save on a connection the server
            # dropped fails as StorageUnavailable, the pool is invalidated and the
            # caller's retry gets a fresh connection.
            kwargs["pool_recycle"] = 1800
        try:
            self.engine: Engine = create_engine(self.url, **kwargs)
        except (ImportError, ArgumentError) as exc:
            raise StorageError(f"Cannot open the database {self.display_url}: {exc}") from exc
        if self.is_sqlite:
            event.listen(self.engine, "connect", _sqlite_connect(busy_timeout_ms))
            event.listen(self.engine, "begin", _sqlite_begin)
            self._set_wal()
        # Sessions for writing: BEGIN IMMEDIATE on SQLite, plain on other databases.
        self.write_engine: Engine = self.engine.execution_options(annotator_write=True)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.write_sessions = sessionmaker(self.write_engine, expire_on_commit=False)
        try:
            self.check_schema(upgrade=upgrade)
        except OperationalError as exc:
            self.engine.dispose()
            raise StorageError(f"Cannot open the database {self.display_url}: {exc.orig}") from exc

    def _set_wal(self) -> None:
        # Outside any transaction: SQLite refuses to change the journal mode inside one.
        try:
            with self.engine.connect() as conn:
                raw = conn.connection.dbapi_connection
                assert raw is not None
                cursor = raw.cursor()
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.close()
        except (OperationalError, sqlite3.Error) as exc:
            orig = getattr(exc, "orig", exc)
            raise StorageError(f"Cannot open the database {self.display_url}: {orig}") from exc

    # schema -------------------------------------------------------------------------

    def current_revision(self) -> str | None:
        with self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    @staticmethod
    def head_revision() -> str:
        head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
        assert head is not None
        return head

    def check_schema(self, *, upgrade: bool) -> None:
        script = ScriptDirectory.from_config(_alembic_config())
        current = self.current_revision()
        if current is not None:
            try:
                script.get_revision(current)
            except Exception as exc:
                raise SchemaTooNewError(
                    f"The database {self.display_url} was written by a newer version of the "
                    "annotator "
                    f"(schema revision {current!r}, this version knows up to "
                    f"{script.get_current_head()!r}). Upgrade the annotator; the database was "
                    "not changed."
                ) from exc
        if current != script.get_current_head():
            if not upgrade:
                raise StorageError(
                    f"The database schema is at {current!r}; run `annotator db upgrade`."
                )
            self.upgrade()

    def upgrade(self) -> None:
        cfg = _alembic_config()
        with self.write_engine.begin() as conn:
            if self.backend == "postgresql":
                # Two annotators opening a new shared project at once: one migrates,
                # the other waits here and then finds the schema at head.
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK})")
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
        log.info("database %s upgraded to %s", self.url, self.head_revision())

    def session(self) -> Session:
        """A session for reading (or for a write that tolerates a lock upgrade)."""
        return self.sessions()

    def write_session(self) -> Session:
        """A session for one write transaction: on SQLite it holds the write lock from
        its first statement, so concurrent writers queue instead of failing."""
        return self.write_sessions()

    def dispose(self) -> None:
        self.engine.dispose()
