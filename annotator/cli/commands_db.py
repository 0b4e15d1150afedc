"""``annotator db ...``: schema upgrade and maintenance."""

from __future__ import annotations

import typer

from annotator.cli.common import DbOption, clear_errors, db_app, db_from, out
from annotator.storage.engine import Database


@db_app.command("upgrade")
def upgrade(ctx: typer.Context, db: DbOption = None) -> None:
    """Bring the database schema up to this version (run automatically on open)."""
    from annotator.app.paths import resolve_db

    with clear_errors():
        database = Database(resolve_db(db_from(ctx, db)), upgrade=True)
        out.print(f"{database.url}: schema at revision {database.current_revision()}")
        database.dispose()
