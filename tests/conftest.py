from __future__ import annotations

import os

# Qt widgets in any test run offscreen unless told otherwise (a machine without a
# screen, as CI is); tests/ui_real starts its own X server for the real window.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "project.db"


@pytest.fixture
def project(db_path: Path) -> Iterator[object]:
    from annotator.app.project import Project

    with Project.open(db_path) as p:
        yield p


@pytest.fixture
def seeded(project):  # type: ignore[no-untyped-def]
    report = project.import_paths([SEEDS])
    assert report.imported == 5
    return project
