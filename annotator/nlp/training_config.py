"""The spaCy training configs ``annotator train`` generates, and their ``--set`` overrides.

Two layers are trained, each a spaCy ``ner`` with its own embedded tok2vec (no shared
``tok2vec`` component and no listener, so each trained component can be put into one
pipeline as it is):

- ``entities``: the project's entity labels (``doc.ents`` of the training Docs), from
  scratch or starting from an installed pipeline's ``ner`` (``--base``: the config
  ``source``\\ s the component, as ``spacy init config`` leaves to the user);
- ``quotes``: QUOTE, SPEAKER and CUE as non-overlapping entities of their own (a ``ner``,
  kept by measurement: ``bench/bench_spancat.py`` trained spaCy's stock span_finder +
  spancat, with the finder's candidates as spancat's suggester and spans of up to 80
  tokens, on the same 48 generated articles and 600 steps: it proposed no QUOTE at all
  (F1 0.00, 3.7 GB peak RSS) where this ner found every held-out QUOTE exactly).

Both start from spaCy's own ``init_config(pipeline=["ner"], optimize="efficiency")``.
An override is ``section.key=value`` (the value read as JSON, else as a string, as
``spacy train --section.key value`` reads it); ``entities:section.key=value`` or
``quotes:section.key=value`` sets one layer only. A key the config does not have is
refused, with the keys that section has.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from annotator.core import AnnotatorError

LAYERS = ("entities", "quotes")
QUOTE_NER_LABELS = ("QUOTE", "SPEAKER", "CUE")
# Defaults sized for a few hundred articles on a laptop's CPU (bench/bench_train.py):
# spaCy's stock 20,000 steps with a patience of 1,600 is sized for large corpora.
DEFAULT_TRAINING = {
    "max_steps": 1500,
    "max_epochs": 0,
    "patience": 600,
    "eval_frequency": 150,
}


class TrainingConfigError(AnnotatorError):
    code = "E370"


@dataclass(frozen=True)
class Override:
    layer: str | None  # None: both layers
    path: tuple[str, ...]
    value: Any

    @property
    def text(self) -> str:
        prefix = f"{self.layer}:" if self.layer else ""
        return f"{prefix}{'.'.join(self.path)}={json.dumps(self.value)}"


def parse_override(text: str) -> Override:
    """``[layer:]section.key=value`` as an ``Override`` (raises E370)."""
    if "=" not in text:
        raise TrainingConfigError(
            f"--set {text!r}: write section.key=value, e.g. training.max_steps=500 "
            "(or quotes:training.max_steps=500 for one layer)."
        )
    key, raw = text.split("=", 1)
    layer: str | None = None
    if ":" in key:
        layer, key = key.split(":", 1)
        if layer not in LAYERS:
            raise TrainingConfigError(
                f"--set {text!r}: unknown layer {layer!r}; use {' or '.join(LAYERS)}."
            )
    path = tuple(p for p in key.strip().split("."))
    if len(path) < 2 or not all(path):
        raise TrainingConfigError(
            f"--set {text!r}: name a setting as section.key (e.g. training.dropout=0.2)."
        )
    try:
        value: Any = json.loads(raw)
    except ValueError:
        value = raw
    return Override(layer, path, value)


def apply_overrides(config: dict[str, Any], layer: str, overrides: Sequence[Override]) -> None:
    """Set each override meant for ``layer`` in ``config`` (a nested dict), in place."""
    for o in overrides:
        if o.layer not in (None, layer):
            continue
        section: Any = config
        for depth, part in enumerate(o.path[:-1]):
            if not isinstance(section, dict) or part not in section:
                where = ".".join(o.path[: depth + 1])
                known = ", ".join(sorted(section)) if isinstance(section, dict) else "none"
                raise TrainingConfigError(
                    f"--set {o.text}: the {layer} config has no section [{where}] "
                    f"(there: {known}). --show-config prints the whole config."
                )
            section = section[part]
        last = o.path[-1]
        if not isinstance(section, dict) or last not in section:
            where = ".".join(o.path[:-1])
            known = ", ".join(sorted(k for k in section)) if isinstance(section, dict) else "none"
            raise TrainingConfigError(
                f"--set {o.text}: [{where}] of the {layer} config has no setting {last!r} "
                f"(it has: {known}). --show-config prints the whole config."
            )
        if isinstance(section[last], dict):
            raise TrainingConfigError(
                f"--set {o.text}: {'.'.join(o.path)} is a section, not a setting; set one of "
                f"its keys ({', '.join(sorted(section[last]))}). --show-config prints the "
                "whole config."
            )
        section[last] = o.value


def _stock(lang: str) -> dict[str, Any]:
    from spacy.cli.init_config import init_config

    try:
        config = init_config(lang=lang, pipeline=["ner"], optimize="efficiency")
    except (ValueError, KeyError, ImportError) as exc:
        raise TrainingConfigError(
            f"spaCy cannot make a training config for language {lang!r}: {exc}"
        ) from exc
    return copy.deepcopy(dict(config))


def base_source(base: str, ner_config: Mapping[str, Any]) -> dict[str, Any]:
    """The config block of an entity ``ner`` sourced from the pipeline ``base``."""
    block: dict[str, Any] = {"source": base}
    tok2vec = ner_config.get("model", {}).get("tok2vec", {})
    if "Listener" in str(tok2vec.get("@architectures", "")):
        # its tok2vec is a shared component: the trained ner takes a copy of its own
        block["replace_listeners"] = ["model.tok2vec"]
    return block


def layer_config(
    layer: str,
    *,
    lang: str,
    train: str,
    dev: str,
    base: str | None = None,
    base_ner: Mapping[str, Any] | None = None,
    base_vectors: bool = False,
    overrides: Sequence[Override] = (),
) -> dict[str, Any]:
    """The config of one layer as a nested dict (``config_text`` writes it)."""
    if layer not in LAYERS:
        raise TrainingConfigError(f"Unknown layer {layer!r}; use {' or '.join(LAYERS)}.")
    config = _stock(lang)
    components = config["components"]
    ner = components["ner"]
    # the ner embeds the tok2vec the stock config shares through a listener
    tok2vec = ner["model"]["tok2vec"] = components.pop("tok2vec")["model"]
    # its width follows the encoder's, as in the stock config (now at its new place)
    tok2vec["embed"]["width"] = "${components.ner.model.tok2vec.encode.width}"
    config["nlp"]["pipeline"] = ["ner"]
    config["paths"]["train"] = train
    config["paths"]["dev"] = dev
    config["training"].update(DEFAULT_TRAINING)
    if layer == "entities" and base is not None:
        components["ner"] = base_source(base, base_ner or {})
        if base_vectors:
            config["paths"]["vectors"] = base
            config["initialize"]["vectors"] = base
    apply_overrides(config, layer, overrides)
    return config


def config_text(config: Mapping[str, Any], *, header: Sequence[str] = ()) -> str:
    """The config as ``config.cfg`` text (spaCy's ``Config.to_str``)."""
    from spacy import Config

    text = Config(copy.deepcopy(dict(config))).to_str()
    return "".join(f"# {line}\n" for line in header) + text
