from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from annotator.app.assignments import plan_assignments
from annotator.app.project import Project
from annotator.cli import app
from annotator.core import AnnotatorError

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def test_assignments_every_document_gets_n_distinct_annotators_balanced() -> None:
    plan = plan_assignments(list(range(10)), ["a", "b", "c"], 2)
    per_doc: dict[int, list[str]] = {}
    for doc, name in plan:
        per_doc.setdefault(doc, []).append(name)
    assert all(len(set(v)) == 2 for v in per_doc.values()) and len(per_doc) == 10
    loads = Counter(name for _, name in plan)
    assert max(loads.values()) - min(loads.values()) <= 1


def test_assignments_overlap_out_of_range_is_refused() -> None:
    with pytest.raises(AnnotatorError, match="between 1 and the number of annotators"):
        plan_assignments([1], ["a", "b"], 3)


def test_assignments_queue_follows_assignment(tmp_path: Path) -> None:
    db = str(tmp_path / "p.db")
    runner = CliRunner()
    assert runner.invoke(app, ["--db", db, "import", str(SEEDS)]).exit_code == 0
    result = runner.invoke(app, ["--db", db, "assign", "--annotators", "a,b,c", "--overlap", "2"])
    assert result.exit_code == 0, result.output
    with Project.open(db) as project:
        seen: Counter[int] = Counter()
        for name in "abc":
            rows = project.list_documents(name)
            assert project.count_documents(name) == len(rows) in (3, 4)
            seen.update(r.id for r in rows)
            assert project.progress(name) == (0, len(rows))
            first = project.next_document(name, None)
            assert first == rows[0].id
        assert set(seen.values()) == {2} and len(seen) == 5
        # someone never assigned anything still sees the whole corpus
        assert project.count_documents("reviewer") == 5
