"""The agreement package's errors; codes and messages are registered in core/errors.py."""

from __future__ import annotations

from annotator.core.errors import AnnotatorError


class AgreementError(AnnotatorError, ValueError):
    """Inputs the figures cannot be computed from.

    A ``ValueError`` too, as these were before they had a class of their own, so callers
    that catch ``ValueError`` keep working.
    """

    code = "E600"


class NoSuchConfusionError(AgreementError, KeyError):
    """A confusion matrix asked for a pair or layer the report does not hold.

    A ``KeyError`` too: the report looks the matrix up like a mapping, as it always did.
    """

    code = "E621"


__all__ = ["AgreementError", "NoSuchConfusionError"]
