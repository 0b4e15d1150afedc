"""Real doccano and Label Studio servers on loopback, each run from its own venv.

Both listen on 127.0.0.1 only, on a free port, with their data in a folder the caller
owns (a pytest tmp folder, or the bench's). Every process is started in a session of
its own, so :meth:`Server.stop` ends it with its workers by the group of the PID it
started, never by name.

The venvs are built by ``install_peers.py``; without them :func:`start_doccano` and
:func:`start_labelstudio` raise :class:`PeerMissing`, which the tests turn into a skip
outside CI.
"""

from __future__ import annotations

import http.cookiejar
import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import requests

HOST = "127.0.0.1"
ADMIN = "admin"
PASSWORD = "peers-admin-pass-1"
LS_EMAIL = "admin@example.com"
# Label Studio takes the legacy API token at first start from LABEL_STUDIO_USER_TOKEN.
LS_TOKEN = "0f1e2d3c4b5a69788796a5b4c3d2e1f0aabbccdd"


def peers_dir() -> Path:
    return Path(os.environ.get("ANNOTATOR_PEERS_DIR") or Path.home() / ".cache" / "annotator-peers")


def venv_bin(name: str) -> Path:
    return peers_dir() / name / "bin"


def is_built(name: str) -> bool:
    """The venv is installed and its migrated template database made (install_peers.py)."""
    return (peers_dir() / name / ".built").is_file()


def template_dir(name: str) -> Path:
    return peers_dir() / name / "template"


class PeerMissing(RuntimeError):
    """A peer's venv is not built (run tests/peers/install_peers.py)."""


