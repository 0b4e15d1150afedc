"""Helpers for tests that run against SQLite and, when one is configured, PostgreSQL.

``ANNOTATOR_TEST_PG_URL`` names a PostgreSQL database the tests may use as a
*maintenance* connection (CI starts a throwaway server and sets it). Each test gets a
database of its own, created from it and dropped afterwards, so tests never see each
other's rows and can run in any order.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

PG_ENV = "ANNOTATOR_TEST_PG_URL"


def pg_base_url() -> str | None:
    return os.environ.get(PG_ENV) or None


def backends() -> list[str]:
    """``sqlite`` always, ``postgresql`` too when a test server is configured."""
    return ["sqlite", "postgresql"] if pg_base_url() else ["sqlite"]


@contextmanager
def temporary_pg_database(base_url: str | None = None) -> Iterator[str]:
    """A new, empty PostgreSQL database; yields its URL and drops it on exit."""
    base = base_url or pg_base_url()
    if not base:
        raise RuntimeError(f"{PG_ENV} is not set")
    name = f"annotator_t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = make_url(base).set(database=name).render_as_string(hide_password=False)
        yield url
    finally:
        with admin.connect() as conn:
            # WITH (FORCE) ends connections a failed test left behind (PostgreSQL 13+).
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def database_url(backend: str, tmp_path: Path, name: str = "project") -> Iterator[str]:
    """A fresh project URL on ``backend``: a file under ``tmp_path`` or a new PG database."""
    if backend == "sqlite":
        yield str(tmp_path / f"{name}.db")
    else:
        with temporary_pg_database() as url:
            yield url
