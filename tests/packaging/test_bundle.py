"""The desktop bundle: build it with the documented command, then start it.

The build takes a few minutes, so those tests are marked slow:
``python3 -m pip install -e ".[test,packaging]" && python3 -m pytest -m slow tests/packaging``.
The desktop entry and icon checks are quick and run with the normal test run.
"""

from __future__ import annotations

import configparser
import os
import shutil
import struct
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import annotator

ROOT = Path(__file__).resolve().parents[2]
RESOURCES = ROOT / "resources"
SEEDS = ROOT / "seeds"


# -- desktop entry and icon (quick) ------------------------------------------------------


def test_desktop_entry_is_complete() -> None:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(RESOURCES / "annotator.desktop", encoding="utf-8")
    entry = parser["Desktop Entry"]
    assert entry["Type"] == "Application"
    assert entry["Name"] == "Quote & Entity Annotator"
    assert entry["Exec"].split()[0] == "annotator"
    assert entry["Terminal"] == "false"
    assert entry["Categories"].endswith(";")
    # the icon name packaging/install-desktop-entry.sh installs
    assert entry["Icon"] == "quote-entity-annotator"


def test_icon_png_is_256_px_and_matches_the_svg() -> None:
    png = (RESOURCES / "icon.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert (width, height) == (256, 256)
    svg = (RESOURCES / "icon.svg").read_text(encoding="utf-8")
    assert 'viewBox="0 0 256 256"' in svg


def test_smoke_command_opens_the_window_from_the_checkout(tmp_path: Path) -> None:
    """``annotator smoke`` as installed (no bundle): a new database, the rule pipeline."""
    db = tmp_path / "x.db"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path)}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from annotator.cli import main; sys.exit(main())",
            "smoke",
            "--db",
            str(db),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "pipeline rules: ready" in result.stdout
    assert result.stdout.rstrip().endswith("smoke: ok")
    assert db.is_file()


# -- the bundle (slow) -------------------------------------------------------------------


@dataclass
class Bundle:
    exe: Path
    build_seconds: float

    @property
    def internal(self) -> Path:
        return self.exe.parent / "_internal"


