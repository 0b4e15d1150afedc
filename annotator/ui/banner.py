"""A coloured bar above the article for problems that need attention (e.g. cannot save)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget


class Banner(QFrame):
    retryClicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.setStyleSheet(
            "#banner { background: #FCE8B2; border: 1px solid #D55E00; border-radius: 4px; }"
            "#banner QLabel { color: #3b2300; }"
        )
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextFormat(self.label.textFormat().PlainText)
        self.retry = QPushButton("Retry now")
        self.retry.clicked.connect(self.retryClicked)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addWidget(QLabel("⚠"))
        layout.addWidget(self.label, 1)
        layout.addWidget(self.retry)
        self.hide()

    def show_message(self, text: str) -> None:
        if text:
            self.label.setText(text)
            self.show()
        else:
            self.hide()
