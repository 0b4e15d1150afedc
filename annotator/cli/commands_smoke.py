"""``annotator smoke`` (hidden): open the window offscreen, check it, close it, exit 0.

Used by the packaging test on the frozen bundle and handy on a new machine: it proves
that Qt, its platform plugin, the database migrations, spaCy and the rule resources all
load. The window is built exactly as ``annotator`` builds it, but on the ``offscreen``
platform (unless ``QT_QPA_PLATFORM`` says otherwise) and with its settings in a
temporary folder, so the person's window layout and recent projects are untouched.
"""

from __future__ import annotations

import faulthandler
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Annotated, Any

import typer

from annotator.cli.common import DbOption, app, clear_errors, db_from, err, out


def _pump(qt_app: Any, until: Callable[[], bool], timeout: float, minimum: float = 0.0) -> bool:
    """Process Qt events until ``until()`` holds (and ``minimum`` seconds passed)."""
    start = time.monotonic()
    while True:
        qt_app.processEvents()
        elapsed = time.monotonic() - start
        if elapsed >= minimum and until():
            return True
        if elapsed >= timeout:
            return False
        time.sleep(0.01)


@contextmanager
def _watchdog(seconds: float) -> Iterator[None]:
    """Exit 1 with every thread's stack if the smoke is still running after ``seconds``.

    A modal dialog (an error message box) runs its own event loop that nothing offscreen
    will ever close; this turns such a hang into a failure that says where it stopped.
    """

    def expire() -> None:
        err.print(f"smoke: still running after {seconds:.0f} s (a modal dialog or a hang):")
        sys.stderr.flush()
        faulthandler.dump_traceback(file=sys.stderr, all_threads=True)
        os._exit(1)

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


@contextmanager
def _recorded_errors(errors: list[str]) -> Iterator[None]:
    """Record exceptions that escape Qt slots (Qt prints them and carries on)."""
    previous = sys.excepthook

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        errors.append(f"{kind.__name__}: {exc}")
        previous(kind, exc, tb)

    sys.excepthook = hook
    try:
        yield
    finally:
        sys.excepthook = previous


@app.command("smoke", hidden=True)
def smoke(
    ctx: typer.Context,
    db: DbOption = None,
    model: Annotated[
        str,
        typer.Option("--model", help="Pipeline to load in the window ('rules' needs no model)."),
    ] = "rules",
    no_model: Annotated[
        bool, typer.Option("--no-model", help="Do not load any NLP pipeline.")
    ] = False,
    seconds: Annotated[
        float, typer.Option("--seconds", min=0, help="Keep the window open at least this long.")
    ] = 0.3,
    timeout: Annotated[
        float, typer.Option("--timeout", min=1, help="Give up after this many seconds.")
    ] = 60.0,
    screenshot: Annotated[
        Path | None, typer.Option("--screenshot", help="Save the grabbed window as a PNG.")
    ] = None,
) -> None:
    """Open the main window offscreen on a database (default: a new temporary one),
    wait for the NLP pipeline and the first article, grab the window, close it."""
    with tempfile.TemporaryDirectory(prefix="annotator-smoke-") as tmp:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        os.environ["XDG_CONFIG_HOME"] = str(Path(tmp) / "config")  # QSettings (Linux)
        target = db_from(ctx, db) or str(Path(tmp) / "smoke.db")
        parent: dict[str, Any] = ctx.find_root().obj or {}
        with clear_errors(), _watchdog(timeout + 30):
            code = _run(
                target,
                parent.get("annotator") or "smoke",
                None if no_model else (parent.get("model") or model),
                seconds=seconds,
                timeout=timeout,
                screenshot=screenshot,
            )
    raise typer.Exit(code)


def _run(
    db: str,
    annotator: str,
    model: str | None,
    *,
    seconds: float,
    timeout: float,
    screenshot: Path | None,
) -> int:
    try:
        from annotator.ui.app import _application, build_main_window
    except ImportError as exc:  # PySide6 missing or a Qt library not found
        err.print(f"smoke: cannot load the window: {exc}", soft_wrap=True)
        return 1
    from annotator.app.project import Project

    qt_app = _application()
    project = Project.open(db)
    documents = project.count_documents(annotator)
    window = build_main_window(
        project, annotator, model=model, load_model=model is not None, owns_project=True
    )
    opened: list[int] = []
    window.documentOpened.connect(opened.append)
    errors: list[str] = []

    def settled() -> bool:
        loading = getattr(window, "model_state", "") == "loading"
        return not loading and (documents == 0 or bool(opened))

    with _recorded_errors(errors):
        window.show()
        ok = _pump(qt_app, settled, timeout, minimum=seconds)
    state = getattr(window, "model_state", "?")
    pixmap = window.grab()
    size = f"{pixmap.width()}x{pixmap.height()}"
    out.print(
        f"smoke: window {window.windowTitle()!r} shown on {qt_app.platformName()}, grabbed {size}"
    )
    out.print(
        f"smoke: {documents} document(s), "
        + (f"document {opened[0]} open, " if opened else "")
        + (f"pipeline {model}: {state}" if model else "no pipeline")
    )
    if screenshot is not None:
        pixmap.save(str(screenshot), "PNG")
        out.print(f"smoke: screenshot {screenshot}")
    with _recorded_errors(errors):
        window.close()
        window.deleteLater()
        _pump(qt_app, lambda: True, timeout, minimum=0.05)

    problems = [f"error in the window: {e}" for e in errors]
    if not ok:
        problems.append(f"the window did not settle within {timeout:.0f} s")
    if pixmap.isNull() or pixmap.width() == 0:
        problems.append("grabbing the window gave an empty image")
    if model is not None and state == "failed":
        problems.append(f"the pipeline {model!r} failed to load")
    for problem in problems:
        err.print(f"smoke: {problem}", soft_wrap=True)
    if problems:
        return 1
    out.print("smoke: ok")
    return 0
