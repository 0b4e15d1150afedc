"""The spans of the open document: a table model over the annotation and its view."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QModelRoleData,
    QModelRoleDataSpan,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QPalette
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from annotator.core import DEFAULT_SCHEME, LabelScheme, Origin, Relation, Span, SpanKey
from annotator.core.model import RelationLabel
from annotator.core.operations import spans_sorted
from annotator.ui.theme import FALLBACK_COLOUR, span_background

_Index = QModelIndex | QPersistentModelIndex
_EMPTY = QModelIndex()
_MAX_TEXT = 90
_ANSWERED = frozenset(
    {
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.BackgroundRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.FontRole,
        Qt.ItemDataRole.UserRole,
    }
)
# multiData compares its roles as plain ints
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_USER = int(Qt.ItemDataRole.UserRole)
# the Origin column's grey (or link-coloured) text and italic font
_ORIGIN_ROLES = frozenset({int(Qt.ItemDataRole.ForegroundRole), int(Qt.ItemDataRole.FontRole)})

# Marks every common font has (DejaVu Sans included): "✋" (U+270B) is in none of the
# default Linux fonts and showed as a missing-glyph box.
ORIGIN_MARK = {
    Origin.SUGGESTED: "sugg.",
    Origin.ACCEPTED: "✓ accepted",
    Origin.EDITED: "✎ edited",
    Origin.MANUAL: "✍ manual",
}
LEARNED_MARK = "learned ×{n}"  # a suggestion found from n of the annotator's own labels


def origin_mark(span: Span) -> str:
    """The Origin column: a suggestion's real score if it has one, "learned ×n" for one
    found from the annotator's own labels, and no number otherwise."""
    if span.origin != Origin.SUGGESTED:
        return ORIGIN_MARK[span.origin]
    if span.learned_from:
        return LEARNED_MARK.format(n=span.learned_from)
    if span.confidence is not None:
        return f"sugg. {span.confidence:.2f}"
    return ORIGIN_MARK[Origin.SUGGESTED]


