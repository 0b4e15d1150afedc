"""Our side of a round trip: the real ``annotator`` command, and what a project holds.

A project's content is read back through our own JSONL export (offsets, labels, kinds,
relations by their spans' offsets), so two projects compare as plain sets whatever the
ids inside them.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from typer.testing import CliRunner

from annotator.cli import app

runner = CliRunner()

SpanKey = tuple[int, int, str, str | None]  # start, end, label, kind
RelKey = tuple[tuple[int, int, str], str, tuple[int, int, str]]


def annotator(db: Path, *args: str) -> str:
    result = runner.invoke(app, ["--db", str(db), *args])
    assert result.exit_code == 0, f"annotator {' '.join(args)}: {result.output}"
    return result.output


@dataclass(frozen=True)
class Content:
    """Every document's spans and relations, keyed by the document's text."""

    spans: dict[str, frozenset[SpanKey]]
    relations: dict[str, frozenset[RelKey]]

    def counts(self) -> dict[str, object]:
        spans = [s for doc in self.spans.values() for s in doc]
        return {
            "documents": len(self.spans),
            "spans": len(spans),
            "labels": Counter(s[2] for s in spans),
            "kinds": Counter(s[3] for s in spans if s[3] is not None),
            "relations": Counter(r[1] for doc in self.relations.values() for r in doc),
        }


def content(db: Path, who: str, out: Path) -> Content:
    annotator(db, "export", "--format", "jsonl", "--annotator", who, "--out", str(out))
    spans: dict[str, frozenset[SpanKey]] = {}
    relations: dict[str, frozenset[RelKey]] = {}
    for line in out.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        spans[rec["text"]] = frozenset(
            (s["start"], s["end"], s["label"], s.get("kind")) for s in rec["spans"]
        )
        relations[rec["text"]] = frozenset(
            (
                (r["head_span"]["start"], r["head_span"]["end"], r["head_span"]["label"]),
                r["label"],
                (r["child_span"]["start"], r["child_span"]["end"], r["child_span"]["label"]),
            )
            for r in rec["relations"]
        )
    return Content(spans, relations)
