"""The ``annotator`` command: opens the window, or runs a headless subcommand."""

from __future__ import annotations

from annotator.cli.common import app, main

# Each module registers its commands on ``app`` when imported.
from annotator.cli import commands_db, commands_export, commands_import, commands_suggest  # noqa: F401  isort: skip

__all__ = ["app", "main"]
