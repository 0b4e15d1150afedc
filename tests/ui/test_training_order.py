"""The document list's "Disagreement first" order (active learning) in the window, on a
project with real rules and spaCy suggestions stored."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from annotator.app.project import Project
from annotator.app.queue_order import disagreement_order
from annotator.app.suggest import run_suggest
from annotator.nlp import pipeline

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Project]:
    spacy_pipelines = [p for p in pipeline.installed_pipelines() if p.kind == "spacy"]
    if not spacy_pipelines:
        pytest.skip("no spaCy pipeline installed")
    p = Project.open(tmp_path / "p.db")
    p.import_paths([ROOT / "seeds"])
    run_suggest(p, pipeline.load_suggester("rules"))
    run_suggest(p, pipeline.load_suggester(spacy_pipelines[0].name))  # the current set
    yield p
    p.close()


def _listed(win: Any) -> list[int]:
    model = win.doc_list.model
    return [model.doc_id(r) for r in range(model.rowCount())]


def test_disagreement_first_orders_the_list_and_enter_follows_it(
    qtbot: Any, project: Project, tmp_path: Path
) -> None:
    from annotator.ui.app import build_main_window

    win = build_main_window(project, "alice")
    qtbot.addWidget(win)
    win.resize(1300, 800)
    win.show()
    qtbot.waitExposed(win)
    try:
        ids = project.document_ids()
        assert _listed(win) == ids
        order = disagreement_order(project)
        assert order.ids != ids  # the seeds disagree differently: the order says something
        with qtbot.waitSignal(win.doc_list.orderApplied, timeout=20_000):
            win.doc_list.order_box.setCurrentIndex(1)  # ranked on the database lane
        assert _listed(win) == order.ids
        first = win.doc_list.model.index(0, 0)
        tip = win.doc_list.model.data(first, Qt.ItemDataRole.ToolTipRole)
        assert f"disagreement {order.scores[order.ids[0]]:.2f}" in tip
        win.grab().save(str(tmp_path / "order.png"))

        # Enter (done) opens the next unfinished article in this order
        win.open_document(order.ids[0])
        qtbot.waitUntil(lambda: win.doc_id == order.ids[0] and win.editor.annotation is not None)
        win.on_done()
        qtbot.waitUntil(lambda: win.doc_id == order.ids[1], timeout=20_000)

        win.doc_list.order_box.setCurrentIndex(0)
        assert _listed(win) == ids
    finally:
        win.close()
