"""Document list paging, saving when the database is unavailable, guidelines, shortcuts,
first run, settings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from annotator.app.errors import StorageUnavailable
from annotator.app.project import Project
from annotator.core import AnnotationStatus, Document, Origin, Token
from annotator.ui.actions import ACTIONS
from annotator.ui.app import build_main_window
from annotator.ui.document_list import PAGE, DocumentListModel


def _many_docs(path: Path, n: int) -> None:
    with Project.open(path) as p:
        docs = []
        for i in range(n):
            text = f"Article number {i} about Moscow."
            doc = Document(text, external_id=f"doc-{i:04d}")
            doc.tokens = [Token(0, 7, True), Token(8, 14, True), Token(15, 15 + len(str(i)), True)]
            docs.append(doc)
        p._repo.insert_documents(docs)


def test_document_list_model_pages_and_passes_qtmodeltester(qtmodeltester: Any, tmp_path: Path):
    db = tmp_path / "many.db"
    _many_docs(db, 2 * PAGE + 50)
    with Project.open(db) as project:
        model = DocumentListModel(project, "ann")
        assert model.rowCount() == PAGE, "only the first page is loaded"
        assert model.canFetchMore()
        model.fetchMore()
        assert model.rowCount() == 2 * PAGE
        assert model.row_of(project.list_documents("ann", offset=2 * PAGE + 10, limit=1)[0].id)
        assert model.rowCount() == 2 * PAGE + 50 and not model.canFetchMore()
        qtmodeltester.check(model)
        model.set_filter(None, "number 7")  # 7, 70-79, 170-179, 270-279 …
        assert model.total == project.count_documents("ann", search="number 7")
        assert all("number 7" in model.data(model.index(r, 0)) for r in range(model.rowCount()))
        model.set_filter(AnnotationStatus.DONE, None)
        assert model.rowCount() == 0
        qtmodeltester.check(model)


def test_search_box_filters_and_keeps_enter_to_itself(qtbot: Any, window: Any) -> None:
    doc_id = window.doc_id
    box = window.doc_list.search
    window.on_find()
    QTest.keyClicks(box, "Zaporizhia")
    QTest.keyClick(box, Qt.Key.Key_Return)  # must not mark the article done
    qtbot.waitUntil(lambda: window.doc_list.model.search == "Zaporizhia", timeout=2000)
    assert window.doc_list.model.rowCount() >= 1
    assert window.editor.annotation.status != AnnotationStatus.DONE
    assert window.doc_id == doc_id
    QTest.keyClicks(box, "1")  # a digit typed in the box is text, not "label as PERSON"
    assert box.text().endswith("1")


def test_clicking_a_document_opens_it(qtbot: Any, window: Any) -> None:
    table = window.doc_list.table
    rect = table.visualRect(window.doc_list.model.index(2, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.doc_id == window.doc_list.model.doc_id(2)
    assert window.view.omap.text == window.document.text


def test_unwritable_database_keeps_edits_and_retries(
    qtbot: Any, window: Any, reader: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = window.project
    real_apply = project.apply
    broken = {"on": True}

    def flaky_apply(annotation: Any, op: Any) -> Any:
        if broken["on"]:
            raise StorageUnavailable("database is locked")
        return real_apply(annotation, op)

    monkeypatch.setattr(project, "apply", flaky_apply)
    doc_id = window.doc_id
    first = window.editor.current
    QTest.keyClick(window.view, Qt.Key.Key_A)
    # Shown as accepted, kept in the undo stack, not in the database, and a banner says so.
    assert window.editor.annotation.span_by_key(first).origin == Origin.ACCEPTED
    assert window.undo_stack.count() == 1
    assert reader.load_annotation(doc_id, "alice").span_by_key(first).origin == Origin.SUGGESTED
    assert window.banner.isVisible()
    assert "locked" in window.banner.label.text()
    QTest.keyClick(window.view, Qt.Key.Key_X)  # a second edit queues behind the first
    assert window.session.unsaved == 2
    # Leaving the article is refused while edits are unsaved.
    QTest.keyClick(window.view, Qt.Key.Key_Return)
    assert window.doc_id == doc_id
    broken["on"] = False
    window.banner.retry.click()
    assert not window.banner.isVisible()
    saved = reader.load_annotation(doc_id, "alice")
    assert saved.span_by_key(first).origin == Origin.ACCEPTED
    assert len(saved.rejected) == 1
    # and the undo history still works against the database
    QTest.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert not reader.load_annotation(doc_id, "alice").rejected


def test_retry_timer_flushes_by_itself(qtbot: Any, window: Any, monkeypatch: Any) -> None:
    project = window.project
    real_apply = project.apply
    calls = {"n": 0}

    def fails_once(annotation: Any, op: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 1:
            raise StorageUnavailable("disk full")
        return real_apply(annotation, op)

    monkeypatch.setattr(project, "apply", fails_once)
    QTest.keyClick(window.view, Qt.Key.Key_A)
    assert window.banner.isVisible()
    qtbot.waitUntil(lambda: not window.banner.isVisible(), timeout=5000)
    assert window.session.unsaved == 0


def test_h_opens_the_guidelines_panel(window: Any) -> None:
    assert not window.guidelines_dock.isVisible()
    QTest.keyClick(window.view, Qt.Key.Key_H)
    assert window.guidelines_dock.isVisible()
    assert "Annotation guidelines" in window.guidelines.toPlainText()
    QTest.keyClick(window.view, Qt.Key.Key_H)
    assert not window.guidelines_dock.isVisible()


def test_project_guidelines_replace_the_shipped_ones(qtbot: Any, seeds_db: Path) -> None:
    (seeds_db.parent / "guidelines.md").write_text("# House rules\n\nLabel carefully.\n")
    with Project.open(seeds_db) as project:
        win = build_main_window(project, "alice")
        qtbot.addWidget(win)
        assert "House rules" in win.guidelines.toPlainText()
        win.shutdown()


def test_every_action_is_in_the_shortcut_table(window: Any) -> None:
    window.on_show_shortcuts()
    from PySide6.QtWidgets import QTextBrowser

    text = window.shortcuts_dialog.findChild(QTextBrowser).toPlainText()
    for spec in ACTIONS:
        if spec.shortcuts:
            assert spec.text.replace("&", "") in text
    assert "Label as PERSON" in text
    window.shortcuts_dialog.close()
    names = {a.objectName() for a in window.actions()}
    assert {s.name for s in ACTIONS} <= names


def test_first_run_offers_the_seed_articles(qtbot: Any, tmp_path: Path) -> None:
    with Project.open(tmp_path / "empty.db") as project:
        win = build_main_window(project, "carol")
        qtbot.addWidget(win)
        win.show()
        assert win.stack.currentWidget() is win.empty
        win.import_seeds_button.click()  # runs in a worker with a progress dialog
        qtbot.waitUntil(lambda: win.doc_id is not None, timeout=30000)
        assert win.doc_list.model.rowCount() == 5
        assert win.stack.currentWidget() is win.view
        assert win.progress_label.text().startswith("carol: 0 / 5 done")
        win.shutdown()
        assert win.tasks.active_threads() == 0


def test_zoom_keys_change_the_text_size(window: Any) -> None:
    size = window.view.font().pointSizeF()
    QTest.keyClick(window.view, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert window.view.font().pointSizeF() > size
    QTest.keyClick(window.view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(window.view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert window.view.font().pointSizeF() < size


def test_hover_explains_a_span(window: Any) -> None:
    text = window.document.text
    start = text.index("Sergei Ryabkov")
    tip = window.view._tooltip(window.view.spans_at(start))
    assert "PERSON" in tip and "SPEAKER" in tip and "confidence 0.95" in tip
    quote = next(s for s in window.editor._visible if s.label == "QUOTE")
    assert "speaker: Sergei Ryabkov" in window.view._tooltip([quote])


def test_settings_remember_project_and_geometry(qtbot: Any, seeds_db: Path) -> None:
    from annotator.ui import settings as user_settings

    with Project.open(seeds_db) as project:
        win = build_main_window(project, "alice")
        qtbot.addWidget(win)
        win.resize(1000, 700)
        win.show()
        win.close()
        assert user_settings.last_project() == project.url
        assert project.url in user_settings.recent_projects()
        assert user_settings.settings().value("geometry") is not None


def test_model_loading_does_not_block_and_suggestions_arrive(
    qtbot: Any, tmp_path: Path, fake_suggester: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The window shows before the model is loaded; the article opens once suggestions exist."""
    import threading

    import annotator.nlp.pipeline as pipeline

    release = threading.Event()

    def slow_load(_name: str | None) -> Any:
        release.wait(10)
        return fake_suggester

    monkeypatch.setattr(pipeline, "load_suggester", slow_load)
    db = tmp_path / "fresh.db"
    with Project.open(db) as p:
        p.import_paths([Path(__file__).resolve().parents[2] / "seeds"])
    with Project.open(db) as project:
        win = build_main_window(project, "dave", load_model=True)
        qtbot.addWidget(win)
        win.show()
        qtbot.waitUntil(lambda: win.pipeline_label.text() == "loading model…", timeout=2000)
        # tokenized on the NLP thread before the (slow) model load starts there
        qtbot.waitUntil(lambda: win.document is not None, timeout=5000)
        assert win.editor.annotation is None
        assert win.view.omap.text == win.document.text  # the text is readable meanwhile
        release.set()
        qtbot.waitUntil(lambda: win.editor.annotation is not None, timeout=10000)
        assert any(s.origin == Origin.SUGGESTED for s in win.editor.annotation.spans)
        assert "test-suggester" in win.pipeline_label.text()
        win.shutdown()


def test_a_document_without_stored_tokens_opens_through_the_nlp_thread(
    qtbot: Any, open_project: Project
) -> None:
    """Tokenizing needs spaCy, which only the NLP thread may call: the window shows
    "Opening the article…" at once and opens the article when the tokens are there."""
    from sqlalchemy import text

    first = open_project.next_document("erin", None)
    assert first is not None
    with open_project.db.engine.begin() as conn:
        conn.execute(text("UPDATE documents SET tokens = NULL WHERE id = :i"), {"i": first})
    win = build_main_window(open_project, "erin")
    qtbot.addWidget(win)
    win.show()
    assert win.header.text() == "Opening the article…"  # shown at once, not frozen
    qtbot.waitUntil(lambda: win.editor.annotation is not None, timeout=10000)
    assert win.view.omap.text == win.document.text
    assert win.document.tokens  # tokenized on the NLP thread, and stored
    assert open_project.get_document(first, tokenize_missing=False).tokens == win.document.tokens
    win.shutdown()
