"""Crash safety: a killed program, a full disk and a locked database lose nothing saved.

A child process works through ``Project.apply`` (or an import) and acknowledges each
committed action on stdout; the parent SIGKILLs it mid-way, reopens the database and
checks it: SQLite's integrity and foreign-key checks pass, every acknowledged action is
there, no document is half imported.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event
from typer.testing import CliRunner

from annotator.app.errors import StorageUnavailable
from annotator.app.maintenance import backup_project, check_project
from annotator.app.project import Project
from annotator.cli import app
from annotator.core import Document, Origin, Span
from annotator.core import operations as ops
from annotator.storage import Database
from annotator.storage.testing import backends, database_url

WORKER = Path(__file__).with_name("concurrency_worker.py")


def article(n: int) -> str:
    return f"Report number {n}.\n" + "Officials met reporters in Moscow today. " * 150


@pytest.fixture(params=backends())
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "postgresql":
        request.applymarker(pytest.mark.pg)
    with database_url(request.param, tmp_path) as u:
        yield u


def _spawn(*args: object) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(WORKER), *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _read_until_killed(proc: subprocess.Popen[str], kill_after: int, prefix: str) -> list[str]:
    """Lines until ``kill_after`` of them start with ``prefix``; then SIGKILL."""
    assert proc.stdout is not None
    lines: list[str] = []
    seen = 0
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line.strip())
        if line.startswith(prefix):
            seen += 1
            if seen >= kill_after:
                os.kill(proc.pid, signal.SIGKILL)
                break
    proc.wait(10)
    assert proc.returncode == -signal.SIGKILL, (
        lines[-3:],
        proc.stderr.read() if proc.stderr else "",
    )
    # anything the child printed before it died was acknowledged too
    assert proc.stdout is not None
    lines += [ln.strip() for ln in proc.stdout.read().splitlines()]
    return lines


def _assert_consistent(url: str) -> None:
    report = check_project(url)
    assert report.ok, report.problems
    if not url.startswith("postgresql"):
        con = sqlite3.connect(url)
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        con.close()


@pytest.mark.parametrize("kill_after", [1, 37])
def test_crash_sigkill_mid_burst_keeps_every_acknowledged_action(url: str, kill_after: int) -> None:
    project, (doc_id,) = _project(url)
    project.close()
    proc = _spawn("burst", url, "alice", doc_id, 100_000)
    lines = _read_until_killed(proc, kill_after, "ack")
    acked = {(int(p[1]), int(p[2])) for p in (ln.split() for ln in lines) if p[0] == "ack"}
    assert len(acked) >= kill_after
    _assert_consistent(url)
    with Project.open(url) as reopened:
        saved = reopened.load_annotation(doc_id, "alice")
        assert saved is not None
        stored = {(s.start, s.end) for s in saved.spans}
        assert acked <= stored
        # at most the one action in flight at the kill is there without its ack
        assert len(stored - acked) <= 1
        # and work goes on where it stopped
        tok = next(
            t for t in reopened.get_document(doc_id).tokens or [] if (t.start, t.end) not in stored
        )
        reopened.apply(saved, ops.AddSpan(Span(tok.start, tok.end, "GPE")))


def _project(url: str, n: int = 1) -> tuple[Project, list[int]]:
    project = Project.open(url)
    ids, _ = project._repo.insert_documents([Document(article(i)) for i in range(n)])
    return project, ids


def test_crash_sigkill_mid_import_leaves_no_half_document(url: str, tmp_path: Path) -> None:
    src = tmp_path / "big.jsonl"
    with src.open("w") as f:
        for i in range(2100):
            text = f"Item {i}: Officials met in Moscow and said nothing new."
            start = text.index("Moscow")
            spans = [{"start": start, "end": start + 6, "label": "GPE"}]
            f.write(json.dumps({"text": text, "spans": spans, "meta": {"id": i}}) + "\n")
    Project.open(url).close()
    proc = _spawn("import", url, src)
    lines = _read_until_killed(proc, 1, "progress")
    committed = [ln for ln in lines if ln.startswith("progress")]
    assert committed
    _assert_consistent(url)
    with Project.open(url) as project:
        n_docs = project.count_documents()
        imported = project.annotator("imported")
        assert imported is not None
        annotated = project.annotated_document_ids(imported)
        assert n_docs >= 1000  # the acknowledged batch is there
        assert n_docs % 1000 == 0 or n_docs == 2100  # whole batches only
        assert len(annotated) == n_docs  # no document without its annotation
        for _doc, ann in project.iter_annotations(imported):
            assert [(s.label, s.end - s.start) for s in ann.spans] == [("GPE", 6)]
        # importing again finishes the job without duplicates
        report = project.import_paths([src])
        assert report.imported + report.duplicates == 2100
        assert project.count_documents() == 2100


def _limit_pages(db: Database, pages: int | None) -> None:
    """Cap the file at ``pages`` pages on every connection (a full disk for SQLite)."""

    def cap(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        if pages is not None:
            dbapi_connection.execute(f"PRAGMA max_page_count={pages}")

    db.engine.dispose()  # new connections only, each gets the cap
    event.listen(db.engine, "connect", cap)


def test_crash_disk_full_refuses_the_edit_and_keeps_saved_work(tmp_path: Path) -> None:
    path = tmp_path / "full.db"
    project, (doc_id,) = _project(str(path))
    doc = project.get_document(doc_id)
    tokens = [t for t in doc.tokens or [] if doc.text[t.start : t.end].isalpha()]
    ann = project.open_annotation(doc_id, "alice")
    for tok in tokens[:5]:
        ann, _ = project.apply(ann, ops.AddSpan(Span(tok.start, tok.end, "ORG")))
    with project.db.engine.connect() as conn:
        used = conn.exec_driver_sql("PRAGMA page_count").scalar()
    _limit_pages(project.db, int(used or 0))
    error = None
    for tok in tokens[5:]:
        try:
            ann, _ = project.apply(ann, ops.AddSpan(Span(tok.start, tok.end, "ORG")))
        except StorageUnavailable as exc:
            error = exc
            break
    assert error is not None, "the capped file never filled up"
    assert "disk is full" in str(error) and "intact" in str(error)
    saved_spans = {(s.start, s.end) for s in ann.spans}
    project.close()
    _assert_consistent(str(path))
    with Project.open(path) as reopened:
        stored = reopened.load_annotation(doc_id, "alice")
        assert stored is not None and {(s.start, s.end) for s in stored.spans} == saved_spans
        # with space again, the refused edit goes through
        reopened.apply(stored, ops.AddSpan(Span(tok.start, tok.end, "ORG")))


def test_crash_file_size_limit_in_a_child_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "fsize.db"
    project, (doc_id,) = _project(str(path))
    project.open_annotation(doc_id, "alice")
    project.close()
    limit = path.stat().st_size + 48 * 1024
    proc = _spawn("fsize", path, "alice", doc_id, limit)
    out, errs = proc.communicate(timeout=120)
    assert proc.returncode == 0, errs
    lines = out.splitlines()
    assert lines[-1].startswith("full "), lines[-3:]
    assert "not written" in lines[-1]
    acked = {(int(p[1]), int(p[2])) for p in (ln.split() for ln in lines) if p[0] == "ack"}
    _assert_consistent(str(path))
    with Project.open(path) as reopened:
        stored = reopened.load_annotation(doc_id, "alice")
        assert stored is not None
        assert acked == {(s.start, s.end) for s in stored.spans}


def test_crash_locked_database_is_a_clear_error_and_the_edit_can_be_retried(
    tmp_path: Path,
) -> None:
    path = tmp_path / "locked.db"
    project, (doc_id,) = _project(str(path))
    project.close()
    project = Project(Database(path, busy_timeout_ms=300))
    ann = project.open_annotation(doc_id, "alice")
    tok = (project.get_document(doc_id).tokens or [])[2]
    op = ops.AddSpan(Span(tok.start, tok.end, "ORG", origin=Origin.MANUAL))
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    start = time.perf_counter()
    with pytest.raises(StorageUnavailable, match="locked by another program") as caught:
        project.apply(ann, op)
    assert time.perf_counter() - start < 5
    assert "nothing was lost" in str(caught.value)
    other.execute("ROLLBACK")
    other.close()
    saved, _ = project.apply(ann, op)  # the caller kept the edit and retries
    assert (tok.start, tok.end) in {(s.start, s.end) for s in saved.spans}
    project.close()


def test_crash_lock_released_within_busy_timeout_just_waits(tmp_path: Path) -> None:
    path = tmp_path / "brief.db"
    project, (doc_id,) = _project(str(path))
    ann = project.open_annotation(doc_id, "alice")
    tok = (project.get_document(doc_id).tokens or [])[2]
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    threading.Timer(0.5, lambda: other.execute("ROLLBACK")).start()
    saved, _ = project.apply(ann, ops.AddSpan(Span(tok.start, tok.end, "ORG")))
    assert saved.version == ann.version + 1
    other.close()
    project.close()


def test_crash_backup_and_check_while_another_process_writes(tmp_path: Path) -> None:
    path = tmp_path / "live.db"
    project, (doc_id,) = _project(str(path))
    window = project.open_annotation(doc_id, "alice")  # the window stays open
    proc = _spawn("burst", path, "bob", doc_id, 100_000)
    assert proc.stdout is not None
    while not proc.stdout.readline().startswith("ack"):
        pass
    runner = CliRunner()
    result = runner.invoke(app, ["--db", str(path), "db", "backup", str(tmp_path / "b.db")])
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["--db", str(tmp_path / "b.db"), "db", "check"])
    assert result.exit_code == 0, result.output
    assert "PRAGMA integrity_check" in result.output and "ok" in result.output
    with Project.open(tmp_path / "b.db") as copy:
        assert copy.load_annotation(doc_id, "bob") is not None
    # the window's annotation is still saveable after all this
    tok = (project.get_document(doc_id).tokens or [])[2]
    project.apply(window, ops.AddSpan(Span(tok.start, tok.end, "ORG")))
    with pytest.raises(Exception, match="already exists"):
        backup_project(path, tmp_path / "b.db")
    project.close()
