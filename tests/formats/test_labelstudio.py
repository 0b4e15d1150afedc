"""Label Studio task lists: our export -> our import is exact, Label Studio's own export
shape imports with its annotators, predictions and quote kinds, bad input is reported
without losing what was saved, and the labelling config is one Label Studio takes."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from annotator.app import suggest
from annotator.app.export import export_pairs
from annotator.app.project import Project
from annotator.cli import app
from annotator.core import (
    Annotation,
    AnnotationStatus,
    AnnotatorKind,
    Document,
    Origin,
    Relation,
    RelationLabel,
    Span,
)
from annotator.formats import labelstudio
from annotator.formats.labelstudio_read import read_labelstudio
from annotator.formats.records import ImportRecord, Problem
from annotator.formats.registry import format_for
from annotator.nlp.tokenize import tokenize

runner = CliRunner()

TEXT_A = '"We will not back down," said Sergey Ryabkov in Moscow on Tuesday.'
TEXT_B = "The ministry said talks would resume next week, according to Anna Petrova."
TEXT_C = "Prices rose 4 percent in March."


def _span(start: int, end: int, label: str, **kw: Any) -> dict[str, Any]:
    return {"start": start, "end": end, "label": label, **kw}


def _rel(head: dict[str, Any], child: dict[str, Any], label: str) -> dict[str, Any]:
    ref = ("start", "end", "label")
    return {
        "head_span": {k: head[k] for k in ref},
        "child_span": {k: child[k] for k in ref},
        "label": label,
    }


def _project_jsonl(path: Path) -> Path:
    """Two people's work on two articles, a third article left unlabelled."""
    q_a = _span(0, 24, "QUOTE", kind="direct", origin="manual")
    cue_a = _span(25, 29, "CUE", origin="edited")
    sp_a = _span(30, 44, "SPEAKER", origin="manual")
    q_b = _span(19, 47, "QUOTE", kind="indirect")
    cue_b = _span(49, 61, "CUE")
    sp_b = _span(62, 73, "SPEAKER")
    rows: list[dict[str, Any]] = [
        {
            "text": TEXT_A,
            "meta": {"id": "a", "section": "world"},
            "spans": [
                q_a,
                cue_a,
                sp_a,
                _span(30, 44, "PERSON", origin="accepted", confidence=0.875),
                _span(48, 54, "GPE"),
                # an entity label on the quotes layer: kept apart from the ents
                _span(58, 65, "DATE", layer="quotes"),
            ],
            "relations": [_rel(q_a, sp_a, "speaker"), _rel(q_a, cue_a, "cue")],
            "answer": "accept",
            "_annotator_id": "alice",
        },
        {
            "text": TEXT_A,
            "meta": {"id": "a", "section": "world"},
            "spans": [_span(0, 24, "QUOTE", kind="mixed"), _span(30, 44, "PERSON")],
            "relations": [],
            "answer": "accept",
            "_annotator_id": "bob",
        },
        {
            "text": TEXT_B,
            "meta": {"id": "b"},
            "spans": [q_b, cue_b, sp_b, _span(62, 73, "PERSON")],
            "relations": [_rel(q_b, sp_b, "speaker"), _rel(q_b, cue_b, "cue")],
            "answer": "accept",
            "_annotator_id": "alice",
        },
        {
            "text": TEXT_B,
            "meta": {"id": "b"},
            "spans": [],
            "answer": "ignore",  # bob skipped it
            "_annotator_id": "bob",
        },
        {"text": TEXT_C, "meta": {"id": "c"}},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def _snapshot(project: Project) -> dict[tuple[str, str], tuple[Any, ...]]:
    """Every annotation as comparable values: (external id, annotator) -> content."""
    out: dict[tuple[str, str], tuple[Any, ...]] = {}
    names = [a.name for a in project.annotators()]
    for doc_id in project.document_ids():
        doc = project.get_document(doc_id)
        for name in names:
            ann = project.load_annotation(doc_id, name)
            if ann is None:
                continue
            by_key = {s.key: s for s in ann.spans}
            spans = frozenset(
                (s.start, s.end, s.label, str(s.layer), s.kind, str(s.origin), s.confidence)
                for s in ann.spans
            )
            rels = frozenset(
                (
                    (by_key[r.head].start, by_key[r.head].label),
                    (by_key[r.child].start, by_key[r.child].label),
                    str(r.label),
                )
                for r in ann.relations
            )
            out[(doc.external_id, name)] = (spans, rels, str(ann.status))
    return out


def _cli(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def _import(db: Path, *paths: Path, extra: tuple[str, ...] = ()) -> str:
    return _cli("--db", str(db), "import", *extra, *map(str, paths))


def test_round_trip_keeps_spans_relations_kinds_layers_origins_and_annotators(
    tmp_path: Path,
) -> None:
    first = tmp_path / "first.db"
    _import(first, _project_jsonl(tmp_path / "in.jsonl"))
    files = []
    for who in ("alice", "bob"):
        out = tmp_path / f"{who}.json"
        args = ["--db", str(first), "export", "--format", "labelstudio", "--annotator", who]
        _cli(*args, "--status", "all", "--out", str(out))
        assert labelstudio.config_path(out).is_file()
        files.append(out)
    second = tmp_path / "second.db"
    _import(second, *files)
    with Project.open(first) as p1, Project.open(second) as p2:
        before, after = _snapshot(p1), _snapshot(p2)
        assert before == after
        assert len(after) == 4  # alice x2, bob x2 (one skipped)
        assert after[("b", "bob")][2] == "skipped"
        doc_id = p2.document_ids()[0]
        assert p2.get_document(doc_id).meta["section"] == "world"


def test_export_writes_the_task_shape_label_studio_reads(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    _import(db, _project_jsonl(tmp_path / "in.jsonl"))
    out = tmp_path / "tasks.json"
    _cli("--db", str(db), "export", "--format", "labelstudio", "--annotator", "alice",
         "--out", str(out))  # fmt: skip
    tasks = json.loads(out.read_text(encoding="utf-8"))
    assert [t["data"]["meta"]["id"] for t in tasks] == ["a", "b"]
    first = tasks[0]
    assert first["data"]["text"] == TEXT_A
    (annotation,) = first["annotations"]
    assert "completed_by" not in annotation  # Label Studio refuses users it does not know
    regions = {r["id"]: r for r in annotation["result"] if r["type"] == "labels"}
    for r in regions.values():
        v = r["value"]
        assert TEXT_A[v["start"] : v["end"]] == v["text"]
        assert (r["from_name"], r["to_name"]) == ("label", "text")
    quote = next(k for k, r in regions.items() if r["value"]["labels"] == ["QUOTE"])
    (kind,) = [r for r in annotation["result"] if r["type"] == "choices"]
    assert kind["id"] == quote and kind["value"]["choices"] == ["direct"]
    assert kind["from_name"] == "kind"
    relations = [r for r in annotation["result"] if r["type"] == "relation"]
    assert sorted(r["labels"][0] for r in relations) == ["cue", "speaker"]
    assert {r["from_id"] for r in relations} == {quote}
    date = next(r for r in regions.values() if r["value"]["labels"] == ["DATE"])
    assert date["meta"] == {"layer": "quotes"}


def test_label_config_lists_the_project_labels_relations_and_kinds(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    _import(db, _project_jsonl(tmp_path / "in.jsonl"))
    out = tmp_path / "tasks.json"
    _cli("--db", str(db), "export", "--format", "labelstudio", "--annotator", "alice",
         "--out", str(out))  # fmt: skip
    root = ET.parse(tmp_path / "tasks.label_config.xml").getroot()
    assert root.tag == "View"
    labels = root.find("Labels")
    assert labels is not None and labels.attrib == {"name": "label", "toName": "text"}
    values = [e.get("value") for e in labels.findall("Label")]
    with Project.open(db) as p:
        assert values == p.scheme.names()  # every project label, those unused too
    assert all(e.get("background", "").startswith("#") for e in labels.findall("Label"))
    assert [e.get("value") for e in root.iter("Relation")] == ["speaker", "cue"]
    text = root.find("Text")
    assert text is not None and text.attrib == {"name": "text", "value": "$text"}
    choices = root.find("Choices")
    assert choices is not None and choices.get("perRegion") == "true"
    assert [e.get("value") for e in choices] == ["direct", "indirect", "mixed"]


def test_config_adds_a_label_the_scheme_lacks_and_escapes_it() -> None:
    xml = labelstudio.label_config(labelstudio.label_order({"R&D", "PERSON"}, None), None)
    values = [e.get("value") for e in ET.fromstring(xml).iter("Label")]
    assert values == ["PERSON", "R&D"]


def _ls_export(path: Path) -> Path:
    """A task list written the way Label Studio's JSON export writes it."""
    text = TEXT_A
    tasks = [
        {
            "id": 41,
            "data": {"text": text, "source_url": "https://example.org/a"},
            "annotations": [
                {
                    "id": 7,
                    "completed_by": 3,
                    "was_cancelled": False,
                    "ground_truth": False,
                    "import_id": None,
                    "lead_time": 12.5,
                    "result": [
                        {"id": "Xq1", "type": "labels", "from_name": "label",
                         "to_name": "text", "origin": "manual",
                         "value": {"start": 0, "end": 24, "text": text[0:24],
                                   "labels": ["QUOTE"]}},
                        {"id": "Xq1", "type": "choices", "from_name": "kind",
                         "to_name": "text", "origin": "manual",
                         "value": {"start": 0, "end": 24, "text": text[0:24],
                                   "choices": ["direct"]}},
                        {"id": "Sp2", "type": "labels", "from_name": "label",
                         "to_name": "text", "origin": "manual",
                         "value": {"start": 30, "end": 44, "text": text[30:44],
                                   "labels": ["SPEAKER"]}},
                        {"id": "Cu3", "type": "labels", "from_name": "label",
                         "to_name": "text", "origin": "prediction-changed",
                         "value": {"start": 25, "end": 29, "text": "said",
                                   "labels": ["CUE"]}},
                        # drawn from the speaker to the quote, without a label
                        {"type": "relation", "from_id": "Sp2", "to_id": "Xq1",
                         "direction": "right", "labels": []},
                        # drawn from the quote to the cue, pointing left (cue -> quote)
                        {"type": "relation", "from_id": "Cu3", "to_id": "Xq1",
                         "direction": "left", "labels": ["Cue"]},
                        {"id": "n1", "type": "textarea", "from_name": "notes",
                         "to_name": "text", "value": {"text": ["check"]}},
                    ],
                },
                {
                    "id": 8,
                    "completed_by": {"id": 4, "email": "bea@example.org"},
                    "was_cancelled": True,
                    "import_id": None,
                    "result": [],
                },
            ],
            "predictions": [
                {
                    "id": 2,
                    "model_version": "ner-v2",
                    "score": 0.6,
                    "result": [
                        {"id": "p1", "type": "labels", "from_name": "label",
                         "to_name": "text", "score": 0.93,
                         "value": {"start": 30, "end": 44, "text": text[30:44],
                                   "labels": ["PERSON"]}},
                        {"id": "p2", "type": "labels", "from_name": "label",
                         "to_name": "text",
                         "value": {"start": 48, "end": 54, "text": "Moscow",
                                   "labels": ["GPE"]}},
                    ],
                }
            ],
        },
        {"id": 42, "data": {"content": TEXT_C}, "annotations": [], "predictions": []},
    ]  # fmt: skip
    path.write_text(json.dumps(tasks, indent=2), encoding="utf-8")
    return path


def test_label_studio_export_imports_annotators_kinds_relations_and_predictions(
    tmp_path: Path,
) -> None:
    db = tmp_path / "p.db"
    output = _import(db, _ls_export(tmp_path / "export.json"))
    assert "2 textarea" in output or "textarea" in output
    with Project.open(db) as p:
        kinds = {a.name: a.kind for a in p.annotators()}
        assert kinds == {
            "ls-user-3": AnnotatorKind.HUMAN,
            "bea@example.org": AnnotatorKind.HUMAN,
            "suggestions:ner-v2": AnnotatorKind.MODEL,
        }
        snap = _snapshot(p)
        spans, rels, status = snap[("41", "ls-user-3")]
        assert status == "done"
        assert spans == {
            (0, 24, "QUOTE", "quotes", "direct", "manual", None),
            (30, 44, "SPEAKER", "quotes", None, "manual", None),
            (25, 29, "CUE", "quotes", None, "edited", None),
        }
        assert rels == {
            ((0, "QUOTE"), (30, "SPEAKER"), "speaker"),
            ((0, "QUOTE"), (25, "CUE"), "cue"),
        }
        assert snap[("41", "bea@example.org")] == (frozenset(), frozenset(), "skipped")
        spans, _, _ = snap[("41", "suggestions:ner-v2")]
        assert spans == {
            (30, 44, "PERSON", "ents", None, "suggested", 0.93),
            (48, 54, "GPE", "ents", None, "suggested", 0.6),
        }
        doc = p.get_document(p.document_ids()[0])
        assert doc.meta["source_url"] == "https://example.org/a"
        texts = {p.get_document(i).text for i in p.document_ids()}
        assert texts == {TEXT_A, TEXT_C}  # the second task's text is its only string


def test_predictions_stay_a_suggestion_set_with_annotator_given(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    _import(db, _ls_export(tmp_path / "export.json"), extra=("--annotator", "carol"))
    with Project.open(db) as p:
        names = {a.name for a in p.annotators()}
        assert names == {"carol", "suggestions:ner-v2"}
        doc_id = p.document_ids()[0]
        ann = p.labels(doc_id, "suggestions:ner-v2")
        assert ann is not None and {s.label for s in ann.spans} == {"PERSON", "GPE"}


def test_imported_predictions_are_what_the_window_suggests(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    _import(db, _ls_export(tmp_path / "export.json"))
    with Project.open(db) as p:
        assert p.suggestion_source() == "suggestions:ner-v2"
        doc_id = next(i for i in p.document_ids() if p.get_document(i).text == TEXT_A)
        opened = p.open_annotation(doc_id, "dave")
        shown = {(s.label, str(s.origin)) for s in opened.spans}
        assert shown == {("PERSON", "suggested"), ("GPE", "suggested")}


def test_predictions_leave_a_pipeline_s_current_set_current(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    with Project.open(db) as p:
        p.set_setting(suggest.CURRENT_SUGGESTIONS_KEY, "suggestions:rules-1")
    _import(db, _ls_export(tmp_path / "export.json"))
    with Project.open(db) as p:
        assert p.suggestion_source() == "suggestions:rules-1"
        assert p.annotator("suggestions:ner-v2") is not None


def test_suggestion_set_exports_as_predictions_and_comes_back(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    _import(db, _ls_export(tmp_path / "export.json"))
    out = tmp_path / "pred.json"
    _cli("--db", str(db), "export", "--format", "labelstudio", "--annotator",
         "suggestions:ner-v2", "--out", str(out))  # fmt: skip
    (task,) = json.loads(out.read_text(encoding="utf-8"))
    assert "annotations" not in task
    (pred,) = task["predictions"]
    assert pred["model_version"] == "ner-v2"
    assert sorted(r.get("score") for r in pred["result"]) == [0.6, 0.93]
    other = tmp_path / "other.db"
    _import(other, out)
    with Project.open(db) as p1, Project.open(other) as p2:
        want = _snapshot(p1)[("41", "suggestions:ner-v2")]
        assert _snapshot(p2) == {("41", "suggestions:ner-v2"): want}


def test_after_a_trip_through_label_studio_our_annotator_is_kept(tmp_path: Path) -> None:
    """Label Studio drops completed_by on import (it names its importing user) and
    gives our annotation id back as import_id; an annotation made there has none."""
    db = tmp_path / "p.db"
    _import(db, _project_jsonl(tmp_path / "in.jsonl"))
    out = tmp_path / "tasks.json"
    _cli("--db", str(db), "export", "--format", "labelstudio", "--annotator", "alice",
         "--out", str(out))  # fmt: skip
    tasks = json.loads(out.read_text(encoding="utf-8"))
    for t in tasks:
        ours = t["annotations"][0]
        ours.update(completed_by=1, import_id=ours.pop("id"), id=900)
        made_there = {"id": 901, "completed_by": 2, "import_id": None, "result": []}
        t["annotations"].append(made_there)
    out.write_text(json.dumps(tasks), encoding="utf-8")
    back = tmp_path / "back.db"
    _import(back, out)
    with Project.open(db) as p1, Project.open(back) as p2:
        before, after = _snapshot(p1), _snapshot(p2)
        assert {k: v for k, v in after.items() if k[1] == "alice"} == {
            k: v for k, v in before.items() if k[1] == "alice"
        }
        assert {k[1] for k in after} == {"alice", "ls-user-2"}


def test_json_min_export_imports_spans_kinds_and_annotators(tmp_path: Path) -> None:
    """Label Studio's flat JSON-MIN export: one object per annotation."""
    text = TEXT_A
    rows = [
        {
            "id": 41,
            "text": text,
            "label": [
                {"start": 0, "end": 24, "text": text[:24], "labels": ["QUOTE"]},
                {"start": 30, "end": 44, "text": text[30:44], "labels": ["PERSON"]},
            ],
            "kind": [{"start": 0, "end": 24, "text": text[:24], "choices": ["indirect"]}],
            "sentiment": "neutral",
            "annotator": "ana@example.org",
            "annotation_id": 5,
            "lead_time": 3.2,
        },
        {
            "id": 41,
            "text": text,
            "label": [{"start": 48, "end": 54, "text": "Moscow", "labels": ["GPE"]}],
            "annotator": 9,
            "annotation_id": 6,
        },
    ]
    f = tmp_path / "min.json"
    f.write_text(json.dumps(rows), encoding="utf-8")
    db = tmp_path / "p.db"
    _import(db, f)
    with Project.open(db) as p:
        snap = _snapshot(p)
        assert snap[("41", "ana@example.org")][0] == {
            (0, 24, "QUOTE", "quotes", "indirect", "accepted", None),
            (30, 44, "PERSON", "ents", None, "accepted", None),
        }
        assert snap[("41", "ls-user-9")][0] == {(48, 54, "GPE", "ents", None, "accepted", None)}
        assert p.count_documents() == 1
        assert p.get_document(p.document_ids()[0]).meta == {"sentiment": "neutral"}


def _records(path: Path) -> tuple[list[ImportRecord], list[Problem]]:
    records: list[ImportRecord] = []
    problems: list[Problem] = []
    for item in read_labelstudio(path):
        (problems if isinstance(item, Problem) else records).append(item)
    return records, problems


def test_json_that_is_not_a_task_list_is_a_clear_problem_and_nothing_is_lost(
    tmp_path: Path,
) -> None:
    db = tmp_path / "p.db"
    _import(db, _project_jsonl(tmp_path / "in.jsonl"))
    with Project.open(db) as p:
        before = _snapshot(p)
    cases = {
        "config.json": {"name": "my project", "labels": ["A"]},
        "numbers.json": [1, 2, 3],
        "broken.json": '[{"data": {"text": "x"}',
    }
    for name, content in cases.items():
        f = tmp_path / name
        f.write_text(content if isinstance(content, str) else json.dumps(content))
        assert format_for(f) == "labelstudio"
        result = runner.invoke(app, ["--db", str(db), "import", str(f)])
        assert result.exit_code != 0 or "skipped 1" in result.output, result.output
        assert name in result.output
        assert "Traceback" not in result.output
        _, problems = _records(f)
        (problem,) = problems
        assert not problem.warning
        if name != "broken.json":
            assert "not a Label Studio task list" in problem.message
        else:
            assert "not JSON (line 1" in problem.message
    with Project.open(db) as p:
        assert _snapshot(p) == before


def test_a_broken_task_or_annotation_costs_only_itself(tmp_path: Path) -> None:
    good = {"data": {"text": TEXT_C}, "annotations": [
        {"completed_by": 1, "result": [
            {"id": "a", "type": "labels",
             "value": {"start": 0, "end": 6, "text": "Prices", "labels": ["PRODUCT"]}}]},
        {"completed_by": 2, "result": [
            {"id": "b", "type": "labels",
             "value": {"start": "0", "end": 6, "labels": ["PRODUCT"]}}]},
    ]}  # fmt: skip
    tasks = [
        {"data": "not an object"},
        good,
        {"data": {"text": "   "}},
        {"data": {"text": TEXT_B, "meta": {"id": "b"}}},
    ]
    f = tmp_path / "mixed.json"
    f.write_text(json.dumps(tasks))
    records, problems = _records(f)
    assert [(r.text, r.annotator) for r in records] == [
        (TEXT_C, "ls-user-1"),
        (TEXT_B, None),
    ]
    messages = [str(p) for p in problems]
    assert any("task 1" in m and '"data" object' in m for m in messages)
    assert any("task 2" in m and "annotation 1" in m and "start must be an integer" in m
               for m in messages)  # fmt: skip
    assert any("task 3" in m and "empty" in m for m in messages)
    db = tmp_path / "p.db"
    runner.invoke(app, ["--db", str(db), "import", str(f)])
    with Project.open(db) as p:
        assert p.count_documents() == 2
        assert {k[1] for k in _snapshot(p)} == {"ls-user-1"}


def test_a_kind_or_relation_that_finds_no_region_is_reported_and_the_rest_kept(
    tmp_path: Path,
) -> None:
    text = TEXT_A
    result = [
        {"id": "q", "type": "labels",
         "value": {"start": 0, "end": 24, "text": text[:24], "labels": ["QUOTE"]}},
        {"id": "gone", "type": "choices",
         "value": {"start": 30, "end": 44, "choices": ["indirect"]}},
        {"type": "relation", "from_id": "q", "to_id": "nowhere", "labels": ["speaker"]},
        {"id": "doc", "type": "choices", "value": {"choices": ["positive"]}},
    ]  # fmt: skip
    f = tmp_path / "t.json"
    f.write_text(json.dumps([{"data": {"text": text}, "annotations": [{"result": result}]}]))
    records, problems = _records(f)
    (rec,) = records
    assert [(s.label, s.kind) for s in rec.spans or []] == [("QUOTE", None)]
    assert rec.relations == []
    notes = [p.message for p in problems if p.warning]
    assert any("'indirect'" in n and "finds no QUOTE" in n for n in notes)
    assert any("'nowhere'" in n for n in notes)
    assert any("1 choices" in n for n in notes)


def test_a_kind_finds_its_quote_by_offsets_when_the_region_id_changed(tmp_path: Path) -> None:
    text = TEXT_A
    result = [
        {"id": "new", "type": "labels",
         "value": {"start": 0, "end": 24, "text": text[:24], "labels": ["QUOTE"]}},
        {"id": "old", "type": "choices",
         "value": {"start": 0, "end": 24, "choices": ["mixed"]}},
    ]  # fmt: skip
    f = tmp_path / "t.json"
    f.write_text(json.dumps([{"data": {"text": text}, "annotations": [{"result": result}]}]))
    (rec,), _ = _records(f)
    assert [(s.label, s.kind) for s in rec.spans or []] == [("QUOTE", "mixed")]


def test_utf16_offsets_after_an_emoji_are_read_back(tmp_path: Path) -> None:
    text = "\U0001f600 Anna Petrova spoke."
    # JavaScript counts the emoji as two units: "Anna Petrova" is 3-15 there, 2-14 here
    region = {
        "id": "x",
        "type": "labels",
        "value": {"start": 3, "end": 15, "text": "Anna Petrova", "labels": ["PERSON"]},
    }
    f = tmp_path / "t.json"
    f.write_text(json.dumps([{"data": {"text": text}, "annotations": [{"result": [region]}]}]))
    (rec,), problems = _records(f)
    assert [(s.start, s.end) for s in rec.spans or []] == [(2, 14)]
    assert any("UTF-16" in p.message for p in problems if p.warning)


def test_failed_export_leaves_neither_file(tmp_path: Path) -> None:
    text = "Hello world again."
    doc = Document(text=text, id=1, tokens=tokenize(text))
    hello = Span(0, 5, "PERSON", origin=Origin.MANUAL)
    good = Annotation(1, "a", [hello], status=AnnotationStatus.DONE)
    outside = Annotation(1, "a", [Span(6, 40, "GPE")], status=AnnotationStatus.DONE)
    quote = Span(6, 11, "QUOTE")
    dangling = Annotation(
        1,
        "a",
        [quote],
        [Relation(quote.key, hello.key, RelationLabel.SPEAKER)],
        status=AnnotationStatus.DONE,
    )
    out = tmp_path / "tasks.json"
    report = export_pairs([(doc, good), (doc, outside), (doc, dangling)], out, fmt="labelstudio")
    assert report.failed_documents == 2
    problems = " ".join(p.message for p in report.problems)
    assert "outside the text" in problems and "not there" in problems
    assert list(tmp_path.iterdir()) == []  # neither the task list nor its config


def test_train_dev_split_writes_a_config_beside_each_file(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    _import(db, _project_jsonl(tmp_path / "in.jsonl"))
    out = tmp_path / "split"
    output = _cli("--db", str(db), "export", "--format", "labelstudio", "--annotator",
                  "alice", "--dev", "0.5", "--out", str(out))  # fmt: skip
    names = sorted(p.name for p in out.iterdir())
    assert names == ["dev.json", "dev.label_config.xml", "train.json", "train.label_config.xml"]
    assert "train.label_config.xml" in output and "dev.label_config.xml" in output


def test_the_suggestion_prefix_is_the_one_the_app_uses() -> None:
    assert labelstudio.SUGGESTIONS_PREFIX == suggest.SUGGESTIONS_PREFIX


@pytest.mark.parametrize("name", ["x.json", "X.JSON"])
def test_json_files_are_read_as_label_studio(name: str) -> None:
    assert format_for(Path(name)) == "labelstudio"


_any_value = st.none() | st.booleans() | st.integers(-5, 80) | st.text(max_size=8)
_result_item = st.fixed_dictionaries(
    {
        "id": st.sampled_from(["a", "b", "c", 3]),
        "type": st.sampled_from(["labels", "choices", "relation", "textarea", 7]),
    },
    optional={
        "value": st.fixed_dictionaries(
            {},
            optional={
                "start": _any_value,
                "end": _any_value,
                "text": _any_value,
                "labels": st.lists(st.sampled_from(["PERSON", "QUOTE", "SPEAKER", "", 1])),
                "choices": st.lists(st.sampled_from(["direct", "mixed", "x"])),
            },
        )
        | _any_value,
        "from_id": st.sampled_from(["a", "b", "c"]),
        "to_id": st.sampled_from(["a", "b", "c"]),
        "labels": st.lists(st.sampled_from(["speaker", "cue", "other"])) | _any_value,
        "direction": st.sampled_from(["left", "right", "bi"]),
        "meta": st.fixed_dictionaries({"layer": st.sampled_from(["ents", "quotes", "x"])}),
        "score": _any_value,
        "origin": _any_value,
    },
)
_task = st.fixed_dictionaries(
    {"data": st.fixed_dictionaries({"text": st.sampled_from([TEXT_A, TEXT_C, "", 5])})},
    optional={
        "annotations": st.lists(
            st.fixed_dictionaries(
                {"result": st.lists(_result_item, max_size=6)},
                optional={
                    "completed_by": _any_value | st.fixed_dictionaries({"email": _any_value}),
                    "was_cancelled": st.booleans(),
                    "import_id": _any_value,
                },
            )
            | _any_value,
            max_size=3,
        ),
        "predictions": st.lists(
            st.fixed_dictionaries(
                {"result": st.lists(_result_item, max_size=4)},
                optional={"model_version": _any_value, "score": _any_value},
            )
            | st.integers(),
            max_size=2,
        ),
    },
)


@settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(tasks=st.lists(_task, max_size=4))
def test_any_task_list_imports_or_is_reported(tmp_path: Path, tasks: list[Any]) -> None:
    f = tmp_path / "fuzz.json"
    f.write_text(json.dumps(tasks), encoding="utf-8")
    with Project.open(tmp_path / "fuzz.db") as p:
        report = p.import_paths([f])
        assert all(problem.message.strip() for problem in report.problems + report.warnings)
        for doc_id in p.document_ids():
            doc = p.get_document(doc_id)
            for a in p.annotators():
                ann = p.load_annotation(doc_id, a.name)
                for s in ann.spans if ann else []:
                    assert 0 <= s.start < s.end <= len(doc.text)
