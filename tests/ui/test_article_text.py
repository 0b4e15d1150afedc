"""The article is plain text: markup shows literally; odd characters keep their offsets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from annotator.app.project import Project
from annotator.ui.app import build_main_window

HTML_TEXT = "Breaking: <b>Bold</b> claims &amp; <i>denials</i> at <script>x</script> HQ.\n"
TRICKY_TEXT = (
    "Emoji 😀 first: “Paris 👍🏽 is lovely,” said Zoë.\r\n"
    "北京 officials said 😀 nothing.\tTabs\tand e\u0301clair\u2028line two of Tōkyō.\r\n"
)


def _project_with(tmp_path: Path, name: str, text: str) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / name).write_bytes(text.encode("utf-8"))
    db = tmp_path / "p.db"
    with Project.open(db) as p:
        assert p.import_paths([folder]).imported == 1
    return db


@pytest.fixture
def html_window(qtbot: Any, tmp_path: Path) -> Any:
    project = Project.open(_project_with(tmp_path, "html.txt", HTML_TEXT))
    win = build_main_window(project, "bob")
    qtbot.addWidget(win)
    # imported without tokens: the NLP thread tokenizes it, then it opens
    qtbot.waitUntil(lambda: win.document is not None, timeout=10000)
    yield win
    win.shutdown()
    project.close()


def test_markup_in_articles_is_shown_literally(html_window: Any) -> None:
    view = html_window.view
    assert view.toPlainText() == HTML_TEXT
    assert "<b>Bold</b>" in view.document().toPlainText()
    assert "&amp;" in view.document().toPlainText()
    block = view.document().firstBlock()
    # no character was made bold or italic: the text was never parsed as HTML
    it = block.begin()
    while not it.atEnd():
        fragment = it.fragment()
        assert not fragment.charFormat().font().bold()
        assert not fragment.charFormat().font().italic()
        it += 1
    title = html_window.doc_list.model.data(html_window.doc_list.model.index(0, 0))
    assert "<b>Bold</b>" in title
    assert "<b>Bold</b>" in html_window.header.text()


def test_span_made_in_window_has_the_same_text_in_db_and_export(qtbot: Any, tmp_path: Path) -> None:
    db = _project_with(tmp_path, "tricky.txt", TRICKY_TEXT)
    project = Project.open(db)
    win = build_main_window(project, "bob")
    qtbot.addWidget(win)
    try:
        qtbot.waitUntil(lambda: win.editor.annotation is not None, timeout=10000)
        text = win.document.text
        assert text == TRICKY_TEXT  # stored as imported, \r\n and all
        targets = ["“Paris 👍🏽 is lovely,”", "北京", "e\u0301clair", "Tōkyō", "Zoë"]
        view = win.view
        for target in targets:
            start = text.index(target)
            a, b = view.omap.range_to_qt(start, start + len(target))
            # What Qt shows at those positions is the same text (\r\n folded).
            cursor = view.textCursor()
            cursor.setPosition(a)
            cursor.setPosition(b, cursor.MoveMode.KeepAnchor)
            assert cursor.selectedText() == target
            view.setTextCursor(cursor)
            label = "QUOTE" if target.startswith("“") else "LOC"
            win.editor.label(label)
        with Project.open(db) as reader:
            ann = reader.load_annotation(win.doc_id, "bob")
            stored = reader.get_document(win.doc_id).text
            got = sorted(stored[s.start : s.end] for s in ann.spans)
        assert got == sorted(targets)

        from annotator.app.export import export_project

        out = tmp_path / "out.jsonl"
        export_project(project, out, fmt="jsonl", annotator="bob", status="all")
        import json

        # split on \n only: U+2028 inside a JSON string is legal and not a line break
        record = json.loads(out.read_text(encoding="utf-8").split("\n")[0])
        exported = sorted(record["text"][s["start"] : s["end"]] for s in record["spans"])
        assert exported == sorted(targets)
        assert all(s["text"] == record["text"][s["start"] : s["end"]] for s in record["spans"])
    finally:
        win.shutdown()
        project.close()
