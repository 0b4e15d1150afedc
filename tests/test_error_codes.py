"""Every error code in annotator/ is registered once and raised only where it belongs.

The sources are read as syntax trees, so comments and prose mentioning a code (spaCy's
E088, say) do not count. A code is *raised* at a ``[E123]`` in a string, a
``code="E123"`` keyword, a ``code = "E123"`` class attribute or an ``Error.of("E123")``
call; any other string that is exactly a code is a reference (a comparison, a constant)
and only has to be registered.
"""

from __future__ import annotations

import ast
import importlib.util
import re
import string
from dataclasses import dataclass
from pathlib import Path

from annotator.core.errors import ERRORS, REGISTRY, duplicate_codes

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "annotator"
CODE = re.compile(r"E\d{3}")
IN_MESSAGE = re.compile(r"\[(E\d{3})\]")


@dataclass(frozen=True)
class Site:
    code: str
    module: str
    path: str  # relative to the repository, with the line: "annotator/x.py:12"
    raised: bool
    error_class: str | None = None  # the class constructed or defined, where known
    defines_class: bool = False  # a class attribute ``code = ...``
    fields: frozenset[str] | None = None  # keyword names of an ``.of(...)`` call


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _called_class(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        if func.attr == "of":
            return _called_class(func.value)
        return func.attr
    return None


def _code_of(node: ast.expr | None) -> str | None:
    if (
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and CODE.fullmatch(node.value)
    ):
        return node.value
    return None


def _scan(path: Path) -> list[Site]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    module = _module_name(path)
    rel = path.relative_to(ROOT).as_posix()
    sites: list[Site] = []
    claimed: set[int] = set()  # id() of constants already counted as a raise

    def add(
        code: str,
        node: ast.stmt | ast.expr,
        raised: bool,
        error_class: str | None = None,
        defines_class: bool = False,
        fields: frozenset[str] | None = None,
    ) -> None:
        where = f"{rel}:{node.lineno}"
        sites.append(Site(code, module, where, raised, error_class, defines_class, fields))

    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            for stmt in node.body:
                value = None
                if (
                    isinstance(stmt, ast.Assign)
                    and any(isinstance(t, ast.Name) and t.id == "code" for t in stmt.targets)
                ) or (
                    isinstance(stmt, ast.AnnAssign)
                    and isinstance(stmt.target, ast.Name)
                    and stmt.target.id == "code"
                ):
                    value = stmt.value
                code = _code_of(value)
                if code is not None and value is not None:
                    claimed.add(id(value))
                    add(code, stmt, True, error_class=node.name, defines_class=True)
        elif isinstance(node, ast.Call):
            cls = _called_class(node.func)
            is_of = isinstance(node.func, ast.Attribute) and node.func.attr == "of"
            if is_of and node.args:
                code = _code_of(node.args[0])
                if code is not None:
                    claimed.add(id(node.args[0]))
                    names = frozenset(k.arg for k in node.keywords if k.arg is not None)
                    add(code, node, True, error_class=cls, fields=names)
            for kw in node.keywords:
                code = _code_of(kw.value) if kw.arg == "code" else None
                if code is not None:
                    claimed.add(id(kw.value))
                    add(code, node, True, error_class=cls)
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            continue
        if id(node) in claimed:
            continue
        for code in IN_MESSAGE.findall(node.value):
            add(code, node, True)
        if CODE.fullmatch(node.value):
            add(node.value, node, False)
    return sites


def _sites() -> list[Site]:
    out: list[Site] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        out.extend(_scan(path))
    return out


SITES = _sites()


def _within(module: str, owner: str) -> bool:
    return module == owner or module.startswith(owner + ".")


def test_error_codes_registered_once() -> None:
    assert duplicate_codes() == []
    assert all(CODE.fullmatch(e.code) for e in REGISTRY)
    for e in REGISTRY:
        assert importlib.util.find_spec(e.owner) is not None, f"{e.code}: no module {e.owner}"


def test_error_codes_every_code_in_the_sources_is_registered() -> None:
    missing = sorted({f"{s.code} at {s.path}" for s in SITES if s.code not in ERRORS})
    assert missing == [], "register these codes in annotator/core/errors.py"


def test_error_codes_found_in_the_sources() -> None:
    # the scanner itself: a few sites every version of the program has
    raised = {(s.code, s.module) for s in SITES if s.raised}
    assert ("E100", "annotator.core.errors") in raised
    assert any(code == "E620" for code, _ in raised)


def test_error_codes_each_raised_only_in_its_owner_package() -> None:
    wrong = [
        f"{s.path}: {s.code} is registered to {ERRORS[s.code].owner} ({ERRORS[s.code].meaning!r})"
        for s in SITES
        if s.raised and s.code in ERRORS and not _within(s.module, ERRORS[s.code].owner)
    ]
    assert wrong == [], "one code, one package: give these their own code"


def test_error_codes_of_a_class_are_not_reused_for_other_errors() -> None:
    # a code that is an error class's own (``code = "E400"``) means that class; raising
    # it from another class is a second meaning under the same code
    owner_class = {s.code: s for s in SITES if s.defines_class}
    wrong = [
        f"{s.path}: {s.code} raised as {s.error_class or 'a message'}, but it is the code of "
        f"{owner_class[s.code].error_class} ({owner_class[s.code].path})"
        for s in SITES
        if s.raised
        and not s.defines_class
        and s.code in owner_class
        and s.error_class != owner_class[s.code].error_class
    ]
    assert wrong == [], "one code, one meaning: give these their own code"


def test_error_codes_templates_get_their_fields() -> None:
    formatter = string.Formatter()
    for s in SITES:
        if s.fields is None:
            continue
        entry = ERRORS[s.code]
        assert entry.template, f"{s.path}: {s.code} has no template to fill"
        wanted = {name for _, name, _, _ in formatter.parse(entry.meaning) if name}
        assert s.fields == wanted, f"{s.path}: {s.code} needs {sorted(wanted)}"