class SpanTableModel(QAbstractTableModel):
    COLUMNS = ("Text", "Label", "Origin", "Speaker / kind")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text = ""
        self._spans: list[Span] = []
        self._rows: dict[SpanKey, int] = {}
        self._speaker: dict[SpanKey, str] = {}
        self._cue: dict[SpanKey, str] = {}
        self.scheme: LabelScheme = DEFAULT_SCHEME
        self._referents: dict[SpanKey, str] = {}
        self._brushes: dict[tuple[str, bool], QBrush] = {}
        self._brush_stamp: tuple[int, int] = (0, 0)

    def set_spans(
        self,
        text: str,
        spans: Sequence[Span],
        relations: Sequence[Relation],
        referents: dict[SpanKey, SpanKey] | None = None,
        *,
        presorted: bool = False,
    ) -> None:
        """``referents``: pronoun speakers and the entity they likely mean (shown "he → X");
        ``presorted``: ``spans`` are in ``spans_sorted`` order already (not sorted again)."""
        self.beginResetModel()
        self._text = text
        self._referents = {k: text[v.start : v.end] for k, v in (referents or {}).items()}
        self._spans = list(spans) if presorted else spans_sorted(spans)
        self._rows = {s.key: i for i, s in enumerate(self._spans)}
        self._speaker = {}
        self._cue = {}
        for rel in relations:
            child = text[rel.child.start : rel.child.end]
            if rel.label == RelationLabel.SPEAKER:
                referent = self._referents.get(rel.child)
                self._speaker[rel.head] = f"{child} → {referent}" if referent else child
            else:
                self._cue[rel.head] = child
        self.endResetModel()

    def span_at(self, row: int) -> Span | None:
        return self._spans[row] if 0 <= row < len(self._spans) else None

    def row_of(self, key: SpanKey | None) -> int | None:
        return self._rows.get(key) if key is not None else None

    def rowCount(self, parent: _Index = _EMPTY) -> int:
        return 0 if parent.isValid() else len(self._spans)

    def columnCount(self, parent: _Index = _EMPTY) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        # Each paint asks every visible cell for about ten roles; most have no answer.
        if role not in _ANSWERED or not index.isValid():
            return None
        row = index.row()
        if not 0 <= row < len(self._spans):
            return None
        return self._value(self._spans[row], index.column(), role)

    def multiData(self, index: _Index, roleDataSpan: QModelRoleDataSpan | QModelRoleData) -> None:
        # The item delegate asks each painted cell for seven roles in one multiData
        # call: answered here in one Python call instead of seven calls of data(),
        # the roles compared as plain ints (enum members cost a lookup each), and the
        # roles a paint asks for answered inline (through _value, the 92 cells of a
        # first paint took 5.8 ms; the span table's paint was a quarter of an open).
        row = index.row()
        span = self._spans[row] if index.isValid() and 0 <= row < len(self._spans) else None
        slots = cast(
            Sequence[QModelRoleData],
            (roleDataSpan,) if isinstance(roleDataSpan, QModelRoleData) else roleDataSpan,
        )
        if span is None:
            for slot in slots:
                slot.clearData()
            return
        col = index.column()
        for slot in slots:
            role = slot.role()
            if role == _DISPLAY:
                slot.setData(self._display(span, col))
            elif col == 1 and role == _BACKGROUND:
                slot.setData(self._label_brush(span.label, span.origin == Origin.SUGGESTED))
            elif col == 2 and role in _ORIGIN_ROLES:
                value = self._value(span, col, role)
                if value is None:
                    slot.clearData()
                else:
                    slot.setData(value)
            elif role in (_USER, _TOOLTIP):
                slot.setData(self._value(span, col, role))
            else:
                slot.clearData()  # no answer, in this column or at all

    def _display(self, span: Span, col: int) -> str:
        if col == 0:
            snippet = " ".join(span.text(self._text).split())
            return snippet if len(snippet) <= _MAX_TEXT else snippet[: _MAX_TEXT - 1] + "…"
        if col == 1:
            return span.label
        if col == 2:
            return origin_mark(span)
        if span.label != "QUOTE":
            return ""
        speaker = self._speaker.get(span.key, "—")
        kind = str(span.kind) if span.kind else "?"
        return f"{speaker} ({kind})"

    def _value(self, span: Span, col: int, role: int) -> object:
        if role == _DISPLAY:
            return self._display(span, col)
        if role == _TOOLTIP:
            tip = span.text(self._text)
            if col == 2 and span.origin == Origin.SUGGESTED:
                tip += "\n\n" + _suggestion_tip(span, tip)
            if span.label == "QUOTE":
                tip += (
                    f"\n\nspeaker: {self._speaker.get(span.key, '—')}"
                    f"\ncue: {self._cue.get(span.key, '—')}"
                )
            return tip
        elif role == _BACKGROUND and col == 1:
            return self._label_brush(span.label, span.origin == Origin.SUGGESTED)
        elif (
            role == Qt.ItemDataRole.ForegroundRole and col == 2 and span.origin == Origin.SUGGESTED
        ):
            # grey for the pipeline's suggestions; learned ones in the link colour, so
            # they do not read as one more model score
            if span.learned_from:
                from PySide6.QtWidgets import QApplication

                return QBrush(QApplication.palette().color(QPalette.ColorRole.Link))
            return QBrush(QColor(128, 128, 128))
        elif role == Qt.ItemDataRole.FontRole and col == 2 and span.learned_from:
            font = QFont()
            font.setItalic(True)
            return font
        elif role == _USER:
            return span.key
        return None

    def _label_brush(self, label: str, suggested: bool) -> QBrush:
        """The Label cell's tint; one brush per label and look for as long as the scheme
        and the palette stay (the table asks for it on every paint of every row)."""
        from PySide6.QtWidgets import QApplication

        palette = QApplication.palette()
        stamp = (id(self.scheme), palette.cacheKey())
        if stamp != self._brush_stamp:
            self._brushes.clear()
            self._brush_stamp = stamp
        brush = self._brushes.get((label, suggested))
        if brush is None:
            spec = self.scheme.get(label)
            colour = spec.colour if spec else FALLBACK_COLOUR
            brush = QBrush(span_background(colour, palette, suggested=suggested))
            self._brushes[(label, suggested)] = brush
        return brush


def _suggestion_tip(span: Span, text: str) -> str:
    if span.learned_from:
        n = span.learned_from
        return (
            f"Learned from {n} of your label{'s' if n != 1 else ''}: you marked "
            f"\u201c{text}\u201d as {span.label} before. Not a model score; "
            "switch off with \u201cSuggest from my labels\u201d."
        )
    if span.confidence is not None:
        return f"Suggested by the pipeline, confidence {span.confidence:.2f}."
    return "Suggested by the pipeline, which gives no score for it."


class SpanTable(QTableView):
    """Clicking a row makes that span current; the current span's row follows the article."""

    spanActivated = Signal(object)  # SpanKey

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("spanTable")
        self.span_model = SpanTableModel(self)
        self.setModel(self.span_model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.verticalHeader().setVisible(False)
        # the columns keep their widths whether or not the list needs scrolling
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        # Every row is one line: a Fixed header never asks rows for their size hints,
        # which was a third of the table's first paint on a 1,000-span article.
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        # Fixed widths, not ResizeToContents: that asks every row for its size on each
        # reset (25,000 data() calls and ~0.4 s for a 1,000-span article).
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        metrics = self.fontMetrics()
        for col, sample in (
            (1, "SPEAKER_"),
            (2, "learned ×10_"),
            (3, "Ryabkov (direct)"),
        ):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            self.setColumnWidth(col, metrics.horizontalAdvance(sample) + 12)
        self.clicked.connect(self._on_clicked)
        self._syncing = False

    def _on_clicked(self, index: QModelIndex) -> None:
        span = self.span_model.span_at(index.row())
        if span is not None and not self._syncing:
            self.spanActivated.emit(span.key)

    def show_current(self, key: SpanKey | None) -> None:
        row = self.span_model.row_of(key)
        self._syncing = True
        try:
            if row is None:
                self.clearSelection()
                return
            index = self.span_model.index(row, 0)
            self.selectionModel().setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.scrollTo(index)
        finally:
            self._syncing = False
