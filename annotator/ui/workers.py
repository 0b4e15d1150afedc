"""Background work (NLP, import, export) off the UI thread, with progress and Cancel.

A task is a plain function ``fn(ctx) -> result`` run in a ``QThreadPool``; it
reports through ``ctx.progress(done, total)`` and polls ``ctx.cancelled()``.
Results and errors come back to the UI thread as queued signals. The manager
keeps every running task referenced (so its signal object cannot be collected
mid-flight) and waits for all of them on shutdown, so no thread outlives the window.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget


class Cancelled(Exception):
    """Raised inside a task that noticed it was cancelled."""


class TaskContext:
    def __init__(self, signals: _Signals, cancel: threading.Event) -> None:
        self._signals = signals
        self._cancel = cancel

    def progress(self, done: int, total: int) -> None:
        self._signals.progress.emit(done, total)

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        if self._cancel.is_set():
            raise Cancelled


class _Signals(QObject):
    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(object, str)  # exception, formatted traceback


class _Runnable(QRunnable):
    def __init__(
        self, fn: Callable[[TaskContext], Any], signals: _Signals, cancel: threading.Event
    ):
        super().__init__()
        self.setAutoDelete(False)  # the TaskHandle owns it
        self._fn = fn
        self._signals = signals
        self._ctx = TaskContext(signals, cancel)

    def run(self) -> None:
        try:
            try:
                result = self._fn(self._ctx)
            except BaseException as exc:
                self._signals.failed.emit(exc, traceback.format_exc())
            else:
                self._signals.finished.emit(result)
        except RuntimeError:
            pass  # the receiver is gone (the application is quitting): nobody to tell


class TaskHandle:
    def __init__(self, name: str, runnable: _Runnable, signals: _Signals, cancel: threading.Event):
        self.name = name
        self.runnable = runnable
        self.signals = signals
        self._cancel = cancel
        self.done = False

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()


class TaskManager(QObject):
    """Runs tasks on a private pool; one worker for database-heavy jobs keeps SQLite calm."""

    def __init__(self, parent: QObject | None = None, *, threads: int = 2) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(threads)
        self._running: set[TaskHandle] = set()

    def run(
        self,
        name: str,
        fn: Callable[[TaskContext], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException, str], None] | None = None,
        on_progress: Callable[[int, int], None] | None = None,
    ) -> TaskHandle:
        signals = _Signals()  # lives in the UI thread: its slots run there
        cancel = threading.Event()
        handle = TaskHandle(name, _Runnable(fn, signals, cancel), signals, cancel)

        def finished(result: object) -> None:
            self._forget(handle)
            # A task that returns normally handled its own cancellation (e.g. a partial
            # import report); only a raised Cancelled is silent.
            if on_done is not None:
                on_done(result)

        def failed(exc: BaseException, tb: str) -> None:
            self._forget(handle)
            if isinstance(exc, Cancelled) or handle.cancelled:
                return
            if on_error is not None:
                on_error(exc, tb)

        signals.finished.connect(finished)
        signals.failed.connect(failed)
        if on_progress is not None:
            signals.progress.connect(on_progress)
        self._running.add(handle)
        self.pool.start(handle.runnable)
        return handle

    def _forget(self, handle: TaskHandle) -> None:
        handle.done = True
        self._running.discard(handle)

    @property
    def busy(self) -> bool:
        return bool(self._running)

    def shutdown(self, timeout_ms: int = 30000) -> bool:
        """Cancel everything and wait for the threads (called when the window closes)."""
        for handle in list(self._running):
            handle.cancel()
        return self.pool.waitForDone(timeout_ms)


def run_with_progress(
    tasks: TaskManager,
    parent: QWidget,
    title: str,
    fn: Callable[[TaskContext], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException, str], None],
) -> TaskHandle:
    """Run ``fn`` with a modal-less progress dialog whose Cancel stops the task."""
    dialog = QProgressDialog(title, "Cancel", 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setMinimumDuration(300)  # quick jobs finish before the dialog appears
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)

    def progress(done: int, total: int) -> None:
        dialog.setMaximum(max(total, 1))
        dialog.setValue(min(done, max(total, 1)))
        dialog.setLabelText(f"{title}  {done:,} / {total:,}")

    def close() -> None:
        dialog.reset()
        dialog.hide()
        dialog.deleteLater()

    def done(result: object) -> None:
        close()
        on_done(result)

    def error(exc: BaseException, tb: str) -> None:
        close()
        on_error(exc, tb)

    handle = tasks.run(title, fn, done, error, progress)
    dialog.canceled.connect(handle.cancel)
    dialog.canceled.connect(close)
    return handle