def _clean_env(tmp: Path) -> dict[str, str]:
    """The environment of a person's desktop: nothing pointing into this checkout."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"PYTHONPATH", "PYTHONHOME", "ANNOTATOR_RESOURCES", "ANNOTATOR_DB"}
    }
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["HOME"] = str(tmp / "home")
    env["XDG_CONFIG_HOME"] = str(tmp / "home" / ".config")
    env["XDG_DATA_HOME"] = str(tmp / "home" / ".local" / "share")
    (tmp / "home").mkdir(exist_ok=True)
    return env


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bundle]:
    pytest.importorskip("PyInstaller", reason='needs pip install -e ".[packaging]"')
    tmp = tmp_path_factory.mktemp("bundle")
    start = time.monotonic()
    # The documented build command (README, "Packaging"), into a temporary folder.
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "packaging" / "build.py"),
            "--dist",
            str(tmp / "dist"),
            "--work",
            str(tmp / "work"),
        ],
        check=True,
        timeout=1200,
    )
    exe = tmp / "dist" / "annotator" / "annotator"
    assert exe.is_file()
    yield Bundle(exe, time.monotonic() - start)
    shutil.rmtree(tmp / "work", ignore_errors=True)


def _run(
    bundle: Bundle, tmp: Path, *args: str, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(bundle.exe), *args],
        cwd=tmp,  # not the checkout: the bundle must not find our sources
        env=_clean_env(tmp),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    print(f"$ annotator {' '.join(args)}  -> {result.returncode}")
    print(result.stdout, result.stderr, sep="\n")
    return result


@pytest.mark.slow
def test_bundle_answers_version_quickly(bundle: Bundle, tmp_path: Path) -> None:
    start = time.monotonic()
    result = _run(bundle, tmp_path, "--version")
    elapsed = time.monotonic() - start
    assert result.returncode == 0
    assert result.stdout.strip() == f"annotator {annotator.__version__}"
    assert elapsed < 20, f"--version took {elapsed:.1f} s"


@pytest.mark.slow
def test_bundle_holds_resources_and_migrations_not_heavy_extras(bundle: Bundle) -> None:
    internal = bundle.internal
    for name in ("cues.json", "gazetteer.json", "annotator.desktop", "icon.png", "icon.svg"):
        assert (internal / "resources" / name).is_file(), name
    assert len(list((internal / "seeds").glob("*.txt"))) == 5
    migrations = internal / "annotator" / "storage" / "migrations"
    assert (migrations / "env.py").is_file()
    assert sorted(p.name for p in (migrations / "versions").glob("*.py"))
    for heavy in ("torch", "tensorflow", "scipy", "pandas", "sklearn", "botocore"):
        assert not (internal / heavy).exists(), heavy
    assert not list(internal.glob("en_core_web*")), "trained pipelines are not bundled"
    files = [f for f in bundle.exe.parent.rglob("*") if f.is_file() and not f.is_symlink()]
    size = sum(f.stat().st_size for f in files)
    print(f"bundle {size / 2**20:.0f} MiB, built in {bundle.build_seconds:.0f} s")
    assert size < 350 * 2**20


@pytest.mark.slow
def test_bundle_smoke_opens_the_window_on_a_new_database(bundle: Bundle, tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    result = _run(bundle, tmp_path, "smoke", "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert "shown on offscreen" in result.stdout
    assert "pipeline rules: ready" in result.stdout
    assert result.stdout.rstrip().endswith("smoke: ok")
    assert db.is_file()  # created and migrated by the bundled Alembic scripts


@pytest.mark.slow
def test_bundle_imports_suggests_with_rules_and_shows_the_article(
    bundle: Bundle, tmp_path: Path
) -> None:
    db = str(tmp_path / "seeded.db")
    imported = _run(bundle, tmp_path, "--db", db, "import", str(SEEDS))
    assert imported.returncode == 0, imported.stderr
    assert "imported 5 documents" in imported.stdout

    models = _run(bundle, tmp_path, "models")
    assert models.returncode == 0, models.stderr
    assert "rules" in models.stdout

    # the rule suggester: spacy.blank("en") + resources/*.json, inside the bundle
    suggested = _run(bundle, tmp_path, "--db", db, "suggest", "--model", "rules")
    assert suggested.returncode == 0, suggested.stderr

    shot = tmp_path / "window.png"
    smoke = _run(bundle, tmp_path, "smoke", "--db", db, "--screenshot", str(shot))
    assert smoke.returncode == 0, smoke.stderr
    assert "5 document(s), document" in smoke.stdout
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.slow
def test_bundle_writes_the_agreement_report_with_charts(bundle: Bundle, tmp_path: Path) -> None:
    db = str(tmp_path / "two.db")
    gold = str(ROOT / "tests" / "data" / "seeds_gold.jsonl")
    for name in ("alice", "bob"):
        result = _run(bundle, tmp_path, "--db", db, "import", gold, "--annotator", name)
        assert result.returncode == 0, result.stderr
    report = tmp_path / "report"
    result = _run(bundle, tmp_path, "--db", db, "agreement", "--report", str(report))
    assert result.returncode == 0, result.stderr
    assert (report / "index.html").is_file()
    charts = list(report.glob("*.svg"))  # matplotlib's SVG backend, in the bundle
    assert charts
    assert all(c.read_text(encoding="utf-8").lstrip().startswith("<?xml") for c in charts)


@pytest.mark.slow
def test_desktop_entry_installs_for_the_bundle(bundle: Bundle, tmp_path: Path) -> None:
    data = tmp_path / "share"
    env = {**_clean_env(tmp_path), "XDG_DATA_HOME": str(data)}
    subprocess.run(
        [str(ROOT / "packaging" / "install-desktop-entry.sh"), str(bundle.exe.parent)],
        env=env,
        check=True,
        timeout=60,
    )
    entry = (data / "applications" / "quote-entity-annotator.desktop").read_text()
    assert f'Exec="{bundle.exe}"' in entry.splitlines()
    assert (data / "icons/hicolor/256x256/apps/quote-entity-annotator.png").is_file()
    assert (data / "icons/hicolor/scalable/apps/quote-entity-annotator.svg").is_file()


@pytest.mark.slow
def test_bundle_trains_as_train_now_does_and_suggests_with_the_model(
    bundle: Bundle, tmp_path: Path
) -> None:
    """Annotate > Train now starts the program itself with ``--training-child`` when
    frozen (``training_runs.child_arguments``): spaCy's training, its registered
    functions and our config must all be inside the bundle, and the model it makes
    must then suggest from the bundle too."""
    from annotator.app.training import TrainRequest
    from annotator.app.training_runs import FROZEN_FLAG, request_json

    db = tmp_path / "gold.db"
    gold = ROOT / "tests" / "data" / "seeds_gold.jsonl"
    imported = _run(bundle, tmp_path, "--db", str(db), "import", str(gold))
    assert imported.returncode == 0, imported.stderr
    req = TrainRequest(
        name="frozen",
        overrides=["training.max_steps=20", "training.eval_frequency=10"],
        eval_fraction=0.34,
    )
    url = f"sqlite:///{db}"
    trained = _run(
        bundle, tmp_path, FROZEN_FLAG, "--db", url, "--request", request_json(req), timeout=900
    )
    assert trained.returncode == 0, trained.stderr
    assert '"event": "done"' in trained.stdout
    listed = _run(bundle, tmp_path, "--db", str(db), "trained")
    assert listed.returncode == 0, listed.stderr
    assert "frozen" in listed.stdout
    suggested = _run(bundle, tmp_path, "--db", str(db), "suggest", "--model", "frozen")
    assert suggested.returncode == 0, suggested.stderr
    assert "frozen" in suggested.stdout + suggested.stderr
