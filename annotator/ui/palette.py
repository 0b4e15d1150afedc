"""The label palette: one button per label with its hotkey, and a legend of the marks."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QLabel,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core import LabelScheme, Layer
from annotator.ui.theme import mark_colour, span_background

_SWATCH = QSize(26, 16)


def _swatch(paint: str, colour: str, widget: QWidget) -> QIcon:
    """A small picture of how a mark looks in the article (kept in sync with ArticleView)."""
    dpr = widget.devicePixelRatioF()
    pix = QPixmap(int(_SWATCH.width() * dpr), int(_SWATCH.height() * dpr))
    pix.setDevicePixelRatio(dpr)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    pal = widget.palette()
    r = QRectF(1, 1, _SWATCH.width() - 2, _SWATCH.height() - 2)
    line = mark_colour(colour, pal)
    if paint in ("entity", "suggested"):
        p.fillRect(r, span_background(colour, pal, suggested=paint == "suggested"))
        if paint == "suggested":
            pen = QPen(line, 1.5, Qt.PenStyle.DashLine)
            p.setPen(pen)
            p.drawLine(QPointF(r.left(), r.bottom()), QPointF(r.right(), r.bottom()))
    elif paint == "QUOTE":
        p.setPen(QPen(line, 2.5))
        p.drawLine(QPointF(r.left(), r.bottom() - 1), QPointF(r.right(), r.bottom() - 1))
        p.fillRect(QRectF(r.left(), r.top(), 3, r.height()), line)
    elif paint == "SPEAKER":
        p.setPen(QPen(line, 1.6))
        p.drawRoundedRect(r.adjusted(1, 1, -1, -1), 4, 4)
    elif paint == "CUE":
        p.setPen(QPen(line, 1.6))
        p.drawRect(r.adjusted(1, 1, -1, -1))
    elif paint == "current":
        p.setPen(QPen(QColor(colour), 2.0))
        p.drawRoundedRect(r.adjusted(1, 1, -1, -1), 3, 3)
    p.end()
    return QIcon(pix)


class LabelPalette(QWidget):
    """Buttons that label the current span or selection; doubles as the colour legend."""

    labelChosen = Signal(str)
    showLowConfidenceChanged = Signal(bool)

    def __init__(self, scheme: LabelScheme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("labelPalette")
        self.buttons: dict[str, QToolButton] = {}
        outer = QVBoxLayout(self)
        outer.setContentsMargins(6, 6, 6, 6)
        outer.setSpacing(6)
        self._grid = QGridLayout()
        self._grid.setHorizontalSpacing(4)
        self._grid.setVerticalSpacing(2)
        outer.addLayout(self._grid)
        self.low_confidence = QCheckBox("Show low-confidence suggestions  (L)")
        self.low_confidence.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.low_confidence.toggled.connect(self.showLowConfidenceChanged)
        outer.addWidget(self.low_confidence)
        self._legend = QGridLayout()
        self._legend.setHorizontalSpacing(6)
        self._legend.setColumnStretch(1, 1)
        outer.addLayout(self._legend)
        outer.addStretch(1)
        self.set_scheme(scheme)

    def set_scheme(self, scheme: LabelScheme) -> None:
        self.scheme = scheme
        while self._grid.count():
            item = self._grid.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()
        self.buttons.clear()
        # Entity labels with hotkeys first (1–9), then the quote labels, then the rest.
        ents = [s for s in scheme.labels if s.layer == Layer.ENTS]
        ents.sort(key=lambda s: (not s.hotkey, s.hotkey or "~", s.name))
        quotes = [s for s in scheme.labels if s.layer == Layer.QUOTES]
        for i, spec in enumerate(ents + quotes):
            button = QToolButton(self)
            key = spec.hotkey.upper() if spec.hotkey else ""
            button.setText(f"{key:>1}  {spec.name}" if key else f"    {spec.name}")
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.setIcon(
                _swatch("entity" if spec.layer == Layer.ENTS else spec.name, spec.colour, self)
            )
            button.setIconSize(_SWATCH)
            button.setAutoRaise(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            tip = spec.description or spec.name
            if key:
                tip += f"  —  key {key}"
            button.setToolTip(tip)
            button.clicked.connect(lambda _=False, name=spec.name: self.labelChosen.emit(name))
            self.buttons[spec.name] = button
            self._grid.addWidget(button, i // 2, i % 2)
        self._fill_legend()

    def _fill_legend(self) -> None:
        while self._legend.count():
            item = self._legend.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()
        person = self.scheme.get("PERSON")
        sample = person.colour if person else "#E69F00"
        highlight = self.palette().color(self.palette().ColorRole.Highlight).name()
        rows = [
            ("entity", sample, "accepted or your own entity"),
            ("suggested", sample, "suggestion, not yet accepted (A)"),
            ("QUOTE", self._colour("QUOTE"), "quote: underline and margin bar"),
            ("SPEAKER", self._colour("SPEAKER"), "speaker: rounded box"),
            ("CUE", self._colour("CUE"), "cue: square box"),
            ("current", highlight, "current span (Tab / Shift+Tab)"),
        ]
        title = QLabel("<b>Legend</b>")
        self._legend.addWidget(title, 0, 0, 1, 2)
        for i, (paint, colour, text) in enumerate(rows, start=1):
            icon = QLabel()
            icon.setPixmap(_swatch(paint, colour, self).pixmap(_SWATCH))
            label = QLabel(text)
            label.setTextFormat(Qt.TextFormat.PlainText)
            self._legend.addWidget(icon, i, 0)
            self._legend.addWidget(label, i, 1)

    def changeEvent(self, event: QEvent) -> None:
        # Swatches are blended with the base colour: redraw them for a new (dark) palette.
        if event.type() == QEvent.Type.PaletteChange:
            self.set_scheme(self.scheme)
        super().changeEvent(event)

    def _colour(self, name: str) -> str:
        spec = self.scheme.get(name)
        return spec.colour if spec else "#777777"
