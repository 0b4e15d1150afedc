"""Benchmark: the spaCy export with ``DocBinAdder`` against spaCy's own ``DocBin.add``.

A/B in one run on the same project: the full export (SQLite -> Docs -> .spacy, as
``annotator export --format spacy`` runs it) with the export's adder (A) and with
every document going through spaCy's ``DocBin.add`` (B), alternating A B B A ... so
machine load falls on both; medians of CPU (process) and wall seconds, and whether
the two outputs are byte-identical. The corpus has the issue's shape by default:
2,000 articles of about 4,000 characters with 40 labelled spans each (80,000 spans).

    python bench/bench_docbin_add.py                   # 2,000 articles, 3 rounds
    python bench/bench_docbin_add.py --docs 500 --rounds 2
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotator.app.export import export_project  # noqa: E402
from annotator.app.project import Project  # noqa: E402
from annotator.formats import docbin_add  # noqa: E402
from annotator.formats.docbin_shards import docbin_files  # noqa: E402

NAMES = ["Maria Lopez", "John Smith", "Olena Kovalenko", "Ahmed Karimi", "Sergei Ryabkov"]
PLACES = ["Lima", "Kyiv", "Moscow", "Washington", "Tehran", "Berlin"]
WORDS = (
    "the government said talks would continue next week while officials in the region "
    "warned that prices and security remained uncertain for many families"
).split()


def article(rng: random.Random, i: int, paragraphs: int = 8) -> dict:
    """About 4,000 characters; per paragraph a place, a speaker (also a PERSON), a cue
    and a direct quote with its two relations: 5 spans a paragraph."""
    parts: list[str] = [f"Report {i}: "]
    spans: list[dict] = []
    relations: list[dict] = []
    pos = len(parts[0])

    def add(text: str) -> tuple[int, int]:
        nonlocal pos
        start = pos
        parts.append(text)
        pos += len(text)
        return start, pos

    for _ in range(paragraphs):
        add("In ")
        s, e = add(rng.choice(PLACES))
        spans.append({"start": s, "end": e, "label": "GPE"})
        add(" " + " ".join(rng.choice(WORDS) for _ in range(60)) + ". ")
        s, e = add(rng.choice(NAMES))
        speaker = {"start": s, "end": e, "label": "SPEAKER"}
        spans += [{"start": s, "end": e, "label": "PERSON"}, dict(speaker)]
        add(" ")
        s, e = add("said")
        cue = {"start": s, "end": e, "label": "CUE"}
        spans.append(dict(cue))
        add(': "')
        s, e = add(" ".join(rng.choice(WORDS) for _ in range(12)))
        quote = {"start": s, "end": e, "label": "QUOTE"}
        spans.append({**quote, "kind": "direct"})
        relations.append({"label": "speaker", "head_span": quote, "child_span": speaker})
        relations.append({"label": "cue", "head_span": quote, "child_span": cue})
        add('."\n')
    return {
        "text": "".join(parts),
        "meta": {"id": f"bench-{i}"},
        "spans": spans,
        "relations": relations,
        "answer": "accept",
        "_annotator_id": "gold",
    }


def build_db(db: Path, n: int) -> None:
    rng = random.Random(0)
    src = db.with_suffix(".jsonl")
    with src.open("w", encoding="utf-8") as f:
        for i in range(n):
            f.write(json.dumps(article(rng, i)) + "\n")
    with Project.open(db) as project:
        report = project.import_paths([src])
    assert not report.problems, report.problems[:3]
    src.unlink()


def spacy_add(self: docbin_add.DocBinAdder, docbin, doc) -> None:  # type: ignore[no-untyped-def]
    docbin.add(doc)


def run(db: Path, out: Path, spacy_only: bool) -> tuple[float, float]:
    fast_add = docbin_add.DocBinAdder.add
    if spacy_only:
        docbin_add.DocBinAdder.add = spacy_add  # type: ignore[method-assign]
    try:
        with Project.open(db) as project:
            cpu, wall = time.process_time(), time.perf_counter()
            report = export_project(project, out, fmt="spacy", gold=True)
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    finally:
        docbin_add.DocBinAdder.add = fast_add  # type: ignore[method-assign]
    assert report.ok, report.problems[:3]
    return cpu, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-docbin-add-"))
    try:
        db = tmp / "bench.db"
        build_db(db, args.docs)
        import spacy  # noqa: F401  both sides start with spaCy loaded

        times: dict[str, list[tuple[float, float]]] = {"adder": [], "spacy": []}
        for r in range(args.rounds):
            order = ["adder", "spacy"] if r % 2 == 0 else ["spacy", "adder"]
            for side in order:
                times[side].append(run(db, tmp / f"{side}.spacy", side == "spacy"))
        same = all(
            a.read_bytes() == b.read_bytes()
            for a, b in zip(
                docbin_files(tmp / "adder.spacy"), docbin_files(tmp / "spacy.spacy"), strict=True
            )
        )
        print(f"{args.docs} documents, {args.rounds} rounds; outputs byte-identical: {same}")
        med = {
            side: (statistics.median(c for c, _ in t), statistics.median(w for _, w in t))
            for side, t in times.items()
        }
        for side, (cpu, wall) in med.items():
            print(f"export with {side + ' add':11}: {cpu:6.2f} s CPU, {wall:6.2f} s wall (median)")
        print(
            f"speed-up: {med['spacy'][0] / med['adder'][0]:.2f}x CPU, "
            f"{med['spacy'][1] / med['adder'][1]:.2f}x wall"
        )
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
