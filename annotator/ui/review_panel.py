"""Review mode widgets: documents by disagreement, the open document's disagreements,
and each annotator's version read-only beside the editable gold article.

These are thin views; :mod:`annotator.ui.review_mode` decides what they show.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.core import Annotation, AnnotationStatus, Document, LabelScheme, Span
from annotator.core.offsets import OffsetMap
from annotator.ui.article_view import ArticleView
from annotator.ui.document_list import STATUS_COLOUR, STATUS_TEXT, _KeepKeys
from annotator.ui.note_editor import NotesLabel
from annotator.ui.review_items import REASON_HELP, REASON_TEXT, ReviewItem, matches, region_spans

_Index = QModelIndex | QPersistentModelIndex
_EMPTY = QModelIndex()

# Okabe-Ito hues, light enough to read black text on, in light and dark themes alike.
REASON_COLOUR = {
    "missing": QColor(240, 228, 66, 110),
    "label": QColor(213, 94, 0, 90),
    "boundary": QColor(86, 180, 233, 110),
}
RESOLVED = QColor(0, 158, 115, 70)
NO_SPAN = "no span"  # a version (or gold) marks nothing in the region
MATCH = "✓"  # gold holds exactly this version here (also shown in green)
LEGEND = (
    f"{MATCH} green: gold matches that version here · {NO_SPAN}: nothing marked here · "
    "missing: marked by some, not by others · label differs · extent differs: "
    "overlapping spans, different words"
)
MAX_VERSIONS = 4  # Alt+1..4 / Ctrl+Shift+1..4


# -- documents, most disagreement first ----------------------------------------------------


@dataclass(slots=True)
class ReviewRow:
    doc_id: int
    title: str
    f1_overlap: float
    disagreements: int
    gold: AnnotationStatus | None  # None: no gold yet


class ReviewDocumentsModel(QAbstractTableModel):
    COLUMNS = ("Document", "F1", "Diff.", "Gold")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[ReviewRow] = []
        self._row_of: dict[int, int] = {}

    def set_rows(self, rows: Sequence[ReviewRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self._row_of = {r.doc_id: i for i, r in enumerate(self.rows)}
        self.endResetModel()

    def row_of(self, doc_id: int) -> int | None:
        return self._row_of.get(doc_id)

    def doc_id(self, row: int) -> int | None:
        return self.rows[row].doc_id if 0 <= row < len(self.rows) else None

    def set_gold(self, doc_id: int, status: AnnotationStatus) -> None:
        row = self._row_of.get(doc_id)
        if row is not None and self.rows[row].gold != status:
            self.rows[row].gold = status
            self.dataChanged.emit(self.index(row, 3), self.index(row, 3))

    def rowCount(self, parent: _Index = _EMPTY) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = _EMPTY) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return (
                "Article",
                "Span F1 with overlap matching, mean over annotator pairs",
                "Ranges the annotators differ on",
                "Status of the reviewed (gold) version",
            )[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row, col = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return row.title
            if col == 1:
                return "–" if math.isnan(row.f1_overlap) else f"{row.f1_overlap:.2f}"
            if col == 2:
                return row.disagreements
            return STATUS_TEXT[row.gold] if row.gold is not None else "—"
        if role == Qt.ItemDataRole.ForegroundRole and col == 3 and row.gold in STATUS_COLOUR:
            return QBrush(STATUS_COLOUR[row.gold])
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (1, 2):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and col == 0:
            return row.title
        if role == Qt.ItemDataRole.UserRole:
            return row.doc_id
        return None


class ReviewDocumentList(QWidget):
    documentChosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewDocumentList")
        self.model = ReviewDocumentsModel(self)
        self.summary = QLabel("Computing agreement…")
        self.summary.setObjectName("reviewSummary")
        self.summary.setWordWrap(True)
        self.table = _table(self.model, "reviewDocumentTable")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        metrics = self.fontMetrics()
        for col, sample in ((1, "0.00_"), (2, "Diff._"), (3, "✓ started_")):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            self.table.setColumnWidth(col, metrics.horizontalAdvance(sample) + 12)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        self.table.clicked.connect(self._chosen)
        self.table.installEventFilter(
            _KeepKeys(
                self.table,
                {Qt.Key.Key_Return, Qt.Key.Key_Enter},
                lambda: self._chosen(self.table.currentIndex()),
            )
        )
        self._selecting = False

    def _chosen(self, index: QModelIndex) -> None:
        doc_id = self.model.doc_id(index.row()) if index.isValid() else None
        if doc_id is not None and not self._selecting:
            self.documentChosen.emit(doc_id)

    def select_document(self, doc_id: int | None) -> None:
        row = self.model.row_of(doc_id) if doc_id is not None else None
        self._selecting = True
        try:
            if row is None:
                self.table.clearSelection()
                return
            _select_row(self.table, self.model.index(row, 0))
        finally:
            self._selecting = False


# -- the open document's disagreements ------------------------------------------------------


class DisagreementModel(QAbstractTableModel):
    """One row per region; a column per annotator and one for gold."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.items: list[ReviewItem] = []
        self.names: list[str] = []
        self.versions: dict[str, Annotation | None] = {}
        self.gold: Annotation | None = None
        self.text = ""

    def set_content(
        self,
        text: str,
        items: Sequence[ReviewItem],
        names: Sequence[str],
        versions: dict[str, Annotation | None],
        gold: Annotation | None,
    ) -> None:
        self.beginResetModel()
        self.text, self.items, self.names = text, list(items), list(names)
        self.versions, self.gold = versions, gold
        self.endResetModel()

    def set_gold(self, gold: Annotation | None) -> None:
        self.gold = gold
        if self.items:
            last = self.columnCount() - 1
            self.dataChanged.emit(self.index(0, 2), self.index(len(self.items) - 1, last))

    def resolved_by(self, item: ReviewItem) -> str | None:
        """The annotator whose version gold now holds in this region, if any."""
        for name in self.names:
            if matches(self.gold, self.versions.get(name), item):
                return name
        return None

    def _describe(self, spans: Sequence[Span], item: ReviewItem) -> str:
        if not spans:
            return NO_SPAN
        parts = []
        for s in spans:
            label = f"{s.label} ({s.kind})" if s.kind else s.label
            if (s.start, s.end) != (item.start, item.end):
                # Different boundaries: show which words, which is what the reviewer decides.
                label += f" ‘{' '.join(self.text[s.start : s.end].split())}’"
            parts.append(label)
        return ", ".join(parts)

    def _tooltip(self, item: ReviewItem, col: int) -> str:
        """The cell in a sentence: the table's short words are for scanning, this for reading."""
        words = " ".join(self.text[item.start : item.end].split())
        n_names = len(self.names)
        if col == 0:
            return words
        if col == 1:
            return REASON_HELP.get(item.reason, item.reason)
        if col == 2 + n_names:
            marked = self._describe(region_spans(self.gold, item), item)
            who = self.resolved_by(item)
            agree = f"matches {who}'s version" if who else "matches no annotator's version yet"
            return f"Gold: {marked} here; it {agree}."
        name = self.names[col - 2]
        version = self.versions.get(name)
        if version is None:
            return f"{name} has not annotated this article."
        marked = self._describe(region_spans(version, item), item)
        if matches(self.gold, version, item):
            agree = "gold matches this version"
        else:
            agree = (
                f"gold differs; Alt+{col - 1} takes this version"
                if col - 1 <= MAX_VERSIONS
                else "gold differs"
            )
        return f"{name}: {marked} at ‘{words}’; {agree}."

    def rowCount(self, parent: _Index = _EMPTY) -> int:
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: _Index = _EMPTY) -> int:
        return 0 if parent.isValid() else 3 + len(self.names)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if section == 0:
                return "Text"
            if section == 1:
                return "Why"
            if section == 2 + len(self.names):
                return "Gold"
            n = section - 2
            return f"{n + 1} · {self.names[n]}" if n < MAX_VERSIONS else self.names[n]
        if role == Qt.ItemDataRole.ToolTipRole:
            if section == 1:
                return "Why the annotators disagree here: " + "; ".join(
                    f"{REASON_TEXT[r]}: {h.lower()}" for r, h in REASON_HELP.items()
                )
            if section == 2 + len(self.names):
                return "The reviewed (gold) version: what you are editing"
            if 2 <= section < 2 + len(self.names):
                n = section - 1
                return (
                    f"{self.names[n - 1]}'s version; {MATCH} and green: gold matches it here. "
                    f"Alt+{n}: take this version of the region; Ctrl+Shift+{n}: of the document"
                )
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        item, col = self.items[index.row()], index.column()
        n_names = len(self.names)
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return " ".join(self.text[item.start : item.end].split())
            if col == 1:
                return REASON_TEXT.get(item.reason, item.reason)
            if col == 2 + n_names:
                return self._describe(region_spans(self.gold, item), item)
            name = self.names[col - 2]
            version = self.versions.get(name)
            if version is None:
                return "(not annotated)"
            text = self._describe(region_spans(version, item), item)
            return f"{MATCH} {text}" if matches(self.gold, version, item) else text
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(item, col)
        if role == Qt.ItemDataRole.BackgroundRole:
            if col == 1:
                return QBrush(REASON_COLOUR.get(item.reason, QColor(0, 0, 0, 0)))
            if col == 2 + n_names and self.resolved_by(item) is not None:
                return QBrush(RESOLVED)
            if 2 <= col < 2 + n_names and matches(
                self.gold, self.versions.get(self.names[col - 2]), item
            ):
                return QBrush(RESOLVED)
        return None


