"""Notes and flags on documents: an annotator leaves a remark on an article ("unclear
speaker in para 3") and may flag it for review; reviewers read everyone's.

A note is private working material, not a label: it never enters an annotation, the
agreement figures or an export. ``Project.set_note`` / ``note`` / ``notes`` call these
with the project's note store; writes go through the facade's ``guarded`` error path.
"""

from __future__ import annotations

from annotator.app.writes import guarded
from annotator.core import Annotator
from annotator.core.notes import DocumentNote, clean_note_text
from annotator.storage.notes import NoteStore


def set_note(
    store: NoteStore, who: Annotator, doc_id: int, text: str, flagged: bool = False
) -> DocumentNote | None:
    """Save this annotator's note on the document (replacing any earlier one).

    Blank text without the flag removes the note, so clearing the editor is how a
    person takes a note back; returns the note as stored, or ``None`` when removed.
    Raises ``ValidationError`` (too long) before anything is written, and
    ``StorageUnavailable`` when the database cannot be written."""
    cleaned = clean_note_text(text)
    assert who.id is not None
    aid = who.id
    if not cleaned and not flagged:
        guarded(lambda: store.delete(doc_id, aid))
        return None
    stamp = guarded(lambda: store.put(doc_id, aid, cleaned, flagged))
    return DocumentNote(doc_id, who.name, cleaned, flagged, stamp)


def note(store: NoteStore, who: Annotator | None, doc_id: int) -> DocumentNote | None:
    """This annotator's note on the document, if any (reading creates no annotator)."""
    if who is None or who.id is None:
        return None
    return store.get(doc_id, who.id)
