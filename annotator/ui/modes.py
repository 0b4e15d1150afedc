"""Annotating and reviewing: two modes behind one interface.

The window edits one annotation at a time; the mode decides whose it is (the
annotator's own, or gold when reviewing), what Enter and Alt+Page Down open next,
whether Tab walks something of its own first, and what the header adds. The
window asks ``mode`` instead of branching on review mode. :class:`ReviewHost` is
the little of the window that review mode uses, so neither module imports the other.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from annotator.core import Annotation, AnnotationStatus

if TYPE_CHECKING:
    from PySide6.QtCore import QByteArray, Qt
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QDockWidget, QWidget

    from annotator.app.project import Project
    from annotator.core import Document
    from annotator.ui.article_view import ArticleView
    from annotator.ui.document_list import DocumentList
    from annotator.ui.editor import AnnotationEditor
    from annotator.ui.operations import EditSession
    from annotator.ui.workers import TaskManager

_FINISHED = (AnnotationStatus.DONE, AnnotationStatus.SKIPPED)


class DocumentMode(Protocol):
    @property
    def owner(self) -> str:
        """Whose annotation is edited: the undo history's key and the status bar's count."""
        ...

    @property
    def suggests(self) -> bool:
        """Suggestions are made and merged into the annotation opened."""
        ...

    def annotation_for(self, doc_id: int) -> Annotation | None:
        """The annotation to edit (None: it could not be opened, and the user was told)."""
        ...

    def attached(self, annotation: Annotation) -> None:
        """``annotation`` is open for editing."""
        ...

    def on_changed(self, before: Annotation, after: Annotation) -> None:
        """An edit was saved."""
        ...

    def next_document(self, after: int | None) -> int | None:
        """Where Enter goes once the article is finished."""
        ...

    def adjacent(self, doc_id: int, step: int) -> int | None:
        """Alt+Page Down / Up: the next or previous article of the mode's list."""
        ...

    def step(self, delta: int) -> bool:
        """Tab / Shift+Tab, before the editor steps through spans: True when taken."""
        ...

    def hint_parts(self) -> list[str]:
        """What the header's hint line starts with."""
        ...


class AnnotatingMode:
    """The annotator's own work, in the document list's order."""

    def __init__(
        self,
        project: Project,
        annotator: str,
        doc_list: DocumentList,
        say: Callable[[str], None],
        count_finished: Callable[[int], None],
    ) -> None:
        self.project = project
        self.annotator = annotator
        self.doc_list = doc_list
        self.say = say
        self.count_finished = count_finished  # articles done or skipped, +1 / -1

    @property
    def owner(self) -> str:
        return self.annotator

    @property
    def suggests(self) -> bool:
        return True

    def annotation_for(self, doc_id: int) -> Annotation | None:
        # No spaCy here: entities learned from this annotator are found by plain string
        # search over the stored tokens.
        try:
            return self.project.open_annotation(doc_id, self.annotator)
        except Exception as exc:  # a database error: reported, the window stays usable
            self.say(f"Could not open this article: {exc}")
            return None

    def attached(self, annotation: Annotation) -> None:
        if annotation.document_id is not None:
            self.doc_list.model.update_document(
                annotation.document_id, status=annotation.status, n_spans=len(annotation.spans)
            )

    def on_changed(self, before: Annotation, after: Annotation) -> None:
        if before.status != after.status:
            self.count_finished((after.status in _FINISHED) - (before.status in _FINISHED))
        if after.document_id is not None:
            self.doc_list.model.update_document(
                after.document_id, status=after.status, n_spans=len(after.spans)
            )

    def next_document(self, after: int | None) -> int | None:
        # the list's ranked order (disagreement first) when chosen, else document order
        ranked = self.doc_list.model.next_unfinished(after)
        return ranked if ranked is not None else self.project.next_document(self.annotator, after)

    def adjacent(self, doc_id: int, step: int) -> int | None:
        return self.doc_list.adjacent(doc_id, step)

    def step(self, delta: int) -> bool:
        return False

    def hint_parts(self) -> list[str]:
        return []


class ReviewHost(Protocol):
    """The window's services that review mode uses."""

    project: Project
    annotator: str
    tasks: TaskManager
    editor: AnnotationEditor
    view: ArticleView
    actions_by_name: dict[str, QAction]
    docs_dock: QDockWidget
    guidelines_dock: QDockWidget

    @property
    def doc_id(self) -> int | None: ...

    @property
    def document(self) -> Document | None: ...

    @property
    def session(self) -> EditSession | None: ...

    def say(self, text: str) -> None: ...

    def open_document(self, doc_id: int) -> None: ...

    def can_leave(self) -> bool:
        """Edits of the open article are saved (else the user is told so)."""
        ...

    def reopen_document(self) -> None:
        """Open the article afresh on the mode's annotation, with a new undo history."""
        ...

    def sync_check(self, name: str, on: bool) -> None:
        """Check or uncheck an action without triggering it."""
        ...

    def add_dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget: ...

    def default_dock_sizes(self) -> None: ...

    def report_failure(self, exc: BaseException, tb: str) -> None: ...

    def update_header(self) -> None: ...

    def refresh_progress(self) -> None: ...

    # the window's dock layout (QMainWindow's own methods)
    def saveState(self, version: int = ...) -> QByteArray: ...

    def restoreState(self, state: QByteArray, version: int = ...) -> bool: ...

    def resizeDocks(
        self, docks: list[QDockWidget], sizes: list[int], orientation: Qt.Orientation
    ) -> None: ...

    def addDockWidget(self, area: Qt.DockWidgetArea, dockwidget: QDockWidget) -> None: ...
