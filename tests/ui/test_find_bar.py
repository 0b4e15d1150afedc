"""Find in article (Ctrl+F): matches counted and highlighted where they are, also after
emoji and CRLF line ends; Enter/Shift+Enter/F3 move, Esc gives the keys back; the
window's Enter (done) and Esc (cancel) do not fire from the bar; the document search
moved to Ctrl+Shift+F."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

from annotator.core import AnnotationStatus, Layer, Origin, Span
from annotator.ui.article_view import ArticleView
from annotator.ui.find_bar import FindBar, find_all

# Astral characters (two UTF-16 units each in Qt) and a CRLF (folded into one) before
# and between the matches: a highlight computed in code points would drift.
TEXT = "😀 Cat sat.\r\nThe 🐈 cat met 𝔄 CAT, then a caterpillar."


def test_find_all_is_case_insensitive_in_code_points() -> None:
    found = find_all(TEXT, "cat")
    assert [TEXT[a:b] for a, b in found] == ["Cat", "cat", "CAT", "cat"]
    assert find_all("aaaa", "aa") == [(0, 2), (2, 4)]  # left to right, not overlapping
    assert find_all("Straße", "STRASSE") == []  # per-character folding keeps offsets exact
    assert find_all("Straße", "STRAßE") == [(0, 6)]
    assert find_all(TEXT, "") == []
    assert find_all("a.b axb", "a.b") == [(0, 3)]  # the words are text, not a pattern
    assert len(find_all("x" * 50, "x", limit=7)) == 7


@pytest.fixture
def bar(qtbot: Any) -> Iterator[FindBar]:
    host = QWidget()
    view = ArticleView()
    find = FindBar(view)
    layout = QVBoxLayout(host)
    layout.addWidget(view, 1)
    layout.addWidget(find)
    qtbot.addWidget(host)
    host.resize(700, 400)
    view.set_text(TEXT)
    host.show()
    qtbot.waitExposed(host)
    yield find


def _marks(view: ArticleView) -> list[tuple[str, bool]]:
    """(highlighted text, strong?) of the view's find highlights, as Qt shows them."""
    out = []
    for sel in view.extraSelections():
        if sel.format.underlineStyle() == sel.format.UnderlineStyle.SingleUnderline:
            strong = sel.format.foreground().style() != Qt.BrushStyle.NoBrush
            out.append((sel.cursor.selectedText(), strong))
    return out


