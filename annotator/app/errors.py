"""Errors the app layer raises for the UI and CLI to show."""

from __future__ import annotations

from annotator.agreement.errors import AgreementError
from annotator.storage.engine import SchemaTooNewError, StorageError
from annotator.storage.repository import ConflictError


class StorageUnavailable(StorageError):
    """The database cannot be written right now (locked, disk full, file removed)."""

    code = "E220"


__all__ = [
    "AgreementError",
    "ConflictError",
    "SchemaTooNewError",
    "StorageError",
    "StorageUnavailable",
]
