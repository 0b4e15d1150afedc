"""Start-up of the command line: importing it loads no database or NLP library.

Every command pays its imports; the command modules import the app, storage and
their libraries (SQLAlchemy, Alembic, spaCy) inside the command functions, so
``annotator --version`` or ``--help`` costs typer and rich only, and a command
imports what it uses.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = {"sqlalchemy", "alembic", "mako", "spacy", "numpy", "PySide6"}


def _loaded_after(code: str) -> set[str]:
    probe = f"import sys\n{code}\nprint(' '.join(sorted({{m.split('.')[0] for m in sys.modules}})))"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True
    )
    return set(result.stdout.split())


def test_importing_the_cli_loads_no_heavy_library() -> None:
    assert _loaded_after("import annotator.cli") & HEAVY == set()


def test_version_loads_no_heavy_library() -> None:
    code = "from annotator.cli import main\nassert main(['--version']) == 0"
    assert _loaded_after(code) & HEAVY == set()
