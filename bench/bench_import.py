"""Import N synthetic articles through the CLI, next to the same work done by hand.

    python bench/bench_import.py [--n 100000] [--runs 3]

Both sides run as their own process and are timed from outside, start-up included:

* ours: ``annotator import articles.jsonl --db ours.db`` -- everything the command does
  (new project file with its schema, reading and checking each record, sha256 key,
  batched insert, and the search-index pass it runs before it returns);
* raw: ``python bench_import.py --raw`` -- stdlib ``sqlite3`` at the same durability
  (WAL, synchronous=FULL, one commit per 5000 records as ours), ``json.loads`` per
  line, sha256 of the text, ``executemany`` of the same columns into the same table
  (unique sha256 key, the partial index on untokenized rows) and an external-content
  FTS5 index with the same tokenizer built in one pass at the end.

Neither side tokenizes: plain records are stored without tokens (they are tokenized
when first opened or by ``suggest``), so the spaCy tokenizer is timed separately.
The two files are then compared (rows, keys, titles, search hits) so the baseline
is known to have produced the same stored result. The ratio target is <= 2x.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

BATCH = 5000
TARGET = 2.0
_SCHEMA = """
create table documents (
    id integer primary key, external_id varchar(500) not null, sha256 varchar(64) not null,
    text text not null, title varchar(200) not null, meta json not null, tokens blob,
    created_at datetime not null, unique (sha256));
create index ix_documents_untokenized on documents (id) where tokens is null;
create table settings (key varchar(100) primary key, value text not null);
create virtual table documents_fts using fts5(title, text, content='documents',
    content_rowid='id', tokenize='unicode61 remove_diacritics 2');
