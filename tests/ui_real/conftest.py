"""Fixtures that run the real program on a real X server (Xvfb) and drive it with xdotool.

The program is started exactly as the README says (``annotator --db p.db import seeds``,
``annotator --db p.db suggest``, ``annotator --db p.db --annotator alice``) as a
subprocess on Qt's ``xcb`` platform, with HOME and the XDG folders in ``tmp_path`` so
QSettings and the default data folder are throwaway. Keys and clicks are X input events
(xdotool); what the window shows is read from the ``ANNOTATOR_TRACE=1`` JSON lines on
its stderr (``annotator/ui/trace.py``), from screenshots and from the SQLite file.

Needs ``Xvfb`` and ``xdotool`` (``.ci/run`` installs them); without them every test
here is skipped, saying which is missing. Screenshots need ImageMagick's ``import``.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
MAIN_TITLE = r"\.db — Quote & Entity Annotator$"  # the main window (the tests open p.db)
SCREEN = "1600x1000x24"

MISSING = [tool for tool in ("Xvfb", "xdotool") if shutil.which(tool) is None]
SKIP_REASON = (
    f"real-window tests need {' and '.join(MISSING)} on PATH "
    "(apt-get install xvfb xdotool; .ci/run installs them)"
)
needs_x = pytest.mark.skipif(bool(MISSING), reason=SKIP_REASON)


# -- the X server ----------------------------------------------------------------------


@dataclass
class XServer:
    display: str
    pid: int
    log: Path


def _display_free(n: int) -> bool:
    return not Path(f"/tmp/.X{n}-lock").exists() and not Path(f"/tmp/.X11-unix/X{n}").exists()


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sample project made once with the README's commands, copied by each test:
    ``suggested`` after ``import seeds`` and ``suggest``, ``bare`` after ``import`` only."""
    if MISSING:
        pytest.skip(SKIP_REASON)
    folder = tmp_path_factory.mktemp("templates")
    env = program_env(folder / "home", ":0")  # headless commands: no display used
    made = {}
    for name, suggest in (("suggested", True), ("bare", False)):
        db = folder / f"{name}.db"
        run_cli(["--db", str(db), "import", str(SEEDS)], env=env, cwd=folder)
        if suggest:
            run_cli(["--db", str(db), "suggest"], env=env, cwd=folder)
        made[name] = db
    return made


