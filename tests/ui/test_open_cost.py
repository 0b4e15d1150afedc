"""What opening an article costs the window: one headline layout, and no full
garbage collection over the objects that live as long as the window."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from annotator.app.project import Project


def test_open_lays_out_the_headline_once(window: Any, monkeypatch: Any) -> None:
    ids = [row.id for row in window.project.list_documents("alice")]
    other = next(i for i in ids if i != window.doc_id)
    texts: list[str] = []
    original = window.header.setText

    def counted(text: str) -> None:
        texts.append(text)
        original(text)

    monkeypatch.setattr(window.header, "setText", counted)
    window.open_document(other)
    assert window.doc_id == other and window.editor.annotation is not None
    # once the annotation is attached, with its status and name (not once more for
    # the first span selected while attaching)
    doc = window.project.get_document(other)
    assert len(texts) == 1
    assert doc.external_id in texts[0]
    assert window.header.text() == texts[0]


def test_gui_start_leaves_startup_objects_to_the_collector_no_more(
    seeds_db: Path, tmp_path: Path
) -> None:
    """run_gui freezes what exists once the window is shown (annotator/ui/heap.py)."""
    code = (
        "import gc, sys\n"
        "from annotator.ui.app import run_gui\n"
        f"rc = run_gui({str(seeds_db)!r}, 'alice', 'rules')\n"
        "print('FROZEN', gc.get_freeze_count(), 'THRESHOLD', gc.get_threshold()[0])\n"
        "sys.exit(rc)\n"
    )
    env = {
        "QT_QPA_PLATFORM": "offscreen",
        "ANNOTATOR_QUIT_AFTER_SHOW": "1",
        "XDG_CONFIG_HOME": str(tmp_path / "cfg"),
        "HOME": str(tmp_path),
        "PATH": "/usr/bin:/bin",
    }
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr[-2000:]
    line = next(ln for ln in out.stdout.splitlines() if ln.startswith("FROZEN"))
    frozen, threshold = int(line.split()[1]), int(line.split()[3])
    assert frozen > 50_000  # modules, Qt wrappers, the window: out of the collector's sight
    assert threshold >= 10_000
    with Project.open(seeds_db) as project:  # the file is untouched by the settling
        assert project.count_documents() == 5
