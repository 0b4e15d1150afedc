"""Find in article: a browser-like bar under the article (Ctrl+F).

Typing searches as you type, case-insensitively, in the stored text (Python code
points); every match is highlighted faintly and the current one strongly, and the
current one is scrolled into view. Enter / F3 go to the next match, Shift+Enter /
Shift+F3 to the previous one (wrapping), Esc closes the bar and gives the keys back to
the article. The view converts the offsets to Qt positions (``OffsetMap``), so an
emoji or other astral character before a match does not shift its highlight.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeyEvent, QPalette, QTextCharFormat
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from annotator.ui.article_view import ArticleView
from annotator.ui.theme import is_dark, text_on

MAX_MATCHES = 10_000  # a one-letter query in a long article: enough to count, bounded work
# Beyond this many characters a search that finds little scans for ~10 ms per MB: wait
# for a pause in the typing instead of searching on every key.
DEBOUNCE_FROM = 1_000_000
DEBOUNCE_MS = 250

# Yellow and orange, as browsers mark matches. Every match is also underlined, so a faint
# match reads differently from an entity's plain background (NORP is yellow too); the
# faint fill stays translucent so an entity's own colour still shows through it.
_FAINT = {False: QColor(255, 214, 0, 110), True: QColor(255, 214, 0, 90)}
_STRONG = {False: QColor(255, 140, 0), True: QColor(255, 165, 30)}
_UNDERLINE = {False: QColor(150, 90, 0), True: QColor(255, 200, 80)}

_NEXT_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_F3)


def find_all(text: str, query: str, limit: int = MAX_MATCHES) -> list[tuple[int, int]]:
    """Code-point ranges of ``query`` in ``text``, case-insensitive, left to right and not
    overlapping. ``re.IGNORECASE`` folds case one character at a time, so a match has the
    query's length and offsets stay exact (``str.casefold`` would turn ß into ss)."""
    if not query:
        return []
    out: list[tuple[int, int]] = []
    for m in re.finditer(re.escape(query), text, re.IGNORECASE):
        out.append((m.start(), m.end()))
        if len(out) >= limit:
            break
    return out


