"""Offscreen screenshots of the main window for docs/ (run: python bench/make_screenshots.py).

Uses the seed articles and the best installed spaCy pipeline (else the built-in rules).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtGui import QColor, QPalette  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402


def dark_palette() -> QPalette:
    pal = QPalette()
    roles = {
        QPalette.ColorRole.Window: "#2b2b2e",
        QPalette.ColorRole.WindowText: "#e6e6e6",
        QPalette.ColorRole.Base: "#1f1f22",
        QPalette.ColorRole.AlternateBase: "#2a2a2e",
        QPalette.ColorRole.Text: "#e6e6e6",
        QPalette.ColorRole.Button: "#35353a",
        QPalette.ColorRole.ButtonText: "#e6e6e6",
        QPalette.ColorRole.Highlight: "#3d8fd6",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.PlaceholderText: "#9a9a9a",
    }
    for role, colour in roles.items():
        pal.setColor(role, QColor(colour))
    return pal


def main() -> int:
    from annotator.app.project import Project
    from annotator.nlp.pipeline import load_suggester
    from annotator.ui.app import build_main_window

    tmp = Path(tempfile.mkdtemp())
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp))
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setStyle("Fusion")
    suggester = load_suggester(os.environ.get("ANNOTATOR_MODEL"))
    db = tmp / "seeds.db"
    with Project.open(db) as p:
        p.import_paths([ROOT / "seeds"])
        for row in p.list_documents("screenshots"):
            p.ensure_suggestions(row.id, suggester)
    project = Project.open(db)
    out = ROOT / "docs"
    win = build_main_window(project, "maria", suggester=suggester)
    win.resize(1500, 940)
    win.show()
    app.processEvents()
    # Open the first article synchronously (suggestions are already stored).
    win.model_state = "off"
    win.doc_id = None
    win.open_document(1)
    app.processEvents()
    win.grab().save(str(out / "main_window.png"))

    # A selected quote with its speaker and cue linked.
    ann = win.editor.annotation
    quotes = [s for s in win.editor._visible if s.label == "QUOTE" and ann.speaker_of(s.key)]
    print("quotes with a speaker:", len(quotes), "current:", win.editor.current)
    if quotes:
        win.editor.set_current(quotes[0].key)
    app.processEvents()
    print("current:", win.editor.current, "active:", win.view.active_quote)
    win.grab().save(str(out / "selected_quote.png"))

    # Linking: S on the quote, candidate outlined.
    if quotes:
        win.on_set_speaker()
    app.processEvents()
    win.grab().save(str(out / "linking_speaker.png"))
    win.on_cancel()

    app.setPalette(dark_palette())
    app.processEvents()
    win.view.viewport().update()
    app.processEvents()
    win.grab().save(str(out / "main_window_dark.png"))
    win.shutdown()
    project.close()
    print("wrote", sorted(p.name for p in out.glob("*.png")))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
