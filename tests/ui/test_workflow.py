"""Drive the real window with keys and the mouse; after each step read what a second
connection to the same SQLite file sees, then undo and redo it and check again."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor

from annotator.app.project import Project
from annotator.core import AnnotationStatus, Origin, QuoteKind, RelationLabel, SpanKey
from annotator.core.seen import labels_seen

ANNOTATOR = "alice"


def saved(reader: Project, doc_id: int) -> Any:
    ann = reader.load_annotation(doc_id, ANNOTATOR)
    assert ann is not None
    return ann


def saved_spans(reader: Project, doc_id: int) -> dict[SpanKey, Any]:
    return {s.key: s for s in saved(reader, doc_id).spans}


def key(window: Any, seq: str) -> None:
    """Press a shortcut as a person would: to the focused article view."""
    from PySide6.QtGui import QKeySequence
    from PySide6.QtTest import QTest

    combo = QKeySequence(seq)[0]
    QTest.keyClick(window.view, combo.key(), combo.keyboardModifiers())


def point_of(window: Any, offset: int) -> QPoint:
    view = window.view
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.omap.to_qt(offset))
    return view.cursorRect(cursor).center()


def drag(qtbot: Any, window: Any, start: int, end: int) -> None:
    viewport = window.view.viewport()
    a, b = point_of(window, start), point_of(window, end)
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=a)
    qtbot.mouseMove(viewport, b)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=b)


def place_cursor(window: Any, offset: int) -> None:
    cursor = window.view.textCursor()
    cursor.setPosition(window.view.omap.to_qt(offset))
    window.view.setTextCursor(cursor)


def undo_redo(window: Any, check_before: Any, check_after: Any) -> None:
    key(window, "Ctrl+Z")
    check_before()
    key(window, "Ctrl+Shift+Z")
    check_after()


def test_window_full_annotation_round(qtbot: Any, window: Any, reader: Project) -> None:
    doc_id = window.doc_id
    text = window.document.text
    assert text.startswith("Ryabkov reported")
    assert window.view.toPlainText() == window.view.omap.display_text
    assert window.view.omap.text == text
    window.view.setFocus()

    # 1. accept the current suggestion (the first span) -----------------------------------
    ryabkov = SpanKey(0, 7, "PERSON", "ents")
    assert window.editor.current == ryabkov
    key(window, "A")
    assert saved_spans(reader, doc_id)[ryabkov].origin == Origin.ACCEPTED
    org = SpanKey(79, 100, "ORG", "ents")
    assert window.editor.current == org, "accept moves on to the next suggestion"
    undo_redo(
        window,
        lambda: saved_spans(reader, doc_id)[ryabkov].origin == Origin.SUGGESTED or _fail(),
        lambda: saved_spans(reader, doc_id)[ryabkov].origin == Origin.ACCEPTED or _fail(),
    )

    # 2. reject one -----------------------------------------------------------------------
    window.editor.set_current(org)
    key(window, "X")
    after = saved(reader, doc_id)
    assert org not in {s.key for s in after.spans}
    assert org in after.rejected
    undo_redo(
        window,
        lambda: org in saved_spans(reader, doc_id) or _fail(),
        lambda: org not in saved_spans(reader, doc_id) or _fail(),
    )

    # 3. create a span with the mouse: a sloppy drag inside "Moscow" snaps to the word --
    moscow = text.index("Moscow")
    drag(qtbot, window, moscow + 1, moscow + 4)
    assert window.view.selected_range() == (moscow, moscow + 6), "selection snapped on release"
    key(window, "3")  # GPE
    gpe = SpanKey(moscow, moscow + 6, "GPE", "ents")
    spans = saved_spans(reader, doc_id)
    assert spans[gpe].origin == Origin.MANUAL
    assert reader.get_document(doc_id).text[gpe.start : gpe.end] == "Moscow"
    undo_redo(
        window,
        lambda: gpe not in saved_spans(reader, doc_id) or _fail(),
        lambda: gpe in saved_spans(reader, doc_id) or _fail(),
    )

    # 4. relabel it with a number key -----------------------------------------------------
    assert window.editor.current == gpe
    key(window, "5")  # LOC
    loc = SpanKey(moscow, moscow + 6, "LOC", "ents")
    assert loc in saved_spans(reader, doc_id) and gpe not in saved_spans(reader, doc_id)
    undo_redo(
        window,
        lambda: gpe in saved_spans(reader, doc_id) or _fail(),
        lambda: loc in saved_spans(reader, doc_id) or _fail(),
    )

    # 5. make a quote from a keyboard selection (Shift+End, Shift+Down to the block end) -
    q_start = text.index("the progress in the talks")
    q_end = text.index("“significant.”") + len("“significant.”")
    place_cursor(window, q_start)
    key(window, "Shift+End")
    for _ in range(5):  # wrapped lines: End stops at each visual line's end
        selected = window.view.selected_range()
        if selected is not None and selected[1] >= q_end:
            break
        key(window, "Shift+Down")
        key(window, "Shift+End")
    assert window.view.selected_range() == (q_start, q_end)
    key(window, "Q")
    quote = SpanKey(q_start, q_end, "QUOTE", "quotes")
    spans = saved_spans(reader, doc_id)
    assert spans[quote].kind == QuoteKind.MIXED  # a paraphrase holding a quoted fragment
    assert window.editor.active_quote == quote
    undo_redo(
        window,
        lambda: quote not in saved_spans(reader, doc_id) or _fail(),
        lambda: quote in saved_spans(reader, doc_id) or _fail(),
    )

    # 6. its speaker: select "He" (Shift+Right twice) and press S ------------------------
    he = text.index("\nHe reported") + 1
    window.editor.set_current(quote)
    place_cursor(window, he)
    key(window, "Shift+Right")
    key(window, "Shift+Right")
    key(window, "S")
    speaker = SpanKey(he, he + 2, "SPEAKER", "quotes")
    ann = saved(reader, doc_id)
    assert ann.speaker_of(quote) == speaker
    undo_redo(
        window,
        lambda: (
            (
                saved(reader, doc_id).speaker_of(quote) is None
                and speaker not in saved_spans(reader, doc_id)
            )
            or _fail()
        ),
        lambda: saved(reader, doc_id).speaker_of(quote) == speaker or _fail(),
    )

    # 7. its cue: S/C without a selection enters link mode; Tab to a span, Enter links --
    called = text.index("called the progress")
    window.editor.set_current(quote)
    place_cursor(window, called)
    key(window, "Shift+Ctrl+Right")
    key(window, "Home")  # moving without Shift drops the keyboard selection
    assert window.view.selected_range() is None
    drag(qtbot, window, called, called + 6)
    key(window, "C")
    cue = SpanKey(called, called + 6, "CUE", "quotes")
    assert saved(reader, doc_id).cue_of(quote) == cue
    undo_redo(
        window,
        lambda: saved(reader, doc_id).cue_of(quote) is None or _fail(),
        lambda: saved(reader, doc_id).cue_of(quote) == cue or _fail(),
    )

    # link mode: relink the speaker of the quote to the suggested PERSON "Sergei Ryabkov"
    window.editor.set_current(quote)
    key(window, "S")
    assert window.editor.link_mode == RelationLabel.SPEAKER
    assert window.editor.current == speaker  # starts on the existing speaker
    sergei = SpanKey(
        text.index("Sergei Ryabkov"), text.index("Sergei Ryabkov") + 14, "PERSON", "ents"
    )
    window.editor.set_current(sergei)  # as Tab / a click would
    key(window, "Return")  # confirms the link instead of finishing the article
    new_speaker = SpanKey(sergei.start, sergei.end, "SPEAKER", "quotes")
    assert saved(reader, doc_id).speaker_of(quote) == new_speaker
    assert saved(reader, doc_id).status != AnnotationStatus.DONE
    undo_redo(
        window,
        lambda: saved(reader, doc_id).speaker_of(quote) == speaker or _fail(),
        lambda: saved(reader, doc_id).speaker_of(quote) == new_speaker or _fail(),
    )

    # 8. K cycles the kind ----------------------------------------------------------------
    window.editor.set_current(quote)
    key(window, "K")
    assert saved_spans(reader, doc_id)[quote].kind == QuoteKind.DIRECT
    undo_redo(
        window,
        lambda: saved_spans(reader, doc_id)[quote].kind == QuoteKind.MIXED or _fail(),
        lambda: saved_spans(reader, doc_id)[quote].kind == QuoteKind.DIRECT or _fail(),
    )

    # 9. Enter: done, and the next article opens -----------------------------------------
    before_done = saved(reader, doc_id)
    key(window, "Return")
    assert saved(reader, doc_id).status == AnnotationStatus.DONE
    assert window.doc_id != doc_id
    assert window.doc_id == reader.next_document(ANNOTATOR, doc_id)
    assert window.progress_label.text().startswith("alice: 1 / 5")

    # 10. a new window on the same file shows exactly the same state ---------------------
    window.shutdown()
    from annotator.ui.app import build_main_window

    again = Project.open(reader.url)
    try:
        win2 = build_main_window(again, ANNOTATOR)
        qtbot.addWidget(win2)
        win2.open_document(doc_id)
        shown = win2.editor.annotation
        assert shown is not None
        # Enter accepted the suggestions on screen and withdrew the hidden ones (L was off)
        expected = labels_seen(replace(before_done, status=AnnotationStatus.DONE))
        assert sorted(shown.spans, key=repr) == sorted(expected.spans, key=repr)
        assert set(shown.relations) == set(expected.relations)
        assert shown.status == AnnotationStatus.DONE
        assert {s.key for s in win2.editor._visible} >= {quote, new_speaker, cue, loc}
        win2.shutdown()
    finally:
        again.close()


def _fail() -> bool:
    raise AssertionError("database state after undo/redo is wrong")


def test_accept_all_and_low_confidence_toggle(window: Any, reader: Project) -> None:
    doc_id = window.doc_id
    ann = window.editor.annotation
    low = [s for s in ann.spans if s.confidence is not None and s.confidence < 0.5]
    assert low, "the fixture has a low-confidence suggestion"
    assert all(s.key not in {v.key for v in window.editor._visible} for s in low)
    key(window, "Shift+A")
    spans = saved_spans(reader, doc_id)
    assert all(spans[s.key].origin == Origin.SUGGESTED for s in low), "hidden ones untouched"
    assert all(
        s.origin == Origin.ACCEPTED for k, s in spans.items() if k not in {x.key for x in low}
    )
    key(window, "L")
    assert {s.key for s in low} <= {v.key for v in window.editor._visible}
    key(window, "Ctrl+Z")
    assert sum(s.origin == Origin.SUGGESTED for s in saved_spans(reader, doc_id).values()) == len(
        ann.spans
    )


def test_alt_arrows_move_span_edges_by_one_token(window: Any, reader: Project) -> None:
    doc_id = window.doc_id
    text = window.document.text
    start = text.index("Vladimir Putin")
    putin = SpanKey(start, start + 14, "PERSON", "ents")
    window.editor.set_current(putin)
    key(window, "Alt+Right")  # start one token right: "Putin"
    moved = SpanKey(start + 9, start + 14, "PERSON", "ents")
    assert saved_spans(reader, doc_id)[moved].origin == Origin.EDITED
    key(window, "Alt+Left")
    assert putin in saved_spans(reader, doc_id)
    key(window, "Alt+Shift+Left")  # end one token left: "Vladimir"
    assert SpanKey(start, start + 8, "PERSON", "ents") in saved_spans(reader, doc_id)


def test_invalid_edits_are_refused_with_a_message(window: Any, reader: Project) -> None:
    doc_id = window.doc_id
    text = window.document.text
    before = saved(reader, doc_id)
    start = text.index("Sergei Ryabkov")
    window.view.select_range(start, start + 6)  # "Sergei" inside the PERSON suggestion
    key(window, "2")  # ORG would overlap the PERSON entity
    assert "overlap" in window.statusBar().currentMessage()
    assert saved(reader, doc_id).spans == before.spans
    window.view.select_range(text.index("magazine,") + 9, text.index("magazine,") + 10)
    key(window, "2")  # a lone space: an empty span
    assert "no word" in window.statusBar().currentMessage()
    assert saved(reader, doc_id).spans == before.spans


def test_tab_walks_spans_in_reading_order_and_scrolls(window: Any) -> None:
    order = [s.key for s in window.editor._visible]
    window.editor.set_current(None)
    place_cursor(window, 0)
    seen = []
    for _ in range(len(order)):
        key(window, "Tab")
        seen.append(window.editor.current)
    assert seen == order
    key(window, "Shift+Tab")
    assert window.editor.current == order[-2]
    assert window.span_table.currentIndex().row() == len(order) - 2


def test_skip_with_ctrl_enter(window: Any, reader: Project) -> None:
    doc_id = window.doc_id
    key(window, "Ctrl+Return")
    assert saved(reader, doc_id).status == AnnotationStatus.SKIPPED
    assert window.doc_id == reader.next_document(ANNOTATOR, doc_id)


def test_click_on_span_makes_it_current(qtbot: Any, window: Any) -> None:
    text = window.document.text
    start = text.index("Vladimir Putin")
    qtbot.mouseClick(
        window.view.viewport(), Qt.MouseButton.LeftButton, pos=point_of(window, start + 3)
    )
    assert window.editor.current == SpanKey(start, start + 14, "PERSON", "ents")


def test_quote_layer_spans_are_listed_with_speaker(window: Any) -> None:
    model = window.span_table.span_model
    rows = [model.data(model.index(r, 3)) for r in range(model.rowCount())]
    assert "Sergei Ryabkov (direct)" in rows
    labels = {model.data(model.index(r, 1)) for r in range(model.rowCount())}
    assert {"QUOTE", "SPEAKER", "CUE", "PERSON"} <= labels
