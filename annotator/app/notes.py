"""Notes and flags on documents: an annotator leaves a remark on an article ("unclear
speaker in para 3") and may flag it for review; reviewers read everyone's.

A note is private working material, not a label: it never enters an annotation, the
agreement figures or an export. ``Project.set_note`` / ``note`` / ``notes`` call these.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.core.notes import DocumentNote, clean_note_text

if TYPE_CHECKING:
    from annotator.app.project import Project


def set_note(
    project: Project, doc_id: int, annotator: str, text: str, flagged: bool = False
) -> DocumentNote | None:
    """Save this annotator's note on the document (replacing any earlier one).

    Blank text without the flag removes the note, so clearing the editor is how a
    person takes a note back; returns the note as stored, or ``None`` when removed.
    Raises ``ValidationError`` (too long) before anything is written, and
    ``StorageUnavailable`` when the database cannot be written."""
    cleaned = clean_note_text(text)
    who = project.ensure_annotator(annotator)
    assert who.id is not None
    aid = who.id
    if not cleaned and not flagged:
        project._write(lambda: project.repo.notes.delete(doc_id, aid))
        return None
    stamp = project._write(lambda: project.repo.notes.put(doc_id, aid, cleaned, flagged))
    return DocumentNote(doc_id, annotator, cleaned, flagged, stamp)


def note(project: Project, doc_id: int, annotator: str) -> DocumentNote | None:
    """This annotator's note on the document, if any (reading creates no annotator)."""
    who = project.repo.annotator(annotator)
    if who is None or who.id is None:
        return None
    return project.repo.notes.get(doc_id, who.id)


def notes(project: Project, doc_id: int) -> list[DocumentNote]:
    """Every annotator's note on the document, flagged first: what a reviewer reads."""
    return project.repo.notes.for_document(doc_id)


def flagged_document_count(project: Project) -> int:
    return project.repo.notes.count_flagged_documents()
