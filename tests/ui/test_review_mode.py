"""Review mode driven by keys: two annotators imported from JSONL, a reviewer adopts one
version, takes the other's span, edits one, finishes, and exports gold. After each step a
second connection to the SQLite file says what is really saved."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from annotator.app.project import Project
from annotator.app.review import GOLD
from annotator.core import AnnotationStatus, AnnotatorRole, Origin, RelationLabel, SpanKey

TEXT_A = 'Putin met Donald Trump in Moscow on Friday. He said "we will win the war" loudly.'
TEXT_B = "Zelensky spoke in Kyiv."
TEXT_C = "Merkel visited Paris and Rome."
QUOTE = (TEXT_A.index('"we'), TEXT_A.index('war"') + 4)
HE = (TEXT_A.index("He"), TEXT_A.index("He") + 2)


def _at(text: str, word: str, label: str) -> tuple[int, int, str]:
    start = text.index(word)
    return start, start + len(word), label


def _line(text: str, spans: list[tuple[int, int, str]], who: str, speaker: bool = False) -> str:
    record: dict[str, Any] = {
        "text": text,
        "spans": [{"start": s, "end": e, "label": lab} for s, e, lab in spans],
        "answer": "accept",
        "_annotator_id": who,
    }
    if speaker:
        record["relations"] = [
            {
                "label": "speaker",
                "head_span": {"start": QUOTE[0], "end": QUOTE[1], "label": "QUOTE"},
                "child_span": {"start": HE[0], "end": HE[1], "label": "SPEAKER"},
            }
        ]
    return json.dumps(record)


ALICE_A = [
    _at(TEXT_A, "Putin", "PERSON"),
    _at(TEXT_A, "Donald Trump", "PERSON"),
    _at(TEXT_A, "Moscow", "GPE"),
    (*QUOTE, "QUOTE"),
    (*HE, "SPEAKER"),
]
BOB_A = [
    _at(TEXT_A, "Putin", "PERSON"),
    _at(TEXT_A, "Trump", "ORG"),
    (*QUOTE, "QUOTE"),
]
AGREED_C = [_at(TEXT_C, "Merkel", "PERSON"), _at(TEXT_C, "Paris", "GPE")]


@pytest.fixture
def review_db(tmp_path: Path) -> Path:
    lines = [
        _line(TEXT_A, ALICE_A, "alice", speaker=True),
        _line(TEXT_A, BOB_A, "bob"),
        _line(TEXT_B, [_at(TEXT_B, "Zelensky", "PERSON"), _at(TEXT_B, "Kyiv", "GPE")], "alice"),
        _line(TEXT_B, [_at(TEXT_B, "Zelensky", "PERSON"), _at(TEXT_B, "Kyiv", "GPE")], "bob"),
        _line(TEXT_C, [*AGREED_C, _at(TEXT_C, "Rome", "GPE")], "alice"),
        _line(TEXT_C, [*AGREED_C, _at(TEXT_C, "Rome", "LOC")], "bob"),
    ]
    source = tmp_path / "two_annotators.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = tmp_path / "review.db"
    with Project.open(db) as project:
        report = project.import_paths([source])
        assert report.problems == [] and report.imported == 3
        project.ensure_annotator("rita")
        project.set_role("rita", AnnotatorRole.REVIEWER)
    return db


@pytest.fixture
def reader(review_db: Path) -> Iterator[Project]:
    project = Project.open(review_db)
    yield project
    project.close()


def _window(qtbot: Any, project: Project, name: str) -> Any:
    from annotator.ui.app import build_main_window

    win = build_main_window(project, name)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    # Window shortcuts go to the active window; a window left by an earlier test may hold it.
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win, timeout=5000)
    return win


@pytest.fixture
def reviewer(qtbot: Any, review_db: Path) -> Iterator[Any]:
    project = Project.open(review_db)
    win = _window(qtbot, project, "rita")
    yield win
    win.shutdown()
    assert win.tasks.active_threads() == 0
    project.close()


def key(window: Any, seq: str) -> None:
    combo = QKeySequence(seq)[0]
    QTest.keyClick(window.view, combo.key(), combo.keyboardModifiers())


def gold(reader: Project, doc_id: int) -> Any:
    ann = reader.load_annotation(doc_id, GOLD)
    assert ann is not None
    return ann


def gold_keys(reader: Project, doc_id: int) -> set[SpanKey]:
    return {s.key for s in gold(reader, doc_id).spans}


def keys_of(spans: list[tuple[int, int, str]]) -> set[SpanKey]:
    layer = {"QUOTE": "quotes", "SPEAKER": "quotes", "CUE": "quotes"}
    return {SpanKey(s, e, lab, layer.get(lab, "ents")) for s, e, lab in spans}


def enter_review(qtbot: Any, win: Any) -> None:
    key(win, "Ctrl+R")
    assert win.review.active
    qtbot.waitUntil(lambda: win.review.doc_list.model.rowCount() == 3, timeout=15000)
    qtbot.waitUntil(
        lambda: win.session is not None and win.review.loaded_doc == win.doc_id, timeout=15000
    )


def test_review_flow_adopt_take_edit_finish_export(
    qtbot: Any, reviewer: Any, reader: Project, tmp_path: Path
) -> None:
    win = reviewer
    assert win.actions_by_name["review_mode"].isEnabled()
    assert not win.actions_by_name["take_1"].isEnabled(), "take keys only in review mode"
    enter_review(qtbot, win)

    # Documents by disagreement: the Trump/Moscow/speaker article first, agreement last.
    model = win.review.doc_list.model
    texts = [reader.get_document(model.doc_id(r)).text for r in range(model.rowCount())]
    assert texts[0] == TEXT_A and texts[-1] == TEXT_B
    doc_a = model.doc_id(0)
    assert win.doc_id == doc_a and win.document.text == TEXT_A
    assert win.editor.annotation.annotator == GOLD
    assert win.review.names == ["alice", "bob"]
    assert win.actions_by_name["take_1"].text().startswith("Take alice's")
    assert win.actions_by_name["adopt_2"].text().startswith("Adopt bob's")

    # A fresh gold starts from what both agreed on: Putin and the quote.
    agreed = keys_of([_at(TEXT_A, "Putin", "PERSON"), (*QUOTE, "QUOTE")])
    assert gold_keys(reader, doc_a) == agreed

    # The disagreements: Donald Trump/Trump (boundary), Moscow (missing), He (missing).
    items = win.review.items
    assert [(TEXT_A[i.start : i.end], i.reason) for i in items] == [
        ("Donald Trump", "boundary"),
        ("Moscow", "missing"),
        ("He", "missing"),
    ]
    panel = win.review.panel
    assert panel.model.rowCount() == 3
    assert [v.isVisible() for v in panel.version_views[:2]] == [True, True]
    assert win.review.index == 0

    # Alt+2 takes bob's version of the Trump region, then moves on to the next one.
    key(win, "Alt+2")
    trump_org = SpanKey(*_at(TEXT_A, "Trump", "ORG"), "ents")
    assert gold_keys(reader, doc_a) == agreed | {trump_org}
    assert win.review.index == 1
    assert panel.model.data(panel.model.index(0, 3)).startswith("✓"), "bob's cell marked"
    key(win, "Ctrl+Z")
    assert gold_keys(reader, doc_a) == agreed
    key(win, "Ctrl+Shift+Z")
    assert gold_keys(reader, doc_a) == agreed | {trump_org}

    # Ctrl+Shift+1 adopts alice's whole article (spans and the speaker link): one undo step.
    key(win, "Ctrl+Shift+1")
    saved = gold(reader, doc_a)
    assert {s.key for s in saved.spans} == keys_of(ALICE_A)
    assert all(s.origin == Origin.ACCEPTED for s in saved.spans)
    quote_key = SpanKey(*QUOTE, "QUOTE", "quotes")
    assert saved.speaker_of(quote_key) == SpanKey(*HE, "SPEAKER", "quotes")
    key(win, "Ctrl+Z")
    assert gold_keys(reader, doc_a) == agreed | {trump_org}
    assert gold(reader, doc_a).speaker_of(quote_key) is None
    key(win, "Ctrl+Shift+Z")
    assert gold_keys(reader, doc_a) == keys_of(ALICE_A)

    # Tab to the Moscow disagreement and relabel gold's span there with a label key.
    win.review.go(0)
    key(win, "Tab")
    assert TEXT_A[win.review.current_item().start : win.review.current_item().end] == "Moscow"
    moscow_gpe = SpanKey(*_at(TEXT_A, "Moscow", "GPE"), "ents")
    assert win.editor.current == moscow_gpe, "the gold span of the region is current"
    key(win, "5")  # LOC
    moscow_loc = SpanKey(*_at(TEXT_A, "Moscow", "LOC"), "ents")
    assert moscow_loc in gold_keys(reader, doc_a) and moscow_gpe not in gold_keys(reader, doc_a)
    key(win, "Ctrl+Z")
    assert moscow_gpe in gold_keys(reader, doc_a)
    key(win, "Ctrl+Shift+Z")
    assert moscow_loc in gold_keys(reader, doc_a)

    # The annotators' own work is untouched by all this.
    alice = reader.load_annotation(doc_a, "alice")
    assert alice is not None and {s.key for s in alice.spans} == keys_of(ALICE_A)

    # Enter: gold done, and the next article in disagreement order opens in review.
    key(win, "Return")
    assert gold(reader, doc_a).status == AnnotationStatus.DONE
    assert win.doc_id == model.doc_id(1)
    assert model.data(model.index(0, 3)) == "✓ done"

    # Export gold (done only) from the window: a worker writes the file.
    out = tmp_path / "gold.jsonl"
    win.files.export_to(out, fmt="jsonl", gold=True, status="done")
    qtbot.waitUntil(lambda: out.exists() and not win.tasks.busy, timeout=15000)
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 1 and records[0]["text"] == TEXT_A
    exported = {(s["start"], s["end"], s["label"]) for s in records[0]["spans"]}
    assert exported == {(s.start, s.end, s.label) for s in gold(reader, doc_a).spans}
    assert (moscow_loc.start, moscow_loc.end, "LOC") in exported
    assert any(r["label"] == str(RelationLabel.SPEAKER) for r in records[0]["relations"])

    # Ctrl+R again: back to the reviewer's own (empty) annotations.
    key(win, "Ctrl+R")
    assert not win.review.active
    qtbot.waitUntil(lambda: win.session is not None, timeout=15000)
    assert win.editor.annotation.annotator == "rita"
    assert win.docs_dock.isVisible() and not win.review.panel_dock.isVisible()


def test_review_alt_key_takes_a_label_and_spacy_export_of_gold(
    qtbot: Any, reviewer: Any, reader: Project, tmp_path: Path
) -> None:
    win = reviewer
    enter_review(qtbot, win)
    model = win.review.doc_list.model
    doc_c = next(
        model.doc_id(r)
        for r in range(model.rowCount())
        if reader.get_document(model.doc_id(r)).text == TEXT_C
    )
    win.review.doc_list.documentChosen.emit(doc_c)
    qtbot.waitUntil(lambda: win.review.loaded_doc == doc_c, timeout=15000)
    [item] = win.review.items
    assert (TEXT_C[item.start : item.end], item.reason) == ("Rome", "label")
    key(win, "Tab")
    key(win, "Alt+2")  # bob: LOC
    rome_loc = SpanKey(*_at(TEXT_C, "Rome", "LOC"), "ents")
    assert rome_loc in gold_keys(reader, doc_c)
    key(win, "Alt+1")  # changed my mind: alice's GPE replaces it
    assert gold_keys(reader, doc_c) == keys_of([*AGREED_C, _at(TEXT_C, "Rome", "GPE")])
    key(win, "Return")
    out = tmp_path / "gold.spacy"
    win.files.export_to(out, fmt="spacy", gold=True, status="done")
    qtbot.waitUntil(lambda: out.exists() and not win.tasks.busy, timeout=15000)
    import spacy
    from spacy.tokens import DocBin

    [doc] = list(DocBin().from_disk(out).get_docs(spacy.blank("en").vocab))
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Merkel", "PERSON"),
        ("Paris", "GPE"),
        ("Rome", "GPE"),
    ]


def test_review_mode_and_dashboard_are_closed_to_plain_annotators(
    qtbot: Any, review_db: Path
) -> None:
    with Project.open(review_db) as project:
        win = _window(qtbot, project, "bob")
        try:
            assert not win.actions_by_name["review_mode"].isEnabled()
            assert not win.actions_by_name["dashboard"].isEnabled()
            win.review.set_active(True)  # as if the shortcut got through anyway
            assert not win.review.active
            assert "reviewer" in win.statusBar().currentMessage()
            win.review.show_dashboard()
            assert win.review.dashboard is None
            # bob sees his own spans only: nothing of alice's. (An imported article has
            # no tokens yet: the window tokenizes it on its NLP thread before showing it.)
            qtbot.waitUntil(lambda: win.editor.annotation is not None, timeout=15000)
            ann = win.editor.annotation
            assert ann.annotator == "bob"
            assert SpanKey(*_at(TEXT_A, "Moscow", "GPE"), "ents") not in {s.key for s in ann.spans}
            assert win.findChild(type(win.docs_dock), "review documentsDock") is None
        finally:
            win.shutdown()


def test_review_dashboard_shows_figures_and_three_charts(qtbot: Any, reviewer: Any) -> None:
    win = reviewer
    key(win, "Ctrl+D")
    dash = win.review.dashboard
    assert dash is not None and dash.isVisible()
    qtbot.waitUntil(lambda: dash.report is not None, timeout=30000)
    assert dash.report.annotators == ["alice", "bob"]
    assert dash.pair_table.rowCount() == len(dash.report.pairs)
    headers = [dash.pair_table.horizontalHeaderItem(c).text() for c in range(6)]
    assert headers == ["A", "B", "Layer", "F1 exact", "F1 overlap", "Cohen κ"]
    columns = [dash.layer_table.horizontalHeaderItem(c).text() for c in range(7)]
    assert {"Fleiss κ", "Krippendorff α", "unitizing α"} <= set(columns)
    for slot in (dash.label_chart, dash.document_chart, dash.confusion_chart):
        assert slot.canvas is not None, slot.objectName()
    first = dash.confusion_chart.canvas
    dash.a_box.setCurrentText("bob")
    dash.b_box.setCurrentText("alice")
    qtbot.waitUntil(lambda: dash.confusion_chart.canvas is not first, timeout=15000)
    dash.layer_box.setCurrentIndex(1)  # entities only: a fresh report in the worker
    qtbot.waitUntil(
        lambda: dash.report is not None and set(dash.report.by_layer) == {"ents"}, timeout=30000
    )
    dash.close()


def test_review_layout_is_not_saved_and_export_dialog_offers_gold(
    qtbot: Any, review_db: Path
) -> None:
    from annotator.ui.export_dialog import ExportDialog

    with Project.open(review_db) as project:
        win = _window(qtbot, project, "rita")
        enter_review(qtbot, win)
        assert not win.docs_dock.isVisible()
        win.close()  # saves the window state: the annotating layout, not review's
        assert win.tasks.active_threads() == 0
        again = _window(qtbot, project, "bob")
        try:
            assert again.docs_dock.isVisible()
        finally:
            again.shutdown()

    dialog = ExportDialog(["rita", "alice", GOLD], GOLD, Path("/tmp"))
    qtbot.addWidget(dialog)
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("spacy"))
    choice = dialog.choice()
    assert (choice.fmt, choice.gold, choice.annotator, choice.status) == (
        "spacy",
        True,
        None,
        "done",
    )
    assert choice.path == Path("/tmp/gold.spacy")
    dialog.who_box.setCurrentIndex(dialog.who_box.findData("alice"))
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("jsonl"))
    choice = dialog.choice()
    assert (choice.annotator, choice.gold, choice.status) == ("alice", False, "all")
    assert choice.path.name == "alice.jsonl"
