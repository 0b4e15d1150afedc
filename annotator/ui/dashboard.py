"""The agreement dashboard: the figures table and three charts, computed in a worker.

The report and the matplotlib ``Figure`` objects are built off the UI thread
(``annotator.agreement.report_html`` builds them without pyplot, so no global
backend is involved); only wrapping them in a ``FigureCanvasQTAgg`` happens here.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.ui.workers import TaskContext, TaskHandle, TaskManager

if TYPE_CHECKING:
    from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
    from matplotlib.figure import Figure

    from annotator.app.agreement import AgreementReport
    from annotator.app.project import Project

LAYERS: tuple[tuple[str, str | None], ...] = (
    ("All layers", None),
    ("Entities", "ents"),
    ("Quotes", "quotes"),
)
LAYER_COLUMNS = (
    ("f1_exact", "F1 exact"),
    ("f1_overlap", "F1 overlap"),
    ("cohen_kappa", "Cohen κ"),
    ("fleiss_kappa", "Fleiss κ"),
    ("krippendorff_alpha", "Krippendorff α"),
    ("unitizing_alpha", "unitizing α"),
)


_Shown = tuple["AgreementReport", dict[str, "Figure"]]  # what the dashboard draws


def _fmt(x: object) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    return f"{x:.3f}" if isinstance(x, float) else str(x)


TICK_CHARS = 18  # a document name on the per-document chart's axis, elided beyond this
ALL_TICKS = 30  # up to this many documents, every one gets its name on the axis


def elide_middle(name: str, limit: int = TICK_CHARS) -> str:
    """``000_a3eab2…e56c5.txt``: both ends of a file name or id say the most."""
    if len(name) <= limit:
        return name
    head = (limit - 1) // 2
    return f"{name[:head]}…{name[len(name) - (limit - 1 - head) :]}"


def document_names(project: Project, doc_ids: Sequence[Hashable]) -> dict[Hashable, str]:
    """External id (else headline, else #id) of each document, by keyset-paged list
    queries that stop after the highest id wanted (no texts are read)."""
    from annotator.app.review import GOLD

    wanted = {i for i in doc_ids if isinstance(i, int)}
    names: dict[Hashable, str] = {}
    after: int | None = None
    top = max(wanted, default=0)
    while wanted and len(names) < len(wanted) and (after is None or after < top):
        page = project.list_documents(GOLD, limit=1000, after_id=after)
        if not page:
            break
        for row in page:
            if row.id in wanted:
                names[row.id] = " ".join((row.external_id or row.title or "").split())
        after = page[-1].id
    return {i: names.get(i) or f"#{i}" for i in doc_ids}


def label_documents(figure: Figure, report: AgreementReport, names: dict[Hashable, str]) -> None:
    """Name the documents on the per-document chart's axis instead of numbering them."""
    from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator

    order = [d.doc_id for d in report.documents_by_disagreement()]  # the chart's x order

    def name_at(x: float, _pos: int | None = None) -> str:
        i = round(x)
        if abs(x - i) > 1e-6 or not 0 <= i < len(order):
            return ""
        return elide_middle(names.get(order[i]) or f"#{order[i]}")

    for ax in figure.axes:
        if len(order) <= ALL_TICKS:
            ax.xaxis.set_major_locator(FixedLocator(list(range(len(order)))))
        else:  # a big corpus: a readable number of named ticks, never "document 1.5"
            ax.xaxis.set_major_locator(MaxNLocator(nbins=12, integer=True))
        ax.xaxis.set_major_formatter(FuncFormatter(name_at))
        for tick in ax.get_xticklabels():
            tick.set_rotation(35)
            tick.set_horizontalalignment("right")
        ax.tick_params(axis="x", labelsize="small", labelrotation=35)
        ax.set_xlabel("documents (external id), most disagreement first")


def _charts(
    report: AgreementReport, a: str | None, b: str | None, names: dict[Hashable, str]
) -> dict[str, Figure]:
    from annotator.app.agreement import figure_confusion, figure_label_f1, figure_per_document

    figures = {"labels": figure_label_f1(report), "documents": figure_per_document(report)}
    label_documents(figures["documents"], report, names)
    if a and b and a != b:
        figures["confusion"] = figure_confusion(report, a, b)
    return figures


class _ChartSlot(QWidget):
    """A place for one canvas; a new figure replaces the old canvas."""

    def __init__(self, name: str, placeholder: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel(placeholder)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.layout_.addWidget(self.label)
        self.canvas: FigureCanvasQTAgg | None = None

    def set_figure(self, figure: Figure) -> None:
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg

        if self.canvas is not None:
            self.layout_.removeWidget(self.canvas)
            self.canvas.deleteLater()
        self.label.hide()
        self.canvas = FigureCanvasQTAgg(figure)
        self.canvas.setMinimumSize(200, 160)
        self.layout_.addWidget(self.canvas, 1)

    def set_message(self, text: str) -> None:
        self.label.setText(text)
        self.label.show()
        if self.canvas is not None:
            self.canvas.hide()


class Dashboard(QDialog):
    """View ▸ Agreement dashboard: pairwise F1, κ, α, and charts, for a chosen layer."""

    def __init__(
        self,
        project: Project,
        names: Sequence[str],
        tasks: TaskManager,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("agreementDashboard")
        self.setWindowTitle("Agreement dashboard")
        self.project = project
        self.names = list(names)
        self.tasks = tasks
        self.report: AgreementReport | None = None
        self._task: TaskHandle | None = None

        self.layer_box = QComboBox()
        self.layer_box.setObjectName("dashboardLayer")
        for text, layer in LAYERS:
            self.layer_box.addItem(text, layer)
        self.refresh_button = QPushButton("Re&fresh")
        self.refresh_button.setToolTip("Compute the figures again (F5)")
        self.summary = QLabel("Computing…")
        self.summary.setObjectName("dashboardSummary")
        self.summary.setWordWrap(True)
        top = QHBoxLayout()
        layer_label = QLabel("&Layer:")
        layer_label.setBuddy(self.layer_box)
        top.addWidget(layer_label)
        top.addWidget(self.layer_box)
        top.addWidget(self.refresh_button)
        top.addWidget(self.summary, 1)

        self.layer_table = self._table("dashboardLayers")
        self.pair_table = self._table("dashboardPairs")
        tables = QWidget()
        tl = QVBoxLayout(tables)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addWidget(QLabel("<b>By layer</b> (all annotators)"))
        tl.addWidget(self.layer_table, 2)
        tl.addWidget(QLabel("<b>By pair</b>"))
        tl.addWidget(self.pair_table, 3)

        self.label_chart = _ChartSlot("labelF1Chart", "Span F1 per label…")
        self.document_chart = _ChartSlot("perDocumentChart", "Agreement per document…")
        self.confusion_chart = _ChartSlot("confusionChart", "Confusion matrix…")
        self.a_box, self.b_box = QComboBox(), QComboBox()
        for box, name in ((self.a_box, "confusionA"), (self.b_box, "confusionB")):
            box.setObjectName(name)
            box.addItems(self.names)
        if len(self.names) > 1:
            self.b_box.setCurrentIndex(1)
        pick = QHBoxLayout()
        a_label = QLabel("Confusion of &rows:")
        a_label.setBuddy(self.a_box)
        b_label = QLabel("against &columns:")
        b_label.setBuddy(self.b_box)
        for w in (a_label, self.a_box, b_label, self.b_box):
            pick.addWidget(w)
        pick.addStretch(1)
        confusion = QWidget()
        cl = QVBoxLayout(confusion)
        cl.setContentsMargins(0, 0, 0, 0)
        cl.addLayout(pick)
        cl.addWidget(self.confusion_chart, 1)

        grid = QGridLayout()
        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(tables)
        left.addWidget(self.document_chart)
        left.setSizes([330, 470])  # the tables are a few rows; the chart needs height
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.label_chart)
        right.addWidget(confusion)
        right.setSizes([300, 500])
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        grid.addWidget(split, 0, 0)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(grid, 1)
        self.resize(1280, 860)

        self.refresh_button.clicked.connect(self.refresh)
        QShortcut(QKeySequence("F5"), self, self.refresh)
        self.layer_box.currentIndexChanged.connect(lambda _i: self.refresh())
        self.a_box.currentIndexChanged.connect(lambda _i: self._confusion_changed())
        self.b_box.currentIndexChanged.connect(lambda _i: self._confusion_changed())

    def _table(self, name: str) -> QTableWidget:
        table = QTableWidget()
        table.setObjectName(name)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().setVisible(False)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        return table

    @property
    def layer(self) -> str | None:
        value = self.layer_box.currentData()
        return str(value) if value else None

    # -- computing ------------------------------------------------------------------------

    def refresh(self) -> None:
        """Compute the report for the chosen layer and its charts in a worker."""
        from annotator.app.review import agreement_report

        if self._task is not None:
            self._task.cancel()
        project, names, layer = self.project, list(self.names), self.layer
        a, b = self.a_box.currentText(), self.b_box.currentText()
        self.summary.setText("Computing…")

        def run(ctx: TaskContext) -> tuple[AgreementReport, dict[str, Figure]]:
            report = agreement_report(project, names, layer)
            ctx.check()
            return report, _charts(report, a, b, document_names(project, report.documents))

        self._run(run)

    def set_report(self, report: AgreementReport) -> None:
        """Show a report computed elsewhere (review mode's); charts still in a worker."""
        if self.layer is not None:
            self.refresh()  # review mode's report pools the layers; this one wants one
            return
        a, b, project = self.a_box.currentText(), self.b_box.currentText(), self.project
        self._run(
            lambda _ctx: (
                report,
                _charts(report, a, b, document_names(project, report.documents)),
            )
        )

    def _run(self, fn: Callable[[TaskContext], _Shown]) -> None:
        handle = self.tasks.run("dashboard", fn, None, self._failed)

        def done(result: _Shown) -> None:
            if self._task is handle:
                self._show(*result)

        handle.signals.finished.connect(done)
        self._task = handle

    def _confusion_changed(self) -> None:
        report, a, b = self.report, self.a_box.currentText(), self.b_box.currentText()
        if report is None:
            return
        if a == b:
            self.confusion_chart.set_message("Choose two different annotators.")
            return
        from annotator.app.agreement import figure_confusion

        layer = self.layer
        handle = self.tasks.run(
            "confusion", lambda _ctx: figure_confusion(report, a, b, layer), None, self._failed
        )
        handle.signals.finished.connect(
            lambda fig: self.confusion_chart.set_figure(fig) if self.report is report else None
        )

    def _failed(self, exc: BaseException, _tb: str) -> None:
        self.summary.setText(f"No figures: {exc.args[0] if exc.args else exc}")
        for slot in (self.label_chart, self.document_chart, self.confusion_chart):
            slot.set_message("—")

    # -- showing --------------------------------------------------------------------------

    def _show(self, report: AgreementReport, figures: dict[str, Figure]) -> None:
        self.report = report
        fleiss = (
            f"Fleiss κ {_fmt(report.fleiss_kappa)}"
            if report.fleiss_kappa is not None
            else "Fleiss κ needs 3+ annotators"
        )
        self.summary.setText(
            " · ".join(
                [
                    f"{len(report.documents)} article(s) finished by "
                    + ", ".join(report.annotators),
                    fleiss,
                    f"Krippendorff α {_fmt(report.krippendorff_alpha)}",
                    f"unitizing α {_fmt(report.unitizing_alpha)}",
                    f"{report.disagreement_count} disagreement(s)",
                ]
            )
        )
        self._fill(
            self.layer_table,
            ["Layer", *(title for _key, title in LAYER_COLUMNS)],
            [
                [lay, *(figs.get(key) for key, _t in LAYER_COLUMNS)]
                for lay, figs in report.by_layer.items()
            ],
        )
        self._fill(
            self.pair_table,
            ["A", "B", "Layer", "F1 exact", "F1 overlap", "Cohen κ"],
            [[p.a, p.b, p.layer, p.exact.f, p.overlap.f, p.cohen_kappa] for p in report.pairs],
        )
        self.label_chart.set_figure(figures["labels"])
        self.document_chart.set_figure(figures["documents"])
        if "confusion" in figures:
            self.confusion_chart.set_figure(figures["confusion"])
        else:
            self.confusion_chart.set_message("Choose two different annotators.")

    def _fill(self, table: QTableWidget, header: list[str], rows: list[list[object]]) -> None:
        table.clear()
        table.setColumnCount(len(header))
        table.setHorizontalHeaderLabels(header)
        table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                item = QTableWidgetItem(_fmt(value))
                if not isinstance(value, str):
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                table.setItem(r, c, item)
