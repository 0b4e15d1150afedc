"""A very long one-paragraph article opens in the window: shown in lines Qt can lay
out, labelled by hand with exact offsets, saved; suggestions say why there are none."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from annotator.app.project import Project
from annotator.core.offsets import DISPLAY_BLOCK_CHARS
from annotator.ui.app import build_main_window

SENTENCE = "Officials in Moscow said the talks with Sergei Ryabkov went on for hours. "


def test_a_two_megabyte_paragraph_opens_and_takes_a_label(qtbot: Any, tmp_path: Path) -> None:
    text = SENTENCE * (2_000_000 // len(SENTENCE))
    src = tmp_path / "long.jsonl"
    src.write_text(json.dumps({"text": text}) + "\n", "utf-8")
    db = tmp_path / "p.db"
    with Project.open(db) as p:
        assert p.import_paths([src]).imported == 1
    project = Project.open(db)
    win = build_main_window(project, "bob")
    qtbot.addWidget(win)
    win.show()
    try:
        # imported without tokens: the NLP thread tokenizes it, then it opens
        qtbot.waitUntil(lambda: win.document is not None, timeout=60000)
        view = win.view
        doc = view.document()
        # one paragraph in the article, many lines on screen, none longer than the limit
        assert doc.blockCount() >= len(text) // DISPLAY_BLOCK_CHARS
        longest = max(len(line) for line in view.omap.display_text.split("\n"))
        assert longest <= DISPLAY_BLOCK_CHARS
        assert view.toPlainText().replace("\n", "") == text
        # a name near the end, labelled with the keyboard, is saved with exact offsets
        start = text.rindex("Sergei Ryabkov")
        end = start + len("Sergei Ryabkov")
        view.setFocus()
        view.select_range(start, end)
        QTest.keyClick(view, Qt.Key.Key_1)  # PERSON
        qtbot.waitUntil(lambda: win.editor.annotation is not None and any(
            s.start == start and s.label == "PERSON" for s in win.editor.annotation.spans
        ), timeout=10000)
    finally:
        win.shutdown()
        project.close()
    with Project.open(db) as reader:
        saved = reader.load_annotation(1, "bob")
        assert saved is not None
        person = [s for s in saved.spans if s.label == "PERSON"]
        assert [(s.start, s.end) for s in person] == [(start, end)]
        assert text[person[0].start : person[0].end] == "Sergei Ryabkov"
