"""A 100,000-article project: opening it in the window, and paging the document list.

    python bench/bench_scale.py [--n 100000]

Prints: seconds from process start to the window shown on the project (target <= 2 s)
and that process's peak RSS (target < 300 MB); p95 of fetching one page (200 rows) of
the document list at random depths, by keyset (as the window scrolls) and by offset,
with and without a status filter, and a text search; next to a baseline in the same
run: the same page read with the bare sqlite3 driver (``LIMIT 200 OFFSET k``).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _synthetic import articles  # noqa: E402

from annotator.app.project import Project  # noqa: E402
from annotator.core import AnnotationStatus  # noqa: E402


def p95(values: list[float]) -> float:
    return sorted(values)[int(len(values) * 0.95)]


def build(db: Path, n: int) -> None:
    src = db.with_suffix(".jsonl")
    with src.open("w", encoding="utf-8") as f:
        for text in articles(n, seed=21):
            f.write(json.dumps({"text": text}) + "\n")
    with Project.open(db) as project:
        project.import_paths([src])
        # a realistic state: the first tenth is done by "bench"
        for doc_id in project.document_ids(limit=n // 10):
            ann = project.open_annotation(doc_id, "bench")
            ann.status = AnnotationStatus.DONE
            project.put_annotation(ann)
    src.unlink()


def open_window(db: Path, tmp: Path) -> tuple[float, float]:
    env = dict(
        os.environ,
        ANNOTATOR_QUIT_AFTER_SHOW="1",
        QT_QPA_PLATFORM="offscreen",
        XDG_CONFIG_HOME=str(tmp / "cfg"),
    )
    code = (
        "from annotator.ui.app import run_gui; import sys, resource; "
        f"rc = run_gui({str(db)!r}, 'bench', 'rules'); "
        "print('RSS_MB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024); "
        "sys.exit(rc)"
    )
    t0 = time.time()
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    ).stdout
    shown = next(float(x.split()[1]) for x in out.splitlines() if x.startswith("WINDOW_SHOWN"))
    rss = next(float(x.split()[1]) for x in out.splitlines() if x.startswith("RSS_MB"))
    return shown - t0, rss


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        db = tmp / "big.db"
        t = time.perf_counter()
        build(db, args.n)
        print(f"built a {args.n:,}-article project in {time.perf_counter() - t:.1f} s")

        runs = [open_window(db, tmp) for _ in range(3)]
        secs = statistics.median(r[0] for r in runs)
        rss = max(r[1] for r in runs)
        print(
            f"window shown on the project: median {secs:.2f} s (target <= 2 s), "
            f"peak RSS {rss:.0f} MB (target < 300 MB)"
        )

        rng = random.Random(1)
        offsets = [rng.randrange(0, args.n - 200) for _ in range(60)]
        raw = sqlite3.connect(db)
        base = []
        for off in offsets:
            t = time.perf_counter()
            raw.execute(
                "select id, external_id, title from documents order by id limit 200 offset ?",
                (off,),
            ).fetchall()
            base.append((time.perf_counter() - t) * 1000)
        raw.close()
        with Project.open(db) as project:
            project.list_documents("bench", limit=1)  # warm up
            cases = {
                "page": {},
                "page, status todo": {"status": AnnotationStatus.TODO},
                "page, status done": {"status": AnnotationStatus.DONE},
            }
            times = []
            for off in offsets:
                t = time.perf_counter()
                project.list_documents("bench", limit=200, after_id=off)
                times.append((time.perf_counter() - t) * 1000)
            print(f"document list page by keyset (window scrolling): p95 {p95(times):.1f} ms")
            for name, kw in cases.items():
                times = []
                for off in offsets:
                    t = time.perf_counter()
                    project.list_documents("bench", offset=off, limit=200, **kw)
                    times.append((time.perf_counter() - t) * 1000)
                print(
                    f"document list {name}: p95 {p95(times):.1f} ms "
                    f"(raw sqlite3 page p95 {p95(base):.1f} ms)"
                )
            times = []
            for _ in range(5):
                t = time.perf_counter()
                project.count_documents("bench", status=AnnotationStatus.TODO)
                times.append((time.perf_counter() - t) * 1000)
            print(f"count of todo documents: median {statistics.median(times):.1f} ms")
            for label in ("before the search index pass", "after it"):
                if label == "after it":
                    t = time.perf_counter()
                    project.index_for_search(batch=5000)
                    print(f"search index pass: {time.perf_counter() - t:.1f} s")
                times = []
                for word in ("Ryabkov", "Article 99917", "zzzz"):
                    t = time.perf_counter()
                    project.list_documents("bench", limit=200, search=word)
                    project.count_documents("bench", search=word)
                    times.append((time.perf_counter() - t) * 1000)
                print(
                    f"text search {label} (page + count): median "
                    f"{statistics.median(times):.0f} ms, max {max(times):.0f} ms"
                )
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"this process peak RSS: {peak:.0f} MB")


if __name__ == "__main__":
    main()
