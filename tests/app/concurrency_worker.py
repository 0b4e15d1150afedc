"""A separate annotator process for the concurrency and crash tests.

    python concurrency_worker.py burst URL ANNOTATOR DOC_ID N [FIRST_TOKEN] [STEP]
    python concurrency_worker.py import URL PATH
    python concurrency_worker.py fsize URL ANNOTATOR DOC_ID LIMIT_BYTES

``burst`` adds one entity span per token through ``Project.apply`` and prints
``ack <start> <end>`` only after ``apply`` returned (the action is committed). The
parent may SIGKILL it at any moment and then expects every acknowledged span to be
in the database. ``import`` prints ``progress <done> <total>`` after each committed
batch. ``fsize`` caps the size of any file this process writes (RLIMIT_FSIZE, a disk
that fills up) and adds spans until the database refuses, then prints ``full <message>``.
"""

from __future__ import annotations

import resource
import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from annotator.app.errors import StorageUnavailable
from annotator.app.project import Project
from annotator.core import Origin, Span
from annotator.core import operations as ops


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def burst(url: str, who: str, doc_id: int, n: int, first: int = 0, step: int = 1) -> None:
    with Project.open(url) as project:
        doc = project.get_document(doc_id)
        tokens = [t for t in doc.tokens or [] if doc.text[t.start : t.end].isalpha()]
        annotation = project.open_annotation(doc_id, who)
        say("ready")
        for i in range(first, first + n * step, step):
            tok = tokens[i % len(tokens)]
            span = Span(tok.start, tok.end, "ORG", origin=Origin.MANUAL)
            if annotation.span_by_key(span.key) is not None:
                continue
            annotation, _ = project.apply(annotation, ops.AddSpan(span))
            say(f"ack {tok.start} {tok.end}")
    say("done")


def import_(url: str, path: str) -> None:
    with Project.open(url) as project:
        report = project.import_paths(
            [path], progress=lambda done, total: say(f"progress {done} {total}")
        )
    say(f"done {report.imported}")


def fsize(url: str, who: str, doc_id: int, limit: int) -> None:
    with Project.open(url) as project:
        doc = project.get_document(doc_id)
        tokens = [t for t in doc.tokens or [] if doc.text[t.start : t.end].isalpha()]
        annotation = project.open_annotation(doc_id, who)
        # From here on no file may grow past ``limit`` bytes: as a full disk, writes
        # fail (EFBIG) instead of the default SIGXFSZ killing the process.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
        for tok in tokens:
            span = Span(tok.start, tok.end, "ORG", origin=Origin.MANUAL)
            if annotation.span_by_key(span.key) is not None:
                continue
            try:
                annotation, _ = project.apply(annotation, ops.AddSpan(span))
            except StorageUnavailable as exc:
                say(f"full {exc}")
                return
            say(f"ack {tok.start} {tok.end}")
    say("never full")


if __name__ == "__main__":
    mode, url, *rest = sys.argv[1:]
    if mode == "burst":
        burst(url, rest[0], *map(int, rest[1:]))
    elif mode == "import":
        import_(url, rest[0])
    elif mode == "fsize":
        fsize(url, rest[0], int(rest[1]), int(rest[2]))
    else:
        raise SystemExit(f"unknown mode {mode}")
