"""Ours next to doccano 1.8.4 and Label Studio 1.23 on the same labelled articles.

    python tests/peers/install_peers.py          # once: the peers' venvs (~10 min)
    python bench/bench_peers.py [--n 2000] [--runs 3] [--cli "python -m ..."]

Input: ``write_input`` of bench_import_labelled.py (N news-like articles, about 41
labelled spans each: entities, QUOTE with kinds, SPEAKER, CUE, and relations).
The peers are the real servers of tests/peers (their own venvs, 127.0.0.1 only,
stopped by their process groups at the end, also on error). Every figure is timed from
outside and includes everything the command or call does:

* import -- ours: ``annotator import`` of the file into a fresh project file (the
  process, start-up included); doccano: its REST import (file-pond upload, the celery
  import task, polled until done) of our doccano export of the same project, into a
  new project; Label Studio: its REST import (one POST) of our Label Studio task list
  (every task with its annotation), into a new project made with our labelling config;
* export -- ours: ``annotator export --format X`` for every format; doccano: its
  JSONL export (the celery task, polled, and the zip downloaded); Label Studio: its
  JSON export (the REST call, returning when the whole file is downloaded).

Medians of ``--runs``; the order of the three sides alternates from run to run (the
machine may be shared: the load average and our processes' CPU seconds are printed
beside every figure). Targets: our import >= 1.5x Label Studio's (its time / ours),
every export of ours >= 2x the faster peer's export.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "tests" / "peers"))

from bench_import_labelled import annotator_command, timed, write_input  # noqa: E402
from peer_api import (  # noqa: E402
    doccano_export,
    doccano_import,
    doccano_project,
    labelstudio_export,
    labelstudio_import,
    labelstudio_project,
)
from peer_servers import (  # noqa: E402
    PeerFailed,
    Server,
    start_doccano,
    start_labelstudio,
)

ANNOTATOR = "alice"  # whose labels write_input's records are
IMPORT_TARGET = 1.5  # ours >= 1.5x Label Studio's import
EXPORT_TARGET = 2.0  # every export of ours >= 2x the faster peer's
OUR_EXPORTS: dict[str, list[str]] = {
    "spacy": ["--format", "spacy"],
    "jsonl": ["--format", "jsonl"],
    "jsonl --no-tokens": ["--format", "jsonl", "--no-tokens"],
    "doccano": ["--format", "doccano"],
    "labelstudio": ["--format", "labelstudio"],
    "brat": ["--format", "brat"],
    "iob": ["--format", "iob"],
}


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.2f}/{five:.2f}"


def _size(path: Path) -> int:
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return path.stat().st_size if path.exists() else 0


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def _clock(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


_TICK = os.sysconf("SC_CLK_TCK")


def server_cpu(server: Server) -> float:
    """CPU seconds so far of every live process in the server's process groups (its
    web workers, task workers): what a call cost the peer, whatever else runs."""
    groups = {proc.pid for proc in server.procs}
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        if int(fields[2]) in groups:  # pgrp
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / _TICK


def _peer_clock(server: Server, call: Callable[[], object]) -> tuple[float, float]:
    """Wall seconds of ``call`` and the CPU seconds the server spent meanwhile."""
    before = server_cpu(server)
    wall = _clock(call)
    return wall, server_cpu(server) - before


class Bench:
    def __init__(self, cli: list[str], work: Path, src: Path, n: int) -> None:
        self.cli = cli
        self.work = work
        self.src = src
        self.n = n
        self.wall: dict[str, list[float]] = {}
        self.cpu: dict[str, list[float]] = {}
        self.sizes: dict[str, int] = {}
        self.doccano: Server | None = None
        self.labelstudio: Server | None = None
        self.ls_config = ""
        self.doccano_project = 0
        self.ls_project = 0

    def record(self, name: str, wall: float, cpu: float | None = None) -> None:
        self.wall.setdefault(name, []).append(wall)
        if cpu is not None:
            self.cpu.setdefault(name, []).append(cpu)
        extra = f" (cpu {cpu:5.2f})" if cpu is not None else ""
        print(f"  {name:<32} {wall:7.2f} s{extra}   {_load()}", flush=True)

    def ours(self, *args: str) -> tuple[float, float]:
        return timed([*self.cli, *args])

    # input in each side's format -----------------------------------------------------

    def prepare(self) -> tuple[Path, Path]:
        """Our project of the file, and from it the peers' inputs (untimed)."""
        db = self.work / "prepare.db"
        self.ours("import", str(self.src), "--db", str(db))
        doccano_in = self.work / "peer-input.doccano.jsonl"
        ls_in = self.work / "peer-input.json"
        for fmt, path in (("doccano", doccano_in), ("labelstudio", ls_in)):
            self.ours(
                "export", "--db", str(db), "--format", fmt, "--annotator", ANNOTATOR,
                "--out", str(path),
            )  # fmt: skip
        self.ls_config = ls_in.with_name("peer-input.label_config.xml").read_text("utf-8")
        return doccano_in, ls_in

    # the three imports ---------------------------------------------------------------

    def import_run(self, run: int, doccano_in: Path, ls_in: Path) -> Path:
        db = self.work / f"import{run}.db"
        assert self.doccano is not None and self.labelstudio is not None
        doccano, labelstudio = self.doccano, self.labelstudio

        def ours() -> None:
            wall, cpu = self.ours("import", str(self.src), "--db", str(db))
            self.record("import: ours", wall, cpu)

        def doc() -> None:
            project = doccano_project(doccano, f"bench {run}")
            wall, cpu = _peer_clock(doccano, lambda: doccano_import(doccano, project, doccano_in))
            examples = _doccano_count(doccano, project)
            if examples != self.n:
                raise PeerFailed(f"doccano imported {examples} examples of {self.n}")
            self.record("import: doccano", wall, cpu)
            self.doccano_project = project

        def ls() -> None:
            project = labelstudio_project(labelstudio, f"bench {run}", self.ls_config)
            wall, cpu = _peer_clock(
                labelstudio, lambda: _ls_import_all(labelstudio, project, ls_in, self.n)
            )
            self.record("import: Label Studio", wall, cpu)
            self.ls_project = project

        sides = [ours, doc, ls]
        for side in sides if run % 2 else reversed(sides):
            side()
        return db

    # the exports --------------------------------------------------------------------

    def export_run(self, run: int, db: Path) -> None:
        assert self.doccano is not None and self.labelstudio is not None
        doccano, labelstudio = self.doccano, self.labelstudio
        steps: list[Callable[[], None]] = []
        for name, args in OUR_EXPORTS.items():

            def ours(name: str = name, args: list[str] = args) -> None:
                out = self.work / f"export-{run}-{name.replace(' ', '')}"
                wall, cpu = self.ours(
                    "export", "--db", str(db), *args, "--annotator", ANNOTATOR, "--out", str(out)
                )
                self.record(f"export: ours {name}", wall, cpu)
                self.sizes[f"ours {name}"] = _size(out)
                _remove(out)

            steps.append(ours)

        def doc() -> None:
            out = self.work / f"doccano-{run}.zip"
            wall, cpu = _peer_clock(
                doccano, lambda: doccano_export(doccano, self.doccano_project, out)
            )
            self.record("export: doccano", wall, cpu)
            self.sizes["doccano"] = _size(out)
            out.unlink()

        def ls() -> None:
            out = self.work / f"labelstudio-{run}.json"
            wall, cpu = _peer_clock(
                labelstudio, lambda: labelstudio_export(labelstudio, self.ls_project, out)
            )
            tasks = json.loads(out.read_bytes())
            if len(tasks) != self.n or not all(t["annotations"] for t in tasks):
                raise PeerFailed(f"Label Studio exported {len(tasks)} tasks of {self.n}")
            self.record("export: Label Studio", wall, cpu)
            self.sizes["Label Studio"] = _size(out)
            out.unlink()

        # the peers between our exports and, every other run, before and after them
        half = len(steps) // 2
        order = [*steps[:half], doc, *steps[half:], ls]
        for step in order if run % 2 else reversed(order):
            step()


