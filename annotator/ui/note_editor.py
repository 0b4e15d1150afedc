"""Note / flag article (N): the annotator's remark on the open article and a "needs
review" flag, saved through ``Project.set_note``; reviewers read everyone's notes in
the review panel. The header shows ⚑ for a flagged article, ✎ for a plain note.

Annotators see only their own note (no anchoring on each other's work); in review
mode the marker and the panel reflect every annotator's notes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from annotator.core import AnnotatorError
from annotator.core.notes import MAX_NOTE_LENGTH, DocumentNote

if TYPE_CHECKING:
    from annotator.app.project import Project
    from annotator.core import Document

FLAG = "⚑"
NOTE = "✎"


def marker(notes: Sequence[DocumentNote]) -> str:
    """⚑ when any note is flagged, ✎ when there are only plain notes, else nothing."""
    if any(n.flagged for n in notes):
        return FLAG
    return NOTE if any(not n.empty for n in notes) else ""


def notes_text(notes: Sequence[DocumentNote]) -> str:
    """Plain text of several annotators' notes, one line each (the review panel)."""
    lines = []
    for n in notes:
        flag = f"{FLAG} needs review" if n.flagged else NOTE
        body = " ".join(n.text.split()) or "(no text)"
        lines.append(f"{flag} · {n.annotator}: {body}")
    return "\n".join(lines)


class NoteDialog(QDialog):
    """A small editor: the note's text, the flag, and how much room is left."""

    def __init__(self, title: str, note: DocumentNote | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("noteDialog")
        self.setWindowTitle(f"Note on {title}")
        self.text = QPlainTextEdit()
        self.text.setObjectName("noteText")
        self.text.setPlaceholderText("e.g. unclear speaker in para 3")
        self.text.setTabChangesFocus(True)
        self.flag = QCheckBox("&Flag for review (reviewers see this article marked)")
        self.flag.setObjectName("noteFlag")
        self.room = QLabel()
        self.room.setObjectName("noteRoom")
        self.room.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        hint = QLabel("Ctrl+Enter saves. An empty, unflagged note is removed.")
        hint.setStyleSheet("color: palette(placeholder-text);")
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.room)
        layout.addWidget(self.flag)
        layout.addWidget(hint)
        layout.addWidget(self.buttons)
        for seq in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(seq), self, self._save_if_valid)
        if note is not None:
            self.text.setPlainText(note.text)
            self.flag.setChecked(note.flagged)
        self.text.textChanged.connect(self._update_room)
        self._update_room()
        self.resize(460, 260)
        self.text.setFocus()

    def values(self) -> tuple[str, bool]:
        return self.text.toPlainText(), self.flag.isChecked()

    def _too_long(self) -> bool:
        return len(self.text.toPlainText().strip()) > MAX_NOTE_LENGTH

    def _update_room(self) -> None:
        used = len(self.text.toPlainText().strip())
        self.room.setText(f"{used:,} / {MAX_NOTE_LENGTH:,}")
        self.room.setStyleSheet("color: #c62828;" if used > MAX_NOTE_LENGTH else "")
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setEnabled(used <= MAX_NOTE_LENGTH)

    def _save_if_valid(self) -> None:
        if not self._too_long():
            self.accept()


class NoteHost(Protocol):
    """What notes need of the window."""

    project: Project
    annotator: str

    @property
    def doc_id(self) -> int | None: ...

    @property
    def document(self) -> Document | None: ...

    @property
    def reviewing(self) -> bool:
        """In review mode: everyone's notes are shown."""
        ...

    def say(self, text: str) -> None: ...

    def update_header(self) -> None: ...


class NoteController(QObject):
    """The window's side of notes: the action, the header marker."""

    saved = Signal(int)  # a note of this document was saved or removed

    def __init__(self, window: NoteHost, parent: QWidget) -> None:
        super().__init__(parent)
        self.w = window
        self.parent_widget = parent  # the dialog's
        # (document, review mode) -> its notes, so the header (redrawn on every edit)
        # costs no query; refreshed when the article changes or a note is saved.
        self._cache: tuple[int, bool, list[DocumentNote]] | None = None
        self.dialog: NoteDialog | None = None

    def notes_shown(self, doc_id: int) -> list[DocumentNote]:
        """The annotator's own note; in review mode everyone's."""
        review = self.w.reviewing
        if self._cache is not None and self._cache[:2] == (doc_id, review):
            return self._cache[2]
        project = self.w.project
        if review:
            found = project.notes(doc_id)
        else:
            own = project.note(doc_id, self.w.annotator)
            found = [own] if own is not None else []
        self._cache = (doc_id, review, found)
        return found

    def marked(self, name: str) -> str:
        """The article's name for the header, after ⚑ (flagged) or ✎ (a note)."""
        w = self.w
        sign = marker(self.notes_shown(w.doc_id)) if w.doc_id is not None else ""
        return f"{sign} {name}" if sign else name

    def edit(self) -> None:
        """N: open the editor on this annotator's note of the open article."""
        w = self.w
        if w.doc_id is None or w.document is None:
            w.say("No article is open.")
            return
        doc_id = w.doc_id
        title = w.document.external_id or f"#{doc_id}"
        shown = w.project.note(doc_id, w.annotator)
        while True:
            dialog = NoteDialog(title, shown, self.parent_widget)
            self.dialog = dialog
            try:
                if dialog.exec() != QDialog.DialogCode.Accepted:
                    return
                text, flagged = dialog.values()
            finally:
                self.dialog = None
                dialog.deleteLater()
            if self.save(doc_id, text, flagged):
                return
            # Not saved (e.g. the database is locked): the editor comes back with what
            # was typed, so nothing the annotator wrote is lost.
            shown = DocumentNote(doc_id, w.annotator, text, flagged)

    def save(self, doc_id: int, text: str, flagged: bool) -> bool:
        w = self.w
        try:
            saved = w.project.set_note(doc_id, w.annotator, text, flagged)
        except AnnotatorError as exc:  # too long, or the database cannot be written
            w.say(f"The note was not saved: {exc}")
            return False
        self._cache = None
        if saved is None:
            w.say("Note removed.")
        else:
            w.say("Article flagged for review." if saved.flagged else "Note saved.")
        self.saved.emit(doc_id)
        w.update_header()
        return True


class NotesLabel(QLabel):
    """Read-only: every annotator's note on the article (the review panel). One line per
    note, elided to the width (the review panel is short); the whole text in the
    tooltip. Hidden when there is none."""

    MAX_LINES = 3

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewNotes")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setContentsMargins(2, 2, 2, 4)
        policy = self.sizePolicy()
        policy.setHorizontalPolicy(QSizePolicy.Policy.Ignored)  # never widens the panel
        self.setSizePolicy(policy)
        self._lines: list[str] = []
        self.hide()

    def set_notes(self, notes: Sequence[DocumentNote]) -> None:
        self._lines = notes_text(notes).splitlines()
        self.setToolTip(notes_text(notes))
        self._relayout()
        self.setVisible(bool(notes))

    def full_text(self) -> str:
        return "\n".join(self._lines)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._relayout()

    def _relayout(self) -> None:
        lines = self._lines
        if len(lines) > self.MAX_LINES:
            more = len(lines) - self.MAX_LINES + 1
            lines = [*lines[: self.MAX_LINES - 1], f"… {more} more (hover to read them)"]
        margins = self.contentsMargins()
        width = max(self.width() - margins.left() - margins.right(), 40)
        metrics = self.fontMetrics()
        elide = Qt.TextElideMode.ElideRight
        self.setText("\n".join(metrics.elidedText(line, elide, width) for line in lines))
