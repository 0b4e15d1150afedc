"""Import N synthetic articles into a new SQLite file, next to raw sqlite3 executemany.

    python bench/bench_import.py [--n 100000]

Prints seconds, docs/s and MB/s for our import (JSONL in, batched insert(), dedupe by
sha256) and for the raw baseline (sqlite3 executemany of the same texts into a
one-column table) measured in the same run, their ratio, peak RSS, and the
tokenizer's speed separately (tokens are computed lazily, not during a plain import).
"""

from __future__ import annotations

import argparse
import json
import resource
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _synthetic import articles

from annotator.app.project import Project
from annotator.nlp.tokenize import tokenize_many


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_input(path: Path, n: int) -> int:
    size = 0
    with path.open("w", encoding="utf-8") as f:
        for text in articles(n):
            line = json.dumps({"text": text, "meta": {"source": "synthetic"}}, ensure_ascii=False)
            f.write(line + "\n")
            size += len(text.encode("utf-8"))
    return size


def raw_baseline(src: Path, db: Path, batch: int = 500) -> float:
    con = sqlite3.connect(db)
    con.execute("pragma journal_mode=wal")
    con.execute("create table documents (id integer primary key, text text not null)")
    start = time.perf_counter()
    rows: list[tuple[str]] = []
    with src.open("rb") as f:
        for line in f:
            rows.append((json.loads(line)["text"],))
            if len(rows) >= batch:
                con.executemany("insert into documents (text) values (?)", rows)
                con.commit()
                rows.clear()
    if rows:
        con.executemany("insert into documents (text) values (?)", rows)
        con.commit()
    elapsed = time.perf_counter() - start
    con.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        src = tmpdir / "articles.jsonl"
        size = write_input(src, args.n)
        mb = size / 1e6
        print(f"input: {args.n} articles, {mb:.1f} MB of text")

        raw = raw_baseline(src, tmpdir / "raw.db")
        print(
            f"raw sqlite3 executemany: {raw:.2f} s, {args.n / raw:,.0f} docs/s, {mb / raw:.1f} MB/s"
        )

        project = Project.open(tmpdir / "ours.db")
        rss_before = rss_mb()
        marks: list[str] = []

        def progress(done: int, total: int) -> None:
            if done and done % 25_000 < 500:
                marks.append(f"{done}: {rss_mb():.0f} MB")

        start = time.perf_counter()
        report = project.import_paths([src], progress=progress)
        ours = time.perf_counter() - start
        assert report.imported == args.n, report
        print(
            f"annotator import:        {ours:.2f} s, {args.n / ours:,.0f} docs/s, "
            f"{mb / ours:.1f} MB/s"
        )
        print(f"ratio ours/raw: {ours / raw:.2f}x (target <= 3x)")
        print(f"peak RSS: before {rss_before:.0f} MB, during import {'; '.join(marks)}")

        start = time.perf_counter()
        project.index_for_search(batch=5000)
        print(
            f"search index pass (separate, in the background): {time.perf_counter() - start:.2f} s"
        )

        again = time.perf_counter()
        report = project.import_paths([src])
        print(
            f"re-import (all duplicates): {time.perf_counter() - again:.2f} s, "
            f"{report.duplicates} duplicates"
        )
        project.close()

        sample = [t for _, t in zip(range(2000), articles(2000), strict=False)]
        start = time.perf_counter()
        n_tokens = sum(len(t) for t in tokenize_many(sample))
        tok = time.perf_counter() - start
        print(
            f"tokenization (spaCy tokenizer, separate): {len(sample) / tok:,.0f} docs/s, "
            f"{n_tokens / tok:,.0f} tokens/s"
        )


if __name__ == "__main__":
    main()
