"""Import articles (and their annotations) in batches, skipping and reporting bad input."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core import Annotation, Document
from annotator.formats.align import AlignmentError, build_annotation
from annotator.formats.records import ImportRecord, Problem
from annotator.formats.registry import READERS, expand_paths
from annotator.nlp.tokenize import tokenize_many
from annotator.storage.repository import Repository

ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]
DEFAULT_IMPORT_ANNOTATOR = "imported"


@dataclass
class ImportReport:
    imported: int = 0
    duplicates: int = 0
    annotations: int = 0
    snapped_spans: int = 0
    problems: list[Problem] = field(default_factory=list)
    cancelled: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems


def _count_units(files: list[tuple[Path, str]]) -> int:
    total = 0
    for path, fmt in files:
        if fmt in ("txt",) or not path.is_file():
            total += 1
            continue
        try:
            with path.open("rb") as f:
                total += sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))
        except OSError:
            total += 1
    return max(total, 1)


def _records(files: list[tuple[Path, str]]) -> Iterator[ImportRecord | Problem]:
    for path, fmt in files:
        if not path.exists():
            yield Problem(str(path), None, "no such file or folder")
            continue
        reader = READERS.get(fmt)
        if reader is None:
            yield Problem(str(path), None, f"unknown format {fmt!r}")
            continue
        yield from reader(path)


def import_paths(
    repo: Repository,
    paths: list[Path],
    *,
    fmt: str = "auto",
    annotator: str | None = None,
    lang: str = "en",
    batch_size: int = 5000,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> ImportReport:
    files = expand_paths(paths, fmt)
    total = _count_units(files) if progress else 0
    report = ImportReport()
    batch: list[ImportRecord] = []

    def flush() -> None:
        _store_batch(repo, batch, annotator, lang, report)
        batch.clear()

    for done, item in enumerate(_records(files), start=1):
        if isinstance(item, Problem):
            report.problems.append(item)
        else:
            batch.append(item)
            if len(batch) >= batch_size:
                flush()
                if progress:
                    progress(min(done, total), total)
                if cancel and cancel():
                    report.cancelled = True
                    return report
    if batch:
        flush()
    if progress:
        progress(total, total)
    return report


def _store_batch(
    repo: Repository,
    batch: list[ImportRecord],
    annotator: str | None,
    lang: str,
    report: ImportReport,
) -> None:
    annotated = [r for r in batch if r.annotated]
    tokens_for: dict[int, list] = {}
    if annotated:
        for rec, toks in zip(annotated, tokenize_many(r.text for r in annotated), strict=True):
            tokens_for[id(rec)] = toks
    docs: list[Document] = []
    annotations: list[tuple[int, Annotation]] = []
    for rec in batch:
        tokens = tokens_for.get(id(rec))
        if rec.annotated:
            assert tokens is not None
            name = annotator or rec.annotator or DEFAULT_IMPORT_ANNOTATOR
            try:
                ann, snapped = build_annotation(rec, tokens, name)
            except AlignmentError as exc:
                report.problems.append(Problem(rec.source, rec.line, str(exc)))
                continue
            report.snapped_spans += snapped
            annotations.append((len(docs), ann))
        docs.append(
            Document(text=rec.text, external_id=rec.external_id, meta=rec.meta, tokens=tokens)
        )
    new_ids, dup_ids = repo.import_batch(docs, annotations)
    report.imported += len(new_ids)
    report.duplicates += len(dup_ids)
    report.annotations += len(annotations)
