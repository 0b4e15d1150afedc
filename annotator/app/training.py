"""``annotator train``: a spaCy pipeline trained on the project's finished annotations.

What is learned from: ``--from NAME`` (that annotator's finished annotations), ``--gold``
(the adjudicated gold), else gold where a document has it and the finished human
annotations elsewhere (their majority where several people finished it; the rule of
``review.gold_pairs``). Each pair becomes the DocBin export's training ``Doc``
(``formats.docbin.build_doc``), split by a seeded draw into training and held-out
documents (``--eval-fraction``, ``--seed``). ``nlp.training`` trains the two layers and
puts them into one spaCy pipeline folder; the held-out documents are then suggested by
that pipeline, loaded as ``--model`` loads it, and scored with ``evaluate``'s scorer.

The folder is built in a hidden ``.NAME-vN.part-*`` folder beside its place and renamed
to ``NAME-vN`` only when everything worked: an interrupted or failed training leaves
nothing behind. Each model is recorded in the project (setting ``trained_models``, a
JSON list) and in the machine's index of trained models (``nlp.training_index``), so
``suggest --model NAME`` finds it; its suggestions are the set
``suggestions:<lang>_NAME-N``.
"""

from __future__ import annotations

import json
import os
import random
import re
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from annotator.app.export import annotation_pairs
from annotator.app.paths import APP_NAME
from annotator.app.suggest import scheme_options
from annotator.app.training_scores import (
    CurvePoint,
    heldout_scores,
    write_curve_chart,
)
from annotator.core import (
    Annotation,
    AnnotationStatus,
    AnnotatorError,
    AnnotatorKind,
    Document,
)
from annotator.formats.docbin import DEFAULT_SPAN_KEY, build_doc
from annotator.formats.export_base import SpanPlacementError
from annotator.nlp.training_config import (
    LAYERS,
    config_text,
    layer_config,
    parse_override,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from annotator.app.project import Project
    from annotator.nlp.training_config import Override

MODELS_KEY = "trained_models"
DEFAULT_NAME = "trained"
GOLD = "gold"
CURVE_FRACTIONS = (0.25, 0.5, 0.75, 1.0)
CHART_SUFFIXES = (".png", ".svg")
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,63}")
Say = Callable[[str], None]


class TrainError(AnnotatorError):
    code = "E520"


@dataclass
class TrainRequest:
    source: str | None = None  # --from
    gold: bool = False
    base: str | None = None
    name: str = DEFAULT_NAME
    out: Path | None = None  # the folder the model's folder goes in
    overrides: Sequence[str] = ()
    eval_fraction: float = 0.2
    seed: int = 0
    curve: Path | None = None
    links: str = "rules"


@dataclass
class TrainedModel:
    """What the project records of one trained model."""

    name: str
    version: int
    path: str
    trained_at: str
    source: str  # which annotations: gold, an annotator, or gold+finished
    documents: int
    train_documents: int
    heldout_documents: int
    scores: dict[str, float | None]
    spacy_version: str
    base: str | None = None
    overrides: list[str] = field(default_factory=list)
    seconds: float = 0.0
    links: str = "rules"
    suggestion_set: str = ""

    @property
    def key(self) -> str:
        return f"{self.name}-v{self.version}"


@dataclass
class TrainResult:
    model: TrainedModel
    curve: list[CurvePoint] = field(default_factory=list)
    curve_path: Path | None = None


# what is learned from ----------------------------------------------------------------