def _doccano_count(server: Server, project: int) -> int:
    with server.session() as s:
        answer = s.get(f"{server.url}/v1/projects/{project}/examples", params={"limit": 1})
    return int(answer.json()["count"])


def _ls_count(server: Server, project: int) -> int:
    with server.session() as s:
        answer = s.get(f"{server.url}/api/projects/{project}")
    return int(answer.json().get("task_number") or 0)


def _ls_import_all(server: Server, project: int, path: Path, n: int, timeout: float = 600) -> None:
    """The import call, then (should this version import in the background) until the
    project holds every task."""
    labelstudio_import(server, project, path)
    deadline = time.monotonic() + timeout
    while (count := _ls_count(server, project)) < n:
        if time.monotonic() > deadline:
            raise PeerFailed(f"Label Studio holds {count} tasks of {n} after {timeout:.0f} s")
        time.sleep(0.05)


def _median(values: list[float]) -> float:
    return statistics.median(values)


def _cpu_ratio(med_cpu: dict[str, float], peer: str, ours: str) -> str:
    """The same ratio in CPU seconds (the peer server's over our process's): on a
    shared machine, what each side cost whatever else ran (not the verdict)."""
    if peer not in med_cpu or ours not in med_cpu or not med_cpu[ours]:
        return ""
    theirs, mine = med_cpu[peer], med_cpu[ours]
    return f"   (cpu {theirs:.2f} / {mine:.2f} s = {theirs / mine:.2f}x)"