@pytest.fixture(scope="session")
def xserver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[XServer]:
    """``Xvfb :N -screen 0 1600x1000x24 -nolisten tcp`` on a free N, stopped by its PID."""
    if MISSING:
        pytest.skip(SKIP_REASON)
    logs = tmp_path_factory.mktemp("xvfb")
    for n in (m for m in range(90, 190) if _display_free(m)):
        log = logs / f"xvfb-{n}.log"
        with log.open("wb") as out:
            proc = subprocess.Popen(
                ["Xvfb", f":{n}", "-screen", "0", SCREEN, "-nolisten", "tcp"],
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        deadline = time.monotonic() + 15
        while proc.poll() is None and time.monotonic() < deadline:
            if Path(f"/tmp/.X11-unix/X{n}").exists():
                break
            time.sleep(0.05)
        if proc.poll() is None and Path(f"/tmp/.X11-unix/X{n}").exists():
            break
        _stop(proc)  # another server took N meanwhile, or it did not start: next number
    else:
        pytest.fail("could not start Xvfb on any display :90-:189")
    try:
        yield XServer(f":{n}", proc.pid, log)
    finally:
        _stop(proc)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop one process that these fixtures started, by its PID."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


# -- the program -----------------------------------------------------------------------


def annotator_command() -> list[str]:
    """The ``annotator`` console script of this Python (the README's command)."""
    script = Path(sys.executable).parent / "annotator"
    if script.exists():
        return [str(script)]
    found = shutil.which("annotator")
    if found:
        return [found]
    return [sys.executable, "-c", "import sys; from annotator.cli import main; sys.exit(main())"]


def program_env(home: Path, display: str) -> dict[str, str]:
    """The person's environment, with throwaway settings and data folders, on ``display``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QT_", "ANNOTATOR_"))}
    runtime = home / ".runtime"
    for sub in (".config", ".local/share", ".cache"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    runtime.mkdir(mode=0o700, parents=True, exist_ok=True)
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local/share"),
        XDG_CACHE_HOME=str(home / ".cache"),
        XDG_RUNTIME_DIR=str(runtime),
        DISPLAY=display,
        QT_QPA_PLATFORM="xcb",
        ANNOTATOR_TRACE="1",
        PYTHONFAULTHANDLER="1",
    )
    return env


def run_cli(args: list[str], *, env: dict[str, str], cwd: Path, timeout: float = 180) -> str:
    """One headless ``annotator`` command; it must exit 0."""
    done = subprocess.run(
        [*annotator_command(), *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, (
        f"annotator {' '.join(args)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    )
    return done.stdout


def copy_database(src: Path, dst: Path) -> Path:
    """A consistent copy of a (WAL-mode) project file, through SQLite's backup API."""
    with sqlite3.connect(src) as a, sqlite3.connect(dst) as b:
        a.backup(b)
    a.close()
    b.close()
    return dst


@dataclass
class Window:
    """The running program: its process, its trace, and the X window it shows."""

    proc: subprocess.Popen[bytes]
    stderr_path: Path
    shots: Path
    env: dict[str, str]
    db: Path
    win: str | None = None
    _events: list[dict[str, Any]] = field(default_factory=list)
    _read: int = 0
    _shot_count: int = 0

    # trace ------------------------------------------------------------------

    def stderr(self) -> str:
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")

    def events(self) -> list[dict[str, Any]]:
        """Every trace event so far (parsed once, in order)."""
        with self.stderr_path.open("rb") as f:
            f.seek(self._read)
            chunk = f.read()
        end = chunk.rfind(b"\n") + 1  # a line still being written waits for the next call
        self._read += end
        for raw in chunk[:end].splitlines():
            line = raw.decode("utf-8", errors="replace").strip()
            if line.startswith('{"event"'):
                # a trace line interleaved with another write is not an event
                with suppress(ValueError):
                    self._events.append(json.loads(line))
        return self._events

    def mark(self) -> int:
        return len(self.events())

    def last(self, kind: str) -> dict[str, Any] | None:
        for e in reversed(self.events()):
            if e["event"] == kind:
                return e
        return None

    def problems(self) -> list[str]:
        """What in stderr fails any test: a traceback, an ambiguous shortcut."""
        text = self.stderr()
        found = []
        if "Traceback" in text:
            i = text.index("Traceback")
            found.append(text[i : i + 1500])
        for line in text.splitlines():
            if "Ambiguous shortcut" in line:
                found.append(line)
        return found

    def wait_for(
        self,
        what: str,
        pred: Callable[[dict[str, Any]], bool],
        *,
        after: int = 0,
        timeout: float = 30,
        stop_on_problem: bool = True,
    ) -> dict[str, Any]:
        """The first event from index ``after`` on that satisfies ``pred``; else fail."""
        deadline = time.monotonic() + timeout
        while True:
            events = self.events()
            for e in events[after:]:
                if pred(e):
                    return e
            if self.proc.poll() is not None:
                self.fail(f"the program exited ({self.proc.returncode}) while waiting for {what}")
            if stop_on_problem and self.problems():
                self.fail(f"while waiting for {what}")
            if time.monotonic() > deadline:
                self.fail(f"no {what} within {timeout:.0f} s")
            time.sleep(0.05)

    def fail(self, message: str) -> None:
        time.sleep(0.3)  # a traceback being written: let it finish
        shot = self.screenshot("failure")
        tail = "\n".join(
            line[:400] for line in self.stderr().splitlines()[-25:]
        )  # trace lines can be long
        problems = "\n".join(self.problems())
        pytest.fail(
            f"{message}\nscreenshot: {shot}\nproblems on stderr: {problems or 'none'}\n"
            f"stderr ({self.stderr_path}), last lines:\n{tail}",
            pytrace=False,
        )

    def assert_clean(self) -> None:
        problems = self.problems()
        if problems:
            self.fail("stderr has a traceback or an ambiguous shortcut")

    # X ------------------------------------------------------------------------

    def xdotool(self, *args: str, timeout: float = 20) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["xdotool", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )

    def find_window(self, timeout: float = 60) -> str:
        """``xdotool search --sync`` for the main window of this process."""
        deadline = time.monotonic() + timeout
        pid = str(self.proc.pid)
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self.fail(f"the program exited ({self.proc.returncode}) before showing a window")
            try:
                found = self.xdotool(
                    "search", "--sync", "--all", "--onlyvisible", "--pid", pid,
                    "--name", MAIN_TITLE, timeout=1.0,
                )  # fmt: skip
            except subprocess.TimeoutExpired:
                continue  # not there yet: look again (and see whether the program died)
            ids = found.stdout.split()
            if ids:
                self.win = ids[0]
                return self.win
        self.fail(f"no window titled {MAIN_TITLE!r} within {timeout:.0f} s")
        raise AssertionError  # unreachable: fail raises

    def visible_windows(self) -> dict[str, str]:
        """Every mapped top-level window of this process: id -> title."""
        found = self.xdotool("search", "--all", "--onlyvisible", "--pid", str(self.proc.pid))
        names = {}
        for wid in found.stdout.split():
            names[wid] = self.xdotool("getwindowname", wid).stdout.strip()
        return names

    def focus(self) -> None:
        """Give the window the keyboard, as clicking its title bar would."""
        assert self.win is not None
        if self.xdotool("windowactivate", "--sync", self.win).returncode != 0:
            # Xvfb has no window manager to activate windows: set the input focus directly.
            self.xdotool("windowfocus", "--sync", self.win)
        time.sleep(0.2)

    def key(self, *keys: str) -> None:
        assert self.win is not None
        self.xdotool("key", "--window", self.win, "--delay", "60", *keys)

    def click(self, x: int, y: int) -> None:
        self.xdotool("mousemove", "--sync", str(x), str(y))
        self.xdotool("click", "1")

    def screenshot(self, name: str) -> Path | None:
        """The whole screen as a PNG in tmp_path (None without ImageMagick's ``import``)."""
        if shutil.which("import") is None:
            return None
        self._shot_count += 1
        path = self.shots / f"{self._shot_count:02d}-{name}.png"
        try:
            subprocess.run(
                ["import", "-window", "root", str(path)],
                env=self.env,
                capture_output=True,
                timeout=30,
                stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired:
            return None
        return path if path.exists() else None

    # lifetime -----------------------------------------------------------------

    def press_quit(self) -> None:
        """Ctrl+Q, as a person closes it (``quit`` also waits for the exit)."""
        self.focus()
        self.key("ctrl+q")

    def quit(self, timeout: float = 30) -> int:
        """Ctrl+Q, as a person closes it; the exit code."""
        self.press_quit()
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.fail(f"still running {timeout:.0f} s after Ctrl+Q")
            raise

    def stop(self) -> None:
        _stop(self.proc)


@dataclass
class Program:
    """Starts the program the README's way, in one test's tmp_path, on the test X server."""

    tmp: Path
    xserver: XServer
    templates: dict[str, Path]
    windows: list[Window] = field(default_factory=list)

    def env(self, name: str = "home") -> dict[str, str]:
        return program_env(self.tmp / name, self.xserver.display)

    def cli(self, db: Path, *args: str) -> str:
        return run_cli(["--db", str(db), *args], env=self.env(), cwd=self.tmp)

    def project(self, name: str = "p.db", *, suggest: bool = True) -> Path:
        """A fresh copy of ``annotator --db p.db import seeds`` [+ ``suggest``]."""
        template = self.templates["suggested" if suggest else "bare"]
        return copy_database(template, self.tmp / name)

    def park_pointer(self) -> None:
        """Move the pointer off the window (1440x900 at the top left), so no tooltip shows."""
        subprocess.run(
            ["xdotool", "mousemove", "1590", "990"],
            env=self.env(),
            capture_output=True,
            timeout=20,
            stdin=subprocess.DEVNULL,
        )

    def status(self, db: Path) -> dict[str, Any]:
        return json.loads(self.cli(db, "status", "--json"))

    def start(
        self, db: Path, *, annotator: str = "alice", home: str = "home", find: bool = True
    ) -> Window:
        """``annotator --db p.db --annotator alice`` (no --model); waits for its window
        unless ``find`` is false (then call ``find_window``)."""
        n = len(self.windows)
        stderr_path = self.tmp / f"window-{n}.stderr"
        shots = self.tmp / "screenshots"
        shots.mkdir(exist_ok=True)
        env = self.env(home)
        with stderr_path.open("wb") as err, (self.tmp / f"window-{n}.stdout").open("wb") as out:
            proc = subprocess.Popen(
                [*annotator_command(), "--db", str(db), "--annotator", annotator],
                env=env,
                cwd=self.tmp,
                stdout=out,
                stderr=err,
                stdin=subprocess.DEVNULL,
            )
        window = Window(proc, stderr_path, shots, env, db)
        self.windows.append(window)
        if find:
            window.find_window()
        return window

    def close_all(self) -> None:
        for w in self.windows:
            w.stop()


@pytest.fixture
def program(tmp_path: Path, xserver: XServer, templates: dict[str, Path]) -> Iterator[Program]:
    prog = Program(tmp_path, xserver, templates)
    try:
        yield prog
    finally:
        prog.close_all()


@contextmanager
def busy_cpus(n: int = 2, *, nice: int = 0) -> Iterator[list[subprocess.Popen[bytes]]]:
    """``n`` busy-loop processes (the machine has two cores), killed by PID at the end.

    ``nice`` lowers their priority: they still take every idle cycle and preempt the
    program's threads, but leave it most of a core, so a start takes seconds, not tens.
    """
    loop = f"import os; os.nice({nice})\nwhile True: pass"
    procs = [
        subprocess.Popen([sys.executable, "-c", loop], stdin=subprocess.DEVNULL) for _ in range(n)
    ]
    try:
        yield procs
    finally:
        for p in procs:
            p.kill()
            p.wait(10)


# -- the saved project -----------------------------------------------------------------


def read_annotation(db: Path, doc_id: int, annotator: str) -> Any:
    """The annotation as saved (``Project.open`` on the file the window writes)."""
    from annotator.app.project import Project

    with Project.open(str(db)) as project:
        return project.load_annotation(doc_id, annotator)


def wait_saved(
    db: Path,
    doc_id: int,
    annotator: str,
    pred: Callable[[Any], bool],
    *,
    window: Window,
    what: str,
    timeout: float = 10,
) -> Any:
    """Poll the file until the annotation satisfies ``pred`` (each action commits at once)."""
    deadline = time.monotonic() + timeout
    ann = None
    while time.monotonic() < deadline:
        ann = read_annotation(db, doc_id, annotator)
        if ann is not None and pred(ann):
            return ann
        time.sleep(0.2)
    window.fail(f"the database never showed {what} within {timeout:.0f} s (last: {ann!r:.600})")
    raise AssertionError  # unreachable