class FindBar(QWidget):
    """The find bar of one :class:`ArticleView`; hidden until :meth:`open`."""

    closed = Signal()

    def __init__(self, view: ArticleView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findBar")
        self.view = view
        self.matches: list[tuple[int, int]] = []
        self.index = -1  # the current match, -1 when none is chosen yet
        self._last_start: int | None = None  # the current match's start, kept across searches
        self.edit = QLineEdit()
        self.edit.setObjectName("findEdit")
        self.edit.setPlaceholderText("Find in article")
        self.edit.setClearButtonEnabled(True)
        self.count = QLabel()
        self.count.setObjectName("findCount")
        self.count.setMinimumWidth(self.fontMetrics().horizontalAdvance("10,000+ of 10,000+"))
        self.prev_button = self._button("▲", "Previous match (Shift+Enter, Shift+F3)")
        self.next_button = self._button("▼", "Next match (Enter, F3)")
        close = self._button("✕", "Close (Esc)")
        close.setObjectName("findClose")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.setSpacing(4)
        layout.addWidget(QLabel("Find:"))
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.count)
        layout.addWidget(self.prev_button)
        layout.addWidget(self.next_button)
        layout.addWidget(close)
        self.prev_button.clicked.connect(self.find_previous)
        self.next_button.clicked.connect(self.find_next)
        close.clicked.connect(self.close_bar)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(lambda: self._search(keep_place=True))
        self.edit.textChanged.connect(self._typed)
        self.edit.installEventFilter(self)
        # A new article: search it for the same words, but leave it at its top.
        view.textChanged.connect(self._article_changed)
        self.hide()

    def _button(self, text: str, tip: str) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setToolTip(tip)
        button.setAutoRaise(True)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        return button

    # -- what the window calls -------------------------------------------------------------

    @property
    def query(self) -> str:
        return self.edit.text()

    def open(self, query: str | None = None) -> None:
        """Show the bar with the focus in it (Ctrl+F); ``query`` replaces the words."""
        was_open = self.isVisible()
        self.show()
        if query is not None and query != self.edit.text():
            self.edit.setText(query)  # searches
        elif not was_open:
            self._search(keep_place=True)
        self.edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.edit.selectAll()

    def selection_query(self) -> str | None:
        """The article's selected text, when it makes sense as a search (one short line)."""
        picked = self.view.selected_range()
        if picked is None:
            return None
        words = self.view.omap.text[picked[0] : picked[1]]
        return words if 0 < len(words) <= 200 and "\n" not in words.strip() else None

    def close_bar(self) -> None:
        """Esc: hide the bar, drop the highlights, keys back to the article."""
        self.hide()
        self.view.set_find_marks([])
        self.view.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.closed.emit()

    def find_next(self) -> None:
        self._step(+1)

    def find_previous(self) -> None:
        self._step(-1)

    def count_text(self) -> str:
        return self.count.text()

    # -- searching ---------------------------------------------------------------------------

    def _typed(self, _text: str) -> None:
        if len(self.view.omap.text) > DEBOUNCE_FROM:
            self._debounce.start()
        else:
            self._search(keep_place=True)

    def _step(self, delta: int) -> None:
        if not self.isVisible():
            # F3 with the bar closed: open it on the last words. Opening already chose the
            # first match from the top of the screen, unless there is a last one to leave.
            resume = self._last_start is not None
            self.open()
            if not resume:
                return
        if self._debounce.isActive():  # Enter before the pause: search the words now
            self._search(keep_place=True)
            return
        if not self.matches:
            return
        if self.index < 0:
            self.index = 0 if delta > 0 else len(self.matches) - 1
        else:
            self.index = (self.index + delta) % len(self.matches)
        self._show(scroll=True)

    def _search(self, *, keep_place: bool) -> None:
        """Find the words again; with ``keep_place`` the current match becomes the first
        one from where the reader is (the last match, else the top of the screen)."""
        self._debounce.stop()
        if not self.isVisible():
            return
        query = self.edit.text()
        self.matches = find_all(self.view.omap.text, query)
        self.index = -1
        if self.matches and keep_place:
            anchor = self._anchor()
            self.index = next((i for i, (a, _b) in enumerate(self.matches) if a >= anchor), 0)
        self._show(scroll=keep_place)

    def _anchor(self) -> int:
        if self._last_start is not None:
            return self._last_start
        top = self.view.cursorForPosition(QPoint(0, 0)).position()
        return self.view.omap.from_qt(top)

    def _article_changed(self) -> None:
        self._last_start = None
        if self.isVisible():
            self._search(keep_place=False)

    def _show(self, *, scroll: bool) -> None:
        faint, strong = self._formats()
        cur = self.index
        self.view.set_find_marks(
            [(a, b, strong if i == cur else faint) for i, (a, b) in enumerate(self.matches)]
        )
        if 0 <= cur < len(self.matches):
            a, b = self.matches[cur]
            self._last_start = a
            if scroll:
                self._reveal(a, b)
        self._update_count()

    def _reveal(self, start: int, end: int) -> None:
        """Scroll the match into view. The caret goes to it first: QPlainTextEdit lays out
        far paragraphs only on demand, and ``ensureCursorVisible`` reaches any of them
        (the caret then also starts a Shift+arrow selection there, as in a browser)."""
        view = self.view
        a, b = view.omap.range_to_qt(start, end)
        cursor = view.textCursor()
        cursor.setPosition(a)
        view.setTextCursor(cursor)
        view.ensureCursorVisible()
        view.scroll_to(a, b)  # the view's rule: the whole match on screen, its start first

    def _formats(self) -> tuple[QTextCharFormat, QTextCharFormat]:
        dark = is_dark(self.view.palette())
        faint = QTextCharFormat()
        faint.setBackground(_FAINT[dark])
        faint.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
        faint.setUnderlineColor(_UNDERLINE[dark])
        strong = QTextCharFormat(faint)
        strong.setBackground(_STRONG[dark])
        strong.setForeground(text_on(_STRONG[dark]))
        return faint, strong

    def _update_count(self) -> None:
        n = len(self.matches)
        many = f"{n:,}+" if n >= MAX_MATCHES else f"{n:,}"
        if not self.edit.text():
            text = ""
        elif not n:
            text = "No matches"
        elif self.index < 0:
            text = f"{many} match{'es' if n != 1 else ''}"
        else:
            text = f"{self.index + 1:,} of {many}"
        self.count.setText(text)
        # No match: the words turn red, as in a browser.
        palette = self.edit.palette()
        colour = QColor("#c62828") if self.edit.text() and not n else None
        palette.setColor(
            QPalette.ColorRole.Text,
            colour or self.palette().color(QPalette.ColorRole.Text),
        )
        self.edit.setPalette(palette)
        self.prev_button.setEnabled(n > 0)
        self.next_button.setEnabled(n > 0)

    # -- keys ---------------------------------------------------------------------------------

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        """Enter, F3 and Esc belong to the bar while it has the focus, not to the
        window's actions of the same keys (Enter = done, Esc = cancel)."""
        if obj is not self.edit or not isinstance(event, QKeyEvent):
            return False
        key = event.key()
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        ours = key == Qt.Key.Key_Escape and not mods
        ours = ours or (
            key in _NEXT_KEYS
            and mods in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier)
        )
        if not ours:
            return False
        if event.type() == QEvent.Type.ShortcutOverride:
            event.accept()
            return True
        if event.type() == QEvent.Type.KeyPress:
            if key == Qt.Key.Key_Escape:
                self.close_bar()
            elif mods & Qt.KeyboardModifier.ShiftModifier:
                self.find_previous()
            else:
                self.find_next()
            return True
        return False
