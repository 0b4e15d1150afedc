"""Project.set_note / note / notes: an annotator's remark and review flag on an article,
read back by a second connection (what is really saved) and by reviewers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from annotator.app.project import Project
from annotator.core import ValidationError
from annotator.core.notes import MAX_NOTE_LENGTH


def _ids(project: Any) -> list[int]:
    return [row.id for row in project.list_documents("nobody")]


def test_app_note_is_saved_and_read_back(seeded: Any, db_path: Path) -> None:
    d1, d2, *_ = _ids(seeded)
    saved = seeded.set_note(d1, "alice", "  unclear speaker in para 3\n", True)
    assert saved is not None and saved.text == "unclear speaker in para 3" and saved.flagged
    with Project.open(db_path) as other:
        found = other.note(d1, "alice")
        assert found is not None
        assert (found.text, found.flagged) == ("unclear speaker in para 3", True)
        assert found.updated_at == saved.updated_at
        assert other.note(d2, "alice") is None
        assert other.status()["flagged_documents"] == 1


def test_app_reviewer_sees_every_annotators_note(seeded: Any) -> None:
    d1, d2, *_ = _ids(seeded)
    seeded.set_note(d1, "alice", "speaker unclear", False)
    seeded.set_note(d1, "bob", "the second quote is indirect?", True)
    seeded.set_note(d2, "bob", "fine", False)
    notes = seeded.notes(d1)
    assert [(n.annotator, n.text, n.flagged) for n in notes] == [
        ("bob", "the second quote is indirect?", True),
        ("alice", "speaker unclear", False),
    ]
    assert [n.annotator for n in seeded.notes(d2)] == ["bob"]
    assert seeded.flagged_documents() == 1


def test_app_note_is_replaced_and_removed_when_cleared(seeded: Any) -> None:
    d1, *_ = _ids(seeded)
    seeded.set_note(d1, "alice", "first thought", True)
    seeded.set_note(d1, "alice", "second thought", False)
    found = seeded.note(d1, "alice")
    assert found is not None and (found.text, found.flagged) == ("second thought", False)
    # A flag alone is a note ("needs review", nothing more to say).
    assert seeded.set_note(d1, "alice", "", True) is not None
    assert seeded.flagged_documents() == 1
    # Blank and unflagged: the note is taken back.
    assert seeded.set_note(d1, "alice", "   ", False) is None
    assert seeded.note(d1, "alice") is None
    assert seeded.notes(d1) == []
    assert seeded.flagged_documents() == 0


def test_app_too_long_note_is_refused_and_nothing_changes(seeded: Any) -> None:
    d1, *_ = _ids(seeded)
    seeded.set_note(d1, "alice", "kept", True)
    assert seeded.set_note(d1, "alice", "x" * MAX_NOTE_LENGTH, True) is not None
    with pytest.raises(ValidationError, match="at most 2,000 characters") as err:
        seeded.set_note(d1, "alice", "x" * (MAX_NOTE_LENGTH + 1), False)
    assert err.value.code == "E130"
    found = seeded.note(d1, "alice")
    assert found is not None and found.text == "x" * MAX_NOTE_LENGTH and found.flagged
    # Astral characters count once each, as Python counts them.
    emoji = "😀" * MAX_NOTE_LENGTH
    assert seeded.set_note(d1, "alice", emoji, False) is not None
    assert seeded.note(d1, "alice").text == emoji  # type: ignore[union-attr]


def test_app_reading_notes_creates_no_annotator(seeded: Any) -> None:
    d1, *_ = _ids(seeded)
    before = {a.name for a in seeded.annotators()}
    assert seeded.note(d1, "somebody-new") is None
    assert {a.name for a in seeded.annotators()} == before


def test_app_status_json_counts_flagged_documents(seeded: Any, db_path: Path) -> None:
    from annotator.cli import app

    d1, d2, d3, *_ = _ids(seeded)
    seeded.set_note(d1, "alice", "check", True)
    seeded.set_note(d1, "bob", "me too", True)  # the same document: counted once
    seeded.set_note(d2, "bob", "just a remark", False)
    seeded.set_note(d3, "bob", "", True)
    result = CliRunner().invoke(app, ["--db", str(db_path), "status", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["flagged_documents"] == 2
