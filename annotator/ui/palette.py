"""The label palette: one button per label with its hotkey, the suggestion switches,
and a legend of the marks (drawn like the article draws them, no font glyphs)."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QLabel,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core import LabelScheme, LabelSpec, Layer
from annotator.ui import settings as user_settings
from annotator.ui.theme import Mark, mark_background, mark_colour, text_on

LEARNED_SETTING = "learned_suggestions"  # QSettings key: suggest from my labels (on/off)


def learned_suggestions_on() -> bool:
    """The remembered "Suggest from my labels" switch (on unless turned off)."""
    value = user_settings.settings().value(LEARNED_SETTING, True)
    return value not in (False, "false", "0", 0)


def remember_learned_suggestions(on: bool) -> None:
    user_settings.settings().setValue(LEARNED_SETTING, on)


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
    marks = {"entity": Mark.DECIDED, "suggested": Mark.SUGGESTED, "low": Mark.LOW}
    if paint in marks:
        # entities are a tint and nothing else, as in the article
        p.fillRect(r, mark_background(colour, pal, marks[paint]))
    elif paint in ("QUOTE", "QUOTE suggested", "QUOTE low"):
        # a margin bar and an underline; suggestions thinner and fainter
        width, bar, alpha = {
            "QUOTE": (2.0, 4, 1.0),
            "QUOTE suggested": (1.5, 3, 0.7),
            "QUOTE low": (1.3, 2, 0.5),
        }[paint]
        line.setAlphaF(alpha)
        pen = QPen(line, width)
        if paint == "QUOTE low":
            pen.setStyle(Qt.PenStyle.DotLine)
        p.setPen(pen)
        p.drawLine(QPointF(r.left() + 6, r.bottom() - 1), QPointF(r.right(), r.bottom() - 1))
        p.fillRect(QRectF(r.left(), r.top(), bar, r.height()), line)
    elif paint == "SPEAKER":
        p.setPen(QPen(line, 1.6))
        p.drawRoundedRect(r.adjusted(1, 1, -1, -1), 4, 4)
    elif paint == "CUE":
        p.setPen(QPen(line, 1.6))
        p.drawRect(r.adjusted(1, 1, -1, -1))
    elif paint in ("S", "C"):
        # the margin tag of the selected quote's speaker / cue
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(line)
        pill = QRectF(r.center().x() - 6, r.top(), 12, r.height())
        p.drawRoundedRect(pill, 3, 3)
        font = QFont(widget.font())
        font.setBold(True)
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.8))
        p.setFont(font)
        p.setPen(text_on(line))
        p.drawText(pill, Qt.AlignmentFlag.AlignCenter, paint)
    elif paint == "current":
        p.setPen(QPen(QColor(colour), 2.0))
        p.drawRoundedRect(r.adjusted(1, 1, -1, -1), 3, 3)
    p.end()
    return QIcon(pix)


class LabelPalette(QWidget):
    """Buttons that label the current span or selection; doubles as the colour legend."""

    labelChosen = Signal(str)
    showLowConfidenceChanged = Signal(bool)
    learnedSuggestionsChanged = Signal(bool)  # "Suggest from my labels" (remembered)

    def __init__(
        self,
        scheme: LabelScheme,
        parent: QWidget | None = None,
        *,
        keys: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("labelPalette")
        # label -> key: the project's bindings (None: the scheme's own 1-9)
        self.keys: dict[str, str] | None = dict(keys) if keys is not None else None
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
        self.learned = QCheckBox("Suggest from my labels")
        self.learned.setObjectName("learnedSuggestions")
        self.learned.setToolTip(
            "Find again, in the next articles, the entities you labelled one by one\n"
            "(accepted with A, edited or added by hand; never those of accept-all).\n"
            "Shown as suggestions \u201clearned from N of your labels\u201d, not as model scores."
        )
        self.learned.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.learned.setChecked(learned_suggestions_on())
        self.learned.toggled.connect(remember_learned_suggestions)
        self.learned.toggled.connect(self.learnedSuggestionsChanged)
        outer.addWidget(self.learned)
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
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.buttons.clear()
        # Entity labels with keys first (1–9), then the quote labels, then the rest.
        ents = [s for s in scheme.labels if s.layer == Layer.ENTS]
        ents.sort(key=lambda s: (not self._key(s), self._key(s) or "~", s.name))
        quotes = [s for s in scheme.labels if s.layer == Layer.QUOTES]
        for i, spec in enumerate(ents + quotes):
            button = QToolButton(self)
            key = self._key(spec).upper()
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

    def _key(self, spec: LabelSpec) -> str:
        if self.keys is None or spec.layer == Layer.QUOTES:  # Q, S, C are command keys
            return spec.hotkey or ""
        return self.keys.get(spec.name, "")

    def set_keys(self, keys: Mapping[str, str]) -> None:
        """Show the project's label keys (after the label picker bound one)."""
        self.keys = dict(keys)
        self.set_scheme(self.scheme)

    def _fill_legend(self) -> None:
        while self._legend.count():
            item = self._legend.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        person = self.scheme.get("PERSON")
        sample = person.colour if person else "#E69F00"
        highlight = self.palette().color(self.palette().ColorRole.Highlight).name()
        quote = self._colour("QUOTE")
        rows = [
            ("entity", sample, "entity, accepted or your own"),
            ("suggested", sample, "suggested entity: light tint (A accepts)"),
            ("QUOTE", quote, "quote: margin bar and underline"),
            ("QUOTE suggested", quote, "suggested quote: thinner, fainter"),
            ("low", sample, "low confidence: fainter still (L shows them)"),
            ("QUOTE low", quote, "low-confidence quote: dotted"),
            ("SPEAKER", self._colour("SPEAKER"), "speaker: rounded box (suggested: underline)"),
            ("CUE", self._colour("CUE"), "cue: square box (suggested: underline)"),
            ("S", self._colour("SPEAKER"), "S, C in the margin: the selected quote's"),
            ("C", self._colour("CUE"), "speaker and cue, on their lines"),
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
