"""One training in a child process (``QProcess``), heard through Qt's event loop.

The child is ``python -m annotator.app.training_runs`` (see that module): it trains
with ``train_model`` and writes one JSON event a line. ``QProcess`` tells the UI thread
when a line is there, so the window neither waits nor polls, and nothing of the
training (spaCy, its GIL-holding loops) runs in the window's process. Cancel sends
SIGTERM (the child removes its ``.part`` folder and exits); a child that has not
stopped after ``KILL_AFTER_MS`` is killed, and ``clear_leftovers`` removes what it
left.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QProcess, QProcessEnvironment, QTimer, Signal

from annotator.app.training import TrainedModel, TrainRequest
from annotator.app.training_runs import (
    child_arguments,
    clear_leftovers,
    folder_entries,
    model_parent,
)

if TYPE_CHECKING:
    from annotator.app.project import Project

KILL_AFTER_MS = 8000
_STDERR_KEEP = 4000  # characters of the child's stderr kept to explain a crash


class TrainingProcess(QObject):
    said = Signal(str)  # a stage: "training the quotes layer on 40 documents…"
    progressed = Signal(float)  # 0..1
    trained = Signal(object)  # the TrainedModel, recorded in the project
    failed = Signal(str)  # a one-paragraph reason (an E-code's message)
    cancelled = Signal()  # stopped; nothing of it is left

    def __init__(self, project: Project, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project = project
        self.process: QProcess | None = None
        self.pid = 0
        self._parent = Path()
        self._before: set[str] = set()
        self._buffer = b""
        self._stderr = ""
        self._outcome: dict[str, Any] | None = None
        self._cancelling = False
        self.removed: list[str] = []  # what clear_leftovers removed after the last stop

    @property
    def running(self) -> bool:
        return self.process is not None

    def start(self, req: TrainRequest) -> None:
        assert self.process is None, "one training at a time"
        self._parent = model_parent(self.project, req)
        self._before = folder_entries(self._parent)
        self._buffer, self._stderr, self._outcome = b"", "", None
        self._cancelling = False
        process = QProcess(self)
        env = QProcessEnvironment.systemEnvironment()
        # the child imports this very checkout, installed or not
        root = str(Path(__file__).resolve().parents[2])
        path = env.value("PYTHONPATH")
        env.insert("PYTHONPATH", root + (os.pathsep + path if path else ""))
        env.insert("PYTHONUNBUFFERED", "1")
        process.setProcessEnvironment(env)
        process.readyReadStandardOutput.connect(self._read_stdout)
        process.readyReadStandardError.connect(self._read_stderr)
        process.finished.connect(self._finished)
        process.errorOccurred.connect(self._error)
        process.started.connect(lambda: setattr(self, "pid", int(process.processId())))
        self.process = process
        process.start(sys.executable, child_arguments(self.project.url, req))

    def cancel(self) -> None:
        """Stop the training; ``cancelled`` follows once the child has gone."""
        process = self.process
        if process is None or self._cancelling:
            return
        self._cancelling = True
        process.terminate()  # SIGTERM: the child cleans up as after Ctrl+C
        QTimer.singleShot(KILL_AFTER_MS, self._kill)

    def stop_now(self, timeout_ms: int = KILL_AFTER_MS) -> None:
        """Cancel and wait (the window is closing): no child outlives it."""
        process = self.process
        if process is None:
            return
        self.cancel()
        if not process.waitForFinished(timeout_ms):
            process.kill()
            process.waitForFinished(2000)

    def _kill(self) -> None:
        if self.process is not None and self._cancelling:
            self.process.kill()

    def _read_stdout(self) -> None:
        if self.process is None:
            return
        self._buffer += bytes(self.process.readAllStandardOutput().data())
        *lines, self._buffer = self._buffer.split(b"\n")
        for line in lines:
            self._event(line)

    def _read_stderr(self) -> None:
        if self.process is None:
            return
        text = bytes(self.process.readAllStandardError().data()).decode("utf-8", "replace")
        self._stderr = (self._stderr + text)[-_STDERR_KEEP:]

    def _event(self, line: bytes) -> None:
        try:
            event = json.loads(line)
        except ValueError:
            return  # something a library printed: not ours
        if not isinstance(event, dict):
            return
        kind = event.get("event")
        if kind == "say":
            self.said.emit(str(event.get("text", "")))
        elif kind == "progress":
            self.progressed.emit(float(event.get("fraction", 0.0)))
        elif kind in ("done", "error", "cancelled"):
            self._outcome = event

    def _error(self, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart:
            self.process = None
            self.failed.emit(f"The training process could not start ({sys.executable}).")

    def _finished(self, code: int, _status: QProcess.ExitStatus) -> None:
        self._read_stdout()
        self._read_stderr()
        if self._buffer:
            self._event(self._buffer)
        process, self.process = self.process, None
        if process is not None:
            process.deleteLater()
        outcome = self._outcome or {}
        if outcome.get("event") == "done":
            # finished before a late Cancel reached it: the model is whole and recorded
            self.trained.emit(TrainedModel(**outcome["model"]))
            return
        self.removed = clear_leftovers(self.project, self._parent, self.pid, self._before)
        if self._cancelling or outcome.get("event") == "cancelled":
            self.cancelled.emit()
        elif outcome.get("event") == "error":
            self.failed.emit(str(outcome.get("text", "")))
        else:
            last = self._stderr.strip().splitlines()[-1:] or ["no message"]
            self.failed.emit(f"The training process stopped (exit code {code}): {last[0]}")
