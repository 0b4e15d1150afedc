"""Review mode: the reviewer edits the gold version while seeing everyone's work.

Switching the mode swaps which annotation the window's editor holds: the gold
annotation of the open document instead of the reviewer's own. Every key of the
window (labels, A/X, Alt+arrows, Enter, Ctrl+Z) therefore works on gold through
the same :class:`EditSession`, so each review edit is saved at once and undoable.
Around it this controller adds: the document list sorted by disagreement (the
agreement report is computed in a worker), a table of the open document's
disagreements, each annotator's version read-only side by side, and the keys
that take an annotator's version of one region (Alt+n) or of the whole
document (Ctrl+Shift+n), each a single undo step.

Only an annotator whose role is ``reviewer`` may switch it on: annotators see
nothing of each other's work while annotating (no anchoring).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QObject, Qt
from PySide6.QtWidgets import QDockWidget, QWidget

from annotator.app.agreement import AgreementReport, Disagreement, compare_versions
from annotator.app.review import GOLD, agreement_report, human_annotators, majority_annotation
from annotator.core import (
    Annotation,
    AnnotationStatus,
    AnnotatorRole,
    SpanKey,
)
from annotator.ui.review_items import (
    REASON_TEXT,
    ReviewItem,
    adopt_document,
    region_spans,
    review_items,
    take_region,
)
from annotator.ui.review_panel import (
    MAX_VERSIONS,
    ReviewDocumentList,
    ReviewPanel,
    ReviewRow,
)
from annotator.ui.workers import TaskContext, TaskHandle

if TYPE_CHECKING:
    from annotator.app.project import DocumentRow
    from annotator.ui.dashboard import Dashboard
    from annotator.ui.modes import ReviewHost

_FINISHED = (AnnotationStatus.DONE, AnnotationStatus.SKIPPED)
_LIST_PAGE = 1000


class ReviewMode(QObject):
    """The reviewing mode (see :class:`annotator.ui.modes.DocumentMode`)."""

    def __init__(self, window: ReviewHost, parent: QWidget) -> None:
        super().__init__(parent)
        self.w = window
        self.parent_widget = parent  # the dashboard's
        self.project = window.project
        self.active = False
        self.names: list[str] = []  # the annotators compared, in the order of Alt+1..n
        self.report: AgreementReport | None = None
        self.report_error = ""
        self.versions: dict[str, Annotation | None] = {}
        self.items: list[ReviewItem] = []
        self.index = -1
        self.loaded_doc: int | None = None  # whose versions and items are shown
        self.docs_dock: QDockWidget | None = None
        self.panel_dock: QDockWidget | None = None
        self.doc_list: ReviewDocumentList | None = None
        self.panel: ReviewPanel | None = None
        self.dashboard: Dashboard | None = None
        self._report_task: TaskHandle | None = None
        self._following = False
        # The annotating layout (dock places and sizes) as it was on entering review mode:
        # put back on leaving, so review's bottom panel leaves no squeezed span table
        # (None after View > Reset layout: leaving then lays out the default sizes).
        self._annotating_state: QByteArray | None = None
        self._gold_status: AnnotationStatus | None = None  # of the open article
        window.editor.currentChanged.connect(self._follow_current)

    # -- the mode interface (annotator.ui.modes.DocumentMode) ----------------------------------

    @property
    def owner(self) -> str:
        return GOLD

    @property
    def suggests(self) -> bool:
        return False  # gold: no suggestions are merged into it

    def annotation_for(self, doc_id: int) -> Annotation:
        return self.gold_for(doc_id)

    def on_changed(self, before: Annotation, after: Annotation) -> None:
        # Gold changed: neither this annotator's progress nor their list.
        self.gold_changed(after)

    def notes_saved(self, doc_id: int) -> None:
        """A note was saved: the panel shows everyone's notes of the article."""
        if self.active and self.panel is not None:
            self.panel.notes.set_notes(self.project.notes(doc_id))

    # -- who may review -------------------------------------------------------------------

    def is_reviewer(self) -> bool:
        me = self.project.annotator(self.w.annotator)
        return me is not None and me.role == AnnotatorRole.REVIEWER

    def compared_annotators(self) -> list[str]:
        """The people whose work is reviewed: human annotators who finished something,
        not reviewers or gold."""
        finished = set(human_annotators(self.project))
        return [
            a.name
            for a in self.project.annotators()
            if a.name in finished
            and a.role == AnnotatorRole.ANNOTATOR
            and a.name != self.w.annotator
        ]

    def update_actions(self) -> None:
        acts = self.w.actions_by_name
        reviewer = self.is_reviewer()
        for name in ("review_mode", "dashboard"):
            acts[name].setEnabled(reviewer)
        for n in range(1, MAX_VERSIONS + 1):
            who = self.names[n - 1] if n <= len(self.names) else None
            for verb, text in (
                ("take", f"Take {who}'s version of this disagreement"),
                ("adopt", f"Adopt {who}'s whole article as gold"),
            ):
                action = acts[f"{verb}_{n}"]
                action.setEnabled(self.active and who is not None)
                if who is not None:
                    action.setText(text)

    # -- switching --------------------------------------------------------------------------

    def set_active(self, on: bool) -> None:
        w = self.w
        if on and not self.is_reviewer():
            w.sync_check("review_mode", False)
            w.say(
                f"Review mode is for reviewers; {w.annotator} annotates. "
                f"(A project owner can run: annotator role {w.annotator} reviewer)"
            )
            return
        if on == self.active:
            w.sync_check("review_mode", on)
            return
        if not w.can_leave():
            w.sync_check("review_mode", self.active)
            return
        self.active = on
        w.sync_check("review_mode", on)
        self._clear_document()
        if on:
            self.names = self.compared_annotators()
            self._annotating_state = w.saveState()
            self._ensure_docks()
            self.show_docks()
            self.refresh_report()
        else:
            if self._report_task is not None:
                self._report_task.cancel()
            self._restore_annotating_layout()
        self.update_actions()
        w.refresh_progress()  # the reviewer's own work, or gold's
        # Re-open the article on the other annotation (gold, or the reviewer's own).
        w.reopen_document()
        w.say(
            "Review mode: you are editing the gold version; Tab walks the disagreements."
            if on
            else f"Back to {w.annotator}'s own annotations."
        )

    def show_docks(self) -> None:
        """Review's layout: its document list instead of the window's, the panel below."""
        w = self.w
        assert self.docs_dock is not None and self.panel_dock is not None
        w.docs_dock.hide()
        self.docs_dock.show()
        self.panel_dock.show()
        w.resizeDocks([self.panel_dock], [340], Qt.Orientation.Vertical)

    def reset_docks(self) -> None:
        """View ▸ Reset layout, after the window's docks are back in their default places:
        review's docks back in theirs; when reviewing, that default annotating layout is
        the one leaving review mode returns to."""
        w = self.w
        for dock, area in (
            (self.docs_dock, Qt.DockWidgetArea.LeftDockWidgetArea),
            (self.panel_dock, Qt.DockWidgetArea.BottomDockWidgetArea),
        ):
            if dock is not None:
                dock.setFloating(False)
                w.addDockWidget(area, dock)
                dock.hide()
        if self.active:
            # Leaving review mode then lays the default sizes out afresh: a state saved
            # here, before the window has laid out the moved docks, would hold stale sizes.
            self._annotating_state = None
            self.show_docks()

    def _restore_annotating_layout(self) -> None:
        w = self.w
        if self.docs_dock is not None and self.panel_dock is not None:
            self.docs_dock.hide()
            self.panel_dock.hide()
        guidelines = w.guidelines_dock.isVisible()  # opened meanwhile with H: keep it
        if self._annotating_state is not None:
            w.restoreState(self._annotating_state)
            self._annotating_state = None
            w.docs_dock.show()
        else:  # reset while reviewing: the default layout
            w.docs_dock.show()
            w.default_dock_sizes()
        w.guidelines_dock.setVisible(guidelines)
        if self.docs_dock is not None and self.panel_dock is not None:
            # a state saved before they existed does not mention them
            self.docs_dock.hide()
            self.panel_dock.hide()

    def _ensure_docks(self) -> None:
        if self.docs_dock is not None:
            return
        w = self.w
        self.doc_list = ReviewDocumentList()
        self.doc_list.documentChosen.connect(w.open_document)
        self.panel = ReviewPanel(self.project.scheme)
        self.panel.itemChosen.connect(lambda row: self.go(row))
        # Created on first use, so the saved window state (restored at start-up) never
        # shows review docks to an annotator.
        self.docs_dock = w.add_dock(
            "Review documents", self.doc_list, Qt.DockWidgetArea.LeftDockWidgetArea
        )
        self.panel_dock = w.add_dock("Review", self.panel, Qt.DockWidgetArea.BottomDockWidgetArea)

    # -- the corpus report ----------------------------------------------------------------------

    def refresh_report(self) -> None:
        """Agreement over the documents every compared annotator finished (in a worker)."""
        assert self.doc_list is not None
        if self._report_task is not None:
            self._report_task.cancel()
        names, project = list(self.names), self.project
        self.doc_list.summary.setText(f"Computing agreement of {', '.join(names) or 'nobody'}…")

        def run(ctx: TaskContext) -> tuple[AgreementReport, list[ReviewRow]]:
            report = agreement_report(project, names)
            ctx.check()
            listed: dict[int, DocumentRow] = {}
            offset = 0
            while True:  # titles and gold statuses, one paged query at a time
                page = project.list_documents(GOLD, offset=offset, limit=_LIST_PAGE)
                listed.update((row.id, row) for row in page)
                offset += len(page)
                if len(page) < _LIST_PAGE:
                    break
                ctx.check()
            rows = []
            for d in report.documents_by_disagreement():
                doc_id = int(d.doc_id)  # type: ignore[call-overload]
                row = listed.get(doc_id)
                title = " ".join(((row.title or row.external_id) if row else f"#{doc_id}").split())
                gold = AnnotationStatus(row.status) if row else None
                rows.append(ReviewRow(doc_id, title, d.f1_overlap, d.disagreements, gold))
            return report, rows

        handle = self.w.tasks.run("agreement", run, None, self._report_failed)

        def done(result: tuple[AgreementReport, list[ReviewRow]]) -> None:
            if self._report_task is handle and self.active:
                self._report_ready(*result)

        handle.signals.finished.connect(done)
        self._report_task = handle

    def _report_ready(self, report: AgreementReport, rows: list[ReviewRow]) -> None:
        assert self.doc_list is not None
        self.report, self.report_error = report, ""
        self.doc_list.model.set_rows(rows)
        figures = [
            f"{len(rows)} article{'s' if len(rows) != 1 else ''} finished by "
            f"{', '.join(report.annotators)}"
        ]
        pooled = [p.overlap.f for p in report.pairs if p.layer == "all"]
        if pooled:
            figures.append(f"span F1 {sum(pooled) / len(pooled):.2f}")
        figures.append(f"α {report.krippendorff_alpha:.2f}")
        self.doc_list.summary.setText(" · ".join(figures) + " — most disagreement first")
        if self.dashboard is not None:
            self.dashboard.set_report(report)
        w = self.w
        if rows and (w.doc_id is None or self.doc_list.model.row_of(w.doc_id) is None):
            w.open_document(rows[0].doc_id)
        else:
            self.doc_list.select_document(w.doc_id)

    def _report_failed(self, exc: BaseException, _tb: str) -> None:
        self.report, self.report_error = None, str(exc.args[0] if exc.args else exc)
        if self.doc_list is not None:
            self.doc_list.model.set_rows([])
            self.doc_list.summary.setText(f"No agreement to show: {self.report_error}")

    # -- the open document ----------------------------------------------------------------------

    def gold_for(self, doc_id: int) -> Annotation:
        """The gold annotation; a new one starts from what most annotators agree on."""
        existing = self.project.load_annotation(doc_id, GOLD)
        if existing is not None:
            return existing
        finished = [
            ann
            for name in self.names
            if (ann := self.project.labels(doc_id, name)) is not None
            and ann.status == AnnotationStatus.DONE
        ]
        self.project.ensure_annotator(GOLD)
        fresh = Annotation(document_id=doc_id, annotator=GOLD)
        if len(finished) >= 2:
            # Spans everyone (a majority) agreed on need no decision; only the
            # disagreements are left to the reviewer.
            voted = majority_annotation(finished, doc_id)
            fresh.spans, fresh.relations = voted.spans, voted.relations
        return self.project.put_annotation(fresh)

    def _clear_document(self) -> None:
        self.loaded_doc = None
        self.versions, self.items, self.index = {}, [], -1

    def attached(self, gold: Annotation) -> None:
        """The window opened ``gold`` for editing: compare the versions in a worker."""
        w = self.w
        doc = w.document
        assert doc is not None and self.panel is not None
        doc_id = doc.id or 0
        self._clear_document()
        if self.doc_list is not None:
            self.doc_list.select_document(doc_id)
            self.doc_list.model.set_gold(doc_id, gold.status)
        self._gold_status = gold.status
        self.panel.clear("Comparing the annotators' versions…")
        self.panel.notes.set_notes(self.project.notes(doc_id))  # "unclear speaker…", flags
        names, project = list(self.names), self.project
        Compared = tuple[int, dict[str, Annotation | None], list[Disagreement]]

        def run(_ctx: TaskContext) -> Compared:
            return (doc_id, *compare_versions(project, doc, names))

        def loaded(result: Compared) -> None:
            got_id, versions, rows = result
            if not self.active or w.doc_id != got_id or w.session is None:
                return
            self._show_versions(versions, review_items(rows))

        self.w.tasks.run("compare versions", run, loaded, w.report_failure)

    def _show_versions(
        self, versions: dict[str, Annotation | None], items: list[ReviewItem]
    ) -> None:
        w = self.w
        assert self.panel is not None and w.document is not None and w.session is not None
        self.versions, self.items = versions, items
        self.loaded_doc = w.document.id
        self.panel.set_versions(self.names, w.document, w.view.omap, versions)
        self.panel.set_items(w.document.text, items, self.names, versions, w.session.annotation)
        finished = sum(
            1 for v in versions.values() if v is not None and v.status == AnnotationStatus.DONE
        )
        if not self.names:
            self.panel.caption.setText("There are no annotators to compare in this project.")
        elif finished < 2:
            self.panel.caption.setText(
                f"{finished} finished version{'s' if finished != 1 else ''} of this article: "
                "nothing to compare yet. Ctrl+Shift+n adopts annotator n's version."
            )
        if items:
            self.go(0, scroll=False)
        w.update_header()

    def gold_changed(self, after: Annotation) -> None:
        if self.panel is not None and self.loaded_doc == after.document_id:
            self.panel.model.set_gold(after)
            self.panel.update_caption()
        if self.doc_list is not None and after.document_id is not None:
            self.doc_list.model.set_gold(after.document_id, after.status)
        if after.status != self._gold_status:
            # Gold finished (or reopened): the status bar counts gold articles.
            self._gold_status = after.status
            self.w.refresh_progress()

    # -- moving through disagreements ------------------------------------------------------------

    def step(self, delta: int) -> bool:
        """Tab / Shift+Tab: the next or previous disagreement. False when there is none."""
        if not self.items:
            return False
        if self.index < 0:
            self.go(0 if delta > 0 else len(self.items) - 1)
        else:
            self.go((self.index + delta) % len(self.items))
        return True

    def go(self, index: int, *, scroll: bool = True) -> None:
        w = self.w
        if not 0 <= index < len(self.items) or self.panel is None or w.session is None:
            return
        self.index = index
        item = self.items[index]
        self.panel.show_item(index)
        spans = region_spans(w.session.annotation, item)
        self._following = True
        try:
            if spans:
                w.view.clear_selection()
                w.editor.set_current(spans[0].key, scroll=scroll)
            else:
                # Nothing in gold here: select the range, so a label key marks it at once.
                w.editor.set_current(None, scroll=False)
                w.view.select_range(item.start, item.end)
        finally:
            self._following = False
        w.view.scroll_to(*w.view.omap.range_to_qt(item.start, item.end))
        w.update_header()

    def _follow_current(self, key: SpanKey | None) -> None:
        """A click on a gold span: show the disagreement it belongs to."""
        if not self.active or self._following or key is None or self.panel is None:
            return
        ann = self.w.editor.annotation
        span = ann.span_by_key(key) if ann is not None else None
        if span is None:
            return
        for i, item in enumerate(self.items):
            if item.covers(span):
                self.index = i
                self.panel.show_item(i)
                return

    def current_item(self) -> ReviewItem | None:
        return self.items[self.index] if 0 <= self.index < len(self.items) else None

    # -- taking versions --------------------------------------------------------------------------

    def _version(self, n: int) -> tuple[str, Annotation] | None:
        w = self.w
        if not self.active or w.session is None or w.document is None:
            return None
        if n > len(self.names):
            w.say(f"There is no annotator {n}; compared: {', '.join(self.names) or 'nobody'}.")
            return None
        if self.loaded_doc != w.document.id:
            w.say("The annotators' versions are still loading; one moment.")
            return None
        name = self.names[n - 1]
        version = self.versions.get(name)
        if version is None:
            w.say(f"{name} has not annotated this article.")
            return None
        return name, version

    def take(self, n: int) -> None:
        """Alt+n: gold takes annotator n's spans in the current disagreement's region."""
        found = self._version(n)
        if found is None:
            return
        name, version = found
        w = self.w
        item = self.current_item()
        if item is None or w.session is None:
            w.say("No disagreement selected: Tab goes to the next one.")
            return
        batch = take_region(w.session.annotation, version, item, name)
        if batch is None:
            w.say(f"Gold already has {name}'s version here.")
        elif not w.session.perform(batch):
            return
        else:
            w.say(f"Took {name}'s version ({batch.description}); Ctrl+Z undoes.")
        # On to the next disagreement: the common case is deciding them in a row.
        if self.index < len(self.items) - 1:
            self.go(self.index + 1)
        else:
            self.go(self.index)

    def adopt(self, n: int) -> None:
        """Ctrl+Shift+n: gold becomes annotator n's whole annotation, one undo step."""
        found = self._version(n)
        if found is None:
            return
        name, version = found
        w = self.w
        assert w.session is not None
        batch = adopt_document(w.session.annotation, version, name)
        if batch is None:
            w.say(f"Gold is already {name}'s version.")
            return
        if w.session.perform(batch):
            w.say(f"Gold is now {name}'s version of this article; Ctrl+Z undoes.")
            if self.items:
                self.go(max(self.index, 0))

    # -- what the window asks -----------------------------------------------------------------

    def hint_parts(self) -> list[str]:
        if self.loaded_doc is None:
            return ["reviewing: gold version"]
        if not self.items:
            return ["reviewing: gold version", "no disagreements"]
        where = f"disagreement {self.index + 1} of {len(self.items)}" if self.index >= 0 else ""
        item = self.current_item()
        reason = f" ({REASON_TEXT.get(item.reason, item.reason)})" if item is not None else ""
        return ["reviewing: gold version", where + reason]

    def next_document(self, after: int | None) -> int | None:
        """After Enter: the next article in disagreement order whose gold is not finished."""
        if self.doc_list is None:
            return None
        rows = self.doc_list.model.rows
        start = (self.doc_list.model.row_of(after) if after is not None else None) or 0
        for row in rows[start + 1 :] + rows[: start + 1]:
            if row.doc_id != after and row.gold not in _FINISHED:
                return row.doc_id
        return None

    def adjacent(self, doc_id: int, step: int) -> int | None:
        if self.doc_list is None:
            return None
        row = self.doc_list.model.row_of(doc_id)
        return None if row is None else self.doc_list.model.doc_id(row + step)

    def before_saving_window_state(self) -> None:
        """The saved layout is the annotating one: the next start may be a plain annotator's."""
        if self.active:
            self._restore_annotating_layout()

    # -- dashboard ------------------------------------------------------------------------------

    def show_dashboard(self) -> None:
        w = self.w
        if not self.is_reviewer():
            w.say("The agreement dashboard is for reviewers.")
            return
        if self.dashboard is None:
            from annotator.ui.dashboard import Dashboard

            names = self.names or self.compared_annotators()
            self.dashboard = Dashboard(self.project, names, w.tasks, self.parent_widget)
            if self.report is not None:
                self.dashboard.set_report(self.report)
            else:
                self.dashboard.refresh()
        self.dashboard.show()
        self.dashboard.raise_()
        self.dashboard.activateWindow()
