"""Training from the window: ``train_model`` in a child process, and what follows a model.

The window never trains in its own process: spaCy's training holds the GIL for
seconds at a time and the window's spaCy belongs to its NLP lane (``ui/workers.py``).
It starts ``python -m annotator.app.training_runs --db URL --request JSON`` instead;
the child answers with one JSON object a line on stdout (``say``, ``progress``,
``done``, ``error``, ``cancelled``), so the window needs no parsing of the CLI's
wrapped text. SIGTERM (the window's Cancel) becomes a ``KeyboardInterrupt``, which
``train_model``'s ``finally`` turns into a removed ``.part`` folder; ``clear_leftovers``
is the parent's backstop for a child that had to be killed outright.

Also here: the project setting ``retrain_every`` (train again after every N newly
finished articles, 0 = off), the count it is compared with, the words the status bar
uses for a trained model, and suggesting the documents nobody has opened yet with a
new model.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import shutil
import signal
import sys
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from types import FrameType
from typing import IO, TYPE_CHECKING, Any

from annotator.app.suggest import (
    CURRENT_SUGGESTIONS_KEY,
    SUGGESTIONS_PREFIX,
    scheme_options,
    store_suggestions,
    suggestion_set_name,
)
from annotator.app.training import (
    DEFAULT_NAME,
    TrainedModel,
    TrainRequest,
    models_dir,
    trained_models,
)
from annotator.core import (
    Annotation,
    AnnotationStatus,
    AnnotatorError,
    AnnotatorKind,
    Document,
    Origin,
    Token,
)

if TYPE_CHECKING:
    from annotator.app.project import Project
    from annotator.nlp.suggester import Suggester, Suggestions

RETRAIN_KEY = "retrain_every"
EXIT_ERROR = 2
EXIT_CANCELLED = 130
# share of the whole run each stage ends at: the two layers take about the same time,
# scoring the held-out documents and publishing the rest
_STAGE_END = {"entities": 0.45, "quotes": 0.9}
# a row of spaCy's training table: epoch, step, then losses and scores
_TABLE_ROW = re.compile(r"^\s*(\d+)\s+(\d+)\s+\d")


# the request, across the process boundary -----------------------------------------------


def request_json(req: TrainRequest) -> str:
    data = asdict(req)
    for key in ("out", "curve"):
        data[key] = None if data[key] is None else str(data[key])
    data["overrides"] = list(req.overrides)
    return json.dumps(data)


def request_from_json(text: str) -> TrainRequest:
    data = json.loads(text)
    for key in ("out", "curve"):
        if data.get(key) is not None:
            data[key] = Path(data[key])
    return TrainRequest(**data)


FROZEN_FLAG = "--training-child"  # packaging/entry.py hands these arguments to main()


def child_arguments(db_url: str, req: TrainRequest) -> list[str]:
    """The arguments after ``sys.executable`` that train ``req`` on ``db_url``: in the
    PyInstaller bundle that executable is the program itself, which has no ``-m``."""
    start = [FROZEN_FLAG] if getattr(sys, "frozen", False) else ["-m", __name__]
    return [*start, "--db", db_url, "--request", request_json(req)]


def model_parent(project: Project, req: TrainRequest) -> Path:
    """The folder the model's folder (and its ``.part`` folder) go in."""
    return Path(req.out) if req.out is not None else models_dir(project)


# what a cancelled child may have left --------------------------------------------------


def folder_entries(parent: Path) -> set[str]:
    return {p.name for p in parent.iterdir()} if parent.is_dir() else set()


def clear_leftovers(project: Project, parent: Path, pid: int, before: set[str]) -> list[str]:
    """Remove what a stopped child (process ``pid``) left in ``parent``: its ``.part``
    folder (killed before its ``finally`` ran), or a model folder it published but
    did not record (stopped between the rename and the project setting). Returns the
    names removed. A recorded model stays: it is whole. Called on the window's UI
    thread, so no spaCy here (``nlp.training.remove_tree``'s module imports it)."""
    recorded = {Path(m.path).name for m in trained_models(project)}
    removed = []
    for name in sorted(folder_entries(parent) - before):
        if name.endswith(f".part-{pid}") or (not name.startswith(".") and name not in recorded):
            path = parent / name
            with contextlib.suppress(OSError):
                if path.is_dir():
                    shutil.rmtree(path)
                else:
                    path.unlink()
            removed.append(name)
    return removed


