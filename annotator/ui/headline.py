"""The article's headline above the text: wrapped in full, elided only beyond a few lines.

A plain word-wrapped ``QLabel`` has two faults here: its minimum width is its longest
word (a URL in a headline pushes the docks aside), and it cannot say "…" when there
is no room. This label lays the text out itself with ``QTextLayout`` at its current
width, shows at most ``max_lines`` lines (the last one elided) and puts the whole
text in the tooltip when anything was cut.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QResizeEvent, QTextLayout, QTextOption
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

MAX_LINES = 3
MIN_WIDTH = 80  # the label never asks the window for more than this


def wrap_lines(text: str, label: QLabel, width: int) -> list[str]:
    """``text`` broken into lines that fit ``width`` pixels in ``label``'s font."""
    layout = QTextLayout(text, label.font())
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    lines: list[str] = []
    layout.beginLayout()
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(max(width, 1))
        lines.append(text[line.textStart() : line.textStart() + line.textLength()])
    layout.endLayout()
    return lines


class HeadlineLabel(QLabel):
    """A word-wrapped label showing at most ``max_lines`` lines; ``text()`` is the whole."""

    def __init__(self, parent: QWidget | None = None, *, max_lines: int = MAX_LINES) -> None:
        super().__init__(parent)
        self.max_lines = max_lines
        self._full = ""
        self.elided = False
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        policy = self.sizePolicy()
        policy.setHorizontalPolicy(QSizePolicy.Policy.Ignored)
        self.setSizePolicy(policy)

    def setText(self, text: str) -> None:
        self._full = text
        self._relayout()

    def text(self) -> str:
        return self._full

    def shown_text(self) -> str:
        """What is on screen (lines joined by newlines, the last one elided if cut)."""
        return super().text()

    def reserve_lines(self, lines: int) -> None:
        """Keep room for ``lines`` lines even when the text needs fewer, so that moving
        to an article with a longer headline does not shift (and re-lay out) the
        article below it."""
        m = self.contentsMargins()
        height = lines * self.fontMetrics().lineSpacing() + m.top() + m.bottom()
        self.setMinimumHeight(height + 2 * max(self.margin(), 0))

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(), MIN_WIDTH), hint.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._relayout()

    def _relayout(self) -> None:
        margins = self.contentsMargins()
        width = self.width() - margins.left() - margins.right() - 2 * max(self.margin(), 0)
        text = " ".join(self._full.split())  # a headline is one paragraph
        lines = wrap_lines(text, self, width) if width > 0 and text else [text]
        if len(lines) <= self.max_lines:
            shown = "\n".join(line.rstrip() for line in lines)
            self.elided = False
            self.setToolTip("")
        else:
            keep = [line.rstrip() for line in lines[: self.max_lines - 1]]
            rest = "".join(lines[self.max_lines - 1 :])
            last = self.fontMetrics().elidedText(rest, Qt.TextElideMode.ElideRight, width)
            shown = "\n".join([*keep, last])
            self.elided = True
            self.setToolTip(self._full)
        if shown != super().text():
            super().setText(shown)


def hint_text(
    first: list[str],
    *,
    labels: int,
    suggested: int,
    hidden: int,
    must_decide: bool,
    link_mode: str | None,
) -> str:
    """The line under the headline: ``first`` (the mode's, the status), then the counts
    of labels, undecided and hidden suggestions, and what a link being chosen needs."""
    parts = [*first, f"{labels} labels"]
    if suggested and must_decide:
        parts.append(f"{suggested} suggestions to decide (A accept, X reject, Shift+A all)")
    elif suggested:
        plural = "s" if suggested != 1 else ""
        parts.append(
            f"{suggested} suggestion{plural} undecided: Enter accepts "
            f"{'them' if plural else 'it'} (A accept, X reject)"
        )
    if hidden:
        parts.append(f"{hidden} low-confidence hidden (L), never saved unless shown")
    if link_mode is not None:
        parts.append(f"choosing the {link_mode}: click or Tab, Enter confirms")
    return " · ".join(parts)


def headline_of(name: str, text: str) -> str:
    """The header line: the article's name and its whole first line. Not
    Document.title's 200 characters: the label wraps it and elides only beyond three
    lines (the bound keeps a one-line 50 MB text cheap)."""
    return f"{name} · {text[:4000].lstrip().split(chr(10), 1)[0]}"
