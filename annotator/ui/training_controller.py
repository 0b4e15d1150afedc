"""Annotate ▸ Train now and Train again every…: the learning loop in the window.

A training runs in a child process (``TrainingProcess``) while the annotator goes on;
the status bar shows its stage and a progress bar with Cancel. When a model is ready
it is loaded on the NLP lane (the window's one spaCy owner), becomes the suggestion
set the window shows (the status bar names it), and suggests the articles nobody has
opened yet, then those started and not finished, a few at a time at background
priority so an article asked for never waits behind the whole corpus. The open
article gets the new suggestions too while its annotator has decided nothing in it;
a started article shows them, in place of its old undecided ones, when reopened.

``retrain_every`` (a project setting, 0 = off) starts the same training after every
N newly finished articles: counted in the database, so two windows or a CLI training
are counted as well.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QProgressBar,
    QStatusBar,
    QToolButton,
    QWidget,
)

from annotator.app.pipelines import load_pipeline
from annotator.app.suggest import suggestion_source
from annotator.app.training import TrainedModel, TrainRequest
from annotator.app.training_runs import (
    clear_untouched,
    retrain_every,
    retrain_state,
    set_retrain_every,
    suggest_documents,
    unfinished_documents,
    unopened_documents,
    untouched,
    use_model,
)
from annotator.ui.document_list import DocumentList
from annotator.ui.document_session import DocumentSession
from annotator.ui.model_loader import ModelLoader, ModelState
from annotator.ui.training_process import TrainingProcess
from annotator.ui.workers import Priority, TaskContext, TaskManager

if TYPE_CHECKING:
    from annotator.app.pipelines import Suggester
    from annotator.app.project import Project
    from annotator.app.queue_order import QueueOrder
    from annotator.ui.modes import DocumentMode

SUGGEST_CHUNK = 8  # articles a background task suggests before an opened one may go first


class TrainingHost(Protocol):
    """What the controller needs of the window."""

    project: Project
    tasks: TaskManager
    models: ModelLoader
    doc_list: DocumentList
    documents: DocumentSession

    @property
    def mode(self) -> DocumentMode: ...

    def statusBar(self) -> QStatusBar: ...
    def say(self, text: str) -> None: ...
    def update_pipeline_label(self) -> None: ...


class TrainingStatus(QWidget):
    """The status bar's part while a training runs: stage, progress, Cancel."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trainingStatus")
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setRange(0, 100)
        self.bar.setMaximumWidth(120)
        self.bar.setMaximumHeight(14)
        self.bar.setTextVisible(False)
        self.cancel = QToolButton()
        self.cancel.setText("Cancel")
        self.cancel.setObjectName("cancelTraining")
        self.cancel.setToolTip("Stop the training; nothing of it is kept")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 0, 8, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel)
        self.hide()