def choose_examples(
    project: Project, source: str | None, gold: bool
) -> tuple[str, list[tuple[Document, Annotation]]]:
    """The (document, labels) pairs to learn from and a name for that choice."""
    names = {a.name: a for a in project.annotators()}
    humans = ", ".join(n for n, a in names.items() if a.kind != AnnotatorKind.MODEL) or "none"
    if source is not None and gold:
        raise TrainError("Pass either --from NAME or --gold, not both.", code="E521")
    if source is not None:
        a = names.get(source)
        if a is None or a.kind == AnnotatorKind.MODEL:
            raise TrainError(
                f"No annotator {source!r} to train from. Annotators: {humans}.", code="E521"
            )
        label, pairs = source, list(annotation_pairs(project, source, "done"))
    elif gold:
        if GOLD not in names:
            raise TrainError(
                f"This project has no gold annotations (adjudicate first, or use --from "
                f"NAME). Annotators: {humans}."
            )
        label, pairs = GOLD, list(annotation_pairs(project, GOLD, "done"))
    else:
        from annotator.app.review import gold_pairs

        label = "gold, else finished human annotations"
        pairs = [
            (doc, ann)
            for doc, ann in gold_pairs(project, "majority", (AnnotationStatus.DONE,))
            if ann.status == AnnotationStatus.DONE
        ]
    pairs = [(d, a) for d, a in pairs if a.status == AnnotationStatus.DONE]
    if not pairs:
        raise TrainError(
            f"Nothing to train on: {label!r} has no finished annotations. Finish some "
            f"documents (status done) first. Annotators: {humans}."
        )
    return label, pairs


def heldout_positions(total: int, fraction: float, seed: int) -> set[int]:
    """Positions (in document order) held out for scoring: ``round(total * fraction)``
    of them, at least one and never all, drawn by a seeded generator."""
    if not 0 <= fraction < 1:
        raise TrainError(
            f"--eval-fraction must be at least 0 and below 1, got {fraction}.", code="E522"
        )
    if fraction == 0:
        return set()
    if total < 2:
        raise TrainError(
            f"Holding documents out needs at least 2 finished documents; there are {total}. "
            "Use --eval-fraction 0 to train on all (with no held-out scores).",
            code="E522",
        )
    n = min(max(round(total * fraction), 1), total - 1)
    return set(random.Random(seed).sample(range(total), n))


# configs -------------------------------------------------------------------------------


def _overrides(texts: Iterable[str]) -> list[Override]:
    return [parse_override(t) for t in texts]


def layer_configs(
    project: Project,
    req: TrainRequest,
    corpus: Path,
    *,
    base_ner: Mapping[str, Any] | None = None,
    base_vectors: bool = False,
) -> dict[str, dict[str, Any]]:
    overrides = _overrides(req.overrides)
    return {
        layer: layer_config(
            layer,
            lang=project.lang,
            train=str(corpus / layer / "train.spacy"),
            dev=str(corpus / layer / "dev.spacy"),
            base=req.base,
            base_ner=base_ner,
            base_vectors=base_vectors,
            overrides=overrides,
        )
        for layer in LAYERS
    }


def _base_facts(base: str | None) -> tuple[dict[str, Any] | None, bool]:
    if base is None:
        return None, False
    from annotator.nlp.training import base_has_vectors, base_ner_config, load_base

    nlp = load_base(base)
    return base_ner_config(nlp), base_has_vectors(nlp)


def show_config(project: Project, req: TrainRequest) -> str:
    """Both layers' configs as ``annotator train`` would run them (``--show-config``)."""
    base_ner, vectors = _base_facts(req.base)
    configs = layer_configs(project, req, Path("corpus"), base_ner=base_ner, base_vectors=vectors)
    parts = []
    for layer, cfg in configs.items():
        header = [
            f"the {layer} layer of `annotator train` (spaCy's init config --pipeline ner, "
            "its tok2vec inside the ner);",
            "paths.train / paths.dev are the training and held-out documents, written "
            "when training starts.",
        ]
        parts.append(f"# ===== {layer} =====\n" + config_text(cfg, header=header))
    return "\n".join(parts)


# where models go --------------------------------------------------------------------


def models_dir(project: Project) -> Path:
    """The project's data folder for models: beside a SQLite file (``p.db`` ->
    ``p-models/``), else the user data folder's ``models/``."""
    url = project.url
    if url.startswith("sqlite:///") and ":memory:" not in url:
        db = Path(url[len("sqlite:///") :])
        return db.with_name(f"{db.stem}-models")
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False) / "models"


def trained_models(project: Project) -> list[TrainedModel]:
    raw = project.setting(MODELS_KEY)
    if not raw:
        return []
    return [TrainedModel(**item) for item in json.loads(raw)]


