"""Benchmark: export N annotated documents to a spaCy DocBin.

Prints documents per CPU second (process time, so other load on the machine does
not skew it) of the full export (read from SQLite in batches, build each Doc from
the stored tokens, ``DocBin.add`` into spaCy's own DocBin, one shard written per
``DEFAULT_SHARD_DOCS`` documents) next to the raw cost of building the same Docs
from words and spaces (with the same ents and span group) and calling
``DocBin.add`` + ``DocBin.to_disk`` on one DocBin in the same run, plus the resident
memory of both at 5,000 documents and at the end, and the CPU time each spent in
the garbage collector's full collections (which the raw loop, reading nothing,
hardly triggers).

    python bench/bench_export.py                 # 20,000 documents
    python bench/bench_export.py --docs 5000 --db /tmp/bench.db --keep
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotator.app.export import annotation_pairs, export_project  # noqa: E402
from annotator.app.project import Project  # noqa: E402
from annotator.core import Layer  # noqa: E402
from annotator.formats.docbin import DEFAULT_SHARD_DOCS, words_and_spaces  # noqa: E402
from annotator.formats.docbin_shards import docbin_files  # noqa: E402
from annotator.formats.export_base import place_spans  # noqa: E402

NAMES = ["Maria Lopez", "John Smith", "Olena Kovalenko", "Ahmed Karimi", "Sergei Ryabkov"]
PLACES = ["Lima", "Kyiv", "Moscow", "Washington", "Tehran", "Berlin"]
WORDS = (
    "the government said talks would continue next week while officials in the region "
    "warned that prices and security remained uncertain for many families"
).split()


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class FullCollections:
    """CPU seconds spent in the garbage collector's full (generation 2) collections."""

    def __init__(self) -> None:
        self.count = 0
        self.seconds = 0.0
        self._start = 0.0
        gc.callbacks.append(self._callback)

    def _callback(self, phase: str, info: dict) -> None:
        if info["generation"] != 2:
            return
        if phase == "start":
            self._start = time.process_time()
        else:
            self.count += 1
            self.seconds += time.process_time() - self._start

    def take(self) -> tuple[int, float]:
        out = (self.count, self.seconds)
        self.count, self.seconds = 0, 0.0
        return out


GC = FullCollections()


def article(rng: random.Random, i: int) -> dict:
    """About 250 tokens: filler sentences, a direct quote with speaker and cue, places."""
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

    for _ in range(6):
        place = rng.choice(PLACES)
        add("In ")
        s, e = add(place)
        spans.append({"start": s, "end": e, "label": "GPE"})
        add(" " + " ".join(rng.choice(WORDS) for _ in range(25)) + ". ")
        name = rng.choice(NAMES)
        s, e = add(name)
        spans.append({"start": s, "end": e, "label": "PERSON"})
        spans.append({"start": s, "end": e, "label": "SPEAKER"})
        speaker = {"start": s, "end": e, "label": "SPEAKER"}
        add(" ")
        s, e = add("said")
        cue = {"start": s, "end": e, "label": "CUE"}
        spans.append(dict(cue))
        add(': "')
        s, e = add(" ".join(rng.choice(WORDS) for _ in range(8)))
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
    t0 = time.process_time()
    with Project.open(db) as project:
        report = project.import_paths([src])
    src.unlink()
    assert not report.problems, report.problems[:3]
    print(f"built {n} annotated documents in {time.process_time() - t0:.1f} s")


gcs: dict[str, tuple[int, float]] = {}


def bench_export(db: Path, out: Path, n: int) -> tuple[float, dict[int, float]]:
    marks: dict[int, float] = {}

    def progress(done: int, total: int) -> None:
        if done >= 5000 and 5000 not in marks:
            marks[5000] = rss_mb()

    with Project.open(db) as project:
        GC.take()
        t0 = time.process_time()
        report = export_project(project, out, fmt="spacy", gold=True, progress=progress)
        elapsed = time.process_time() - t0
        gcs["export"] = GC.take()
    assert report.ok and report.documents == n, report
    marks[n] = rss_mb()
    return elapsed, marks


