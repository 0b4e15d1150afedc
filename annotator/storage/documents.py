"""Documents: storing imported texts once (by sha256), reading them back with their
tokens, and the full-text search index (SQLite)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from annotator.core import (
    Document,
    Token,
    TokenArray,
    decode_tokens,
    encode_tokens,
    split_tokens,
)
from annotator.storage.base import DOCUMENTS, SETTINGS, Store, chunks, insert_ignore, now
from annotator.storage.engine import Database, StorageError
from annotator.storage.models import (
    AnnotationRow,
    DocumentRow,
    RejectionRow,
    SettingRow,
    SpanRow,
)
from annotator.storage.rows import DOCUMENT_COLUMNS, copy_document, document_from

_D = DOCUMENTS
SEARCH_INDEXED_UPTO = "search_indexed_upto"
_DOC_CACHE = 32  # decoded documents kept per open project
# The text's sha256 and the stored tokens' size: texts never change, and tokens change
# only by being split (an import keeping a span inside a token), which makes them longer.
_SHA_OF = select(DocumentRow.sha256, func.length(DocumentRow.tokens)).where(
    DocumentRow.id == bindparam("doc_id")
)
_DOCUMENT = select(*DOCUMENT_COLUMNS).where(DocumentRow.id == bindparam("doc_id"))

_INSERT_COLUMNS = ("external_id", "sha256", "text", "title", "meta", "tokens", "created_at")
_SQLITE_INSERT_DOCUMENTS = (
    f"INSERT INTO documents ({', '.join(_INSERT_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in _INSERT_COLUMNS)}) ON CONFLICT DO NOTHING"
)


class DocumentStore(Store):
    def __init__(self, db: Database) -> None:
        super().__init__(db)
        self._doc_cache: OrderedDict[int, tuple[Document, int | None]] = OrderedDict()
        self._cache_lock = threading.Lock()  # the window calls from worker threads
        # doc id -> the file's commit count when its copy was last found current
        self._doc_stamp: dict[int, int] = {}

    def insert_documents(self, docs: Sequence[Document]) -> tuple[list[int], list[int]]:
        """Insert new documents in one transaction; return (new ids, ids of duplicates).

        A text already stored (same sha256) is not stored again; each ``Document``
        gets its ``id`` set either way."""
        with self._write_tx() as s:
            return insert_documents_in(s, docs)

    def count_documents(self) -> int:
        with self.db.session() as s:
            return s.scalar(select(func.count(DocumentRow.id))) or 0

    def document_ids(self, *, after: int = 0, limit: int = 1000) -> list[int]:
        with self.db.session() as s:
            q = (
                select(DocumentRow.id)
                .where(DocumentRow.id > after)
                .order_by(DocumentRow.id)
                .limit(limit)
            )
            return list(s.scalars(q))

    def get_document(self, doc_id: int) -> Document:
        stamp = self.db.commit_count()
        if stamp is not None:
            with self._cache_lock:  # nothing committed since: no lookup needed either
                hit = self._doc_cache.get(doc_id)
                if hit is not None and self._doc_stamp.get(doc_id) == stamp:
                    self._doc_cache.move_to_end(doc_id)
                    return copy_document(hit[0])
        with self.db.session() as s:
            conn = s.connection()
            # Texts never change after import, but decoding a long article's tokens
            # costs milliseconds and every action asks for its document: reuse the
            # decoded copy while the stored sha256 and tokens' size (one indexed lookup)
            # still match: another process may have split the tokens since.
            found = conn.execute(_SHA_OF, {"doc_id": doc_id}).first()
            if found is None:
                raise StorageError(f"No document with id {doc_id}.", code="E202")
            sha: str = found[0]
            size: int | None = found[1]
            with self._cache_lock:
                cached = self._doc_cache.get(doc_id)
                if cached is not None and (cached[0].sha256, cached[1]) == (sha, size):
                    self._doc_cache.move_to_end(doc_id)
                    self._stamp_doc(doc_id, stamp)
                    return copy_document(cached[0])
            row = conn.execute(_DOCUMENT, {"doc_id": doc_id}).first()
            if row is None:
                raise StorageError(f"No document with id {doc_id}.", code="E202")
            doc = document_from(row)
        if doc.tokens is not None:
            with self._cache_lock:
                self._doc_cache[doc_id] = (copy_document(doc), size)
                self._stamp_doc(doc_id, stamp)
                while len(self._doc_cache) > _DOC_CACHE:
                    gone, _ = self._doc_cache.popitem(last=False)
                    self._doc_stamp.pop(gone, None)
        return doc

    def _stamp_doc(self, doc_id: int, stamp: int | None) -> None:
        """Under ``_cache_lock``: the commit count at which the copy was current."""
        if stamp is None:
            self._doc_stamp.pop(doc_id, None)
        else:
            self._doc_stamp[doc_id] = stamp

    def get_documents(self, doc_ids: Sequence[int]) -> list[Document]:
        out: dict[int, Document] = {}
        with self.db.session() as s:
            for chunk in chunks(doc_ids):
                for row in s.execute(select(*DOCUMENT_COLUMNS).where(DocumentRow.id.in_(chunk))):
                    out[row[0]] = document_from(row)
        return [out[i] for i in doc_ids if i in out]

    def set_tokens(
        self, items: Iterable[tuple[int, Sequence[Token]]]
    ) -> dict[int, Sequence[Token]]:
        """Store documents' tokens, split at the start and end of every span (and
        rejected suggestion) stored for them, and return the tokens stored, by id.

        Spans may be stored before a document's tokens (an import keeps each span
        exactly and leaves tokenizing to first use): tokens made afresh never cut one.
        The spans are read inside the write transaction, so a span stored meanwhile
        (another process importing into the same text) is not cut either."""
        given = list(items)
        if not given:
            return {}
        stored: dict[int, Sequence[Token]] = {}
        with self._write_tx() as s:
            c = s.connection()
            bounds = _stored_bounds(c, list(dict.fromkeys(doc_id for doc_id, _ in given)))
            rows = []
            for doc_id, toks in given:
                cuts = bounds.get(doc_id)
                # no copy of a TokenArray (immutable): a long article's tokens as
                # tuples would cost about 144 bytes each
                fitted = (
                    split_tokens(toks, cuts)[0]
                    if cuts
                    else toks if isinstance(toks, TokenArray) else list(toks)
                )
                stored[doc_id] = fitted
                rows.append({"doc_id": doc_id, "tokens": encode_tokens(fitted)})
            c.execute(update(_D).where(DocumentRow.id == bindparam("doc_id")), rows)
        return stored

    def fit_stored_tokens(self, cuts_by_doc: Mapping[int, Iterable[int]]) -> int:
        """Split the stored tokens of these documents at the given offsets and at every
        span stored for them; documents without stored tokens are left so (they are
        split when tokenized, ``set_tokens``). Returns how many tokens were split.

        An import calls it for texts that were stored already: their tokens must not
        cut the spans it adds. Splitting only adds boundaries, so no stored label
        moves, and it is safe to run before the new spans are written."""
        ids = list(cuts_by_doc)
        if not ids:
            return 0
        split = 0
        with self._write_tx() as s:
            c = s.connection()
            tokens_of: dict[int, bytes] = {}
            for chunk in chunks(ids):
                q = select(DocumentRow.id, DocumentRow.tokens).where(
                    DocumentRow.id.in_(chunk), DocumentRow.tokens.is_not(None)
                )
                tokens_of.update((i, t) for i, t in c.execute(q) if t is not None)
            if not tokens_of:
                return 0
            bounds = _stored_bounds(c, list(tokens_of))
            rows = []
            for doc_id, data in tokens_of.items():
                # Offsets only: whitespace after a token is not stored (the encoding
                # recomputes it from the text when decoding), so no text is read here.
                old = decode_tokens(data, "")
                new, n = split_tokens(old, [*cuts_by_doc[doc_id], *bounds.get(doc_id, ())])
                if n:
                    split += n
                    rows.append({"doc_id": doc_id, "tokens": encode_tokens(new)})
            if rows:
                c.execute(update(_D).where(DocumentRow.id == bindparam("doc_id")), rows)
        return split

    def ids_without_tokens(self, limit: int = 1000) -> list[int]:
        with self.db.session() as s:
            q = (
                select(DocumentRow.id)
                .where(DocumentRow.tokens.is_(None))
                .order_by(DocumentRow.id)
                .limit(limit)
            )
            return list(s.scalars(q))

    def document_by_sha(self, sha256: str) -> int | None:
        with self.db.session() as s:
            return s.scalar(select(DocumentRow.id).where(DocumentRow.sha256 == sha256))

    def document_ids_by_sha(self, shas: Sequence[str]) -> dict[str, int]:
        """sha256 -> id of the texts already stored (a resumed import asks per batch)."""
        with self.db.session() as s:
            return _ids_by_sha(s, shas)

    # search index ---------------------------------------------------------------------

    def index_for_search(self, batch: int = 2000) -> tuple[int, int]:
        """Add the next ``batch`` documents to the full-text index (SQLite); returns
        (documents indexed now, documents still waiting). A no-op elsewhere."""
        if not self.db.is_sqlite:
            return 0, 0
        with self._write_tx() as s:
            c = s.connection()
            setting = select(SettingRow.value).where(SettingRow.key == SEARCH_INDEXED_UPTO)
            upto = int(c.execute(setting).scalar() or 0)
            next_ids = (
                select(DocumentRow.id)
                .where(DocumentRow.id > upto)
                .order_by(DocumentRow.id)
                .limit(batch)
                .subquery()
            )
            last = c.execute(select(func.max(next_ids.c.id))).scalar()
            if last is None:
                return 0, 0
            done = c.exec_driver_sql(
                "INSERT INTO documents_fts(rowid, title, text) "
                "SELECT id, title, text FROM documents WHERE id > ? AND id <= ?",
                (upto, last),
            ).rowcount
            c.execute(delete(SETTINGS).where(SettingRow.key == SEARCH_INDEXED_UPTO))
            c.execute(insert(SETTINGS).values(key=SEARCH_INDEXED_UPTO, value=str(last)))
            # "+id": not the rowid range, whose scan reads every remaining row's page
            # (a document is about a page of text), but the sha256 key's index, some
            # forty times smaller; at 100,000 documents this count took longer than
            # indexing a batch.
            left = c.exec_driver_sql(
                "SELECT count(*) FROM documents WHERE +id > ?", (last,)
            ).scalar()
        return done, int(left or 0)


def _stored_bounds(c: Connection, doc_ids: Sequence[int]) -> dict[int, list[int]]:
    """doc id -> the start and end of every span and rejected suggestion stored for it."""
    out: dict[int, list[int]] = {}
    for chunk in chunks(doc_ids):
        for table in (SpanRow, RejectionRow):
            q = (
                select(AnnotationRow.document_id, table.start, table.end)
                .join(AnnotationRow, AnnotationRow.id == table.annotation_id)
                .where(AnnotationRow.document_id.in_(chunk))
            )
            for doc_id, start, end in c.execute(q):
                found = out.get(doc_id)
                if found is None:
                    out[doc_id] = [start, end]
                else:
                    found.append(start)
                    found.append(end)
    return out


def _ids_by_sha(s: Session, shas: Sequence[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    uniq = list(dict.fromkeys(shas))
    for chunk in chunks(uniq):
        for sha, i in s.execute(
            select(DocumentRow.sha256, DocumentRow.id).where(DocumentRow.sha256.in_(chunk))
        ):
            out[sha] = i
    return out


def insert_documents_in(s: Session, docs: Sequence[Document]) -> tuple[list[int], list[int]]:
    """Store ``docs`` inside an open write transaction: (new ids, ids of texts already
    stored); each ``Document`` gets its ``id`` set."""
    # No lookup first: the insert skips texts already stored (ON CONFLICT DO NOTHING)
    # and reports the rows it made; only the rest are looked up, after it.
    fresh: list[tuple[Any, ...]] = []  # in _INSERT_COLUMNS order
    seen: set[str] = set()
    stamp = now()
    for d in docs:
        if d.sha256 in seen:
            continue
        seen.add(d.sha256)
        tokens = encode_tokens(d.tokens) if d.tokens is not None else None
        fresh.append((d.external_id, d.sha256, d.text, d.title, d.meta, tokens, stamp))
    created: dict[str, int] = {}
    if fresh:
        conn = s.connection()
        if conn.dialect.name == "sqlite":
            created = _insert_new_sqlite(conn, fresh)
        else:
            # RETURNING gives the new ids without a second lookup by sha256.
            # ON CONFLICT DO NOTHING: another process importing the same text at the same
            # time stores it once; ours is then found by sha256 below instead of failing.
            stmt = insert_ignore(s, _D).returning(DocumentRow.sha256, DocumentRow.id)
            rows = [dict(zip(_INSERT_COLUMNS, row, strict=True)) for row in fresh]
            created = {sha: i for sha, i in conn.execute(stmt, rows)}
    existing = _ids_by_sha(s, [d.sha256 for d in docs if d.sha256 not in created])
    new_ids: list[int] = []
    dup_ids: list[int] = []
    for d in docs:
        if d.sha256 in created:
            d.id = created.pop(d.sha256)
            new_ids.append(d.id)
        else:
            d.id = existing.get(d.sha256) or _lookup(s, d.sha256)
            dup_ids.append(d.id)
    return new_ids, dup_ids


def _insert_new_sqlite(conn: Connection, rows: list[tuple[Any, ...]]) -> dict[str, int]:
    """Insert ``rows`` with one driver-level executemany; {sha256: id} of those made.

    The import's hot path: SQLAlchemy's insert() compiles per row bind parameters and
    insertmanyvalues batches, about as long as SQLite's own work on the rows. Values go
    through the columns' own bind processors (JSON meta, the UTC time-stamp), so what
    is stored is exactly what insert() stores. The write transaction holds SQLite's
    write lock from its start (BEGIN IMMEDIATE), so the rows this insert makes are
    exactly those with an id above the largest one before it."""
    dialect = conn.dialect
    processors = [
        (i, proc)
        for i, name in enumerate(_INSERT_COLUMNS)
        if (proc := _D.c[name].type.dialect_impl(dialect).bind_processor(dialect))
    ]
    params: list[tuple[Any, ...]] = []
    for row in rows:
        values = list(row)
        for i, proc in processors:
            values[i] = proc(values[i])
        params.append(tuple(values))
    before = conn.execute(select(func.max(DocumentRow.id))).scalar() or 0
    conn.exec_driver_sql(_SQLITE_INSERT_DOCUMENTS, params)
    made = select(DocumentRow.sha256, DocumentRow.id).where(DocumentRow.id > before)
    return {sha: i for sha, i in conn.execute(made)}


def _lookup(s: Session, sha: str) -> int:
    found = s.scalar(select(DocumentRow.id).where(DocumentRow.sha256 == sha))
    assert found is not None
    return found
