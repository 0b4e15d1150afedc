"""Type-to-filter label picker: a keyboard route to every label, and to binding label keys.

Opened with "/" (see ``actions.ACTIONS``): type a few letters ("wor" finds WORK_OF_ART),
Up/Down choose, Enter applies the label exactly as a digit key does, Esc closes.
Ctrl+1…9 gives the highlighted label that digit; "Bind key…" (Ctrl+B) waits for any
key. A binding is saved to the project at once by the ``bind`` callable the window
passes in, which also refuses command keys.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core import AnnotatorError, LabelScheme, Layer

# label, key, take_over -> the new bindings; raises AnnotatorError with a message to show
BindFn = Callable[[str, str, bool], dict[str, str]]

_NAV_KEYS = {
    Qt.Key.Key_Up,
    Qt.Key.Key_Down,
    Qt.Key.Key_PageUp,
    Qt.Key.Key_PageDown,
}
_MODIFIER_KEYS = {
    Qt.Key.Key_Shift,
    Qt.Key.Key_Control,
    Qt.Key.Key_Alt,
    Qt.Key.Key_Meta,
    Qt.Key.Key_AltGr,
    Qt.Key.Key_CapsLock,
    Qt.Key.Key_unknown,
}
_DIGITS = {getattr(Qt.Key, f"Key_{n}"): str(n) for n in range(1, 10)}
HINT = "Enter applies · Esc closes · Ctrl+1…9 or Bind key… gives the label a key"


def _words(text: str) -> str:
    return " ".join(text.lower().replace("_", " ").split())


def rank(query: str, name: str, description: str) -> int | None:
    """Lower is better; None when the label does not match. Prefix of the name first,
    then a word of the name, then anywhere in the name, then the description."""
    q = _words(query)
    if not q:
        return 0
    n, d = _words(name), _words(description)
    if n.startswith(q):
        return 0
    if any(w.startswith(q) for w in n.split()):
        return 1
    if q.replace(" ", "") in n.replace(" ", ""):
        return 2
    if len(q) >= 3 and q in d:  # one or two letters would match most descriptions
        return 3
    return None


class LabelPicker(QFrame):
    """A popup: a filter box above the labels that match it."""

    labelChosen = Signal(str)
    shortcutsChanged = Signal(dict)  # label -> key, after a binding was saved

    def __init__(
        self,
        scheme: LabelScheme,
        keys: Mapping[str, str],
        bind: BindFn,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("labelPicker")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.scheme = scheme
        self.keys = dict(keys)
        self._bind = bind
        self._capturing: str | None = None  # label waiting for "Bind key…"

        self.filter = QLineEdit()
        self.filter.setObjectName("labelFilter")
        self.filter.setPlaceholderText("Type a label…")
        self.filter.setClearButtonEnabled(True)
        self.list = QTreeWidget()  # key · label · meaning
        self.list.setObjectName("labelList")
        self.list.setColumnCount(3)
        self.list.setHeaderHidden(True)
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # typing stays in the filter
        self.list.setColumnWidth(0, self.fontMetrics().horizontalAdvance("Shift+W") + 12)
        self.list.setColumnWidth(1, self.fontMetrics().horizontalAdvance("WORK_OF_ART_") + 12)
        self.status = QLabel(HINT)
        self.status.setObjectName("labelPickerStatus")
        self.status.setWordWrap(True)
        self.status.setStyleSheet("color: palette(placeholder-text);")
        self.bind_button = QPushButton("Bind &key…")
        self.bind_button.setObjectName("bindKey")
        self.bind_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.bind_button.setToolTip("Then press the key that should apply this label (Ctrl+B)")
        self.bind_button.clicked.connect(self.start_capture)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(4)
        layout.addWidget(self.filter)
        layout.addWidget(self.list, 1)
        row = QHBoxLayout()
        row.addWidget(self.status, 1)
        row.addWidget(self.bind_button)
        layout.addLayout(row)
        self.resize(480, 400)

        self.filter.textChanged.connect(lambda _t: self._refill())
        self.filter.installEventFilter(self)
        # a click chooses (e.g. for Bind key…); a double click or Enter applies
        self.list.itemActivated.connect(lambda _item, _col: self.apply())
        self._refill()

    # -- contents ---------------------------------------------------------------------

    def _ordered(self) -> list[tuple[int, int, str, str]]:
        """(rank, position, name, description) of the labels matching the filter;
        entity labels before quote labels, each in scheme order."""
        out = []
        query = self.filter.text()
        for pos, spec in enumerate(self.scheme.labels):
            r = rank(query, spec.name, spec.description)
            if r is not None:
                layer_order = 0 if spec.layer == Layer.ENTS else 1
                out.append((r, layer_order * 1000 + pos, spec.name, spec.description))
        out.sort()
        return out

    def _refill(self) -> None:
        keep = self.current_label()
        self.list.clear()
        for _rank, _pos, name, description in self._ordered():
            key = self.keys.get(name, "")
            item = QTreeWidgetItem([key, name, description])
            item.setData(0, Qt.ItemDataRole.UserRole, name)
            item.setTextAlignment(0, Qt.AlignmentFlag.AlignCenter)
            font = item.font(1)
            font.setBold(True)
            item.setFont(1, font)
            tip = f"{name}: key {key}" if key else f"{name}: no key yet (Ctrl+1…9 or Bind key…)"
            for col in range(3):
                item.setToolTip(col, tip)
            self.list.addTopLevelItem(item)
        row = 0
        if keep is not None and not self.filter.text():
            row = next((i for i in range(self._count()) if self._name(i) == keep), 0)
        first = self.list.topLevelItem(row) if self._count() else None
        if first is not None:
            self.list.setCurrentItem(first)

    def _count(self) -> int:
        return self.list.topLevelItemCount()

    def _name(self, row: int) -> str | None:
        item = self.list.topLevelItem(row)
        return item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None

    def current_label(self) -> str | None:
        item = self.list.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None

    def visible_labels(self) -> list[str]:
        return [n for n in (self._name(i) for i in range(self._count())) if n]

    # -- showing ----------------------------------------------------------------------

    def popup_over(self, widget: QWidget) -> None:
        """Show near the top centre of ``widget`` (the article) and take the keyboard."""
        self.filter.clear()
        self._capturing = None
        self.status.setText(HINT)
        self._refill()
        top = widget.mapToGlobal(QPoint((widget.width() - self.width()) // 2, 24))
        self.move(top)
        self.show()
        self.raise_()
        self.activateWindow()
        self.filter.setFocus(Qt.FocusReason.PopupFocusReason)

    # -- actions ----------------------------------------------------------------------

    def apply(self) -> None:
        name = self.current_label()
        if name is None:
            self.status.setText(f"No label matches “{self.filter.text()}”.")
            return
        self.close()
        self.labelChosen.emit(name)

    def start_capture(self) -> None:
        name = self.current_label()
        if name is None:
            return
        self._capturing = name
        self.status.setText(f"Press the key for {name} (Esc cancels)")
        self.filter.setFocus()

    def bind(self, name: str, key: str, *, take_over: bool = False) -> bool:
        try:
            self.keys = self._bind(name, key, take_over)
        except AnnotatorError as exc:
            self.status.setText(str(exc.args[0]) if exc.args else str(exc))
            return False
        self._refill()
        self.status.setText(f"{key} now labels {name} (saved).")
        self.shortcutsChanged.emit(dict(self.keys))
        return True

    # -- keys -------------------------------------------------------------------------

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.filter and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            return self._key(event)
        return super().eventFilter(obj, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self._key(event):
            super().keyPressEvent(event)

    def _key(self, event: QKeyEvent) -> bool:
        key = Qt.Key(event.key())
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if self._capturing is not None:
            return self._capture(event, key)
        if key == Qt.Key.Key_Escape:
            self.close()
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.apply()
            return True
        if key in _NAV_KEYS:
            self._move(key)
            return True
        if mods == Qt.KeyboardModifier.ControlModifier and key in _DIGITS:
            name = self.current_label()
            if name is not None:
                self.bind(name, _DIGITS[key], take_over=True)
            return True
        if mods == Qt.KeyboardModifier.ControlModifier and key == Qt.Key.Key_B:
            self.start_capture()
            return True
        return False

    def _capture(self, event: QKeyEvent, key: Qt.Key) -> bool:
        if key in _MODIFIER_KEYS:
            return True  # wait for the key itself
        name, self._capturing = self._capturing, None
        if key == Qt.Key.Key_Escape or name is None:
            self.status.setText(HINT)
            return True
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if key == Qt.Key.Key_Backtab:
            key = Qt.Key.Key_Tab
        text = QKeySequence(mods.value | key.value).toString(
            QKeySequence.SequenceFormat.PortableText
        )
        self.bind(name, text)
        return True

    def _move(self, key: Qt.Key) -> None:
        count = self._count()
        if not count:
            return
        step = {
            Qt.Key.Key_Up: -1,
            Qt.Key.Key_Down: 1,
            Qt.Key.Key_PageUp: -8,
            Qt.Key.Key_PageDown: 8,
        }[key]
        current = self.list.currentItem()
        at = self.list.indexOfTopLevelItem(current) if current is not None else 0
        item = self.list.topLevelItem(max(0, min(count - 1, at + step)))
        if item is not None:
            self.list.setCurrentItem(item)
