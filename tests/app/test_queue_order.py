"""Active learning order: 1 − overlap F1 between the model's and the rules' suggestions."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from annotator.app.project import Project
from annotator.app.queue_order import (
    disagreement,
    disagreement_order,
    order_by_disagreement,
    overlap_f1,
)
from annotator.app.suggest import run_suggest
from annotator.core import Layer, Span
from annotator.nlp import pipeline

ROOT = Path(__file__).resolve().parents[2]


def ent(start: int, end: int, label: str = "PERSON") -> Span:
    return Span(start, end, label)


def quote(start: int, end: int) -> Span:
    return Span(start, end, "QUOTE", Layer.QUOTES)


def test_overlap_f1_matches_one_to_one_by_layer_and_label() -> None:
    assert overlap_f1([], []) == 1.0 and disagreement([], []) == 0.0
    assert overlap_f1([ent(0, 5)], []) == 0.0
    assert overlap_f1([ent(0, 5)], [ent(3, 9)]) == 1.0  # overlapping is a match
    assert overlap_f1([ent(0, 5)], [ent(5, 9)]) == 0.0  # touching is not
    assert overlap_f1([ent(0, 5)], [ent(0, 5, "ORG")]) == 0.0
    assert overlap_f1([quote(0, 5)], [Span(0, 5, "QUOTE")]) == 0.0  # another layer
    # one span of b cannot match two of a: 2 * 1 / (2 + 1)
    assert overlap_f1([ent(0, 4), ent(5, 9)], [ent(0, 9)]) == pytest.approx(2 / 3)
    assert disagreement([ent(0, 4), quote(10, 20)], [ent(0, 4)]) == pytest.approx(1 / 3)
    a, b = [ent(0, 4), ent(6, 9, "ORG"), quote(10, 30)], [ent(1, 3), quote(12, 40)]
    assert overlap_f1(a, b) == overlap_f1(b, a)  # symmetric


def _brute_f1(a: list[Span], b: list[Span]) -> float:
    """The definition, spelled out: every span of a in start order takes the first
    unmatched overlapping span of b (in start order) with its layer and label."""
    if not a and not b:
        return 1.0
    free = sorted(b, key=lambda s: (s.start, s.end))
    matched = 0
    for span in sorted(a, key=lambda s: (s.start, s.end)):
        for i, o in enumerate(free):
            if (
                (o.layer, o.label) == (span.layer, span.label)
                and o.start < span.end
                and span.start < o.end
            ):
                del free[i]
                matched += 1
                break
    return 2 * matched / (len(a) + len(b))


def test_the_sweep_agrees_with_the_definition_on_random_spans() -> None:
    rnd = random.Random(3)

    def spans(n: int) -> list[Span]:
        out = []
        for _ in range(n):
            start = rnd.randrange(200)
            end = start + rnd.randrange(1, 30)
            if rnd.random() < 0.3:
                out.append(quote(start, end))
            else:
                out.append(ent(start, end, rnd.choice(["PERSON", "ORG"])))
        return out

    for _ in range(400):
        a, b = spans(rnd.randrange(12)), spans(rnd.randrange(12))
        assert overlap_f1(a, b) == pytest.approx(_brute_f1(a, b))


def test_order_puts_most_disagreement_first_and_uncompared_last() -> None:
    model = {1: [ent(0, 4)], 2: [ent(0, 4)], 3: [], 4: [ent(0, 4)]}
    rules = {1: [ent(0, 4)], 2: [ent(0, 4, "ORG")], 3: [], 4: [ent(0, 4), ent(8, 9)], 5: []}
    order = order_by_disagreement([1, 2, 3, 4, 5, 6], model, rules)
    assert order.ids == [2, 4, 1, 3, 5, 6]  # 1.0, 1/3, then the ties by id; 5, 6 lack a set
    assert order.scores == {1: 0.0, 2: 1.0, 3: 0.0, 4: pytest.approx(1 / 3)}


def test_order_of_a_project_compares_the_stored_sets(tmp_path: Path) -> None:
    spacy_pipelines = [p for p in pipeline.installed_pipelines() if p.kind == "spacy"]
    if not spacy_pipelines:
        pytest.skip("no spaCy pipeline installed")
    with Project.open(tmp_path / "p.db") as project:
        project.import_paths([ROOT / "seeds"])
        assert disagreement_order(project).scores == {}  # nothing stored: document order
        run_suggest(project, pipeline.load_suggester("rules"))
        model = pipeline.load_suggester(spacy_pipelines[0].name)
        run_suggest(project, model)
        extra = tmp_path / "extra.txt"
        extra.write_text("Nobody suggested this one. Alice Smith said so.", encoding="utf-8")
        project.import_paths([extra])
        ids = project.document_ids()

        order = disagreement_order(project)
        assert order.model_set == project.suggestion_source() == f"suggestions:{model.info.key}"
        assert order.rules_set == "suggestions:rules-1"
        assert sorted(order.ids) == ids and order.ids[-1] == ids[-1]  # the unsuggested last
        assert len(order.scores) == len(ids) - 1
        m, r = project.annotator(order.model_set), project.annotator(order.rules_set)
        assert m is not None and r is not None
        for doc_id, score in order.scores.items():
            a, b = project.load_annotation(doc_id, m.name), project.load_annotation(doc_id, r.name)
            assert a is not None and b is not None
            assert score == pytest.approx(1 - overlap_f1(a.spans, b.spans))
        scores = [order.scores[i] for i in order.ids[:-1]]
        assert scores == sorted(scores, reverse=True) and max(scores) > 0
