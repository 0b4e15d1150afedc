"""Panels, dialogs and figures that say what they mean: the export dialog, the headline,
dock sizes across articles and review mode, View ▸ Reset layout, gold progress, the
review table's words and the dashboard's document names. Real SQLite files, real widgets."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel

from annotator.app.project import Project
from annotator.app.review import GOLD
from annotator.core import Annotation, AnnotationStatus, AnnotatorRole, Layer, Origin, Span
from annotator.core.labels import DEFAULT_SCHEME
from annotator.ui import settings as user_settings
from annotator.ui.export_dialog import ExportDialog, default_folder
from annotator.ui.review_items import ReviewItem
from annotator.ui.review_panel import DisagreementModel, ReviewPanel

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
SEEDS_GOLD = ROOT / "tests" / "data" / "seeds_gold.jsonl"  # gold done for 3 of the 5 seeds

URL = "https://example.org/" + "a-very-long-path-segment-" * 6 + "end"
LONG_HEADLINE = (  # 230 characters: more than Document.title's 200
    "Russia's deputy foreign minister says nothing can be ruled out in advance about a "
    "meeting between Putin and Trump, as a 28-point plan to end the war in Ukraine is "
    "discussed in Washington, Moscow and Kyiv, the end of it"
)


def _window(qtbot: Any, project: Project, name: str, **kwargs: Any) -> Any:
    from annotator.ui.app import build_main_window

    win = build_main_window(project, name, **kwargs)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win, timeout=5000)
    qtbot.waitUntil(lambda: win.session is not None, timeout=15000)
    return win


def _settle(qtbot: Any) -> None:
    """Let queued layout requests (docks, wrapped labels) run."""
    for _ in range(3):
        QApplication.processEvents()
        qtbot.wait(20)


def key(win: Any, seq: str) -> None:
    combo = QKeySequence(seq)[0]
    QTest.keyClick(win.view, combo.key(), combo.keyboardModifiers())


def _dock_sizes(win: Any) -> dict[str, tuple[int, int]]:
    return {
        d.objectName(): (d.width(), d.height())
        for d in (win.docs_dock, win.spans_dock, win.labels_dock)
    }


# -- File ▸ Export… ---------------------------------------------------------------------


def test_export_dialog_labels_are_buddies_so_no_literal_ampersand(qtbot: Any, tmp_path: Path):
    dialog = ExportDialog(["alice"], "alice", tmp_path)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    marked = [label for label in dialog.findChildren(QLabel) if "&" in label.text()]
    assert {label.text() for label in marked} >= {"&Format:", "&To file:"}
    # A label without a buddy shows its "&" as a character; every one has its field.
    assert all(label.buddy() is not None for label in marked), [
        label.text() for label in marked if label.buddy() is None
    ]
    assert dialog.labels["To file:"].buddy() is dialog.path_edit
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=5000)
    dialog.format_box.setFocus()
    QTest.keyClick(dialog.format_box, Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(dialog.path_edit.hasFocus, timeout=2000)
    dialog.grab().save(str(tmp_path / "export_dialog.png"))


def test_export_dialog_keeps_the_articles_choice_when_the_format_changes(
    qtbot: Any, tmp_path: Path
) -> None:
    dialog = ExportDialog(["alice"], "alice", tmp_path)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("jsonl"))
    assert dialog.status == "all"  # JSONL's own default while the user has not chosen
    # The user picks "finished articles only" with the keyboard …
    dialog.status_box.setFocus()
    QTest.keyClick(dialog.status_box, Qt.Key.Key_Up)
    assert dialog.status == "done"
    # … and it stays whatever format comes next.
    for fmt in ("doccano", "spacy", "iob", "jsonl"):
        dialog.format_box.setCurrentIndex(dialog.format_box.findData(fmt))
        assert dialog.status == "done", fmt
    # The other way round: "every article" stays for a training format, said out loud.
    QTest.keyClick(dialog.status_box, Qt.Key.Key_Down)
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("spacy"))
    assert dialog.choice().status == "all"
    assert dialog.status_hint.isVisible() and "Careful" in dialog.status_hint.text()
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("jsonl"))
    assert not dialog.status_hint.isVisible()


def test_export_defaults_next_to_the_project_file_then_to_the_last_folder(
    qtbot: Any, open_project: Project, seeds_db: Path, tmp_path: Path
) -> None:
    win = _window(qtbot, open_project, "alice")
    seen: list[Path] = []
    out_dir = tmp_path / "exports"
    out_dir.mkdir()

    def answer(accept_to: Path | None) -> None:
        # Runs inside the dialog's exec(): whatever happens, the dialog must close.
        dialog = QApplication.activeModalWidget()
        try:
            assert isinstance(dialog, ExportDialog)
            seen.append(Path(dialog.path_edit.text()))
            if accept_to is not None:
                dialog.path_edit.setText(str(accept_to))
                dialog._accept()
        finally:
            if dialog is not None and dialog.isVisible():
                dialog.reject()

    try:
        key(win, "Return")  # one finished article: something to export
        QTimer.singleShot(0, lambda: answer(out_dir / "mine.jsonl"))
        win.files.export()
        assert seen[0].parent == seeds_db.parent.resolve()  # next to seeds.db, not $HOME
        assert seen[0].parent != Path.home()
        qtbot.waitUntil(
            lambda: (out_dir / "mine.jsonl").exists() and not win.tasks.busy, timeout=15000
        )
        QTimer.singleShot(0, lambda: answer(None))
        win.files.export()
        assert seen[1].parent == out_dir  # remembered in QSettings
        assert user_settings.last_export_folder() == str(out_dir)
    finally:
        win.shutdown()
    # A server database has no folder: the current directory.
    user_settings.settings().remove("last_export_folder")
    assert default_folder("postgresql://db.example/annotations") == Path.cwd()


# -- headline and dock sizes --------------------------------------------------------------


@pytest.fixture
def headlines_db(tmp_path: Path, fake_suggester: Any) -> Path:
    """The seed articles (with suggestions: a long hint) and two with awkward headlines."""
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "long.txt").write_text(LONG_HEADLINE + "\n\nThe body of the article.\n")
    (folder / "url.txt").write_text(f"Read {URL} first\n\nBody text here.\n")
    (folder / "short.txt").write_text("Short\n\nBody.\n")
    db = tmp_path / "headlines.db"
    with Project.open(db) as project:
        assert project.import_paths([SEEDS, folder]).imported == 8
        for row in project.list_documents("nobody", limit=20):
            project.ensure_suggestions(row.id, fake_suggester)
    return db


def _doc_named(project: Project, name: str) -> int:
    return next(r.id for r in project.list_documents("x", limit=50) if r.external_id == name)


def test_long_headline_is_shown_whole_wrapped_and_elided_only_beyond_three_lines(
    qtbot: Any, headlines_db: Path, fake_suggester: Any, tmp_path: Path
) -> None:
    with Project.open(headlines_db) as project:
        win = _window(qtbot, project, "alice", suggester=fake_suggester)
        try:
            win.resize(1440, 900)
            win.open_document(_doc_named(project, "long.txt"))
            qtbot.waitUntil(lambda: win.session is not None, timeout=15000)
            _settle(qtbot)
            header = win.header
            assert header.text() == f"long.txt · {LONG_HEADLINE}"  # past 200 characters
            lines = header.shown_text().split("\n")
            assert 2 <= len(lines) <= 3 and not header.elided
            assert " ".join(lines) == header.text()  # every word on screen
            assert header.height() >= len(lines) * header.fontMetrics().lineSpacing()
            win.grab().save(str(tmp_path / "headline_wide.png"))

            win.resize(900, 900)  # narrower: beyond three lines it elides, whole in the tooltip
            _settle(qtbot)
            lines = header.shown_text().split("\n")
            assert len(lines) == 3 and lines[-1].endswith("…") and header.elided
            assert header.toolTip() == header.text()
            assert header.height() >= 3 * header.fontMetrics().lineSpacing()
            win.grab().save(str(tmp_path / "headline_narrow.png"))
        finally:
            win.shutdown()


def test_opening_other_articles_keeps_the_dock_widths(
    qtbot: Any, headlines_db: Path, fake_suggester: Any, tmp_path: Path
) -> None:
    with Project.open(headlines_db) as project:
        win = _window(qtbot, project, "alice", suggester=fake_suggester)
        try:
            win.resize(1100, 800)
            _settle(qtbot)
            before = _dock_sizes(win)
            assert before["documentsDock"][0] >= 250, "the list is not squeezed at the start"
            for name in ("url.txt", "long.txt", "short.txt"):
                win.open_document(_doc_named(project, name))
                qtbot.waitUntil(lambda: win.session is not None, timeout=15000)
                _settle(qtbot)
                widths = {k: w for k, (w, _h) in _dock_sizes(win).items()}
                assert widths == {k: w for k, (w, _h) in before.items()}, name
            win.grab().save(str(tmp_path / "docks_after_url.png"))
        finally:
            win.shutdown()


# -- review mode: layout, progress -------------------------------------------------------


@pytest.fixture
def gold_db(seeds_db: Path) -> Path:
    """The seeds with gold done for three of five, and a reviewer."""
    with Project.open(seeds_db) as project:
        assert project.import_paths([SEEDS_GOLD]).problems == []
        project.ensure_annotator("rita")
        project.set_role("rita", AnnotatorRole.REVIEWER)
    return seeds_db


@pytest.fixture
def reviewer(qtbot: Any, gold_db: Path) -> Iterator[Any]:
    project = Project.open(gold_db)
    win = _window(qtbot, project, "rita")
    yield win
    win.shutdown()
    project.close()


def _toggle_review(qtbot: Any, win: Any, on: bool) -> None:
    win.activateWindow()  # a dock floated a moment ago may have been the active window
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win, timeout=5000)
    key(win, "Ctrl+R")
    assert win.review.active == on
    qtbot.waitUntil(lambda: win.session is not None, timeout=15000)
    _settle(qtbot)


def test_leaving_review_mode_gives_the_span_table_its_height_back(
    qtbot: Any, reviewer: Any, tmp_path: Path
) -> None:
    win = reviewer
    _settle(qtbot)
    before_height = win.span_table.height()
    before = _dock_sizes(win)
    _toggle_review(qtbot, win, True)
    assert win.review.panel_dock.isVisible()
    _toggle_review(qtbot, win, False)
    assert not win.review.panel_dock.isVisible() and win.docs_dock.isVisible()
    assert win.span_table.height() >= before_height
    assert _dock_sizes(win) == before
    win.grab().save(str(tmp_path / "after_review.png"))


def test_the_reviewer_status_bar_counts_gold_articles(qtbot: Any, reviewer: Any) -> None:
    win = reviewer
    assert win.progress_label.text().startswith("rita: 0 / 5")
    _toggle_review(qtbot, win, True)
    assert win.progress_label.text().startswith("gold: 3 / 5")
    doc_id = next(
        r.id for r in win.project.list_documents(GOLD) if r.status == AnnotationStatus.TODO
    )
    win.open_document(doc_id)
    qtbot.waitUntil(lambda: win.session is not None and win.doc_id == doc_id, timeout=15000)
    key(win, "Return")  # gold of this article done
    assert win.project.load_annotation(doc_id, GOLD).status == AnnotationStatus.DONE
    assert win.progress_label.text().startswith("gold: 4 / 5")
    _toggle_review(qtbot, win, False)
    assert win.progress_label.text().startswith("rita: 0 / 5")


# -- View ▸ Reset layout ------------------------------------------------------------------


def test_reset_layout_puts_every_dock_back_and_forgets_the_saved_one(
    qtbot: Any, reviewer: Any
) -> None:
    win = reviewer
    action = win.actions_by_name["reset_layout"]
    view_menu = next(m for m in win.menuBar().actions() if m.text() == "&View").menu()
    assert action in view_menu.actions()
    _settle(qtbot)
    default = _dock_sizes(win)

    win.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, win.docs_dock)
    win.spans_dock.setFloating(True)
    win.labels_dock.hide()
    win.guidelines_dock.show()
    user_settings.settings().setValue("window_state", win.saveState())
    _settle(qtbot)
    assert _dock_sizes(win) != default

    action.trigger()
    _settle(qtbot)
    assert win.dockWidgetArea(win.docs_dock) == Qt.DockWidgetArea.LeftDockWidgetArea
    for dock in (win.spans_dock, win.labels_dock):
        assert win.dockWidgetArea(dock) == Qt.DockWidgetArea.RightDockWidgetArea
    docks = (win.docs_dock, win.spans_dock, win.labels_dock)
    assert all(d.isVisible() and not d.isFloating() for d in docks)
    assert not win.guidelines_dock.isVisible()
    assert _dock_sizes(win) == default
    assert user_settings.settings().value("window_state") is None

    # While reviewing: review's docks come back, and leaving review returns to the default.
    _toggle_review(qtbot, win, True)
    win.review.panel_dock.setFloating(True)
    action.trigger()
    _settle(qtbot)
    assert not win.review.panel_dock.isFloating() and win.review.panel_dock.isVisible()
    assert not win.docs_dock.isVisible() and win.review.docs_dock.isVisible()
    _toggle_review(qtbot, win, False)
    assert _dock_sizes(win) == default


# -- the review table in words ------------------------------------------------------------

TEXT = "Putin met Donald Trump in Moscow."


def _span(word: str, label: str) -> Span:
    start = TEXT.index(word)
    return Span(start, start + len(word), label, Layer.ENTS, Origin.MANUAL)


def test_review_table_says_in_words_who_marked_what_and_whom_gold_matches(qtbot: Any) -> None:
    alice = Annotation(1, "alice", [_span("Putin", "PERSON"), _span("Moscow", "GPE")])
    bob = Annotation(1, "bob", [_span("Putin", "PERSON"), _span("Trump", "ORG")])
    gold = Annotation(1, GOLD, [_span("Putin", "PERSON"), _span("Trump", "ORG")])
    at = _span("Moscow", "GPE")
    moscow = ReviewItem(at.start, at.end, "ents", frozenset({"GPE"}), "missing")
    trump = ReviewItem(
        TEXT.index("Donald"), TEXT.index(" in"), "ents", frozenset({"PERSON", "ORG"}), "boundary"
    )
    panel = ReviewPanel(DEFAULT_SCHEME)
    qtbot.addWidget(panel)
    panel.set_items(TEXT, [trump, moscow], ["alice", "bob"], {"alice": alice, "bob": bob}, gold)
    model: DisagreementModel = panel.model

    def cell(row: int, col: int, role: Qt.ItemDataRole = Qt.ItemDataRole.DisplayRole) -> str:
        return str(model.data(model.index(row, col), role))

    shown = [cell(r, c) for r in range(2) for c in range(model.columnCount())]
    assert not any("—" in text for text in shown), shown  # no bare dash for "nothing"
    # Moscow: alice marked a GPE, bob nothing, and gold agrees with bob.
    assert [cell(1, c) for c in range(5)] == ["Moscow", "missing", "GPE", "✓ no span", "no span"]
    assert cell(0, 1) == "extent differs"
    assert cell(1, 3, Qt.ItemDataRole.ToolTipRole) == (
        "bob: no span at ‘Moscow’; gold matches this version."
    )
    assert "Alt+1 takes this version" in cell(1, 2, Qt.ItemDataRole.ToolTipRole)
    assert (
        cell(1, 4, Qt.ItemDataRole.ToolTipRole) == "Gold: no span here; it matches bob's version."
    )
    assert "marked by some" in cell(1, 1, Qt.ItemDataRole.ToolTipRole).lower() or (
        "others marked nothing" in cell(1, 1, Qt.ItemDataRole.ToolTipRole)
    )
    header_tip = model.headerData(3, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert "gold matches it" in str(header_tip)
    assert "✓" in panel.legend.text() and "no span" in panel.legend.text()


# -- the dashboard's per-document chart ---------------------------------------------------


def _line(text: str, words: list[tuple[str, str]], who: str) -> str:
    spans = [
        {"start": text.index(w), "end": text.index(w) + len(w), "label": lab} for w, lab in words
    ]
    return json.dumps({"text": text, "spans": spans, "answer": "accept", "_annotator_id": who})


@pytest.fixture
def two_annotators_db(tmp_path: Path) -> Path:
    texts = [
        ("Putin met Donald Trump in Moscow on Friday.", [("Putin", "PERSON"), ("Moscow", "GPE")]),
        ("Zelensky spoke in Kyiv.", [("Zelensky", "PERSON"), ("Kyiv", "GPE")]),
        ("Merkel visited Paris and Rome.", [("Merkel", "PERSON"), ("Rome", "GPE")]),
    ]
    lines = []
    for text, words in texts:
        lines.append(_line(text, words, "alice"))
        lines.append(_line(text, words[:1], "bob"))  # bob misses the place each time
    source = tmp_path / "a_rather_long_export_file_name.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = tmp_path / "two.db"
    with Project.open(db) as project:
        assert project.import_paths([source]).imported == 3
        project.ensure_annotator("rita")
        project.set_role("rita", AnnotatorRole.REVIEWER)
    return db


def test_dashboard_per_document_chart_names_the_documents(
    qtbot: Any, two_annotators_db: Path, tmp_path: Path
) -> None:
    from annotator.ui.dashboard import elide_middle

    with Project.open(two_annotators_db) as project:
        win = _window(qtbot, project, "rita")
        try:
            key(win, "Ctrl+D")
            dash = win.review.dashboard
            assert dash is not None
            qtbot.waitUntil(
                lambda: dash.report is not None and dash.document_chart.canvas is not None,
                timeout=30000,
            )
            canvas = dash.document_chart.canvas
            canvas.draw()
            [ax] = canvas.figure.axes
            ticks = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
            external = {r.id: r.external_id for r in project.list_documents("rita")}
            order = [d.doc_id for d in dash.report.documents_by_disagreement()]
            assert ticks == [elide_middle(external[i]) for i in order]
            assert all(t not in {"0", "1", "2"} for t in ticks)
            assert any("…" in t for t in ticks) and all(len(t) <= 18 for t in ticks)
            dash.grab().save(str(tmp_path / "dashboard.png"))
            dash.close()
        finally:
            win.shutdown()


def test_elide_middle_keeps_both_ends() -> None:
    from annotator.ui.dashboard import elide_middle

    assert elide_middle("short.txt") == "short.txt"
    name = "a_rather_long_export_file_name.jsonl:12"
    out = elide_middle(name)
    assert len(out) == 18 and out.startswith("a_rather") and out.endswith("jsonl:12")
