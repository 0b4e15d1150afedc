"""``Project.apply`` returns what the edit changed, and a reopened article is read once
and written only when something changed."""

from __future__ import annotations

from pathlib import Path

from annotator.app.edits import EditResult
from annotator.app.project import Project
from annotator.core import Document, Origin, Span
from annotator.core import operations as ops

TEXT = "Officials met reporters in Moscow today. Ryabkov spoke in Geneva."


def _open(tmp_path: Path) -> tuple[Project, int]:
    project = Project.open(tmp_path / "p.db")
    (doc_id,), _ = project._repo.insert_documents([Document(TEXT)])
    return project, doc_id


def test_app_apply_returns_the_diff_and_unpacks_as_a_pair(tmp_path: Path) -> None:
    project, doc_id = _open(tmp_path)
    ann = project.open_annotation(doc_id, "alice")
    span = Span(27, 33, "GPE", origin=Origin.MANUAL)
    result = project.apply(ann, ops.AddSpan(span))
    assert isinstance(result, EditResult)
    saved, inverse = result  # the pair callers have always unpacked
    assert saved is result.annotation and inverse is result.inverse
    assert result.touched == [span.key] and not result.empty
    assert result.change.added_spans == [span]
    assert saved.version == ann.version + 1
    undone = project.apply(saved, inverse)
    assert undone.change.removed_spans == [span.key] and undone.touched == []
    again = project.apply(undone.annotation, ops.SetStatus(undone.annotation.status))
    assert again.empty and again.annotation is undone.annotation  # nothing written
    project.close()


def test_app_reopen_writes_nothing_and_sees_other_windows_saves(tmp_path: Path) -> None:
    project, doc_id = _open(tmp_path)
    first = project.open_annotation(doc_id, "alice")
    assert project.open_annotation(doc_id, "alice").version == first.version  # no write
    other = Project.open(tmp_path / "p.db")  # another window on the same file
    theirs = other.open_annotation(doc_id, "alice")
    other.apply(theirs, ops.AddSpan(Span(41, 48, "PERSON", origin=Origin.MANUAL)))
    other.close()
    reopened = project.open_annotation(doc_id, "alice")
    assert reopened.version == first.version + 1
    assert [s.label for s in reopened.spans] == ["PERSON"]  # not a stale cached copy
    project.close()
