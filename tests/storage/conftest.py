from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.storage.testing import backends, database_url


@pytest.fixture(params=backends())
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh project database on every configured backend (SQLite, and PostgreSQL
    when ANNOTATOR_TEST_PG_URL is set): the same test runs against each."""
    if request.param == "postgresql":
        request.applymarker(pytest.mark.pg)
    with database_url(request.param, tmp_path) as url:
        yield url
