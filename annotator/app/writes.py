"""The one error path of every write the facade makes."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import OperationalError

from annotator.app.errors import StorageUnavailable
from annotator.storage.base import ConflictError
from annotator.storage.engine import WriteFailedError

T = TypeVar("T")


def guarded(fn: Callable[[], T]) -> T:
    """Run one write; a database that cannot be written now (locked, disk full, gone)
    raises ``StorageUnavailable``, so the window keeps the edit and retries. A conflict
    and a refused value pass through as they are."""
    try:
        return fn()
    except ConflictError:
        raise
    except OperationalError as exc:
        raise StorageUnavailable(f"The database cannot be written: {exc.orig}") from exc
    except WriteFailedError as exc:
        raise StorageUnavailable(str(exc.args[0])) from exc
