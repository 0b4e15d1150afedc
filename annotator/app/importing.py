"""Import articles (and their annotations) in batches, skipping and reporting bad input.

Bad input never stops an import and never costs the good records around it: each
record is checked by the same rules on every backend (``annotator.core.validation``:
labels, texts, names) before any database sees it, and a batch that the server still
refuses is written again record by record, so only the record it refuses is skipped,
reported with its file and line.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import ParamSpec, TypeVar

from sqlalchemy.exc import IntegrityError

from annotator.app.suggest import CURRENT_SUGGESTIONS_KEY, SUGGESTIONS_PREFIX
from annotator.core import (
    MAX_EXTERNAL_ID_LENGTH,
    Annotation,
    AnnotatorKind,
    Document,
    Token,
    name_problem,
    text_problem,
)
from annotator.formats.align import AlignmentError, align_record, needs_tokens
from annotator.formats.records import DEFAULT_READ, ImportRecord, Problem, ReadOptions
from annotator.formats.registry import READERS, expand_paths
from annotator.formats.textio import display_path, name_is_text
from annotator.storage.engine import StorageError
from annotator.storage.repository import Repository

ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]
DEFAULT_IMPORT_ANNOTATOR = "imported"
REFUSED = "E214"  # StorageError code: the server refused the data (storage.base's error mapping)


@dataclass
class ImportReport:
    imported: int = 0
    duplicates: int = 0
    annotations: int = 0  # added: the document had none by that annotator
    annotations_replaced: int = 0  # a different one by that annotator was replaced
    annotations_present: int = 0  # the same one was already stored (a resumed import)
    snapped_spans: int = 0
    # Tokens split so that spans inside them are kept exactly, counted where the import
    # splits them: stored tokens of texts stored before, and texts tokenized to place
    # their spans (--snap expand, relations by token index). The usual labelled import
    # stores no tokens (every span is kept exactly): those texts are split when first
    # tokenized, at their spans (set_tokens), and are not counted here.
    split_tokens: int = 0
    problems: list[Problem] = field(default_factory=list)  # skipped input
    warnings: list[Problem] = field(default_factory=list)  # read, with a change to know of
    cancelled: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, item: Problem) -> None:
        (self.warnings if item.warning else self.problems).append(item)


def _count_units(files: list[tuple[Path, str]]) -> int:
    total = 0
    for path, fmt in files:
        if fmt in ("txt", "brat") or not path.is_file():
            total += 1
            continue
        try:
            with path.open("rb") as f:
                total += sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))
        except OSError:
            total += 1
    return max(total, 1)


def _records(
    files: list[tuple[Path, str]], options: ReadOptions
) -> Iterator[ImportRecord | Problem]:
    for path, fmt in files:
        shown = display_path(path)
        if not path.exists():
            yield Problem(shown, None, "no such file or folder")
            continue
        reader = READERS.get(fmt)
        if reader is None:
            yield Problem(shown, None, f"unknown format {fmt!r}")
            continue
        if not name_is_text(path):
            # Linux file names are bytes; one that is not UTF-8 cannot be stored or
            # printed as it is. The readers use the name shown here instead.
            yield Problem(
                shown,
                None,
                "the file name is not valid UTF-8; it is stored and shown with its odd "
                "bytes written as \\xNN",
                warning=True,
            )
        yield from reader(path, options)


_P = ParamSpec("_P")
_R = TypeVar("_R")


def _long_lived_heap_frozen(fn: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run ``fn`` with what exists before it (the program, spaCy, SQLAlchemy) out of the
    cyclic collector's sight and no automatic collection: a batch holds every record's
    spans (a million objects for 2,000 articles), and the collections walked them again
    and again (a quarter of the import's CPU time with the default thresholds, a tenth
    still with a larger youngest generation). ``import_paths`` collects explicitly after
    each batch is stored, when the batch is gone, so cyclic garbage (of this thread or
    another, the window's) lives at most one batch."""

    @functools.wraps(fn)
    def run(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        enabled = gc.isenabled()
        gc.freeze()
        gc.disable()
        try:
            return fn(*args, **kwargs)
        finally:
            if enabled:
                gc.enable()

    return run


@_long_lived_heap_frozen
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
    options: ReadOptions = DEFAULT_READ,
) -> ImportReport:
    files = expand_paths(paths, fmt)
    total = _count_units(files) if progress else 0
    report = ImportReport()
    batch: list[ImportRecord] = []

    def flush() -> None:
        _store_batch(repo, batch, annotator, lang, report, options)
        batch.clear()
        gc.collect(1)  # automatic collection is off while importing (see above)

    for done, item in enumerate(_records(files, options), start=1):
        if isinstance(item, Problem):
            report.add(item)
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