# -- one annotator's version, read-only ----------------------------------------------------


class VersionView(QFrame):
    """A compact, read-only article showing one annotator's spans."""

    def __init__(self, scheme: LabelScheme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setObjectName("versionTitle")
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.view = ArticleView()
        self.view.setObjectName("versionView")
        self.view.set_scheme(scheme)
        # Keys belong to the gold article: the window's shortcuts work from anywhere,
        # but a focused read-only copy would swallow arrows and selections.
        self.view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.view.zoom(-2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addWidget(self.view, 1)
        self.annotation: Annotation | None = None

    def show_version(
        self, n: int, name: str, document: Document, omap: OffsetMap, ann: Annotation | None
    ) -> None:
        self.annotation = ann
        shortcut = f"Alt+{n}" if n <= MAX_VERSIONS else ""
        if ann is None:
            self.title.setText(f"{n} · {name} — has not annotated this article")
        else:
            status = str(ann.status).replace("_", " ")
            self.title.setText(f"{n} · {name} — {status}, {len(ann.spans)} spans   {shortcut}")
        self.view.set_text(document.text, omap)
        if ann is not None:
            self.view.set_spans(ann.spans, ann.relations)

    def show_item(self, item: ReviewItem | None) -> None:
        spans = region_spans(self.annotation, item) if item is not None else []
        self.view.clear_selection()
        if spans:
            first = spans[0]
            if first.label == "QUOTE":
                self.view.set_active_quote(first.key)
            self.view.set_current(first.key)
        else:
            self.view.set_current(None)
            if item is not None:
                # Nothing marked here: shade the range, so the eye finds what is missing.
                self.view.select_range(item.start, item.end)
        if item is not None:
            self.view.scroll_to(*self.view.omap.range_to_qt(item.start, item.end))


class ReviewPanel(QWidget):
    """The bottom of the review screen: disagreement table | the versions side by side."""

    itemChosen = Signal(int)

    def __init__(self, scheme: LabelScheme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewPanel")
        self.scheme = scheme
        self.model = DisagreementModel(self)
        self.caption = QLabel()
        self.caption.setObjectName("disagreementCaption")
        self.caption.setWordWrap(True)
        self.notes = NotesLabel()  # every annotator's note on the article, read-only
        self.table = _table(self.model, "disagreementTable")
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.clicked.connect(lambda index: self.itemChosen.emit(index.row()))
        left = QWidget()
        lay = QVBoxLayout(left)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        self.legend = QLabel(LEGEND)
        self.legend.setObjectName("disagreementLegend")
        self.legend.setWordWrap(True)
        self.legend.setStyleSheet("color: palette(placeholder-text);")
        lay.addWidget(self.notes)
        lay.addWidget(self.caption)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.legend)
        self.versions_split = QSplitter(Qt.Orientation.Horizontal)
        self.versions_split.setChildrenCollapsible(False)
        self.version_views: list[VersionView] = []
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(self.versions_split)
        # The versions in context are what decides a disagreement: they get the room.
        split.setStretchFactor(0, 4)
        split.setStretchFactor(1, 7)
        split.setSizes([560, 980])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 4)
        layout.addWidget(split)

    def set_versions(
        self,
        names: Sequence[str],
        document: Document,
        omap: OffsetMap,
        versions: dict[str, Annotation | None],
    ) -> None:
        while len(self.version_views) < min(len(names), MAX_VERSIONS):
            view = VersionView(self.scheme)
            self.version_views.append(view)
            self.versions_split.addWidget(view)
        for i, view in enumerate(self.version_views):
            view.setVisible(i < len(names))
            if i < len(names):
                view.show_version(i + 1, names[i], document, omap, versions.get(names[i]))

    def clear(self, message: str) -> None:
        self.caption.setText(message)
        self.model.set_content("", [], [], {}, None)
        for view in self.version_views:
            view.hide()

    def set_items(
        self,
        text: str,
        items: Sequence[ReviewItem],
        names: Sequence[str],
        versions: dict[str, Annotation | None],
        gold: Annotation | None,
    ) -> None:
        self.model.set_content(text, items, names, versions, gold)
        metrics = self.fontMetrics()
        width = metrics.horizontalAdvance("M" * 10)
        self.table.setColumnWidth(0, width)
        why = max(REASON_TEXT.values(), key=metrics.horizontalAdvance)
        self.table.setColumnWidth(1, metrics.horizontalAdvance(why) + 16)
        for col in range(2, 3 + len(names)):
            self.table.setColumnWidth(col, width)
        self.update_caption()

    def update_caption(self) -> None:
        items = self.model.items
        if not items:
            self.caption.setText("The annotators agree on every span of this article.")
            return
        # "Matches", not "resolved": a new gold holds the majority, which for a missed
        # span equals the annotator who missed it, before the reviewer decides anything.
        matching = sum(self.model.resolved_by(i) is not None for i in items)
        self.caption.setText(
            f"{len(items)} disagreement{'s' if len(items) != 1 else ''} (gold matches a version "
            f"in {matching}) · Tab / Shift+Tab moves · Alt+n takes annotator n's version here · "
            "Ctrl+Shift+n adopts n's whole article"
        )

    def show_item(self, row: int) -> None:
        item = self.model.items[row] if 0 <= row < len(self.model.items) else None
        if item is not None:
            _select_row(self.table, self.model.index(row, 0))
        for view in self.version_views:
            if view.isVisible():
                view.show_item(item)


def _table(model: QAbstractTableModel, name: str) -> QTableView:
    table = QTableView()
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setWordWrap(False)
    # Click to choose; keys stay with the gold article so Tab keeps meaning "next disagreement".
    table.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 6)
    return table


def _select_row(table: QTableView, index: QModelIndex) -> None:
    table.selectionModel().setCurrentIndex(
        index,
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    table.scrollTo(index)
