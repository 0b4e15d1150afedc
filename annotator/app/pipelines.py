"""The spaCy side the window needs, without the UI importing ``annotator.nlp``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.nlp import import_spacy, pipeline

if TYPE_CHECKING:
    from annotator.app.project import Project

    # at run time it imports spaCy, which the window loads in a worker, not at start;
    # re-exported for the UI's annotations
    from annotator.nlp.suggester import Suggester as Suggester

__all__ = ["import_spacy", "load_pipeline"]


def load_pipeline(project: Project, chosen: str | None = None) -> Suggester:
    """The suggester of ``chosen`` (``--model``), else of the pipeline a batch run chose.

    Finding out which pipelines are installed imports spaCy: call it in a worker."""
    # through the module: a test (or plugin) that replaces load_suggester is heard
    return pipeline.load_suggester(chosen or project.preferred_pipeline())
