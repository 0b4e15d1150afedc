from __future__ import annotations

import json
from pathlib import Path

from annotator.app.project import Project
from annotator.core import AnnotationStatus, Origin, SpanKey

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
GOLD = ROOT / "tests" / "data" / "seeds_gold.jsonl"


def _jsonl(path: Path, rows: list[object]) -> Path:
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n")
    return path


def test_import_seeds_folder(project: Project) -> None:
    report = project.import_paths([SEEDS])
    assert (report.imported, report.duplicates, report.problems) == (5, 0, [])
    rows = project.list_documents("alice")
    assert [r.external_id for r in rows] == sorted(p.name for p in SEEDS.glob("*.txt"))
    first = project.get_document(rows[0].id)
    assert first.text == (SEEDS / rows[0].external_id).read_bytes().decode("utf-8")
    assert first.tokens and first.tokens[0].start == 0


def test_import_same_text_twice_is_one_document(project: Project, tmp_path: Path) -> None:
    project.import_paths([SEEDS])
    copy = tmp_path / "copy.txt"
    copy.write_bytes((SEEDS / "000_a3eab2cdc9ae56c5.txt").read_bytes())
    report = project.import_paths([copy])
    assert (report.imported, report.duplicates) == (0, 1)
    assert project.count_documents() == 5


def test_import_txt_with_bom_strips_it(project: Project, tmp_path: Path) -> None:
    f = tmp_path / "bom.txt"
    f.write_bytes(b"\xef\xbb\xbfHello world.")
    project.import_paths([f])
    doc = project.get_document(project.list_documents("a")[0].id)
    assert doc.text == "Hello world."


