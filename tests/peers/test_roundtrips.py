"""Round trips through real peers: our export → the peer's import → its export → ours.

Each test counts documents, spans by label, quote kinds and relations before and after,
and then compares the two projects span by span and relation by relation (offsets,
label, kind), so a kind that lands on another span fails even when the counts agree.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from peer_api import (
    doccano_export,
    doccano_import,
    doccano_project,
    labelstudio_export,
    labelstudio_import,
    labelstudio_project,
)
from peer_articles import write
from peer_servers import Server
from project_cli import annotator, content

pytestmark = pytest.mark.slow


@pytest.fixture
def ours(tmp_path: Path) -> Path:
    db = tmp_path / "ours.db"
    annotator(db, "import", str(write(tmp_path / "articles.jsonl")))
    return db


def _assert_same(tmp_path: Path, before_db: Path, after_db: Path, who_after: str) -> None:
    before = content(before_db, "gold", tmp_path / "before.jsonl")
    after = content(after_db, who_after, tmp_path / "after.jsonl")
    # The data holds all three kinds, speaker and cue relations, and entities: a trip
    # that loses any of them cannot pass by having nothing to lose.
    counts = before.counts()
    assert set(counts["kinds"]) == {"direct", "indirect", "mixed"}  # type: ignore[arg-type]
    assert set(counts["relations"]) == {"speaker", "cue"}  # type: ignore[arg-type]
    assert {"PERSON", "ORG", "GPE", "QUOTE", "SPEAKER", "CUE"} <= set(counts["labels"])  # type: ignore[arg-type]
    assert after.counts() == counts
    for text, spans in before.spans.items():
        assert after.spans[text] == spans, text[:60]
        assert after.relations[text] == before.relations[text], text[:60]


def test_doccano_round_trip(tmp_path: Path, ours: Path, doccano_server: Server) -> None:
    exported = tmp_path / "ours.doccano.jsonl"
    annotator(ours, "export", "--format", "doccano", "--annotator", "gold", "--out", str(exported))

    project = doccano_project(doccano_server, "round trip")
    doccano_import(doccano_server, project, exported)
    back = doccano_export(doccano_server, project, tmp_path / "doccano-export.zip")

    # What doccano gives back really is doccano's: its own entity ids, not ours.
    with zipfile.ZipFile(back) as zf:
        first = json.loads(zf.read(zf.namelist()[0]).decode().splitlines()[0])
    ids = [e["id"] for e in first["entities"]]
    assert ids != list(range(len(ids)))

    after = tmp_path / "after.db"
    annotator(after, "import", str(back))
    _assert_same(tmp_path, ours, after, "gold")


def test_labelstudio_round_trip(tmp_path: Path, ours: Path, labelstudio_server: Server) -> None:
    exported = tmp_path / "ours.json"
    annotator(
        ours, "export", "--format", "labelstudio", "--annotator", "gold", "--out", str(exported)
    )
    config = exported.with_name("ours.label_config.xml").read_text(encoding="utf-8")

    project = labelstudio_project(labelstudio_server, "round trip", config)
    tasks = json.loads(exported.read_text(encoding="utf-8"))
    assert labelstudio_import(labelstudio_server, project, exported) == len(tasks)
    back = labelstudio_export(labelstudio_server, project, tmp_path / "ls-export.json")

    exported_tasks = json.loads(back.read_text(encoding="utf-8"))
    assert len(exported_tasks) == len(tasks)
    assert all(t["annotations"] for t in exported_tasks)

    after = tmp_path / "after.db"
    annotator(after, "import", "--annotator", "gold", str(back))
    _assert_same(tmp_path, ours, after, "gold")
