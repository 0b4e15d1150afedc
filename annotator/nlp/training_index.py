"""Which folder a trained model's name means: ``--model NAME`` anywhere on this machine.

``annotator train`` records each model in its project (settings) and here, in one JSON
file of the user's data folder (``$ANNOTATOR_MODELS_INDEX`` names another): name ->
its versions' folders. ``NAME`` is the latest version, ``NAME-vN`` one version, and so is
``<lang>_NAME-N``, the pipeline key its suggestion set is named after. The
pipeline loader asks ``lookup`` for a name that is neither an installed package nor a
folder; a folder that no longer exists is not found.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from pathlib import Path
from typing import Any

INDEX_ENV = "ANNOTATOR_MODELS_INDEX"
APP_NAME = "quote-entity-annotator"  # the user data folder's name (app/paths.APP_NAME)


def index_path() -> Path:
    env = os.environ.get(INDEX_ENV)
    if env:
        return Path(env)
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False) / "trained_models.json"


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def register(name: str, version: int, folder: Path) -> None:
    """Remember ``folder`` as version ``version`` of ``name`` (written by a rename)."""
    path = index_path()
    data = _read(path)
    versions = data.setdefault(name, {})
    versions[str(version)] = str(Path(folder).resolve())
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=True), encoding="utf-8")
    tmp.replace(path)


def lookup(name: str) -> str | None:
    """The folder of ``NAME`` (its latest version still on disk) or ``NAME-vN``."""
    data = _read(index_path())
    wanted: str | None = None
    base = name
    key = re.fullmatch(r"[a-z]{2,3}_(\w+)-(\d+)", name)  # a suggestion set's "en_NAME-N"
    if "-v" in name:
        head, _, tail = name.rpartition("-v")
        if tail.isdigit() and head in data:
            base, wanted = head, tail
    elif key is not None and key.group(1) in data:
        base, wanted = key.group(1), key.group(2)
    versions = data.get(base)
    if not isinstance(versions, dict):
        return None
    order = [wanted] if wanted is not None else sorted(versions, key=_as_int, reverse=True)
    for v in order:
        folder = versions.get(v)
        if isinstance(folder, str) and (Path(folder) / "meta.json").exists():
            return folder
    return None


def _as_int(text: str) -> int:
    with contextlib.suppress(ValueError):
        return int(text)
    return -1
