"""spaCy-backed NLP: tokenization, pipelines and suggestions (no Qt, no storage)."""

from __future__ import annotations

import threading
from types import ModuleType

_import_lock = threading.Lock()


def import_spacy() -> ModuleType:
    """Import spaCy once per process, from any thread.

    Two threads importing spaCy for the first time at once (the window's model loader
    and a document opener) can see a partially initialised ``spacy.strings``; one lock
    around the first import prevents it."""
    with _import_lock:
        import spacy

        return spacy
