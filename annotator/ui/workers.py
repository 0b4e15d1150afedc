"""Background work (NLP, import, export) off the UI thread, with progress and Cancel.

A task is a plain function ``fn(ctx) -> result`` run off the UI thread; it
reports through ``ctx.progress(done, total)`` and polls ``ctx.cancelled()``.
Results and errors come back to the UI thread as queued signals. The manager
keeps every running task referenced (so its signal object cannot be collected
mid-flight) and waits for all of them on shutdown, so no thread outlives the window.

Two lanes:

* the **NLP lane**, one long-lived thread that owns spaCy. Its first job imports
  spaCy, and every task that may touch spaCy (loading a pipeline, tokenizing,
  suggesting, learned entities, import, export, opening a document) runs there, one
  at a time. spaCy's first import is not thread-safe ("partially initialized module
  'spacy.util'") and a lock around some paths missed others; with one owner no second
  thread can ever be first. Nothing else in the window may call into spaCy.
* the **database lane**, for work known to need no spaCy (the search index pass), so
  it does not queue behind a long suggestion run.
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


class Priority:
    """Queue order on a lane (a running task is never interrupted)."""

    WARM_UP = 100  # the NLP lane's first job: import spaCy
    OPEN = 50  # what the annotator is waiting for: the article they asked for
    NORMAL = 0
    BACKGROUND = -50  # prefetching the next article's suggestions


def _single_thread_pool(parent: QObject) -> QThreadPool:
    pool = QThreadPool(parent)
    pool.setMaxThreadCount(1)
    # An idle pool thread would otherwise expire after 30 s and the next task would
    # start on a new thread: the owner must stay the same thread for good.
    pool.setExpiryTimeout(-1)
    return pool


class TaskManager(QObject):
    """Runs tasks on two single-thread lanes: the spaCy owner and the database lane."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.nlp_pool = _single_thread_pool(self)
        self.db_pool = _single_thread_pool(self)
        self._running: set[TaskHandle] = set()
        self._nlp_thread: int | None = None
        self._warm_up()

    def _warm_up(self) -> None:
        """Make the NLP lane's thread the first (and only) importer of spaCy."""

        def warm_up(_ctx: TaskContext) -> int:
            from annotator.app.pipelines import import_spacy

            self._nlp_thread = threading.get_ident()
            import_spacy()
            return self._nlp_thread

        self.run("import spaCy", warm_up, None, None, priority=Priority.WARM_UP)

    @property
    def nlp_thread(self) -> int | None:
        """The thread id that owns spaCy, once its first task has started."""
        return self._nlp_thread

    def run(
        self,
        name: str,
        fn: Callable[[TaskContext], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException, str], None] | None = None,
        on_progress: Callable[[int, int], None] | None = None,
        *,
        uses_spacy: bool = True,
        priority: int = Priority.NORMAL,
    ) -> TaskHandle:
        """Run ``fn`` on the NLP lane, or on the database lane when ``uses_spacy`` is
        False (only for work that cannot reach spaCy, however indirectly)."""
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
        pool = self.nlp_pool if uses_spacy else self.db_pool
        pool.start(handle.runnable, priority)
        return handle

    def _forget(self, handle: TaskHandle) -> None:
        handle.done = True
        self._running.discard(handle)

    def active_threads(self) -> int:
        """Threads running a task now, on both lanes (0 after ``shutdown``)."""
        return self.nlp_pool.activeThreadCount() + self.db_pool.activeThreadCount()

    @property
    def busy(self) -> bool:
        return bool(self._running)

    def shutdown(self, timeout_ms: int = 30000) -> bool:
        """Cancel everything and wait for the threads (called when the window closes)."""
        for handle in list(self._running):
            handle.cancel()
        nlp_done = self.nlp_pool.waitForDone(timeout_ms)
        return self.db_pool.waitForDone(timeout_ms) and nlp_done


def run_with_progress(
    tasks: TaskManager,
    parent: QWidget,
    title: str,
    fn: Callable[[TaskContext], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException, str], None],
    *,
    uses_spacy: bool = True,
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

    handle = tasks.run(title, fn, done, error, progress, uses_spacy=uses_spacy)
    dialog.canceled.connect(handle.cancel)
    dialog.canceled.connect(close)
    return handle