def report(bench: Bench) -> bool:
    med = {name: _median(v) for name, v in bench.wall.items()}
    med_cpu = {name: _median(v) for name, v in bench.cpu.items()}
    print()
    runs = len(bench.wall["import: ours"])
    print(f"medians of {runs} runs (wall seconds; cpu: our process's, or the peer server's)")
    for name, value in med.items():
        cpu = f"  cpu {_median(bench.cpu[name]):6.2f}" if name in bench.cpu else ""
        print(f"  {name:<32} {value:7.2f} s{cpu}")
    ok = True
    print()
    ours, ls, doccano = med["import: ours"], med["import: Label Studio"], med["import: doccano"]
    ratio = ls / ours
    passed = ratio >= IMPORT_TARGET
    ok &= passed
    print(
        f"import: Label Studio / ours = {ratio:.2f}x (doccano / ours = {doccano / ours:.2f}x); "
        f"target >= {IMPORT_TARGET}x: {'PASS' if passed else 'FAIL'}"
        + _cpu_ratio(med_cpu, "import: Label Studio", "import: ours")
    )
    peer_name, peer = min(
        (("doccano", med["export: doccano"]), ("Label Studio", med["export: Label Studio"])),
        key=lambda item: item[1],
    )
    print(f"exports against the faster peer's export ({peer_name}, {peer:.2f} s):")
    for name in OUR_EXPORTS:
        value = med[f"export: ours {name}"]
        ratio = peer / value
        passed = ratio >= EXPORT_TARGET
        ok &= passed
        size = bench.sizes.get(f"ours {name}", 0) / 1e6
        cpu = _cpu_ratio(med_cpu, f"export: {peer_name}", f"export: ours {name}")
        print(
            f"  {name:<18} {value:6.2f} s  {ratio:5.2f}x  {size:7.1f} MB  "
            f"target >= {EXPORT_TARGET}x: {'PASS' if passed else 'FAIL'}{cpu}"
        )
    for peer_name in ("doccano", "Label Studio"):
        print(f"  ({peer_name}'s export: {bench.sizes.get(peer_name, 0) / 1e6:.1f} MB)")
    print(f"overall: {'PASS' if ok else 'FAIL'}   {_load()}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=2000, help="articles (default 2000)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cli", help="the command that runs ours (default: annotator)")
    parser.add_argument("--keep", type=Path, help="keep the work folder (input, logs) here")
    args = parser.parse_args()
    print(__doc__.split("\n\n", 3)[3].split("\n\nMedians")[0].rstrip())
    print()
    cli = shlex.split(args.cli) if args.cli else annotator_command()
    work = Path(tempfile.mkdtemp(prefix="bench-peers-", dir=args.keep))
    bench: Bench | None = None
    try:
        src = work / "labelled.jsonl"
        size, n_spans, n_rels = write_input(src, args.n)
        print(
            f"input: {args.n} articles, {size / 1e6:.1f} MB of text, {n_spans:,} spans, "
            f"{n_rels:,} relations, {_size(src) / 1e6:.1f} MB file; {args.runs} runs; "
            f"{os.cpu_count()} CPUs, {_load()}",
            flush=True,
        )
        bench = Bench(cli, work, src, args.n)
        doccano_in, ls_in = bench.prepare()
        bench.doccano = start_doccano(work / "doccano")
        bench.labelstudio = start_labelstudio(work / "labelstudio")
        print(f"peers: doccano {bench.doccano.url}, Label Studio {bench.labelstudio.url}")
        for run in range(1, args.runs + 1):
            print(f"run {run}:", flush=True)
            db = bench.import_run(run, doccano_in, ls_in)
            bench.export_run(run, db)
        ok = report(bench)
    finally:
        if bench is not None:
            for server in (bench.doccano, bench.labelstudio):
                if server is not None:
                    server.stop()
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"work folder kept: {work}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
