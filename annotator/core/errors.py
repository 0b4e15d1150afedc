"""Errors with a code and a message that says what to do (spaCy's convention).

Every code the program reports is registered in ``ERRORS`` below, once, with the package
that raises it and what it means, so that a code found in a log or a bug report points at
exactly one cause. ``tests/test_error_codes.py`` checks the sources against this table.

Ranges, one per layer, so a new code is picked from its own package's range:

- ``E0xx`` the base class; ``E1xx`` core (data model, operations, notes);
- ``E2xx`` storage (and the app's storage wrappers);
- ``E3xx`` nlp, formats and export; ``E4xx``-``E5xx`` app use cases;
- ``E6xx`` agreement figures.

Where a code's message is written here as a template (the agreement codes), the raising
code calls ``SomeError.of(code, **fields)`` and the text lives in one place; elsewhere the
message is written at the raise and ``meaning`` describes it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Self


@dataclass(frozen=True)
class ErrorCode:
    """One registered code: who raises it and what it means."""

    code: str
    owner: str  # dotted package (or module) where the code may be raised
    meaning: str  # a message template when ``template`` is true, else a description
    template: bool = False

    def text(self, **fields: object) -> str:
        if not self.template:
            raise TypeError(f"{self.code} has no message template; write the message.")
        return self.meaning.format(**fields)


def _codes(owner: str, *entries: tuple[str, str]) -> tuple[ErrorCode, ...]:
    return tuple(ErrorCode(code, owner, meaning) for code, meaning in entries)


def _templates(owner: str, *entries: tuple[str, str]) -> tuple[ErrorCode, ...]:
    return tuple(ErrorCode(code, owner, text, template=True) for code, text in entries)


_CORE = "annotator.core"
_STORAGE = "annotator.storage"
_APP = "annotator.app"

REGISTRY: tuple[ErrorCode, ...] = (
    ErrorCode("E000", _CORE, "An error with no more specific code."),
    *_codes(
        _CORE,
        ("E100", "A span, relation or annotation breaks a rule of the data model."),
        ("E101", "Tokens are empty or out of order."),
        ("E102", "Stored tokens use an unknown encoding; the document must be re-tokenized."),
        ("E103", "A span to snap to tokens lies outside the text."),
        ("E110", "A span is empty or lies outside the text."),
        ("E111", "A span has no label."),
        ("E112", "A span does not start and end on token boundaries."),
        ("E113", "An annotation holds the same span twice."),
        ("E114", "Two entities overlap."),
        ("E115", "A relation points at a span that is not in the annotation."),
        ("E116", "A label name breaks the naming rules."),
        ("E120", "The span to add already exists."),
        ("E121", "An entity would overlap another entity."),
        ("E122", "The span an edit applies to is no longer there."),
        ("E123", "The quote or the span to link to it is no longer there."),
        ("E124", "A quote cannot be its own speaker or cue."),
        ("E125", "Only undecided suggestions can be withdrawn."),
        ("E130", "A note is longer than a note may be."),
        ("E131", "A note contains a NUL character."),
    ),
    *_codes(
        _STORAGE,
        ("E200", "The database cannot be opened or used."),
        ("E201", "The database was written by a newer version of the program."),
        ("E202", "No document with that id (or it was deleted meanwhile)."),
        ("E205", "The tables do not match the models: the schema is damaged."),
        ("E210", "Someone else saved the annotation since it was loaded."),
        ("E211", "The annotation was never saved."),
        ("E212", "Writing to the database failed; the app reports it as unavailable."),
        ("E213", "A relation points at a span that is missing."),
        ("E214", "The database server refused the data; nothing was written."),
        ("E215", "The annotation could not be stored."),
        ("E230", "Source and target of a copy are the same database."),
        ("E231", "The database is not an SQLite file."),
        ("E232", "A backup cannot overwrite the project itself."),
        ("E233", "The backup could not be made."),
    ),
    *_codes(
        _APP,
        ("E220", "The database cannot be written right now (locked, disk full, removed)."),
        ("E234", "The target file already exists (use --force to replace it)."),
        ("E303", "The article is too long for suggestions while annotating."),
        ("E330", "The export cannot be made."),
        ("E331", "It is not clear whose annotations to export (--annotator or --gold)."),
        ("E332", "Unknown --status for the export."),
        ("E333", "The train/dev split cannot be made as asked."),
        ("E334", "Nothing to export for that annotator and status."),
        ("E335", "--fallback is given without --gold."),
        ("E336", "An export file could not be written."),
        ("E339", "Unknown --layer for the export."),
        ("E400", "A label key binding cannot be made."),
        ("E401", "No annotation set of that name to evaluate."),
        ("E402", "A chart cannot be drawn in that file format."),
        ("E500", "No annotator is named for the assignment."),
        ("E501", "--overlap is not between 1 and the number of annotators."),
        ("E510", "No annotator of that name."),
        ("E511", "Agreement needs two or more annotators."),
        ("E512", "The source annotator has not annotated the document."),
        ("E513", "No annotator to fall back to."),
        ("E520", "Nothing to train on: no finished annotations in the chosen set."),
        ("E521", "--from names no annotator of the project, or --from and --gold are both given."),
        ("E522", "The held-out split or the learning curve cannot be made as asked."),
        ("E523", "A trained model's name or output folder cannot be used."),
    ),
    *_codes(
        "annotator.cli",
        ("E337", "Some documents cannot be exported as asked; nothing was written."),
        ("E338", "An import or export option is not valid."),
    ),
    *_codes(
        "annotator.nlp",
        ("E301", "An NLP resource file cannot be read."),
        ("E302", "A spaCy pipeline cannot be loaded."),
        ("E304", "No installed spaCy pipeline of that name or path."),
        ("E370", "A training config cannot be made, or a --set override names no setting."),
        ("E371", "spaCy's training failed (a bad config value, no usable examples)."),
        ("E372", "The trained pipeline cannot be assembled, saved or loaded."),
    ),
    *_codes(
        "annotator.formats",
        ("E300", "Unknown import or export format."),
        ("E320", "A span or relation cannot be written without losing it."),
        ("E321", "A writer cannot write the export."),
        ("E360", "The brat export's target is a file, or a folder holding other files."),
        ("E350", "A spaCy training config cannot be made or written."),
    ),
    ErrorCode("E600", "annotator.agreement", "The agreement figures cannot be computed."),
    *_templates(
        "annotator.agreement",
        ("E601", "Unknown match mode {mode!r}; use 'exact' or 'overlap'."),
        ("E602", "Both raters need the same items; got {a} and {b}."),
        ("E603", "Cohen's kappa needs at least one item."),
        ("E604", "Fleiss' kappa needs a non-empty items x categories table."),
        (
            "E605",
            "Fleiss' kappa needs the same number (2 or more) of ratings for every item; "
            "use krippendorff_alpha_nominal for missing ratings.",
        ),
        ("E606", "Fleiss' kappa needs items and at least two raters."),
        ("E607", "Fleiss' kappa cannot take missing ratings."),
        ("E608", "Fleiss' kappa needs at least one item."),
        ("E609", "Every item needs the same number of ratings."),
        ("E610", "Unitizing alpha needs at least two raters."),
        ("E611", "The continuum must have a positive length."),
        ("E612", "Unit {start}-{end} lies outside the continuum {begin}-{stop} or is empty."),
        ("E620", "Agreement needs two or more annotators; got {annotators}."),
        ("E621", "No confusion matrix for {a!r} x {b!r} in layer {layer!r}."),
        ("E622", "Unknown layer {layer!r}; use one of {layers} or None."),
        ("E623", "The stored calibration cannot be read: {why}."),
        ("E624", "A calibration needs one or more score buckets; got {bins}."),
    ),
)

ERRORS: Mapping[str, ErrorCode] = {e.code: e for e in REGISTRY}


def duplicate_codes() -> list[str]:
    """Codes registered more than once (the table above must have none)."""
    return sorted(code for code, n in Counter(e.code for e in REGISTRY).items() if n > 1)


class AnnotatorError(Exception):
    """Base class of every error the program reports to a person."""

    code: str = "E000"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        if code is not None:
            self.code = code
        super().__init__(message)

    def __str__(self) -> str:
        return f"[{self.code}] {self.args[0]}"

    @classmethod
    def of(cls, code: str, **fields: object) -> Self:
        """The error ``code`` with its registered message template filled in."""
        return cls(ERRORS[code].text(**fields), code=code)


class ValidationError(AnnotatorError):
    """A span, relation or annotation breaks a rule of the data model."""

    code = "E100"


__all__ = [
    "ERRORS",
    "REGISTRY",
    "AnnotatorError",
    "ErrorCode",
    "ValidationError",
    "duplicate_codes",
]
