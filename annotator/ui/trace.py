"""A debug trace of what the window shows, for tests that drive the real window.

With ``ANNOTATOR_TRACE=1`` in the environment the main window prints one JSON line
to stderr for each change a person could see, so a test that starts the program as a
subprocess on a real X server (``tests/ui_real``) can tell what is on the screen
without reading pixels:

- ``{"event": "window", "title": …, "win_id": …}`` once, when the trace starts;
- ``{"event": "document_opened", "doc_id": …, "n_suggestions": …, "n_hidden": …}``
  when an article's annotation becomes editable;
- ``{"event": "status", "text": …}`` for each status-bar message;
- ``{"event": "focus", "widget": …}`` when keyboard focus moves;
- ``{"event": "current", "span": {…, "rect": [x, y, w, h]}, "link_mode": …}`` when the
  current span changes (rectangles are in screen coordinates, for real clicks),
  with ``on_screen``: every shown span in the visible part of the article;
- ``{"event": "annotation", "status": …, "n_spans": …}`` after each saved edit;
- ``{"event": "state", "header": …, "hint": …, "documents_listed": …}`` whenever the
  header, hint, search text, listed documents, link mode or the article's place on
  the screen change (polled: labels have no change signal); a move of the article
  also repeats the ``current`` event with fresh rectangles;
- ``{"event": "window_shown", "title": …, "class": …}`` for every other top-level
  window (a message box, a dialog);
- ``{"event": "close"}`` when the window is asked to close, ``{"event": "quit"}`` when
  the application's event loop ends.

Every line has ``t``, the wall-clock time in seconds.

Off by default; nothing here runs unless the variable is set. Reads private state of
the window on purpose: it reports, it never changes anything.
"""

from __future__ import annotations

import json
import os
import sys
import time
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QPoint, QTimer
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox, QWidget

if TYPE_CHECKING:
    from annotator.core import Span, SpanKey
    from annotator.ui.main_window import MainWindow

ENV = "ANNOTATOR_TRACE"
POLL_MS = 100

_tracers: list[_Tracer] = []  # keep each tracer alive as long as its window


def enabled() -> bool:
    return os.environ.get(ENV, "") not in ("", "0")


def emit(event: str, **fields: Any) -> None:
    """One JSON line on stderr (flushed: the reader is another process)."""
    record = {"event": event, "t": round(time.time(), 3), **fields}
    line = json.dumps(record, ensure_ascii=False, default=str)
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


def install_if_enabled(window: MainWindow) -> None:
    if enabled():
        _tracers.append(_Tracer(window))


def _widget_name(widget: QWidget | None) -> str | None:
    if widget is None:
        return None
    if widget.objectName():
        return widget.objectName()
    if isinstance(widget, QLineEdit) and widget.placeholderText():
        return f"QLineEdit[{widget.placeholderText()}]"
    return type(widget).__name__