@dataclass
class _Entry:
    """One record ready to store: its document and, when it carries labels, its annotation."""

    record: ImportRecord
    document: Document
    annotation: Annotation | None
    replaces: bool = False  # the annotator has a different annotation of this text stored


def _record_problem(rec: ImportRecord, annotator: str | None) -> str | None:
    """Why the database (any backend) could not store this record, or None."""
    problem = text_problem(rec.text) or name_problem(
        rec.external_id, "the external id", MAX_EXTERNAL_ID_LENGTH
    )
    if problem is None and annotator is not None:
        problem = name_problem(annotator, "the annotator name")
    return problem


def _store_batch(
    repo: Repository,
    batch: list[ImportRecord],
    annotator: str | None,
    lang: str,
    report: ImportReport,
    options: ReadOptions = DEFAULT_READ,
) -> None:
    checked: list[ImportRecord] = []
    for rec in batch:
        name = _annotator_of(rec, annotator) if rec.annotated else None
        problem = _record_problem(rec, name)
        if problem is not None:
            report.problems.append(Problem(rec.source, rec.line, problem))
        else:
            checked.append(rec)
    tokens_for = _tokens_needed(checked, lang, options)
    entries: list[_Entry] = []
    for rec in checked:
        tokens = tokens_for.get(id(rec))
        ann: Annotation | None = None
        if rec.annotated:
            name = _annotator_of(rec, annotator)
            try:
                aligned = align_record(rec, tokens, name, snap=options.snap)
            except AlignmentError as exc:
                report.problems.append(Problem(rec.source, rec.line, str(exc)))
                continue
            ann, tokens = aligned.annotation, aligned.tokens
            report.snapped_spans += aligned.snapped
            report.split_tokens += aligned.split
        doc = Document(text=rec.text, external_id=rec.external_id, meta=rec.meta, tokens=tokens)
        entries.append(_Entry(rec, doc, ann))
    labelled = [e.document.sha256 for e in entries if e.annotation is not None]
    stored_ids = repo.document_ids_by_sha(labelled) if labelled else {}
    _fit_stored(repo, entries, stored_ids, report)
    entries = _drop_stored_annotations(repo, entries, report, stored_ids)
    _write(repo, entries, report)


def _tokens_needed(
    records: list[ImportRecord], lang: str, options: ReadOptions
) -> dict[int, Sequence[Token]]:
    """id(record) -> its text's tokens, for the labelled records whose placing needs them
    (``needs_tokens``: ``--snap expand``, or relations by token index). The others keep
    every span exactly and are stored without tokens: whoever tokenizes the document
    first splits its tokens at the spans stored for it (``set_tokens``), so spaCy is
    not even imported for them."""
    wanted = [r for r in records if r.annotated and needs_tokens(r, snap=options.snap)]
    if not wanted:
        return {}
    from annotator.nlp.tokenize import tokenize_many  # spaCy: only when needed

    made = tokenize_many((r.text for r in wanted), lang)
    return {id(rec): toks for rec, toks in zip(wanted, made, strict=True)}


def _fit_stored(
    repo: Repository, entries: list[_Entry], stored_ids: dict[str, int], report: ImportReport
) -> None:
    """Split the stored tokens of texts stored already at the spans this batch adds to
    them, before the spans are written: a text is stored once, and each of its
    annotations must fit its tokens. A split alone changes no label (spans are
    character offsets, and splitting only adds boundaries), so an import interrupted in
    between leaves every label exportable. Texts stored without tokens are left so:
    they are split when first tokenized."""
    cuts: dict[int, list[int]] = {}
    for e in entries:
        doc_id = stored_ids.get(e.document.sha256)
        if doc_id is not None and e.annotation is not None:
            cuts.setdefault(doc_id, []).extend(_bounds(e.annotation))
    if cuts:
        report.split_tokens += repo.fit_stored_tokens(cuts)


def _bounds(annotation: Annotation) -> list[int]:
    out: list[int] = []
    for key in (*(sp.key for sp in annotation.spans), *annotation.rejected):
        out.append(key.start)
        out.append(key.end)
    return out


def _same(a: Annotation, b: Annotation) -> bool:
    return (
        set(a.spans) == set(b.spans)
        and set(a.relations) == set(b.relations)
        and a.status == b.status
        and a.flagged == b.flagged
    )


