"""Suggestions shown with the precision measured for them, not their raw score.

``annotator evaluate --save-calibration`` keeps a fit of a suggestion set's scores
against a reference (``annotator.agreement.calibration``); a suggestion merged into a
person's annotation then carries the precision measured at its score, so the window's
threshold (0.5) means "right at least half the time" whatever the pipeline's scale.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from annotator.core import Annotation

if TYPE_CHECKING:
    from annotator.agreement.calibration import Calibration

SETTING_PREFIX = "calibration:"  # + the suggestion set's name


class CalibrationCache:
    """Each set's stored calibration, read once: one saved by another process counts
    from the next start (opening an article reads no extra row)."""

    def __init__(self, setting: Callable[[str], str | None]) -> None:
        self._setting = setting
        self._found: dict[str, Calibration | None] = {}

    def clear(self) -> None:
        self._found.clear()

    def get(self, set_name: str) -> Calibration | None:
        if set_name not in self._found:
            raw = self._setting(SETTING_PREFIX + set_name)
            if raw is None:
                self._found[set_name] = None
            else:
                # The fit is read only where one was saved: most projects never import it.
                from annotator.agreement.calibration import Calibration

                self._found[set_name] = Calibration.loads(raw)
        return self._found[set_name]

    def apply(self, suggested: Annotation) -> Annotation:
        cal = self.get(suggested.annotator)
        return cal.calibrate_all(suggested) if cal is not None else suggested
