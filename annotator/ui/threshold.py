"""The display threshold the annotator chooses: View ▸ Show suggestions from precision….

Suggestions under the threshold are hidden until L shows them. Once a calibration fit
is saved (``annotator evaluate --calibration … --save-calibration``) the confidences
are measured precisions, so the threshold is the precision the annotator wants; the
status bar says which it is. The choice is a project setting (``Project.
set_display_threshold``), so it comes back when the project is opened again.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QInputDialog, QLabel, QStatusBar, QWidget

from annotator.app.project import Project
from annotator.ui.editor import AnnotationEditor

PRESETS = (0.3, 0.5, 0.7, 0.8, 0.9)


class ThresholdControl(QObject):
    """Reads the project's threshold into the editor, lets the window change it and
    keeps the status bar's words about it."""

    def __init__(
        self, project: Project, editor: AnnotationEditor, status: QStatusBar, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.project = project
        self.editor = editor
        self.window = parent
        self.label = QLabel()
        self.label.setObjectName("thresholdLabel")
        status.addPermanentWidget(self.label)
        editor.threshold = project.display_threshold()
        self.update_label()

    @property
    def value(self) -> float:
        return self.editor.threshold

    def text(self) -> str:
        calibrated = self.project.suggestions_calibrated()
        what = "precision" if calibrated else "confidence"
        how = "calibrated" if calibrated else "uncalibrated scores"
        return f"showing suggestions with {what} ≥ {self.value:.2f} ({how})"

    def update_label(self) -> None:
        self.label.setText(self.text())
        self.label.setToolTip(
            "View ▸ Show suggestions from precision… chooses it; L shows the others"
        )

    def apply(self, value: float) -> None:
        """Save ``value`` in the project and redraw the article with it."""
        self.project.set_display_threshold(value)
        self.editor.set_threshold(self.project.display_threshold())
        self.update_label()

    def choose(self) -> None:
        """The small dialog: a number from 0 to 1, two decimals."""
        value, ok = QInputDialog.getDouble(
            self.window,
            "Show suggestions from precision",
            "Show suggestions whose precision (calibrated confidence) is at least:\n"
            f"(presets: {', '.join(f'{p:.1f}' for p in PRESETS)}; L shows the others)",
            self.value,
            0.0,
            1.0,
            2,
        )
        if ok:
            self.apply(value)