def _fit_raced(repo: Repository, entries: list[_Entry], made: set[int]) -> int:
    """Split the stored tokens of every text this batch labelled and did not make at
    this batch's spans, once they are written: another process may have stored the
    text (with its tokens) between this batch's lookup and its insert, or tokenized it
    (a window opening it) after ``_fit_stored`` found no tokens to split. A text given
    more than once in the batch is stored with the first record's tokens, if any.
    Until this runs, right after the batch commits, such a label may be off the stored
    tokens; a tokenizing that commits after the batch splits at its spans itself
    (``set_tokens``). Returns the tokens split."""
    count: dict[str, int] = {}
    for e in entries:
        if e.annotation is not None:
            count[e.document.sha256] = count.get(e.document.sha256, 0) + 1
    cuts: dict[int, list[int]] = {}
    for e in entries:
        doc_id = e.document.id
        if e.annotation is None or doc_id is None:
            continue
        if doc_id not in made or count[e.document.sha256] > 1:
            cuts.setdefault(doc_id, []).extend(_bounds(e.annotation))
    return repo.fit_stored_tokens(cuts) if cuts else 0


def _drop_stored_annotations(
    repo: Repository, entries: list[_Entry], report: ImportReport, stored_ids: dict[str, int]
) -> list[_Entry]:
    """Leave out annotations already stored as they are (an import run again after it
    was interrupted): they are not rewritten (a window that has one open keeps its
    version) and not counted as added. A different stored one is replaced and counted
    as replaced."""
    labelled = [e for e in entries if e.annotation is not None]
    if not labelled or not stored_ids:
        return entries
    by_name: dict[str, list[_Entry]] = {}
    for e in labelled:
        if e.document.sha256 in stored_ids:
            assert e.annotation is not None
            by_name.setdefault(e.annotation.annotator, []).append(e)
    for name, group in by_name.items():
        who = repo.annotator(name)
        if who is None:
            continue
        stored = repo.load_annotations(who, [stored_ids[e.document.sha256] for e in group])
        for e in group:
            assert e.annotation is not None
            old = stored.get(stored_ids[e.document.sha256])
            if old is None:
                continue
            if _same(old, e.annotation):
                e.annotation = None
                report.annotations_present += 1
            else:
                e.replaces = True
    return entries


def _write(repo: Repository, entries: list[_Entry], report: ImportReport) -> None:
    """One transaction for the batch; when the server refuses it, one per record, so the
    record it refuses is found, reported with its file and line, and the rest stored."""
    if not entries:
        return
    try:
        _write_now(repo, entries, report)
    except (StorageError, IntegrityError) as exc:
        if isinstance(exc, StorageError) and exc.code != REFUSED:
            raise  # the database is unavailable or full: nothing to find record by record
        if len(entries) == 1:
            rec = entries[0].record
            reason = exc.args[0] if isinstance(exc, StorageError) else exc.orig
            report.problems.append(
                Problem(rec.source, rec.line, f"the database refused this record: {reason}")
            )
            return
        for entry in entries:
            _write(repo, [entry], report)


def _annotator_of(rec: ImportRecord, annotator: str | None) -> str:
    """Whose annotation a record becomes: ``--annotator``, else the record's own. A
    pipeline's suggestions (Label Studio predictions) stay a suggestion set: given to
    a person they would replace that person's labels."""
    if rec.annotator is not None and rec.annotator.startswith(SUGGESTIONS_PREFIX):
        return rec.annotator
    return annotator or rec.annotator or DEFAULT_IMPORT_ANNOTATOR


def _write_now(repo: Repository, entries: list[_Entry], report: ImportReport) -> None:
    docs = [e.document for e in entries]
    for name in {e.annotation.annotator for e in entries if e.annotation is not None}:
        if name.startswith(SUGGESTIONS_PREFIX) and repo.annotator(name) is None:
            # a model's set: read as its labels, not as a person's (app.labels)
            repo.ensure_annotator(name, AnnotatorKind.MODEL)
            if repo.get_setting(CURRENT_SUGGESTIONS_KEY) is None:
                # as a project's first pipeline run does: the window shows this set
                repo.set_setting(CURRENT_SUGGESTIONS_KEY, name)
    annotations = [(i, e.annotation) for i, e in enumerate(entries) if e.annotation is not None]
    replacing = sum(1 for e in entries if e.annotation is not None and e.replaces)
    new_ids, dup_ids = repo.import_batch(docs, annotations)
    report.split_tokens += _fit_raced(repo, entries, set(new_ids))
    report.imported += len(new_ids)
    report.duplicates += len(dup_ids)
    report.annotations += len(annotations) - replacing
    report.annotations_replaced += replacing
