"""The one path every edit takes: save through the project, push undo, say what changed.

Like Anki's ``CollectionOp``: the window builds a core operation, hands it to
:meth:`EditSession.perform`, and redraws from the ``changed`` signal. Each edit is
committed (``Project.apply``) before the next key is handled, so there is no Save
command and nothing to lose on a crash.

When the database cannot be written (locked, disk full, file removed) the edit
is still applied to the open annotation, kept in the undo stack and queued; the
queue is retried with back-off and ``saveStateChanged`` drives the window's
banner until everything is written. Nothing is silently dropped.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoStack

from annotator.app.errors import ConflictError, StorageUnavailable
from annotator.core import Annotation, Document, ValidationError, validate_annotation
from annotator.core.operations import Operation
from annotator.ui.undo import DocumentHistory, EditCommand

if TYPE_CHECKING:
    from annotator.app.edits import EditResult
    from annotator.app.project import Project

RETRY_MS = (1000, 2000, 4000, 8000, 15000)


class EditSession(QObject):
    """Edits of one annotator's annotation of one document.

    ``stack`` is that document's history; while the session lives, the history's undo
    and redo replay through it (a :class:`DocumentHistory` outlives the session, so a
    later session of the same document can undo what this one did)."""

    changed = Signal(object, object)  # (before, after) Annotation
    refused = Signal(str)  # a validation message for the status bar
    saveStateChanged = Signal(str)  # "" when everything is saved, else what is wrong
    reloaded = Signal(str)  # the annotation was reloaded from the database (conflict)

    def __init__(
        self,
        project: Project,
        document: Document,
        annotation: Annotation,
        stack: QUndoStack,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.project = project
        self.document = document
        self.stack = stack
        if isinstance(stack, DocumentHistory):
            stack.session = self
        self._saved = annotation  # what the database holds
        self._local = annotation  # what the window shows (saved + queued edits)
        self._pending: deque[Operation] = deque()
        self._attempt = 0
        self.last_error = ""
        self.last_result: EditResult | None = None  # the latest save and its diff
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.flush)

    # -- state -------------------------------------------------------------------------

    @property
    def annotation(self) -> Annotation:
        return self._local

    @property
    def unsaved(self) -> int:
        return len(self._pending)

    # -- edits ---------------------------------------------------------------------------

    def perform(self, op: Operation) -> bool:
        """Apply, save and push ``op`` as one undo step. False when it was refused."""
        before = self._local
        try:
            inverse = self._commit(op)
        except ValidationError as exc:
            self.refused.emit(exc.args[0])
            return False
        except ConflictError as exc:
            self._reload(str(exc.args[0]))
            return False
        self.stack.push(EditCommand(self.stack, op, inverse, made_by=self))
        self.changed.emit(before, self._local)
        return True

    def replay(self, op: Operation) -> Operation | None:
        """Undo/redo: apply a stored operation; returns its inverse, or None if refused."""
        before = self._local
        try:
            inverse = self._commit(op)
        except ValidationError as exc:
            self.refused.emit(f"Could not {op.description}: {exc.args[0]}")
            # The stack no longer matches the annotation: start a fresh history.
            QTimer.singleShot(0, self.stack.clear)
            return None
        except ConflictError as exc:
            self._reload(str(exc.args[0]))
            return None
        self.changed.emit(before, self._local)
        return inverse

    def _commit(self, op: Operation) -> Operation:
        if not self._pending:
            try:
                result = self.last_result = self.project.apply(self._saved, op)
                saved, inverse = result
            except StorageUnavailable as exc:
                self.last_error = exc.args[0]
            else:
                self._saved = self._local = saved
                return inverse
        # The database is unavailable: keep the edit on screen and in the queue.
        after, inverse = op.apply(self._local, self.document.text)
        validate_annotation(after, self.document.text)
        self._pending.append(op)
        self._local = after
        self._schedule_retry()
        return inverse

    # -- retrying ------------------------------------------------------------------------

    def _schedule_retry(self) -> None:
        delay = RETRY_MS[min(self._attempt, len(RETRY_MS) - 1)]
        self._attempt += 1
        n = len(self._pending)
        self.saveStateChanged.emit(
            f"Cannot save to the database ({self.last_error}). "
            f"{n} edit{'s' if n != 1 else ''} kept here and in the undo history; "
            f"retrying in {delay // 1000} s."
        )
        if not self._timer.isActive():
            self._timer.start(delay)

    def flush(self) -> bool:
        """Write queued edits now. True when nothing is left unsaved."""
        self._timer.stop()
        while self._pending:
            op = self._pending[0]
            try:
                saved, _inverse = self.project.apply(self._saved, op)
            except StorageUnavailable as exc:
                self.last_error = exc.args[0]
                self._schedule_retry()
                return False
            except ConflictError as exc:
                self._reload(str(exc.args[0]))
                return False
            except ValidationError as exc:
                # Cannot happen for an edit that validated locally; say so rather than hide it.
                self._pending.popleft()
                self.refused.emit(f"A queued edit was refused by the database: {exc.args[0]}")
                continue
            self._pending.popleft()
            self._saved = saved
        self._attempt = 0
        before, self._local = self._local, self._saved
        self.saveStateChanged.emit("")
        if before != self._local:
            self.changed.emit(before, self._local)
        return True

    def _reload(self, why: str) -> None:
        before = self._local
        fresh = self.project.open_annotation(self.document.id or 0, self._saved.annotator)
        self._pending.clear()
        self._timer.stop()
        self._saved = self._local = fresh
        self.stack.clear()
        self.reloaded.emit(f"{why} Showing the saved version; undo history cleared.")
        self.saveStateChanged.emit("")
        self.changed.emit(before, fresh)

    def stop(self) -> None:
        """The window leaves the document: stop retrying, and let its history go (it
        replays through the next session of this document, if there is one)."""
        self._timer.stop()
        if isinstance(self.stack, DocumentHistory) and self.stack.session is self:
            self.stack.session = None
