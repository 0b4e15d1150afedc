"""Import N labelled articles through the CLI, next to the same rows written by hand.

    python bench/bench_import_labelled.py [--n 2000] [--runs 3] [--cli "python -m ..."]

Input: N news-like articles (about 2,500 characters each) in the project's JSONL
format with about 41 labelled spans each: PERSON, GPE and ORG entities, QUOTE (direct
and indirect kinds), SPEAKER and CUE spans, and the quote -> speaker / cue relations.

Both sides run as their own process and are timed from outside, start-up included:

* ours: ``annotator import labelled.jsonl --db ours.db`` -- everything the command
  does (new project file with its schema, reading and checking each record,
  tokenizing each labelled text, aligning spans to the tokens, storing documents,
  annotations, spans and relations, and the search-index pass before it returns);
* raw: ``python bench_import_labelled.py --raw`` -- stdlib ``sqlite3`` at the same
  durability (WAL, synchronous=FULL, one commit per 5000 records as ours),
  ``json.loads`` per line, sha256 of the text, ``executemany`` of the documents,
  annotations, spans and relations rows into the same tables (same keys and
  indexes), and the FTS5 index built in one pass at the end. Raw stores no tokens:
  the spaCy tokenizer's own time on these texts is printed separately.

The two files are then compared (documents, annotations, spans, relations, kinds,
search hits) so the baseline is known to have stored the same labels.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import resource
import shlex
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

BATCH = 5000
_NAMES = [
    "Sergei Ryabkov", "Donald Trump", "Vladimir Putin", "Maria Zakharova", "Emmanuel Macron",
    "Olaf Scholz", "Ursula von der Leyen", "Antony Blinken", "Wang Yi", "Recep Tayyip Erdogan",
]  # fmt: skip
_PLACES = ["Moscow", "Washington", "Kyiv", "Beijing", "Paris", "Berlin", "Ankara", "Brussels"]
_ORGS = ["NATO", "the United Nations", "the European Union", "Gazprom", "the Kremlin"]
_CUES = ["said", "added", "told reporters", "warned", "insisted", "argued"]
_FILLER = (
    "the talks continued for several hours behind closed doors while officials from both "
    "sides declined to comment on the details of the draft agreement on energy and trade"
).split()

_SCHEMA = """
create table settings (key varchar(100) primary key, value text not null);
create table documents (
    id integer primary key, external_id varchar(500) not null, sha256 varchar(64) not null,
    text text not null, title varchar(200) not null, meta json not null, tokens blob,
    created_at datetime not null, unique (sha256));
create index ix_documents_untokenized on documents (id) where tokens is null;
create table annotators (id integer primary key, name varchar(200) not null,
    kind varchar(20) not null, role varchar(20) not null, unique (name));
create table annotations (id integer primary key,
    document_id integer not null references documents (id) on delete cascade,
    annotator_id integer not null references annotators (id) on delete cascade,
    status varchar(20) not null, version integer not null, flagged boolean not null,
    n_spans integer not null, updated_at datetime not null,
    unique (document_id, annotator_id));
create index ix_annotations_annotator_status on annotations (annotator_id, status, document_id);
create index ix_annotations_annotator_document on annotations (annotator_id, document_id);
create table spans (id integer primary key,
    annotation_id integer not null references annotations (id) on delete cascade,
    start integer not null, "end" integer not null, label varchar(100) not null,
    layer varchar(20) not null, origin varchar(20) not null, kind varchar(20),
    confidence float, unique (annotation_id, start, "end", label, layer));
create index ix_spans_annotation_id on spans (annotation_id);
create table relations (id integer primary key,
    annotation_id integer not null references annotations (id) on delete cascade,
    head_id integer not null references spans (id) on delete cascade,
    child_id integer not null references spans (id) on delete cascade,
    label varchar(20) not null);
create index ix_relations_annotation_id on relations (annotation_id);
create index ix_relations_head_id on relations (head_id);
create index ix_relations_child_id on relations (child_id);
create virtual table documents_fts using fts5(title, text, content='documents',
    content_rowid='id', tokenize='unicode61 remove_diacritics 2');
