"""Engine and schema management: one ``Database`` per open project."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from annotator.core import AnnotatorError

_MIGRATIONS = Path(__file__).with_name("migrations")
log = logging.getLogger(__name__)


class StorageError(AnnotatorError):
    code = "E200"


class SchemaTooNewError(StorageError):
    code = "E201"


def to_url(db: str | Path) -> str:
    """A path or an SQLAlchemy URL to a URL."""
    text = str(db)
    if "://" in text:
        return text
    return f"sqlite:///{Path(text).expanduser().resolve()}"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers (a reviewer, a backup) work while the annotator writes;
    # busy_timeout makes a briefly locked file wait instead of failing at once.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    return cfg


class Database:
    """An engine plus a session factory, with the schema at the head revision."""

    def __init__(self, db: str | Path, *, upgrade: bool = True, echo: bool = False) -> None:
        self.url = to_url(db)
        url = make_url(self.url)
        self.is_sqlite = url.get_backend_name() == "sqlite"
        kwargs: dict[str, Any] = {"echo": echo}
        if self.is_sqlite:
            if url.database and url.database != ":memory:":
                Path(url.database).parent.mkdir(parents=True, exist_ok=True)
            kwargs["connect_args"] = {"timeout": 5, "check_same_thread": False}
        self.engine: Engine = create_engine(self.url, **kwargs)
        if self.is_sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)
            self._set_wal()
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.check_schema(upgrade=upgrade)

    def _set_wal(self) -> None:
        try:
            with self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA journal_mode=WAL")
        except OperationalError as exc:
            raise StorageError(f"Cannot open the database {self.url}: {exc.orig}") from exc

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
                    f"The database {self.url} was written by a newer version of the annotator "
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
        with self.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
        log.info("database %s upgraded to %s", self.url, self.head_revision())

    def session(self) -> Session:
        return self.sessions()

    def dispose(self) -> None:
        self.engine.dispose()
