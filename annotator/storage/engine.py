"""Engine and schema management: one ``Database`` per open project."""

from __future__ import annotations

import logging
import re
import sqlite3
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, unquote

from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from annotator.core import AnnotatorError
from annotator.storage.commit_counter import DataVersion
from annotator.storage.models import Base
from annotator.storage.revisions import HEAD_REVISION, REVISIONS

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

# Alembic is imported only to migrate (and by ``db check``): an open at the head
# revision reads the version row itself (storage/revisions.py).
_VERSION_TABLE = "alembic_version"
_MIGRATIONS = Path(__file__).with_name("migrations")
log = logging.getLogger(__name__)
_MIGRATION_LOCK = 0x616E6E6F  # any constant; "anno"


class StorageError(AnnotatorError):
    code = "E200"


class SchemaTooNewError(StorageError):
    code = "E201"


class SchemaDamagedError(StorageError):
    """The tables at the head revision are not the ones the models describe (a column
    or table dropped by hand, a half-restored file): refused at open, before a query
    meets the gap half-way through a command."""

    code = "E205"


class WriteFailedError(StorageError):
    """Nothing could be written (locked, disk full, file or server gone): the facade
    turns this into ``StorageUnavailable``, so the window keeps the edit and retries."""

    code = "E212"


WRITE_FAILED = WriteFailedError.code


def describe_operational_error(exc: BaseException, *, busy_timeout_ms: int | None = None) -> str:
    """A message a person can act on for a database that could not be used.

    The driver's own text stays at the end, for a bug report (never a password)."""
    orig = getattr(exc, "orig", None) or exc
    raw = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
    raw = redact_text(raw)
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


# Passwords: the one redaction path ------------------------------------------------------
#
# Every URL that leaves the process (output, error messages, logs, the window) goes
# through ``redact_url``; every message that may quote a driver's text goes through
# ``redact_text``, which also hides each password this process has been handed, so a
# driver message quoting part of one (an unescaped "@" in a password makes the rest
# look like a host name: "failed to resolve host 'rest@db.example'") shows "***".

_MASK = "***"
_MIN_SECRET = 3  # shorter pieces would mask ordinary words; the URL itself is still masked
_known_secrets: set[str] = set()
# scheme://user:password@ in any text; the password runs to the last "@" before a space
_URL_PASSWORD = re.compile(r"(\b[A-Za-z][\w+.-]*://[^:/@\s]*):[^\s]*@")


def _url_secrets(text: str) -> set[str]:
    """The password of a URL, however it is written: parsed by SQLAlchemy, read as
    everything between the first ":" and the *last* "@" of the authority (what the
    person meant when the password holds an unescaped "@"), percent-decoded, and a
    ``password=`` query parameter (which drivers accept too)."""
    scheme, sep, rest = text.partition("://")
    if not sep or scheme.startswith("sqlite"):
        return set()
    found: set[str] = set()
    authority, _, query = rest.partition("?")
    userinfo, at, _host = authority.rpartition("@")
    if at and ":" in userinfo:
        password = userinfo.split(":", 1)[1]
        found |= {password, unquote(password)}
        found |= {piece for piece in password.split("@")}
    for key, value in parse_qsl(query, keep_blank_values=False):
        if key.lower() in {"password", "passwd"}:
            found |= {value, unquote(value)}
    try:
        parsed = make_url(text).password
    except Exception:  # an unparsable URL: the text reading above is all there is
        parsed = None
    if parsed:
        found.add(str(parsed))
    return {s for s in found if len(s) >= _MIN_SECRET}


def remember_secrets(url: str | Path) -> None:
    """Note the password of ``url`` so ``redact_text`` hides it wherever it turns up."""
    _known_secrets.update(_url_secrets(str(url)))


def redact_text(text: str) -> str:
    """``text`` with every known password and every ``user:password@`` shown as ``***``."""
    text = _URL_PASSWORD.sub(lambda m: f"{m.group(1)}:{_MASK}@", text)
    for secret in sorted(_known_secrets, key=len, reverse=True):
        text = text.replace(secret, _MASK)
    return text


def redact_url(db: str | Path) -> str:
    """A path or URL as it may be shown: a server URL never shows its password
    (SQLAlchemy's ``render_as_string(hide_password=True)``, and the pieces it cannot
    see, such as a password with an unescaped "@" or a ``password=`` parameter)."""
    text = str(db)
    if "://" not in text:
        return text  # a file path holds no password
    remember_secrets(text)
    try:
        shown = make_url(text).render_as_string(hide_password=True)
    except Exception:  # unparsable: hide what looks like a password in the raw text
        shown = text
    return redact_text(shown)


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
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    return cfg