class PeerFailed(RuntimeError):
    """A peer did not start or answered wrongly; the message names its log."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    name: str
    url: str
    token: str
    workdir: Path
    procs: list[subprocess.Popen[bytes]] = field(default_factory=list)
    logs: list[IO[bytes]] = field(default_factory=list)

    def session(self) -> requests.Session:
        s = requests.Session()
        s.headers["Authorization"] = f"Token {self.token}"
        # A session cookie would make Django's SessionAuthentication ask for CSRF.
        s.cookies.set_policy(_NoCookies())
        return s

    def stop(self) -> None:
        for proc in self.procs:
            _stop_group(proc)
        for log in self.logs:
            log.close()
        self.procs.clear()
        self.logs.clear()


class _NoCookies(http.cookiejar.DefaultCookiePolicy):
    def set_ok(self, cookie: http.cookiejar.Cookie, request: object) -> bool:
        return False


def _stop_group(proc: subprocess.Popen[bytes], grace: float = 10.0) -> None:
    if proc.poll() is not None:
        return
    # start_new_session made the PID its group's id: the group is the server's workers.
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=grace)
    except ProcessLookupError:
        pass


def _spawn(
    server: Server, argv: list[str], env: dict[str, str], log_name: str, cwd: Path | None = None
) -> subprocess.Popen[bytes]:
    log = open(server.workdir / log_name, "wb")  # noqa: SIM115 - closed by Server.stop
    server.logs.append(log)
    proc = subprocess.Popen(
        argv,
        env=env,
        cwd=cwd or server.workdir,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    server.procs.append(proc)
    return proc


def _wait_ready(server: Server, path: str, timeout: float, log_name: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for proc in server.procs:
            if proc.poll() is not None:
                raise PeerFailed(
                    f"{server.name} exited with {proc.returncode} while starting; "
                    f"see {server.workdir / log_name}"
                )
        try:
            if requests.get(server.url + path, timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise PeerFailed(
        f"{server.name} not ready after {timeout:.0f} s; see {server.workdir / log_name}"
    )


def _run(argv: list[str], env: dict[str, str], log: Path, what: str) -> None:
    with open(log, "ab") as out:
        done = subprocess.run(
            argv, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT
        )
    if done.returncode:
        raise PeerFailed(f"{what} failed ({done.returncode}); see {log}")


def _base_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "LABEL_STUDIO_"))}
    env.pop("HOST", None)
    env.pop("PORT", None)
    return env


# doccano --------------------------------------------------------------------------------


def doccano_backend() -> Path:
    found = sorted((peers_dir() / "doccano" / "lib").glob("python3*/site-packages/backend"))
    if not found:
        raise PeerMissing("doccano's backend package is not in its venv")
    return found[0]


def _doccano_env(home: Path) -> dict[str, str]:
    return _base_env() | {
        "DOCCANO_HOME": str(home),
        "DATABASE_URL": f"sqlite:///{home / 'db.sqlite3'}",
        "MEDIA_ROOT": str(home / "media"),
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "STANDALONE": "True",
        "DEBUG": "False",
    }


def make_doccano_template() -> Path:
    """A migrated doccano database with the admin user (``doccano init``, ``createuser``):
    half a minute of migrations paid once, not at every start."""
    home = template_dir("doccano")
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    env = _doccano_env(home)
    bin_ = venv_bin("doccano")
    log = home / "setup.log"
    _run([str(bin_ / "doccano"), "init"], env, log, "doccano init")
    _run(
        [str(bin_ / "doccano"), "createuser", "--username", ADMIN, "--password", PASSWORD],
        env,
        log,
        "doccano createuser",
    )
    return home / "db.sqlite3"


def start_doccano(workdir: Path, workers: int = 2) -> Server:
    """doccano 1.8.4 on a copy of the template database: gunicorn and a celery worker.

    ``doccano webserver`` would bind 0.0.0.0, so its WSGI app (``config.wsgi``) is
    served by gunicorn on loopback instead. Imports and exports are celery tasks: the
    worker (``doccano task``) takes them from the SQLite broker doccano configures
    itself (``sqla+sqlite`` on its own database) and stores results in that database,
    where the REST API's task status reads them.
    """
    if not is_built("doccano"):
        raise PeerMissing("doccano venv not built: python3 tests/peers/install_peers.py doccano")
    home = workdir / "home"
    home.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template_dir("doccano") / "db.sqlite3", home / "db.sqlite3")
    env = _doccano_env(home)
    bin_ = venv_bin("doccano")
    port = free_port()
    server = Server("doccano", f"http://{HOST}:{port}", "", workdir)
    try:
        _spawn(
            server,
            [
                str(bin_ / "gunicorn"),
                "--bind",
                f"{HOST}:{port}",
                "--workers",
                str(workers),
                "--timeout",
                "1800",
                "config.wsgi",
            ],
            env,
            "doccano-web.log",
            cwd=doccano_backend(),
        )
        _spawn(
            server,
            [str(bin_ / "doccano"), "task", "--concurrency", "1"],
            env,
            "doccano-worker.log",
        )
        _wait_ready(server, "/v1/health/", 180, "doccano-web.log")
        # A fresh requests call: the login's session cookie must not reach the session.
        answer = requests.post(
            server.url + "/v1/auth/login/",
            json={"username": ADMIN, "password": PASSWORD},
            timeout=60,
        )
        if answer.status_code != 200:
            raise PeerFailed(f"doccano login: {answer.status_code} {answer.text[:200]}")
        server.token = answer.json()["key"]
    except BaseException:
        server.stop()
        raise
    return server


# Label Studio -------------------------------------------------------------------------


def _labelstudio(data: Path, port: int) -> tuple[list[str], dict[str, str]]:
    """The command and environment of ``label-studio start`` on loopback.

    ``--host`` is only the URL Label Studio writes into its pages; ``--internal-host``
    is the address it binds (0.0.0.0 by default). The update check, analytics and
    Sentry are off so the server talks to no address but loopback. The user, and its
    legacy API token (enabled for the organization made at the first start), come from
    LABEL_STUDIO_USERNAME / PASSWORD / USER_TOKEN.
    """
    argv = [
        str(venv_bin("labelstudio") / "label-studio"),
        "start",
        "--internal-host",
        HOST,
        "--host",
        f"http://{HOST}:{port}",
        "--port",
        str(port),
        "--no-browser",
        "--enable-legacy-api-token",
        "--data-dir",
        str(data),
    ]
    env = _base_env() | {
        "LABEL_STUDIO_BASE_DATA_DIR": str(data),
        "LABEL_STUDIO_USERNAME": LS_EMAIL,
        "LABEL_STUDIO_PASSWORD": PASSWORD,
        "LABEL_STUDIO_USER_TOKEN": LS_TOKEN,
        "LATEST_VERSION_CHECK": "false",
        "COLLECT_ANALYTICS": "false",
        "SENTRY_DSN": "",
        "FRONTEND_SENTRY_DSN": "",
    }
    return argv, env


def make_labelstudio_template(workdir: Path) -> Path:
    """Start Label Studio once on an empty data folder (it migrates, for minutes), stop
    it, and keep its database as the template every later start copies."""
    data = template_dir("labelstudio")
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir(parents=True)
    port = free_port()
    argv, env = _labelstudio(data, port)
    server = Server("Label Studio (first start)", f"http://{HOST}:{port}", LS_TOKEN, workdir)
    try:
        _spawn(server, argv, env, "labelstudio-template.log")
        _wait_ready(server, "/health", 1800, "labelstudio-template.log")
        with server.session() as s:
            answer = s.get(server.url + "/api/projects")
        if answer.status_code != 200:
            raise PeerFailed(f"Label Studio token refused: {answer.status_code} {answer.text}")
    finally:
        server.stop()
    return data / "label_studio.sqlite3"


def start_labelstudio(workdir: Path) -> Server:
    """Label Studio 1.23 on a copy of the template database, data in ``workdir``."""
    if not is_built("labelstudio"):
        raise PeerMissing(
            "Label Studio venv not built: python3 tests/peers/install_peers.py labelstudio"
        )
    data = workdir / "data"
    data.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(
        template_dir("labelstudio") / "label_studio.sqlite3", data / "label_studio.sqlite3"
    )
    port = free_port()
    argv, env = _labelstudio(data, port)
    server = Server("Label Studio", f"http://{HOST}:{port}", LS_TOKEN, workdir)
    try:
        _spawn(server, argv, env, "labelstudio.log")
        _wait_ready(server, "/health", 300, "labelstudio.log")
    except BaseException:
        server.stop()
        raise
    return server
