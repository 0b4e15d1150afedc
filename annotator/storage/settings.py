"""Project settings (key -> text), the annotators, and who is assigned which document."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from annotator.core import Annotator, AnnotatorKind, AnnotatorRole
from annotator.storage.base import ANNOTATORS, ASSIGNMENTS, SETTINGS, Store, chunks, insert_ignore
from annotator.storage.models import AnnotatorRow, AssignmentRow, SettingRow
from annotator.storage.rows import ANNOTATOR_COLUMNS, annotator_from


class SettingsStore(Store):
    # key -> (the file's commit count when read, the value): a window reads a few
    # settings per article opened, and they change far less often than that.
    _settings_seen: dict[str, tuple[int, str | None]] | None = None

    def get_setting(self, key: str, default: str | None = None) -> str | None:
        stamp = self.db.commit_count()
        seen = self._settings_seen
        if seen is None:
            seen = self._settings_seen = {}
        hit = seen.get(key) if stamp is not None else None
        if hit is not None and hit[0] == stamp:
            value = hit[1]
        else:
            # the count is read before the row: the row is at least that new
            with self.db.session() as s:
                value = s.scalar(select(SettingRow.value).where(SettingRow.key == key))
            if stamp is not None:
                seen[key] = (stamp, value)
        return value if value is not None else default

    def set_setting(self, key: str, value: str) -> None:
        with self._write_tx() as s:
            done = s.connection().execute(
                update(SETTINGS).where(SettingRow.key == key).values(value=value)
            )
            if not done.rowcount:
                s.execute(insert(SETTINGS).values(key=key, value=value))


class AnnotatorStore(Store):
    def ensure_annotator(
        self,
        name: str,
        kind: AnnotatorKind = AnnotatorKind.HUMAN,
        role: AnnotatorRole = AnnotatorRole.ANNOTATOR,
    ) -> Annotator:
        existing = self.annotator(name)
        if existing is not None:
            return existing
        try:
            with self._write_tx() as s:
                new_id = s.execute(
                    insert(ANNOTATORS)
                    .values(name=name, kind=str(kind), role=str(role))
                    .returning(AnnotatorRow.id)
                ).scalar_one()
                return Annotator(name, kind, role, new_id)
        except IntegrityError:  # created by another process meanwhile
            found = self.annotator(name)
            assert found is not None
            return found

    def set_role(self, name: str, role: AnnotatorRole) -> None:
        with self._write_tx() as s:
            s.execute(update(ANNOTATORS).where(AnnotatorRow.name == name).values(role=str(role)))

    def annotators(self) -> list[Annotator]:
        with self.db.session() as s:
            rows = s.execute(select(*ANNOTATOR_COLUMNS).order_by(AnnotatorRow.id))
            return [annotator_from(r) for r in rows]

    def annotator(self, name: str) -> Annotator | None:
        with self.db.session() as s:
            row = s.execute(select(*ANNOTATOR_COLUMNS).where(AnnotatorRow.name == name)).first()
            return annotator_from(row) if row else None

    # assignments --------------------------------------------------------------------

    def assign(self, pairs: Iterable[tuple[int, int]]) -> int:
        rows = [{"document_id": d, "annotator_id": a} for d, a in pairs]
        with self._write_tx() as s:
            s.execute(delete(ASSIGNMENTS))
            for chunk in chunks(rows):
                s.execute(insert(ASSIGNMENTS), chunk)
        return len(rows)

    def has_assignments(self, annotator_id: int) -> bool:
        with self.db.session() as s:
            found = s.scalar(
                select(AssignmentRow.id).where(AssignmentRow.annotator_id == annotator_id).limit(1)
            )
            return found is not None


def ensure_annotator_in(s: Session, name: str) -> Annotator:
    """The annotator ``name`` inside an open write transaction (an import names them)."""
    query = select(*ANNOTATOR_COLUMNS).where(AnnotatorRow.name == name)
    row = s.execute(query).first()
    if row is None:
        gold = name == "gold"
        kind = AnnotatorKind.GOLD if gold else AnnotatorKind.HUMAN
        role = AnnotatorRole.REVIEWER if gold else AnnotatorRole.ANNOTATOR
        s.execute(
            insert_ignore(s, ANNOTATORS), [{"name": name, "kind": str(kind), "role": str(role)}]
        )
        row = s.execute(query).first()
        assert row is not None
    return annotator_from(row)
