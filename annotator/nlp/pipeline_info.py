"""What names a loaded pipeline: its package name, version and entity labels.
Apart from the loader so that the suggester can name its pipeline without
importing the loader that builds suggesters."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PipelineInfo:
    name: str
    version: str
    path: str | None
    ner_labels: tuple[str, ...]
    kind: str  # "spacy" | "rules"

    @property
    def key(self) -> str:
        """Stable id used in annotation-set names ("suggestions:<key>")."""
        return f"{self.name}-{self.version}"
