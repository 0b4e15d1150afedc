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
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from annotator.app.formats import export_formats
from annotator.ui import settings as user_settings

GOLD = "gold"
FORMAT_TEXT = {
    "spacy": "spaCy DocBin (.spacy) — training data",
    "jsonl": "JSONL (Prodigy-style)",
    "doccano": "doccano JSONL",
    "iob": "IOB / CoNLL (entities) — training data",
}
# Training formats default to finished work only: a half-done article is not "no entity here".
DEFAULT_STATUS = {"spacy": "done", "iob": "done"}
TRAINING_HINT = {
    "done": "Training data: finished articles only, as a half-done one would teach "
    "“no entity here” wherever nothing is marked yet.",
    "all": "Careful: in training data a half-done article teaches “no entity here” "
    "wherever nothing is marked yet.",
}


def default_folder(project_url: str) -> Path:
    """Where an export goes first: the last export folder, else the project's own folder
    (next to its .db file), else the current directory (a server database has no folder)."""
    last = user_settings.last_export_folder()
    if last and Path(last).is_dir():
        return Path(last)
    if project_url.startswith("sqlite:///"):
        db = Path(project_url[len("sqlite:///") :].split("?", 1)[0])
        if db.parent.is_dir():
            return db.parent.resolve()
    return Path.cwd()


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
        self.extensions = export_formats()
        for name in self.extensions:
            self.format_box.addItem(FORMAT_TEXT.get(name, name), name)
        self.who_box = QComboBox()
        for name in annotators:
            self.who_box.addItem("gold (reviewed version)" if name == GOLD else name, name)
        self.who_box.setCurrentIndex(max(self.who_box.findData(default), 0))
        self.status_box = QComboBox()
        self.status_box.addItem("finished articles only (done)", "done")
        self.status_box.addItem("every annotated article", "all")
        # Once the user picks the articles, a format change must not undo that choice.
        self.status_chosen = False
        self.status_box.activated.connect(self._status_picked)
        self.status_hint = QLabel()
        self.status_hint.setObjectName("exportStatusHint")
        self.status_hint.setWordWrap(True)
        self.status_hint.setStyleSheet("color: palette(placeholder-text);")
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
        form = self.form = QFormLayout(self)
        # Every label is a buddy of its field: a label without one shows its "&" literally.
        self.labels: dict[str, QLabel] = {}
        for text, field in (
            ("&Format:", self.format_box),
            ("&Whose:", self.who_box),
            ("&Articles:", self.status_box),
        ):
            form.addRow(self._label(text, field), field)
        form.addRow("", self.status_hint)
        form.addRow(self._label("&To file:", self.path_edit), row)
        form.addRow(buttons)
        self.format_box.currentIndexChanged.connect(lambda _i: self._format_changed())
        self.who_box.currentIndexChanged.connect(lambda _i: self._suggest_path())
        self._format_changed()
        self.resize(560, self.sizeHint().height())

    def _label(self, text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy)
        self.labels[text.replace("&", "")] = label
        return label

    @property
    def fmt(self) -> str:
        return str(self.format_box.currentData())

    def _status_picked(self, _index: int) -> None:
        self.status_chosen = True
        self._update_hint()

    def _format_changed(self) -> None:
        if not self.status_chosen:
            # Untouched: the format's own default (finished only for training data).
            status = DEFAULT_STATUS.get(self.fmt, "all")
            self.status_box.setCurrentIndex(self.status_box.findData(status))
        self._update_hint()
        self._suggest_path()

    def _update_hint(self) -> None:
        # Said out loud where it matters, instead of switching the choice behind the user's back.
        training = self.fmt in DEFAULT_STATUS
        self.status_hint.setText(TRAINING_HINT[self.status] if training else "")
        self.form.setRowVisible(self.status_hint, training)

    @property
    def status(self) -> str:
        return str(self.status_box.currentData())

    def _suggest_path(self) -> None:
        ext = self.extensions[self.fmt]
        who = str(self.who_box.currentData() or "annotations")
        current = self.path_edit.text().strip()
        folder = Path(current).parent if current else self.folder
        self.path_edit.setText(str(folder / f"{who}{ext}"))

    def _browse(self) -> None:
        ext = self.extensions[self.fmt]
        path, _ = QFileDialog.getSaveFileName(
            self, "Export to", self.path_edit.text(), f"{self.fmt} (*{ext});;All files (*)"
        )
        if path:
            self.path_edit.setText(path)

    def _accept(self) -> None:
        text = self.path_edit.text().strip()
        if text:
            user_settings.set_last_export_folder(str(Path(text).expanduser().parent))
            self.accept()

    def choice(self) -> ExportChoice:
        who = str(self.who_box.currentData())
        return ExportChoice(
            path=Path(self.path_edit.text().strip()),
            fmt=self.fmt,
            annotator=None if who == GOLD else who,
            gold=who == GOLD,
            status=self.status,
        )
