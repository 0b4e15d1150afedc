"""Notes on documents: one annotator's remark on one article, optionally flagged for
review ("unclear speaker in para 3"). Plain data and its rules; stdlib only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from annotator.core.errors import ValidationError

MAX_NOTE_LENGTH = 2000  # characters (code points): a remark, not a report


@dataclass(frozen=True, slots=True)
class DocumentNote:
    document_id: int
    annotator: str
    text: str
    flagged: bool = False
    updated_at: datetime | None = None

    @property
    def empty(self) -> bool:
        """No text and no flag: the same as having no note at all."""
        return not self.text and not self.flagged


def clean_note_text(text: str) -> str:
    """The text as stored: surrounding blank space dropped, then the rules checked.

    Raises ``ValidationError`` for a note longer than ``MAX_NOTE_LENGTH`` or one holding
    a NUL character (PostgreSQL's text type refuses it; nobody types one)."""
    cleaned = text.strip()
    if len(cleaned) > MAX_NOTE_LENGTH:
        raise ValidationError(
            f"A note holds at most {MAX_NOTE_LENGTH:,} characters; this one has "
            f"{len(cleaned):,}. Shorten it (the guidelines panel is the place for long text).",
            code="E130",
        )
    if "\x00" in cleaned:
        raise ValidationError("A note cannot contain a NUL character.", code="E131")
    return cleaned
