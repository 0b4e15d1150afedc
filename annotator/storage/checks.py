"""Consistency checks and online backups of a project database."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Connection, case, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from annotator.storage.engine import (
    SEARCH_SHADOW_TABLES,
    SEARCH_TABLE,
    SEARCH_TRIGGER,
    Database,
    StorageError,
)
from annotator.storage.models import (
    AnnotationRow,
    AnnotatorRow,
    Base,
    DocumentRow,
    RelationRow,
    SpanRow,
)

_LIMIT = 20  # problems listed per check; the count says how many more


@dataclass
class CheckReport:
    url: str
    checks: list[str] = field(default_factory=list)  # what was run
    problems: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # what could not run, and why

    @property
    def ok(self) -> bool:
        return not self.problems


def check_database(db: Database) -> CheckReport:
    """SQLite's own integrity and foreign-key checks, the live schema against the
    models (and SQLite's search index), then the data model's rules that the schema
    cannot express (run on every backend). ``url`` is the shown form (no password)."""
    report = CheckReport(db.display_url)
    with db.engine.connect() as conn:
        if db.is_sqlite:
            _sqlite_checks(conn, report)
        revision = db.current_revision()
        report.checks.append("schema revision")
        if revision != Database.head_revision():
            report.problems.append(
                f"schema at revision {revision!r}, this version expects "
                f"{Database.head_revision()!r}: run `annotator db upgrade`"
            )
        report.checks.append("tables, columns and indexes match this version's schema")
        damaged = schema_differences(conn)
        if db.is_sqlite:
            report.checks.append("search index (SQLite FTS5)")
            damaged += search_index_problems(conn)
        report.problems += [f"schema: {d}" for d in damaged]
        if damaged:
            # The data checks query the very tables and columns that are missing.
            report.skipped.append("the data checks, until the schema is repaired")
            return report
        try:
            _model_checks(conn, report)
        except SQLAlchemyError as exc:  # a gap the schema comparison did not see
            orig = getattr(exc, "orig", None) or exc
            report.problems.append(f"the data checks could not run: {orig}")
    return report


# Differences that never break a command are left out: tables and indexes the database
# has beyond the models (migration 0001 made indexes on relations that the models do
# not declare; a person may add their own), and SQLite's search tables, which migration
# 0004 makes outside the models and ``search_index_problems`` checks.
_IGNORED = {"remove_table", "remove_index", "remove_constraint", "remove_fk"}


def _include(obj: Any, name: str | None, type_: str, reflected: bool, _compare_to: Any) -> bool:
    return not (type_ == "table" and name is not None and name.startswith(SEARCH_TABLE))


def schema_differences(conn: Connection) -> list[str]:
    """Each difference between the live schema and the models that can break a
    command, named (Alembic's ``compare_metadata``; Alembic is imported here only: an
    error message goes through app.maintenance, which imports this module)."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    context = MigrationContext.configure(
        conn, opts={"compare_type": True, "include_object": _include}
    )
    found: list[str] = []
    for diff in compare_metadata(context, Base.metadata):
        # modify_* differences of one column come grouped in a list
        for item in diff if isinstance(diff, list) else [diff]:
            if item[0] not in _IGNORED:
                found.append(_describe(item))
    return found


def _describe(item: tuple[Any, ...]) -> str:
    kind = item[0]
    if kind == "add_table":
        return f"table {item[1].name} is missing"
    if kind == "add_column":
        return f"column {item[2]}.{item[3].name} is missing"
    if kind == "remove_column":
        return f"column {item[2]}.{item[3].name} is not part of this version's schema"
    if kind == "add_index":
        index = item[1]
        cols = ", ".join(c.name for c in index.columns)
        unique = "unique index" if index.unique else "index"
        return f"{unique} {index.name} on {index.table.name} ({cols}) is missing"
    if kind == "add_constraint":
        cons = item[1]
        cols = ", ".join(c.name for c in cons.columns)
        return f"constraint {cons.name} on {cons.table.name} ({cols}) is missing"
    if kind == "add_fk":
        fk = item[1]
        cols = ", ".join(c.name for c in fk.columns)
        return f"foreign key on {fk.table.name} ({cols}) to {fk.referred_table.name} is missing"
    if kind == "modify_type":
        _k, _schema, table, column, _kw, existing, expected = item
        return f"column {table}.{column} has type {existing}, this version expects {expected}"
    if kind == "modify_nullable":
        _k, _schema, table, column, _kw, existing, expected = item
        allows = "allows" if existing else "refuses"
        return (
            f"column {table}.{column} {allows} NULL, this version expects the opposite"
            if existing != expected
            else f"column {table}.{column}: NULL rule differs"
        )
    return f"{kind}: " + " ".join(str(part) for part in item[1:] if part is not None)


