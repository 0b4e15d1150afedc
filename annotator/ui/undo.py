"""Undo commands: each wraps one core operation and its inverse.

The edit is applied (and saved) before the command is pushed, so the first
``redo()`` that ``QUndoStack.push`` calls must do nothing; later redos and undos
replay the stored operation through the edit session, which saves them too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from annotator.core.operations import Operation

if TYPE_CHECKING:
    from annotator.ui.operations import EditSession


class EditCommand(QUndoCommand):
    def __init__(self, session: EditSession, forward: Operation, inverse: Operation) -> None:
        super().__init__(forward.description)
        self._session = session
        self.forward = forward
        self.inverse = inverse
        self._applied = True  # push() calls redo() at once; the edit is already saved

    def redo(self) -> None:
        if self._applied:
            self._applied = False
            return
        inverse = self._session.replay(self.forward)
        if inverse is not None:
            self.inverse = inverse

    def undo(self) -> None:
        forward = self._session.replay(self.inverse)
        if forward is not None:
            self.forward = forward
