from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from annotator.cli import app

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
runner = CliRunner()


def test_cli_import_then_status_json(tmp_path: Path) -> None:
    db = str(tmp_path / "p.db")
    result = runner.invoke(app, ["--db", db, "import", str(SEEDS)])
    assert result.exit_code == 0, result.output
    assert "imported 5 documents" in result.output
    result = runner.invoke(app, ["status", "--json", "--db", db])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["documents"] == 5
    assert data["annotators"] == {}


def test_cli_status_json_counts_per_annotator(tmp_path: Path) -> None:
    db = str(tmp_path / "p.db")
    runner.invoke(app, ["--db", db, "import", str(SEEDS)])
    gold = ROOT / "tests" / "data" / "seeds_gold.jsonl"
    assert runner.invoke(app, ["--db", db, "import", str(gold)]).exit_code == 0
    data = json.loads(runner.invoke(app, ["--db", db, "status", "--json"]).output)
    assert data["annotators"]["gold"] == {"todo": 2, "in_progress": 0, "done": 3, "skipped": 0}


def test_cli_import_with_skipped_input_exits_non_zero(tmp_path: Path) -> None:
    db = str(tmp_path / "p.db")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "Fine."}\n{"text": \n', encoding="utf-8")
    result = runner.invoke(app, ["--db", db, "import", str(bad)])
    assert result.exit_code == 1
    assert "bad.jsonl:2: invalid JSON" in result.output
    assert "imported 1 documents" in result.output


def test_cli_errors_are_one_line_without_traceback(tmp_path: Path) -> None:
    db = str(tmp_path / "p.db")
    result = runner.invoke(app, ["--db", db, "import", "--format", "pdf", str(SEEDS)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "Unknown import format 'pdf'" in result.output


def test_cli_env_var_selects_database(tmp_path: Path) -> None:
    db = tmp_path / "env.db"
    result = runner.invoke(app, ["import", str(SEEDS)], env={"ANNOTATOR_DB": str(db)})
    assert result.exit_code == 0 and db.exists()


def test_cli_db_upgrade_reports_revision(tmp_path: Path) -> None:
    result = runner.invoke(app, ["--db", str(tmp_path / "p.db"), "db", "upgrade"])
    from annotator.storage import Database  # the head moves with each migration

    head = Database.head_revision()
    assert result.exit_code == 0 and f"schema at revision {head}" in result.output


def test_cli_entry_point_version() -> None:
    out = subprocess.run(
        [sys.executable, "-c", "from annotator.cli import main; raise SystemExit(main())",
         "--version"],
        capture_output=True, text=True, check=False,
    )
    assert out.returncode == 0 and out.stdout.startswith("annotator ")