def search_index_problems(conn: Connection) -> list[str]:
    """The FTS5 search table, its shadow tables and its delete trigger (SQLite)."""
    names = (SEARCH_TABLE, *SEARCH_SHADOW_TABLES, SEARCH_TRIGGER)
    marks = ", ".join("?" for _ in names)
    objects: dict[str, str] = dict(
        conn.exec_driver_sql(
            f"SELECT name, type FROM sqlite_master WHERE name IN ({marks})", names
        ).all()
    )
    if objects.get(SEARCH_TABLE) != "table":  # dropping it drops its shadow tables too
        problems = [f"search table {SEARCH_TABLE} is missing"]
    else:
        problems = [
            f"search table {name} is missing"
            for name in SEARCH_SHADOW_TABLES
            if objects.get(name) != "table"
        ]
    if objects.get(SEARCH_TRIGGER) != "trigger":
        problems.append(f"search trigger {SEARCH_TRIGGER} is missing")
    if not problems:
        try:  # reads the index itself: a damaged shadow table fails here
            conn.exec_driver_sql(
                f"SELECT rowid FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH 'a' LIMIT 1"
            ).all()
        except SQLAlchemyError as exc:
            why = exc.orig if isinstance(exc, DBAPIError) else exc
            problems.append(f"search table {SEARCH_TABLE} cannot be read: {why}")
    return problems


def _sqlite_checks(conn: Connection, report: CheckReport) -> None:
    report.checks.append("PRAGMA integrity_check")
    rows = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check")]
    if rows != ["ok"]:
        report.problems += [f"integrity: {r}" for r in rows[:_LIMIT]]
    report.checks.append("PRAGMA foreign_key_check")
    bad = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
    for table, rowid, parent, _fk in bad[:_LIMIT]:
        report.problems.append(f"foreign key: {table} row {rowid} points at a missing {parent}")
    if len(bad) > _LIMIT:
        report.problems.append(f"foreign key: {len(bad) - _LIMIT} more")


def _model_checks(conn: Connection, report: CheckReport) -> None:
    a, s, r, d = (
        AnnotationRow.__table__,
        SpanRow.__table__,
        RelationRow.__table__,
        DocumentRow.__table__,
    )
    report.checks.append("span offsets inside their document")
    bad_spans = conn.execute(
        select(s.c.id, s.c.start, s.c.end, d.c.id)
        .join(a, a.c.id == s.c.annotation_id)
        .join(d, d.c.id == a.c.document_id)
        .where((s.c.start < 0) | (s.c.end <= s.c.start) | (s.c.end > func.length(d.c.text)))
        .limit(_LIMIT)
    ).all()
    report.problems += [
        f"span {sid} ({start}-{end}) lies outside document {doc}"
        for sid, start, end, doc in bad_spans
    ]
    report.checks.append("relations join spans of their own annotation")
    head, child = s.alias("h"), s.alias("c")
    bad_rel = conn.execute(
        select(r.c.id)
        .join(head, head.c.id == r.c.head_id)
        .join(child, child.c.id == r.c.child_id)
        .where(
            (head.c.annotation_id != r.c.annotation_id)
            | (child.c.annotation_id != r.c.annotation_id)
        )
        .limit(_LIMIT)
    ).all()
    report.problems += [f"relation {rid} joins spans of another annotation" for (rid,) in bad_rel]
    report.checks.append("span counts of annotations")
    counts = select(s.c.annotation_id, func.count().label("n")).group_by(s.c.annotation_id)
    counts_sq = counts.subquery()
    bad_n = conn.execute(
        select(a.c.id, a.c.n_spans, func.coalesce(counts_sq.c.n, 0))
        .outerjoin(counts_sq, counts_sq.c.annotation_id == a.c.id)
        .where(a.c.n_spans != func.coalesce(counts_sq.c.n, 0))
        .limit(_LIMIT)
    ).all()
    report.problems += [f"annotation {aid} records {n} spans but has {m}" for aid, n, m in bad_n]
    report.checks.append("finished versions hold only what their annotator decided")
    unsettled = unsettled_annotations(conn)
    for item in unsettled[:_LIMIT]:
        report.problems.append(
            f"{item.annotator}'s {item.status} version of document {item.document_id} holds "
            f"{item.suggested} suggestion(s) never decided ({item.hidden} under the display "
            "threshold, never shown by default): run `annotator db settle-suggestions`"
        )
    if len(unsettled) > _LIMIT:
        report.problems.append(f"undecided suggestions: {len(unsettled) - _LIMIT} more versions")