"""
_INSERT = (
    "insert or ignore into documents (external_id, sha256, text, title, meta, tokens, "
    "created_at) values (?, ?, ?, ?, ?, null, ?)"
)


def raw_import(src: Path, db: Path) -> None:
    """The by-hand import (run in its own process by ``--raw``)."""
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("pragma journal_mode=wal")
    con.execute("pragma synchronous=full")
    con.executescript(_SCHEMA)
    stamp = datetime.now(UTC).isoformat()
    sha = hashlib.sha256
    dumps = json.dumps
    rows: list[tuple[str, str, str, str, str, str]] = []

    def flush() -> None:
        con.execute("begin")
        con.executemany(_INSERT, rows)
        con.execute("commit")
        rows.clear()

    with src.open("rb") as f:
        for number, line in enumerate(f, start=1):
            obj = json.loads(line)
            text = obj["text"]
            meta = obj.get("meta") or {}
            external = str(meta.get("id") or meta.get("source") or f"{src.name}:{number}")
            title = text.lstrip().split("\n", 1)[0][:200]
            key = sha(text.encode("utf-8")).hexdigest()
            rows.append((external, key, text, title, dumps(meta), stamp))
            if len(rows) >= BATCH:
                flush()
    if rows:
        flush()
    con.execute("begin")
    con.execute("insert into documents_fts(documents_fts) values ('rebuild')")
    con.execute(
        "insert into settings values ('search_indexed_upto', "
        "(select cast(max(id) as text) from documents))"
    )
    con.execute("commit")
    con.close()


def write_input(path: Path, n: int) -> int:
    from _synthetic import articles

    size = 0
    with path.open("w", encoding="utf-8") as f:
        for text in articles(n):
            line = json.dumps({"text": text, "meta": {"source": "synthetic"}}, ensure_ascii=False)
            f.write(line + "\n")
            size += len(text.encode("utf-8"))
    return size


def timed(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, _, usage = _wait4(proc)
    elapsed = time.perf_counter() - start
    if proc.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed (rc {proc.returncode})")
    return elapsed, usage.ru_maxrss / 1024


def _wait4(proc: subprocess.Popen) -> tuple[bytes, bytes, object]:
    import os

    assert proc.stdout is not None and proc.stderr is not None
    out, err = proc.stdout.read(), proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        sys.stderr.write(err.decode(errors="replace")[-2000:])
    return out, err, usage


def stored(db: Path) -> tuple[int, int, str, str, int, int]:
    """What a reader of the file sees: rows, rows without tokens (neither side
    tokenizes), a digest of keys and titles, search hits."""
    con = sqlite3.connect(db)
    n, untokenized = con.execute("select count(*), sum(tokens is null) from documents").fetchone()
    keys = hashlib.sha256()
    titles = hashlib.sha256()
    for key, title in con.execute("select sha256, title from documents order by id"):
        keys.update(key.encode())
        titles.update(title.encode())
    hits = con.execute(
        "select count(*) from documents_fts where documents_fts match 'moscow AND warned'"
    ).fetchone()[0]
    phrase = con.execute(
        "select count(*) from documents_fts where documents_fts match '\"article 17\"'"
    ).fetchone()[0]
    con.close()
    return n, untokenized, keys.hexdigest()[:12], titles.hexdigest()[:12], hits, phrase


def annotator_command() -> list[str]:
    """The installed ``annotator`` script next to this interpreter (not a shell shim)."""
    script = Path(sys.executable).parent / "annotator"
    if script.exists():
        return [sys.executable, str(script)]
    return [sys.executable, "-c", "import sys; from annotator.cli import main; sys.exit(main())"]


def tokenizer_speed(n: int = 2000) -> str:
    from _synthetic import articles

    from annotator.nlp.tokenize import tokenize_many

    sample = list(articles(n))
    start = time.perf_counter()
    n_tokens = sum(len(t) for t in tokenize_many(sample))
    tok = time.perf_counter() - start
    return f"{len(sample) / tok:,.0f} docs/s, {n_tokens / tok:,.0f} tokens/s"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--raw", nargs=2, metavar=("SRC", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.raw:
        raw_import(Path(args.raw[0]), Path(args.raw[1]))
        return
    print(__doc__.split("\n\n", 2)[2].rstrip())
    print()
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        src = tmpdir / "articles.jsonl"
        mb = write_input(src, args.n) / 1e6
        print(f"input: {args.n} articles, {mb:.1f} MB of text; {args.runs} runs")
        cli = annotator_command()
        ratios: list[float] = []
        for run in range(1, args.runs + 1):
            raw_db, our_db = tmpdir / f"raw{run}.db", tmpdir / f"ours{run}.db"
            # Alternate which side goes first: the machine is shared.
            sides = [("raw", raw_db), ("ours", our_db)]
            if run % 2 == 0:
                sides.reverse()
            times: dict[str, tuple[float, float]] = {}
            for side, db in sides:
                if side == "raw":
                    cmd = [sys.executable, __file__, "--raw", str(src), str(db)]
                else:
                    cmd = [*cli, "import", str(src), "--db", str(db)]
                times[side] = timed(cmd)
            (raw, raw_rss), (ours, our_rss) = times["raw"], times["ours"]
            ratios.append(ours / raw)
            print(
                f"run {run}: raw {raw:6.2f} s ({args.n / raw:,.0f} docs/s, {raw_rss:.0f} MB)"
                f" | annotator import {ours:6.2f} s ({args.n / ours:,.0f} docs/s,"
                f" {our_rss:.0f} MB) | ratio {ours / raw:.2f}x"
            )
            same_raw, same_ours = stored(raw_db), stored(our_db)
            if same_raw != same_ours:
                print(f"  STORED RESULT DIFFERS: raw {same_raw} ours {same_ours}")
            for db in (raw_db, our_db):
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{db}{suffix}").unlink(missing_ok=True)
        median = statistics.median(ratios)
        verdict = "ok" if median <= TARGET else "ABOVE TARGET"
        print(f"ratio ours/raw: median {median:.2f}x (target <= {TARGET:g}x): {verdict}")
        print(
            "stored result checked equal: rows, rows without tokens, keys, titles, "
            f"search hits {same_ours}"
        )

        again_db = tmpdir / "again.db"
        subprocess.run(
            [*cli, "import", str(src), "--db", str(again_db)], check=True, capture_output=True
        )
        again, _ = timed([*cli, "import", str(src), "--db", str(again_db)])
        print(f"re-import of the same file (all duplicates): {again:.2f} s")
    print(f"spaCy tokenizer (not part of either import): {tokenizer_speed()}")


if __name__ == "__main__":
    main()
