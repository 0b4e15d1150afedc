"""Export annotations as training data: choose what to export, then stream it to writers.

``export_pairs`` is the engine: it takes any iterator of (Document, Annotation)
pairs, so a caller may pick a different annotation per document (gold with a
fallback, a majority vote ...); ``annotation_pairs`` is the common choice of one
annotator's annotations, read in batches. ``export_project`` ties both to a
project for the CLI and the window (``progress(done, total)`` and ``cancel()``
callbacks so a worker thread can run it with a Cancel button).

Nothing is published unless every span of every exported document was written:
files are written under a temporary name and renamed at the end, and any span
that cannot be placed is reported (with its document) and fails the export.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import random
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.app.importing import CancelFn, ProgressFn
from annotator.app.labels import as_labels
from annotator.core import (
    Annotation,
    AnnotationStatus,
    AnnotatorError,
    Document,
    LabelScheme,
    fit_tokens,
)
from annotator.formats.docbin import DEFAULT_SPAN_KEY
from annotator.formats.docbin_shards import is_docbin_folder
from annotator.formats.export_base import SpanPlacementError, Writer, write_failed
from annotator.formats.records import Problem
from annotator.formats.registry import writer_for
from annotator.formats.spacy_config import config_for_export, write_training_config
from annotator.nlp.tokenize import tokenize

if TYPE_CHECKING:
    from annotator.app.project import Project

STATUS_CHOICES: dict[str, tuple[AnnotationStatus, ...] | None] = {
    "done": (AnnotationStatus.DONE,),
    "all": None,
}
# Formats that become training data: a skipped document is not "no entities here".
TRAINING_FORMATS = frozenset({"spacy", "iob"})
GOLD = "gold"
MAX_PROBLEMS = 200  # listed; further ones are only counted
_PROGRESS_EVERY = 100


class ExportError(AnnotatorError):
    code = "E330"


@dataclass
class ExportReport:
    documents: int = 0
    spans: int = 0
    relations: int = 0
    left_out: int = 0  # skipped documents not written to a training format
    split: dict[str, int] = field(default_factory=dict)  # file part -> documents
    files: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    failed_documents: int = 0
    cancelled: bool = False

    @property
    def ok(self) -> bool:
        return not self.failed_documents and not self.cancelled


# choosing what to export ----------------------------------------------------------------


def resolve_annotator(project: Project, annotator: str | None, gold: bool = False) -> str:
    """The annotator whose work is exported; a clear error when none or an unknown one."""
    names = [a.name for a in project.annotators()]
    listing = ", ".join(names) if names else "none yet"
    if gold and annotator:
        raise ExportError("Pass either --annotator or --gold, not both.", code="E331")
    if not gold and not annotator:
        raise ExportError(
            f"Say whose annotations to export: --annotator NAME or --gold. Annotators: {listing}.",
            code="E331",
        )
    name = GOLD if gold else project.resolve_annotator_name(annotator or "")
    if name not in names:
        raise ExportError(f"No annotator {name!r} in this project. Annotators: {listing}.")
    return name


def statuses_for(status: str) -> tuple[AnnotationStatus, ...] | None:
    if status not in STATUS_CHOICES:
        raise ExportError(
            f"Unknown --status {status!r}; use {' or '.join(STATUS_CHOICES)}.", code="E332"
        )
    return STATUS_CHOICES[status]


def count_for_export(project: Project, annotator: str, status: str = "done") -> int:
    a = project.annotator(annotator)
    if a is None:
        return 0
    return len(project.annotated_document_ids(a, statuses_for(status)))


def annotation_pairs(
    project: Project, annotator: str, status: str = "done", *, batch_size: int = 500
) -> Iterator[tuple[Document, Annotation]]:
    """One annotator's (document, annotation) pairs in document order, streamed."""
    a = project.annotator(annotator)
    if a is None:
        return
    for doc, ann in project.iter_annotations(a, statuses_for(status), batch_size=batch_size):
        if doc.tokens is None:
            # Tokens are stored on first open; an import (which keeps spans exactly and
            # leaves tokenizing to first use) or a script may predate that. The project
            # tokenizer gives the same tokens, split where a span needs it as first use
            # splits them (this annotation's spans and rejections; not stored here).
            doc.tokens = fit_tokens(tokenize(doc.text, project.lang), [*ann.spans, *ann.rejected])
        yield doc, as_labels(ann, a)


def needs_tokens(fmt: str, tokens: bool = True) -> bool:
    """Whether an export in ``fmt`` places spans on tokens: spaCy's Docs are made of
    them, IOB tags them and JSONL writes them (unless ``--no-tokens``). doccano, Label
    Studio, brat and JSONL without tokens give spans by character offsets."""
    return fmt in ("spacy", "iob") or (fmt == "jsonl" and tokens)


