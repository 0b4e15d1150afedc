"""Note / flag article (N) in the window: the editor saves through the facade (checked on a
second connection), the header shows the marker, and a reviewer sees every annotator's
notes in review mode."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from annotator.app.project import Project
from annotator.core import AnnotatorRole
from annotator.core.notes import MAX_NOTE_LENGTH
from annotator.ui.note_editor import FLAG, NOTE, NoteDialog


def key(window: Any, seq: str) -> None:
    combo = QKeySequence(seq)[0]
    QTest.keyClick(window.view, combo.key(), combo.keyboardModifiers())


def _activate(qtbot: Any, window: Any) -> Any:
    # Window shortcuts go to the active window; one left by an earlier test may hold it.
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    qtbot.waitUntil(lambda: window.session is not None, timeout=10000)
    return window


def _in_dialog(qtbot: Any, window: Any, act: Callable[[NoteDialog], None]) -> list[str]:
    """Press N and, once the (modal) editor is up, let ``act`` work in it."""
    seen: list[str] = []

    def when_open() -> None:
        dialog = window.notes.dialog
        if dialog is None or not dialog.isVisible():
            QTimer.singleShot(20, when_open)
            return
        seen.append(dialog.text.toPlainText())
        act(dialog)

    _activate(qtbot, window)  # back from the previous editor
    QTimer.singleShot(0, when_open)
    key(window, "N")
    assert window.notes.dialog is None, "the editor closed"
    return seen


def _save(dialog: NoteDialog) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()


def test_window_n_notes_and_flags_the_article(qtbot: Any, window: Any, reader: Project) -> None:
    win = _activate(qtbot, window)
    doc_id = win.doc_id
    assert not win.header.text().startswith((FLAG, NOTE))

    def write(dialog: NoteDialog) -> None:
        QTest.keyClicks(dialog.text, "unclear speaker in para 3")
        dialog.flag.setChecked(True)
        _save(dialog)

    assert _in_dialog(qtbot, win, write) == [""]
    note = reader.note(doc_id, "alice")
    assert note is not None and (note.text, note.flagged) == ("unclear speaker in para 3", True)
    assert win.header.text().startswith(FLAG)
    # Editing the article goes on as before, and the marker stays.
    _activate(qtbot, win)
    key(win, "Tab")
    assert win.editor.current is not None
    assert win.header.text().startswith(FLAG)

    def unflag(dialog: NoteDialog) -> None:
        dialog.flag.setChecked(False)
        _save(dialog)

    assert _in_dialog(qtbot, win, unflag) == ["unclear speaker in para 3"]
    assert reader.note(doc_id, "alice").flagged is False  # type: ignore[union-attr]
    assert win.header.text().startswith(NOTE)

    def cancel(dialog: NoteDialog) -> None:
        dialog.text.setPlainText("not kept")
        dialog.reject()

    _in_dialog(qtbot, win, cancel)
    assert reader.note(doc_id, "alice").text == "unclear speaker in para 3"  # type: ignore[union-attr]

    def clear(dialog: NoteDialog) -> None:
        dialog.text.clear()
        _save(dialog)

    _in_dialog(qtbot, win, clear)
    assert reader.note(doc_id, "alice") is None
    assert not win.header.text().startswith((FLAG, NOTE))
    # The next article has no marker of its own.
    _activate(qtbot, win)
    key(win, "Ctrl+PgDown")
    assert win.doc_id != doc_id and not win.header.text().startswith((FLAG, NOTE))


def test_note_dialog_refuses_more_than_the_limit(qtbot: Any) -> None:
    dialog = NoteDialog("a.txt", None)
    qtbot.addWidget(dialog)
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    dialog.text.setPlainText("x" * MAX_NOTE_LENGTH)
    assert save.isEnabled() and dialog.room.text() == "2,000 / 2,000"
    dialog.text.setPlainText("x" * (MAX_NOTE_LENGTH + 1))
    assert not save.isEnabled() and dialog.room.text() == "2,001 / 2,000"


# -- reviewers ------------------------------------------------------------------------------

TEXT = "Putin met Trump in Moscow. He said it went well."


@pytest.fixture
def review_db(tmp_path: Path) -> Path:
    def line(spans: list[tuple[str, str]], who: str) -> str:
        found = [
            {"start": TEXT.index(w), "end": TEXT.index(w) + len(w), "label": lab}
            for w, lab in spans
        ]
        return json.dumps({"text": TEXT, "spans": found, "answer": "accept", "_annotator_id": who})

    source = tmp_path / "two.jsonl"
    source.write_text(
        line([("Putin", "PERSON"), ("Moscow", "GPE")], "alice")
        + "\n"
        + line([("Putin", "PERSON"), ("Trump", "PERSON")], "bob")
        + "\n",
        encoding="utf-8",
    )
    db = tmp_path / "review.db"
    with Project.open(db) as project:
        assert project.import_paths([source]).imported == 1
        doc_id = project.list_documents("nobody")[0].id
        project.set_note(doc_id, "alice", "Is Trump a PERSON here?", True)
        project.set_note(doc_id, "bob", "fine by me", False)
        project.ensure_annotator("rita")
        project.set_role("rita", AnnotatorRole.REVIEWER)
    return db


@pytest.fixture
def reviewer(qtbot: Any, review_db: Path) -> Iterator[Any]:
    from annotator.ui.app import build_main_window

    project = Project.open(review_db)
    win = build_main_window(project, "rita")
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield _activate(qtbot, win)
    win.shutdown()
    tasks = win.tasks  # no worker may outlive the window
    busy = (
        tasks.active_threads()
        if hasattr(tasks, "active_threads")
        else tasks.pool.activeThreadCount()
    )
    assert busy == 0
    project.close()


def test_reviewer_sees_every_annotators_note(qtbot: Any, reviewer: Any) -> None:
    win = reviewer
    assert not win.header.text().startswith((FLAG, NOTE)), "rita herself wrote nothing"
    key(win, "Ctrl+R")
    assert win.review.active
    qtbot.waitUntil(
        lambda: win.session is not None and win.review.loaded_doc == win.doc_id, timeout=15000
    )
    notes = win.review.panel.notes
    assert notes.isVisible()
    assert notes.full_text().splitlines() == [
        f"{FLAG} needs review · alice: Is Trump a PERSON here?",
        f"{NOTE} · bob: fine by me",
    ]
    assert len(notes.text().splitlines()) == 2  # one line each, elided to the width
    assert win.header.text().startswith(FLAG)
    # Her own note, written in review mode, joins them.
    win.notes.save(win.doc_id, "adjudicated", False)
    assert notes.full_text().splitlines()[-1] == f"{NOTE} · rita: adjudicated"


def test_note_typed_while_the_database_is_locked_is_not_lost(
    qtbot: Any, seeds_db: Path
) -> None:
    """The save fails (another program holds the write lock): the editor comes back with
    the typed text, and saving again once the lock is gone stores it."""
    import sqlite3

    from annotator.storage.engine import Database
    from annotator.ui.app import build_main_window

    project = Project(Database(seeds_db, busy_timeout_ms=200))
    win = build_main_window(project, "alice")
    qtbot.addWidget(win)
    win.show()
    other = sqlite3.connect(seeds_db, isolation_level=None)
    seen: list[str] = []
    try:
        _activate(qtbot, win)
        doc_id = win.doc_id

        def act() -> None:
            dialog = win.notes.dialog
            if dialog is None or not dialog.isVisible():
                QTimer.singleShot(20, act)
                return
            seen.append(dialog.text.toPlainText())
            if len(seen) == 1:
                QTest.keyClicks(dialog.text, "speaker unclear")
                other.execute("BEGIN IMMEDIATE")  # the next save cannot write
                _save(dialog)
                QTimer.singleShot(20, act)  # the editor is expected back
            else:
                other.execute("ROLLBACK")
                _save(dialog)

        QTimer.singleShot(0, act)
        key(win, "N")
        assert seen == ["", "speaker unclear"], "the editor came back with the typed text"
        with Project.open(seeds_db) as reader:
            note = reader.note(doc_id, "alice")
            assert note is not None and note.text == "speaker unclear"
    finally:
        other.close()
        win.shutdown()
        project.close()