@dataclass(frozen=True)
class Unsettled:
    """A person's finished version that still holds undecided suggestions."""

    annotation_id: int
    document_id: int
    annotator: str
    status: str
    suggested: int
    hidden: int


def unsettled_annotations(conn: Connection, threshold: float = 0.5) -> list[Unsettled]:
    """Finished (done or skipped) versions of people, not pipelines, holding spans of
    origin ``suggested``: before the seen-only rule, Enter kept them as they were."""
    a, s, who = AnnotationRow.__table__, SpanRow.__table__, AnnotatorRow.__table__
    hidden = func.sum(
        case((s.c.confidence.is_not(None) & (s.c.confidence < threshold), 1), else_=0)
    )
    rows = conn.execute(
        select(
            AnnotationRow.id,
            AnnotationRow.document_id,
            AnnotatorRow.name,
            AnnotationRow.status,
            func.count(),
            hidden,
        )
        .join(a, a.c.id == s.c.annotation_id)
        .join(who, who.c.id == a.c.annotator_id)
        .where(
            s.c.origin == "suggested",
            a.c.status.in_(("done", "skipped")),
            who.c.kind != "model",
        )
        .group_by(a.c.id, a.c.document_id, who.c.name, a.c.status)
        .order_by(a.c.id)
    ).all()
    typed = cast(Sequence[tuple[int, int, str, str, int, int | None]], rows)
    return [
        Unsettled(aid, doc_id, name, status, n, int(n_hidden or 0))
        for aid, doc_id, name, status, n, n_hidden in typed
    ]


def sqlite_path(db: Database) -> Path:
    url = make_url(db.url)
    if not db.is_sqlite or not url.database or url.database == ":memory:":
        raise StorageError(f"{db.display_url} is not an SQLite file.", code="E231")
    return Path(url.database)


def backup_sqlite(
    db: Database,
    target: Path,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> Path:
    """A consistent copy of an SQLite project made with SQLite's backup API, while
    others keep reading and writing it. Written next to ``target`` and renamed at
    the end, so a failed backup never leaves a half file under that name."""
    source = sqlite_path(db)
    target = target.expanduser().resolve()
    if target == source.resolve():
        raise StorageError("The backup cannot overwrite the project itself.", code="E232")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(source, timeout=db.busy_timeout_ms / 1000)
    try:
        dst = sqlite3.connect(partial)
        try:

            def step(_status: int, remaining: int, total: int) -> None:
                if progress:
                    progress(total - remaining, total)

            # pages=-1: one step under one read transaction. In WAL mode that reads a
            # snapshot without blocking writers; stepping would restart on every
            # write the annotator makes meanwhile.
            src.backup(dst, pages=-1, progress=step)
            verdict = dst.execute("PRAGMA integrity_check").fetchone()[0]
            if verdict != "ok":
                raise StorageError(f"The backup failed its integrity check: {verdict}")
            dst.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            dst.close()
        os.replace(partial, target)
    except sqlite3.Error as exc:
        partial.unlink(missing_ok=True)
        raise StorageError(f"The backup could not be made: {exc}", code="E233") from exc
    finally:
        src.close()
    return target
