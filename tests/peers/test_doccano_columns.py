"""The real doccano imports our export of articles with quotes and articles without.

doccano 1.8.4 reads an upload in chunks of lines as a table: a column that some lines
of a chunk lack became NaN in their metadata, its database refused it, and the whole
import failed (found by bench/bench_peers.py at its 738th article, the first without
a quote). Our export now writes every column on every line; this checks it against
doccano itself, with the plain articles between quoted ones, and the round trip back.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from peer_api import doccano_export, doccano_import, doccano_project
from peer_articles import write
from peer_servers import Server
from project_cli import annotator, content

pytestmark = pytest.mark.slow

PLAIN = [
    "Ferry timetable for the winter\nBoats leave Valtmouth at six and at noon.",
    "Market report\nPrices in Kessington held steady through the week.",
]


def _plain(text: str, place: str) -> dict[str, object]:
    start = text.index(place)
    return {
        "text": text,
        "spans": [{"start": start, "end": start + len(place), "label": "GPE"}],
        "answer": "accept",
        "_annotator_id": "gold",
    }


def test_doccano_imports_articles_with_and_without_quotes(
    tmp_path: Path, doccano_server: Server
) -> None:
    quoted = write(tmp_path / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    plain = [json.dumps(_plain(PLAIN[0], "Valtmouth")), json.dumps(_plain(PLAIN[1], "Kessington"))]
    # plain articles first, between and last: every chunk of the file mixes them
    lines = [plain[0], *quoted[:2], plain[1], *quoted[2:]]
    src = tmp_path / "mixed.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ours = tmp_path / "ours.db"
    annotator(ours, "import", str(src))
    exported = tmp_path / "ours.doccano.jsonl"
    annotator(ours, "export", "--format", "doccano", "--annotator", "gold", "--out", str(exported))

    project = doccano_project(doccano_server, "with and without quotes")
    doccano_import(doccano_server, project, exported)
    back = doccano_export(doccano_server, project, tmp_path / "doccano-export.zip")

    after = tmp_path / "after.db"
    annotator(after, "import", str(back))
    before_content = content(ours, "gold", tmp_path / "before.jsonl")
    after_content = content(after, "gold", tmp_path / "after.jsonl")
    assert after_content.counts() == before_content.counts()
    assert after_content.spans == before_content.spans
    assert after_content.relations == before_content.relations
    for text in PLAIN:
        assert len(after_content.spans[text]) == 1