@lru_cache(maxsize=1)
def _script() -> ScriptDirectory:
    """The migration scripts, as Alembic reads them (for the tests of revisions.py)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config())


def _head_revision() -> str:
    return HEAD_REVISION


def _known_revision(revision: str) -> bool:
    return revision in REVISIONS


def read_revision(conn: Connection) -> str | None:
    """The revision in the ``alembic_version`` table (``None``: no table or no row),
    read as Alembic's ``MigrationContext.get_current_revision`` reads it."""
    if not inspect(conn).has_table(_VERSION_TABLE):
        return None
    rows = conn.exec_driver_sql(f"SELECT version_num FROM {_VERSION_TABLE}").fetchall()
    if len(rows) > 1:
        raise StorageError(
            f"The database's {_VERSION_TABLE} table holds {len(rows)} revisions; "
            "this version expects one."
        )
    return str(rows[0][0]) if rows and rows[0][0] is not None else None


def _too_new_message(display_url: str, current: str) -> str:
    return (
        f"The database {display_url} was written by a newer version of the annotator "
        f"(schema revision {current!r}, this version knows up to {_head_revision()!r}). "
        "Upgrade the annotator; the database was not changed."
    )


def _read_revision_readonly(path: Path, busy_timeout_ms: int) -> str | None:
    """The Alembic revision stored in an SQLite file, read without writing a byte;
    ``None`` for a new file, a file without one, or one that cannot be read this way
    (the normal open then says what is wrong)."""
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=busy_timeout_ms / 1000
        )
    except sqlite3.Error:
        return None
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:  # no alembic_version yet, not a database, a hot journal
        return None
    finally:
        conn.close()
    return str(row[0]) if row and row[0] is not None else None


# The search index (SQLite only) is made by migration 0004 outside the models: the FTS5
# table and the shadow tables FTS5 keeps for it (no _content one: external content).
SEARCH_TABLE = "documents_fts"
SEARCH_SHADOW_TABLES = tuple(f"{SEARCH_TABLE}_{s}" for s in ("data", "idx", "docsize", "config"))
SEARCH_TRIGGER = "documents_fts_delete"

_verified: set[tuple[str, Any]] = set()  # databases whose tables passed, this process


def _schema_version(conn: Connection) -> int:
    return int(conn.exec_driver_sql("PRAGMA schema_version").scalar() or 0)


def missing_tables_and_columns(conn: Connection, *, sqlite: bool) -> list[str]:
    """Each model table or column (and, on SQLite, search table) the database lacks."""
    inspector = inspect(conn)
    present = set(inspector.get_table_names())
    columns = {
        table: {c["name"] for c in cols}
        for (_schema, table), cols in inspector.get_multi_columns().items()
    }
    missing: list[str] = []
    for table in Base.metadata.sorted_tables:
        if table.name not in present:
            missing.append(f"table {table.name} is missing")
            continue
        have = columns.get(table.name, set())
        missing += [
            f"column {table.name}.{c.name} is missing" for c in table.columns if c.name not in have
        ]
    if sqlite and SEARCH_TABLE not in present:  # dropping it drops its shadow tables too
        missing.append(f"search table {SEARCH_TABLE} is missing")
    elif sqlite:
        gone = [name for name in SEARCH_SHADOW_TABLES if name not in present]
        missing += [f"search table {name} is missing" for name in gone]
    return missing


def _create_sqlite_schema(conn: Connection) -> bool:
    """Make the head schema in an empty SQLite file from storage/sqlite_schema.py (what
    the migrations make there, checked by tests/storage/test_sqlite_schema.py), without
    importing Alembic; ``False`` (nothing done) for a file that holds anything. Runs in
    the caller's write transaction (BEGIN IMMEDIATE): a second process creating the same
    file waits, then finds it at head."""
    from annotator.storage import sqlite_schema

    if sqlite_schema.REVISION != HEAD_REVISION:  # a stale snapshot: migrate instead
        return False
    if conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar():
        return False
    for statement in sqlite_schema.STATEMENTS:
        conn.exec_driver_sql(statement)
    for table, row in sqlite_schema.ROWS:
        marks = ", ".join("?" * len(row))
        conn.exec_driver_sql(f'INSERT INTO "{table}" VALUES ({marks})', row)
    return True


