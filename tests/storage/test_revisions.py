"""storage/revisions.py against the migration scripts, and opens that skip Alembic."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from annotator.storage import Database
from annotator.storage.engine import _script
from annotator.storage.revisions import HEAD_REVISION, REVISIONS

ROOT = Path(__file__).resolve().parents[2]


def test_revisions_list_every_migration_oldest_first() -> None:
    script = _script()
    assert script.get_current_head() == HEAD_REVISION, (
        "a migration was added: add its revision to annotator/storage/revisions.py"
    )
    walked = [r.revision for r in script.walk_revisions("base", "heads")]
    assert tuple(reversed(walked)) == REVISIONS


def test_opening_a_database_at_head_does_not_import_alembic(db_path: Path) -> None:
    Database(db_path).dispose()  # made (and migrated) here
    code = (
        "import sys; from annotator.storage import Database; "
        f"db = Database({str(db_path)!r}); "
        "assert db.current_revision() == db.head_revision(), db.current_revision(); "
        "db.dispose(); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'alembic', 'mako'}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert result.stdout.strip() == "[]", result.stdout
