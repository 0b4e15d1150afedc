"""The quote overlay of the article view: lines, boxes, links and margin bars
painted over the text for the visible lines only (the entity tints are the view's
extra selections). Drawn from what :class:`OverlayView` exposes, so the painting
can be read, and changed, apart from the widget."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple, Protocol

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QWidget

from annotator.core import Relation, Span, SpanKey
from annotator.core.model import RelationLabel
from annotator.ui.theme import Mark, mark_colour, mark_of, text_on

# px, left of the text: relation tags of the selected quote, then one bar per quote
# lane (overlapping quotes side by side)
MARGIN_WIDTH = 34
_TAG_WIDTH = 11  # one "S" / "C" tag
_BAR_RIGHT = MARGIN_WIDTH - 3  # right edge of lane 0's bar
_LANE_STEP = 5  # px between the bars of overlapping quotes
_MAX_LANE = 1  # deeper overlaps share the last lane
# Quote-layer strokes by state: (line width, alpha); suggestions thin and faint.
_QUOTE_LINE = {Mark.DECIDED: (2.0, 1.0), Mark.SUGGESTED: (1.5, 0.8), Mark.LOW: (1.3, 0.6)}
_BAR = {Mark.DECIDED: (4, 1.0), Mark.SUGGESTED: (3, 0.6), Mark.LOW: (2, 0.4)}
_RELATION_TAG = {RelationLabel.SPEAKER: "S", RelationLabel.CUE: "C"}


class Placed(NamedTuple):
    """A span with its Qt positions, converted once per document (a tuple: an
    article's thousand spans are placed on every open)."""

    span: Span
    a: int
    b: int


class OverlayView(Protocol):
    """What the painters read from the article view."""

    _by_key: dict[SpanKey, Placed]
    _relations: list[Relation]
    _lanes: dict[SpanKey, int]
    current: SpanKey | None
    active_quote: SpanKey | None
    link_mode: RelationLabel | None

    def _range_rects(self, a: int, b: int, *, visible_only: bool = True) -> list[QRectF]: ...
    def _colour(self, label: str) -> str: ...
    def _visible_quotes(self) -> list[Placed]: ...
    def _linked_to_active(self) -> set[SpanKey]: ...
    def palette(self) -> QPalette: ...
    def font(self) -> QFont: ...


def _stroke(view: OverlayView, label: str, mark: Mark, *, emphasised: bool = False) -> QPen:
    width, alpha = _QUOTE_LINE[mark]
    colour = mark_colour(view._colour(label), view.palette())
    if emphasised:
        width, alpha = max(width, 2.0) + 1.0, 1.0
    colour.setAlphaF(alpha)
    pen = QPen(colour, width)
    if mark == Mark.LOW and not emphasised:
        pen.setStyle(Qt.PenStyle.DotLine)
    pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    return pen


def paint_quotes(view: OverlayView, painter: QPainter) -> None:
    """Quote-layer marks: lines, never tints over the text, so entities stay legible.

    QUOTE: an underline (a lane higher per overlapping quote). SPEAKER / CUE: a
    box once decided (rounded / square), an underline while suggested. The
    selected quote gets a faint tint, and the speaker and cue linked to it a tint
    and a box whatever their state."""
    linked = view._linked_to_active()
    for placed in view._visible_quotes():
        span = placed.span
        mark = mark_of(span)
        rects = view._range_rects(placed.a, placed.b)
        if not rects:
            continue
        colour = mark_colour(view._colour(span.label), view.palette())
        if span.label == "QUOTE":
            active = span.key == view.active_quote
            if active:
                tint = QColor(colour)
                tint.setAlphaF(0.12)
                for r in rects:
                    painter.fillRect(r, tint)
            painter.setPen(_stroke(view, span.label, mark, emphasised=active))
            lift = 2.5 * min(view._lanes.get(span.key, 0), _MAX_LANE)
            for r in rects:
                y = r.bottom() - 1.0 - lift
                painter.drawLine(QPointF(r.left(), y), QPointF(r.right(), y))
            continue
        emphasised = span.key in linked
        if emphasised:
            fill = QColor(colour)
            fill.setAlphaF(0.20)
            for r in rects:
                painter.fillRect(r.adjusted(-1, 0, 1, 0), fill)
        if mark == Mark.DECIDED or emphasised:
            painter.setPen(QPen(colour, 2.0 if emphasised else 1.4))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            for r in rects:
                box = r.adjusted(-1.5, 0.5, 1.5, -0.5)
                if span.label == "SPEAKER":
                    painter.drawRoundedRect(box, 4, 4)
                else:
                    painter.drawRect(box)
        else:
            painter.setPen(_stroke(view, span.label, mark))
            for r in rects:
                y = r.bottom() - 1.0
                painter.drawLine(QPointF(r.left(), y), QPointF(r.right(), y))


def _active_links(view: OverlayView) -> list[tuple[Relation, Placed]]:
    """The selected quote's relations whose speaker / cue is shown."""
    if view.active_quote is None or view.active_quote not in view._by_key:
        return []
    out = []
    for rel in view._relations:
        if rel.head == view.active_quote:
            child = view._by_key.get(rel.child)
            if child is not None:
                out.append((rel, child))
    return out


def paint_links(view: OverlayView, painter: QPainter) -> None:
    """Thin curves from the selected quote to its speaker and cue.

    A curve rises only into the gap above its line, not across the line above;
    what it means is said by the tag in the margin (see ``_paint_tags``)."""
    links = _active_links(view)
    if not links or view.active_quote is None:
        return
    head = view._by_key[view.active_quote]
    head_rects = view._range_rects(head.a, head.b, visible_only=False)
    if not head_rects:
        return
    gap = 2.5  # px: the hump of a same-line link stays in the leading above it
    for _rel, child in links:
        child_rects = view._range_rects(child.a, child.b, visible_only=False)
        if not child_rects:
            continue
        target = child_rects[0]
        # Start from the quote fragment nearest to the target.
        source = min(head_rects, key=lambda r: abs(r.center().y() - target.center().y()))
        x = min(max(target.center().x(), source.left()), source.right())
        if target.bottom() <= source.top() + 1:
            # the target is above: from the quote's top to the target's bottom, an
            # S-curve that stays in the gaps between lines
            start, end = QPointF(x, source.top()), QPointF(target.center().x(), target.bottom())
        elif target.top() >= source.bottom() - 1:
            start, end = QPointF(x, source.bottom()), QPointF(target.center().x(), target.top())
        else:
            start, end = QPointF(x, source.top()), QPointF(target.center().x(), target.top())
        path = QPainterPath(start)
        if abs(start.y() - end.y()) < 1:
            # the same line: a low hump in the gap above it
            if abs(start.x() - end.x()) < 1:
                start = QPointF(source.left(), source.top())
                path = QPainterPath(start)
            top = start.y() - gap
            path.cubicTo(QPointF(start.x(), top), QPointF(end.x(), top), end)
        else:
            mid = (start.y() + end.y()) / 2
            path.cubicTo(QPointF(start.x(), mid), QPointF(end.x(), mid), end)
        colour = mark_colour(view._colour(child.span.label), view.palette())
        colour.setAlphaF(0.6)  # it may cross text on the way: keep that text readable
        pen = QPen(colour, 1.3)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
        painter.setBrush(pen.color())
        painter.drawEllipse(end, 2.4, 2.4)


def paint_current(view: OverlayView, painter: QPainter) -> None:
    placed = view._by_key.get(view.current) if view.current else None
    if placed is None:
        return
    colour = view.palette().color(QPalette.ColorRole.Highlight)
    if view.link_mode is not None:
        colour = mark_colour(
            view._colour("SPEAKER" if view.link_mode == RelationLabel.SPEAKER else "CUE"),
            view.palette(),
        )
    pen = QPen(colour, 2.2)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    for r in view._range_rects(placed.a, placed.b):
        painter.drawRoundedRect(r.adjusted(-3, -1.5, 3, 1.5), 3, 3)


def paint_margin(view: OverlayView, widget: QWidget, event: QPaintEvent) -> None:
    """The margin: a bar per visible QUOTE (a lane each where quotes overlap, the
    selected one wider), and the selected quote's "S" / "C" tags on the lines of
    its speaker and cue, where they cover no text."""
    painter = QPainter(widget)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    try:
        painter.fillRect(event.rect(), view.palette().color(QPalette.ColorRole.Window))
        for placed in view._visible_quotes():
            if placed.span.label != "QUOTE":
                continue
            rects = view._range_rects(placed.a, placed.b)
            if not rects:
                continue
            active = placed.span.key == view.active_quote
            width, alpha = _BAR[mark_of(placed.span)]
            colour = mark_colour(view._colour("QUOTE"), view.palette())
            colour.setAlphaF(1.0 if active else alpha)
            if active:
                width = 5
            lane = min(view._lanes.get(placed.span.key, 0), _MAX_LANE)
            top = min(r.top() for r in rects) + 2
            bottom = max(r.bottom() for r in rects) - 2
            x = _BAR_RIGHT - width - lane * _LANE_STEP
            painter.fillRect(QRectF(x, top, width, bottom - top), colour)
        _paint_tags(view, painter)
    finally:
        painter.end()


def _paint_tags(view: OverlayView, painter: QPainter) -> None:
    """Opaque "S" / "C" pills in the margin beside the selected quote's speaker and cue."""
    links = _active_links(view)
    if not links:
        return
    font = QFont(view.font())
    font.setPointSizeF(max(7.0, font.pointSizeF() * 0.6))
    font.setBold(True)
    painter.setFont(font)
    text_height = QFontMetricsF(font).height()
    used: dict[int, int] = {}  # line top (px) -> tags already on that line
    for rel, child in links:
        rects = view._range_rects(child.a, child.b)
        if not rects:
            continue
        line = rects[0]
        slot = used.get(round(line.top()), 0)
        used[round(line.top())] = slot + 1
        height = min(line.height() - 2, text_height + 2)
        pill = QRectF(
            2 + slot * (_TAG_WIDTH + 1), line.center().y() - height / 2, _TAG_WIDTH, height
        )
        colour = mark_colour(view._colour(child.span.label), view.palette())
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawRoundedRect(pill, 3, 3)
        painter.setPen(text_on(colour))
        painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, _RELATION_TAG[rel.label])


def quote_lanes(quotes: Sequence[Placed]) -> dict[SpanKey, int]:
    """A lane per QUOTE so that overlapping quotes get bars and underlines side by side
    (greedy interval colouring of quotes sorted by start)."""
    lane_ends: list[int] = []
    lanes: dict[SpanKey, int] = {}
    for placed in quotes:
        if placed.span.label != "QUOTE":
            continue
        for i, end in enumerate(lane_ends):
            if end <= placed.a:
                lane_ends[i] = placed.b
                lanes[placed.span.key] = i
                break
        else:
            lanes[placed.span.key] = len(lane_ends)
            lane_ends.append(placed.b)
    return lanes


class QuoteMargin(QWidget):
    """The strip left of the text where quote bars and relation tags go."""

    def __init__(self, view: OverlayView, parent: QWidget) -> None:
        super().__init__(parent)
        self._view = view

    def sizeHint(self) -> QSize:
        return QSize(MARGIN_WIDTH, 0)

    def paintEvent(self, event: QPaintEvent) -> None:
        paint_margin(self._view, self, event)
