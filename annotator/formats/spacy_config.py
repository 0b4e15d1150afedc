"""A ready ``config.cfg`` for ``spacy train`` on a spaCy export (``export --config``).

The config is spaCy's own: ``spacy.cli.init_config.init_config`` (what ``python -m spacy
init config --pipeline ner,spancat`` runs) for the project's language, with three settings
of ours: ``paths.train`` / ``paths.dev`` are the exported files (absolute, as spaCy
resolves them from the working directory, not from the config), and spancat reads the
export's span group. With another key than the stock ``sc`` the score weights are renamed
too: spaCy reports spancat's figures as ``spans_<key>_f``, and a stock config that still
weighs ``spans_sc_f`` shows 0 for spancat and picks the best model on NER alone.

spancat's stock suggester proposes spans of 1 to 3 tokens, which SPEAKER and CUE nearly
always are and a QUOTE seldom is: such a spancat learns speakers and cues, and the QUOTE
label only for short quotes. The config leaves that choice to the user (its header says
so) rather than proposing every span up to the longest quote, which multiplies the
candidates per token by that length.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from pathlib import Path

from annotator.core import AnnotatorError
from annotator.formats.docbin import DEFAULT_SPAN_KEY

PIPELINE = ("ner", "spancat")


class TrainingConfigError(AnnotatorError):
    code = "E350"


def training_config(*, lang: str, train: Path, dev: Path, span_key: str = DEFAULT_SPAN_KEY) -> str:
    """The text of a config that trains ner and spancat on ``train``, scored on ``dev``."""
    from spacy.cli.init_config import init_config

    try:
        config = init_config(lang=lang, pipeline=list(PIPELINE), optimize="efficiency")
    except (ValueError, KeyError, ImportError) as exc:
        raise TrainingConfigError(
            f"spaCy cannot make a training config for language {lang!r}: {exc}"
        ) from exc
    config["paths"]["train"] = str(Path(train).resolve())
    config["paths"]["dev"] = str(Path(dev).resolve())
    config["components"]["spancat"]["spans_key"] = span_key
    if span_key != "sc":
        weights = config["training"]["score_weights"]
        for part in ("f", "p", "r"):
            weights[f"spans_{span_key}_{part}"] = weights.get(f"spans_sc_{part}", 0.0)
            # spancat's factory declares spans_sc_* whatever its key; null drops them
            # from the score and the table instead of showing a column of zeros.
            weights[f"spans_sc_{part}"] = None
    header = [
        "# Written by `annotator export --format spacy --config`: spaCy's own",
        f"# `init config --pipeline {','.join(PIPELINE)} --lang {lang}`, with the exported files",
        f"# as paths.train and paths.dev and spancat reading doc.spans[{span_key!r}].",
        "# Train with: python -m spacy train THIS_FILE --output OUTPUT_FOLDER",
    ]
    if Path(train).resolve() == Path(dev).resolve():
        header.append(
            "# No dev split was exported (export --dev 0.2 makes one): dev is the"
            " training file, so the scores measure fit, not generalisation."
        )
    header.append(
        "# spancat proposes spans of 1-3 tokens (components.spancat.suggester):"
        " it learns SPEAKER and CUE, and QUOTE only where a quote is that short."
    )
    return "\n".join(header) + "\n" + config.to_str()


def config_for_export(
    fmt: str, files: Mapping[str, Path], *, lang: str, span_key: str = DEFAULT_SPAN_KEY
) -> str:
    """The config for an export's files (``all``, or ``train`` and ``dev``), made before
    the export so a config that cannot be made stops it before anything is written."""
    if fmt != "spacy":
        raise TrainingConfigError(
            f"--config writes a spaCy training config; it goes with --format spacy, not {fmt!r}."
        )
    train = files.get("train", files.get("all"))
    dev = files.get("dev", train)
    if train is None or dev is None:
        raise TrainingConfigError("The export has no file to train on.")
    return training_config(lang=lang, train=train, dev=dev, span_key=span_key)


def write_training_config(path: Path, text: str) -> Path:
    """Write a config made by ``training_config`` to ``path`` (a folder gets
    ``config.cfg``), renamed into place so a failed write leaves no half file."""
    path = Path(path)
    if path.is_dir():
        path = path / "config.cfg"
    tmp = path.with_name(path.name + ".part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise TrainingConfigError(
            f"Cannot write the training config {path}: {exc.strerror or exc}. "
            "The export itself was written; export again with another --config."
        ) from exc
    return path
