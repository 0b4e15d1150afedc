"""The document list: a table model that pages through the project, never the whole corpus.

Rows are fetched 200 at a time through ``Project.list_documents`` when the view
scrolls near the end (``canFetchMore`` / ``fetchMore``). A filter (status, text
search) resets the model and starts paging again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Protocol, cast

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.app.queue_order import QueueOrder, disagreement_order
from annotator.core import AnnotationStatus

if TYPE_CHECKING:
    from annotator.app.project import DocumentRow
    from annotator.app.queue_order import OrderHost

_Index = QModelIndex | QPersistentModelIndex
_EMPTY = QModelIndex()
PAGE = 200

STATUS_TEXT = {
    AnnotationStatus.TODO: "to do",
    AnnotationStatus.IN_PROGRESS: "started",
    AnnotationStatus.DONE: "✓ done",
    AnnotationStatus.SKIPPED: "skipped",
}
STATUS_COLOUR = {
    AnnotationStatus.DONE: QColor("#009E73"),
    AnnotationStatus.SKIPPED: QColor("#999999"),
    AnnotationStatus.IN_PROGRESS: QColor("#0072B2"),
}


_OPEN = (AnnotationStatus.TODO, AnnotationStatus.IN_PROGRESS)
ORDERS = (("Document order", None), ("Disagreement first", "disagreement"))
ORDER_TIP = (
    "Disagreement first: articles where the model's and the rules' suggestions "
    "disagree most (1 − overlap F1) come first, and Enter goes to the next of them"
)
# (the work, what to do with its result on the UI thread)
RunAside = Callable[[Callable[[], QueueOrder], Callable[[QueueOrder], None]], None]


class DocumentSource(Protocol):
    """What the model needs of the project (the facade, or a fake in tests)."""

    def count_documents(
        self,
        annotator: str | None = None,
        *,
        status: AnnotationStatus | None = None,
        search: str | None = None,
    ) -> int: ...

    def list_documents(
        self,
        annotator: str,
        *,
        offset: int = 0,
        limit: int = 200,
        status: AnnotationStatus | None = None,
        search: str | None = None,
        after_id: int | None = None,
    ) -> list[DocumentRow]: ...


class DocumentListModel(QAbstractTableModel):
    COLUMNS = ("Document", "Status", "Spans")

    def __init__(self, source: DocumentSource, annotator: str, parent: QObject | None = None):
        super().__init__(parent)
        self._source = source
        self._annotator = annotator
        self._rows: list[DocumentRow] = []
        self._row_of: dict[int, int] = {}
        # Documents whose annotation this window has seen: their span count is known even
        # when it is 0. A listed "to do" row with 0 spans usually has no annotation yet
        # (its suggestions are merged when it is first opened), so 0 would mislead.
        self._counted: set[int] = set()
        self._total = 0
        self.status: AnnotationStatus | None = None
        self.search: str | None = None
        # active learning order (app/queue_order.py); None: document order, paged
        self.order: QueueOrder | None = None
        self.refresh()

    # -- filtering and paging -----------------------------------------------------------

    def set_filter(self, status: AnnotationStatus | None, search: str | None) -> None:
        self.status = status
        self.search = search or None
        self.refresh()

    def set_order(self, order: QueueOrder | None) -> None:
        self.order = order
        self.refresh()

    def refresh(self) -> None:
        self.beginResetModel()
        self._total = self._source.count_documents(
            self._annotator, status=self.status, search=self.search
        )
        self._rows = []
        self._row_of = {}
        self._load_page()
        if self.order is not None:
            # ranked rows can't be keyset-paged: every listed row is read, then sorted
            while len(self._rows) < self._total and self._load_page():
                pass
            rank = {doc_id: i for i, doc_id in enumerate(self.order.ids)}
            self._rows.sort(key=lambda r: (rank.get(r.id, len(rank)), r.id))
            self._row_of = {r.id: i for i, r in enumerate(self._rows)}
            self._total = len(self._rows)
        self.endResetModel()

    def _load_page(self) -> list[DocumentRow]:
        page = self._source.list_documents(
            self._annotator,
            limit=PAGE,
            status=self.status,
            search=self.search,
            after_id=self._last_id(),
        )
        for row in page:
            self._row_of[row.id] = len(self._rows)
            self._rows.append(row)
        if len(page) < PAGE:
            self._total = len(self._rows)  # the corpus shrank under us: stop paging
        return page

    def _last_id(self) -> int | None:
        return self._rows[-1].id if self._rows else None

    @property
    def total(self) -> int:
        return self._total

    def canFetchMore(self, parent: _Index = _EMPTY) -> bool:
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: _Index = _EMPTY) -> None:
        if parent.isValid() or len(self._rows) >= self._total:
            return
        first = len(self._rows)
        # keyset paging: a page deep in a 100,000-article list costs what the first does
        page = self._source.list_documents(
            self._annotator,
            limit=PAGE,
            status=self.status,
            search=self.search,
            after_id=self._last_id(),
        )
        if not page:
            self._total = first
            return
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        for row in page:
            self._row_of[row.id] = len(self._rows)
            self._rows.append(row)
        self.endInsertRows()

    def row_of(self, doc_id: int, *, fetch_up_to: int = 20) -> int | None:
        """Row of a document, paging forward a limited number of times to find it."""
        for _ in range(fetch_up_to):
            row = self._row_of.get(doc_id)
            if row is not None:
                return row
            if not self.canFetchMore() or (self._rows and self._rows[-1].id > doc_id):
                return None
            self.fetchMore()
        return self._row_of.get(doc_id)

    def status_of(self, doc_id: int) -> AnnotationStatus | None:
        """The listed status of a loaded row (no query), else None."""
        row = self._row_of.get(doc_id)
        return AnnotationStatus(self._rows[row].status) if row is not None else None

    def doc_id(self, row: int) -> int | None:
        return self._rows[row].id if 0 <= row < len(self._rows) else None

    def next_unfinished(self, after: int | None) -> int | None:
        """In a ranked order, the next listed row not done or skipped after ``after``
        (then from the top); None in document order, or when every row is finished."""
        if self.order is None:
            return None
        start = self._row_of.get(after, -1) + 1 if after is not None else 0
        n = len(self._rows)
        for k in range(n):
            row = self._rows[(start + k) % n]
            if row.id != after and AnnotationStatus(row.status) in _OPEN:
                return row.id
        return None

    def update_document(self, doc_id: int, *, status: AnnotationStatus, n_spans: int) -> None:
        """Show a changed status / span count in place (without re-querying or re-filtering)."""
        row = self._row_of.get(doc_id)
        if row is None:
            return
        self._rows[row] = replace(self._rows[row], status=status, n_spans=n_spans)
        self._counted.add(doc_id)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.COLUMNS) - 1))

    # -- Qt model -----------------------------------------------------------------------

    def rowCount(self, parent: _Index = _EMPTY) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = _EMPTY) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        col = index.column()
        status = AnnotationStatus(row.status)
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return " ".join((row.title or row.external_id or f"#{row.id}").split())
            if col == 1:
                return STATUS_TEXT[status]
            if col == 2:
                return row.n_spans if self._count_known(row) else ""
        elif role == Qt.ItemDataRole.ToolTipRole and col == 0:
            tip = f"{row.external_id or '#' + str(row.id)}\n{row.title}"
            score = self.order.scores.get(row.id) if self.order is not None else None
            return tip if score is None else f"{tip}\nmodel vs rules disagreement {score:.2f}"
        elif role == Qt.ItemDataRole.ToolTipRole and col == 2:
            if self._count_known(row):
                return f"{row.n_spans} spans in your version"
            return "Not opened yet: its suggestions are shown when you open it"
        elif role == Qt.ItemDataRole.ForegroundRole and col == 1 and status in STATUS_COLOUR:
            return QBrush(STATUS_COLOUR[status])
        elif role == Qt.ItemDataRole.TextAlignmentRole and col == 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        elif role == Qt.ItemDataRole.UserRole:
            return row.id
        return None

    def _count_known(self, row: DocumentRow) -> bool:
        status = AnnotationStatus(row.status)
        return bool(row.n_spans) or status != AnnotationStatus.TODO or row.id in self._counted


class _KeepKeys(QObject):
    """Keeps Return/Tab/Esc inside a widget instead of firing the window's actions."""

    def __init__(
        self,
        parent: QObject,
        keys: set[Qt.Key],
        on_return: Callable[[], object] | None = None,
        on_escape: Callable[[], object] | None = None,
    ) -> None:
        super().__init__(parent)
        self._keys = keys
        self._on_return = on_return
        self._on_escape = on_escape

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.key() in self._keys
            and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        ):
            event.accept()
            return True
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and self._on_return is not None
        ):
            self._on_return()
            return True
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
            and self._on_escape is not None
        ):
            self._on_escape()
            return True
        return False


