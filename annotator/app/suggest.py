"""Pre-annotation: running a pipeline over the corpus and storing its suggestions.

Suggestions are the annotation set ``suggestions:<pipeline key>`` (an annotator of
kind ``model``), so a second pipeline's output is kept apart and ``evaluate`` and
``export`` work on it unchanged. The project setting ``current_suggestions`` names
the set the window shows (``suggestions`` resolves to it).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, TypedDict

from annotator.core import (
    Annotation,
    AnnotationStatus,
    Annotator,
    AnnotatorError,
    AnnotatorKind,
    AnnotatorRole,
    Document,
    LabelScheme,
    Layer,
    Origin,
    Relation,
    Span,
    SpanKey,
    Token,
)

if TYPE_CHECKING:
    from annotator.nlp.suggester import Suggester, Suggestions

SUGGESTIONS_PREFIX = "suggestions:"
CURRENT_SUGGESTIONS_KEY = "current_suggestions"

# Longest article the window makes suggestions for when it opens it: the pipeline
# would keep the window's NLP thread busy for long (200,000 characters are about
# 35,000 words: some seconds with en_core_web_sm). ``annotator suggest`` has no limit.
WINDOW_SUGGEST_CHARS = 200_000
KEEP_THAT_SETTING = "quote_keep_that"

ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]


class SuggestHost(Protocol):
    """What suggesting needs of the open project (``Project`` is one): this module never
    imports the facade, which calls it."""

    lang: str
    scheme: LabelScheme

    def setting(self, key: str, default: str | None = None) -> str | None: ...
    def set_setting(self, key: str, value: str) -> None: ...
    def ensure_annotator(
        self, name: str, kind: AnnotatorKind = ..., role: AnnotatorRole = ...
    ) -> Annotator: ...
    def load_annotation(self, doc_id: int, annotator: str) -> Annotation | None: ...
    def annotators(self) -> list[Annotator]: ...
    def has_annotation(self, doc_id: int, annotator: Annotator) -> bool: ...
    def get_document(self, doc_id: int, *, tokenize_missing: bool = True) -> Document: ...
    def documents(
        self, doc_ids: Sequence[int], *, tokenize_missing: bool = True
    ) -> list[Document]: ...
    def set_tokens(
        self, items: Sequence[tuple[int, Sequence[Token]]]
    ) -> dict[int, Sequence[Token]]: ...
    def document_ids(self, *, after: int = 0, limit: int = 1000) -> list[int]: ...
    def annotated_document_ids(
        self, annotator: Annotator, statuses: Sequence[AnnotationStatus] | None = None
    ) -> list[int]: ...
    def put_annotations(self, items: Sequence[Annotation], annotator: Annotator) -> None: ...


@dataclass
class SuggestReport:
    pipeline: str
    annotation_set: str
    documents: int = 0
    skipped_existing: int = 0
    words: int = 0  # tokens that are neither punctuation nor whitespace
    spans: int = 0
    dropped_labels: dict[str, int] | None = None
    cancelled: bool = False


def suggestion_set_name(suggester: Suggester) -> str:
    return SUGGESTIONS_PREFIX + suggester.info.key


def suggestion_source(project: SuggestHost) -> str | None:
    """The annotation set of the latest pipeline run, e.g. ``suggestions:rules-1``."""
    return project.setting(CURRENT_SUGGESTIONS_KEY)


def keeps_that(project: SuggestHost) -> bool:
    """The project's scheme option ``quote_keep_that``: indirect and mixed quotes
    start at their complementiser "that" (off: this project's own scheme drops it)."""
    return project.setting(KEEP_THAT_SETTING) == "1"


def set_keeps_that(project: SuggestHost, keep: bool) -> None:
    project.set_setting(KEEP_THAT_SETTING, "1" if keep else "0")


class SchemeOptions(TypedDict):
    scheme_labels: list[str]
    keep_that: bool


def scheme_options(project: SuggestHost) -> SchemeOptions:
    """What the project's scheme asks of every suggestion run (the window's, the
    CLI's, a new model's): ``suggester.suggest(..., **scheme_options(project))``."""
    return {"scheme_labels": project.scheme.names(), "keep_that": keeps_that(project)}


def current_suggestions(project: SuggestHost, doc_id: int) -> Annotation | None:
    source = suggestion_source(project)
    return project.load_annotation(doc_id, source) if source is not None else None


def ensure_suggestions(
    project: SuggestHost, doc_id: int, suggester: Suggester
) -> Suggestions | None:
    """Compute and store this document's suggestions if the current set has none.

    The first pipeline used becomes the current set; after that (a batch run, or an
    earlier window) another pipeline changes nothing: the window shows the current
    set, and ``annotator suggest --model`` is how a project changes it.
    Returns what was stored, or None when nothing was. An article longer than
    ``WINDOW_SUGGEST_CHARS`` raises E303 (the window says so and opens it for
    annotating by hand); suggestions a batch run stored for it are used as usual.
    The caller holds the project's suggestion lock."""
    name = suggestion_set_name(suggester)
    current = suggestion_source(project)
    if current is None:
        project.set_setting(CURRENT_SUGGESTIONS_KEY, name)
    elif current != name:
        return None
    a = project.ensure_annotator(name, AnnotatorKind.MODEL)
    if project.has_annotation(doc_id, a):
        return None
    doc = project.get_document(doc_id)
    if len(doc.text) > WINDOW_SUGGEST_CHARS:
        # the pipeline would keep the window's NLP thread busy for minutes
        # (about 5,000 words a second with en_core_web_sm on one core)
        raise AnnotatorError(
            f"This article has {len(doc.text):,} characters; suggestions are made "
            f"while you annotate only for articles of up to "
            f"{WINDOW_SUGGEST_CHARS:,}. Run 'annotator suggest' to pre-annotate it "
            "(it works through long articles piece by piece), or annotate it by hand.",
            code="E303",
        )
    result = suggester.suggest(doc.text, doc.tokens or [], **scheme_options(project))
    store_suggestions(project, a, [(doc, result)])
    return result


def store_suggestions(
    project: SuggestHost, annotator: Annotator, results: Sequence[tuple[Document, Suggestions]]
) -> None:
    # tokens first: suggestions are never stored for a document whose tokens are not
    tokens = [(doc.id or 0, result.tokens) for doc, result in results if result.tokens]
    if tokens:
        project.set_tokens(tokens)
    annotations = [
        Annotation(
            document_id=doc.id,
            annotator=annotator.name,
            spans=list(result.spans),
            relations=list(result.relations),
            status=AnnotationStatus.DONE,
        )
        for doc, result in results
    ]
    project.put_annotations(annotations, annotator)


def merge_suggestions(
    annotation: Annotation, suggested: Annotation | None, learned: Sequence[Span] = ()
) -> Annotation:
    """The annotation plus every suggestion it lacks: not already there, not rejected by
    this annotator, not overlapping an entity they have. Learned entities win over the
    pipeline's where the two disagree."""
    merged = annotation.copy()
    have = {s.key for s in merged.spans}
    ents = [s for s in merged.spans if s.layer == Layer.ENTS]
    candidates: list[Span] = list(learned)
    if suggested is not None:
        candidates += suggested.spans
    added: set[SpanKey] = set()
    rejected = merged.rejected
    for span in candidates:
        key = span.key  # built once: a reopened article checks thousands of spans
        if key in have or key in rejected:
            continue
        if span.layer == Layer.ENTS and any(span.overlaps(e) for e in ents):
            continue
        span = span.with_(origin=Origin.SUGGESTED)
        merged.spans.append(span)
        have.add(key)
        added.add(key)
        if span.layer == Layer.ENTS:
            ents.append(span)
    if suggested is not None:
        # only quotes suggested just now get the suggested links: a link the annotator
        # removed from an existing quote stays removed
        for rel in suggested.relations:
            if rel.head in added and rel.child in have and rel not in merged.relations:
                merged.relations.append(rel)
    return merged


def suggested_links(project: SuggestHost, doc_id: int) -> set[Relation]:
    """The links every suggestion set made in the document: any other link in an
    annotation was drawn by its annotator."""
    links: set[Relation] = set()
    for a in project.annotators():
        if a.kind == AnnotatorKind.MODEL:
            found = project.load_annotation(doc_id, a.name)
            if found is not None:
                links.update(found.relations)
    return links


def drop_stale_suggestions(
    project: SuggestHost, annotation: Annotation, suggested: Annotation, learned: Sequence[Span]
) -> Annotation:
    """``annotation`` without the undecided suggestions the current set (``suggested``)
    no longer makes (merged from an older set, before a new model took over) and their
    links, so that the new set's take their place instead of piling up beside them
    (INCEpTION replaces its recommendations the same way). Every decision stays:
    accepted, edited and own spans, rejections, status, the ``learned`` entities, and
    the links the annotator drew (in no suggestion set: ``suggested_links``), which
    hold their spans even while those are undecided. ``annotation`` itself when
    nothing is stale."""
    current = {s.key for s in suggested.spans}
    current.update(s.key for s in learned)
    stale = {s.key for s in annotation.spans if s.origin == Origin.SUGGESTED} - current
    if not stale:
        return annotation
    links = suggested_links(project, annotation.document_id or 0)
    held: set[SpanKey] = set()
    for rel in annotation.relations:
        if rel not in links:
            held.update((rel.head, rel.child))
    drop = stale - held
    if not drop:
        return annotation
    out = annotation.copy()
    out.spans = [s for s in out.spans if s.key not in drop]
    out.relations = [r for r in out.relations if r.head not in drop and r.child not in drop]
    return out


def _documents(
    project: SuggestHost, ids: Sequence[int], page: int
) -> Iterator[tuple[Document, Sequence[Token] | None]]:
    """Documents with their stored tokens, ``None`` where they have none yet: the
    suggester tokenizes those (in the pipeline, once) and they are stored with the
    suggestions."""
    for i in range(0, len(ids), page):
        for doc in project.documents(ids[i : i + page], tokenize_missing=False):
            yield doc, doc.tokens


class _BatchWriter:
    """Stores batches on a thread of its own while the pipeline works on the next ones.

    SQLite's statements and its commit (an fsync at synchronous=FULL) release the GIL,
    so on two cores the writes cost the pipeline almost nothing. At most ``depth``
    batches wait; a failed write stops the writer, and its error is raised at the next
    ``put`` or at ``close`` (the batches committed before it are kept).
    """

    def __init__(self, write: Callable[[list[tuple[Document, Suggestions]]], None], depth: int = 2):
        self._write = write
        self._queue: queue.Queue[list[tuple[Document, Suggestions]] | None] = queue.Queue(depth)
        self._error: BaseException | None = None  # once set, nothing more is written
        self._reported = False
        self._thread = threading.Thread(target=self._run, name="suggest-writer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (batch := self._queue.get()) is not None:
            if self._error is None:
                try:
                    self._write(batch)
                except BaseException as exc:  # handed to the caller's thread
                    self._error = exc

    def _raise(self) -> None:
        if self._error is not None and not self._reported:
            self._reported = True
            raise self._error

    def put(self, batch: list[tuple[Document, Suggestions]]) -> None:
        self._raise()
        self._queue.put(batch)

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join()
        self._raise()


def run_suggest(
    project: SuggestHost,
    suggester: Suggester,
    *,
    batch_size: int = 64,
    n_process: int = 1,
    only_missing: bool = False,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> SuggestReport:
    """Suggest for every document, committing every ``batch_size`` documents so an
    interrupted run keeps what it did; ``only_missing`` resumes such a run."""
    name = suggestion_set_name(suggester)
    annotator = project.ensure_annotator(name, AnnotatorKind.MODEL)
    project.set_setting(CURRENT_SUGGESTIONS_KEY, name)
    report = SuggestReport(pipeline=suggester.info.key, annotation_set=name)
    ids = project.document_ids(limit=10**9)
    if only_missing:
        done = set(project.annotated_document_ids(annotator))
        report.skipped_existing = sum(1 for i in ids if i in done)
        ids = [i for i in ids if i not in done]
    total = len(ids)
    dropped: dict[str, int] = {}
    pending: list[tuple[Document, Suggestions]] = []
    docs_by_id: dict[int, Document] = {}

    def items() -> Iterator[tuple[int, str, Sequence[Token] | None]]:
        for doc, tokens in _documents(project, ids, page=max(batch_size * 4, 256)):
            docs_by_id[doc.id or 0] = doc
            yield doc.id or 0, doc.text, tokens

    writer = _BatchWriter(lambda batch: store_suggestions(project, annotator, batch))

    def flush() -> None:
        writer.put(list(pending))
        pending.clear()

    results = suggester.suggest_many(
        items(),
        batch_size=batch_size,
        n_process=n_process,
        lang=project.lang,
        **scheme_options(project),
    )
    try:
        for doc_id, result in results:
            doc = docs_by_id.pop(doc_id)
            pending.append((doc, result))
            report.documents += 1
            report.words += result.words
            report.spans += len(result.spans)
            for label, n in result.dropped_labels.items():
                dropped[label] = dropped.get(label, 0) + n
            if len(pending) >= batch_size:
                flush()
                if progress:
                    progress(report.documents, total)
                if cancel and cancel():
                    report.cancelled = True
                    break
    finally:
        # whatever finished before an interrupt (Ctrl+C, cancel) is kept
        try:
            if pending:
                flush()
        finally:
            writer.close()  # waits for every batch handed over; raises a write's error
            close = getattr(results, "close", None)
            if close is not None:
                close()
    if progress and not report.cancelled:
        progress(total, total)
    report.dropped_labels = dropped
    return report
