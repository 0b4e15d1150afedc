"""Ctrl+Z reaches back across the last article change: after Enter (done, next article
opened), undo reopens the article left and undoes its "mark done", then its earlier
edits; each command replays in the document it was made in."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest

from annotator.app.project import Project
from annotator.core import AnnotationStatus, Origin, SpanKey
from annotator.ui.undo import UndoHistories

ANNOTATOR = "alice"


def key(w: Any, seq: str) -> None:
    combo = QKeySequence(seq)[0]
    QTest.keyClick(w.view, combo.key(), combo.keyboardModifiers())


def saved(reader: Project, doc_id: int) -> Any:
    ann = reader.load_annotation(doc_id, ANNOTATOR)
    assert ann is not None
    return ann


def origin(reader: Project, doc_id: int, span: SpanKey) -> Origin:
    return {s.key: s for s in saved(reader, doc_id).spans}[span].origin


def undo_text(w: Any) -> str:
    return w.actions_by_name["undo"].text()


def accept_current(w: Any) -> SpanKey:
    """A: accept the current suggestion; returns its key."""
    current = w.editor.current
    assert current is not None
    assert w.editor.annotation.span_by_key(current).origin == Origin.SUGGESTED
    key(w, "A")
    return current


def names_mark_done_in(text: str, article: str) -> bool:
    """ "&Undo mark done (article 003…)"; the done step may say more, e.g. "(accept 8)"."""
    return text.startswith("&Undo mark done") and text.endswith(f"({article})")


def name_of(w: Any, doc_id: int) -> str:
    doc = w.project.get_document(doc_id)
    return f"article {doc.external_id}"


@pytest.fixture
def win(window: Any, qtbot: Any) -> Iterator[Any]:
    qtbot.waitUntil(lambda: window.session is not None, timeout=10000)
    window.view.setFocus()
    yield window


def test_undo_after_enter_reopens_the_article_and_undoes_mark_done_then_its_edits(
    qtbot: Any, win: Any, reader: Project
) -> None:
    first = win.doc_id
    accepted = accept_current(win)
    assert undo_text(win) == "&Undo accept"
    key(win, "Return")  # done, next article
    second = win.doc_id
    assert second != first and saved(reader, first).status == AnnotationStatus.DONE
    qtbot.waitUntil(lambda: win.session is not None)

    # Nothing done here yet: the menu names the step in the article left.
    assert win.actions_by_name["undo"].isEnabled()
    assert names_mark_done_in(undo_text(win), name_of(win, first))

    key(win, "Ctrl+Z")
    qtbot.waitUntil(lambda: win.doc_id == first and win.session is not None)
    assert saved(reader, first).status == AnnotationStatus.IN_PROGRESS, "in progress again"
    assert win.editor.annotation.status == AnnotationStatus.IN_PROGRESS
    assert win.doc_list.model.status_of(first) == AnnotationStatus.IN_PROGRESS
    assert win.progress_label.text().startswith("alice: 0 / 5")
    assert origin(reader, first, accepted) == Origin.ACCEPTED, "only the last step undone"
    assert undo_text(win) == "&Undo accept"

    key(win, "Ctrl+Z")  # further Ctrl+Z keep undoing its earlier edits
    assert win.doc_id == first
    assert origin(reader, first, accepted) == Origin.SUGGESTED
    assert not win.actions_by_name["undo"].isEnabled()

    key(win, "Ctrl+Shift+Z")  # redo stays in this article
    assert win.doc_id == first and origin(reader, first, accepted) == Origin.ACCEPTED


def test_undo_walks_back_through_two_article_changes(qtbot: Any, win: Any, reader: Project) -> None:
    first = win.doc_id
    in_first = accept_current(win)
    key(win, "Return")
    second = win.doc_id
    qtbot.waitUntil(lambda: win.session is not None)
    in_second = accept_current(win)
    key(win, "Return")
    third = win.doc_id
    assert len({first, second, third}) == 3

    key(win, "Ctrl+Z")  # the second article's "mark done"
    qtbot.waitUntil(lambda: win.doc_id == second and win.session is not None)
    assert saved(reader, second).status == AnnotationStatus.IN_PROGRESS
    key(win, "Ctrl+Z")  # its accept
    assert origin(reader, second, in_second) == Origin.SUGGESTED
    assert names_mark_done_in(undo_text(win), name_of(win, first))

    key(win, "Ctrl+Z")  # back again: the first article
    qtbot.waitUntil(lambda: win.doc_id == first and win.session is not None)
    assert saved(reader, first).status == AnnotationStatus.IN_PROGRESS
    key(win, "Ctrl+Z")
    assert origin(reader, first, in_first) == Origin.SUGGESTED
    # the second article's history was not replayed into the first, nor the reverse
    assert saved(reader, second).status == AnnotationStatus.IN_PROGRESS
    assert origin(reader, second, in_second) == Origin.SUGGESTED
    key(win, "Ctrl+Z")  # nothing older: stays here
    assert win.doc_id == first


def test_undo_reaches_back_when_the_article_opens_in_a_worker(
    qtbot: Any, open_project: Project, fake_suggester: Any, reader: Project
) -> None:
    """With a pipeline loaded, an unfinished article reopens after its suggestions are
    checked in a worker; the undo waits for it."""
    from annotator.ui.app import build_main_window

    w = build_main_window(open_project, ANNOTATOR, suggester=fake_suggester)
    qtbot.addWidget(w)
    w.show()
    try:
        qtbot.waitUntil(lambda: w.session is not None, timeout=10000)
        w.view.setFocus()
        first = w.doc_id
        accepted = accept_current(w)
        key(w, "Ctrl+PgDown")  # next article, without finishing this one
        qtbot.waitUntil(lambda: w.doc_id != first and w.session is not None, timeout=10000)
        assert undo_text(w) == f"&Undo accept ({name_of(w, first)})"

        key(w, "Ctrl+Z")
        qtbot.waitUntil(
            lambda: w.doc_id == first and origin(reader, first, accepted) == Origin.SUGGESTED,
            timeout=10000,
        )
        assert w.session is not None and w.undo_stack.key == (first, ANNOTATOR)
    finally:
        w.shutdown()


def test_histories_are_bounded_and_skip_documents_without_history(qtbot: Any) -> None:
    histories = UndoHistories(keep=3)
    for doc in (1, 2, 3, 4):
        histories.switch_to((doc, ANNOTATOR))
    assert histories.trail == [(2, ANNOTATOR), (3, ANNOTATOR)], "the open one and two left"
    assert histories.history((1, ANNOTATOR)) is None
    assert histories.previous() is None, "nothing to undo anywhere"
    assert histories.undo_state() == (False, "&Undo")
    # going back by undo does not make the later document "previous"
    histories.switch_to((3, ANNOTATOR), back=True)
    assert histories.trail == [(2, ANNOTATOR)]