class DocumentList(QWidget):
    """Filter bar plus table. Emits the id of the document the user picked."""

    documentChosen = Signal(int)
    searchLeft = Signal()  # Esc in the search box: the keyboard goes back to the article
    orderApplied = Signal()  # the list is in the chosen ranked order now

    def __init__(self, source: DocumentSource, annotator: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("documentList")
        self.model = DocumentListModel(source, annotator, self)
        self.status_box = QComboBox()
        self.status_box.addItem("All", None)
        for status in AnnotationStatus:
            self.status_box.addItem(STATUS_TEXT[status].lstrip("✓ ").capitalize(), status)
        self.status_box.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.order_box = QComboBox()
        self.order_box.setObjectName("documentOrder")
        for text, key in ORDERS:
            self.order_box.addItem(text, key)
        self.order_box.setToolTip(ORDER_TIP)
        self.order_box.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self._source = source
        self.run_aside: RunAside | None = None  # the window sets it to its database lane
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search text…")
        self.search.setClearButtonEnabled(True)
        self.search.setToolTip("Search the documents' text and names; Esc returns to the article")
        # Reached by click or the "find document" key only, never by Tab or by the window's
        # first focus: typing meant for the article (A, X, digits) must not land here.
        self.search.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.table = QTableView()
        self.table.setObjectName("documentTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        # Fixed widths: ResizeToContents would ask every loaded row on each change.
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        metrics = self.fontMetrics()
        for col, sample in ((1, "✓ started_"), (2, "Spans_")):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            self.table.setColumnWidth(col, metrics.horizontalAdvance(sample) + 12)

        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.status_box)
        # its own row: beside the search box it squeezed the search in a 300 px dock
        order_bar = QHBoxLayout()
        order_bar.setContentsMargins(0, 0, 0, 0)
        order_label = QLabel("Order:")
        order_label.setBuddy(self.order_box)
        order_bar.addWidget(order_label)
        order_bar.addWidget(self.order_box, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addLayout(order_bar)
        layout.addWidget(self.table, 1)

        # Typing in the search box must not trigger the window's single-key actions' Enter/Tab.
        keep = {
            Qt.Key.Key_Return,
            Qt.Key.Key_Enter,
            Qt.Key.Key_Tab,
            Qt.Key.Key_Backtab,
            Qt.Key.Key_Escape,
        }
        self.search.installEventFilter(_KeepKeys(self.search, keep, on_escape=self.searchLeft.emit))
        self.table.installEventFilter(
            _KeepKeys(self.table, {Qt.Key.Key_Return, Qt.Key.Key_Enter}, self._open_selected)
        )
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self._apply_filter)
        self.search.textChanged.connect(lambda _text: self._debounce.start())
        self.status_box.currentIndexChanged.connect(lambda _i: self._apply_filter())
        self.order_box.currentIndexChanged.connect(lambda _i: self.apply_order())
        self.table.clicked.connect(self._on_clicked)
        self._selecting = False

    def _apply_filter(self) -> None:
        self._debounce.stop()
        self.model.set_filter(self.status_box.currentData(), self.search.text().strip())

    def apply_order(self) -> None:
        """The chosen order, computed afresh from the stored suggestion sets: aside
        (``run_aside``, the window's database lane) when given, since reading both
        sets takes seconds on a few thousand articles."""
        if self.order_box.currentData() is None:
            self.model.set_order(None)
            return
        # the facade: DocumentSource is the part the list itself pages through
        host = cast("OrderHost", self._source)

        def ranked(order: QueueOrder) -> None:
            self.order_box.setToolTip(ORDER_TIP)
            if self.order_box.currentData() is not None:  # not switched back meanwhile
                self.model.set_order(order)
                self.orderApplied.emit()

        if self.run_aside is None:
            ranked(disagreement_order(host))
        else:
            self.order_box.setToolTip("Ranking the articles…")
            self.run_aside(lambda: disagreement_order(host), ranked)

    def _on_clicked(self, index: QModelIndex) -> None:
        doc_id = self.model.doc_id(index.row())
        if doc_id is not None and not self._selecting:
            self.documentChosen.emit(doc_id)

    def _open_selected(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self._on_clicked(index)

    def select_document(self, doc_id: int) -> None:
        """Highlight the open document, paging the list forward if needed (no signal)."""
        row = self.model.row_of(doc_id)
        self._selecting = True
        try:
            if row is None:
                self.table.clearSelection()
                return
            index = self.model.index(row, 0)
            self.table.selectionModel().setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.table.scrollTo(index)
        finally:
            self._selecting = False

    def adjacent(self, doc_id: int, step: int) -> int | None:
        row = self.model.row_of(doc_id)
        if row is None:
            return None
        target = row + step
        if target >= self.model.rowCount() and self.model.canFetchMore():
            self.model.fetchMore()
        return self.model.doc_id(target)