"""
_DOC = (
    "insert or ignore into documents (external_id, sha256, text, title, meta, tokens, "
    "created_at) values (?, ?, ?, ?, ?, null, ?)"
)
_ANN = (
    "insert into annotations (id, document_id, annotator_id, status, version, flagged, "
    "n_spans, updated_at) values (?, ?, ?, ?, 1, 0, ?, ?)"
)
_SPAN = (
    'insert into spans (id, annotation_id, start, "end", label, layer, origin, kind, '
    "confidence) values (?, ?, ?, ?, ?, ?, 'accepted', ?, null)"
)
_REL = "insert into relations (annotation_id, head_id, child_id, label) values (?, ?, ?, ?)"
_STATUS = {"accept": "done", "ignore": "skipped", "reject": "skipped", None: "in_progress"}


class _Writer:
    """One article's text and labels, built piece by piece so every offset is known."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0
        self.spans: list[dict[str, Any]] = []
        self.relations: list[dict[str, Any]] = []

    def add(self, piece: str, label: str | None = None, **extra: Any) -> dict[str, Any] | None:
        start = self.size
        self.parts.append(piece)
        self.size += len(piece)
        if label is None:
            return None
        span = {"start": start, "end": self.size, "label": label, **extra}
        self.spans.append(span)
        return span

    def label(self, start: int, end: int, label: str, **extra: Any) -> dict[str, Any]:
        span = {"start": start, "end": end, "label": label, **extra}
        self.spans.append(span)
        return span

    def relate(self, quote: dict[str, Any], other: dict[str, Any], label: str) -> None:
        ref = ("start", "end", "label")
        self.relations.append(
            {
                "label": label,
                "head_span": {k: quote[k] for k in ref},
                "child_span": {k: other[k] for k in ref},
            }
        )


def _words(rng: random.Random) -> str:
    return " ".join(rng.choice(_FILLER) for _ in range(rng.randint(14, 26)))


def _sentence(w: _Writer, rng: random.Random) -> None:
    """One sentence; about a third quote someone (direct or indirect) with speaker and cue."""
    name, place, org = rng.choice(_NAMES), rng.choice(_PLACES), rng.choice(_ORGS)
    cue = rng.choice(_CUES)
    roll = rng.random()
    if roll < 0.16:  # “Words in Place,” Name cue.
        start = w.size
        w.add("“" + _words(rng).capitalize() + " in ")
        w.add(place, "GPE")
        w.add(",”")
        quote = w.label(start, w.size, "QUOTE", kind="direct")
        w.add(" ")
        speaker = w.add(name, "SPEAKER")
        assert speaker is not None
        w.label(speaker["start"], speaker["end"], "PERSON")
        w.add(" ")
        cue_span = w.add(cue, "CUE")
        assert cue_span is not None
        w.add(".")
        w.relate(quote, speaker, "speaker")
        w.relate(quote, cue_span, "cue")
    elif roll < 0.28:  # Name cue that words in Place.
        speaker = w.add(name, "SPEAKER")
        assert speaker is not None
        w.label(speaker["start"], speaker["end"], "PERSON")
        w.add(" ")
        cue_span = w.add(cue, "CUE")
        assert cue_span is not None
        w.add(" ")
        start = w.size
        w.add("that " + _words(rng) + " with ")
        w.add(org, "ORG")
        w.add(" in ")
        w.add(place, "GPE")
        quote = w.label(start, w.size, "QUOTE", kind="indirect")
        w.add(".")
        w.relate(quote, speaker, "speaker")
        w.relate(quote, cue_span, "cue")
    else:  # narration with one entity
        w.add(_words(rng).capitalize() + " in ")
        w.add(place, "GPE")
        w.add(".")


def labelled_record(i: int, rng: random.Random, n_chars: int = 2500) -> dict[str, Any]:
    w = _Writer()
    w.add(f"Article {i}: talks in ")
    w.add(rng.choice(_PLACES), "GPE")
    w.add("\n\n")
    while w.size < n_chars:
        _sentence(w, rng)
        w.add("\n\n" if rng.random() < 0.2 else " ")
    return {
        "text": "".join(w.parts).rstrip(),
        "meta": {"id": f"bench-{i}"},
        "spans": w.spans,
        "relations": w.relations,
        "answer": "accept",
        "_annotator_id": "alice",
    }


def write_input(path: Path, n: int, seed: int = 13) -> tuple[int, int, int]:
    """Writes the file; (text bytes, spans, relations)."""
    rng = random.Random(seed)
    size = n_spans = n_rels = 0
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            rec = labelled_record(i, rng)
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
            size += len(rec["text"].encode("utf-8"))
            n_spans += len(rec["spans"])
            n_rels += len(rec["relations"])
    return size, n_spans, n_rels


def _layer(label: str) -> str:
    return "quotes" if label in ("QUOTE", "SPEAKER", "CUE") else "ents"