def test_find_bar_highlights_every_match_and_the_current_strongly(bar: FindBar) -> None:
    view = bar.view
    bar.open()
    assert bar.isVisible() and bar.edit.hasFocus()
    QTest.keyClicks(bar.edit, "cat")
    assert bar.count_text() == "1 of 4"
    # Qt's own selected text under each highlight: right after 😀, 🐈 and 𝔄 and the CRLF.
    assert _marks(view) == [("Cat", True), ("cat", False), ("CAT", False), ("cat", False)]
    QTest.keyClick(bar.edit, Qt.Key.Key_Return)
    assert bar.count_text() == "2 of 4"
    assert _marks(view)[1] == ("cat", True)
    QTest.keyClick(bar.edit, Qt.Key.Key_F3)
    assert bar.count_text() == "3 of 4"
    QTest.keyClick(bar.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    QTest.keyClick(bar.edit, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    QTest.keyClick(bar.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert bar.count_text() == "4 of 4"  # wrapped backwards
    QTest.keyClick(bar.edit, Qt.Key.Key_Return)
    assert bar.count_text() == "1 of 4"  # and forwards
    # Typing on narrows the search where the reader is: "cate" only matches the last.
    QTest.keyClicks(bar.edit, "e")
    assert bar.count_text() == "1 of 1"
    assert _marks(view) == [("cate", True)]
    QTest.keyClicks(bar.edit, "x")
    assert bar.count_text() == "No matches" and _marks(view) == []


def test_find_bar_marks_sit_over_entity_backgrounds_and_go_on_close(bar: FindBar) -> None:
    view = bar.view
    start = TEXT.index("cat met")
    entity = Span(start, start + 3, "ORG", Layer.ENTS, Origin.MANUAL)
    view.set_spans([entity], [])
    assert len(view.extraSelections()) == 1
    bar.open("CAT")
    selections = view.extraSelections()
    assert len(selections) == 5  # the entity, then the four matches over it
    assert selections[0].cursor.selectedText() == "cat"
    assert (
        selections[0].format.underlineStyle() != selections[0].format.UnderlineStyle.SingleUnderline
    )
    # Spans redrawn after an edit keep the matches.
    view.set_spans([entity], [])
    assert len(_marks(view)) == 4
    QTest.keyClick(bar.edit, Qt.Key.Key_Escape)
    assert not bar.isVisible()
    assert view.hasFocus()
    assert _marks(view) == [] and len(view.extraSelections()) == 1


def test_find_bar_scrolls_the_current_match_into_view(bar: FindBar) -> None:
    view = bar.view
    paragraphs = [f"Paragraph {i} says nothing in particular." for i in range(300)]
    paragraphs[250] = "Here the needle 😀 lies."
    paragraphs[20] = "An early needle."
    view.set_text("\n".join(paragraphs))
    assert view.verticalScrollBar().value() == 0
    bar.open("NEEDLE")
    assert bar.count_text() == "1 of 2"  # from the top of the screen
    QTest.keyClick(bar.edit, Qt.Key.Key_Return)
    assert bar.count_text() == "2 of 2"
    a, b = view.omap.range_to_qt(*bar.matches[1])
    rects = view._range_rects(a, b)
    assert rects, "the current match is on screen"
    assert all(r.top() >= 0 and r.bottom() <= view.viewport().height() for r in rects)


def test_find_bar_keeps_the_words_for_the_next_article(bar: FindBar) -> None:
    view = bar.view
    bar.open("cat")
    assert bar.count_text() == "1 of 4"
    view.set_text("No felines here. Only a cat and another CAT.")
    # Same words, counted in the new article, nothing chosen until Enter.
    assert bar.count_text() == "2 matches"
    assert [m[1] for m in _marks(view)] == [False, False]
    QTest.keyClick(bar.edit, Qt.Key.Key_Return)
    assert bar.count_text() == "1 of 2"


def test_find_bar_waits_for_a_pause_in_a_huge_article(
    qtbot: Any, bar: FindBar, monkeypatch: pytest.MonkeyPatch
) -> None:
    import annotator.ui.find_bar as find_bar

    monkeypatch.setattr(find_bar, "DEBOUNCE_FROM", 10)  # TEXT counts as huge now
    bar.open()
    QTest.keyClicks(bar.edit, "cat")
    assert bar.count_text() == "", "no scan per key"
    qtbot.waitUntil(lambda: bar.count_text() == "1 of 4", timeout=2000)
    QTest.keyClicks(bar.edit, "e")
    QTest.keyClick(bar.edit, Qt.Key.Key_Return)  # before the pause: searched at once
    assert bar.count_text() == "1 of 1"


# -- in the window ----------------------------------------------------------------------------


def key(window: Any, seq: str, widget: Any = None) -> None:
    combo = QKeySequence(seq)[0]
    QTest.keyClick(widget or window.view, combo.key(), combo.keyboardModifiers())


@pytest.fixture
def active(qtbot: Any, window: Any) -> Any:
    # Window shortcuts go to the active window; one left by an earlier test may hold it.
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    qtbot.waitUntil(lambda: window.session is not None, timeout=10000)
    return window


def test_window_ctrl_f_finds_in_the_article_without_firing_window_keys(
    qtbot: Any, active: Any, reader: Any
) -> None:
    window = active
    doc_id = window.doc_id
    status = window.editor.annotation.status
    text = window.document.text
    n = len(find_all(text, "ukraine"))
    assert n >= 2
    key(window, "Ctrl+F")
    assert window.find_bar.isVisible() and window.find_bar.edit.hasFocus()
    QTest.keyClicks(window.find_bar.edit, "ukraine")  # typed letters are words, not keys
    assert window.find_bar.count_text() == f"1 of {n}"
    key(window, "Return", window.find_bar.edit)  # next match, not "mark done"
    assert window.find_bar.count_text() == f"2 of {n}"
    assert window.doc_id == doc_id and window.editor.annotation.status == status
    saved = reader.load_annotation(doc_id, "alice")
    assert saved is None or saved.status != AnnotationStatus.DONE
    key(window, "Escape", window.find_bar.edit)
    assert not window.find_bar.isVisible()
    assert window.view.hasFocus()
    # F3 from the article opens the bar again on the same words and moves on.
    key(window, "F3")
    assert window.find_bar.isVisible()
    assert window.find_bar.query == "ukraine"
    key(window, "Escape", window.find_bar.edit)
    # The document search is one key away.
    key(window, "Ctrl+Shift+F")
    assert window.doc_list.search.hasFocus()


def test_window_ctrl_f_starts_from_the_selected_words(active: Any) -> None:
    window = active
    text = window.document.text
    start = text.index("Putin")
    window.view.select_range(start, start + len("Putin"))
    key(window, "Ctrl+F")
    assert window.find_bar.query == "Putin"
    assert window.find_bar.count_text().endswith(f"of {len(find_all(text, 'putin'))}")
    key(window, "Escape", window.find_bar.edit)