def test_import_bad_files_are_reported_and_the_rest_imported(
    project: Project, tmp_path: Path
) -> None:
    project.import_paths([SEEDS])  # already saved work must survive a bad import
    bad = tmp_path / "in"
    bad.mkdir()
    (bad / "good.txt").write_text("A good article about Moscow.", encoding="utf-8")
    (bad / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (bad / "latin1.txt").write_bytes("Caf\xe9 in Paris".encode("latin-1"))
    (bad / "empty.txt").write_bytes(b"  \n")
    report = project.import_paths([bad])
    messages = {Path(p.source).name: p.message for p in report.problems}
    assert messages == {
        "binary.txt": "binary file, not text",
        "latin1.txt": "not valid UTF-8 (byte 3)",
        "empty.txt": "empty file",
    }
    assert report.imported == 1
    assert project.count_documents() == 6


def test_import_jsonl_bad_lines_are_reported_with_line_numbers(
    project: Project, tmp_path: Path
) -> None:
    project.import_paths([SEEDS])
    f = _jsonl(
        tmp_path / "tasks.jsonl",
        [
            {"text": "First fine line about Kyiv."},
            '{"text": "broken',
            {"meta": {"id": 3}},
            {"text": "Span out of bounds.", "spans": [{"start": 5, "end": 99, "label": "ORG"}]},
            {"text": "Whitespace span.  Here", "spans": [{"start": 16, "end": 18, "label": "ORG"}]},
            {
                "text": "Overlap Moscow City",
                "spans": [
                    {"start": 8, "end": 14, "label": "GPE"},
                    {"start": 8, "end": 19, "label": "GPE"},
                ],
            },
            {"text": "Last fine line about Minsk.", "answer": "accept"},
        ],
    )
    report = project.import_paths([f], annotator="alice")
    found = {p.line: p.message for p in report.problems}
    assert set(found) == {2, 3, 4, 5, 6}
    assert found[2].startswith("invalid JSON")
    assert found[3] == 'no "text" string'
    assert "outside the text" in found[4]
    assert "cannot be snapped" in found[5]
    assert "Entities overlap" in found[6]
    assert report.imported == 2
    assert project.count_documents() == 7  # 5 seeds kept + 2 good lines
    # nothing half-written: skipped lines left no document behind
    titles = {r.title for r in project.list_documents("alice", limit=50)}
    assert "Span out of bounds." not in titles


def test_import_jsonl_answers_map_to_status(project: Project, tmp_path: Path) -> None:
    span = {"start": 0, "end": 6, "label": "GPE"}
    f = _jsonl(
        tmp_path / "answers.jsonl",
        [
            {"text": "Moscow one.", "spans": [span], "answer": "accept", "_annotator_id": "bob"},
            {"text": "Moscow two.", "spans": [span], "answer": "ignore", "_annotator_id": "bob"},
            {"text": "Moscow six.", "spans": [span], "answer": "reject", "_annotator_id": "bob"},
            {"text": "Moscow ten.", "spans": [span], "_annotator_id": "bob"},
        ],
    )
    report = project.import_paths([f])
    assert report.problems == [] and report.annotations == 4
    got = []
    for row in project.list_documents("bob"):
        ann = project.load_annotation(row.id, "bob")
        assert ann is not None
        if ann.flagged:  # a rejected task's span is a rejected suggestion, not a label
            assert ann.spans == [] and ann.rejected == {SpanKey(0, 6, "GPE", "ents")}
        else:
            assert ann.spans[0].origin == Origin.ACCEPTED and ann.rejected == set()
        got.append((ann.status, ann.flagged))
    assert got == [
        (AnnotationStatus.DONE, False),
        (AnnotationStatus.SKIPPED, False),
        (AnnotationStatus.SKIPPED, True),
        (AnnotationStatus.IN_PROGRESS, False),
    ]
    assert project.progress("bob") == (3, 4)  # done and skipped count as finished


def test_import_gold_jsonl_with_relations(project: Project) -> None:
    source = GOLD
    report = project.import_paths([source])
    assert report.problems == [] and report.annotations == 3
    expected = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines()]
    for row, want in zip(project.list_documents("gold"), expected, strict=True):
        ann = project.load_annotation(row.id, "gold")
        assert ann is not None and ann.status == AnnotationStatus.DONE
        doc = project.get_document(row.id)
        assert {(s.start, s.end, s.label) for s in ann.spans} == {
            (s["start"], s["end"], s["label"]) for s in want["spans"]
        }
        assert {doc.text[s.start : s.end] for s in ann.spans} == {s["text"] for s in want["spans"]}
        assert len(ann.relations) == len(want["relations"])


def test_import_prodigy_token_indices_relations(project: Project, tmp_path: Path) -> None:
    text = "“Go,” Putin said."
    f = _jsonl(
        tmp_path / "prodigy.jsonl",
        [
            {
                "text": text,
                "spans": [
                    {"start": 0, "end": 5, "label": "QUOTE", "token_start": 0, "token_end": 3},
                    {"start": 6, "end": 11, "label": "SPEAKER", "token_start": 4, "token_end": 4},
                ],
                "relations": [{"head": 3, "child": 4, "label": "speaker"}],
                "answer": "accept",
            }
        ],
    )
    report = project.import_paths([f], annotator="carol")
    assert report.problems == []
    ann = project.load_annotation(project.list_documents("carol")[0].id, "carol")
    assert ann is not None and len(ann.relations) == 1
    rel = ann.relations[0]
    assert (rel.head.label, rel.child.label, str(rel.label)) == ("QUOTE", "SPEAKER", "speaker")


def test_project_server_password_never_shown(tmp_path: Path) -> None:
    import pytest

    from annotator.app.errors import StorageError

    pytest.importorskip("psycopg")
    # nothing listens on port 1: opening fails, and the message must not leak the password
    with pytest.raises(StorageError) as failure:
        Project.open("postgresql+psycopg://ann:s3cret@127.0.0.1:1/proj")
    assert "s3cret" not in str(failure.value) and "ann:***@" in str(failure.value)
    with Project.open(tmp_path / "x.db") as project:
        assert project.display_url == project.url == project.status()["database"]
