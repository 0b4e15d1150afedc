"""``annotator option``: project-wide options kept in the project database."""

from __future__ import annotations

from typing import Annotated

import typer

from annotator.cli.common import DbOption, app, clear_errors, db_from, fail, out

# name -> (help, Project method that reads it, Project method that writes it)
_OPTIONS = {
    "enter-requires-decisions": (
        "Enter refuses to finish an article while suggestions on screen are undecided "
        "(off: Enter accepts them)",
        "finish_requires_decisions",
        "set_finish_requires_decisions",
    ),
}


@app.command()
def option(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(help="Option name; none lists them.")] = None,
    value: Annotated[str | None, typer.Argument(help="on or off; none shows it.")] = None,
    db: DbOption = None,
) -> None:
    """Show or set a project option (every annotator of the project gets it)."""
    if name is not None and name not in _OPTIONS:
        fail(f"No option {name!r}. Options: {', '.join(_OPTIONS)}.")
        return
    if value is not None and value not in ("on", "off"):
        fail(f"VALUE must be 'on' or 'off', not {value!r}.")
        return
    from annotator.app.project import Project

    with clear_errors(), Project.open(db_from(ctx, db)) as project:
        for key, (help_text, read, write) in _OPTIONS.items():
            if name is not None and key != name:
                continue
            if value is not None:
                getattr(project, write)(value == "on")
            out.print(f"{key}: {'on' if getattr(project, read)() else 'off'}  ({help_text})")