# the child ------------------------------------------------------------------------------


def _emit(out: IO[str], event: str, **fields: Any) -> None:
    out.write(json.dumps({"event": event, **fields}) + "\n")
    out.flush()  # the window reads line by line as they come


class _TableLog:
    """spaCy's training table, read as progress: each row's step against max_steps."""

    def __init__(self, out: IO[str], max_steps: dict[str, int]) -> None:
        self._out = out
        self._max = max_steps
        self._buffer = ""
        self.layer = "entities"

    def write(self, text: str) -> int:
        self._buffer += text
        *lines, self._buffer = self._buffer.split("\n")
        for line in lines:
            m = _TABLE_ROW.match(line)
            if m:
                self._step(int(m.group(2)))
        return len(text)

    def flush(self) -> None:
        pass

    def start(self, layer: str) -> None:
        self.layer = layer
        self._step(0)

    def _step(self, step: int) -> None:
        end = _STAGE_END.get(self.layer, 0.9)
        start = 0.0 if self.layer == "entities" else 0.45
        share = min(step / max(self._max.get(self.layer, 1), 1), 1.0)
        _emit(self._out, "progress", fraction=round(start + (end - start) * share, 3))


def _interrupt(_signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def run_child(db_url: str, req: TrainRequest, out: IO[str]) -> int:
    """Train in this process, telling ``out`` how it goes; the exit code."""
    from annotator.app.project import Project
    from annotator.app.training import layer_configs, train_model

    # Cancel is SIGTERM: as Ctrl+C, so train_model's finally removes the .part folder
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        with Project.open(db_url) as project:
            configs = layer_configs(project, req, Path("corpus"))
            log = _TableLog(out, {k: int(c["training"]["max_steps"]) for k, c in configs.items()})

            def say(message: str) -> None:
                _emit(out, "say", text=message)
                m = re.match(r"training the (\w+) layer", message)
                if m:
                    log.start(m.group(1))
                elif message.startswith("scoring"):
                    _emit(out, "progress", fraction=0.9)

            result = train_model(project, req, log=log, say=say)  # type: ignore[arg-type]
    except KeyboardInterrupt:
        _emit(out, "cancelled")
        return EXIT_CANCELLED
    except AnnotatorError as exc:
        _emit(out, "error", text=str(exc), code=exc.code)
        return EXIT_ERROR
    _emit(out, "done", model=asdict(result.model))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=f"python -m {__name__}")
    parser.add_argument("--db", required=True)
    parser.add_argument("--request", required=True, help="a TrainRequest as JSON")
    args = parser.parse_args(argv)
    return run_child(args.db, request_from_json(args.request), sys.stdout)


# train again after every N finished articles -------------------------------------------


def retrain_every(project: Project) -> int:
    """The project's N (0 = off)."""
    raw = project.setting(RETRAIN_KEY)
    try:
        return max(int(raw or 0), 0)
    except ValueError:
        return 0


def set_retrain_every(project: Project, every: int) -> None:
    project.set_setting(RETRAIN_KEY, str(max(int(every), 0)))


def finished_documents(project: Project) -> int:
    """Documents someone finished (a human's or gold's status done): what training
    learns from by default."""
    done: set[int] = set()
    for a in project.annotators():
        if a.kind != AnnotatorKind.MODEL:
            done.update(project.annotated_document_ids(a, [AnnotationStatus.DONE]))
    return len(done)


def latest_model(project: Project, name: str = DEFAULT_NAME) -> TrainedModel | None:
    models = [m for m in trained_models(project) if m.name == name]
    return max(models, key=lambda m: m.version, default=None)


@dataclass(frozen=True)
class RetrainState:
    every: int
    finished: int
    since: int  # finished documents when the last model was trained (or last tried)

    @property
    def due(self) -> bool:
        return self.every > 0 and self.finished - self.since >= self.every


def retrain_state(project: Project, *, tried_at: int = 0, name: str = DEFAULT_NAME) -> RetrainState:
    """Is a training due? ``tried_at``: the count when the window last started one (so
    a failed run is not retried at every next article)."""
    every = retrain_every(project)
    if every <= 0:
        return RetrainState(0, 0, 0)
    last = latest_model(project, name)
    since = max(last.documents if last is not None else 0, tried_at)
    return RetrainState(every, finished_documents(project), since)


