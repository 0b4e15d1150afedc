"""The window's spaCy pipeline: loaded in the NLP worker after the first paint, then used
to make each article's suggestions before it opens and the next one's meanwhile."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from annotator.app.pipelines import load_pipeline
from annotator.app.training_runs import describe_source
from annotator.ui.workers import Priority, TaskContext, TaskManager

if TYPE_CHECKING:
    from annotator.app.pipelines import Suggester
    from annotator.app.project import Project


class ModelState:
    OFF = "off"
    LOADING = "loading"
    READY = "ready"
    FAILED = "failed"


class ModelLoader(QObject):
    ready = Signal()  # the suggester is loaded
    failed = Signal(str)  # why it could not be

    def __init__(
        self,
        project: Project,
        tasks: TaskManager,
        *,
        model: str | None = None,
        suggester: Suggester | None = None,
        load: bool = True,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.project = project
        self.tasks = tasks
        self.model_name = model
        self.suggester = suggester
        self.state = (
            ModelState.READY
            if suggester is not None
            else ModelState.LOADING
            if load
            else ModelState.OFF
        )

    def start(self) -> None:
        if self.state == ModelState.LOADING:
            # Start after the first paint: importing spaCy competes for the GIL.
            QTimer.singleShot(50, self._load)

    @property
    def usable(self) -> bool:
        """Suggestions can be made now."""
        return self.state == ModelState.READY

    @property
    def given_up(self) -> bool:
        """No suggestions will come: no model asked for, or it failed to load."""
        return self.state in (ModelState.OFF, ModelState.FAILED)

    def pipeline_text(self) -> str:
        """The status bar's words for where suggestions come from."""
        if self.state == ModelState.LOADING:
            return "loading model…"
        # a trained model by its NAME-vN, as `annotator trained` lists it
        source = describe_source(self.project, self.project.suggestion_source())
        if self.state == ModelState.READY and self.suggester is not None:
            # the set shown is the project's current one, whatever pipeline this window loaded
            return f"suggestions: {source or self.suggester.info.name}"
        text = f"suggestions: {source}" if source else "no suggestions"
        if self.state == ModelState.FAILED:
            text += " (model failed to load)"
        return text

    def _load(self) -> None:
        project, chosen = self.project, self.model_name

        def load(_ctx: TaskContext) -> Suggester:
            # keep showing the pipeline a batch run chose, unless --model says otherwise
            return load_pipeline(project, chosen)

        self.tasks.run("load model", load, self._loaded, self._failed)

    def _loaded(self, suggester: Suggester) -> None:
        self.suggester = suggester
        self.state = ModelState.READY
        self.ready.emit()

    def _failed(self, exc: BaseException, _tb: str) -> None:
        self.state = ModelState.FAILED
        self.failed.emit(str(exc))

    def suggest(
        self,
        doc_id: int,
        done: Callable[[], None],
        failed: Callable[[BaseException], None],
    ) -> None:
        """Make (or find) ``doc_id``'s suggestions in the worker, ahead of opening it."""
        suggester, project = self.suggester, self.project
        assert suggester is not None

        def suggest(_ctx: TaskContext) -> int:
            project.ensure_suggestions(doc_id, suggester)
            return doc_id

        self.tasks.run(
            "suggest",
            suggest,
            lambda _result: done(),
            lambda exc, _tb: failed(exc),
            priority=Priority.OPEN,
        )

    def prefetch(self, annotator: str, after: int) -> None:
        """Make the next article's suggestions while this one is being read."""
        if self.state != ModelState.READY:
            return
        suggester, project = self.suggester, self.project
        assert suggester is not None

        def prefetch(_ctx: TaskContext) -> None:
            nxt = project.next_document(annotator, after)
            if nxt is not None and project.load_annotation(nxt, annotator) is None:
                project.ensure_suggestions(nxt, suggester)

        self.tasks.run(
            "prefetch", prefetch, None, lambda _e, _tb: None, priority=Priority.BACKGROUND
        )
