"""The window's training, app side: the child's events, what a stopped child leaves,
``retrain_every``'s count, naming the model in use, suggesting the unopened articles.
Real project files, real (tiny) spaCy training."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.app.project import Project
from annotator.app.training import TrainRequest, models_dir, trained_models
from annotator.app.training_runs import (
    EXIT_ERROR,
    child_arguments,
    clear_leftovers,
    describe_source,
    finished_documents,
    folder_entries,
    request_from_json,
    request_json,
    retrain_every,
    retrain_state,
    run_child,
    set_retrain_every,
    suggest_documents,
    unopened_documents,
    use_model,
)
from annotator.core import Annotation, AnnotationStatus
from annotator.nlp import pipeline
from tests.app.test_training import ROOT, TINY, labelled_project


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("ANNOTATOR_MODELS_INDEX", str(tmp_path / "index.json"))
    pipeline.clear_cache()
    yield
    pipeline.clear_cache()


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Project]:
    """Six finished gold articles, then the five seed articles nobody opened."""
    p = labelled_project(tmp_path / "p.db")
    assert p.import_paths([ROOT / "seeds"]).imported == 5
    yield p
    p.close()


def _events(out: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.getvalue().splitlines()]


def _finish(project: Project, doc_id: int, who: str = "alice") -> None:
    project.put_annotation(Annotation(doc_id, who, status=AnnotationStatus.DONE))


def test_request_crosses_the_process_boundary_whole() -> None:
    req = TrainRequest(name="x", overrides=TINY, out=Path("/tmp/m"), seed=3, eval_fraction=0.3)
    assert request_from_json(request_json(req)) == req
    args = child_arguments("sqlite:///p.db", req)
    assert args[:2] == ["-m", "annotator.app.training_runs"]
    assert request_from_json(args[args.index("--request") + 1]) == req


def test_the_child_trains_records_and_the_loop_follows(project: Project) -> None:
    seeds = unopened_documents(project)
    assert len(seeds) == 5 and finished_documents(project) == 6
    set_retrain_every(project, 2)
    assert retrain_every(project) == 2
    # no model yet: the six finished articles are all new
    assert retrain_state(project).due

    out = io.StringIO()
    assert run_child(project.url, TrainRequest(overrides=TINY), out) == 0
    events = _events(out)
    kinds = [e["event"] for e in events]
    assert kinds[-1] == "done" and "say" in kinds
    fractions = [float(str(e["fraction"])) for e in events if e["event"] == "progress"]
    assert fractions == sorted(fractions) and 0.4 < max(fractions) <= 1.0
    (model,) = trained_models(project)
    assert model.key == "trained-v1" and model.documents == 6
    assert sorted(p.name for p in models_dir(project).iterdir()) == ["trained-v1"]

    # counted from the model's six: one newly finished is not enough, two are
    assert not retrain_state(project).due
    _finish(project, seeds[0])
    state = retrain_state(project)
    assert (state.finished, state.since, state.due) == (7, 6, False)
    _finish(project, seeds[1])
    assert retrain_state(project).due
    # a training the window started at 8 (and that failed) is not retried before 10
    assert not retrain_state(project, tried_at=8).due
    set_retrain_every(project, 0)
    assert not retrain_state(project).due

    # the status bar's name for its suggestions; other sets by their pipeline key
    assert describe_source(project, model.suggestion_set) == "trained-v1 (trained on 6 articles)"
    assert describe_source(project, "suggestions:rules-1") == "rules-1"
    assert describe_source(project, None) is None

    # the new model suggests the three articles still unopened, and not twice
    unopened = unopened_documents(project)
    assert unopened == seeds[2:]
    suggester = pipeline.load_suggester(model.path)
    assert use_model(project, suggester) == model.suggestion_set
    assert project.suggestion_source() == model.suggestion_set
    assert suggest_documents(project, suggester, unopened) == 3
    assert suggest_documents(project, suggester, unopened) == 0
    who = project.annotator(model.suggestion_set)
    assert who is not None and set(project.annotated_document_ids(who)) == set(unopened)


def test_a_childs_error_is_an_event_not_a_traceback(tmp_path: Path) -> None:
    with Project.open(tmp_path / "bare.db") as bare:
        bare.import_paths([ROOT / "seeds"])
        out = io.StringIO()
        assert run_child(bare.url, TrainRequest(overrides=TINY), out) == EXIT_ERROR
        (*_, last) = _events(out)
        assert last["event"] == "error" and last["code"] == "E520"
        assert "no finished annotations" in str(last["text"])
        assert trained_models(bare) == []


def test_leftovers_of_a_stopped_child_go_a_recorded_model_stays(
    project: Project, tmp_path: Path
) -> None:
    parent = models_dir(project)
    parent.mkdir()
    (parent / "kept-by-someone").mkdir()
    before = folder_entries(parent)
    (parent / ".trained-v1.part-4242").mkdir()
    (parent / ".trained-v1.part-4242" / "corpus").mkdir()
    (parent / ".other.part-99").mkdir()  # another process's: not ours to remove
    (parent / "trained-v1").mkdir()  # published, but the child stopped before recording
    removed = clear_leftovers(project, parent, 4242, before)
    assert removed == [".trained-v1.part-4242", "trained-v1"]
    assert sorted(folder_entries(parent)) == [".other.part-99", "kept-by-someone"]


def test_the_module_runs_as_a_program(project: Project) -> None:
    import subprocess

    done = subprocess.run(
        [sys.executable, *child_arguments(project.url, TrainRequest(gold=True, source="x"))],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == EXIT_ERROR, done.stderr
    (event,) = [json.loads(line) for line in done.stdout.splitlines()]
    assert event["code"] == "E521"


def test_the_bundle_entry_runs_the_child(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    import subprocess

    monkeypatch.setattr(sys, "frozen", True, raising=False)
    args = child_arguments(project.url, TrainRequest(gold=True, source="x"))
    monkeypatch.delattr(sys, "frozen")
    assert args[0] == "--training-child"
    done = subprocess.run(
        [sys.executable, str(ROOT / "packaging" / "entry.py"), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == EXIT_ERROR, done.stderr
    (event,) = [json.loads(line) for line in done.stdout.splitlines()]
    assert event["code"] == "E521"


def test_the_windows_side_imports_no_spacy(project: Project, tmp_path: Path) -> None:
    """The window's UI thread starts the child and clears its leftovers: spaCy is the
    NLP lane's alone (ui/workers.py), so none of that may import it."""
    import subprocess

    (tmp_path / "m" / ".x.part-7").mkdir(parents=True)
    code = (
        "import sys\n"
        "from annotator.app.project import Project\n"
        "from annotator.app.training_runs import clear_leftovers, describe_source\n"
        "from annotator.ui.training_controller import TrainingController\n"
        f"p = Project.open({project.url!r})\n"
        "from pathlib import Path\n"
        f"print(clear_leftovers(p, Path({str(tmp_path / 'm')!r}), 7, set()))\n"
        "describe_source(p, 'suggestions:x')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('spacy', 'thinc')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["['.x.part-7']", "[]"]