def stored_pairs(
    project: Project, annotator: str, status: str = "done", *, batch_size: int = 500
) -> Iterator[tuple[Document, Annotation]]:
    """``annotation_pairs`` for the formats that need no tokens: documents as stored,
    not tokenized when their tokens are not stored yet (an import leaves tokenizing to
    first use, and tokenizing was most of such an export). Tokens made later are
    split at every span's ends, so the spans will fit them whatever they are."""
    a = project.annotator(annotator)
    if a is None:
        return
    for doc, ann in project.iter_annotations(a, statuses_for(status), batch_size=batch_size):
        yield doc, as_labels(ann, a)


# writing -------------------------------------------------------------------------------


def _targets(out: Path, fmt: str, dev: float | None) -> dict[str, Path]:
    _, ext = writer_for(fmt)
    if dev is None:
        # A folder of DocBin shards is one earlier export to replace, not a folder to fill.
        # A format without an extension (brat) writes a folder: the target is out itself.
        if ext and out.is_dir() and not is_docbin_folder(out):
            return {"all": out / f"annotations{ext}"}
        return {"all": out}
    if out.exists() and not out.is_dir():
        raise ExportError(
            f"With --dev, --out must be a folder (for train{ext} and dev{ext}); {out} is a file.",
            code="E333",
        )
    return {"train": out / f"train{ext}", "dev": out / f"dev{ext}"}


def _dev_positions(total: int | None, dev: float | None, seed: int) -> set[int]:
    if dev is None:
        return set()
    if not 0 < dev < 1:
        raise ExportError(f"--dev must be a fraction between 0 and 1, got {dev}.", code="E333")
    if total is None:
        raise ExportError("A train/dev split needs the number of documents.", code="E333")
    if total < 2:
        raise ExportError(
            f"A train/dev split needs at least 2 documents; there are {total}.", code="E333"
        )
    # Exactly round(total * dev) documents, never an empty side; positions in the
    # (document id) order of the export, chosen by a seeded generator so the same
    # seed gives the same split.
    n_dev = min(max(round(total * dev), 1), total - 1)
    return set(random.Random(seed).sample(range(total), n_dev))


LAYER_CHOICES = ("all", "ents", "quotes")


def only_layer(ann: Annotation, layer: str) -> Annotation:
    """``ann`` with the spans of one layer (``all``: unchanged), and the relations whose
    two spans both remain: the two layers can go to separate datasets."""
    if layer == "all":
        return ann
    if layer not in LAYER_CHOICES:
        raise ExportError(
            f"Unknown --layer {layer!r}; use {', '.join(LAYER_CHOICES)}.", code="E339"
        )
    spans = [s for s in ann.spans if s.layer == layer]
    keys = {s.key for s in spans}
    relations = [r for r in ann.relations if r.head in keys and r.child in keys]
    rejected = {k for k in ann.rejected if k.layer == layer}  # written for a rejected task
    return dataclasses.replace(ann, spans=spans, relations=relations, rejected=rejected)


_YOUNG_THRESHOLD = 10_000  # allocations before a young collection while exporting


