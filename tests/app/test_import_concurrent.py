"""Two processes importing overlapping files at the same time store each text once."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.app.project import Project
from annotator.core import Document
from annotator.storage.testing import backends, database_url

WORKER = Path(__file__).with_name("concurrency_worker.py")


@pytest.fixture(params=backends())
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "postgresql":
        request.applymarker(pytest.mark.pg)
    with database_url(request.param, tmp_path) as u:
        yield u


def _text(n: int) -> str:
    return f"Report {n}.\n" + "Officials met reporters in Moscow today. " * 20


def _write(path: Path, numbers: range) -> Path:
    with path.open("w", encoding="utf-8") as f:
        for n in numbers:
            f.write(json.dumps({"text": _text(n), "meta": {"id": f"r{n}"}}) + "\n")
    return path


def test_import_two_processes_overlapping_files_store_each_text_once(
    url: str, tmp_path: Path
) -> None:
    Project.open(url).close()  # the schema exists before both start
    files = [
        _write(tmp_path / "a.jsonl", range(0, 6000)),
        _write(tmp_path / "b.jsonl", range(3000, 9000)),
    ]
    procs = [
        subprocess.Popen(
            [sys.executable, str(WORKER), "import", url, str(f)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for f in files
    ]
    outputs = [p.communicate(timeout=300) for p in procs]
    for p, (_, errs) in zip(procs, outputs, strict=True):
        assert p.returncode == 0, errs
    imported = [int(out.splitlines()[-1].split()[1]) for out, _ in outputs]
    assert sum(imported) == 9000  # each text counted as new by exactly one of them
    with Project.open(url) as project:
        assert project._repo.count_documents() == 9000
        shas = [Document(_text(n)).sha256 for n in range(9000)]
        ids = project._repo.document_ids_by_sha(shas)
        assert len(ids) == 9000 and len(set(ids.values())) == 9000
        for n in (0, 2999, 3000, 5999, 6000, 8999):
            assert project._repo.get_document(ids[shas[n]]).external_id == f"r{n}"