def raw_import(src: Path, db: Path) -> None:
    """The by-hand import (run in its own process by ``--raw``)."""
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("pragma journal_mode=wal")
    con.execute("pragma synchronous=full")
    con.execute("pragma foreign_keys=on")
    con.executescript(_SCHEMA)
    con.execute("insert into annotators values (1, 'alice', 'human', 'annotator')")
    stamp = datetime.now(UTC).isoformat()
    sha = hashlib.sha256
    dumps = json.dumps
    objs: list[tuple[str, dict[str, Any], tuple[Any, ...]]] = []
    next_ann = next_span = 1

    def flush() -> None:
        nonlocal next_ann, next_span
        con.execute("begin")
        con.executemany(_DOC, [row for _, _, row in objs])
        marks = ",".join("?" * len(objs))
        ids = dict(
            con.execute(
                f"select sha256, id from documents where sha256 in ({marks})",
                [key for key, _, _ in objs],
            )
        )
        anns, spans, rels = [], [], []
        for key, obj, _ in objs:
            aid = next_ann
            next_ann += 1
            raw = obj["spans"]
            anns.append((aid, ids[key], 1, _STATUS[obj.get("answer")], len(raw), stamp))
            by_ref: dict[tuple[int, int, str], int] = {}
            for sp in raw:
                by_ref[(sp["start"], sp["end"], sp["label"])] = next_span
                spans.append(
                    (next_span, aid, sp["start"], sp["end"], sp["label"],
                     sp.get("layer") or _layer(sp["label"]), sp.get("kind"))
                )  # fmt: skip
                next_span += 1
            for rel in obj.get("relations") or []:
                h, c = rel["head_span"], rel["child_span"]
                rels.append(
                    (aid, by_ref[(h["start"], h["end"], h["label"])],
                     by_ref[(c["start"], c["end"], c["label"])], rel["label"])
                )  # fmt: skip
        con.executemany(_ANN, anns)
        con.executemany(_SPAN, spans)
        con.executemany(_REL, rels)
        con.execute("commit")
        objs.clear()

    with src.open("rb") as f:
        for number, line in enumerate(f, start=1):
            obj = json.loads(line)
            text = obj["text"]
            meta = obj.get("meta") or {}
            external = str(meta.get("id") or meta.get("source") or f"{src.name}:{number}")
            title = text.lstrip().split("\n", 1)[0][:200]
            key = sha(text.encode("utf-8")).hexdigest()
            objs.append((key, obj, (external, key, text, title, dumps(meta), stamp)))
            if len(objs) >= BATCH // 10:  # under SQLite's variable limit for the id lookup
                flush()
    if objs:
        flush()
    con.execute("begin")
    con.execute("insert into documents_fts(documents_fts) values ('rebuild')")
    con.execute(
        "insert into settings values ('search_indexed_upto', "
        "(select cast(max(id) as text) from documents))"
    )
    con.execute("commit")
    con.close()


def stored(db: Path) -> tuple[object, ...]:
    """What a reader of the file sees: counts of each kind of row, a digest of the
    spans (document key, offsets, label, layer, kind) and relations, search hits."""
    con = sqlite3.connect(db)
    docs = con.execute("select count(*) from documents").fetchone()[0]
    anns = con.execute("select count(*), group_concat(distinct status) from annotations").fetchone()
    digest = hashlib.sha256()
    for row in con.execute(
        'select d.sha256, s.start, s."end", s.label, s.layer, s.kind from spans s '
        "join annotations a on a.id = s.annotation_id join documents d on d.id = a.document_id "
        'order by d.sha256, s.start, s."end", s.label, s.layer'
    ):
        digest.update(repr(row).encode())
    rels = hashlib.sha256()
    for row in con.execute(
        "select d.sha256, h.start, h.label, c.start, c.label, r.label from relations r "
        "join spans h on h.id = r.head_id join spans c on c.id = r.child_id "
        "join annotations a on a.id = r.annotation_id join documents d on d.id = a.document_id "
        "order by 1, 2, 3, 4, 5, 6"
    ):
        rels.update(repr(row).encode())
    hits = con.execute(
        "select count(*) from documents_fts where documents_fts match 'moscow AND warned'"
    ).fetchone()[0]
    con.close()
    return docs, *anns, digest.hexdigest()[:12], rels.hexdigest()[:12], hits


def annotator_command() -> list[str]:
    script = Path(sys.executable).parent / "annotator"
    if script.exists():
        return [sys.executable, str(script)]
    return [sys.executable, "-c", "import sys; from annotator.cli import main; sys.exit(main())"]


