"""Every line of a doccano export has the same columns, empty where a document has none.

doccano's import reads a chunk of lines as one table: a column that some lines of the
chunk lack (``quote_kinds`` on an article without a quote) becomes NaN in their
metadata, which its database refuses as invalid JSON, and the whole import fails. The
real doccano's import of such a file is in tests/peers (slow).
"""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from annotator.cli import app
from annotator.formats.doccano import read_doccano
from annotator.formats.records import ImportRecord

runner = CliRunner()

QUOTED = 'Maria Lopez said "the bridge is safe".'
PLAIN = "Oslo and Bergen signed the deal."
ASIDE = "Nothing to see in Tromso."


def _span(text: str, part: str, label: str, **extra: str) -> dict[str, object]:
    start = text.index(part)
    return {"start": start, "end": start + len(part), "label": label, **extra}


def _records() -> list[dict[str, object]]:
    quote = _span(QUOTED, '"the bridge is safe"', "QUOTE", kind="direct")
    speaker = _span(QUOTED, "Maria Lopez", "SPEAKER")
    ref = ("start", "end", "label")
    return [
        {
            "text": QUOTED,
            "spans": [quote, speaker, _span(QUOTED, "Maria Lopez", "PERSON")],
            "relations": [
                {
                    "label": "speaker",
                    "head_span": {k: quote[k] for k in ref},
                    "child_span": {k: speaker[k] for k in ref},
                }
            ],
            "answer": "accept",
        },
        {"text": PLAIN, "spans": [_span(PLAIN, "Oslo", "GPE")], "answer": "accept"},
        {"text": ASIDE, "spans": [_span(ASIDE, "Tromso", "GPE")], "answer": "ignore"},
    ]


def _cli(db: Path, *args: str) -> None:
    result = runner.invoke(app, ["--db", str(db), *args])
    assert result.exit_code == 0, result.output


def test_every_line_has_every_column(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in _records()), encoding="utf-8")
    db = tmp_path / "p.db"
    _cli(db, "import", str(src), "--annotator", "ann")
    out = tmp_path / "doccano.jsonl"
    _cli(db, "export", "--format", "doccano", "--annotator", "ann", "--status", "all",
         "--out", str(out))  # fmt: skip
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 3
    columns = {frozenset(line) for line in lines}
    assert len(columns) == 1, columns
    by_text = {line["text"]: line for line in lines}
    assert by_text[PLAIN]["quote_kinds"] == {} and by_text[PLAIN]["span_layers"] == {}
    assert [by_text[t]["answer"] for t in (QUOTED, PLAIN, ASIDE)] == ["accept", "accept", "ignore"]
    quote = _records()[0]["spans"][0]  # type: ignore[index]
    assert by_text[QUOTED]["quote_kinds"] == {f"{quote['start']}:{quote['end']}": "direct"}

    # our reader takes the empty columns as none: no warning, kinds and answers kept
    read = list(read_doccano(out))
    records = [r for r in read if isinstance(r, ImportRecord)]
    assert len(records) == len(read) == 3
    kinds = {r.text: sorted(str(s.kind) for s in r.spans if s.kind) for r in records}
    assert kinds == {QUOTED: ["direct"], PLAIN: [], ASIDE: []}
    assert {r.text: r.answer for r in records} == {
        QUOTED: "accept",
        PLAIN: "accept",
        ASIDE: "ignore",
    }
    assert all(not r.meta.get("quote_kinds") for r in records)
