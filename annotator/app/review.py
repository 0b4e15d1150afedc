"""QA review: agreement between annotators, majority votes, and adjudication into gold."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from annotator.agreement.report import AgreementReport, agreement
from annotator.app.labels import all_as_labels, as_labels
from annotator.core import (
    Annotation,
    AnnotationStatus,
    AnnotatorError,
    AnnotatorKind,
    Document,
    Layer,
    Origin,
    Relation,
    Span,
    SpanKey,
)

if TYPE_CHECKING:
    from annotator.app.project import Project

GOLD = "gold"
FINISHED = (AnnotationStatus.DONE,)


def human_annotators(project: Project) -> list[str]:
    """People who finished at least one document: someone who only opened the project
    (or a reviewer) would otherwise leave no document that everyone finished."""
    return [
        a.name
        for a in project.annotators()
        if a.kind == AnnotatorKind.HUMAN
        and a.id is not None
        and project.annotated_document_ids(a, [AnnotationStatus.DONE])
    ]


def finished_annotations(
    project: Project, names: Sequence[str]
) -> dict[str, dict[int, Annotation]]:
    out: dict[str, dict[int, Annotation]] = {}
    for name in names:
        a = project.annotator(project.resolve_annotator_name(name))
        if a is None:
            known = ", ".join(x.name for x in project.annotators()) or "none"
            raise AnnotatorError(f"No annotator {name!r}. Known: {known}.", code="E510")
        out[name] = all_as_labels(project.load_annotations(a, statuses=FINISHED), a)
    return out


def agreement_report(
    project: Project, names: Sequence[str] | None = None, layer: str | None = None
) -> AgreementReport:
    """Agreement over the documents every one of ``names`` has finished."""
    chosen = list(names) if names else human_annotators(project)
    if len(chosen) < 2:
        raise AnnotatorError(
            f"Agreement needs two or more annotators; found {chosen or 'none'}. "
            "Name them with --annotators a,b.",
            code="E511",
        )
    annotations = finished_annotations(project, chosen)
    common = set.intersection(*(set(v) for v in annotations.values()))
    ordered = sorted(common)
    docs = {d.id: d for d in _with_tokens(project, ordered)}
    tokens = {i: d.tokens or [] for i, d in docs.items()}
    texts = {i: d.text for i, d in docs.items()}
    subset = {name: {i: anns[i] for i in ordered} for name, anns in annotations.items()}
    return agreement(subset, tokens, texts, layer=layer)


def _with_tokens(project: Project, ids: Sequence[int]) -> list[Document]:
    return project.documents(ids)


# majority vote --------------------------------------------------------------------------


def majority_annotation(annotations: Sequence[Annotation], doc_id: int) -> Annotation:
    """Spans (and links, and quote kinds) that more than half of the annotators made.

    Entities stay non-overlapping: where two majority entities overlap, the one with
    more votes (then the longer) wins."""
    need = len(annotations) // 2 + 1
    votes: Counter[SpanKey] = Counter()
    kinds: dict[SpanKey, Counter[str]] = {}
    example: dict[SpanKey, Span] = {}
    rel_votes: Counter[Relation] = Counter()
    for ann in annotations:
        for span in {s.key: s for s in ann.spans}.values():
            votes[span.key] += 1
            example.setdefault(span.key, span)
            if span.kind is not None:
                kinds.setdefault(span.key, Counter())[str(span.kind)] += 1
        rel_votes.update(set(ann.relations))
    winners = [k for k, n in votes.items() if n >= need]
    winners.sort(key=lambda k: (-votes[k], -(k.end - k.start), k.start))
    spans: list[Span] = []
    ents: list[Span] = []
    for key in winners:
        span = example[key].with_(origin=Origin.ACCEPTED, confidence=None)
        if key in kinds:
            span = span.with_(kind=kinds[key].most_common(1)[0][0])
        if span.layer == Layer.ENTS:
            if any(span.overlaps(e) for e in ents):
                continue
            ents.append(span)
        spans.append(span)
    keys = {s.key for s in spans}
    relations: list[Relation] = []
    taken: set[tuple[SpanKey, str]] = set()
    for rel, n in rel_votes.most_common():
        slot = (rel.head, str(rel.label))
        if n >= need and rel.head in keys and rel.child in keys and slot not in taken:
            relations.append(rel)
            taken.add(slot)
    spans.sort(key=lambda s: (s.start, s.end, s.label))
    return Annotation(
        document_id=doc_id,
        annotator="majority",
        spans=spans,
        relations=relations,
        status=AnnotationStatus.DONE,
    )


# adjudication ---------------------------------------------------------------------------


def open_gold(project: Project, doc_id: int) -> Annotation:
    """The gold annotation of a document (empty until the reviewer adopts something)."""
    project.ensure_annotator(GOLD)
    existing = project.load_annotation(doc_id, GOLD)
    if existing is not None:
        return existing
    return project.put_annotation(Annotation(document_id=doc_id, annotator=GOLD))


def adopt_version(project: Project, doc_id: int, source: str) -> Annotation:
    """Make ``source``'s whole annotation of the document the gold one (one transaction)."""
    who = project.annotator(project.resolve_annotator_name(source))
    version = project.load_annotation(doc_id, who.name) if who is not None else None
    if who is None or version is None:
        raise AnnotatorError(f"{source} has not annotated this document.", code="E512")
    version = as_labels(version, who)
    gold = open_gold(project, doc_id)
    adopted = gold.copy()
    adopted.spans = [s.with_(origin=Origin.ACCEPTED) for s in version.spans]
    adopted.relations = list(version.relations)
    adopted.rejected = set()
    adopted.status = AnnotationStatus.IN_PROGRESS
    return project.save_version(gold, adopted)


def gold_pairs(
    project: Project, fallback: str = "none", status: Sequence[AnnotationStatus] | None = None
) -> Iterator[tuple[Document, Annotation]]:
    """Each document's gold annotation; without one, ``fallback``: an annotator's
    finished annotation, ``majority`` of the finished human annotations, or ``none``
    (the document is left out)."""
    gold = project.annotator(GOLD)
    fallback_set = None
    if fallback not in ("none", "majority"):
        fallback_set = project.annotator(project.resolve_annotator_name(fallback))
        if fallback_set is None:
            raise AnnotatorError(f"No annotator {fallback!r} to fall back to.", code="E513")
    humans = [a for a in project.annotators() if a.kind == AnnotatorKind.HUMAN]
    after = 0
    while True:
        ids = project.document_ids(after=after, limit=500)
        if not ids:
            return
        after = ids[-1]
        golds = all_as_labels(project.load_annotations(gold, ids, status), gold) if gold else {}
        missing = [i for i in ids if i not in golds]
        chosen: dict[int, Annotation] = dict(golds)
        if missing and fallback_set is not None:
            chosen.update(
                all_as_labels(
                    project.load_annotations(fallback_set, missing, FINISHED), fallback_set
                )
            )
        elif missing and fallback == "majority" and humans:
            per = [all_as_labels(project.load_annotations(a, missing, FINISHED), a) for a in humans]
            for doc_id in missing:
                versions = [p[doc_id] for p in per if doc_id in p]
                if versions:
                    chosen[doc_id] = majority_annotation(versions, doc_id)
        wanted = [i for i in ids if i in chosen]
        for doc in _with_tokens(project, wanted):
            yield doc, chosen[doc.id or 0]
