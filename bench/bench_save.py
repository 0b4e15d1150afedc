"""Saving annotation actions through the app layer, next to a raw driver insert+commit.

    python bench/bench_save.py [--n 1000] [--pg postgresql+psycopg://...]

For each backend (SQLite file; PostgreSQL when --pg or $ANNOTATOR_TEST_PG_URL is given)
it times ``n`` user actions through ``Project.apply`` (each validated, diffed and
committed in its own transaction, as the window does) and, in the same run, ``n``
single-row INSERT + COMMIT with the bare driver (sqlite3 / psycopg) into a table of the
same shape. The target is ours within 3x of raw on each backend.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotator.app.project import Project
from annotator.core import Document, Origin, Span
from annotator.core import operations as ops
from annotator.storage.testing import temporary_pg_database

WORKING = 50
TEXT = "Officials met reporters in Moscow today. " * 400


def ours(url: str, n: int) -> list[float]:
    """Seconds per action: AddSpan, later RemoveSpan of the same token, over 4 documents."""
    project = Project.open(url)
    ids, _ = project._repo.insert_documents([Document(f"Doc {i}. " + TEXT) for i in range(4)])
    anns = {i: project.open_annotation(i, "bench") for i in ids}
    tokens = {
        i: [t for t in project.get_document(i).tokens or [] if t.end - t.start > 2] for i in ids
    }
    times: list[float] = []
    for k in range(n):
        doc_id = ids[k % len(ids)]
        # a working set of WORKING tokens per document: spans are added, then removed,
        # so an annotation holds 0-50 spans, like a dense news article
        tok = tokens[doc_id][(k // len(ids)) % WORKING]
        span = Span(tok.start, tok.end, "ORG", origin=Origin.MANUAL)
        ann = anns[doc_id]
        op = ops.RemoveSpan(span.key) if ann.span_by_key(span.key) else ops.AddSpan(span)
        start = time.perf_counter()
        anns[doc_id], _ = project.apply(ann, op)
        times.append(time.perf_counter() - start)
    project.close()
    return times


def raw_sqlite(path: Path, n: int) -> list[float]:
    con = sqlite3.connect(path)
    # the same settings the project uses, so the comparison is like for like
    con.execute("pragma journal_mode=wal")
    con.execute("pragma synchronous=full")
    con.execute(
        "create table spans (id integer primary key, annotation_id int, start int, "
        '"end" int, label text, layer text, origin text)'
    )
    times = []
    for k in range(n):
        start = time.perf_counter()
        con.execute(
            'insert into spans (annotation_id, start, "end", label, layer, origin) '
            "values (?, ?, ?, ?, ?, ?)",
            (1, k, k + 1, "ORG", "ents", "manual"),
        )
        con.commit()
        times.append(time.perf_counter() - start)
    con.close()
    return times


def raw_pg(url: str, n: int) -> list[float]:
    import psycopg

    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    times = []
    with psycopg.connect(dsn) as con:
        con.execute(
            "create table spans (id serial primary key, annotation_id int, start int, "
            '"end" int, label text, layer text, origin text)'
        )
        con.commit()
        for k in range(n):
            start = time.perf_counter()
            con.execute(
                'insert into spans (annotation_id, start, "end", label, layer, origin) '
                "values (%s, %s, %s, %s, %s, %s)",
                (1, k, k + 1, "ORG", "ents", "manual"),
            )
            con.commit()
            times.append(time.perf_counter() - start)
    return times


def report(name: str, mine: list[float], raw: list[float]) -> None:
    total, base = sum(mine), sum(raw)
    print(
        f"{name}: Project.apply {len(mine)} actions {total:.2f} s "
        f"({len(mine) / total:,.0f}/s, median {statistics.median(mine) * 1e3:.2f} ms, "
        f"p99 {sorted(mine)[int(len(mine) * 0.99)] * 1e3:.2f} ms); "
        f"raw insert+commit {base:.2f} s ({len(raw) / base:,.0f}/s); "
        f"ratio {total / base:.2f}x (target <= 3x)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--pg", default=os.environ.get("ANNOTATOR_TEST_PG_URL"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        raw = raw_sqlite(Path(tmp) / "raw.db", args.n)
        mine = ours(str(Path(tmp) / "ours.db"), args.n)
        report("SQLite", mine, raw)
    if args.pg:
        with temporary_pg_database(args.pg) as url:
            raw = raw_pg(url, args.n)
        with temporary_pg_database(args.pg) as url:
            mine = ours(url, args.n)
        report("PostgreSQL", mine, raw)
    else:
        print("PostgreSQL: skipped (pass --pg URL or set ANNOTATOR_TEST_PG_URL)")


if __name__ == "__main__":
    main()
