"""The few REST calls a round trip makes, to doccano 1.8.4 and to Label Studio 1.23.

Each peer's import and export is what its own web page does: doccano uploads through
its file-pond endpoint, then runs a celery import or export task whose status the page
polls; Label Studio takes tasks in one POST and returns its JSON export in one GET.
"""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path
from typing import Any

from peer_servers import PeerFailed, Server


def _ok(answer: Any, what: str) -> Any:
    if answer.status_code >= 300:
        raise PeerFailed(f"{what}: HTTP {answer.status_code} {answer.text[:500]}")
    return answer


# doccano ------------------------------------------------------------------------------


def doccano_project(server: Server, name: str) -> int:
    """A sequence-labelling project with relations, and with overlapping spans allowed
    (without it doccano's import silently keeps only the first of overlapping spans:
    our quotes overlap entities)."""
    body = {
        "name": name,
        "description": name,
        "guideline": "",
        "project_type": "SequenceLabeling",
        "resourcetype": "SequenceLabelingProject",
        "allow_overlapping": True,
        "use_relation": True,
        "collaborative_annotation": True,
    }
    with server.session() as s:
        return int(
            _ok(s.post(server.url + "/v1/projects", json=body), "doccano project").json()["id"]
        )


def _doccano_wait(server: Server, task_id: str, what: str, timeout: float) -> Any:
    deadline = time.monotonic() + timeout
    delay = 0.05
    with server.session() as s:
        while time.monotonic() < deadline:
            answer = s.get(f"{server.url}/v1/tasks/status/{task_id}")
            if answer.status_code >= 500:
                # doccano on SQLite: the status read fails while the celery worker
                # holds the write lock of a large import ("database is locked")
                time.sleep(delay)
                continue
            status = _ok(answer, what).json()
            if status["ready"]:
                if status.get("error"):
                    raise PeerFailed(f"{what}: {status['error']}")
                return status["result"]
            time.sleep(delay)
            delay = min(delay * 2, 0.5)
    raise PeerFailed(f"{what}: not done after {timeout:.0f} s")


def doccano_import(server: Server, project: int, path: Path, timeout: float = 1800) -> None:
    """Upload ``path`` as doccano's "JSONL(Relation)" and wait for the import task."""
    with server.session() as s, open(path, "rb") as fh:
        upload = _ok(
            s.post(
                server.url + "/v1/fp/process/",
                files={"filepond": (path.name, fh, "application/octet-stream")},
            ),
            "doccano upload",
        ).text
        body = {"format": "JSONL", "task": "RelationExtraction", "uploadIds": [upload]}
        task = _ok(
            s.post(f"{server.url}/v1/projects/{project}/upload", json=body), "doccano import"
        ).json()["task_id"]
    result = _doccano_wait(server, task, "doccano import", timeout)
    if result.get("error"):
        raise PeerFailed(f"doccano import reported: {result['error'][:5]}")


def doccano_export(server: Server, project: int, out: Path, timeout: float = 1800) -> Path:
    """doccano's JSONL export of every example (its zip, as the page downloads it)."""
    with server.session() as s:
        body = {"format": "JSONL", "exportApproved": False}
        task = _ok(
            s.post(f"{server.url}/v1/projects/{project}/download", json=body), "doccano export"
        ).json()["task_id"]
    _doccano_wait(server, task, "doccano export", timeout)
    with server.session() as s:
        answer = _ok(
            s.get(f"{server.url}/v1/projects/{project}/download", params={"taskId": task}),
            "doccano download",
        )
    zipfile.ZipFile(io.BytesIO(answer.content)).testzip()
    out.write_bytes(answer.content)
    return out


# Label Studio -------------------------------------------------------------------------


def labelstudio_project(server: Server, name: str, label_config: str) -> int:
    body = {"title": name, "label_config": label_config}
    with server.session() as s:
        return int(_ok(s.post(server.url + "/api/projects", json=body), "LS project").json()["id"])


def labelstudio_import(server: Server, project: int, path: Path) -> int:
    """POST the task list file, as the import dialog uploads it; the number of tasks."""
    with server.session() as s, open(path, "rb") as fh:
        answer = _ok(
            s.post(
                f"{server.url}/api/projects/{project}/import",
                files={"file": (path.name, fh, "application/json")},
                timeout=3600,
            ),
            "LS import",
        ).json()
    return int(answer.get("task_count", 0))


def labelstudio_export(server: Server, project: int, out: Path) -> Path:
    """Label Studio's JSON export of every task, annotations and predictions included."""
    with server.session() as s:
        answer = _ok(
            s.get(
                f"{server.url}/api/projects/{project}/export",
                params={"exportType": "JSON", "download_all_tasks": "true"},
                timeout=3600,
            ),
            "LS export",
        )
    out.write_bytes(answer.content)
    return out
