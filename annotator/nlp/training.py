"""Training the two layers with spaCy's own loop and putting them into one pipeline folder.

The caller (``annotator.app.training``) builds the training ``Doc``s (the DocBin export's
``build_doc``: entities in ``doc.ents``, QUOTE/SPEAKER/CUE in a span group); here
``quote_layer_doc`` turns one into the quote layer's example, ``train_layer`` runs
``spacy.training.loop.train`` on a generated config (``annotator.nlp.training_config``)
and ``assemble`` makes one pipeline of the results (``annotator.nlp.training_pipeline``
says how it is laid out).
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from annotator.core import AnnotatorError
from annotator.nlp.pipeline_info import PipelineInfo
from annotator.nlp.training_config import QUOTE_NER_LABELS
from annotator.nlp.training_pipeline import META_KEY, MOVER, QUOTE_NER, trained_finder

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from annotator.nlp.suggester import Suggester


class TrainingError(AnnotatorError):
    code = "E371"


class AssembleError(AnnotatorError):
    code = "E372"


def quote_layer_doc(doc: Doc, span_key: str) -> Doc:
    """A copy of a training Doc whose ``doc.ents`` are its QUOTE, SPEAKER and CUE spans
    (the quote layer's ``ner`` learns them as entities). Where two overlap, the longer
    one stays (a QUOTE over a SPEAKER inside it: the QUOTE)."""
    from spacy.tokens import Span
    from spacy.util import filter_spans

    out = doc.copy()
    group = list(doc.spans[span_key]) if span_key in doc.spans else []
    kept = filter_spans([s for s in group if s.label_ in QUOTE_NER_LABELS])
    out.ents = [Span(out, s.start, s.end, label=s.label_) for s in kept]
    return out


def save_docbin(docs: Iterable[Doc], path: Path) -> Path:
    from spacy.tokens import DocBin

    path.parent.mkdir(parents=True, exist_ok=True)
    DocBin(docs=docs).to_disk(path)
    return path


def load_base(name_or_path: str) -> Language:
    """An installed pipeline (or a pipeline folder) to start the entity layer from."""
    import spacy
    import spacy.util

    from annotator.nlp.pipeline import resolve_pipeline

    info = resolve_pipeline(name_or_path)  # E304 with the installed ones when unknown
    if info.kind != "spacy":
        raise TrainingError(
            f"--base {name_or_path!r} is the rule suggester, not a spaCy pipeline with "
            "weights to start from."
        )
    target = info.name if info.name in spacy.util.get_installed_models() else info.path
    try:
        nlp = spacy.load(target or info.name)
    except (OSError, ValueError) as exc:
        raise TrainingError(f"Cannot load --base {name_or_path!r}: {exc}") from exc
    if "ner" not in nlp.pipe_names:
        raise TrainingError(
            f"--base {name_or_path!r} has no 'ner' component to start the entities from "
            f"(it has: {', '.join(nlp.pipe_names) or 'none'})."
        )
    return nlp


def base_ner_config(nlp: Language) -> dict[str, Any]:
    return dict(nlp.config["components"]["ner"])


def base_has_vectors(nlp: Language) -> bool:
    return bool(nlp.vocab.vectors.shape[0])


def train_layer(config: Mapping[str, Any], out: Path, *, log: IO[str] | None = None) -> Path:
    """Train one layer (its config as made by ``layer_config``) into ``out``; the path
    of the best model (by the dev scores) spaCy saved there."""
    from spacy import Config
    from spacy.training.initialize import init_nlp
    from spacy.training.loop import train

    stream = log if log is not None else io.StringIO()
    out.mkdir(parents=True, exist_ok=True)
    try:
        cfg = Config(dict(config))
        with contextlib.redirect_stdout(stream):  # init_nlp's messages go to the log too
            nlp = init_nlp(cfg, use_gpu=-1)
            train(nlp, out, use_gpu=-1, stdout=stream, stderr=stream)
    except (ValueError, KeyError, TypeError) as exc:  # confection's errors are ValueErrors
        raise TrainingError(f"spaCy could not train with this config: {exc}") from exc
    for name in ("model-best", "model-last"):
        if (out / name / "meta.json").exists():
            return out / name
    raise TrainingError(f"spaCy's training left no model in {out}.")


def assemble(
    entities: Path,
    quotes: Path,
    target: Path,
    *,
    name: str,
    version: str,
    base: str | None = None,
    links: str = "rules",
    extra_meta: Mapping[str, Any] | None = None,
) -> Path:
    """One pipeline folder at ``target``: ``quote_ner`` and the mover first, then (with
    ``base``) the base pipeline's components with its ``ner`` replaced by the trained
    one, else the trained entity ``ner`` alone."""
    import spacy

    try:
        ent_nlp = spacy.load(entities)
        quote_nlp = spacy.load(quotes)
        if base is not None:
            nlp = load_base(base)
            at = nlp.pipe_names.index("ner")
            nlp.remove_pipe("ner")
            after = nlp.pipe_names[at - 1] if at > 0 else None
            if after is None:
                nlp.add_pipe("ner", source=ent_nlp, first=True)
            else:
                nlp.add_pipe("ner", source=ent_nlp, after=after)
        else:
            nlp = ent_nlp
        nlp.add_pipe("ner", name=QUOTE_NER, source=quote_nlp, first=True)
        nlp.add_pipe(MOVER, after=QUOTE_NER)
        nlp.meta["name"] = name
        nlp.meta["version"] = version
        nlp.meta["description"] = (
            "Trained by `annotator train`: entities (ner) and quotes (quote_ner over "
            "QUOTE, SPEAKER, CUE). Load it with the annotator (--model), or import "
            "annotator.nlp.training_pipeline before spacy.load."
        )
        nlp.meta[META_KEY] = {"links": links, "base": base, **(extra_meta or {})}
        nlp.to_disk(target)
    except (OSError, ValueError, KeyError) as exc:
        raise AssembleError(f"Cannot make the trained pipeline in {target}: {exc}") from exc
    return target


def update_meta(folder: Path, values: Mapping[str, Any]) -> None:
    """Add ``values`` to our part of a trained folder's ``meta.json``."""
    path = folder / "meta.json"
    meta = json.loads(path.read_text(encoding="utf-8"))
    meta.setdefault(META_KEY, {}).update(values)
    path.write_text(json.dumps(meta, indent=2), encoding="utf-8")


def load_trained(folder: Path) -> Suggester:
    """The suggester of a trained folder, as ``--model FOLDER`` loads it, not cached."""
    import spacy

    from annotator.nlp.pipeline import resolve_pipeline
    from annotator.nlp.suggester import Suggester

    info = resolve_pipeline(str(folder))
    try:
        nlp = spacy.load(folder)
    except (OSError, ValueError) as exc:
        raise AssembleError(f"Cannot load the trained pipeline {folder}: {exc}") from exc
    ner_labels = tuple(nlp.get_pipe("ner").labels) if "ner" in nlp.pipe_names else ()  # type: ignore[attr-defined]
    info = PipelineInfo(info.name, info.version, info.path, ner_labels, info.kind)
    return Suggester(nlp, info, finder=trained_finder(nlp))


def remove_tree(path: Path) -> None:
    with contextlib.suppress(OSError):
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
