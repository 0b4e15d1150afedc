"""``db copy``: SQLite <-> PostgreSQL round trips lose nothing; merges keep the newer work."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from annotator.core import (
    Annotation,
    AnnotationStatus,
    Document,
    Layer,
    Origin,
    QuoteKind,
    Relation,
    RelationLabel,
    Span,
    SpanKey,
)
from annotator.core import operations as ops
from annotator.nlp.tokenize import tokenize
from annotator.storage import Database
from annotator.storage.repository import ConflictError, Repository
from annotator.storage.transfer import copy_database

TEXTS = [f"“We will win in round {i},” Ryabkov said in Moscow on day {i}." for i in range(23)]


def _annotation(doc_id: int, who: str, i: int) -> Annotation:
    quote = Span(
        0,
        TEXTS[i].index("”") + 1,
        "QUOTE",
        Layer.QUOTES,
        Origin.SUGGESTED,
        QuoteKind.DIRECT,
        0.25 + i / 100,
    )
    start = TEXTS[i].index("Ryabkov")
    speaker = Span(start, start + 7, "SPEAKER", Layer.QUOTES, Origin.ACCEPTED)
    cue = Span(start + 8, start + 12, "CUE", Layer.QUOTES, Origin.EDITED)
    place = TEXTS[i].index("Moscow")
    return Annotation(
        document_id=doc_id,
        annotator=who,
        spans=[
            quote,
            speaker,
            cue,
            Span(place, place + 6, "GPE", origin=Origin.MANUAL),
            Span(start, start + 7, "PERSON", origin=Origin.ACCEPTED),
        ],
        relations=[
            Relation(quote.key, speaker.key, RelationLabel.SPEAKER),
            Relation(quote.key, cue.key, RelationLabel.CUE),
        ],
        status=AnnotationStatus.DONE if i % 3 == 0 else AnnotationStatus.IN_PROGRESS,
        flagged=i % 5 == 0,
        rejected={SpanKey(place, place + 6, "LOC", "ents")},
    )


def _fill(db: Database, n: int = len(TEXTS), who: tuple[str, ...] = ("alice", "bob")) -> None:
    repo = Repository(db)
    docs = [
        Document(t, f"doc{i}.txt", {"i": i, "ü": "ß"}, tokens=tokenize(t))
        for i, t in enumerate(TEXTS[:n])
    ]
    ids, _ = repo.insert_documents(docs)
    for name in who:
        a = repo.ensure_annotator(name)
        for i, doc_id in enumerate(ids):
            if (i + len(name)) % 4:  # not every document annotated by everyone
                repo.put_annotation(_annotation(doc_id, name, i), a)
    repo.assign([(ids[0], repo.ensure_annotator(who[0]).id or 0)])
    repo.set_setting("label_scheme", '{"x": 1}')


def _everything(db: Database) -> dict:
    """Every stored fact, keyed by content rather than row ids."""
    repo = Repository(db)
    docs = {}
    for doc in repo.get_documents(_all_ids(repo)):
        docs[doc.sha256] = (doc.text, doc.external_id, doc.meta, doc.tokens)
    anns = {}
    for a in repo.annotators():
        for doc, ann in repo.iter_annotations(a):
            anns[(doc.sha256, a.name)] = (
                sorted(ann.spans, key=repr),
                sorted(ann.relations, key=repr),
                ann.rejected,
                ann.status,
                ann.flagged,
                ann.updated_at,
            )
    return {
        "docs": docs,
        "anns": anns,
        "annotators": {(a.name, a.kind, a.role) for a in repo.annotators()},
        "settings": repo.get_setting("label_scheme"),
        "assigned": repo.has_assignments(repo.annotator("alice").id),  # type: ignore[union-attr]
    }


def _all_ids(repo: Repository) -> list[int]:
    return repo.document_ids(limit=10**6)


def test_storage_copy_round_trip_loses_nothing(db_url: str, tmp_path: Path) -> None:
    source = Database(tmp_path / "annotator.db")
    _fill(source)
    before = _everything(source)
    assert len(before["anns"]) > 20
    middle = Database(db_url)
    seen: list[tuple[int, int]] = []
    report = copy_database(source, middle, batch_size=5, progress=lambda d, t: seen.append((d, t)))
    assert report.documents == len(TEXTS) and report.conflicts == []
    assert report.spans == sum(len(v[0]) for v in before["anns"].values())
    assert seen[-1] == (len(TEXTS), len(TEXTS)) and len(seen) > 3
    back = Database(tmp_path / "back.db")
    copy_database(middle, back)
    for db in (middle, back):
        after = _everything(db)
        assert after == before
    # time-stamps come back aware and in UTC from every backend
    stamp = next(iter(_everything(middle)["anns"].values()))[5]
    assert stamp.tzinfo is not None and stamp.utcoffset() == timedelta(0)
    for db in (source, middle, back):
        db.dispose()


def test_storage_copy_into_a_project_merges_by_text_and_keeps_newer(
    db_url: str, tmp_path: Path
) -> None:
    shared = Database(db_url)
    _fill(shared, n=10, who=("alice",))
    laptop = Database(tmp_path / "laptop.db")
    _fill(laptop, n=15, who=("alice", "carol"))  # 10 same texts, 5 new
    srepo, lrepo = Repository(shared), Repository(laptop)
    s_alice, l_alice = srepo.annotator("alice"), lrepo.annotator("alice")
    assert s_alice and l_alice
    # doc1: edited later on the laptop; doc2: edited later in the shared project
    shared_docs = {d.external_id: d.id for d in srepo.get_documents(_all_ids(srepo))}
    laptop_docs = {d.external_id: d.id for d in lrepo.get_documents(_all_ids(lrepo))}
    open_in_window = srepo.load_annotation(shared_docs["doc1.txt"], s_alice)
    assert open_in_window is not None
    _edit(srepo, shared_docs["doc2.txt"], s_alice, "shared", datetime.now(UTC))
    _edit(lrepo, laptop_docs["doc2.txt"], l_alice, "laptop", datetime(2000, 1, 1, tzinfo=UTC))
    _edit(lrepo, laptop_docs["doc1.txt"], l_alice, "laptop", datetime.now(UTC) + timedelta(1))

    report = copy_database(laptop, shared)

    assert (report.documents, report.documents_present) == (5, 10)
    assert report.annotations_replaced == 1 and report.annotations_kept == 1
    kept = {(c.document, c.kept) for c in report.conflicts}
    assert kept == {("doc1.txt", "source"), ("doc2.txt", "target")}
    assert srepo.count_documents() == 15
    doc1 = srepo.load_annotation(shared_docs["doc1.txt"], s_alice)
    doc2 = srepo.load_annotation(shared_docs["doc2.txt"], s_alice)
    assert doc1 and doc2
    assert any(s.label == "NOTE_laptop" for s in doc1.spans)
    assert any(s.label == "NOTE_shared" for s in doc2.spans)
    assert not any(s.label == "NOTE_laptop" for s in doc2.spans)
    # The window that had doc1 open is told, not allowed to overwrite the merged version.
    after, _ = ops.SetStatus(AnnotationStatus.DONE).apply(open_in_window, TEXTS[1])
    with pytest.raises(ConflictError) as caught:
        srepo.save_diff(open_in_window, ops.diff(open_in_window, after), after)
    assert caught.value.current is not None
    assert any(s.label == "NOTE_laptop" for s in caught.value.current.spans)
    # carol came along with her work; a second merge changes nothing
    assert srepo.annotator("carol") is not None
    again = copy_database(laptop, shared)
    assert again.documents == 0 and again.annotations == 0
    laptop_total = (
        report.annotations_same
        + report.annotations
        + report.annotations_replaced
        + report.annotations_kept
    )
    assert (again.annotations_same, again.annotations_kept) == (laptop_total - 1, 1)
    assert [(c.document, c.kept) for c in again.conflicts] == [("doc2.txt", "target")]
    shared.dispose()
    laptop.dispose()


def _edit(repo: Repository, doc_id: int, who, tag: str, when: datetime) -> None:  # type: ignore[no-untyped-def]
    ann = repo.load_annotation(doc_id, who)
    if ann is None:
        ann = Annotation(document_id=doc_id, annotator=who.name)
    ann.spans = [*ann.spans, Span(1, 3, f"NOTE_{tag}", origin=Origin.MANUAL)]
    repo.put_annotation(ann, who)
    # put_annotation stamps "now"; set the time the scenario needs directly
    from sqlalchemy import update

    from annotator.storage.models import AnnotationRow

    with repo.db.write_session() as s, s.begin():
        s.execute(
            update(AnnotationRow)
            .where(AnnotationRow.document_id == doc_id, AnnotationRow.annotator_id == who.id)
            .values(updated_at=when)
        )


def test_storage_copy_refuses_the_same_database(tmp_path: Path) -> None:
    db = Database(tmp_path / "a.db")
    with pytest.raises(Exception, match="same database"):
        copy_database(db, Database(tmp_path / "a.db"))
