"""The main window's furniture: the empty project's page, the status bar's labels, the
layout saved between runs and put back by View ▸ Reset layout, the shortcuts sheet."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDockWidget,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QStatusBar,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from annotator.ui import settings as user_settings
from annotator.ui.actions import MENUS, ActionSpec, shortcuts_html
from annotator.ui.focus import KeyboardHome
from annotator.ui.headline import HeadlineLabel


def project_label(url: str, display_url: str) -> str:
    """The window title's name of the project: a SQLite file's name, else its URL."""
    if url.startswith("sqlite:///"):
        return Path(url[len("sqlite:///") :]).name
    return display_url


def empty_state(
    import_seeds: Callable[[], None], import_articles: Callable[[], None]
) -> tuple[QWidget, QPushButton]:
    """The page shown while the project has no articles, and its "sample articles" button."""
    page = QWidget()
    page.setObjectName("emptyState")
    layout = QVBoxLayout(page)
    layout.addStretch(1)
    title = QLabel("This project has no articles yet.")
    title.setAlignment(Qt.AlignmentFlag.AlignCenter)
    font = title.font()
    font.setPointSizeF(font.pointSizeF() * 1.4)
    title.setFont(font)
    layout.addWidget(title)
    row = QHBoxLayout()
    row.addStretch(1)
    seeds = QPushButton("Import the sample articles")
    seeds.setObjectName("importSeeds")
    seeds.clicked.connect(import_seeds)
    choose = QPushButton("Import articles…")
    choose.clicked.connect(import_articles)
    row.addWidget(seeds)
    row.addWidget(choose)
    row.addStretch(1)
    layout.addLayout(row)
    layout.addStretch(2)
    return page, seeds


def build_menus(
    window: QMainWindow,
    specs: Sequence[ActionSpec],
    actions: dict[str, QAction],
    *,
    import_folder: Callable[[], None],
    view_docks: Sequence[QDockWidget],
) -> QMenu:
    """The menu bar, each action in its spec's menu; returns File ▸ Recent projects."""
    bar = window.menuBar()
    menus: dict[str, QMenu] = {name: bar.addMenu(f"&{name}") for name in MENUS}
    label_menu = menus["Annotate"].addMenu("&Label as")  # every entity label, keyed or not
    recent: QMenu | None = None
    for spec in specs:
        action = actions[spec.name]
        if spec.name.startswith("label_"):
            label_menu.addAction(action)
            continue
        if spec.name == "quit":
            menus["File"].addSeparator()
        menus[spec.menu].addAction(action)
        if spec.name == "import_articles":
            folder = QAction("Import &folder…", window)
            folder.triggered.connect(import_folder)
            menus["File"].addAction(folder)
        if spec.name == "export":
            recent = menus["File"].addMenu("&Recent projects")
    view_menu = menus["View"]
    view_menu.addSeparator()
    for dock in view_docks:
        view_menu.addAction(dock.toggleViewAction())
    assert recent is not None  # "export" is one of ACTIONS
    return recent


def headline_labels() -> tuple[HeadlineLabel, HeadlineLabel]:
    """The article's headline and the hint line under it."""
    # Both wrap and never widen the centre (a long headline or hint once squeezed the
    # docks, differently for each article); beyond a few lines they elide, whole in
    # the tooltip.
    header = HeadlineLabel(max_lines=3)
    header.setObjectName("documentHeader")
    header.setContentsMargins(6, 4, 6, 2)
    font = header.font()
    font.setPointSizeF(font.pointSizeF() * 1.1)
    header.setFont(font)
    header.reserve_lines(2)  # most headlines take one or two lines
    hint = HeadlineLabel(max_lines=2)
    hint.setObjectName("documentHint")
    hint.setContentsMargins(6, 0, 6, 4)
    hint.setStyleSheet("color: palette(placeholder-text);")
    hint.reserve_lines(2)
    return header, hint


def scrolling(widget: QWidget, name: str) -> QScrollArea:
    # The palette (labels and legend) scrolls rather than claim its full height: the
    # span table above it keeps its share of the column whatever the legend's length.
    scroll = QScrollArea()
    scroll.setObjectName(name)
    scroll.setWidget(widget)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    return scroll


def add_dock(
    window: QMainWindow, title: str, widget: QWidget, area: Qt.DockWidgetArea
) -> QDockWidget:
    dock = QDockWidget(title, window)
    dock.setObjectName(f"{title.lower()}Dock")
    dock.setWidget(widget)
    dock.setFeatures(
        QDockWidget.DockWidgetFeature.DockWidgetMovable
        | QDockWidget.DockWidgetFeature.DockWidgetClosable
        | QDockWidget.DockWidgetFeature.DockWidgetFloatable
    )
    window.addDockWidget(area, dock)
    return dock


def status_labels(bar: QStatusBar) -> tuple[QLabel, QLabel]:
    """The status bar's permanent labels: (progress, pipeline)."""
    progress = QLabel()
    progress.setObjectName("progressLabel")
    pipeline = QLabel()
    pipeline.setObjectName("pipelineLabel")
    for label in (pipeline, progress):
        label.setContentsMargins(8, 0, 8, 0)
        bar.addPermanentWidget(label)
    return progress, pipeline


def restore_settings(
    window: QMainWindow, view: QWidget, guidelines_dock: QDockWidget, project_url: str
) -> KeyboardHome:
    """The size, dock layout and font of the last run; returns the keyboard's home."""
    s = user_settings.settings()
    geometry = s.value("geometry")
    if isinstance(geometry, QByteArray):
        window.restoreGeometry(geometry)
    else:
        window.resize(1440, 900)
    state = s.value("window_state")
    if isinstance(state, QByteArray):
        window.restoreState(state)
        guidelines_dock.hide()  # opened on demand with H
    size = s.value("font_size")
    if size:
        font = view.font()
        font.setPointSizeF(float(str(size)))
        view.setFont(font)
    user_settings.remember_project(project_url)
    # The keyboard starts in the article (restoreState may have moved docks around),
    # and comes back to it when a dialog of this window closes.
    view.setFocus(Qt.FocusReason.OtherFocusReason)
    return KeyboardHome(window, view)


def save_settings(window: QMainWindow, view: QWidget) -> None:
    s = user_settings.settings()
    s.setValue("geometry", window.saveGeometry())
    s.setValue("window_state", window.saveState())
    s.setValue("font_size", view.font().pointSizeF())


def reset_docks(
    window: QMainWindow, docks: Sequence[tuple[QDockWidget, Qt.DockWidgetArea]]
) -> None:
    """Every dock back in its area, none floating; the saved layout is forgotten, so the
    next start is the default one too."""
    for dock, area in docks:
        dock.setFloating(False)
        window.addDockWidget(area, dock)  # re-adding moves it to the end of its area
        dock.show()
    user_settings.settings().remove("window_state")


def shortcuts_dialog(parent: QWidget, specs: Sequence[ActionSpec]) -> QDialog:
    dialog = QDialog(parent)
    dialog.setObjectName("shortcutsDialog")
    dialog.setWindowTitle("Keyboard shortcuts")
    browser = QTextBrowser(dialog)
    browser.setHtml(shortcuts_html(specs))
    layout = QVBoxLayout(dialog)
    layout.addWidget(browser)
    dialog.resize(820, 760)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    return dialog


def about(parent: QWidget, project: str, annotator: str) -> None:
    QMessageBox.about(
        parent,
        "About",
        "Quote & Entity Annotator\n\n"
        f"Project: {project}\nAnnotator: {annotator}\n"
        "Every edit is saved as you make it.",
    )