def export_pairs(
    pairs: Iterable[tuple[Document, Annotation]],
    out: Path,
    *,
    fmt: str,
    total: int | None = None,
    dev: float | None = None,
    seed: int = 0,
    lang: str = "en",
    span_key: str = DEFAULT_SPAN_KEY,
    docstart: bool = True,
    layer: str = "all",
    tokens: bool = True,
    scheme: LabelScheme | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> ExportReport:
    """Write ``pairs`` in ``fmt`` to ``out`` (a file; a folder of train/dev with ``dev``)."""
    factory, _ = writer_for(fmt)
    only_layer(Annotation(None, ""), layer)  # an unknown layer fails before anything is written
    out = Path(out)
    dev_at = _dev_positions(total, dev, seed)
    targets = _targets(out, fmt, dev)
    writers: dict[str, Writer] = {}
    report = ExportReport(split={part: 0 for part in targets})
    part = next(iter(targets))  # the file being written, named when a write fails
    published = False
    thresholds: tuple[int, int, int] | None = None
    try:
        for part, path in targets.items():
            writers[part] = factory(
                path,
                lang=lang,
                span_key=span_key,
                docstart=docstart,
                tokens=tokens,
                scheme=scheme,  # labelling configs list the project's labels
            )
        # What exists now (the program, the writers' pipeline and vocabulary) outlives
        # the export: out of the cyclic collector's sight, its full collections walk
        # only what the export makes (they cost a third of a DocBin export before).
        # Each document makes a few thousand short-lived objects, so the youngest
        # generation may grow larger before it is collected, as in the window.
        gc.freeze()
        thresholds = gc.get_threshold()
        gc.set_threshold(max(thresholds[0], _YOUNG_THRESHOLD), *thresholds[1:])
        position = 0
        for position, (doc, ann) in enumerate(pairs, start=1):
            if cancel is not None and position % 20 == 0 and cancel():
                report.cancelled = True
                break
            if progress is not None and position % _PROGRESS_EVERY == 0:
                progress(position, max(total or 0, position))
            if fmt in TRAINING_FORMATS and ann.status == AnnotationStatus.SKIPPED:
                report.left_out += 1
                continue
            ann = only_layer(ann, layer)
            part = "all" if dev is None else ("dev" if position - 1 in dev_at else "train")
            try:
                writers[part].add(doc, ann)
            except SpanPlacementError as exc:
                report.failed_documents += 1
                if len(report.problems) < MAX_PROBLEMS:
                    report.problems.append(Problem(part, None, str(exc.args[0])))
                continue
            report.documents += 1
            report.split[part] += 1
            # what the file holds: IOB carries the entity layer alone, no links
            carried = getattr(writers[part], "layers", None)
            if carried is None:
                report.spans += len(ann.spans)
                report.relations += len(ann.relations)
            else:
                report.spans += sum(1 for s in ann.spans if s.layer in carried)
        if progress is not None:
            progress(position, max(total or 0, position))
        if report.ok:
            for part, w in writers.items():
                w.close()
                report.files.append(targets[part])
                # files a writer publishes beside its own (Label Studio's config)
                report.files.extend(getattr(w, "companions", ()))
            published = True
    except OSError as exc:
        # A full disk or a vanished folder: say which file, as the writers' own
        # errors do (a buffered write's OSError names none).
        raise ExportError(str(write_failed(targets[part], exc).args[0]), code="E336") from exc
    finally:
        if thresholds is not None:
            gc.set_threshold(*thresholds)
        if not published:
            _discard(writers, report.files)
    return report


def _discard(writers: dict[str, Writer], published: list[Path]) -> None:
    """Remove every temporary file of a failed or cancelled export, and the files it
    already renamed into place (a train file without its dev file is not an export)."""
    for w in writers.values():
        with contextlib.suppress(OSError):
            w.abort()
    for path in published:
        with contextlib.suppress(OSError):
            if path.is_dir():  # brat, DocBin shards: this export's own folder, renamed in
                shutil.rmtree(path)
            else:
                path.unlink()
    published.clear()


def export_project(
    project: Project,
    out: Path,
    *,
    fmt: str,
    annotator: str | None = None,
    gold: bool = False,
    status: str = "done",
    dev: float | None = None,
    seed: int = 0,
    span_key: str = DEFAULT_SPAN_KEY,
    docstart: bool = True,
    layer: str = "all",
    tokens: bool = True,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
    fallback: str = "none",
    config: Path | None = None,
) -> ExportReport:
    """``fallback`` (with ``gold``): for documents without gold, an annotator's finished
    work, ``majority`` of the annotators' finished work, or ``none`` (left out).
    ``config`` (spacy): also write a spaCy training config for the exported files there."""
    writer_for(fmt)  # unknown format: fail before reading anything
    config_text = None
    if config is not None:
        files = _targets(Path(out), fmt, dev)
        config_text = config_for_export(fmt, files, lang=project.lang, span_key=span_key)
    if fallback != "none" and not gold:
        raise ExportError("--fallback goes with --gold.", code="E335")
    pairs: Iterable[tuple[Document, Annotation]]
    if gold and fallback != "none":
        from annotator.app.review import gold_pairs

        pairs = gold_pairs(project, fallback, statuses_for(status))
        total = project.count_documents()  # an upper bound, for the progress bar
    else:
        name = resolve_annotator(project, annotator, gold)
        total = count_for_export(project, name, status)
        if total == 0:
            raise ExportError(
                f"{name!r} has no annotations with status {status}; nothing to export.",
                code="E334",
            )
        pairs = (annotation_pairs if needs_tokens(fmt, tokens) else stored_pairs)(
            project, name, status
        )
    report = export_pairs(
        pairs,
        Path(out),
        fmt=fmt,
        total=total,
        dev=dev,
        seed=seed,
        lang=project.lang,
        span_key=span_key,
        docstart=docstart,
        layer=layer,
        tokens=tokens,
        scheme=project.scheme,
        progress=progress,
        cancel=cancel,
    )
    if config is not None and config_text is not None and report.ok:
        report.files.append(write_training_config(config, config_text))
    return report
