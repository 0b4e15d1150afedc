"""The layer rules of docs/ARCHITECTURE.md, kept by tools rather than by memory.

import-linter and grimp are in the test extra: a missing one fails these tests instead of
skipping them, so the rules cannot stop being checked unnoticed.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import grimp
import pytest
from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent
CORE_CONTRACT = "core imports nothing of ours and no third-party library"


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    # no cache: a stale one could hide an import added a moment ago
    return grimp.build_graph("annotator", include_external_packages=True, cache_dir=None)


def _third_party(graph: grimp.ImportGraph, importer: str) -> list[str]:
    """Top-level names of the non-stdlib packages ``importer`` imports (also lazily)."""
    found = set()
    for imported in graph.find_modules_directly_imported_by(importer):
        top = imported.split(".")[0]
        if top != "annotator" and top not in sys.stdlib_module_names:
            found.add(top)
    return sorted(found)


def _where(graph: grimp.ImportGraph, importer: str, package: str) -> str:
    lines = [
        f"{d['importer']}:{d['line_number']} {d['line_contents']}"
        for imported in graph.find_modules_directly_imported_by(importer)
        if imported.split(".")[0] == package
        for d in graph.get_import_details(importer=importer, imported=imported)
    ]
    return "; ".join(lines) or importer


def test_import_contracts_hold(capsys: pytest.CaptureFixture[str]) -> None:
    # in-process, so it is the import-linter of this Python, reading this checkout
    code = lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True)
    out = capsys.readouterr().out
    assert code == 0, out
    assert "0 broken" in out, out


def test_core_imports_only_the_standard_library(graph: grimp.ImportGraph) -> None:
    core = sorted(m for m in graph.modules if (m + ".").startswith("annotator.core."))
    assert "annotator.core.model" in core
    offenders = [
        _where(graph, module, package) for module in core for package in _third_party(graph, module)
    ]
    ours = [
        f"{module} imports {imported}"
        for module in core
        for imported in graph.find_modules_directly_imported_by(module)
        if imported.startswith("annotator.") and not (imported + ".").startswith("annotator.core.")
    ]
    assert not offenders, "core may import only the standard library: " + "; ".join(offenders)
    assert not ours, "core may import nothing else of ours: " + "; ".join(ours)


def test_core_contract_names_every_library_the_project_imports(graph: grimp.ImportGraph) -> None:
    # the contract can only forbid what it names: a new dependency must be named there too
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    (contract,) = [c for c in contracts if c["name"] == CORE_CONTRACT]
    forbidden = set(contract["forbidden_modules"])
    used = {
        package
        for module in graph.modules
        if module.startswith("annotator")
        for package in _third_party(graph, module)
    }
    assert used, "the graph holds no third-party import at all: it was built wrongly"
    assert used <= forbidden, f"add to the core contract's forbidden_modules: {used - forbidden}"


def test_no_two_modules_import_each_other() -> None:
    # a pair importing each other (even inside a function) has no order to read or test in
    graph = grimp.build_graph("annotator", cache_dir=None)
    pairs = sorted(
        f"{a} <-> {b}"
        for a in graph.modules
        for b in graph.find_modules_directly_imported_by(a)
        if a < b and a in graph.find_modules_directly_imported_by(b)
    )
    assert not pairs, "modules that import each other: " + "; ".join(pairs)


MAX_MODULE_LINES = 600


def test_no_module_is_over_600_lines() -> None:
    # past that a module holds several jobs; migrations are generated and exempt
    package = ROOT / "annotator"
    long = sorted(
        f"{path.relative_to(ROOT)} ({n})"
        for path in package.rglob("*.py")
        if "migrations" not in path.relative_to(package).parts
        and (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    )
    assert not long, f"modules over {MAX_MODULE_LINES} lines: " + ", ".join(long)


def test_every_module_the_architecture_page_names_exists() -> None:
    """The page promises its names are real: a module moved without updating it fails here."""
    import re

    page = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`((?:[a-z_]+/)+[a-z_]+\.py)(?:::\w+)?`", page))
    assert len(named) > 40  # the pattern still reads the page
    missing = sorted(
        path
        for path in named
        if not (ROOT / path).exists() and not (ROOT / "annotator" / path).exists()
    )
    assert not missing, missing
