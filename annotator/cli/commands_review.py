"""``annotator assign`` and ``annotator role``: several annotators on one project."""

from __future__ import annotations

from typing import Annotated

import typer

from annotator.app.project import Project
from annotator.cli.common import DbOption, app, clear_errors, db_from, fail, out
from annotator.core import AnnotatorRole


@app.command()
def assign(
    ctx: typer.Context,
    annotators: Annotated[str, typer.Option("--annotators", help="Comma-separated names.")],
    overlap: Annotated[int, typer.Option("--overlap", help="Annotators per document.")] = 1,
    db: DbOption = None,
) -> None:
    """Give each document to N of the annotators; each one's queue then holds only theirs."""
    from annotator.app.assignments import assign as do_assign

    names = [n.strip() for n in annotators.split(",") if n.strip()]
    with clear_errors(), Project.open(db_from(ctx, db)) as project:
        counts = do_assign(project, names, overlap)
        for name, n in counts.items():
            out.print(f"{name}: {n} documents")


@app.command()
def role(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Annotator name.")],
    new_role: Annotated[str, typer.Argument(metavar="ROLE", help="annotator or reviewer.")],
    db: DbOption = None,
) -> None:
    """Make someone a reviewer (sees everyone's work) or an annotator (sees only theirs)."""
    try:
        wanted = AnnotatorRole(new_role)
    except ValueError:
        fail(f"ROLE must be 'annotator' or 'reviewer', not {new_role!r}.")
        return
    with clear_errors(), Project.open(db_from(ctx, db)) as project:
        project.ensure_annotator(name)
        project.repo.set_role(name, wanted)
        out.print(f"{name} is now a {wanted}")