def bench_raw(db: Path, out: Path, n: int) -> tuple[float, float, float, dict[int, float]]:
    """Docs from words and spaces + DocBin.add; the inputs are read before the clock starts."""
    from spacy.tokens import Doc, DocBin, Span

    from annotator.nlp.tokenize import blank_pipeline

    inputs = []
    with Project.open(db) as project:
        for doc, ann in annotation_pairs(project, "gold"):
            words, spaces, _ = words_and_spaces(doc.text, doc.tokens or [])
            placed = place_spans(doc, ann)
            ents = [
                (p.token_start, p.token_end + 1, p.span.label)
                for p in placed
                if p.span.layer == Layer.ENTS
            ]
            group = [
                (p.token_start, p.token_end + 1, p.span.label)
                for p in placed
                if p.span.layer != Layer.ENTS
            ]
            inputs.append((words, spaces, ents, group))
    vocab = blank_pipeline("en").vocab
    t0 = time.process_time()
    for words, spaces, ents, group in inputs:
        doc = Doc(vocab, words=words, spaces=spaces)
        doc.ents = [Span(doc, s, e, label=lab) for s, e, lab in ents]
        doc.spans["quotes"] = [Span(doc, s, e, label=lab) for s, e, lab in group]
    build_only = time.process_time() - t0
    marks: dict[int, float] = {}
    base = rss_mb()
    GC.take()
    t0 = time.process_time()
    docbin = DocBin(store_user_data=True)
    for i, (words, spaces, ents, group) in enumerate(inputs, start=1):
        doc = Doc(vocab, words=words, spaces=spaces)
        doc.ents = [Span(doc, s, e, label=lab) for s, e, lab in ents]
        doc.spans["quotes"] = [Span(doc, s, e, label=lab) for s, e, lab in group]
        docbin.add(doc)
        if i == 5000:
            marks[5000] = rss_mb() - base
    add_elapsed = time.process_time() - t0
    marks[n] = rss_mb() - base
    docbin.to_disk(out)
    total_elapsed = time.process_time() - t0
    gcs["raw"] = GC.take()
    return build_only, add_elapsed, total_elapsed, marks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--db", type=Path, default=None, help="reuse or create this database")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-export-"))
    db = args.db or tmp / "bench.db"
    if not db.exists():
        build_db(db, args.docs)
    n = args.docs
    import spacy  # noqa: F401  both measurements start with spaCy loaded

    elapsed, marks = bench_export(db, tmp / "export.spacy", n)
    build_s, add_s, raw_s, raw_marks = bench_raw(db, tmp / "raw.spacy", n)
    files = docbin_files(tmp / "export.spacy")
    size = sum(f.stat().st_size for f in files) / 1e6
    print(
        f"documents: {n}, DocBin {size:.1f} MB in {len(files)} file(s) "
        f"of up to {DEFAULT_SHARD_DOCS} documents"
    )
    print(
        f"export (SQLite -> Docs -> streamed .spacy): {n / elapsed:8.0f} docs/s ({elapsed:.1f} s)"
    )
    print(f"raw Doc(words, spaces) only, no DocBin:   {n / build_s:8.0f} docs/s ({build_s:.1f} s)")
    print(f"raw Doc(words, spaces) + DocBin.add:       {n / add_s:8.0f} docs/s ({add_s:.1f} s)")
    print(f"raw incl. DocBin.to_disk:                  {n / raw_s:8.0f} docs/s ({raw_s:.1f} s)")
    for name, (count, seconds) in gcs.items():
        print(f"full GC collections during {name}: {count} ({seconds:.1f} s)")
    print(
        f"ratio export / raw add: {add_s / elapsed:.2f}x; "
        f"export / raw incl. to_disk: {raw_s / elapsed:.2f}x (target >= 0.8x)"
    )
    for k in sorted(marks):
        print(
            f"RSS at {k:>6} docs: export process {marks[k]:7.1f} MB; "
            f"raw DocBin growth {raw_marks.get(k, 0.0):7.1f} MB"
        )
    if not args.keep and args.db is None:
        shutil.rmtree(tmp)
    else:  # keep only the database
        for p in (tmp / "export.spacy", tmp / "raw.spacy"):
            shutil.rmtree(p) if p.is_dir() else p.unlink()
        if not any(tmp.iterdir()):
            tmp.rmdir()


if __name__ == "__main__":
    main()
