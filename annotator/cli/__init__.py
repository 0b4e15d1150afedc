"""The ``annotator`` command: opens the window, or runs a headless subcommand."""

from __future__ import annotations

# Each module registers its commands on ``app`` when imported (one line each, so
# adding a command group never touches another's line).
from annotator.cli import (
    commands_db,  # noqa: F401
    commands_export,  # noqa: F401
    commands_import,  # noqa: F401
    commands_options,  # noqa: F401
    commands_review,  # noqa: F401
    commands_smoke,  # noqa: F401
    commands_suggest,  # noqa: F401
    commands_train,  # noqa: F401
)
from annotator.cli.common import app, main

__all__ = ["app", "main"]
