"""``annotator db ...``: schema upgrade, copy/merge, consistency check, backup."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from annotator.cli.common import (
    DbOption,
    clear_errors,
    db_app,
    db_from,
    err,
    out,
    progress_bar,
)


@db_app.command("upgrade")
def upgrade(ctx: typer.Context, db: DbOption = None) -> None:
    """Bring the database schema up to this version (run automatically on open)."""
    from annotator.app.paths import resolve_db
    from annotator.storage.engine import Database

    with clear_errors():
        database = Database(resolve_db(db_from(ctx, db)), upgrade=True)
        out.print(f"{database.display_url}: schema at revision {database.current_revision()}")
        database.dispose()


@db_app.command("copy")
def copy(
    source: Annotated[
        str, typer.Option("--from", help="Project to read: a file path or an SQLAlchemy URL.")
    ],
    target: Annotated[
        str,
        typer.Option(
            "--to",
            help="Project to write: created when new, merged into when it has documents.",
        ),
    ],
    batch_size: Annotated[
        int, typer.Option("--batch", min=1, help="Documents per transaction.")
    ] = 200,
) -> None:
    """Copy a project between SQLite and PostgreSQL, or merge an annotator's file into a
    shared project. Same texts are stored once; where both hold an annotator's
    annotation of a document, the one saved last is kept and the conflict is listed."""
    from annotator.app.maintenance import copy_project

    with clear_errors(), progress_bar("copying documents") as progress:
        report = copy_project(source, target, batch_size=batch_size, progress=progress)
    out.print(
        f"copied {report.documents} documents ({report.documents_present} already there), "
        f"{report.annotations} annotations with {report.spans} spans, "
        f"{report.assignments} assignments, {report.settings} settings; "
        f"{report.annotators_created} new annotators"
    )
    if report.annotations_same or report.conflicts:
        out.print(
            f"merged: {report.annotations_same} identical, "
            f"{report.annotations_replaced} replaced by the newer source version, "
            f"{report.annotations_kept} kept (target newer)"
        )
    for conflict in report.conflicts:
        err.print(f"[yellow]conflict[/] {conflict}", soft_wrap=True)
    for key in report.settings_differing:
        err.print(f"[yellow]setting[/] {key}: kept the target's value", soft_wrap=True)
    # Rows the target cannot hold (a label too long for PostgreSQL, NUL in a text).
    for line in report.skipped:
        err.print(f"skipped {line}", soft_wrap=True, markup=False, highlight=False)
    if report.skipped:
        raise typer.Exit(1)


@db_app.command("check")
def check(ctx: typer.Context, db: DbOption = None) -> None:
    """Run SQLite's integrity and foreign-key checks, compare the schema with this
    version's, and run the data model's own checks."""
    from annotator.app.maintenance import examine_project, shown_text

    with clear_errors():
        report = examine_project(db_from(ctx, db))
    for name in report.checks:
        out.print(f"checked: {name}")
    for name in report.skipped:
        out.print(f"skipped: {name}")
    for problem in report.problems:
        err.print(f"[red]problem[/] {escape(shown_text(problem))}", soft_wrap=True)
    if not report.ok:
        out.print(f"{report.url}: {len(report.problems)} problem(s)")
        raise typer.Exit(1)
    out.print(f"{report.url}: ok")


@db_app.command("settle-suggestions")
def settle_suggestions(
    ctx: typer.Context,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="List what would change; change nothing.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Remove from finished versions the suggestions their annotator never saw.

    Projects made before the seen-only rule kept every suggestion on Enter, hidden
    low-confidence ones included. In a done version, the undecided suggestions shown by
    default become accepted (Enter accepts what is on screen) and the hidden ones are
    removed; in a skipped version every undecided suggestion is removed. `db check`
    lists the versions concerned."""
    from annotator.app.maintenance import settle_suggestions as settle

    with clear_errors():
        changes = settle(db_from(ctx, db), dry_run=dry_run)
    verb = "would change" if dry_run else "changed"
    for c in changes:
        out.print(
            f"{c.annotator}, document {c.document_id} ({c.status}): "
            f"{c.removed} unseen suggestion(s) removed, {c.accepted} shown one(s) accepted"
        )
    removed = sum(c.removed for c in changes)
    accepted = sum(c.accepted for c in changes)
    out.print(
        f"{verb} {len(changes)} finished version(s): {removed} suggestion(s) removed, "
        f"{accepted} accepted"
    )


@db_app.command("backup")
def backup(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="The backup file to write (SQLite).")],
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
    db: DbOption = None,
) -> None:
    """A consistent copy of the project, safe while the window is open."""
    from annotator.app.maintenance import backup_project

    with clear_errors(), progress_bar("backing up") as progress:
        written = backup_project(db_from(ctx, db), path, overwrite=force, progress=progress)
    out.print(f"backup written to {written}")
