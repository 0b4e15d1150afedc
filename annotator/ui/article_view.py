"""The article: plain text with entity backgrounds and a quote overlay.

Performance notes (a 10,000-word article with 1,000 entities must open in well
under 50 ms): the text goes in once with ``setPlainText`` and is never
re-formatted, so the document layout is never invalidated. Entities are
``ExtraSelection`` backgrounds, cached per span so an edit rebuilds only the
changed ones. Quotes, speakers, cues, the current-span outline and the links of
the selected quote are painted over the viewport for the visible lines only.

Readability of a dense page (every suggestion shown with L): each layer has its own
kind of mark, so they never look alike and never pile up into boxes —
entities are background tints only (decided: strong, suggested: light, low
confidence: fainter still); quotes are lines only (a margin bar and an underline,
one lane each when suggestions overlap), speakers and cues get a box only once
decided. Words are never painted over text: the speaker/cue tags of the selected
quote sit in the left margin, on the line of the span they name.

Positions: the widget works in Qt positions (UTF-16 units of
``OffsetMap.display_text``); everything that leaves this module is converted back
to the stored code-point offsets through :class:`~annotator.core.offsets.OffsetMap`.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from operator import itemgetter
from typing import cast

from PySide6.QtCore import QEvent, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QFontDatabase,
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QToolTip, QWidget

from annotator.core import DEFAULT_SCHEME, LabelScheme, Layer, Origin, Relation, Span, SpanKey
from annotator.core.model import RelationLabel
from annotator.core.offsets import OffsetMap
from annotator.ui.article_overlay import (
    MARGIN_WIDTH,
    Placed,
    QuoteMargin,
    paint_current,
    paint_links,
    paint_quotes,
    quote_lanes,
)
from annotator.ui.theme import (
    FALLBACK_COLOUR,
    LOW_CONFIDENCE,
    Mark,
    mark_background,
    mark_of,
)

_qt_start = itemgetter(1)  # a Placed's Qt start


class ArticleView(QPlainTextEdit):
    """Read-only article with span marks. Emits code-point offsets only."""

    spanClicked = Signal(object)  # SpanKey
    selectionFinished = Signal()  # a mouse drag ended with some text selected

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("articleView")
        self.setReadOnly(True)
        # Keyboard selection (Shift+arrows) needs a visible cursor in a read-only editor.
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        # A scroll bar that comes and goes changes the text width, and a width change
        # lays the whole article out again: opening a long article after a short one
        # cost a second layout.
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.setUndoRedoEnabled(False)
        self.setMouseTracking(True)
        self.setCenterOnScroll(False)
        self.document().setDocumentMargin(12)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont)
        font.setPointSizeF(max(font.pointSizeF(), 10.5) + 1.5)
        self.setFont(font)
        self._base_point_size = font.pointSizeF()
        self.setViewportMargins(MARGIN_WIDTH, 0, 0, 0)
        self._margin = QuoteMargin(self, self)
        self.updateRequest.connect(self._on_update_request)
        self.verticalScrollBar().valueChanged.connect(lambda _v: self._sync_selections())

        self.scheme: LabelScheme = DEFAULT_SCHEME
        self.omap = OffsetMap("")
        self._ents: list[Placed] = []
        self._ent_ends: list[int] = []
        self._built = (0, -1)  # Qt range whose entities have selections
        self._quotes: list[Placed] = []  # QUOTE, SPEAKER, CUE, sorted by start
        self._by_key: dict[SpanKey, Placed] = {}
        self._relations: list[Relation] = []
        self._lanes: dict[SpanKey, int] = {}  # QUOTE -> lane among overlapping quotes
        self._selection_cache: dict[Span, QTextEdit.ExtraSelection] = {}
        self._formats: dict[tuple[str, Mark], QTextCharFormat] = {}
        self.current: SpanKey | None = None
        self.active_quote: SpanKey | None = None
        self.link_mode: RelationLabel | None = None
        self._press_pos: QPointF | None = None
        self._find_marks: list[tuple[int, int, QTextCharFormat]] = []  # Qt range, look

    # -- content ----------------------------------------------------------------------

    def set_scheme(self, scheme: LabelScheme) -> None:
        self.scheme = scheme
        self._forget_formats()

    def set_text(self, text: str, omap: OffsetMap | None = None) -> None:
        """Show a new article. The text is never interpreted as HTML."""
        self.omap = omap if omap is not None else OffsetMap(text, paragraph_gap=True)
        self._ents, self._quotes, self._by_key, self._relations = [], [], {}, []
        self._find_marks = []
        self._lanes = {}
        self._find_marks = []
        self._ent_ends = []
        self._built = (0, -1)
        self._selection_cache.clear()
        self.current = self.active_quote = None
        self.link_mode = None
        self.setExtraSelections([])
        self.setPlainText(self.omap.display_text)
        self.verticalScrollBar().setValue(0)

    def set_spans(self, spans: Iterable[Span], relations: Sequence[Relation]) -> None:
        """Show these spans (already filtered by the caller, e.g. low-confidence hidden)."""
        spans = list(spans)
        to_qt = self.omap.to_qt_many
        starts = to_qt([s.start for s in spans])
        ends = to_qt([s.end for s in spans])
        ents: list[Placed] = []
        quotes: list[Placed] = []
        by_key: dict[SpanKey, Placed] = {}
        ents_layer = Layer.ENTS
        new = tuple.__new__  # Placed's own __new__ is a Python function: 1,000s per open
        for span, a, b in zip(spans, starts, ends, strict=True):
            placed = new(Placed, (span, a, b))
            by_key[span.key] = placed
            (ents if span.layer == ents_layer else quotes).append(placed)
        quotes.sort(key=lambda p: (p.a, -p.b))
        # Entities never overlap, so sorted by start they are sorted by end too.
        ents.sort(key=_qt_start)
        self._ents, self._quotes, self._by_key = ents, quotes, by_key
        self._ent_ends = [p.b for p in ents]
        self._relations = list(relations)
        self._lanes = quote_lanes(quotes)
        if self.current not in by_key:
            self.current = None
        if self.active_quote not in by_key:
            self.active_quote = None
        self._apply_entity_selections()
        self._repaint_overlay()

    def spans_at(self, offset: int) -> list[Span]:
        """Spans covering code-point ``offset``, smallest first."""
        hits = [p.span for p in self._by_key.values() if p.span.start <= offset < p.span.end]
        hits.sort(key=lambda s: (s.end - s.start, s.layer != Layer.QUOTES))
        return hits

    # -- current span, active quote, selection ---------------------------------------

    def set_current(self, key: SpanKey | None, *, scroll: bool = True) -> None:
        self.current = key if key in self._by_key else None
        if self.current is not None and scroll:
            self.scroll_to(self._by_key[self.current].a, self._by_key[self.current].b)
        self._repaint_overlay()

    def set_active_quote(self, key: SpanKey | None) -> None:
        self.active_quote = key if key in self._by_key else None
        self._repaint_overlay()

    def set_link_mode(self, mode: RelationLabel | None) -> None:
        self.link_mode = mode
        self.viewport().setCursor(
            Qt.CursorShape.PointingHandCursor if mode else Qt.CursorShape.IBeamCursor
        )
        self._repaint_overlay()

    def selected_range(self) -> tuple[int, int] | None:
        """The text selection in code-point offsets, or ``None``."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        return self.omap.range_from_qt(cursor.selectionStart(), cursor.selectionEnd())

    def select_range(self, start: int, end: int) -> None:
        a, b = self.omap.range_to_qt(start, end)
        cursor = self.textCursor()
        cursor.setPosition(a)
        cursor.setPosition(b, QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)

    def clear_selection(self) -> None:
        cursor = self.textCursor()
        if cursor.hasSelection():
            cursor.clearSelection()
            self.setTextCursor(cursor)

    def scroll_to(self, a: int, b: int) -> None:
        """Bring Qt range ``[a, b)`` into view without moving the text cursor."""
        rects = self._range_rects(a, b, visible_only=False)
        if not rects:
            return
        top = min(r.top() for r in rects)
        bottom = max(r.bottom() for r in rects)
        height = self.viewport().height()
        bar = self.verticalScrollBar()
        # QPlainTextEdit scrolls by lines; find the first-visible-line delta by pixels.
        line_h = max(1.0, self.fontMetrics().lineSpacing())
        if top < 0:
            bar.setValue(bar.value() + math.floor(top / line_h) - 1)
        elif bottom > height:
            wanted = min(bottom - height, top)  # keep the start visible for long spans
            bar.setValue(bar.value() + math.ceil(wanted / line_h) + 1)

    # -- find highlights (annotator/ui/find_bar.py) ---------------------------------------

    def set_find_marks(self, marks: Sequence[tuple[int, int, QTextCharFormat]]) -> None:
        """Highlight code-point ranges ``(start, end, format)`` over the entity backgrounds
        (the find bar's matches); sorted by start, not overlapping. ``[]`` clears them."""
        to_qt = self.omap.to_qt
        self._find_marks = [(to_qt(a), to_qt(b), fmt) for a, b, fmt in marks]
        self._apply_entity_selections()

    def _find_selections(self, lo: int, hi: int) -> list[QTextEdit.ExtraSelection]:
        """Extra selections for the find marks in Qt range ``[lo, hi)``, like the entities'."""
        marks = self._find_marks
        i = max(0, bisect_right(marks, lo, key=lambda m: m[0]) - 1)
        out: list[QTextEdit.ExtraSelection] = []
        for a, b, fmt in marks[i:]:
            if a >= hi:
                break
            if b <= lo:
                continue
            sel = QTextEdit.ExtraSelection()
            cursor = QTextCursor(self.document())
            cursor.setPosition(a)
            cursor.setPosition(b, QTextCursor.MoveMode.KeepAnchor)
            sel.cursor = cursor
            sel.format = fmt
            out.append(sel)
        return out

    # -- zoom ---------------------------------------------------------------------------

    def zoom(self, steps: int) -> None:
        font = self.font()
        if steps == 0:
            size = self._base_point_size
        else:
            size = min(48.0, max(6.0, font.pointSizeF() + steps))
        font.setPointSizeF(size)
        self.setFont(font)
        self._sync_selections()
        self._repaint_overlay()

    # -- formats ------------------------------------------------------------------------

    def _forget_formats(self) -> None:
        self._formats.clear()
        self._selection_cache.clear()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._forget_formats()
            self._apply_entity_selections()
        super().changeEvent(event)

    def _colour(self, label: str) -> str:
        spec = self.scheme.get(label)
        return spec.colour if spec is not None else FALLBACK_COLOUR

    def _format(self, label: str, mark: Mark) -> QTextCharFormat:
        fmt = self._formats.get((label, mark))
        if fmt is None:
            # A tint and nothing else: underlines and boxes belong to the quote layer,
            # so a suggested entity can never be taken for a suggested quote.
            fmt = QTextCharFormat()
            fmt.setBackground(mark_background(self._colour(label), self.palette(), mark))
            self._formats[(label, mark)] = fmt
        return fmt

    def _apply_entity_selections(self) -> None:
        self._built = (0, -1)  # forget the window: spans or formats changed
        self._sync_selections()

    def _sync_selections(self) -> None:
        """Give Qt selections only for entities on and around the screen.

        ``QPlainTextEdit.setExtraSelections`` costs ~25 µs per selection (it repaints
        each one's block), so 1,000 spans would take 25 ms; the window around the
        screen holds a few dozen and is rebuilt only when scrolling leaves it.
        """
        first, last = self._visible_qt_range()
        lo_built, hi_built = self._built
        if lo_built <= first and last <= hi_built:
            return
        # A quarter screen of slack each way: selections outside the viewport force Qt
        # to lay out their paragraphs, which is most of the cost.
        slack = max((last - first) // 4, 200)
        lo, hi = max(0, first - slack), last + slack
        i = bisect_right(self._ent_ends, lo)
        cache = self._selection_cache
        fresh: dict[Span, QTextEdit.ExtraSelection] = {}
        doc = self.document()
        for placed in self._ents[i:]:
            if placed.a >= hi:
                break
            sel = cache.get(placed.span)
            if sel is None:
                sel = QTextEdit.ExtraSelection()
                cursor = QTextCursor(doc)
                cursor.setPosition(placed.a)
                cursor.setPosition(placed.b, QTextCursor.MoveMode.KeepAnchor)
                sel.cursor = cursor
                sel.format = self._format(placed.span.label, mark_of(placed.span))
            fresh[placed.span] = sel
        self._selection_cache = fresh
        self._built = (lo, hi)
        self.setExtraSelections([*fresh.values(), *self._find_selections(lo, hi)])

    # -- geometry -----------------------------------------------------------------------

    def _range_rects(self, a: int, b: int, *, visible_only: bool = True) -> list[QRectF]:
        """One rectangle per laid-out line fragment of Qt range ``[a, b)``, viewport coords."""
        doc = self.document()
        block = doc.findBlock(a)
        offset = self.contentOffset()
        height = self.viewport().height()
        rects: list[QRectF] = []
        while block.isValid() and block.position() < b:
            geo = self.blockBoundingGeometry(block).translated(offset)
            if visible_only and geo.top() > height:
                break
            if not visible_only or geo.bottom() >= 0:
                layout = block.layout()
                base = block.position()
                lo = max(a - base, 0)
                hi = min(b - base, block.length() - 1)
                origin = geo.topLeft() + layout.position()
                # Only the lines that hold the range (paragraphs can have dozens of lines).
                first_line = layout.lineForTextPosition(lo).lineNumber()
                last_line = layout.lineForTextPosition(hi).lineNumber()
                if first_line < 0 or last_line < 0:
                    first_line, last_line = 0, layout.lineCount() - 1
                for i in range(first_line, last_line + 1):
                    line = layout.lineAt(i)
                    ls = line.textStart()
                    le = ls + line.textLength()
                    s, e = max(lo, ls), min(hi, le)
                    if s >= e:
                        continue
                    # PySide6 types the (x, position) pair it returns as object
                    x1 = cast(tuple[float, int], line.cursorToX(s))[0]
                    x2 = cast(tuple[float, int], line.cursorToX(e))[0]
                    rects.append(
                        QRectF(
                            origin.x() + min(x1, x2),
                            origin.y() + line.y(),
                            abs(x2 - x1),
                            line.height(),
                        )
                    )
            block = block.next()
        return rects

    def _visible_qt_range(self) -> tuple[int, int]:
        top = self.cursorForPosition(self.viewport().rect().topLeft()).position()
        bottom = self.cursorForPosition(self.viewport().rect().bottomRight()).position()
        return top, bottom

    # -- painting -----------------------------------------------------------------------

    def _repaint_overlay(self) -> None:
        self.viewport().update()
        self._margin.update()

    def _on_update_request(self, rect: QRect, dy: int) -> None:
        if dy:
            self._margin.scroll(0, dy)
        self._margin.update(0, rect.y(), self._margin.width(), rect.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        cr = self.contentsRect()
        self._margin.setGeometry(QRect(cr.left(), cr.top(), MARGIN_WIDTH, cr.height()))
        self._sync_selections()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._by_key:
            return
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        try:
            paint_quotes(self, painter)
            paint_links(self, painter)
            paint_current(self, painter)
        finally:
            painter.end()

    def _visible_quotes(self) -> list[Placed]:
        first, last = self._visible_qt_range()
        return [p for p in self._quotes if p.b >= first and p.a <= last + 1]

    def _linked_to_active(self) -> set[SpanKey]:
        if self.active_quote is None:
            return set()
        return {r.child for r in self._relations if r.head == self.active_quote}

    # -- mouse and hover ----------------------------------------------------------------

    def offset_at(self, point: QPointF) -> int | None:
        """Code-point offset of the character under ``point`` (viewport coords), if any."""
        pos = self.cursorForPosition(point.toPoint()).position()
        for candidate in (pos, pos - 1):
            if candidate < 0 or candidate >= self.omap.qt_length:
                continue
            for r in self._range_rects(candidate, candidate + 1):
                if r.adjusted(-1, 0, 1, 0).contains(point):
                    return self.omap.from_qt(candidate)
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._press_pos = event.position()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        press, self._press_pos = self._press_pos, None
        if event.button() != Qt.MouseButton.LeftButton:
            return
        moved = press is not None and (event.position() - press).manhattanLength() > 3
        if self.textCursor().hasSelection() and moved:
            self.selectionFinished.emit()
            return
        offset = self.offset_at(event.position())
        if offset is None:
            return
        hits = self.spans_at(offset)
        if hits:
            self.clear_selection()
            # Clicking again on the current span cycles through overlapping spans.
            keys = [s.key for s in hits]
            nxt = (
                keys[(keys.index(self.current) + 1) % len(keys)]
                if self.current in keys
                else keys[0]
            )
            self.spanClicked.emit(nxt)

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            offset = self.offset_at(QPointF(event.pos()))
            hits = self.spans_at(offset) if offset is not None else []
            if hits:
                QToolTip.showText(event.globalPos(), self._tooltip(hits), self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def _tooltip(self, spans: list[Span]) -> str:
        from html import escape

        text = self.omap.text
        parts = []
        for span in spans:
            lines = [f"<b>{escape(span.label)}</b> · {escape(origin_text(span))}"]
            if span.kind is not None:
                lines[0] += f" · {escape(str(span.kind))}"
            snippet = span.text(text)
            if len(snippet) > 80:
                snippet = snippet[:77] + "…"
            lines.append(f"<i>{escape(snippet)}</i>")
            if span.label == "QUOTE":
                for rel in self._relations:
                    if rel.head == span.key:
                        child = text[rel.child.start : rel.child.end]
                        lines.append(f"{escape(str(rel.label))}: {escape(child)}")
            parts.append("<br>".join(lines))
        return "<hr>".join(parts)


def origin_text(span: Span) -> str:
    """Where a span comes from, in words: a score only where the pipeline gave one,
    and a learned suggestion named as such (the annotator's own labels, not a model)."""
    if span.origin != Origin.SUGGESTED:
        return str(span.origin)
    parts = ["suggested"]
    if span.learned_from:
        n = span.learned_from
        parts.append(f"learned from {n} of your label{'s' if n != 1 else ''}")
    if span.confidence is not None:
        low = " (low)" if span.confidence < LOW_CONFIDENCE else ""
        parts.append(f"confidence {span.confidence:.2f}{low}")
    return " · ".join(parts)
