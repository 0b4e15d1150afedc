"""spaCy's ``attribute_ruler`` applied as column operations, with the same result.

en_core_web_sm's attribute ruler (179 patterns: the tag map and its exceptions)
goes through spaCy's general ``Matcher``, which walks every pattern state over
every token: about a tenth of the whole pipeline's time. Its patterns are all of
fixed length, and each token test is a comparison of one attribute with a value,
a set or a regular expression. So a pattern matches where, for each of its
tokens, the attribute column (``Doc.to_array``) satisfies a test that depends on
the value alone: each test is answered once per distinct value (and remembered
across documents), and the writes are made like the ruler makes them, later
patterns over earlier ones, in one ``Doc.from_array``.

:func:`use_column_ruler` puts this in place of the pipeline's ruler only when
every pattern is of that kind; anything else (operators, extension attributes,
other keys) keeps spaCy's own. Tests compare the two on every attribute the ruler
writes, token by token.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from spacy.attrs import DEP, IDS, LEMMA, LOWER, MORPH, NORM, ORTH, POS, TAG
from spacy.language import Language
from spacy.tokens import Doc

RULER = "attribute_ruler"
COLUMN_RULER = "annotator_attribute_columns"

# token attributes a test may read: hashes of strings, compared as strings
_STRING_KEYS = {"ORTH": ORTH, "LOWER": LOWER, "NORM": NORM, "TAG": TAG, "DEP": DEP, "LEMMA": LEMMA}
# and flags, 0 or 1
_FLAG_KEYS = {"IS_SPACE", "IS_PUNCT", "IS_ALPHA", "IS_DIGIT", "IS_TITLE", "IS_UPPER", "IS_LOWER"}
# what the writes may set: token attributes only (the ruler also writes them to the
# lexeme, where none of these exists, so that write does nothing)
_WRITABLE = frozenset({POS, TAG, DEP, MORPH, LEMMA})


class Unsupported(ValueError):
    """A pattern this module does not apply: the pipeline keeps spaCy's ruler."""


@dataclass
class _Test:
    """One attribute of one pattern token: which column, and which values pass.

    Equality and set tests compare hashes, whole columns at once; a regular
    expression is asked once per distinct value and remembered across documents."""

    column: int  # index into the columns read
    kind: str  # "eq", "in", "not_in", "regex" or "flag"
    value: int = 0  # the hash for "eq", 0/1 for "flag"
    values: np.ndarray = field(default_factory=lambda: np.empty(0, np.uint64))  # "in", "not_in"
    search: Callable[[str], Any] | None = None
    seen: dict[int, bool] = field(default_factory=dict)

    def mask(self, values: np.ndarray, strings: Any) -> np.ndarray:
        if self.kind in ("eq", "flag"):
            return values == self.value
        if self.kind == "in":
            return np.isin(values, self.values)
        if self.kind == "not_in":
            return ~np.isin(values, self.values)
        unique, inverse = np.unique(values, return_inverse=True)
        seen, search = self.seen, self.search
        assert search is not None
        answers = np.empty(len(unique), dtype=bool)
        for i, value in enumerate(unique.tolist()):
            answer = seen.get(value)
            if answer is None:
                answer = seen[value] = search(strings[value]) is not None
            answers[i] = answer
        return answers[inverse]


def _test(column: int, spec: Any, strings: Any) -> _Test:
    if isinstance(spec, str):
        return _Test(column, "eq", value=strings.add(spec))
    if isinstance(spec, dict) and len(spec) == 1:
        ((op, arg),) = spec.items()
        if op in ("IN", "NOT_IN") and isinstance(arg, list):
            hashes = np.array(sorted({strings.add(str(v)) for v in arg}), dtype=np.uint64)
            return _Test(column, op.lower(), values=hashes)
        if op == "REGEX" and isinstance(arg, str):
            return _Test(column, "regex", search=re.compile(arg).search)
    raise Unsupported(f"token test {spec!r}")


