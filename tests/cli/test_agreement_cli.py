"""``annotator agreement`` on a real project file: every figure line names its layer."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from annotator.cli import app

runner = CliRunner()

TEXT = 'Putin met Donald Trump in Moscow. He said "we will win the war" loudly.'
QUOTE = {"start": TEXT.index('"we'), "end": TEXT.index('war"') + 4, "label": "QUOTE"}


def _at(word: str, label: str) -> dict[str, object]:
    start = TEXT.index(word)
    return {"start": start, "end": start + len(word), "label": label}


def _project(tmp_path: Path, alice: str = "alice", bob: str = "bob") -> str:
    records = [
        {"text": TEXT, "spans": [_at("Putin", "PERSON"), _at("Moscow", "GPE"), QUOTE]},
        {"text": TEXT, "spans": [_at("Putin", "PERSON"), QUOTE]},
    ]
    lines = [
        json.dumps({**r, "answer": "accept", "_annotator_id": who})
        for r, who in zip(records, (alice, bob), strict=True)
    ]
    source = tmp_path / "two.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = str(tmp_path / "p.db")
    assert runner.invoke(app, ["--db", db, "import", str(source)]).exit_code == 0
    return db


def _pair_lines(output: str, pair: str) -> list[list[str]]:
    return [line.split() for line in output.splitlines() if pair in line]


def test_agreement_cli_names_the_layer_on_every_pair_line(tmp_path: Path) -> None:
    db = _project(tmp_path)
    result = runner.invoke(app, ["--db", db, "agreement"])
    assert result.exit_code == 0, result.output
    rows = _pair_lines(result.output, "alice ~ bob")
    # ents, quotes, both pooled; then the attribution figures (speaker, quote kind)
    assert [r[0] for r in rows] == ["ents", "quotes", "all", "attribution", "attribution"]
    # the entity layer differs (bob missed Moscow), the quote layer agrees
    assert rows[0][4:7] == ["0.667", "0.667", "0.647"]
    assert rows[1][4:7] == ["1.000", "1.000", "1.000"]
    header = next(line for line in result.output.splitlines() if "F1 exact" in line)
    assert header.split()[:2] == ["layer", "pair"]
    # corpus-wide coefficients: one row per layer too
    corpus = result.output.split("together:")[1].splitlines()
    assert [line.split()[0] for line in corpus[2:5]] == ["ents", "quotes", "all"]


def test_agreement_cli_one_layer_prints_only_that_layer(tmp_path: Path) -> None:
    db = _project(tmp_path)
    result = runner.invoke(app, ["--db", db, "agreement", "--layer", "ents"])
    assert result.exit_code == 0, result.output
    rows = _pair_lines(result.output, "alice ~ bob")
    assert [r[0] for r in rows] == ["ents"]
    assert "attribution" not in result.output


def test_agreement_cli_prints_bracketed_names_verbatim(tmp_path: Path) -> None:
    """Names and layers are text, not console markup: "[ents]" once vanished that way."""
    db = _project(tmp_path, alice="[red]ann", bob="bo[b]")
    result = runner.invoke(app, ["--db", db, "agreement"])
    assert result.exit_code == 0, result.output
    assert "documents finished by all of [red]ann, bo[b]: 1" in result.output
    assert len(_pair_lines(result.output, "[red]ann ~ bo[b]")) == 5
