"""The keyboard's home is the article: it goes back there when a dialog of the window closes.

A desktop's window manager usually re-activates the main window when one of its
dialogs closes, and Qt then restores the focus widget; without one (a bare X server,
the offscreen platform, some remote desktops) no window is active afterwards and every
key is lost. This helper watches the window's *own* dialogs (those whose transient
parent is the window): when one is hidden and no other window took over, it
re-activates the window and puts the keyboard in the article, unless it was in a text
field the person was typing in (the document search). Switching to another program
is left alone.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QGuiApplication, QWindow
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget


class KeyboardHome(QObject):
    def __init__(self, window: QWidget, home: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self._home = home
        app = QGuiApplication.instance()
        assert isinstance(app, QGuiApplication)
        # a method of this QObject: Qt disconnects it when the window (our parent) goes
        app.focusWindowChanged.connect(self._focus_window_changed)

    def _ours(self, other: QWindow | None) -> bool:
        mine = self._window.windowHandle()
        if other is None or mine is None or other is mine:
            return False
        return other.transientParent() is mine

    def _focus_window_changed(self, now: QWindow | None) -> None:
        if not self._ours(now):
            return
        for widget in QApplication.topLevelWidgets():
            if widget.windowHandle() is now:
                widget.removeEventFilter(self)  # watched once, however often it is shown
                if widget.isVisible():
                    widget.installEventFilter(self)
                else:  # closed before the activation arrived (asynchronous platforms)
                    QTimer.singleShot(0, self._dialog_closed)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Hide and isinstance(obj, QWidget) and obj.isWindow():
            obj.removeEventFilter(self)
            QTimer.singleShot(0, self._dialog_closed)
        return False

    def _dialog_closed(self) -> None:
        try:
            if not self._window.isVisible():
                return
        except RuntimeError:  # the window is gone
            return
        active = QApplication.activeWindow()
        if active is not None and active is not self._window and active.isVisible():
            return  # another window (a second dialog, another program's) has the keys
        if active is None or not active.isVisible():
            self._window.activateWindow()  # nobody else will: keys would go nowhere
        self.go_home()

    def go_home(self) -> None:
        if not self._home.isVisible():
            return
        if isinstance(self._window.focusWidget(), QLineEdit):
            return  # the person was typing a search: it stays theirs
        self._home.setFocus()
