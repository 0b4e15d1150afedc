"""Per-user settings (QSettings): window geometry, last and recent projects, annotator name,
the last export folder.

Always INI files in the user scope, so tests can redirect them with
``QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, tmp_path)``.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings

ORGANIZATION = "QuoteEntityAnnotator"
APPLICATION = "annotator"
MAX_RECENT = 8


def settings() -> QSettings:
    return QSettings(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION
    )


def recent_projects() -> list[str]:
    value = settings().value("recent", [])
    if isinstance(value, str):  # QSettings returns a bare string for one-item lists
        value = [value]
    return [str(v) for v in value] if isinstance(value, list | tuple) else []


def remember_project(url: str) -> None:
    from annotator.app.maintenance import url_to_remember

    url = url_to_remember(url)  # never a password in the settings file
    s = settings()
    recent = [url] + [r for r in recent_projects() if r != url]
    s.setValue("recent", recent[:MAX_RECENT])
    s.setValue("last_project", url)


def last_project() -> str | None:
    value = settings().value("last_project")
    return str(value) if value else None


def annotator_name() -> str | None:
    value = settings().value("annotator")
    return str(value) if value else None


def set_annotator_name(name: str) -> None:
    settings().setValue("annotator", name)


def last_export_folder() -> str | None:
    value = settings().value("last_export_folder")
    return str(value) if value else None


def set_last_export_folder(folder: str) -> None:
    settings().setValue("last_export_folder", folder)
