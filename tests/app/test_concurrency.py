"""Several annotators on one project: SQLite file and PostgreSQL server.

Two processes editing different documents both finish without errors (on PostgreSQL
without waiting for each other at all); two edits of the same annotation are caught by
its version: the second is refused with a message and the current version, never
written over the first.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from annotator.app.errors import ConflictError
from annotator.app.project import Project
from annotator.core import Document, Origin, Span
from annotator.core import operations as ops
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


def _project_with_docs(url: str, n: int = 2) -> tuple[Project, list[int]]:
    project = Project.open(url)
    ids, _ = project._repo.insert_documents([Document(article(i)) for i in range(n)])
    return project, ids


def _worker(*args: object) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(WORKER), *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _acked(lines: list[str]) -> set[tuple[int, int]]:
    return {(int(p[1]), int(p[2])) for p in (ln.split() for ln in lines) if p[0] == "ack"}


def test_concurrency_two_processes_different_documents_both_finish(url: str) -> None:
    project, (doc_a, doc_b) = _project_with_docs(url)
    n = 60
    procs = [_worker("burst", url, "alice", doc_a, n), _worker("burst", url, "bob", doc_b, n)]
    outputs = [p.communicate(timeout=120) for p in procs]
    for p, (out, errs) in zip(procs, outputs, strict=True):
        assert p.returncode == 0, errs
        assert out.splitlines()[-1] == "done"
    for who, doc_id, (out, _) in zip(("alice", "bob"), (doc_a, doc_b), outputs, strict=True):
        saved = project.load_annotation(doc_id, who)
        assert saved is not None
        assert {(s.start, s.end) for s in saved.spans} == _acked(out.splitlines())
        assert len(saved.spans) == n
    project.close()


def test_concurrency_same_annotator_same_document_from_two_processes(url: str) -> None:
    """The same annotator in two windows on one document: every save either lands or
    is refused as a conflict; none overwrites another (all acknowledged spans stay)."""
    project, (doc_a, _) = _project_with_docs(url)
    project.open_annotation(doc_a, "alice")
    procs = [_worker("burst", url, "alice", doc_a, 30, k, 2) for k in (0, 1)]
    outputs = [p.communicate(timeout=120) for p in procs]
    acked: set[tuple[int, int]] = set()
    for _p, (out, errs) in zip(procs, outputs, strict=True):
        acked |= _acked(out.splitlines())
        # a worker stops at its first conflict (it does not reload): that is the point
        assert out.endswith("done\n") or "ConflictError" in errs, errs
    saved = project.load_annotation(doc_a, "alice")
    assert saved is not None
    assert acked <= {(s.start, s.end) for s in saved.spans}
    project.close()


def test_concurrency_second_save_of_same_annotation_is_refused_with_reload(url: str) -> None:
    first, (doc_id, _) = _project_with_docs(url)
    second = Project.open(url)  # another annotator's window: its own engine
    mine = first.open_annotation(doc_id, "alice")
    theirs = second.open_annotation(doc_id, "alice")
    assert mine.version == theirs.version
    doc = first.get_document(doc_id)
    tok1, tok2 = doc.tokens[2], doc.tokens[4]  # type: ignore[index]
    saved, _ = first.apply(mine, ops.AddSpan(Span(tok1.start, tok1.end, "ORG")))
    with pytest.raises(ConflictError, match="changed elsewhere") as caught:
        second.apply(theirs, ops.AddSpan(Span(tok2.start, tok2.end, "GPE")))
    current = caught.value.current
    assert current is not None and current.version == saved.version
    assert (tok1.start, tok1.end) in {(s.start, s.end) for s in current.spans}
    # After the reload the second annotator's edit goes through on top of the first.
    again, _ = second.apply(current, ops.AddSpan(Span(tok2.start, tok2.end, "GPE")))
    stored = first.load_annotation(doc_id, "alice")
    assert stored is not None and stored.version == again.version
    assert {(s.start, s.end) for s in stored.spans} >= {
        (tok1.start, tok1.end),
        (tok2.start, tok2.end),
    }
    first.close()
    second.close()


@pytest.mark.pg
@pytest.mark.skipif("postgresql" not in backends(), reason="needs ANNOTATOR_TEST_PG_URL")
def test_concurrency_pg_open_transaction_on_one_document_does_not_block_another(
    tmp_path: Path,
) -> None:
    """Row locks only: a save held open on document A leaves document B free."""
    with database_url("postgresql", tmp_path) as u:
        project, (doc_a, doc_b) = _project_with_docs(u)
        a = project.open_annotation(doc_a, "alice")
        b = project.open_annotation(doc_b, "bob")
        held = threading.Event()
        release = threading.Event()

        def hold_lock_on_a() -> None:
            with project.db.engine.connect() as conn:
                conn.execute(
                    text("UPDATE annotations SET n_spans = n_spans WHERE id = :id"), {"id": a.id}
                )
                held.set()
                release.wait(10)
                conn.rollback()

        t = threading.Thread(target=hold_lock_on_a)
        t.start()
        assert held.wait(10)
        doc = project.get_document(doc_b)
        tok = doc.tokens[3]  # type: ignore[index]
        start = time.perf_counter()
        saved, _ = project.apply(
            b, ops.AddSpan(Span(tok.start, tok.end, "ORG", origin=Origin.MANUAL))
        )
        elapsed = time.perf_counter() - start
        release.set()
        t.join()
        assert saved.version == b.version + 1
        assert elapsed < 2.0  # did not wait for the other transaction
        project.close()