class Database:
    """An engine plus a session factory, with the schema at the head revision."""

    def __init__(
        self,
        db: str | Path,
        *,
        upgrade: bool = True,
        echo: bool = False,
        busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
        verify_schema: bool = True,
    ) -> None:
        """``verify_schema=False`` skips the quick table check at open: for
        ``db check``, which compares the whole schema and names every difference."""
        self.url = to_url(db)
        # for messages: a server URL's password is never shown
        self.display_url = redact_url(self.url)
        try:
            url = make_url(self.url)
        except (ArgumentError, ValueError) as exc:  # e.g. a port that is not a number
            raise StorageError(
                redact_text(f"Cannot open the database {self.display_url}: {exc}")
            ) from exc
        self.backend = url.get_backend_name()
        self.is_sqlite = self.backend == "sqlite"
        # a SQLite file's commit count (storage/commit_counter.py); None: always read
        self.data_version: DataVersion | None = None
        self.busy_timeout_ms = busy_timeout_ms
        kwargs: dict[str, Any] = {"echo": echo}
        if self.is_sqlite:
            if url.database and url.database != ":memory:":
                # Before anything can write (the connect event below switches the file
                # to WAL, which rewrites its header): a file from a newer version is
                # refused untouched.
                self._refuse_newer_file(Path(url.database))
                Path(url.database).parent.mkdir(parents=True, exist_ok=True)
                self.data_version = DataVersion(Path(url.database))
            kwargs["connect_args"] = {"timeout": busy_timeout_ms / 1000, "check_same_thread": False}
        else:
            # A shared server: renew connections before a typical idle timeout. No
            # pre-ping (a round trip per action): a save on a connection the server
            # dropped fails as StorageUnavailable, the pool is invalidated and the
            # caller's retry gets a fresh connection.
            kwargs["pool_recycle"] = 1800
        try:
            self.engine: Engine = create_engine(self.url, **kwargs)
        except (ImportError, ArgumentError, ValueError, TypeError) as exc:
            raise StorageError(
                redact_text(f"Cannot open the database {self.display_url}: {exc}")
            ) from exc
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
            if verify_schema:
                self.verify_tables()
        except DBAPIError as exc:  # refused, bad parameters, a migration meeting a gap
            self.engine.dispose()
            raise StorageError(
                redact_text(f"Cannot open the database {self.display_url}: {exc.orig}")
            ) from exc
        except BaseException:
            self.engine.dispose()
            raise

    def _refuse_newer_file(self, path: Path) -> None:
        """Read the file's revision read-only (``mode=ro``: SQLite writes nothing, not
        even a journal) and refuse one written by a newer version."""
        current = _read_revision_readonly(path, self.busy_timeout_ms)
        if current is not None and not _known_revision(current):
            raise SchemaTooNewError(_too_new_message(self.display_url, current))

    def _set_wal(self) -> None:
        # Outside any transaction: SQLite refuses to change the journal mode inside one.
        try:
            with self.engine.connect() as conn:
                raw = conn.connection.dbapi_connection
                assert raw is not None
                cursor = raw.cursor()
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.close()
        except (DBAPIError, sqlite3.Error) as exc:
            orig = getattr(exc, "orig", exc)
            raise StorageError(
                redact_text(f"Cannot open the database {self.display_url}: {orig}")
            ) from exc

    # schema -------------------------------------------------------------------------

    def current_revision(self) -> str | None:
        with self.engine.connect() as conn:
            return read_revision(conn)

    @staticmethod
    def head_revision() -> str:
        return _head_revision()

    def check_schema(self, *, upgrade: bool) -> None:
        current = self.current_revision()
        if current is not None and not _known_revision(current):
            raise SchemaTooNewError(_too_new_message(self.display_url, current))
        if current != _head_revision():
            if not upgrade:
                raise StorageError(
                    f"The database schema is at {current!r}; run `annotator db upgrade`."
                )
            self.upgrade()

    def upgrade(self) -> None:
        with self.write_engine.begin() as conn:
            if self.backend == "postgresql":
                # Two annotators opening a new shared project at once: one migrates,
                # the other waits here and then finds the schema at head.
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK})")
            if self.is_sqlite and _create_sqlite_schema(conn):
                log.info("database %s created at %s", self.display_url, self.head_revision())
                return
            from alembic import command

            cfg = _alembic_config()
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
        log.info("database %s upgraded to %s", self.display_url, self.head_revision())

    def verify_tables(self) -> None:
        """The quick check at open: every table and column of the models is there (and
        SQLite's search tables). Names only, one inspection per database and process
        (on SQLite, again after any schema change: ``PRAGMA schema_version``), so an
        open stays cheap; ``annotator db check`` compares types and indexes too."""
        with self.engine.connect() as conn:
            key = (self.url, _schema_version(conn) if self.is_sqlite else None)
            if key in _verified:
                return
            missing = missing_tables_and_columns(conn, sqlite=self.is_sqlite)
        if missing:
            more = f" (and {len(missing) - 1} more difference(s))" if len(missing) > 1 else ""
            raise SchemaDamagedError(
                f"The database {self.display_url} does not match this version's schema: "
                f"{missing[0]}{more}. It was changed outside the annotator or restored "
                "incompletely; nothing was changed now. Run `annotator db check` to list "
                "every difference, and restore the database from a backup."
            )
        _verified.add(key)

    def session(self) -> Session:
        """A session for reading (or for a write that tolerates a lock upgrade)."""
        return self.sessions()

    def write_session(self) -> Session:
        """A session for one write transaction: on SQLite it holds the write lock from
        its first statement, so concurrent writers queue instead of failing."""
        return self.write_sessions()

    def commit_count(self) -> int | None:
        """The SQLite file's commit count (``DataVersion``): while it is unchanged, a row
        read before is still current. None on a server database: always read."""
        return self.data_version.current() if self.data_version is not None else None

    def dispose(self) -> None:
        if self.data_version is not None:
            self.data_version.close()
        self.engine.dispose()
