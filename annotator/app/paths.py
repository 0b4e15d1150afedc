"""Where things live: the default project file and the shipped resources."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path

APP_NAME = "quote-entity-annotator"


def default_db_path() -> Path:
    return user_data_path(APP_NAME, appauthor=False) / "project.db"


def resolve_db(db: str | Path | None) -> str:
    """``--db``, else ``$ANNOTATOR_DB``, else the default file in the user data folder."""
    if db:
        return str(db)
    env = os.environ.get("ANNOTATOR_DB")
    if env:
        return env
    return str(default_db_path())


def resources_dir() -> Path:
    """``resources/`` next to the package in a checkout, or bundled inside it when frozen."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "resources", here.parent / "resources"):
        if candidate.is_dir():
            return candidate
    return here.parent / "resources"


def seeds_dir() -> Path:
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "seeds", here.parent / "seeds"):
        if candidate.is_dir():
            return candidate
    return here.parent / "seeds"