def timed(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system) of one child process: on a shared
    machine the CPU time is the work done, whatever else runs."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, err = proc.communicate()
    elapsed = time.perf_counter() - start
    if proc.returncode:
        sys.stderr.write(err.decode(errors="replace")[-3000:])
        raise SystemExit(f"{' '.join(cmd)} failed (rc {proc.returncode})")
    return elapsed, _child_cpu()


_CPU_SEEN: list[float] = [0.0]


def _child_cpu() -> float:
    """CPU seconds of the child just reaped (the children's total grows by it)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = usage.ru_utime + usage.ru_stime
    cpu, _CPU_SEEN[0] = total - _CPU_SEEN[0], total
    return cpu


def tokenizer_seconds(src: Path) -> float:
    from annotator.nlp.tokenize import tokenize_many

    with src.open("rb") as f:
        texts = [json.loads(line)["text"] for line in f]
    for _ in tokenize_many(texts[:200]):
        pass  # the vocabulary's first sight of the words is not the tokenizer's speed
    start = time.perf_counter()
    for _ in tokenize_many(texts):
        pass
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cli", help="the command that runs ours (default: annotator)")
    parser.add_argument("--keep", type=Path, help="also write the input file here")
    parser.add_argument("--raw", nargs=2, metavar=("SRC", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.raw:
        raw_import(Path(args.raw[0]), Path(args.raw[1]))
        return
    print(__doc__.split("\n\n", 2)[2].rstrip())
    print()
    cli = shlex.split(args.cli) if args.cli else annotator_command()
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        src = tmpdir / "labelled.jsonl"
        size, n_spans, n_rels = write_input(src, args.n)
        if args.keep:
            args.keep.write_bytes(src.read_bytes())
        print(
            f"input: {args.n} articles, {size / 1e6:.1f} MB of text, {n_spans:,} spans "
            f"({n_spans / args.n:.1f} per article), {n_rels:,} relations, "
            f"{os.path.getsize(src) / 1e6:.1f} MB file; {args.runs} runs"
        )
        times: dict[str, list[float]] = {"raw": [], "ours": []}
        cpus: dict[str, list[float]] = {"raw": [], "ours": []}
        for run in range(1, args.runs + 1):
            raw_db, our_db = tmpdir / f"raw{run}.db", tmpdir / f"ours{run}.db"
            sides = [("raw", raw_db), ("ours", our_db)]
            if run % 2 == 0:  # alternate which side goes first: the machine is shared
                sides.reverse()
            for side, db in sides:
                if side == "raw":
                    cmd = [sys.executable, __file__, "--raw", str(src), str(db)]
                else:
                    cmd = [*cli, "import", str(src), "--db", str(db)]
                wall, cpu = timed(cmd)
                times[side].append(wall)
                cpus[side].append(cpu)
            raw, ours = times["raw"][-1], times["ours"][-1]
            print(
                f"run {run}: raw {raw:5.2f} s (cpu {cpus['raw'][-1]:5.2f}) | annotator import "
                f"{ours:5.2f} s (cpu {cpus['ours'][-1]:5.2f}; {args.n / ours:,.0f} docs/s, "
                f"{n_spans / ours:,.0f} spans/s) | ratio {ours / raw:.2f}x"
            )
            same_raw, same_ours = stored(raw_db), stored(our_db)
            if same_raw != same_ours:
                print(f"  STORED RESULT DIFFERS: raw {same_raw} ours {same_ours}")
            for db in (raw_db, our_db):
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{db}{suffix}").unlink(missing_ok=True)
        raw, ours = statistics.median(times["raw"]), statistics.median(times["ours"])
        print(
            f"median: annotator import {ours:.2f} s ({args.n / ours:,.0f} docs/s, "
            f"{n_spans / ours:,.0f} spans/s); raw sqlite3 {raw:.2f} s "
            f"({args.n / raw:,.0f} docs/s, {n_spans / raw:,.0f} spans/s); ratio {ours / raw:.2f}x"
        )
        our_cpu, raw_cpu = statistics.median(cpus["ours"]), statistics.median(cpus["raw"])
        print(
            f"median CPU seconds: annotator import {our_cpu:.2f}, raw sqlite3 {raw_cpu:.2f}; "
            f"ratio {our_cpu / raw_cpu:.2f}x"
        )
        print(f"stored result (docs, annotations, statuses, spans, relations, hits): {same_ours}")
        tok = tokenizer_seconds(src)
        print(f"spaCy tokenizer alone on these texts (ours only): {tok:.2f} s")


if __name__ == "__main__":
    main()
