"""SQLAlchemy 2.0 storage. ORM objects never leave this package: it returns ``core`` dataclasses."""

from annotator.storage.engine import Database, SchemaTooNewError, StorageError

__all__ = ["Database", "SchemaTooNewError", "StorageError"]
