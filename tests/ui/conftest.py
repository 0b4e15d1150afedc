"""Window test fixtures: offscreen Qt, settings in tmp_path, seeds with suggestions."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before any Qt import

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QSettings

from annotator.core import (
    Layer,
    Origin,
    QuoteKind,
    Relation,
    RelationLabel,
    Span,
    SpanKey,
    Token,
    snap_range,
)

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"

# (text to find, label, confidence); the n-th occurrence if the text is a tuple
SEED_SUGGESTIONS: list[tuple[str | tuple[str, int], str, float]] = [
    ("Ryabkov", "PERSON", 0.93),
    ("International Affairs", "ORG", 0.81),
    ("Sergei Ryabkov", "PERSON", 0.95),
    (("Russian", 0), "NORP", 0.88),
    (("Vladimir Putin", 0), "PERSON", 0.97),
    (("Donald Trump", 0), "PERSON", 0.97),
    (("Ukraine", 0), "GPE", 0.31),  # low confidence: hidden unless asked for
]
SEED_QUOTE = "“Nothing can be ruled out in advance, and the search for a solution (to stop the war in Ukraine) continues.”"  # noqa: E501


@dataclass(frozen=True)
class FakeInfo:
    name: str = "test-suggester"
    version: str = "1"

    @property
    def key(self) -> str:
        return f"{self.name}-{self.version}"


@dataclass
class FakeResult:
    spans: list[Span] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    referents: dict[SpanKey, SpanKey] = field(default_factory=dict)
    tokens: list[Token] | None = None  # as Suggestions: set only when tokenized here


def _find(text: str, what: str | tuple[str, int]) -> tuple[int, int] | None:
    needle, nth = (what, 0) if isinstance(what, str) else what
    start = -1
    for _ in range(nth + 1):
        start = text.find(needle, start + 1)
        if start < 0:
            return None
    return start, start + len(needle)


class FakeSuggester:
    """Deterministic suggestions, stored through the facade like a real pipeline's."""

    info = FakeInfo()

    def suggest(
        self,
        text: str,
        tokens: list[Token],
        *,
        scheme_labels: Any = None,
        keep_that: bool = False,
    ) -> FakeResult:
        result = FakeResult()
        taken: list[tuple[int, int]] = []
        for what, label, conf in SEED_SUGGESTIONS:
            found = _find(text, what)
            if found is None:
                continue
            snapped = snap_range(tokens, text, *found)
            if snapped is None or any(a < snapped[1] and snapped[0] < b for a, b in taken):
                continue
            taken.append(snapped)
            result.spans.append(
                Span(*snapped, label, Layer.ENTS, Origin.SUGGESTED, confidence=conf)
            )
        quote = _find(text, SEED_QUOTE)
        speaker = _find(text, "Sergei Ryabkov")
        cue = _find(text, (" said ", 0))
        if quote and speaker and cue:
            q = Span(*quote, "QUOTE", Layer.QUOTES, Origin.SUGGESTED, QuoteKind.DIRECT, 0.9)
            s = Span(*speaker, "SPEAKER", Layer.QUOTES, Origin.SUGGESTED, confidence=0.9)
            c = Span(cue[0] + 1, cue[1] - 1, "CUE", Layer.QUOTES, Origin.SUGGESTED, confidence=0.9)
            result.spans += [q, s, c]
            result.relations += [
                Relation(q.key, s.key, RelationLabel.SPEAKER),
                Relation(q.key, c.key, RelationLabel.CUE),
            ]
        return result


@pytest.fixture(autouse=True)
def qt_settings_in_tmp(tmp_path: Path) -> Iterator[None]:
    """QSettings (geometry, recent projects, annotator name) go to tmp_path, not $HOME."""
    folder = tmp_path / "settings"
    folder.mkdir()
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    yield


@pytest.fixture
def fake_suggester() -> FakeSuggester:
    return FakeSuggester()


@pytest.fixture
def seeds_db(tmp_path: Path, fake_suggester: FakeSuggester) -> Path:
    """A project file with the five seed articles and stored suggestions for all of them."""
    from annotator.app.project import Project

    path = tmp_path / "seeds.db"
    with Project.open(path) as project:
        report = project.import_paths([SEEDS])
        assert report.imported == 5
        for row in project.list_documents("nobody"):
            project.ensure_suggestions(row.id, fake_suggester)
    return path


@pytest.fixture
def open_project(seeds_db: Path) -> Iterator[Any]:
    from annotator.app.project import Project

    project = Project.open(seeds_db)
    yield project
    project.close()


@pytest.fixture
def window(qtbot: Any, open_project: Any) -> Iterator[Any]:
    from annotator.ui.app import build_main_window

    win = build_main_window(open_project, "alice")
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.shutdown()
    # No worker may outlive the window (napari's rule: leave no threads or timers behind).
    assert win.tasks.active_threads() == 0


@pytest.fixture
def reader(seeds_db: Path) -> Iterator[Any]:
    """A second, independent connection to the same file: what is really saved."""
    from annotator.app.project import Project

    project = Project.open(seeds_db)
    yield project
    project.close()
