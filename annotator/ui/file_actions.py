"""File ▸ New / Open / Recent project, import and export: dialogs in the window, the
work in a worker with progress and Cancel (``Project.import_paths``, ``export_project``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QFileDialog, QMenu, QMessageBox, QWidget

from annotator.app.export import ExportReport, export_project
from annotator.app.importing import ImportReport
from annotator.app.maintenance import shown_url
from annotator.app.paths import seeds_dir
from annotator.app.review import GOLD
from annotator.core import AnnotatorKind
from annotator.ui import settings as user_settings
from annotator.ui.export_dialog import ExportDialog, default_folder
from annotator.ui.workers import TaskContext, TaskManager, run_with_progress

if TYPE_CHECKING:
    from annotator.app.project import Project
    from annotator.ui.document_list import DocumentList
    from annotator.ui.modes import DocumentMode


class FilesHost(Protocol):
    project: Project
    annotator: str
    tasks: TaskManager
    doc_list: DocumentList

    @property
    def doc_id(self) -> int | None: ...

    @property
    def mode(self) -> DocumentMode: ...

    def is_reviewer(self) -> bool: ...

    def say(self, text: str) -> None: ...

    def refresh_progress(self) -> None: ...

    def open_first_document(self) -> None: ...

    def report_failure(self, exc: BaseException, tb: str) -> None: ...


class FileActions(QObject):
    projectSwitchRequested = Signal(str)  # New / Open / Recent: the app opens it

    def __init__(self, host: FilesHost, window: QWidget) -> None:
        super().__init__(window)
        self.host = host
        self.window = window  # the dialogs' parent
        self.recent_menu: QMenu | None = None

    # -- projects -------------------------------------------------------------------------

    def new_project(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self.window, "New project", str(Path.home() / "annotations.db"), "Projects (*.db)"
        )
        if path:
            self.projectSwitchRequested.emit(path)

    def open_project(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.window, "Open project", "", "Projects (*.db);;All (*)"
        )
        if path:
            self.projectSwitchRequested.emit(path)

    def fill_recent(self) -> None:
        menu = self.recent_menu
        assert menu is not None
        menu.clear()
        for url in user_settings.recent_projects():
            action = menu.addAction(shown_url(url))  # settings of older versions
            action.triggered.connect(lambda _c=False, u=url: self.projectSwitchRequested.emit(u))
        if menu.isEmpty():
            menu.addAction("(none)").setEnabled(False)

    def index_for_search(self) -> None:
        """Bring the search index up to date in the background (articles imported by
        the command line or another program since); searching works meanwhile."""
        project = self.host.project

        def index(ctx: TaskContext) -> int:
            return project.index_for_search(cancel=ctx.cancelled)

        self.host.tasks.run("index for search", index, None, lambda _e, _tb: None, uses_spacy=False)

    # -- import ---------------------------------------------------------------------------

    def import_articles(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self.window,
            "Import articles",
            "",
            "Articles (*.txt *.text *.jsonl *.ndjson);;All files (*)",
        )
        if paths:
            self.import_paths(paths)

    def import_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self.window, "Import a folder of articles")
        if folder:
            self.import_paths([folder])

    def import_seeds(self) -> None:
        self.import_paths([str(seeds_dir())])

    def import_paths(self, paths: list[str]) -> None:
        project = self.host.project

        def run(ctx: TaskContext) -> ImportReport:
            return project.import_paths(paths, progress=ctx.progress, cancel=ctx.cancelled)

        run_with_progress(
            self.host.tasks,
            self.window,
            "Importing articles",
            run,
            self._imported,
            self.host.report_failure,
        )

    def _imported(self, report: ImportReport) -> None:
        h = self.host
        h.doc_list.model.refresh()
        h.refresh_progress()
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
            box = QMessageBox(QMessageBox.Icon.Warning, "Import", summary, parent=self.window)
            box.setInformativeText(f"{len(report.problems)} problem(s) were skipped.")
            box.setDetailedText("\n".join(lines))
            box.setModal(False)
            box.show()
        h.say(summary)
        if h.doc_id is None:
            h.open_first_document()

    # -- export ---------------------------------------------------------------------------

    def export(self) -> None:
        h = self.host
        # A plain annotator exports their own work; reviewers also anyone's, and gold.
        names = [h.annotator]
        if h.is_reviewer():
            names += [
                a.name
                for a in h.project.annotators()
                if a.kind in (AnnotatorKind.HUMAN, AnnotatorKind.GOLD) and a.name != h.annotator
            ]
        owner = h.mode.owner  # gold while reviewing
        default = owner if owner == GOLD and GOLD in names else h.annotator
        # The last export folder, else next to the project file: never a guess in $HOME.
        dialog = ExportDialog(names, default, default_folder(h.project.url), self.window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        c = dialog.choice()
        self.export_to(c.path, fmt=c.fmt, annotator=c.annotator, gold=c.gold, status=c.status)

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
        h = self.host
        project, out = h.project, Path(path)
        who = None if gold else (annotator or h.annotator)

        def run(ctx: TaskContext) -> ExportReport:
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

        def done(report: ExportReport) -> None:
            if report.cancelled:
                h.say("Export cancelled; no file was written.")
            elif not report.ok:
                lines = [p.message for p in report.problems[:30]]
                box = QMessageBox(
                    QMessageBox.Icon.Warning,
                    "Export",
                    f"{report.failed_documents} article(s) could not be written; "
                    "no file was published.",
                    parent=self.window,
                )
                box.setDetailedText("\n".join(lines))
                box.setModal(False)
                box.show()
            else:
                left = f" ({report.left_out} skipped left out)" if report.left_out else ""
                h.say(
                    f"Exported {report.documents} article(s), {report.spans} spans to {out}{left}."
                )

        run_with_progress(h.tasks, self.window, "Exporting", run, done, h.report_failure)