# naming the model in use --------------------------------------------------------------


def describe_source(project: Project, source: str | None) -> str | None:
    """The status bar's name for a suggestion set: a trained model's ``NAME-vN``
    (what ``annotator trained`` lists), else the pipeline key."""
    if not source:
        return None
    for m in trained_models(project):
        if m.suggestion_set == source:
            return f"{m.key} (trained on {m.documents} articles)"
    return source[len(SUGGESTIONS_PREFIX) :] if source.startswith(SUGGESTIONS_PREFIX) else source


# a new model's suggestions for the documents nobody opened -------------------------------


def unopened_documents(project: Project) -> list[int]:
    """Documents with no human (or gold) annotation yet, in document order."""
    seen: set[int] = set()
    for a in project.annotators():
        if a.kind != AnnotatorKind.MODEL:
            seen.update(project.annotated_document_ids(a))
    return [i for i in project.document_ids(limit=10**9) if i not in seen]


def unfinished_documents(project: Project) -> list[int]:
    """Documents someone opened and has not finished (nor skipped), in id order:
    after the unopened, a new model suggests these too, so that reopening one shows
    its suggestions in place of the old undecided ones at once."""
    open_ = (AnnotationStatus.TODO, AnnotationStatus.IN_PROGRESS)
    started: set[int] = set()
    for a in project.annotators():
        if a.kind != AnnotatorKind.MODEL:
            started.update(project.annotated_document_ids(a, open_))
    return sorted(started)


def use_model(project: Project, suggester: Suggester) -> str:
    """Make ``suggester``'s set the one the window shows; its name."""
    name = suggestion_set_name(suggester)
    project.ensure_annotator(name, AnnotatorKind.MODEL)
    project.set_setting(CURRENT_SUGGESTIONS_KEY, name)
    return name


def untouched(annotation: Annotation, opened_with: Annotation | None) -> bool:
    """Whether the annotator decided nothing in ``annotation`` yet: not finished or
    flagged, nothing rejected, every span still a suggestion, and no link but those
    of ``opened_with`` (the suggestion set it was opened with)."""
    if annotation.status in (AnnotationStatus.DONE, AnnotationStatus.SKIPPED):
        return False
    if annotation.flagged or annotation.rejected:
        return False
    if any(s.origin != Origin.SUGGESTED for s in annotation.spans):
        return False
    given = set(opened_with.relations) if opened_with is not None else set()
    return all(r in given for r in annotation.relations)


def clear_untouched(
    project: Project, annotation: Annotation, opened_with: Annotation | None
) -> bool:
    """Take the old suggestions out of an annotation nobody decided anything in
    (``untouched``), so that opening it again merges the current set's instead: an
    article open while a new model arrives shows that model's suggestions. An
    annotation with a decision is left as it is. Saved under the version check."""
    if not untouched(annotation, opened_with):
        return False
    emptied = replace(annotation, spans=[], relations=[])
    project.save_version(annotation, emptied)
    return True


def suggest_documents(project: Project, suggester: Suggester, doc_ids: Sequence[int]) -> int:
    """Store ``suggester``'s suggestions for those of ``doc_ids`` its set lacks; how
    many were stored. The window calls it a few documents at a time, so an article
    the annotator opens waits for one small batch at most."""
    annotator = project.ensure_annotator(suggestion_set_name(suggester), AnnotatorKind.MODEL)
    have = set(project.annotated_document_ids(annotator))
    docs = [d for d in project.documents([i for i in doc_ids if i not in have]) if d.id]
    by_id: dict[int, Document] = {d.id or 0: d for d in docs}

    def items() -> Iterator[tuple[int, str, Sequence[Token] | None]]:
        for d in docs:
            yield d.id or 0, d.text, d.tokens

    results: list[tuple[Document, Suggestions]] = [
        (by_id[doc_id], result)
        for doc_id, result in suggester.suggest_many(
            items(), lang=project.lang, **scheme_options(project)
        )
    ]
    if results:
        store_suggestions(project, annotator, results)
    return len(results)


if __name__ == "__main__":
    sys.exit(main())