@dataclass
class _Rule:
    """One ruler entry: its alternative patterns (each a list of token tests), the
    token of a match it writes (``index``, negative from the end) and what it writes."""

    patterns: list[list[list[_Test]]]
    index: int
    writes: list[tuple[int, int]]  # (write column, value)


class ColumnRuler:
    """Applies an ``AttributeRuler``'s patterns to whole columns (see the module)."""

    def __init__(self, ruler: Any) -> None:
        self.read: list[int | str] = []  # attribute ids of the columns read
        self.written: list[int | str] = []
        self.rules: list[_Rule] = []
        columns: dict[str, int] = {}

        def column(key: str) -> int:
            if key not in columns:
                columns[key] = len(self.read)
                self.read.append(_STRING_KEYS.get(key) or IDS[key])
            return columns[key]

        # the ruler keys its entries by str(position) and applies them in that order
        for position, (attrs, index) in enumerate(zip(ruler.attrs, ruler.indices, strict=True)):
            got = ruler.matcher.get(str(position))
            if got is None:
                raise Unsupported(f"entry {position} has no patterns")
            patterns = []
            for pattern in got[1]:
                tokens = []
                for spec in pattern:
                    tests = []
                    for key, value in spec.items():
                        if key in _STRING_KEYS:
                            tests.append(_test(column(key), value, ruler.vocab.strings))
                        elif key in _FLAG_KEYS and isinstance(value, bool):
                            tests.append(_Test(column(key), "flag", value=int(value)))
                        else:
                            raise Unsupported(f"token key {key!r}")
                    tokens.append(tests)
                if not tokens:
                    raise Unsupported("an empty pattern")
                patterns.append(tokens)
            writes = []
            for attr, value in attrs.items():
                if attr not in _WRITABLE:
                    raise Unsupported(f"a write of attribute {attr!r}")
                if attr not in self.written:
                    self.written.append(attr)
                writes.append((self.written.index(attr), int(value)))
            self.rules.append(_Rule(patterns, int(index), writes))

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if n == 0 or not self.rules:
            return doc
        strings = doc.vocab.strings
        read = doc.to_array(self.read).reshape((n, len(self.read)))
        out = doc.to_array(self.written).reshape((n, len(self.written)))
        before = out.copy()
        # every pattern is matched against the document as it came in, as the
        # ruler's matcher runs before any write; later entries overwrite earlier
        for rule in self.rules:
            targets = None
            for tokens in rule.patterns:
                length = len(tokens)
                if length > n:
                    continue
                starts = np.ones(n - length + 1, dtype=bool)
                for offset, tests in enumerate(tokens):
                    for test in tests:
                        starts &= test.mask(
                            read[offset : n - length + 1 + offset, test.column], strings
                        )
                hit = np.flatnonzero(starts)
                if not len(hit):
                    continue
                # span[index]: from the start, or from the end when negative
                hit = hit + (rule.index if rule.index >= 0 else length + rule.index)
                targets = hit if targets is None else np.union1d(targets, hit)
            if targets is None or not len(targets):
                continue
            if targets.min() < 0 or targets.max() >= n:
                raise Unsupported("an index outside its match")
            for col, value in rule.writes:
                out[targets, col] = value
        changed = [
            i for i in range(len(self.written)) if not np.array_equal(out[:, i], before[:, i])
        ]
        if changed:
            doc.from_array([self.written[i] for i in changed], out[:, changed])  # type: ignore[arg-type]
        return doc


@Language.factory(COLUMN_RULER)
def make_column_ruler(nlp: Language, name: str) -> ColumnRuler:
    return ColumnRuler(nlp.get_pipe(RULER))


def use_column_ruler(nlp: Language) -> bool:
    """Put a :class:`ColumnRuler` in place of the pipeline's enabled ``attribute_ruler``
    when every pattern of it is supported; True when it did (or had)."""
    if COLUMN_RULER in nlp.pipe_names:
        return True
    if RULER not in nlp.pipe_names or type(nlp.get_pipe(RULER)).__name__ != "AttributeRuler":
        return False
    try:
        nlp.add_pipe(COLUMN_RULER, after=RULER)
    except Unsupported:
        return False
    nlp.disable_pipe(RULER)
    return True
