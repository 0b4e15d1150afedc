"""Small use cases the window needs that the facade does not offer yet (never Qt here)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.formats.export_base import AtomicTextFile
from annotator.formats.jsonl_writer import dumps_line, task_from

if TYPE_CHECKING:
    from annotator.app.project import Project


def export_jsonl(
    project: Project,
    annotator: str,
    path: Path,
    *,
    progress: Callable[[int, int], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> int:
    """Write one annotator's annotations as JSONL tasks; returns how many were written.

    The file appears only when complete (written under a temporary name), so a
    cancelled export leaves nothing behind.
    """
    who = project.repo.annotator(annotator)
    if who is None:
        raise ValueError(f"No annotator called {annotator!r} in this project.")
    total = project.count_documents(annotator)
    out = AtomicTextFile(path)
    written = 0
    try:
        for document, annotation in project.repo.iter_annotations(who):
            if cancel is not None and cancel():
                out.abort()
                return written
            out.stream.write(dumps_line(task_from(document, annotation)))
            written += 1
            if progress is not None and written % 50 == 0:
                progress(written, total)
    except BaseException:
        out.abort()
        raise
    out.commit()
    if progress is not None:
        progress(written, total)
    return written
