"""The span table answers a paint's multiData call exactly as it answers data().

multiData is the fast path the item delegate takes (seven roles per painted cell in
one call); data() serves tooltips, tests and accessibility. Both must agree for every
cell and every role, whatever the span's origin, score or layer."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QModelRoleData, Qt
from PySide6.QtGui import QBrush, QFont

from annotator.core import Layer, Origin, QuoteKind, Relation, Span
from annotator.core.model import RelationLabel
from annotator.ui.span_table import SpanTable

TEXT = '"We will not sign," Ryabkov said in Moscow on Monday, according to TASS.'


def _spans() -> tuple[list[Span], list[Relation]]:
    quote = Span(0, 18, "QUOTE", Layer.QUOTES, Origin.SUGGESTED, kind=QuoteKind.DIRECT)
    speaker = Span(20, 27, "SPEAKER", Layer.QUOTES, Origin.ACCEPTED)
    cue = Span(28, 32, "CUE", Layer.QUOTES, Origin.SUGGESTED, confidence=0.4)
    spans = [
        quote,
        speaker,
        cue,
        Span(36, 42, "GPE", Layer.ENTS, Origin.SUGGESTED, confidence=0.91),
        Span(46, 52, "DATE", Layer.ENTS, Origin.SUGGESTED, learned_from=3),
        Span(67, 71, "ORG", Layer.ENTS, Origin.EDITED),
        Span(20, 27, "PERSON", Layer.ENTS, Origin.MANUAL),
    ]
    relations = [
        Relation(quote.key, speaker.key, RelationLabel.SPEAKER),
        Relation(quote.key, cue.key, RelationLabel.CUE),
    ]
    return spans, relations


def _comparable(value: object) -> object:
    # QBrush and QFont compare by value; anything else as it is
    if isinstance(value, QBrush):
        return ("brush", value.color().rgba(), value.style())
    if isinstance(value, QFont):
        return ("font", value.toString())
    return value


def test_multidata_matches_data_for_every_cell_and_role(qtbot: Any) -> None:
    table = SpanTable()
    qtbot.addWidget(table)
    model = table.span_model
    spans, relations = _spans()
    model.set_spans(TEXT, spans, relations)
    roles = [int(r) for r in Qt.ItemDataRole] + [int(Qt.ItemDataRole.UserRole) + 1]
    answered = 0
    for row in range(model.rowCount()):
        for col in range(model.columnCount()):
            index = model.index(row, col)
            for role in roles:
                slot = QModelRoleData(role)
                model.multiData(index, slot)
                expected = model.data(index, role)
                assert _comparable(slot.data()) == _comparable(expected), (row, col, role)
                answered += expected is not None
    # the comparison covered real answers: text, tints, greys, fonts, tooltips, keys
    assert answered > 5 * model.rowCount()
    # a cell outside the table answers nothing
    slot = QModelRoleData(int(Qt.ItemDataRole.DisplayRole))
    slot.setData("stale")
    model.multiData(QModelIndex(), slot)
    assert slot.data() is None


def test_the_painted_cells_show_what_data_says(qtbot: Any) -> None:
    """Through a real paint: the delegate's multiData answer for the Label cell's tint
    reaches the screen."""
    table = SpanTable()
    qtbot.addWidget(table)
    spans, relations = _spans()
    table.span_model.set_spans(TEXT, spans, relations)
    table.resize(500, 300)
    table.show()
    qtbot.waitExposed(table)
    image = table.viewport().grab().toImage()
    model = table.span_model
    row = next(r for r in range(model.rowCount()) if model.span_at(r).label == "GPE")
    rect = table.visualRect(model.index(row, 1))
    tint = model.data(model.index(row, 1), Qt.ItemDataRole.BackgroundRole)
    assert isinstance(tint, QBrush)
    pixel = image.pixelColor(rect.right() - 2, rect.center().y())
    assert pixel.rgb() == tint.color().rgb()
