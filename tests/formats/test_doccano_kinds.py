"""doccano keeps a quote's kind and a span's layer although it renumbers entity ids.

doccano writes unknown columns back as they came, but numbers the entities anew on its
export (and may list them in another order): ``renumbered`` does to an exported line
what a real doccano round trip did, and every kind and layer must land on its span.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from annotator.app.project import Project
from annotator.cli import app
from annotator.core import Annotation, Layer, SpanKey
from annotator.formats.doccano import read_doccano
from annotator.formats.records import ImportRecord, Problem

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "tests" / "data" / "seeds_gold.jsonl"
runner = CliRunner()

TEXT = (
    'Maria Lopez said the bridge was safe. "It will open on Monday," Lopez added. '
    "Oslo agreed."
)


def _at(text: str, part: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(part, start + 1)
    return start, start + len(part)


def _record() -> dict[str, Any]:
    """One article with two quotes of different kinds, their speakers and cues, and a
    PERSON in both layers on the same offsets (the case offsets alone cannot tell)."""
    spans = []
    for part, label, extra in [
        ("Maria Lopez", "PERSON", {}),
        ("Maria Lopez", "PERSON", {"layer": "quotes"}),
        ("Maria Lopez", "SPEAKER", {}),
        ("said", "CUE", {}),
        ("the bridge was safe", "QUOTE", {"kind": "indirect"}),
        ('"It will open on Monday,"', "QUOTE", {"kind": "direct"}),
        ("Lopez", "SPEAKER", {"nth": 1}),
        ("added", "CUE", {}),
        ("Oslo", "GPE", {}),
    ]:
        nth = extra.pop("nth", 0)
        start, end = _at(TEXT, part, nth)
        spans.append({"start": start, "end": end, "label": label, **extra})

    def ref(part: str, label: str, nth: int = 0) -> dict[str, Any]:
        start, end = _at(TEXT, part, nth)
        return {"start": start, "end": end, "label": label}

    relations = [
        {"head_span": ref("the bridge was safe", "QUOTE"),
         "child_span": ref("Maria Lopez", "SPEAKER"), "label": "speaker"},
        {"head_span": ref("the bridge was safe", "QUOTE"),
         "child_span": ref("said", "CUE"), "label": "cue"},
        {"head_span": ref('"It will open on Monday,"', "QUOTE"),
         "child_span": ref("Lopez", "SPEAKER", 1), "label": "speaker"},
        {"head_span": ref('"It will open on Monday,"', "QUOTE"),
         "child_span": ref("added", "CUE"), "label": "cue"},
    ]
    return {"text": TEXT, "meta": {"id": "bridge"}, "spans": spans, "relations": relations,
            "answer": "accept", "_annotator_id": "ann"}


def renumbered(obj: dict[str, Any], seed: int) -> dict[str, Any]:
    """``obj`` as doccano exports it again: new entity and relation ids, entities in
    another order, the unknown columns untouched."""
    rng = random.Random(seed)
    entities = list(obj["entities"])
    rng.shuffle(entities)
    new_ids = rng.sample(range(4000, 9000), len(entities))
    mapping = {e["id"]: n for e, n in zip(entities, new_ids, strict=True)}
    out = dict(obj)
    out["entities"] = [dict(e, id=mapping[e["id"]]) for e in entities]
    out["relations"] = [
        dict(r, id=700 + k, from_id=mapping[r["from_id"]], to_id=mapping[r["to_id"]])
        for k, r in enumerate(obj["relations"])
    ]
    out["id"] = 31 + seed  # doccano's own example id
    return out


def _import(db: Path, src: Path, *extra: str) -> str:
    result = runner.invoke(app, ["--db", str(db), "import", str(src), *extra])
    assert result.exit_code == 0, result.output
    return result.output


def _export_doccano(db: Path, out: Path, annotator: str) -> list[dict[str, Any]]:
    args = ["--db", str(db), "export", "--format", "doccano", "--annotator", annotator]
    result = runner.invoke(app, [*args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def _annotations(db: Path, annotator: str) -> dict[str, Annotation]:
    with Project.open(db) as project:
        out = {}
        for row in project.list_documents(annotator, limit=100):
            ann = project.load_annotation(row.id, annotator)
            assert ann is not None
            out[project.get_document(row.id).text] = ann
        return out


def _kinds_and_layers(ann: Annotation) -> set[tuple[SpanKey, str | None]]:
    return {(s.key, None if s.kind is None else str(s.kind)) for s in ann.spans}


def test_kinds_and_layers_survive_doccano_renumbering_ids(tmp_path: Path) -> None:
    src = tmp_path / "ours.jsonl"
    src.write_text(json.dumps(_record()) + "\n", encoding="utf-8")
    first = tmp_path / "first.db"
    _import(first, src)
    exported = _export_doccano(first, tmp_path / "doccano.jsonl", "ann")
    (line,) = exported
    quote = _at(TEXT, "the bridge was safe")
    assert line["quote_kinds"][f"{quote[0]}:{quote[1]}"] == "indirect"
    start, end = _at(TEXT, "Maria Lopez")
    assert line["span_layers"] == {f"{start}:{end}:PERSON": "quotes"}
    back = tmp_path / "from_doccano.jsonl"
    back.write_text(json.dumps(renumbered(line, seed=3)) + "\n", encoding="utf-8")
    again = tmp_path / "again.db"
    output = _import(again, back)
    assert "warning" not in output.lower()
    before, after = _annotations(first, "ann")[TEXT], _annotations(again, "ann")[TEXT]
    assert _kinds_and_layers(after) == _kinds_and_layers(before)
    assert set(after.relations) == set(before.relations)
    persons = sorted(s.layer for s in after.spans if s.label == "PERSON")
    assert persons == [Layer.ENTS, Layer.QUOTES]


def test_gold_kinds_all_land_on_their_quotes_after_renumbering(tmp_path: Path) -> None:
    first = tmp_path / "first.db"
    _import(first, GOLD)
    exported = _export_doccano(first, tmp_path / "doccano.jsonl", "gold")
    assert sum(len(line.get("quote_kinds", {})) for line in exported) >= 5
    back = tmp_path / "from_doccano.jsonl"
    back.write_text(
        "".join(json.dumps(renumbered(line, seed=n)) + "\n" for n, line in enumerate(exported)),
        encoding="utf-8",
    )
    again = tmp_path / "again.db"
    _import(again, back, "--annotator", "gold")
    before, after = _annotations(first, "gold"), _annotations(again, "gold")
    assert set(after) == set(before)
    kinds = 0
    for text, ann in before.items():
        assert _kinds_and_layers(after[text]) == _kinds_and_layers(ann)
        kinds += sum(1 for s in ann.spans if s.kind is not None)
    assert kinds >= 5


def _read(tmp_path: Path, rows: list[dict[str, Any]]) -> list[ImportRecord | Problem]:
    src = tmp_path / "d.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return list(read_doccano(src))


def test_old_files_keyed_by_entity_id_still_read(tmp_path: Path) -> None:
    text = 'Lena said "rain is coming" today.'
    quote = _at(text, '"rain is coming"')
    row = {
        "text": text,
        "entities": [
            {"id": 0, "label": "SPEAKER", "start_offset": 0, "end_offset": 4},
            {"id": 1, "label": "QUOTE", "start_offset": quote[0], "end_offset": quote[1]},
        ],
        "relations": [{"id": 0, "from_id": 1, "to_id": 0, "type": "speaker"}],
        "quote_kinds": {"1": "direct"},
        "span_layers": {"0": "ents"},
    }
    (record,) = _read(tmp_path, [row])
    assert isinstance(record, ImportRecord) and record.spans is not None
    assert [(s.label, s.kind, s.layer) for s in record.spans] == [
        ("SPEAKER", None, "ents"),
        ("QUOTE", "direct", None),
    ]


def test_a_kind_that_finds_no_quote_is_a_line_warning(tmp_path: Path) -> None:
    text = "Lena said the roads were closed."
    quote = _at(text, "the roads were closed")
    good = {"text": "Oslo is cold.", "label": [[0, 4, "GPE"]]}
    row = {
        "text": text,
        "label": [[0, 4, "SPEAKER"], [5, 9, "CUE"], [quote[0], quote[1], "QUOTE"]],
        "quote_kinds": {
            f"{quote[0]}:{quote[1]}": "indirect",
            "0:4": "direct",  # a SPEAKER there, no QUOTE
            "40:50": "mixed",  # nothing there
            "7": "direct",  # an id this line does not have
        },
        "span_layers": {"1:3": "quotes"},
    }
    items = _read(tmp_path, [good, row])
    warnings = [i for i in items if isinstance(i, Problem)]
    records = [i for i in items if isinstance(i, ImportRecord)]
    assert len(records) == 2  # the line is kept; only what found no span is left out
    assert all(w.warning and w.line == 2 and w.source.endswith("d.jsonl") for w in warnings)
    messages = sorted(w.message for w in warnings)
    assert len(messages) == 4
    assert any("'0:4'" in m and "finds no QUOTE span at 0-4" in m for m in messages)
    assert any("'40:50'" in m for m in messages) and any("'7'" in m for m in messages)
    assert any("span_layers '1:3'" in m and "finds no span at 1-3" in m for m in messages)
    spans = records[1].spans or []
    assert [(s.label, s.kind) for s in spans] == [
        ("SPEAKER", None),
        ("CUE", None),
        ("QUOTE", "indirect"),
    ]


def test_the_import_reports_lost_kinds_and_keeps_what_was_saved(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    _import(db, GOLD)
    saved = _annotations(db, "gold")
    text = "Lena said the roads were closed."
    quote = _at(text, "the roads were closed")
    row = {
        "text": text,
        "label": [[0, 4, "SPEAKER"], [quote[0], quote[1], "QUOTE"]],
        "quote_kinds": {"5:9": "direct"},
    }
    src = tmp_path / "lost.jsonl"
    src.write_text(json.dumps(row) + "\n", encoding="utf-8")
    with Project.open(db) as project:
        report = project.import_paths([src], annotator="gold")
    assert report.problems == [] and report.imported == 1
    (warning,) = report.warnings
    assert warning.line == 1 and "quote_kinds '5:9'" in warning.message
    after = _annotations(db, "gold")
    assert all(after[t].spans == ann.spans for t, ann in saved.items())
    assert all(s.kind is None for s in after[text].spans)
