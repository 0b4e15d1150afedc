"""Undo: commands that wrap one core operation, and each document's history.

The edit is applied (and saved) before the command is pushed, so the first
``redo()`` that ``QUndoStack.push`` calls must do nothing; later redos and undos
replay the stored operation through the edit session, which saves them too.

Each document keeps its own stack (:class:`DocumentHistory`) for the last few
documents, so Ctrl+Z can reach back across Enter: the window reopens the article
left last and undoes there (Prodigy lets you undo your last answer). A command
replays through whichever edit session (:mod:`annotator.ui.operations`) edits its
document *now* (a new one each time the document is reopened), never through another
document's.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoGroup, QUndoStack

from annotator.core.operations import Operation


class Replayer(Protocol):
    """What a command replays through: the edit session of its document (it saves the
    edit and returns the operation that reverses it, or None when it could not)."""

    def replay(self, op: Operation) -> Operation | None: ...


# (document id, whose annotation: the annotator's own or the reviewer's gold)
HistoryKey = tuple[int, str]

KEEP_DOCUMENTS = 5  # histories kept: the open document and the last ones left
_NAME_CHARS = 40


class DocumentHistory(QUndoStack):
    """The undo stack of one document; ``session`` is the session editing it now."""

    def __init__(self, key: HistoryKey | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.name = f"article #{key[0]}" if key is not None else ""
        self.session: Replayer | None = None


class EditCommand(QUndoCommand):
    def __init__(
        self,
        history: QUndoStack,
        forward: Operation,
        inverse: Operation,
        made_by: Replayer | None = None,
    ) -> None:
        super().__init__(forward.description)
        self._history = history
        self._made_by = made_by  # for a plain QUndoStack, which knows no session
        self.forward = forward
        self.inverse = inverse
        self._applied = True  # push() calls redo() at once; the edit is already saved

    def _session(self) -> Replayer | None:
        session = (
            self._history.session if isinstance(self._history, DocumentHistory) else self._made_by
        )
        if session is None:
            # Nothing edits this document now (the window undoes only the open one):
            # drop the step rather than let the history and the annotation disagree.
            self.setObsolete(True)
        return session

    def redo(self) -> None:
        if self._applied:
            self._applied = False
            return
        session = self._session()
        if session is None:
            return
        inverse = session.replay(self.forward)
        if inverse is not None:
            self.inverse = inverse

    def undo(self) -> None:
        session = self._session()
        if session is None:
            return
        forward = session.replay(self.inverse)
        if forward is not None:
            self.forward = forward


def _menu_text(text: str) -> str:
    return text.replace("&", "&&")  # a literal & in a menu, not a mnemonic


class UndoHistories(QObject):
    """The histories of the open document and the few left before it.

    ``switch_to`` makes a document's history current (creating it, or finding the one
    kept from an earlier visit); the document left is remembered in a trail, so
    :meth:`previous` can say where Ctrl+Z goes when the open document has nothing left.
    """

    changed = Signal()  # what undo / redo would do changed

    def __init__(self, parent: QObject | None = None, *, keep: int = KEEP_DOCUMENTS) -> None:
        super().__init__(parent)
        self.keep = max(1, keep)
        self.group = QUndoGroup(self)
        self._histories: dict[HistoryKey, DocumentHistory] = {}
        self._trail: list[HistoryKey] = []  # documents left, the last one last
        self.current = self._new(None)
        self.group.setActiveStack(self.current)
        for signal in (
            self.group.indexChanged,
            self.group.canUndoChanged,
            self.group.canRedoChanged,
            self.group.undoTextChanged,
            self.group.redoTextChanged,
            self.group.activeStackChanged,
        ):
            signal.connect(lambda *_args: self.changed.emit())

    def _new(self, key: HistoryKey | None) -> DocumentHistory:
        history = DocumentHistory(key, self)
        self.group.addStack(history)
        if key is not None:
            self._histories[key] = history
        return history

    def history(self, key: HistoryKey) -> DocumentHistory | None:
        return self._histories.get(key)

    @property
    def trail(self) -> list[HistoryKey]:
        return list(self._trail)

    def switch_to(self, key: HistoryKey, *, back: bool = False) -> DocumentHistory:
        """Make ``key``'s history current. The document left joins the trail, unless
        ``back``: going back by undo must not make the later document "previous" (the
        next Ctrl+Z would bounce between the two)."""
        if key == self.current.key:
            return self.current
        left = self.current.key
        if left is not None and not back:
            if left in self._trail:
                self._trail.remove(left)
            self._trail.append(left)
        if key in self._trail:
            self._trail.remove(key)
        history = self._histories.get(key) or self._new(key)
        self.current = history
        self.group.setActiveStack(history)
        self._prune()
        self.changed.emit()
        return history

    def _prune(self) -> None:
        del self._trail[: max(0, len(self._trail) - (self.keep - 1))]
        kept = {*self._trail, self.current.key}
        for key in [k for k in self._histories if k not in kept]:
            history = self._histories.pop(key)
            self.group.removeStack(history)
            history.deleteLater()

    def previous(self) -> DocumentHistory | None:
        """The document Ctrl+Z goes back to when the open one has nothing left to undo:
        the last one left (of the same annotation kind) that has something to undo."""
        here = self.current.key
        if here is None or self.current.canUndo():
            return None
        for key in reversed(self._trail):
            history = self._histories.get(key)
            if key[1] == here[1] and history is not None and history.canUndo():
                return history
        return None

    def undo_state(self) -> tuple[bool, str]:
        """(enabled, menu text) of the window's Undo action: it names what it undoes."""
        if self.current.canUndo():
            return True, f"&Undo {_menu_text(self.current.undoText())}".strip()
        back = self.previous()
        if back is not None:
            name = back.name if len(back.name) <= _NAME_CHARS else back.name[:_NAME_CHARS] + "…"
            return True, f"&Undo {_menu_text(back.undoText())} ({_menu_text(name)})"
        return False, "&Undo"

    def redo_state(self) -> tuple[bool, str]:
        if self.current.canRedo():
            return True, f"&Redo {_menu_text(self.current.redoText())}".strip()
        return False, "&Redo"
