"""The annotation guidelines (Markdown) in a side panel, opened with H.

A project can ship its own: ``guidelines.md`` (or ``<project>.guidelines.md``)
next to the project file wins over the copy in ``resources/``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QTextBrowser, QWidget

from annotator.app.paths import resources_dir


def sqlite_path(url: str) -> Path | None:
    if url.startswith("sqlite:///"):
        return Path(url[len("sqlite:///") :])
    return None


def guidelines_path(project_url: str) -> Path:
    db = sqlite_path(project_url)
    if db is not None:
        for candidate in (db.with_suffix(".guidelines.md"), db.parent / "guidelines.md"):
            if candidate.is_file():
                return candidate
    return resources_dir() / "guidelines.md"


class GuidelinesPanel(QTextBrowser):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("guidelines")
        self.setOpenExternalLinks(True)
        self.path: Path | None = None

    def load(self, project_url: str) -> None:
        path = guidelines_path(project_url)
        self.path = path
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            text = f"# Guidelines\n\nCould not read `{path}`: {exc}"
        self.setMarkdown(text)
