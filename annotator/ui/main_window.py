"""The main window: document list, article, spans, palette, status bar; documents and files.

Editing keys are handled by :class:`AnnotationEditor`; every edit is saved by
:class:`EditSession`. This module opens documents, talks to the NLP worker,
and runs import and export in the background.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QDockWidget,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from annotator.core import AnnotationStatus, Document
from annotator.core.model import RelationLabel
from annotator.core.offsets import OffsetMap
from annotator.core.operations import Batch, SetStatus
from annotator.core.seen import finish, pending
from annotator.ui import settings as user_settings
from annotator.ui.actions import (
    ACTIONS,
    MENUS,
    ActionSpec,
    label_action_specs,
    make_actions,
    shortcuts_html,
)
from annotator.ui.article_view import ArticleView
from annotator.ui.banner import Banner
from annotator.ui.document_list import DocumentList
from annotator.ui.editor import AnnotationEditor
from annotator.ui.find_bar import FindBar
from annotator.ui.guidelines import GuidelinesPanel
from annotator.ui.headline import HeadlineLabel
from annotator.ui.note_editor import NoteController
from annotator.ui.operations import EditSession
from annotator.ui.palette import LabelPalette
from annotator.ui.review_mode import ReviewMode
from annotator.ui.span_table import SpanTable
from annotator.ui.undo import DocumentHistory, HistoryKey, UndoHistories
from annotator.ui.workers import Priority, TaskContext, TaskManager, run_with_progress

if TYPE_CHECKING:
    from annotator.app.project import Project

MESSAGE_MS = 6000


class ModelState:
    OFF = "off"
    LOADING = "loading"
    READY = "ready"
    FAILED = "failed"


class MainWindow(QMainWindow):
    documentOpened = Signal(int)  # the document id, once its annotation is editable
    projectSwitchRequested = Signal(str)  # File ▸ Open / New / Recent: the app opens it

    def __init__(
        self,
        project: Project,
        annotator: str,
        *,
        model: str | None = None,
        load_model: bool = True,
        suggester: Any = None,
        owns_project: bool = False,
    ) -> None:
        super().__init__()
        self.project = project
        self.annotator = annotator
        self.owns_project = owns_project
        self.model_name = model
        self.suggester = suggester
        self.model_state = (
            ModelState.READY
            if suggester is not None
            else ModelState.LOADING
            if load_model
            else ModelState.OFF
        )
        self.doc_id: int | None = None
        self.document: Document | None = None
        self.session: EditSession | None = None
        self._waiting_for: int | None = None  # document whose suggestions are being made
        self._attaching = False  # editor.attach is running (see _build_widgets)
        self._done = 0
        self._total = 0
        project.ensure_annotator(annotator)

        self.setObjectName("mainWindow")
        # Qt appends the application name to a title that does not end with it already
        self.setWindowTitle(f"{self._project_label()} — Quote & Entity Annotator")
        self.tasks = TaskManager(self)
        # Each document's undo history, kept for the last few: Ctrl+Z reaches back
        # across Enter. ``undo_stack`` is always the open document's.
        self.undo_history = UndoHistories(self)
        self.undo_stack: DocumentHistory = self.undo_history.current
        self._undo_on_open: HistoryKey | None = None  # reopened by Ctrl+Z: undo there
        self._build_widgets()
        self._build_actions()
        self.review = ReviewMode(self)  # before any document opens: it decides whose
        self.notes = NoteController(self)  # N: note / flag; the header's marker
        self._build_status_bar()
        self._restore_settings()
        self.refresh_progress()
        if self.model_state == ModelState.LOADING:
            # Start after the first paint: importing spaCy competes for the GIL.
            QTimer.singleShot(50, self._load_model)
        QTimer.singleShot(1000, self._index_for_search)
        self._open_first_document()

    # -- construction -------------------------------------------------------------------

    def _project_label(self) -> str:
        url = self.project.url
        if url.startswith("sqlite:///"):
            return Path(url[len("sqlite:///") :]).name
        return self.project.display_url

    def _build_widgets(self) -> None:
        self.view = ArticleView()
        self.view.set_scheme(self.project.scheme)
        self.span_table = SpanTable()
        self.span_table.span_model.scheme = self.project.scheme
        self.editor = AnnotationEditor(self.view, self.span_table, self)
        self.editor.message.connect(self.say)
        # Not while attaching: _attach updates the header itself once the list has the
        # status (one headline layout per opened article instead of two).
        self.editor.currentChanged.connect(
            lambda _key: None if self._attaching else self._update_header()
        )

        self.banner = Banner()
        self.banner.retryClicked.connect(self._retry_save)
        # Both wrap and never widen the centre (a long headline or hint once squeezed the
        # docks, differently for each article); beyond a few lines they elide, whole in
        # the tooltip.
        self.header = HeadlineLabel(max_lines=3)
        self.header.setObjectName("documentHeader")
        self.header.setContentsMargins(6, 4, 6, 2)
        font = self.header.font()
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.header.setFont(font)
        self.hint = HeadlineLabel(max_lines=2)
        self.hint.setObjectName("documentHint")
        self.hint.setContentsMargins(6, 0, 6, 4)
        self.hint.setStyleSheet("color: palette(placeholder-text);")

        self.empty = self._build_empty_state()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.empty)
        centre = QWidget()
        layout = QVBoxLayout(centre)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(2)
        layout.addWidget(self.banner)
        layout.addWidget(self.header)
        layout.addWidget(self.hint)
        layout.addWidget(self.stack, 1)
        self.find_bar = FindBar(self.view)  # Ctrl+F, under the article
        layout.addWidget(self.find_bar)
        self.setCentralWidget(centre)

        self.doc_list = DocumentList(self.project, self.annotator)
        self.doc_list.documentChosen.connect(self.open_document)
        from annotator.app.label_keys import label_shortcuts

        self.palette_widget = LabelPalette(
            self.project.scheme, keys=label_shortcuts(self.project)
        )
        self.palette_widget.labelChosen.connect(self.editor.label)
        self.guidelines = GuidelinesPanel()
        self.guidelines.load(self.project.url)

        self.docs_dock = self._dock(
            "Documents", self.doc_list, Qt.DockWidgetArea.LeftDockWidgetArea
        )
        self.spans_dock = self._dock(
            "Spans", self.span_table, Qt.DockWidgetArea.RightDockWidgetArea
        )
        # The palette (labels and legend) scrolls rather than claim its full height: the
        # span table above it keeps its share of the column whatever the legend's length.
        palette_scroll = QScrollArea()
        palette_scroll.setObjectName("labelsScroll")
        palette_scroll.setWidget(self.palette_widget)
        palette_scroll.setWidgetResizable(True)
        palette_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.labels_dock = self._dock(
            "Labels", palette_scroll, Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.guidelines_dock = self._dock(
            "Guidelines", self.guidelines, Qt.DockWidgetArea.RightDockWidgetArea
        )
        self.guidelines_dock.hide()
        self._default_dock_sizes()

    def _default_dock_sizes(self) -> None:
        self.resizeDocks([self.docs_dock], [300], Qt.Orientation.Horizontal)
        self.resizeDocks([self.spans_dock], [400], Qt.Orientation.Horizontal)
        self.resizeDocks([self.spans_dock, self.labels_dock], [520, 380], Qt.Orientation.Vertical)

    def _dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"{title.lower()}Dock")
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        self.addDockWidget(area, dock)
        return dock

    def _build_empty_state(self) -> QWidget:
        page = QWidget()
        page.setObjectName("emptyState")
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        title = QLabel("This project has no articles yet.")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        title.setFont(font)
        layout.addWidget(title)
        row = QHBoxLayout()
        row.addStretch(1)
        self.import_seeds_button = QPushButton("Import the sample articles")
        self.import_seeds_button.setObjectName("importSeeds")
        self.import_seeds_button.clicked.connect(self.import_seeds)
        choose = QPushButton("Import articles…")
        choose.clicked.connect(self.on_import_articles)
        row.addWidget(self.import_seeds_button)
        row.addWidget(choose)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)
        return page

    def _build_actions(self) -> None:
        from annotator.app.label_keys import label_shortcuts

        self.specs: list[ActionSpec] = list(ACTIONS)
        # the project's label keys (1-9 unless rebound in the label picker, "/")
        label_specs = label_action_specs(self.project.scheme, label_shortcuts(self.project))
        all_specs = self.specs + label_specs

        def slot_for(spec: ActionSpec) -> Callable[[], None]:
            if spec.name.startswith("label_"):
                name = spec.name[len("label_") :]
                return lambda: self.editor.label(name)
            if spec.name.startswith(("take_", "adopt_")):
                verb, n = spec.name.split("_")
                return lambda: getattr(self.review, verb)(int(n))
            return getattr(self, f"on_{spec.name}")

        self.actions_by_name: dict[str, QAction] = make_actions(self, all_specs, slot_for)
        self.all_specs = all_specs
        bar = self.menuBar()
        menus: dict[str, QMenu] = {name: bar.addMenu(f"&{name}") for name in MENUS}
        label_menu = menus["Annotate"].addMenu("&Label as")  # every entity label, keyed or not
        for spec in all_specs:
            action = self.actions_by_name[spec.name]
            if spec.name.startswith("label_"):
                label_menu.addAction(action)
                continue
            if spec.name == "quit":
                menus["File"].addSeparator()
            menus[spec.menu].addAction(action)
            if spec.name == "import_articles":
                folder = QAction("Import &folder…", self)
                folder.triggered.connect(self.on_import_folder)
                menus["File"].addAction(folder)
            if spec.name == "export":
                self.recent_menu = menus["File"].addMenu("&Recent projects")
                self.recent_menu.aboutToShow.connect(self._fill_recent)
        view_menu = menus["View"]
        view_menu.addSeparator()
        for dock in (self.docs_dock, self.spans_dock, self.labels_dock):
            view_menu.addAction(dock.toggleViewAction())
        self.guidelines_dock.visibilityChanged.connect(
            lambda visible: self._sync_check("toggle_guidelines", visible)
        )
        self.palette_widget.showLowConfidenceChanged.connect(
            lambda on: self.actions_by_name["toggle_low_confidence"].setChecked(on)
        )
        # "Suggest from my labels" (remembered by the palette) decides what the facade merges
        self.project.learned_suggestions = self.palette_widget.learned.isChecked()
        self.palette_widget.learnedSuggestionsChanged.connect(self.on_toggle_learned)
        # Esc in the document search hands the keyboard back to the article
        self.doc_list.searchLeft.connect(
            lambda: self.view.setFocus(Qt.FocusReason.ShortcutFocusReason)
        )

        def show_undo_state() -> None:
            # The texts name what will be undone, also in the article left last
            # ("Undo mark done (article 003)").
            for name, (enabled, text) in (
                ("undo", self.undo_history.undo_state()),
                ("redo", self.undo_history.redo_state()),
            ):
                self.actions_by_name[name].setEnabled(enabled)
                self.actions_by_name[name].setText(text)

        self.undo_history.changed.connect(show_undo_state)
        show_undo_state()
        self._sync_check("require_decisions", self.project.finish_requires_decisions())

    def _sync_check(self, name: str, on: bool) -> None:
        action = self.actions_by_name[name]
        if action.isChecked() != on:
            action.blockSignals(True)
            action.setChecked(on)
            action.blockSignals(False)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.progress_label = QLabel()
        self.progress_label.setObjectName("progressLabel")
        self.pipeline_label = QLabel()
        self.pipeline_label.setObjectName("pipelineLabel")
        for label in (self.pipeline_label, self.progress_label):
            label.setContentsMargins(8, 0, 8, 0)
            bar.addPermanentWidget(label)
        self._update_pipeline_label()

    def _restore_settings(self) -> None:
        s = user_settings.settings()
        geometry = s.value("geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1440, 900)
        state = s.value("window_state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
            self.guidelines_dock.hide()  # opened on demand with H
        size = s.value("font_size")
        if size:
            font = self.view.font()
            font.setPointSizeF(float(str(size)))
            self.view.setFont(font)
        user_settings.remember_project(self.project.url)
        # The keyboard starts in the article (restoreState may have moved docks around),
        # and comes back to it when a dialog of this window closes.
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)
        from annotator.ui.focus import KeyboardHome

        self.keyboard_home = KeyboardHome(self, self.view)

    # -- messages -----------------------------------------------------------------------

    def say(self, text: str) -> None:
        self.statusBar().showMessage(text, MESSAGE_MS)

    def refresh_progress(self) -> None:
        self._done, self._total = self.project.progress(self._progress_of())
        self._update_progress_label()

    def _progress_of(self) -> str:
        """Whose work the status bar counts: in review mode the reviewer makes gold."""
        from annotator.app.review import GOLD

        review = getattr(self, "review", None)  # asked before review mode exists, too
        return GOLD if review is not None and review.active else self.annotator

    def _update_progress_label(self) -> None:
        pct = f" ({100 * self._done / self._total:.0f}%)" if self._total else ""
        who = self._progress_of()
        self.progress_label.setText(f"{who}: {self._done:,} / {self._total:,} done{pct}")

    def _update_pipeline_label(self) -> None:
        if self.model_state == ModelState.LOADING:
            text = "loading model…"
        elif self.model_state == ModelState.READY and self.suggester is not None:
            # the set shown is the project's current one, whatever pipeline this window loaded
            source = self.project.suggestion_source()
            shown = source.split(":", 1)[-1] if source else self.suggester.info.name
            text = f"suggestions: {shown}"
        else:
            source = self.project.suggestion_source()
            text = f"suggestions: {source.split(':', 1)[-1]}" if source else "no suggestions"
            if self.model_state == ModelState.FAILED:
                text += " (model failed to load)"
        self.pipeline_label.setText(text)

    def _update_header(self) -> None:
        doc, ann = self.document, self.editor.annotation
        if doc is None:
            self.header.setText("")
            self.hint.setText("")
            return
        name = self.notes.marked(doc.external_id or f"#{doc.id}")
        status = str(ann.status).replace("_", " ") if ann else "loading suggestions…"
        # The whole first line, not Document.title's 200 characters: the label wraps it and
        # elides only beyond three lines (the bound keeps a one-line 50 MB text cheap).
        headline = doc.text[:4000].lstrip().split("\n", 1)[0]
        self.header.setText(f"{name} · {headline}")
        if ann is None:
            self.hint.setText("Suggesting entities and quotes…")
            return
        suggested = sum(1 for s in self.editor._visible if s.origin == "suggested")
        hidden = self.editor.hidden_count()
        parts = [status, f"{len(ann.spans) - hidden - suggested} labels"]
        if self.review.active:
            parts[0:0] = self.review.hint_parts()
        if suggested and self.project.finish_requires_decisions():
            parts.append(f"{suggested} suggestions to decide (A accept, X reject, Shift+A all)")
        elif suggested:
            plural = "s" if suggested != 1 else ""
            parts.append(
                f"{suggested} suggestion{plural} undecided: Enter accepts "
                f"{'them' if plural else 'it'} (A accept, X reject)"
            )
        if hidden:
            parts.append(f"{hidden} low-confidence hidden (L), never saved unless shown")
        if self.editor.link_mode is not None:
            parts.append(f"choosing the {self.editor.link_mode}: click or Tab, Enter confirms")
        self.hint.setText(" · ".join(parts))

    # -- documents ----------------------------------------------------------------------

    def _open_first_document(self) -> None:
        if self.project.count_documents(self.annotator) == 0:
            self.stack.setCurrentWidget(self.empty)
            self._update_header()
            return
        self.stack.setCurrentWidget(self.view)
        first = self.project.next_document(self.annotator, None)
        if first is None:
            first = self.doc_list.model.doc_id(0)
        if first is not None:
            self.open_document(first)

    def _can_leave(self) -> bool:
        if self.session is None or not self.session.unsaved:
            return True
        if self.session.flush():
            return True
        self.say("Edits of this article are not saved yet; staying here until they are.")
        return False

    def open_document(self, doc_id: int) -> None:
        if doc_id == self.doc_id and self.session is not None:
            self.view.setFocus()
            return
        if not self._can_leave():
            return
        self._detach_session()
        key: HistoryKey = (doc_id, "gold" if self.review.active else self.annotator)
        back = key == self._undo_on_open  # reopened by Ctrl+Z: undone once attached
        if not back:
            self._undo_on_open = None  # another article was chosen meanwhile
        self.undo_stack = self.undo_history.switch_to(key, back=back)
        self.doc_id = doc_id
        doc = self.project.get_document(doc_id, tokenize_missing=False)
        if doc.tokens is not None:
            self._show_document(doc)
            return
        # Imported without tokens (e.g. by an older version): tokenizing needs spaCy, so
        # it happens on the NLP thread, and the window stays responsive meanwhile.
        self.document = None
        self._waiting_for = doc_id
        self.header.setText("Opening the article…")
        self.hint.setText("")
        project = self.project

        def load(_ctx: TaskContext) -> Document:
            return project.get_document(doc_id)

        def loaded(doc: Any) -> None:
            if self.doc_id == doc_id and self.document is None:
                self._show_document(doc)

        self.tasks.run("open document", load, loaded, self._task_failed, priority=Priority.OPEN)

    def _show_document(self, doc: Document) -> None:
        doc_id = doc.id or 0
        self.document = doc
        self.stack.setCurrentWidget(self.view)
        self.editor.show_document(doc, OffsetMap(doc.text, paragraph_gap=True))
        self.doc_list.select_document(doc_id)
        self.view.setFocus()
        # The list already knows the status; only an unlisted document costs a query.
        status = self.doc_list.model.status_of(doc_id)
        if status is None:
            found = self.project.load_annotation(doc_id, self.annotator)
            status = found.status if found is not None else AnnotationStatus.TODO
        started = status != AnnotationStatus.TODO
        finished = status in (AnnotationStatus.DONE, AnnotationStatus.SKIPPED)
        if self.review.active:
            self._open_annotation(doc_id)  # gold: no suggestions are merged into it
        elif finished or self.model_state in (ModelState.OFF, ModelState.FAILED):
            self._open_annotation(doc_id)
        elif self.model_state == ModelState.READY:
            # Suggestions of the loaded pipeline are made (or found) in the worker, then
            # merged into the annotation by open_annotation.
            self._waiting_for = doc_id
            self._update_header()
            self._suggest_then_open(doc_id)
        elif started:
            # Work already started: show it now; new suggestions merge on a later open.
            self._open_annotation(doc_id)
        else:
            self._waiting_for = doc_id  # opened when the model is ready
            self._update_header()

    def _open_annotation(self, doc_id: int) -> None:
        """Open the annotation for editing (no spaCy: entities learned from this
        annotator are found by plain string search over the stored tokens)."""
        if self.review.active:
            self._attach(self.review.gold_for(doc_id))
            return
        try:
            annotation = self.project.open_annotation(doc_id, self.annotator)
        except Exception as exc:  # a database error: reported, the window stays usable
            self.say(f"Could not open this article: {exc}")
            return
        self._attach(annotation)

    def _attach(self, annotation: Any) -> None:
        if self.document is None:  # the open failed meanwhile and was reported
            return
        self._waiting_for = None
        self.undo_stack.name = f"article {self.document.external_id or f'#{self.document.id}'}"
        session = EditSession(self.project, self.document, annotation, self.undo_stack, self)
        session.changed.connect(self._on_annotation_changed)
        session.saveStateChanged.connect(self.banner.show_message)
        session.reloaded.connect(self.say)
        self.session = session
        self._attaching = True
        try:
            self.editor.attach(session, self.project.referents(self.document.id or 0))
        finally:
            self._attaching = False
        if self.review.active:
            self.review.attached(annotation)
        else:
            self.doc_list.model.update_document(
                annotation.document_id, status=annotation.status, n_spans=len(annotation.spans)
            )
        self._update_header()
        if self._undo_on_open is not None and self._undo_on_open == self.undo_stack.key:
            # Reopened by Ctrl+Z (nothing left to undo in the article after it): undo here.
            self._undo_on_open = None
            what = self.undo_stack.undoText()
            self.undo_stack.undo()
            self.say(f"Back in {self.undo_stack.name}: undid {what}.")
        self.documentOpened.emit(self.document.id)
        self._prefetch_next()

    def _detach_session(self) -> None:
        if self.session is not None:
            self.editor.detach()
            self.session.deleteLater()
            self.session = None
            self.banner.show_message("")

    def _on_annotation_changed(self, before: Any, after: Any) -> None:
        if self.review.active:
            # Gold changed: neither this annotator's progress nor their list.
            self.review.gold_changed(after)
            self._update_header()
            return
        if before.status != after.status:
            finished = (AnnotationStatus.DONE, AnnotationStatus.SKIPPED)
            self._done += (after.status in finished) - (before.status in finished)
            self._update_progress_label()
        if self.doc_id is not None:
            self.doc_list.model.update_document(
                self.doc_id, status=after.status, n_spans=len(after.spans)
            )
        self._update_header()

    def _finish(self, status: AnnotationStatus) -> None:
        if self.session is None or self.doc_id is None:
            self.say("No article is open.")
            return
        # Unsaved edits first: a "done" queued behind them would finish an article that
        # the window then refuses to leave.
        if not self._can_leave():
            return
        annotation = self.session.annotation
        shown = self.editor.shown_keys()
        undecided_shown = sum(1 for s in pending(annotation) if s.key in shown)
        if (
            status == AnnotationStatus.DONE
            and undecided_shown
            and self.project.finish_requires_decisions()
        ):
            self.say(
                f"{undecided_shown} suggestion{'s' if undecided_shown != 1 else ''} still "
                "undecided: accept (A), reject (X) or accept all (Shift+A) first."
            )
            return
        # What the annotator did not see never becomes their label: shown suggestions
        # left undecided are accepted (done), hidden ones withdrawn — one undo step.
        accepted, _withdrawn, ops = finish(annotation, status, shown)
        if annotation.status != status or ops:
            description = f"mark {status}"
            if accepted:
                description += f", accept {len(accepted)}"
            step = Batch((*ops, SetStatus(status)), description=description)
            if not self.session.perform(step):
                return
        if not self._can_leave():
            return
        if self.review.active:
            nxt = self.review.next_document(self.doc_id)
        else:
            nxt = self.project.next_document(self.annotator, self.doc_id)
        if nxt is None:
            self.say("Every article is done or skipped. Well done!")
            return
        self.open_document(nxt)
        verb = "Done" if status == AnnotationStatus.DONE else "Skipped"
        self.say(f"{verb}. Next article opened.")

    # -- NLP ----------------------------------------------------------------------------

    def _index_for_search(self) -> None:
        """Bring the search index up to date in the background (articles imported by
        the command line or another program since); searching works meanwhile."""
        project = self.project

        def index(ctx: TaskContext) -> int:
            return project.index_for_search(cancel=ctx.cancelled)

        self.tasks.run("index for search", index, None, lambda _e, _tb: None, uses_spacy=False)

    def _load_model(self) -> None:
        project, chosen = self.project, self.model_name

        def load(_ctx: TaskContext) -> Any:
            from annotator.nlp.pipeline import load_suggester

            # keep showing the pipeline a batch run chose, unless --model says otherwise;
            # finding out which pipelines are installed imports spaCy: here, not in the UI
            return load_suggester(chosen or project.preferred_pipeline())

        self.tasks.run("load model", load, self._model_loaded, self._model_failed)

    def _model_loaded(self, suggester: Any) -> None:
        self.suggester = suggester
        self.model_state = ModelState.READY
        self._update_pipeline_label()
        self.say(f"Model ready: {suggester.info.name}.")
        if self._waiting_for is not None:
            self._suggest_then_open(self._waiting_for)
        else:
            self._prefetch_next()

    def _model_failed(self, exc: BaseException, _tb: str) -> None:
        self.model_state = ModelState.FAILED
        self._update_pipeline_label()
        self.say(f"No NLP model: {exc}. You can still annotate by hand.")
        if self._waiting_for is not None and self._waiting_for == self.doc_id:
            self._open_annotation(self._waiting_for)

    def _suggest_then_open(self, doc_id: int) -> None:
        suggester, project = self.suggester, self.project

        def suggest(_ctx: TaskContext) -> int:
            project.ensure_suggestions(doc_id, suggester)
            return doc_id

        def done(_result: object) -> None:
            self._update_pipeline_label()
            if self.doc_id == doc_id and self.session is None:
                self._open_annotation(doc_id)

        def failed(exc: BaseException, _tb: str) -> None:
            self.say(f"Could not make suggestions for this article: {exc}")
            if self.doc_id == doc_id and self.session is None:
                self._open_annotation(doc_id)

        self.tasks.run("suggest", suggest, done, failed, priority=Priority.OPEN)

    def _prefetch_next(self) -> None:
        """Make the next article's suggestions while this one is being read."""
        if self.model_state != ModelState.READY or self.doc_id is None:
            return
        suggester, project, annotator, after = (
            self.suggester,
            self.project,
            self.annotator,
            self.doc_id,
        )

        def prefetch(_ctx: TaskContext) -> None:
            nxt = project.next_document(annotator, after)
            if nxt is not None and project.load_annotation(nxt, annotator) is None:
                project.ensure_suggestions(nxt, suggester)

        self.tasks.run(
            "prefetch", prefetch, None, lambda _e, _tb: None, priority=Priority.BACKGROUND
        )

    # -- import / export ----------------------------------------------------------------

    def import_paths(self, paths: list[str]) -> None:
        project = self.project

        def run(ctx: TaskContext) -> Any:
            return project.import_paths(paths, progress=ctx.progress, cancel=ctx.cancelled)

        run_with_progress(
            self.tasks, self, "Importing articles", run, self._imported, self._task_failed
        )

    def _imported(self, report: Any) -> None:
        self.doc_list.model.refresh()
        self.refresh_progress()
        parts = [f"Imported {report.imported} article{'s' if report.imported != 1 else ''}"]
        if report.duplicates:
            parts.append(f"{report.duplicates} already in the project")
        if getattr(report, "cancelled", False):
            parts.append("cancelled")
        summary = "; ".join(parts) + "."
        if report.problems:
            lines = [f"{p.source}:{p.line}: {p.message}" for p in report.problems[:30]]
            more = len(report.problems) - len(lines)
            if more > 0:
                lines.append(f"… and {more} more")
            box = QMessageBox(QMessageBox.Icon.Warning, "Import", summary, parent=self)
            box.setInformativeText(f"{len(report.problems)} problem(s) were skipped.")
            box.setDetailedText("\n".join(lines))
            box.setModal(False)
            box.show()
        self.say(summary)
        if self.doc_id is None:
            self._open_first_document()

    def import_seeds(self) -> None:
        from annotator.app.paths import seeds_dir

        self.import_paths([str(seeds_dir())])

    def export_to(
        self,
        path: str | Path,
        *,
        fmt: str = "jsonl",
        annotator: str | None = None,
        gold: bool = False,
        status: str = "all",
    ) -> None:
        """Export in a worker with progress and Cancel (``export_project`` does the work)."""
        from annotator.app.export import export_project

        project, out = self.project, Path(path)
        who = None if gold else (annotator or self.annotator)

        def run(ctx: TaskContext) -> Any:
            return export_project(
                project,
                out,
                fmt=fmt,
                annotator=who,
                gold=gold,
                status=status,
                progress=ctx.progress,
                cancel=ctx.cancelled,
            )

        def done(report: Any) -> None:
            if report.cancelled:
                self.say("Export cancelled; no file was written.")
            elif not report.ok:
                lines = [p.message for p in report.problems[:30]]
                box = QMessageBox(
                    QMessageBox.Icon.Warning,
                    "Export",
                    f"{report.failed_documents} article(s) could not be written; "
                    "no file was published.",
                    parent=self,
                )
                box.setDetailedText("\n".join(lines))
                box.setModal(False)
                box.show()
            else:
                left = f" ({report.left_out} skipped left out)" if report.left_out else ""
                self.say(
                    f"Exported {report.documents} article(s), {report.spans} spans to {out}{left}."
                )

        run_with_progress(self.tasks, self, "Exporting", run, done, self._task_failed)

    def _task_failed(self, exc: BaseException, _tb: str) -> None:
        QMessageBox.warning(self, "Something went wrong", str(exc))

    # -- action slots (names match actions.ACTIONS) --------------------------------------

    def on_new_project(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "New project", str(Path.home() / "annotations.db"), "Projects (*.db)"
        )
        if path:
            self.projectSwitchRequested.emit(path)

    def on_open_project(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open project", "", "Projects (*.db);;All (*)")
        if path:
            self.projectSwitchRequested.emit(path)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        from annotator.app.maintenance import shown_url

        for url in user_settings.recent_projects():
            action = self.recent_menu.addAction(shown_url(url))  # settings of older versions
            action.triggered.connect(lambda _c=False, u=url: self.projectSwitchRequested.emit(u))
        if self.recent_menu.isEmpty():
            self.recent_menu.addAction("(none)").setEnabled(False)

    def on_import_articles(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self, "Import articles", "", "Articles (*.txt *.text *.jsonl *.ndjson);;All files (*)"
        )
        if paths:
            self.import_paths(paths)

    def on_import_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Import a folder of articles")
        if folder:
            self.import_paths([folder])

    def on_export(self) -> None:
        from annotator.app.review import GOLD
        from annotator.core import AnnotatorKind
        from annotator.ui.export_dialog import ExportDialog, default_folder

        # A plain annotator exports their own work; reviewers also anyone's, and gold.
        names = [self.annotator]
        if self.review.is_reviewer():
            names += [
                a.name
                for a in self.project.annotators()
                if a.kind in (AnnotatorKind.HUMAN, AnnotatorKind.GOLD) and a.name != self.annotator
            ]
        default = GOLD if self.review.active and GOLD in names else self.annotator
        # The last export folder, else next to the project file: never a guess in $HOME.
        dialog = ExportDialog(names, default, default_folder(self.project.url), self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        c = dialog.choice()
        self.export_to(c.path, fmt=c.fmt, annotator=c.annotator, gold=c.gold, status=c.status)

    def on_quit(self) -> None:
        self.close()

    def on_undo(self) -> None:
        self.editor.cancel_link()
        if self.undo_stack.canUndo():
            if self.session is None:
                self.say("This article is still opening; undo in a moment.")
                return
            self.undo_stack.undo()
            return
        # Nothing left here: go back to the article left last and undo there (its
        # "mark done" first, so it is in progress again).
        back = self.undo_history.previous()
        if back is None or back.key is None:
            self.say("Nothing to undo.")
            return
        self._undo_on_open = back.key
        self.open_document(back.key[0])
        if self.doc_id != back.key[0]:  # refused to leave (edits not saved yet)
            self._undo_on_open = None

    def on_redo(self) -> None:
        self.editor.cancel_link()
        if self.undo_stack.canRedo() and self.session is None:
            self.say("This article is still opening; redo in a moment.")
            return
        self.undo_stack.redo()

    def on_pick_label(self) -> None:
        from annotator.app.label_keys import LabelKeyError, label_shortcuts, set_label_shortcut
        from annotator.ui.actions import command_keys, set_label_keys
        from annotator.ui.label_picker import LabelPicker

        reserved = command_keys(self.all_specs)

        def bind(label: str, key: str, take_over: bool) -> dict[str, str]:
            if f"label_{label}" not in self.actions_by_name:
                raise LabelKeyError(f"{label} is applied by its own command key (Q, S, C).")
            return set_label_shortcut(
                self.project, label, key, reserved=reserved, take_over=take_over
            )

        def rebound(keys: dict[str, str]) -> None:
            self.all_specs = set_label_keys(self.actions_by_name, self.all_specs, keys)
            self.palette_widget.set_keys(keys)

        picker = LabelPicker(self.project.scheme, label_shortcuts(self.project), bind, self)
        picker.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        picker.labelChosen.connect(self.editor.label)
        picker.shortcutsChanged.connect(rebound)
        self.label_picker = picker
        picker.popup_over(self.view)

    def on_find(self) -> None:
        # The document search: typing there is search text; Esc hands the keyboard back.
        self.docs_dock.show()
        self.docs_dock.raise_()  # it may be tabbed behind another panel
        self.doc_list.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.doc_list.search.selectAll()

    def on_find_in_article(self) -> None:
        self.find_bar.open(self.find_bar.selection_query())

    def on_find_next(self) -> None:
        self.find_bar.find_next()

    def on_find_previous(self) -> None:
        self.find_bar.find_previous()

    def on_note(self) -> None:
        self.notes.edit()

    def on_accept(self) -> None:
        self.editor.accept()

    def on_accept_all(self) -> None:
        self.editor.accept_all()

    def on_reject(self) -> None:
        self.editor.reject()

    def on_make_quote(self) -> None:
        self.editor.make_quote()

    def on_set_speaker(self) -> None:
        self.editor.start_link(RelationLabel.SPEAKER)
        self._update_header()

    def on_set_cue(self) -> None:
        self.editor.start_link(RelationLabel.CUE)
        self._update_header()

    def on_cycle_kind(self) -> None:
        self.editor.cycle_kind()

    def on_start_left(self) -> None:
        self.editor.move_boundary("start", -1)

    def on_start_right(self) -> None:
        self.editor.move_boundary("start", +1)

    def on_end_left(self) -> None:
        self.editor.move_boundary("end", -1)

    def on_end_right(self) -> None:
        self.editor.move_boundary("end", +1)

    def on_next_span(self) -> None:
        if self.review.active and self.editor.link_mode is None and self.review.step(+1):
            return
        self.editor.step(+1)

    def on_prev_span(self) -> None:
        if self.review.active and self.editor.link_mode is None and self.review.step(-1):
            return
        self.editor.step(-1)

    def on_done(self) -> None:
        if self.editor.link_mode is not None:
            self.editor.confirm_link()
            self._update_header()
            return
        self._finish(AnnotationStatus.DONE)

    def on_skip(self) -> None:
        self.editor.cancel_link()
        self._finish(AnnotationStatus.SKIPPED)

    def _step_document(self, step: int) -> None:
        if self.doc_id is None:
            return
        if self.review.active:
            target = self.review.adjacent(self.doc_id, step)
        else:
            target = self.doc_list.adjacent(self.doc_id, step)
        if target is not None:
            self.open_document(target)

    def on_next_document(self) -> None:
        self._step_document(+1)

    def on_prev_document(self) -> None:
        self._step_document(-1)

    def on_cancel(self) -> None:
        self.editor.cancel()
        self._update_header()

    def on_zoom_in(self) -> None:
        self.view.zoom(+1)

    def on_zoom_out(self) -> None:
        self.view.zoom(-1)

    def on_zoom_reset(self) -> None:
        self.view.zoom(0)

    def on_toggle_low_confidence(self) -> None:
        on = self.actions_by_name["toggle_low_confidence"].isChecked()
        if self.palette_widget.low_confidence.isChecked() != on:
            self.palette_widget.low_confidence.setChecked(on)
        self.editor.set_show_low_confidence(on)
        self._update_header()

    def on_toggle_learned(self, on: bool) -> None:
        """Suggestions learned from this annotator's labels on / off: reopen the article
        so they are merged in, or taken out while untouched (undo starts afresh)."""
        self.project.learned_suggestions = on
        self.say("Suggesting from your labels." if on else "Not suggesting from your labels.")
        doc_id = self.doc_id
        if doc_id is None or self.session is None or self.review.active or not self._can_leave():
            return
        self._detach_session()
        self.undo_stack.clear()
        self._open_annotation(doc_id)

    def on_require_decisions(self) -> None:
        on = self.actions_by_name["require_decisions"].isChecked()
        self.project.set_finish_requires_decisions(on)
        self.say(
            "Enter now refuses while suggestions are undecided (this project)."
            if on
            else "Enter accepts the suggestions on screen (this project)."
        )
        self._update_header()

    def on_toggle_guidelines(self) -> None:
        self.guidelines_dock.setVisible(self.actions_by_name["toggle_guidelines"].isChecked())

    def on_review_mode(self) -> None:
        self.review.set_active(self.actions_by_name["review_mode"].isChecked())

    def on_dashboard(self) -> None:
        self.review.show_dashboard()

    def on_reset_layout(self) -> None:
        """View ▸ Reset layout: every dock back in its first place and size, none floating;
        the saved layout is forgotten, so the next start is the default one too."""
        for dock, area in (
            (self.docs_dock, Qt.DockWidgetArea.LeftDockWidgetArea),
            (self.spans_dock, Qt.DockWidgetArea.RightDockWidgetArea),
            (self.labels_dock, Qt.DockWidgetArea.RightDockWidgetArea),
            (self.guidelines_dock, Qt.DockWidgetArea.RightDockWidgetArea),
        ):
            dock.setFloating(False)
            self.addDockWidget(area, dock)  # re-adding moves it to the end of its area
            dock.show()
        self.guidelines_dock.hide()  # opened on demand with H
        self._default_dock_sizes()
        self.review.reset_docks()  # review's own docks, shown again if reviewing
        user_settings.settings().remove("window_state")
        self.say("Panels are back in their default places.")

    def on_show_shortcuts(self) -> None:
        dialog = QDialog(self)
        dialog.setObjectName("shortcutsDialog")
        dialog.setWindowTitle("Keyboard shortcuts")
        browser = QTextBrowser(dialog)
        browser.setHtml(shortcuts_html(self.all_specs))
        layout = QVBoxLayout(dialog)
        layout.addWidget(browser)
        dialog.resize(820, 760)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        self.shortcuts_dialog = dialog

    def on_about(self) -> None:
        QMessageBox.about(
            self,
            "About",
            "Quote & Entity Annotator\n\n"
            f"Project: {self.project.display_url}\nAnnotator: {self.annotator}\n"
            "Every edit is saved as you make it.",
        )

    def _retry_save(self) -> None:
        if self.session is not None and self.session.flush():
            self.say("All edits saved.")

    # -- closing ------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.session is not None and self.session.unsaved and not self.session.flush():
            answer = QMessageBox.question(
                self,
                "Unsaved edits",
                f"{self.session.unsaved} edit(s) could not be saved to the database "
                f"({self.session.last_error}). Close anyway and lose them?",
            )
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        s = user_settings.settings()
        self.review.before_saving_window_state()
        s.setValue("geometry", self.saveGeometry())
        s.setValue("window_state", self.saveState())
        s.setValue("font_size", self.view.font().pointSizeF())
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Stop timers and wait for workers; close the project if this window owns it."""
        self._detach_session()
        self.tasks.shutdown()
        if self.owns_project:
            self.project.close()
            self.owns_project = False
