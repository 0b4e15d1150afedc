"""Shared pieces of the command line: the Typer app, options, errors, progress bars."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from annotator import __version__
from annotator.core import AnnotatorError

app = typer.Typer(
    name="annotator",
    help="Quote & Entity Annotator: label entities and quotations in news articles.",
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
app.add_typer(db_app, name="db")

err = Console(stderr=True, highlight=False)
out = Console(highlight=False, soft_wrap=True)

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Project database: a file path or an SQLAlchemy URL "
        "(default: $ANNOTATOR_DB, else a file in the user data folder).",
        envvar="ANNOTATOR_DB",
    ),
]


def fail(message: str, code: int = 2) -> None:
    from annotator.app.maintenance import shown_text

    # Every error goes out through here: no database password in it, whoever wrote it.
    err.print(f"[bold red]error:[/] {escape(shown_text(message))}", soft_wrap=True)
    raise typer.Exit(code)


@contextmanager
def clear_errors() -> Iterator[None]:
    """Show our errors as one line, not a traceback."""
    try:
        yield
    except AnnotatorError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"{exc.strerror or exc}: {exc.filename}" if exc.filename else str(exc))


@contextmanager
def progress_bar(description: str, *, enabled: bool = True) -> Iterator[Callable[[int, int], None]]:
    """A ``progress(done, total)`` callback drawing a bar with an ETA on stderr."""
    show = enabled and err.is_terminal and not os.environ.get("CI")
    if not show:
        yield lambda _done, _total: None
        return
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=False,
    ) as bar:
        task = bar.add_task(description, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


def version_callback(value: bool) -> None:
    if value:
        out.print(f"annotator {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def root(
    ctx: typer.Context,
    db: DbOption = None,
    annotator: Annotated[
        str | None, typer.Option("--annotator", help="Your annotator name.")
    ] = None,
    model: Annotated[
        str | None, typer.Option("--model", help="spaCy pipeline name or path, or 'rules'.")
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=version_callback, is_eager=True)
    ] = False,
) -> None:
    """Without a command, open the annotation window."""
    ctx.obj = {"db": db, "annotator": annotator, "model": model}
    if ctx.invoked_subcommand is None:
        launch_gui(db, annotator, model)


def launch_gui(db: str | None, annotator: str | None, model: str | None) -> None:
    try:
        from annotator.ui.app import run_gui
    except ImportError as exc:  # PySide6 missing or broken
        fail(f"cannot start the window: {exc}")
        return
    raise typer.Exit(run_gui(db, annotator, model))


@app.command()
def gui(
    db: DbOption = None,
    annotator: Annotated[str | None, typer.Option("--annotator")] = None,
    model: Annotated[str | None, typer.Option("--model")] = None,
) -> None:
    """Open the annotation window."""
    launch_gui(db, annotator, model)


def db_from(ctx: typer.Context, db: str | None) -> str | None:
    parent: Any = ctx.find_root().obj or {}
    return db or parent.get("db")


def main(argv: list[str] | None = None) -> int:
    try:
        app(args=argv, prog_name="annotator", standalone_mode=True)
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
