"""Errors with a code and a message that says what to do (spaCy's convention)."""

from __future__ import annotations


class AnnotatorError(Exception):
    """Base class of every error the program reports to a person."""

    code: str = "E000"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        if code is not None:
            self.code = code
        super().__init__(message)

    def __str__(self) -> str:
        return f"[{self.code}] {self.args[0]}"


class ValidationError(AnnotatorError):
    """A span, relation or annotation breaks a rule of the data model."""

    code = "E100"
