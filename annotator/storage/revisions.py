"""The schema revisions this version knows, without importing Alembic.

Opening a project at the head revision (every open but the first of a new version)
compares its ``alembic_version`` row with these and never imports Alembic, whose
import costs a third of a second; Alembic is imported only to migrate and for
``annotator db check``. tests/storage/test_revisions.py checks this list against the
migration scripts, so adding a migration without adding its revision here fails.
"""

from __future__ import annotations

# Oldest first: the ``revision`` of each script in migrations/versions.
REVISIONS: tuple[str, ...] = ("0001", "0002", "0003", "0004", "0005", "0006")
HEAD_REVISION = REVISIONS[-1]