def _record(project: Project, model: TrainedModel) -> None:
    items = [asdict(m) for m in trained_models(project)] + [asdict(model)]
    project.set_setting(MODELS_KEY, json.dumps(items))


def _check_name(project: Project, name: str) -> None:
    if not _NAME.fullmatch(name):
        raise TrainError(
            f"--name {name!r}: use a letter, then letters, digits or _ (up to 64).",
            code="E523",
        )
    from annotator.nlp.pipeline import RULES_NAME, installed_pipelines

    if name == RULES_NAME or any(i.name == name for i in installed_pipelines()):
        raise TrainError(
            f"--name {name!r} is an installed pipeline's name; choose another.", code="E523"
        )


def _next_version(project: Project, parent: Path, name: str) -> int:
    used = [m.version for m in trained_models(project) if m.name == name]
    if parent.is_dir():
        for p in parent.iterdir():
            m = re.fullmatch(rf"{re.escape(name)}-v(\d+)", p.name)
            if m:
                used.append(int(m.group(1)))
    return max(used, default=0) + 1


# training ------------------------------------------------------------------------------


def _docs(pairs: Sequence[tuple[Document, Annotation]], lang: str) -> tuple[list[Doc], int]:
    from annotator.nlp.tokenize import blank_pipeline

    vocab = blank_pipeline(lang).vocab
    docs: list[Doc] = []
    failed = 0
    for doc, ann in pairs:
        try:
            docs.append(build_doc(doc, ann, vocab=vocab, lang=lang, span_key=DEFAULT_SPAN_KEY))
        except SpanPlacementError:
            failed += 1
    return docs, failed


def _train_once(
    project: Project,
    req: TrainRequest,
    work: Path,
    train_docs: Sequence[Doc],
    dev_docs: Sequence[Doc],
    *,
    name: str,
    version: int,
    base_facts: tuple[dict[str, Any] | None, bool],
    log: IO[str] | None,
    say: Say,
) -> Path:
    """Train both layers on ``train_docs`` in ``work``; the assembled folder."""
    from annotator.nlp.training import assemble, quote_layer_doc, save_docbin, train_layer

    corpus = work / "corpus"
    for layer in LAYERS:

        def shaped(docs: Sequence[Doc], layer: str = layer) -> list[Doc]:
            if layer == "entities":
                return list(docs)
            return [quote_layer_doc(d, DEFAULT_SPAN_KEY) for d in docs]

        save_docbin(shaped(train_docs), corpus / layer / "train.spacy")
        save_docbin(shaped(dev_docs or train_docs), corpus / layer / "dev.spacy")
    configs = layer_configs(
        project, req, corpus, base_ner=base_facts[0], base_vectors=base_facts[1]
    )
    best: dict[str, Path] = {}
    for layer, cfg in configs.items():
        (work / f"{layer}.cfg").write_text(config_text(cfg), encoding="utf-8")
        say(f"training the {layer} layer on {len(train_docs)} documents…")
        best[layer] = train_layer(cfg, work / layer, log=log)
    target = work / "model"
    assemble(
        best["entities"],
        best["quotes"],
        target,
        name=name,
        version=str(version),
        base=req.base,
        links=req.links,
    )
    return target


def _score_folder(
    project: Project, folder: Path, heldout: Sequence[tuple[Document, Annotation]]
) -> dict[str, float | None]:
    from annotator.nlp.training import load_trained

    if not heldout:
        return {}
    scores, _ = heldout_scores(
        load_trained(folder), heldout, scheme_options(project), project.lang
    )
    return scores


