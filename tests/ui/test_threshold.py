"""The display threshold the annotator chooses (View ▸ Show suggestions from
precision…): it decides which suggestions are on the page, is saved in the project
and comes back when the project is opened again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QInputDialog

from annotator.app.project import Project
from annotator.core import Origin

from .test_workflow import key


def _confidences(window: Any) -> list[float]:
    return sorted(
        s.confidence
        for s in window.editor.annotation.spans
        if s.origin == Origin.SUGGESTED and s.confidence is not None
    )


def _shown(window: Any) -> set[Any]:
    return {s.key for s in window.editor.visible_spans(window.editor.annotation)}


def _choose_in_dialog(qtbot: Any, window: Any, value: float) -> None:
    """Pick View ▸ Show suggestions from precision…, type ``value``, press OK."""
    seen: list[QInputDialog] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QInputDialog)
        seen.append(dialog)
        dialog.setDoubleValue(value)
        dialog.accept()

    QTimer.singleShot(0, answer)
    window.actions_by_name["choose_threshold"].trigger()
    assert seen, "the dialog opened"
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.view.setFocus()


def test_the_default_is_half_and_the_status_bar_says_uncalibrated(window: Any) -> None:
    assert window.editor.threshold == 0.5
    label = window.threshold.label
    assert label.text() == "showing suggestions with confidence ≥ 0.50 (uncalibrated scores)"
    assert label.isVisible()


def test_choosing_a_threshold_changes_what_is_shown_and_is_saved(
    qtbot: Any, window: Any, seeds_db: Path
) -> None:
    confs = _confidences(window)
    assert confs and max(confs) > 0.5
    before = _shown(window)
    high = max(confs)
    _choose_in_dialog(qtbot, window, high + 0.01 if high < 1 else 1.0)
    after = _shown(window)
    ann = window.editor.annotation
    hidden = {s.key for s in ann.spans if s.origin == Origin.SUGGESTED and s.confidence}
    assert after < before and not (after & hidden), "every scored suggestion is hidden now"
    assert f"≥ {min(high + 0.01, 1.0):.2f}" in window.threshold.label.text()
    key(window, "L")  # L still shows the low ones
    assert _shown(window) >= before
    key(window, "L")
    _choose_in_dialog(qtbot, window, 0.0)
    assert _shown(window) == {s.key for s in window.editor.annotation.spans}
    _choose_in_dialog(qtbot, window, 0.7)
    with Project.open(seeds_db) as again:  # another connection: really in the file
        assert again.display_threshold() == 0.7


def test_the_threshold_comes_back_after_reopening(qtbot: Any, seeds_db: Path) -> None:
    from annotator.ui.app import build_main_window

    with Project.open(seeds_db) as project:
        project.set_display_threshold(0.85)
    project = Project.open(seeds_db)
    try:
        win = build_main_window(project, "alice")
        qtbot.addWidget(win)
        win.show()
        qtbot.waitExposed(win)
        assert win.editor.threshold == 0.85
        assert "≥ 0.85" in win.threshold.label.text()
        shown = _shown(win)
        low = [
            s
            for s in win.editor.annotation.spans
            if s.origin == Origin.SUGGESTED and s.confidence is not None and s.confidence < 0.85
        ]
        assert low and not ({s.key for s in low} & shown)
        win.resize(1100, 700)
        win.grab().save("/tmp/e14_threshold.png")
        win.shutdown()
    finally:
        project.close()
