"""Entry points: ``run_gui`` for the command line, ``build_main_window`` for tests and benches."""

from __future__ import annotations

import getpass
import os
import sys
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox

from annotator.ui import settings as user_settings
from annotator.ui import trace
from annotator.ui.heap import settle_after_start
from annotator.ui.main_window import MainWindow

if TYPE_CHECKING:
    from annotator.app.pipelines import Suggester
    from annotator.app.project import Project

_windows: list[MainWindow] = []  # keeps the open window alive while switching projects


def _application() -> QApplication:
    app = QApplication.instance()
    if app is None:
        QCoreApplication.setOrganizationName(user_settings.ORGANIZATION)
        QCoreApplication.setApplicationName(user_settings.APPLICATION)
        app = QApplication(sys.argv[:1])
        app.setApplicationDisplayName("Quote & Entity Annotator")
    assert isinstance(app, QApplication)
    return app


def build_main_window(
    project: Project,
    annotator: str,
    *,
    model: str | None = None,
    load_model: bool = False,
    suggester: Suggester | None = None,
    owns_project: bool = False,
) -> MainWindow:
    """A main window on an open project (tests pass ``load_model=False`` or a suggester)."""
    return MainWindow(
        project,
        annotator,
        model=model,
        load_model=load_model,
        suggester=suggester,
        owns_project=owns_project,
    )


def _ask_annotator_name() -> str | None:
    default = getpass.getuser() or "annotator"
    name, ok = QInputDialog.getText(
        None,
        "Who is annotating?",
        "Your name (saved with every annotation; asked only once):",
        text=default,
    )
    name = name.strip()
    return name if ok and name else None


def _open_window(db: str | None, annotator: str, model: str | None) -> MainWindow | None:
    from annotator.app.maintenance import shown_text, shown_url
    from annotator.app.project import Project

    try:
        project = Project.open(db)
    except Exception as exc:  # shown to the person, who can pick another file
        where = shown_url(db) if db else "default project"  # never a server's password
        message = shown_text(str(exc))
        # Name the project once: most messages already start "Cannot open the database …".
        text = message if where in message else f"{where}:\n{message}"
        QMessageBox.critical(None, "Cannot open the project", text)
        return None
    window = build_main_window(project, annotator, model=model, load_model=True, owns_project=True)
    trace.install_if_enabled(window)  # ANNOTATOR_TRACE=1: JSON lines for tests/ui_real
    window.projectSwitchRequested.connect(
        lambda target, w=window: _switch_project(w, target, annotator, model)
    )
    _windows.append(window)
    return window


def _switch_project(old: MainWindow, target: str, annotator: str, model: str | None) -> None:
    new = _open_window(target, annotator, model)
    if new is None:
        return
    new.show()
    old.close()
    if old in _windows:
        _windows.remove(old)
    old.deleteLater()


def run_gui(db: str | None, annotator: str | None, model: str | None) -> int:
    """Open the main window on ``db`` (else the last project, else the default file)."""
    app = _application()
    name = annotator or user_settings.annotator_name()
    if not name:
        name = _ask_annotator_name()
        if not name:
            return 1
        user_settings.set_annotator_name(name)
    target = db or user_settings.last_project()
    window = _open_window(target, name, model)
    if window is None:
        return 1
    window.show()
    settle_after_start()  # the collector leaves the window's objects alone (ui/heap.py)
    if os.environ.get("ANNOTATOR_QUIT_AFTER_SHOW"):  # bench/bench_window.py start-up time

        def shown() -> None:
            print(f"WINDOW_SHOWN {time.time():.6f}", flush=True)
            window.close()

        QTimer.singleShot(0, shown)
    return app.exec()