def train_model(
    project: Project,
    req: TrainRequest,
    *,
    log: IO[str] | None = None,
    say: Say | None = None,
) -> TrainResult:
    """Train, score, publish and record one model (see the module)."""
    import spacy

    from annotator.nlp.training import remove_tree, update_meta
    from annotator.nlp.training_index import register

    tell: Say = say or (lambda _m: None)
    started = time.perf_counter()
    _check_name(project, req.name)
    if req.curve is not None and req.curve.suffix.lower() not in CHART_SUFFIXES:
        raise TrainError(
            f"--curve {req.curve.name!r}: draw the curve as a .png or .svg file.", code="E522"
        )
    base_facts = _base_facts(req.base)  # an unknown --base fails before anything is read
    # and so does a bad --set: the configs are made once here to check them
    layer_configs(project, req, Path("corpus"), base_ner=base_facts[0], base_vectors=base_facts[1])
    label, pairs = choose_examples(project, req.source, req.gold)
    held = heldout_positions(len(pairs), req.eval_fraction, req.seed)
    if req.curve is not None and not held:
        raise TrainError("--curve needs held-out documents (--eval-fraction above 0).", code="E522")
    heldout = [p for i, p in enumerate(pairs) if i in held]
    training = [p for i, p in enumerate(pairs) if i not in held]
    train_docs, failed = _docs(training, project.lang)
    dev_docs, _ = _docs(heldout, project.lang)
    if not train_docs:
        raise TrainError("None of the finished documents could be made into an example.")
    parent = Path(req.out) if req.out is not None else models_dir(project)
    parent.mkdir(parents=True, exist_ok=True)
    version = _next_version(project, parent, req.name)
    final = parent / f"{req.name}-v{version}"
    work = parent / f".{req.name}-v{version}.part-{os.getpid()}"
    tell(
        f"{len(pairs)} finished documents of {label}: {len(train_docs)} to train on, "
        f"{len(heldout)} held out (seed {req.seed})"
        + (f"; {failed} could not be placed on tokens and are left out" if failed else "")
    )
    curve: list[CurvePoint] = []
    try:
        work.mkdir(parents=True)
        if req.curve is not None:
            order = list(range(len(train_docs)))
            random.Random(req.seed).shuffle(order)
            for fraction in CURVE_FRACTIONS[:-1]:
                n = max(1, round(len(train_docs) * fraction))
                part = work / f"curve-{int(fraction * 100)}"
                subset = [train_docs[i] for i in sorted(order[:n])]
                tell(f"learning curve: {int(fraction * 100)}% ({n} documents)")
                folder = _train_once(
                    project,
                    req,
                    part,
                    subset,
                    dev_docs,
                    name=req.name,
                    version=version,
                    base_facts=base_facts,
                    log=log,
                    say=tell,
                )
                curve.append(CurvePoint(fraction, n, _score_folder(project, folder, heldout)))
                remove_tree(part)
        folder = _train_once(
            project,
            req,
            work,
            train_docs,
            dev_docs,
            name=req.name,
            version=version,
            base_facts=base_facts,
            log=log,
            say=tell,
        )
        tell(f"scoring on {len(heldout)} held-out documents…")
        scores = _score_folder(project, folder, heldout)
        if req.curve is not None:
            curve.append(CurvePoint(1.0, len(train_docs), scores))
        trained_at = datetime.now(UTC).isoformat(timespec="seconds")
        update_meta(
            folder,
            {
                "trained_at": trained_at,
                "source": label,
                "heldout_scores": scores,
                "documents": len(pairs),
            },
        )
        if final.exists():
            raise TrainError(f"{final} appeared while training; nothing replaced.", code="E523")
        os.replace(folder, final)
    finally:
        remove_tree(work)
    info_key = f"{project.lang}_{req.name}-{version}"
    model = TrainedModel(
        name=req.name,
        version=version,
        path=str(final.resolve()),
        trained_at=trained_at,
        source=label,
        documents=len(pairs),
        train_documents=len(train_docs),
        heldout_documents=len(heldout),
        scores=scores,
        spacy_version=spacy.__version__,
        base=req.base,
        overrides=list(req.overrides),
        seconds=round(time.perf_counter() - started, 1),
        links=req.links,
        suggestion_set=f"suggestions:{info_key}",
    )
    _record(project, model)
    register(req.name, version, final)
    result = TrainResult(model, curve)
    if req.curve is not None:
        result.curve_path = write_curve_chart(curve, req.curve, title=model.key)
    return result