class _Tracer(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self._state: dict[str, Any] = {}
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        app.focusChanged.connect(self._on_focus)
        app.installEventFilter(self)
        window.documentOpened.connect(self._on_document_opened)
        window.statusBar().messageChanged.connect(lambda text: emit("status", text=text))
        window.editor.currentChanged.connect(lambda _key: self._on_current())
        window.destroyed.connect(lambda *_: app.removeEventFilter(self))
        app.aboutToQuit.connect(lambda: emit("quit"))
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._poll)
        self._timer.start(POLL_MS)
        emit("window", title=window.windowTitle(), win_id=int(window.winId()), pid=os.getpid())
        if window.session is not None:  # opened synchronously, before the trace began
            self._on_document_opened(window.doc_id or 0)

    # -- events ---------------------------------------------------------------------------

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Close and obj is self.window:
            emit("close")
        if (
            event.type() == QEvent.Type.Show
            and isinstance(obj, QWidget)
            and obj.isWindow()
            and obj is not self.window
        ):
            emit(
                "window_shown",
                title=obj.windowTitle(),
                widget=_widget_name(obj),
                cls=type(obj).__name__,
                modal=obj.isModal(),
                text=obj.text() if isinstance(obj, QMessageBox) else "",
            )
        return False

    def _on_focus(self, _old: QWidget | None, new: QWidget | None) -> None:
        emit("focus", widget=_widget_name(new), cls=type(new).__name__ if new else None)

    def _on_document_opened(self, doc_id: int) -> None:
        w = self.window
        editor = w.editor
        ann = editor.annotation
        doc = w.document
        visible = list(editor._visible)
        emit(
            "document_opened",
            doc_id=doc_id,
            external_id=doc.external_id if doc else None,
            title=doc.title if doc else None,
            status=str(ann.status) if ann else None,
            n_spans=len(ann.spans) if ann else 0,
            n_visible=len(visible),
            n_suggestions=sum(1 for s in visible if str(s.origin) == "suggested"),
            n_hidden=editor.hidden_count(),
            header=w.header.text(),
            hint=w.hint.text(),
        )
        if w.session is not None:
            w.session.changed.connect(self._on_changed)
        self._on_current()

    def _on_changed(self, _before: Any, after: Any) -> None:
        emit(
            "annotation",
            doc_id=after.document_id,
            status=str(after.status),
            n_spans=len(after.spans),
            n_relations=len(after.relations),
            version=getattr(after, "version", None),
        )

    def _on_current(self) -> None:
        editor = self.window.editor
        current = editor._span(editor.current)
        emit(
            "current",
            doc_id=self.window.doc_id,
            span=self._span_info(current) if current is not None else None,
            active_quote=_key_info(editor.active_quote),
            link_mode=str(editor.link_mode) if editor.link_mode is not None else None,
            on_screen=self._on_screen(),
        )

    def _poll(self) -> None:
        w = self.window
        state = {
            "doc_id": w.doc_id,
            "header": w.header.text(),
            "hint": w.hint.text(),
            "link_mode": str(w.editor.link_mode) if w.editor.link_mode is not None else None,
            "search_text": w.doc_list.search.text(),
            "documents_listed": w.doc_list.model.rowCount(),
            "pipeline": w.pipeline_label.text(),
            "article_rect": self._article_rect(),
        }
        if state != self._state:
            moved = state["article_rect"] != self._state.get("article_rect")
            self._state = state
            emit("state", **state)
            if moved and w.session is not None:
                # e.g. a long hint widened the centre and narrowed the docks: the
                # rectangles of the last "current" event are stale, send fresh ones
                self._on_current()

    # -- geometry -------------------------------------------------------------------------

    def _article_rect(self) -> list[int]:
        """Where the article's text area is on the screen: [x, y, width, height]."""
        port = self.window.view.viewport()
        top_left = port.mapToGlobal(QPoint(0, 0))
        return [top_left.x(), top_left.y(), port.width(), port.height()]

    def _rects(self, span: Span) -> list[list[int]]:
        """The span's line fragments in screen coordinates (visible part only)."""
        view = self.window.view
        placed = view._by_key.get(span.key)
        if placed is None:
            return []
        port = view.viewport()
        area = port.rect()
        out: list[list[int]] = []
        for r in view._range_rects(placed.a, placed.b):
            rect = r.toRect().intersected(area)
            if rect.isEmpty():
                continue
            top_left = port.mapToGlobal(QPoint(rect.x(), rect.y()))
            out.append([top_left.x(), top_left.y(), rect.width(), rect.height()])
        return out

    def _span_info(self, span: Span) -> dict[str, Any]:
        doc = self.window.document
        rects = self._rects(span)
        return {
            "start": span.start,
            "end": span.end,
            "label": span.label,
            "layer": str(span.layer),
            "origin": str(span.origin),
            "confidence": span.confidence,
            "text": doc.text[span.start : span.end] if doc else None,
            "rect": rects[0] if rects else None,
            "rects": rects,
        }

    def _on_screen(self) -> list[dict[str, Any]]:
        return [
            info
            for info in (self._span_info(s) for s in self.window.editor._visible)
            if info["rect"] is not None
        ]


def _key_info(key: SpanKey | None) -> dict[str, Any] | None:
    if key is None:
        return None
    return {"start": key.start, "end": key.end, "label": key.label, "layer": key.layer}
