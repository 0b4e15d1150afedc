"""Prodigy's JSONL both ways: its hashes, its relations, its reject answers, no tokens.

Records are built here the way Prodigy writes them (``tokens`` from its own tokenizer,
relations by token index, ``_input_hash``/``_task_hash``/``_view_id``) and go through the
real import and export, on SQLite files, with the real CLI.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import murmurhash
import pytest
from typer.testing import CliRunner

from annotator.app.project import Project
from annotator.app.suggest import merge_suggestions
from annotator.cli import app
from annotator.core import Annotation, AnnotationStatus, Span, SpanKey
from annotator.formats.prodigy_hash import input_hash, set_hashes, task_hash

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "tests" / "data" / "seeds_gold.jsonl"
runner = CliRunner()


# hashes ---------------------------------------------------------------------------------


def test_input_hash_is_the_one_prodigy_writes() -> None:
    # The number a real Prodigy db-out shows for this task.
    assert input_hash({"text": "Hi. My name is Vincent"}) == 1333440749
    task = set_hashes({"text": "Hi. My name is Vincent"})
    assert task["_input_hash"] == 1333440749


def test_task_hash_follows_prodigys_rule() -> None:
    text = "Anna Berg spoke in Bergen."
    ih = input_hash({"text": text})
    # The input hash's digits, then key=compact sorted JSON for each task key present.
    assert task_hash({"text": text, "spans": []}, ih) == murmurhash.hash(f"{ih}spans=[]")
    spans = [{"start": 0, "end": 9, "label": "PERSON"}]
    assert task_hash({"text": text, "spans": spans}, ih) == murmurhash.hash(
        f'{ih}spans=[{{"end":9,"label":"PERSON","start":0}}]'
    )
    # No task key: the whole task stands for itself, with its input hash, without the
    # keys that say how it was answered.
    bare = {"text": text, "answer": "accept", "_view_id": "ner_manual"}
    assert task_hash(bare, ih) == murmurhash.hash(
        f'{ih}{{"_input_hash":{ih},"text":{json.dumps(text)}}}'
    )
    other = set_hashes({"text": text, "spans": [dict(spans[0], label="GPE")]})
    assert other["_input_hash"] == ih and other["_task_hash"] != task_hash(
        {"text": text, "spans": spans}, ih
    )


def test_set_hashes_keeps_the_hashes_a_task_has() -> None:
    task = {"text": "x y", "_input_hash": 5, "_task_hash": 6}
    assert set_hashes(dict(task)) == task
    assert set_hashes(dict(task), overwrite=True)["_input_hash"] == input_hash({"text": "x y"})


# helpers --------------------------------------------------------------------------------


def _write(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


def _cli(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def _export(db: Path, out: Path, who: str, *extra: str) -> list[dict[str, Any]]:
    _cli("--db", str(db), "export", "--format", "jsonl", "--annotator", who, "--out", str(out),
         *extra)
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def _annotations(db: Path, who: str) -> dict[str, Annotation]:
    with Project.open(db) as project:
        out = {}
        for row in project.list_documents(who, limit=100):
            ann = project.load_annotation(row.id, who)
            assert ann is not None
            out[project.get_document(row.id).text] = ann
        return out


def _tokens(text: str) -> list[dict[str, Any]]:
    """Whitespace tokens, as a tokenizer other than ours would give them: "Berg-Olsen"
    and "said:" stay whole, where spaCy splits them."""
    out, pos = [], 0
    for i, word in enumerate(text.split(" ")):
        start = text.index(word, pos)
        pos = start + len(word)
        out.append({"text": word, "start": start, "end": pos, "id": i, "ws": True})
    return out


def _span(text: str, part: str, label: str, tokens: list[dict[str, Any]]) -> dict[str, Any]:
    start = text.index(part)
    end = start + len(part)
    first = next(t["id"] for t in tokens if t["start"] <= start < t["end"])
    last = next(t["id"] for t in tokens if t["start"] < end <= t["end"])
    return {"start": start, "end": end, "label": label, "token_start": first, "token_end": last}


# hashes through import and export -------------------------------------------------------


def test_incoming_hashes_and_view_id_are_written_back(tmp_path: Path) -> None:
    kept = {"text": "Lena Holm met Karim Dahl.", "spans": [], "answer": "accept",
            "_input_hash": 1234567, "_task_hash": -7654321, "_view_id": "ner_manual"}
    fresh = {"text": "Oslo is cold today.", "spans": [{"start": 0, "end": 4, "label": "GPE"}],
             "answer": "accept"}
    db = tmp_path / "p.db"
    _cli("--db", str(db), "import", str(_write(tmp_path / "in.jsonl", [kept, fresh])),
         "--annotator", "ann")
    lines = {line["text"]: line for line in _export(db, tmp_path / "out.jsonl", "ann")}
    back = lines[kept["text"]]
    assert (back["_input_hash"], back["_task_hash"], back["_view_id"]) == (
        1234567, -7654321, "ner_manual"
    )
    assert not {"_input_hash", "_task_hash", "_view_id"} & set(back["meta"])
    new = lines[fresh["text"]]
    assert "_view_id" not in new
    assert new["_input_hash"] == input_hash({"text": fresh["text"]})
    unhashed = {k: v for k, v in new.items() if k not in ("_input_hash", "_task_hash")}
    assert new["_task_hash"] == set_hashes(unhashed)["_task_hash"]


# relations ------------------------------------------------------------------------------


TEXT = "Dr. Ana Berg-Olsen said: “We are ready for the storm.” in Bergen."


def _relations_record() -> dict[str, Any]:
    tokens = _tokens(TEXT)
    speaker = _span(TEXT, "Ana Berg-Olsen", "SPEAKER", tokens)
    cue = _span(TEXT, "said:", "CUE", tokens)
    quote = _span(TEXT, "“We are ready for the storm.”", "QUOTE", tokens)
    place = _span(TEXT, "Bergen.", "GPE", tokens)
    null_child = {"start": place["start"], "end": place["end"], "label": None}
    return {
        "text": TEXT,
        "tokens": tokens,
        "spans": [speaker, cue, quote, place],
        "relations": [
            # Prodigy's relations by the record's own token indices only
            {"head": quote["token_end"], "child": speaker["token_end"], "label": "speaker"},
            {"head": quote["token_end"], "child": cue["token_end"], "label": "CUE"},
            {"head": quote["token_end"], "child": place["token_end"], "label": "located_in"},
            {"head": quote["token_end"], "child": 99, "label": "speaker"},
            {"head": quote["token_end"], "child": speaker["token_end"], "label": "cue",
             "head_span": {"start": quote["start"], "end": quote["end"], "label": "QUOTE"},
             "child_span": null_child},
        ],
        "answer": "accept",
        "_annotator_id": "ann",
    }


@pytest.mark.parametrize("span_token_indices", [True, False])
def test_relations_resolve_through_the_records_own_tokens(
    tmp_path: Path, span_token_indices: bool
) -> None:
    record = _relations_record()
    if not span_token_indices:  # only the tokens' characters can place the relations
        for span in record["spans"]:
            del span["token_start"], span["token_end"]
    src = _write(tmp_path / "rel.jsonl", [record])
    with Project.open(tmp_path / "p.db") as project:
        report = project.import_paths([src])
        assert report.problems == [] and report.imported == 1 and report.annotations == 1
        (row,) = project.list_documents("ann")
        ann = project.load_annotation(row.id, "ann")
        assert ann is not None
    by_label = {s.label: s.key for s in ann.spans}
    assert {(r.head, r.child, str(r.label)) for r in ann.relations} == {
        (by_label["QUOTE"], by_label["SPEAKER"], "speaker"),
        (by_label["QUOTE"], by_label["CUE"], "cue"),
    }
    assert TEXT[by_label["SPEAKER"].start : by_label["SPEAKER"].end] == "Ana Berg-Olsen"
    warnings = sorted(w.message for w in report.warnings)
    assert all(w.line == 1 and w.source.endswith("rel.jsonl") for w in report.warnings)
    assert len(warnings) == 3, warnings
    assert any("relation 2 has unknown label 'located_in'" in w for w in warnings)
    assert any("relation 3 child token 99 is not among the record's 12 tokens" in w
               for w in warnings)
    assert any("relation 4 child_span" in w and "has no label" in w for w in warnings)


def test_a_bad_relation_costs_only_itself_and_saved_work_survives(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    _cli("--db", str(db), "import", str(GOLD))
    saved = _annotations(db, "gold")
    rows = [
        {"text": "Oslo is cold.", "spans": [{"start": 0, "end": 4, "label": "GPE"}],
         "relations": ["not an object"], "answer": "accept"},
        {"text": "Lena said hi.", "spans": [{"start": 0, "end": 4, "label": "SPEAKER"}],
         "relations": [{"head": 0, "child": 0, "label": "speaker"}], "answer": "accept"},
    ]
    out = _cli("--db", str(db), "import", str(_write(tmp_path / "bad.jsonl", rows)),
               "--annotator", "gold")
    assert "bad.jsonl:1" in out and "relation 0 is not an object" in out
    # no tokens in the record and no span giving token_end 0: the relation cannot be placed
    assert "bad.jsonl:2" in out and "the record has no tokens" in out
    after = _annotations(db, "gold")
    assert all(after[t].spans == ann.spans and after[t].relations == ann.relations
               for t, ann in saved.items())
    assert [s.label for s in after["Oslo is cold."].spans] == ["GPE"]
    assert after["Lena said hi."].relations == []


# reject ---------------------------------------------------------------------------------


def test_a_reject_answer_keeps_its_spans_as_rejected_suggestions(tmp_path: Path) -> None:
    text = "Anna Berg visited Tromso on Friday."
    rejected = {"text": text, "answer": "reject", "_annotator_id": "ann",
                "spans": [{"start": 0, "end": 9, "label": "ORG"},
                          {"start": 18, "end": 24, "label": "PERSON"}]}
    first = tmp_path / "first.db"
    _cli("--db", str(first), "import", str(_write(tmp_path / "r.jsonl", [rejected])))
    ann = _annotations(first, "ann")[text]
    keys = {SpanKey(0, 9, "ORG", "ents"), SpanKey(18, 24, "PERSON", "ents")}
    assert ann.spans == [] and ann.rejected == keys
    assert ann.status == AnnotationStatus.SKIPPED and ann.flagged
    # not proposed again to the annotator who rejected them
    suggested = Annotation(None, "suggester", spans=[Span(0, 9, "ORG"), Span(28, 34, "DATE")])
    assert [s.key for s in merge_suggestions(ann, suggested).spans] == [
        SpanKey(28, 34, "DATE", "ents")
    ]
    (line,) = _export(first, tmp_path / "out.jsonl", "ann", "--status", "all")
    assert line["answer"] == "reject"
    assert {(s["start"], s["end"], s["label"], s.get("rejected")) for s in line["spans"]} == {
        (0, 9, "ORG", True), (18, 24, "PERSON", True)
    }
    again = tmp_path / "again.db"
    _cli("--db", str(again), "import", str(tmp_path / "out.jsonl"))
    back = _annotations(again, "ann")[text]
    assert back.spans == [] and back.rejected == keys and back.flagged


def test_a_rejected_article_with_labels_keeps_both_through_our_jsonl(tmp_path: Path) -> None:
    text = "Anna Berg visited Tromso on Friday."
    row = {"text": text, "answer": "reject", "_annotator_id": "ann",
           "spans": [{"start": 0, "end": 9, "label": "PERSON", "rejected": False},
                     {"start": 18, "end": 24, "label": "PERSON", "rejected": True}]}
    db = tmp_path / "p.db"
    _cli("--db", str(db), "import", str(_write(tmp_path / "r.jsonl", [row])))
    ann = _annotations(db, "ann")[text]
    assert [s.key for s in ann.spans] == [SpanKey(0, 9, "PERSON", "ents")]
    assert ann.rejected == {SpanKey(18, 24, "PERSON", "ents")}


# --no-tokens and --layer ----------------------------------------------------------------


def test_export_without_tokens_imports_back_exactly(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    _cli("--db", str(db), "import", str(GOLD))
    lines = _export(db, tmp_path / "plain.jsonl", "gold", "--no-tokens")
    assert len(lines) == 3
    for line in lines:
        assert "tokens" not in line
        assert all("token_start" not in s and "token_end" not in s for s in line["spans"])
        assert line["relations"]
        for rel in line["relations"]:
            assert "head" not in rel and "child" not in rel
            assert set(rel["head_span"]) == set(rel["child_span"]) == {"start", "end", "label"}
    with_tokens = _export(db, tmp_path / "full.jsonl", "gold")
    assert all(line["tokens"] for line in with_tokens)
    again = tmp_path / "again.db"
    out = _cli("--db", str(again), "import", str(tmp_path / "plain.jsonl"))
    assert "0 spans snapped" in out
    before, after = _annotations(db, "gold"), _annotations(again, "gold")
    assert set(after) == set(before)
    for text, ann in before.items():
        assert set(after[text].spans) == set(ann.spans)
        assert set(after[text].relations) == set(ann.relations)


def test_export_layers_to_separate_files(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    _cli("--db", str(db), "import", str(GOLD))
    full = _export(db, tmp_path / "all.jsonl", "gold")
    ents = _export(db, tmp_path / "ents.jsonl", "gold", "--layer", "ents")
    quotes = _export(db, tmp_path / "quotes.jsonl", "gold", "--layer", "quotes")
    assert len(ents) == len(quotes) == len(full) == 3
    ent_spans = [s for line in ents for s in line["spans"]]
    quote_spans = [s for line in quotes for s in line["spans"]]
    assert ent_spans and {s["layer"] for s in ent_spans} == {"ents"}
    assert quote_spans and {s["layer"] for s in quote_spans} == {"quotes"}
    assert {s["label"] for s in quote_spans} <= {"QUOTE", "SPEAKER", "CUE"}
    assert all(line["relations"] == [] for line in ents)
    assert sum(len(line["relations"]) for line in quotes) == sum(
        len(line["relations"]) for line in full
    )

    def keys(lines: list[dict[str, Any]]) -> set[tuple[str, int, int, str]]:
        return {(ln["text"], s["start"], s["end"], s["label"]) for ln in lines
                for s in ln["spans"]}

    assert keys(ents) | keys(quotes) == keys(full) and not keys(ents) & keys(quotes)
