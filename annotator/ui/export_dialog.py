"""File ▸ Export…: what to export (format, whose annotations, which statuses) and where.

The export itself is ``annotator.app.export.export_project``, run by the window
in a worker with progress and Cancel; this dialog only gathers its arguments.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QWidget,
)

from annotator.formats.registry import WRITERS

GOLD = "gold"
FORMAT_TEXT = {
    "spacy": "spaCy DocBin (.spacy) — training data",
    "jsonl": "JSONL (Prodigy-style)",
    "doccano": "doccano JSONL",
    "iob": "IOB / CoNLL (entities) — training data",
}
# Training formats default to finished work only: a half-done article is not "no entity here".
DEFAULT_STATUS = {"spacy": "done", "iob": "done"}


@dataclass(frozen=True, slots=True)
class ExportChoice:
    path: Path
    fmt: str
    annotator: str | None  # None with gold
    gold: bool
    status: str  # "done" | "all"


class ExportDialog(QDialog):
    def __init__(
        self, annotators: list[str], default: str, folder: Path, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle("Export annotations")
        self.folder = folder
        self.format_box = QComboBox()
        for name in WRITERS:
            self.format_box.addItem(FORMAT_TEXT.get(name, name), name)
        self.who_box = QComboBox()
        for name in annotators:
            self.who_box.addItem("gold (reviewed version)" if name == GOLD else name, name)
        self.who_box.setCurrentIndex(max(self.who_box.findData(default), 0))
        self.status_box = QComboBox()
        self.status_box.addItem("finished articles only (done)", "done")
        self.status_box.addItem("every annotated article", "all")
        self.path_edit = QLineEdit()
        browse = QPushButton("&Browse…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Export")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("&Format:", self.format_box)
        form.addRow("&Whose:", self.who_box)
        form.addRow("&Articles:", self.status_box)
        form.addRow("&To file:", row)
        form.addRow(buttons)
        self.format_box.currentIndexChanged.connect(lambda _i: self._format_changed())
        self.who_box.currentIndexChanged.connect(lambda _i: self._suggest_path())
        self._format_changed()
        self.resize(560, self.sizeHint().height())

    @property
    def fmt(self) -> str:
        return str(self.format_box.currentData())

    def _format_changed(self) -> None:
        status = DEFAULT_STATUS.get(self.fmt, "all")
        self.status_box.setCurrentIndex(self.status_box.findData(status))
        self._suggest_path()

    def _suggest_path(self) -> None:
        _factory, ext = WRITERS[self.fmt]
        who = str(self.who_box.currentData() or "annotations")
        current = self.path_edit.text().strip()
        folder = Path(current).parent if current else self.folder
        self.path_edit.setText(str(folder / f"{who}{ext}"))

    def _browse(self) -> None:
        _factory, ext = WRITERS[self.fmt]
        path, _ = QFileDialog.getSaveFileName(
            self, "Export to", self.path_edit.text(), f"{self.fmt} (*{ext});;All files (*)"
        )
        if path:
            self.path_edit.setText(path)

    def _accept(self) -> None:
        if self.path_edit.text().strip():
            self.accept()

    def choice(self) -> ExportChoice:
        who = str(self.who_box.currentData())
        return ExportChoice(
            path=Path(self.path_edit.text().strip()),
            fmt=self.fmt,
            annotator=None if who == GOLD else who,
            gold=who == GOLD,
            status=str(self.status_box.currentData()),
        )
