"""The export formats the window offers, without the UI importing ``annotator.formats``."""

from __future__ import annotations

from annotator.formats.registry import WRITERS

__all__ = ["export_formats"]


def export_formats() -> dict[str, str]:
    """Each export format's name and the extension of the file it writes, in menu order."""
    return {name: ext for name, (_factory, ext) in WRITERS.items()}
