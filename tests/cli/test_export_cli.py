from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from annotator.cli import app
from annotator.formats.docbin import read_docbin
from annotator.formats.registry import WRITERS

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "tests" / "data" / "seeds_gold.jsonl"
runner = CliRunner()


def _db(tmp_path: Path) -> str:
    db = str(tmp_path / "p.db")
    result = runner.invoke(app, ["--db", db, "import", str(GOLD)])
    assert result.exit_code == 0, result.output
    return db


def test_cli_export_spacy_train_dev(tmp_path: Path) -> None:
    db = _db(tmp_path)
    out = tmp_path / "corpus"
    args = ["--db", db, "export", "--format", "spacy", "--gold", "--out", str(out)]
    result = runner.invoke(app, [*args, "--dev", "0.34", "--seed", "5"])
    assert result.exit_code == 0, result.output
    assert "exported 3 documents of 'gold'" in result.output
    assert "train 2, dev 1" in result.output
    assert len(list(read_docbin(out / "train.spacy"))) == 2
    assert len(list(read_docbin(out / "dev.spacy"))) == 1


def test_cli_export_jsonl_then_import_it_elsewhere(tmp_path: Path) -> None:
    db = _db(tmp_path)
    out = tmp_path / "gold.jsonl"
    args = ["--db", db, "export", "--format", "jsonl", "--annotator", "gold", "--out", str(out)]
    assert runner.invoke(app, args).exit_code == 0
    assert json.loads(out.read_text().splitlines()[0])["_annotator_id"] == "gold"
    other = str(tmp_path / "other.db")
    result = runner.invoke(app, ["--db", other, "import", str(out)])
    assert result.exit_code == 0, result.output
    assert "3 annotations, 0 spans snapped" in result.output


def test_cli_export_without_annotator_lists_annotators(tmp_path: Path) -> None:
    db = _db(tmp_path)
    result = runner.invoke(
        app, ["--db", db, "export", "--format", "jsonl", "--out", str(tmp_path / "x.jsonl")]
    )
    assert result.exit_code == 2
    assert "[E331]" in result.output and "Annotators: gold" in result.output
    assert "Traceback" not in result.output


def test_cli_export_unknown_format_is_one_line(tmp_path: Path) -> None:
    db = _db(tmp_path)
    result = runner.invoke(
        app, ["--db", db, "export", "--format", "xml", "--gold", "--out", str(tmp_path / "x")]
    )
    assert result.exit_code == 2
    available = ", ".join(sorted(WRITERS))  # every registered writer, labelstudio among them
    assert "labelstudio" in available
    assert f"[E300] Unknown export format 'xml'. Available: {available}." in result.output


def test_cli_import_doccano_auto_detected(tmp_path: Path) -> None:
    db = str(tmp_path / "p.db")
    src = tmp_path / "doccano.jsonl"
    src.write_text(json.dumps({"text": "Maria Lopez spoke.", "label": [[0, 11, "PERSON"]]}) + "\n")
    result = runner.invoke(app, ["--db", db, "import", str(src), "--annotator", "ann"])
    assert result.exit_code == 0, result.output
    out = tmp_path / "x.iob"
    result = runner.invoke(
        app, ["--db", db, "export", "--format", "iob", "--annotator", "ann", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert (
        out.read_text() == "-DOCSTART- -X- O O\n\nMaria B-PERSON\nLopez I-PERSON\nspoke O\n. O\n\n"
    )