class TrainingController(QObject):
    modelInUse = Signal(str)  # a new model's suggestion set is the one shown
    suggestionsDone = Signal(int)  # the unopened and unfinished articles it suggested
    trainingEnded = Signal(str)  # "trained", "cancelled" or "failed"

    def __init__(self, host: TrainingHost, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self.project = host.project
        self.request = TrainRequest()  # gold where it exists, else finished human labels
        self.process = TrainingProcess(self.project, self)
        self.process.said.connect(self._said)
        self.process.progressed.connect(self._progressed)
        self.process.trained.connect(self._trained)
        self.process.failed.connect(self._failed)
        self.process.cancelled.connect(self._cancelled)
        self.status = TrainingStatus()
        self.status.cancel.clicked.connect(self.cancel)
        host.statusBar().addPermanentWidget(self.status)
        self.window = parent
        # the list's active learning order reads two suggestion sets: on the database lane
        host.doc_list.run_aside = self._rank_aside
        self._auto = False  # the running training was started by retrain_every
        self._tried_at = 0  # finished articles when retrain_every last started one
        self._name = ""
        self.last_error = ""
        self.message_box: QMessageBox | None = None

    def handlers(self) -> dict[str, Callable[[], object]]:
        return {"train_now": self.train_now, "retrain_every": self.choose_retrain_every}

    @property
    def running(self) -> bool:
        return self.process.running

    # -- starting and stopping ------------------------------------------------------------

    def train_now(self, *, auto: bool = False) -> bool:
        """Start a training in the background; False when one is running already."""
        if self.process.running:
            self.host.say("A training is already running (Cancel is in the status bar).")
            return False
        self._auto = auto
        self._name = self.request.name
        self.status.label.setText(f"Training “{self._name}”: starting…")
        self.status.bar.setValue(0)
        self.status.show()
        self.host.say(
            "Training a model in the background"
            + (" (after the articles finished since the last one)" if auto else "")
            + "; go on annotating."
        )
        self.process.start(self.request)
        return True

    def cancel(self) -> None:
        if self.process.running:
            self.status.label.setText(f"Training “{self._name}”: cancelling…")
            self.status.cancel.setEnabled(False)
            self.process.cancel()

    def shutdown(self) -> None:
        """The window closes: stop a training, leaving nothing of it."""
        self.process.stop_now()

    # -- what the child says --------------------------------------------------------------

    def _said(self, text: str) -> None:
        # the stage in a few words ("quotes layer"), the child's whole line in the tooltip
        m = re.match(r"training the (\w+ layer)", text)
        stage = m.group(1) if m else text.split(" ", 1)[0].rstrip("…:")
        if stage[:1].isdigit():
            stage = "reading the finished articles"
        self.status.label.setText(f"Training “{self._name}”: {stage}")
        self.status.label.setToolTip(text)

    def _progressed(self, fraction: float) -> None:
        self.status.bar.setValue(round(fraction * 100))

    def _ended(self) -> None:
        self.status.hide()
        self.status.cancel.setEnabled(True)

    def _cancelled(self) -> None:
        self._ended()
        self.host.say("Training cancelled; nothing of it was kept.")
        self.trainingEnded.emit("cancelled")

    def _failed(self, why: str) -> None:
        self._ended()
        self.last_error = why
        self.trainingEnded.emit("failed")
        if self._auto:  # started by itself: say so without interrupting the annotator
            self.host.say(f"Training again did not work: {why}")
            return
        box = QMessageBox(
            QMessageBox.Icon.Warning, "Training did not work", why, parent=self.window
        )
        box.setObjectName("trainingError")
        self.message_box = box
        box.open()  # not exec(): the window goes on while the message is up

    def _trained(self, model: TrainedModel) -> None:
        self._ended()
        scores = model.scores.get("ents_f")
        f1 = f"; held-out entities F1 {scores:.2f}" if isinstance(scores, float) else ""
        self.host.say(f"Model {model.key} trained on {model.train_documents} articles{f1}.")
        self.trainingEnded.emit("trained")
        self.adopt(model)

    # -- a new model: load, show, suggest the unopened ------------------------------------

    def adopt(self, model: TrainedModel) -> None:
        """Load ``model`` on the NLP lane and make it the window's suggester."""
        project = self.project

        def load(_ctx: TaskContext) -> tuple[Suggester, str, list[int], str | None]:
            suggester = load_pipeline(project, model.path)
            previous = suggestion_source(project)  # the set the open article came with
            name = use_model(project, suggester)
            ids = unopened_documents(project)
            return suggester, name, ids + unfinished_documents(project), previous

        def loaded(result: tuple[Suggester, str, list[int], str | None]) -> None:
            suggester, name, ids, previous = result
            loader = self.host.models
            loader.suggester = suggester
            loader.state = ModelState.READY
            self.host.update_pipeline_label()
            self.modelInUse.emit(name)
            self._refresh_open(suggester, previous)
            self._suggest(suggester, ids, 0)

        def failed(exc: BaseException, _tb: str) -> None:
            self.host.say(f"The new model {model.key} could not be loaded: {exc}")

        self.host.tasks.run("load trained model", load, loaded, failed)

    def _refresh_open(self, suggester: Suggester, previous: str | None) -> None:
        """The open article gets the new model's suggestions if its annotator decided
        nothing in it yet (``clear_untouched``). With a decision it keeps what it shows
        and its undo history; reopened, it shows the new suggestions in place of the
        old undecided ones, every decision kept (``Project.open_annotation``)."""
        docs, project = self.host.documents, self.project
        doc_id, session = docs.doc_id, docs.session
        if doc_id is None or session is None or not self.host.mode.suggests:
            return
        opened_with = project.load_annotation(doc_id, previous) if previous else None
        if not untouched(session.annotation, opened_with):
            return

        def run(_ctx: TaskContext) -> int:
            return suggest_documents(project, suggester, [doc_id])

        def done(_n: int) -> None:
            # on the UI thread, so no edit can come between the check and the write
            live = docs.session
            if docs.doc_id != doc_id or live is None or self.host.models.suggester is not suggester:
                return
            if not live.unsaved and clear_untouched(project, live.annotation, opened_with):
                docs.reattach()
                self.host.say("This article now shows the new model's suggestions.")

        self.host.tasks.run(
            "suggest the open article",
            run,
            done,
            lambda exc, _tb: self.host.say(f"The new model could not suggest this article: {exc}"),
        )

    def _suggest(self, suggester: Suggester, ids: Sequence[int], done: int) -> None:
        if not ids or self.host.models.suggester is not suggester:
            # all done, or a newer model took over: its own pass covers the rest
            if self.host.doc_list.model.order is not None:
                self.host.doc_list.apply_order()  # ranked on the new model's suggestions
            self.suggestionsDone.emit(done)
            if done:
                self.host.say(f"The new model suggested {done} articles not yet finished.")
            return
        chunk, rest = list(ids[:SUGGEST_CHUNK]), ids[SUGGEST_CHUNK:]
        project = self.project

        def run(_ctx: TaskContext) -> int:
            return suggest_documents(project, suggester, chunk)

        self.host.tasks.run(
            "suggest unopened",
            run,
            lambda n: self._suggest(suggester, rest, done + int(n)),
            lambda exc, _tb: self.host.say(f"Suggesting with the new model stopped: {exc}"),
            priority=Priority.BACKGROUND,
        )

    def _rank_aside(
        self, work: Callable[[], QueueOrder], done: Callable[[QueueOrder], None]
    ) -> None:
        def failed(exc: BaseException, _tb: str) -> None:
            self.host.say(f"The articles could not be ranked: {exc}")

        self.host.tasks.run("rank documents", lambda _ctx: work(), done, failed, uses_spacy=False)

    # -- train again every N articles -----------------------------------------------------

    def finished_changed(self, delta: int) -> None:
        """An article was finished (or reopened): train again if N more are finished."""
        if delta <= 0 or self.process.running:
            return
        state = retrain_state(self.project, tried_at=self._tried_at, name=self.request.name)
        if state.due:
            self._tried_at = state.finished
            self.train_now(auto=True)

    def set_every(self, every: int) -> None:
        set_retrain_every(self.project, every)
        self.host.say(
            f"A model is trained again after every {every} newly finished articles."
            if every > 0
            else "No training starts by itself."
        )

    def choose_retrain_every(self) -> None:
        every, ok = QInputDialog.getInt(
            self.window,
            "Train again every…",
            "Train a new model after every N newly finished articles (0 = never):",
            retrain_every(self.project),
            0,
            100_000,
        )
        if ok:
            self.set_every(every)
