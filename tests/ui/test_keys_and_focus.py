"""Keys that reach the article, where the keyboard focus is, and a keyboard route to
every label (the label picker and per-project label keys)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from annotator.app.label_keys import label_shortcuts
from annotator.app.project import Project
from annotator.core import Layer, SpanKey
from annotator.ui.actions import ACTIONS, key_identity, shortcut_clashes
from annotator.ui.app import build_main_window

ANNOTATOR = "alice"


def press(widget: QWidget, seq: str) -> None:
    combo = QKeySequence(seq)[0]
    QTest.keyClick(widget, combo.key(), combo.keyboardModifiers())


def select_text(window: Any, needle: str) -> tuple[int, int]:
    """Select the first occurrence of ``needle`` that no span covers yet."""
    text = window.document.text
    taken = [(s.start, s.end) for s in window.editor.annotation.spans if s.layer == Layer.ENTS]
    start = text.find(needle)
    while start >= 0 and any(a < start + len(needle) and start < b for a, b in taken):
        start = text.find(needle, start + 1)
    assert start >= 0, f"no free {needle!r} in the article"
    end = start + len(needle)
    cursor = window.view.textCursor()
    cursor.setPosition(window.view.omap.to_qt(start))
    cursor.setPosition(window.view.omap.to_qt(end), cursor.MoveMode.KeepAnchor)
    window.view.setTextCursor(cursor)
    return start, end


def saved_labels(reader: Project, doc_id: int) -> dict[tuple[int, int], str]:
    ann = reader.load_annotation(doc_id, ANNOTATOR)
    assert ann is not None
    return {(s.start, s.end): s.label for s in ann.spans if s.layer == Layer.ENTS}


def focus_is(widget: QWidget) -> bool:
    return QApplication.focusWidget() is widget


# -- 1. every key once; Tab / Shift+Tab reach the article's actions ----------------------


def test_keys_no_two_actions_answer_the_same_key(window: Any) -> None:
    actions = window.findChildren(QAction)
    assert len(actions) > len(ACTIONS)
    assert shortcut_clashes(actions) == []
    # within the declared table too (an action bound twice to one key is as dead)
    for spec in ACTIONS:
        identities = [key_identity(QKeySequence(s)) for s in spec.shortcuts]
        assert len(identities) == len(set(identities)), spec.name


def test_keys_clash_check_sees_backtab_as_shift_tab(qtbot: Any) -> None:
    a, b = QAction("a"), QAction("b")
    a.setObjectName("a")
    b.setObjectName("b")
    a.setShortcuts([QKeySequence("Shift+Tab")])
    b.setShortcuts([QKeySequence("Backtab")])
    assert shortcut_clashes([a, b]) == ["Shift+Tab: a, b"]
    both = QAction("both")
    both.setObjectName("both")
    both.setShortcuts([QKeySequence("Shift+Tab"), QKeySequence("Backtab")])
    assert shortcut_clashes([both]) == ["Shift+Tab: both, both"]
    c = QAction("c")
    c.setObjectName("c")
    c.setShortcuts([QKeySequence("Ctrl+=")])
    d = QAction("d")
    d.setObjectName("d")
    d.setShortcuts([QKeySequence("ctrl+=")])
    assert shortcut_clashes([c, d]) == ["Ctrl+=: c, d"]


def test_keys_tab_and_shift_tab_step_spans_with_the_article_focused(window: Any) -> None:
    view = window.view
    assert focus_is(view)
    QTest.keyClick(view, Qt.Key.Key_Tab)
    first = view.current
    QTest.keyClick(view, Qt.Key.Key_Tab)
    second = view.current
    QTest.keyClick(view, Qt.Key.Key_Tab)
    third = view.current
    assert first is not None and len({first, second, third}) == 3
    assert focus_is(view), "Tab must not move the keyboard focus out of the article"
    # what X11 sends for Shift+Tab: Key_Backtab with Shift
    QTest.keyClick(view, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert view.current == second
    QTest.keyClick(view, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert view.current == first
    assert focus_is(view)
    assert window.doc_list.search.text() == ""


# -- 2. the keyboard lives in the article ----------------------------------------------------


def test_focus_a_new_window_starts_in_the_article(window: Any) -> None:
    assert window.focusWidget() is window.view
    assert focus_is(window.view)
    # Typing meant for the article never lands in the search box: it is not in the
    # Tab chain, so neither Tab nor the window's first focus can reach it.
    assert not window.doc_list.search.focusPolicy() & Qt.FocusPolicy.TabFocus
    window.view.clearFocus()
    window.focusNextPrevChild(True)
    assert QApplication.focusWidget() is not window.doc_list.search


def test_focus_returns_to_the_article_after_clicking_the_list(qtbot: Any, window: Any) -> None:
    table = window.doc_list.table
    model = window.doc_list.model
    rect = table.visualRect(model.index(2, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.doc_id == model.doc_id(2)
    assert table.selectionModel().isRowSelected(2)  # the list keeps the mouse's choice
    assert focus_is(window.view)
    QTest.keyClick(window.view, Qt.Key.Key_Tab)  # and the keys work on the article
    assert window.view.current is not None
    assert window.doc_list.search.text() == ""
    # clicking the open article's row again also hands the keyboard back
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert focus_is(window.view)


def test_focus_search_box_types_and_esc_returns_to_the_article(qtbot: Any, window: Any) -> None:
    box = window.doc_list.search
    doc_id = window.doc_id
    current_before = window.view.current
    window.on_find()
    assert focus_is(box)
    QTest.keyClicks(box, "ax")  # letters are search text here, not accept / reject
    assert box.text() == "ax"
    assert window.doc_id == doc_id and window.view.current == current_before
    QTest.keyClick(box, Qt.Key.Key_Escape)
    assert focus_is(window.view)
    assert box.text() == "ax"  # the filter stays
    qtbot.waitUntil(lambda: window.doc_list.model.search == "ax", timeout=2000)
    QTest.keyClick(window.view, Qt.Key.Key_Tab)
    assert window.view.current is not None
    assert box.text() == "ax"


def _close_when_shown(find: Any, qtbot: Any) -> list[str]:
    closed: list[str] = []

    def attempt() -> None:
        widget = find()
        if widget is None:
            QTimer.singleShot(20, attempt)
            return
        closed.append(type(widget).__name__)
        if isinstance(widget, QDialog):
            widget.reject()
        else:
            widget.close()

    QTimer.singleShot(20, attempt)
    return closed


def test_focus_returns_to_the_article_after_dialogs(qtbot: Any, window: Any) -> None:
    view = window.view
    assert focus_is(view)

    closed = _close_when_shown(QApplication.activeModalWidget, qtbot)
    window.on_about()  # a message box (modal)
    assert closed == ["QMessageBox"]
    qtbot.waitUntil(lambda: focus_is(view), timeout=2000)

    closed = _close_when_shown(QApplication.activeModalWidget, qtbot)
    window.files.export()  # the export dialog, cancelled
    assert closed and closed[0] != "QMessageBox"
    qtbot.waitUntil(lambda: focus_is(view), timeout=2000)

    window.on_show_shortcuts()  # not modal: its own window
    dialog = window.shortcuts_dialog
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    dialog.close()
    qtbot.waitUntil(lambda: focus_is(view), timeout=2000)
    QTest.keyClick(view, Qt.Key.Key_Tab)
    assert view.current is not None


# -- 3. every label from the keyboard ---------------------------------------------------------


def open_picker(qtbot: Any, window: Any) -> Any:
    press(window.view, "/")
    picker = window.label_picker
    qtbot.waitUntil(picker.isVisible, timeout=2000)
    assert focus_is(picker.filter)
    return picker


def test_picker_key_is_documented_and_not_taken(window: Any) -> None:
    spec = next(s for s in ACTIONS if s.name == "pick_label")
    assert spec.shortcuts == ("/",)
    assert "/" in window.actions_by_name["pick_label"].shortcut().toString()
    from annotator.ui.actions import shortcuts_html

    assert "Label by name" in shortcuts_html(window.all_specs)


def test_picker_filters_and_applies_to_the_selection(
    qtbot: Any, window: Any, reader: Project
) -> None:
    picker = open_picker(qtbot, window)
    assert "WORK_OF_ART" in picker.visible_labels() and "PERSON" in picker.visible_labels()
    QTest.keyClicks(picker.filter, "wor")
    assert picker.visible_labels()[0] == "WORK_OF_ART"
    assert "PERSON" not in picker.visible_labels()
    picker.close()

    start, end = select_text(window, "solution")
    picker = open_picker(qtbot, window)
    QTest.keyClicks(picker.filter, "wor")
    QTest.keyClick(picker.filter, Qt.Key.Key_Return)
    assert not picker.isVisible()
    assert saved_labels(reader, window.doc_id)[(start, end)] == "WORK_OF_ART"
    assert window.view.current == SpanKey(start, end, "WORK_OF_ART", "ents")
    qtbot.waitUntil(lambda: focus_is(window.view), timeout=2000)


def test_picker_relabels_the_current_span_and_esc_closes(
    qtbot: Any, window: Any, reader: Project
) -> None:
    QTest.keyClick(window.view, Qt.Key.Key_Tab)
    current = window.view.current
    assert current is not None and current.label != "LAW"
    picker = open_picker(qtbot, window)
    QTest.keyClicks(picker.filter, "law")
    QTest.keyClick(picker.filter, Qt.Key.Key_Escape)  # closes, changes nothing
    assert not picker.isVisible()
    assert saved_labels(reader, window.doc_id).get((current.start, current.end)) != "LAW"
    qtbot.waitUntil(lambda: focus_is(window.view), timeout=2000)

    picker = open_picker(qtbot, window)
    QTest.keyClicks(picker.filter, "law")
    QTest.keyClick(picker.filter, Qt.Key.Key_Enter)
    assert saved_labels(reader, window.doc_id)[(current.start, current.end)] == "LAW"


def test_picker_down_arrow_chooses_the_next_match(qtbot: Any, window: Any) -> None:
    picker = open_picker(qtbot, window)
    QTest.keyClicks(picker.filter, "o")  # ORG, ORDINAL, … then words containing o
    first, second = picker.visible_labels()[:2]
    assert picker.current_label() == first
    QTest.keyClick(picker.filter, Qt.Key.Key_Down)
    assert picker.current_label() == second
    QTest.keyClick(picker.filter, Qt.Key.Key_Up)
    assert picker.current_label() == first
    picker.close()


@pytest.fixture
def second_window(qtbot: Any, seeds_db: Path) -> Iterator[Any]:
    """Opens a window later, on a project opened afresh from the same file."""
    made: list[tuple[Any, Project]] = []

    def make() -> Any:
        project = Project.open(seeds_db)
        win = build_main_window(project, ANNOTATOR)
        qtbot.addWidget(win)
        win.show()
        qtbot.waitExposed(win)
        made.append((win, project))
        return win

    yield make
    for win, project in made:
        win.shutdown()
        project.close()


def test_label_key_bound_in_picker_is_saved_survives_reopening_and_labels(
    qtbot: Any, window: Any, reader: Project, second_window: Any
) -> None:
    picker = open_picker(qtbot, window)
    QTest.keyClicks(picker.filter, "fac")
    assert picker.current_label() == "FAC"
    QTest.keyClick(picker.filter, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(picker.filter, Qt.Key.Key_A)  # a command key (accept): refused
    assert "command key" in picker.status.text()
    assert "FAC" not in label_shortcuts(reader)
    picker.bind_button.click()  # the button does what Ctrl+B does
    QTest.keyClick(picker.filter, Qt.Key.Key_F)
    assert "F now labels FAC" in picker.status.text()
    assert label_shortcuts(reader)["FAC"] == "F"  # saved at once, in the project file
    assert picker.filter.text() == "fac"  # the key went to the binding, not the filter
    QTest.keyClick(picker.filter, Qt.Key.Key_Escape)

    # the key works in this window at once, and Help lists it
    assert window.actions_by_name["label_FAC"].shortcut().toString() == "F"
    assert shortcut_clashes(window.findChildren(QAction)) == []
    start, end = select_text(window, "solution")
    QTest.keyClick(window.view, Qt.Key.Key_F)
    assert saved_labels(reader, window.doc_id)[(start, end)] == "FAC"
    from annotator.ui.actions import shortcuts_html

    assert "Label as FAC" in shortcuts_html(window.all_specs)
    assert window.palette_widget.buttons["FAC"].text().startswith("F  FAC")  # the palette too

    # a window on the project opened afresh has the key too
    window.close()
    again = second_window()
    assert again.actions_by_name["label_FAC"].shortcut().toString() == "F"
    assert again.palette_widget.buttons["FAC"].text().startswith("F  FAC")
    assert again.focusWidget() is again.view
    again.activateWindow()
    qtbot.waitUntil(lambda: focus_is(again.view), timeout=2000)
    start, end = select_text(again, "search")
    QTest.keyClick(again.view, Qt.Key.Key_F)
    assert saved_labels(reader, again.doc_id)[(start, end)] == "FAC"


def test_label_key_ctrl_digit_moves_a_digit_to_a_label(
    qtbot: Any, window: Any, reader: Project
) -> None:
    picker = open_picker(qtbot, window)
    QTest.keyClicks(picker.filter, "law")
    QTest.keyClick(picker.filter, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    keys = label_shortcuts(reader)
    assert keys["LAW"] == "1" and "PERSON" not in keys
    picker.close()
    assert window.actions_by_name["label_LAW"].shortcut().toString() == "1"
    assert window.actions_by_name["label_PERSON"].shortcut().isEmpty()
    assert shortcut_clashes(window.findChildren(QAction)) == []
    start, end = select_text(window, "solution")
    QTest.keyClick(window.view, Qt.Key.Key_1)
    assert saved_labels(reader, window.doc_id)[(start, end)] == "LAW"


def test_label_keys_every_entity_label_in_the_label_menu(window: Any) -> None:
    names = {a.objectName() for a in window.findChildren(QAction)}
    for label in window.project.scheme.names(Layer.ENTS):
        assert f"label_{label}" in names
    assert window.actions_by_name["label_PERSON"].shortcut().toString() == "1"
    assert window.actions_by_name["label_WORK_OF_ART"].shortcut().isEmpty()


# -- 4. the list's span column ----------------------------------------------------------------


def test_document_list_shows_no_misleading_zero_for_unopened_articles(
    qtbot: Any, window: Any
) -> None:
    model = window.doc_list.model
    opened = model.row_of(window.doc_id)
    assert opened is not None
    n_spans = len(window.editor.annotation.spans)
    assert n_spans > 0
    assert model.data(model.index(opened, 2)) == n_spans
    others = [r for r in range(model.rowCount()) if r != opened]
    assert others
    for row in others:
        assert model.data(model.index(row, 2)) in ("", None), "never opened: no count yet"
        assert "Not opened yet" in model.data(model.index(row, 2), Qt.ItemDataRole.ToolTipRole)
    # once opened, its count shows (also a real 0 of an opened article)
    window.open_document(model.doc_id(others[0]))
    assert model.data(model.index(others[0], 2)) == len(window.editor.annotation.spans)


# -- review mode: Shift+Tab is the previous disagreement --------------------------------------

REVIEW_TEXT = "Putin met Donald Trump in Moscow on Friday, then flew to Paris with Merkel."


def _review_record(spans: list[tuple[str, str]], who: str) -> str:
    out = []
    for word, label in spans:
        start = REVIEW_TEXT.index(word)
        out.append({"start": start, "end": start + len(word), "label": label})
    return json.dumps({"text": REVIEW_TEXT, "spans": out, "answer": "accept", "_annotator_id": who})


@pytest.fixture
def review_window(qtbot: Any, tmp_path: Path) -> Iterator[Any]:
    from annotator.core import AnnotatorRole

    source = tmp_path / "two.jsonl"
    alice = [("Putin", "PERSON"), ("Donald Trump", "PERSON"), ("Moscow", "GPE"), ("Paris", "GPE")]
    bob = [("Putin", "PERSON"), ("Trump", "ORG"), ("Paris", "LOC"), ("Merkel", "PERSON")]
    source.write_text(
        _review_record(alice, "alice") + "\n" + _review_record(bob, "bob") + "\n",
        encoding="utf-8",
    )
    db = tmp_path / "review.db"
    with Project.open(db) as project:
        assert project.import_paths([source]).imported == 1
        project.ensure_annotator("rita")
        project.set_role("rita", AnnotatorRole.REVIEWER)
    project = Project.open(db)
    win = build_main_window(project, "rita")
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win, timeout=5000)
    yield win
    win.shutdown()
    project.close()


def test_keys_shift_tab_is_the_previous_disagreement_in_review_mode(
    qtbot: Any, review_window: Any
) -> None:
    win = review_window
    press(win.view, "Ctrl+R")
    assert win.review.active
    qtbot.waitUntil(
        lambda: win.session is not None and win.review.loaded_doc == win.doc_id, timeout=15000
    )
    qtbot.waitUntil(lambda: len(win.review.items) >= 3, timeout=15000)
    assert win.review.index == 0
    QTest.keyClick(win.view, Qt.Key.Key_Tab)
    QTest.keyClick(win.view, Qt.Key.Key_Tab)
    assert win.review.index == 2
    QTest.keyClick(win.view, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert win.review.index == 1
    QTest.keyClick(win.view, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert win.review.index == 0
    assert focus_is(win.view)
