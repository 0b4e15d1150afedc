"""The held-out news set (tests/data/heldout_news.jsonl, issue 14) imports cleanly.

Every span and relation of the file is stored, exactly where the file puts it; the file is
what tests/data/make_heldout_news.py writes (it is data: the set is never tuned on).
"""

from __future__ import annotations

import json
from pathlib import Path

from annotator.app.project import Project

DATA = Path(__file__).resolve().parents[1] / "data" / "heldout_news.jsonl"


def _rows() -> list[dict]:
    return [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line]


def test_file_is_consistent() -> None:
    rows = _rows()
    assert len(rows) >= 32
    for row in rows:
        text = row["text"]
        assert 250 <= len(text.split()) <= 600
        keys = {(s["start"], s["end"], s["label"]) for s in row["spans"]}
        for s in row["spans"]:
            assert text[s["start"] : s["end"]] == s["text"]
        quotes = [s for s in row["spans"] if s["label"] == "QUOTE"]
        assert quotes and all(s["kind"] in ("direct", "indirect", "mixed") for s in quotes)
        speakers = {(r["head_span"]["start"], r["head_span"]["end"]) for r in row["relations"]
                    if r["label"] == "speaker"}
        assert all((q["start"], q["end"]) in speakers for q in quotes)
        for r in row["relations"]:
            for end in (r["head_span"], r["child_span"]):
                assert (end["start"], end["end"], end["label"]) in keys


def test_imports_into_a_project(tmp_path: Path) -> None:
    rows = _rows()
    with Project.open(tmp_path / "p.db") as project:
        report = project.import_paths([DATA])
        assert report.problems == []
        assert report.imported == len(rows)
        gold = project.annotator("gold")
        assert gold is not None
        stored = project.load_annotations(gold)
        assert len(stored) == len(rows)
        by_text = {project.get_document(i, tokenize_missing=False).text: a
                   for i, a in stored.items()}
        for row in rows:
            ann = by_text[row["text"]]
            want = sorted((s["start"], s["end"], s["label"], s["layer"]) for s in row["spans"])
            got = sorted((s.start, s.end, str(s.label), str(getattr(s.layer, "value", s.layer)))
                         for s in ann.spans)
            assert got == want
            assert len(ann.relations) == len(row["relations"])
            kinds = sorted(s["kind"] for s in row["spans"] if s["label"] == "QUOTE")
            got_kinds = sorted(str(getattr(s.kind, "value", s.kind)) for s in ann.spans
                               if s.label == "QUOTE")
            assert got_kinds == kinds
