"""The cue lexicon, read from ``resources/cues.json`` (kept as data, not code)."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from annotator.core import AnnotatorError


def resources_dir() -> Path:
    """``resources/`` of the repository, or ``$ANNOTATOR_RESOURCES`` when set (packaged apps)."""
    env = os.environ.get("ANNOTATOR_RESOURCES")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "resources"


def load_resource(name: str) -> dict[str, Any]:
    path = resources_dir() / name
    try:
        with path.open(encoding="utf-8") as fh:
            data: dict[str, Any] = json.load(fh)
    except (OSError, ValueError) as exc:
        raise AnnotatorError(
            f"Cannot read the NLP resource {path}: {exc}. Reinstall the program or set "
            "ANNOTATOR_RESOURCES to the folder holding cues.json and gazetteer.json.",
            code="E301",
        ) from exc
    return data


@dataclass(frozen=True)
class CueEntry:
    lemma: str
    cls: str  # "speech" | "cognition"
    weight: float
    particle: str = ""
    needs: str = ""  # a word that must follow in the sentence ("referred to X as Y")


@dataclass(frozen=True)
class CueLexicon:
    lemmas: dict[str, CueEntry]
    particle_verbs: dict[tuple[str, str], CueEntry]
    forms: dict[str, str]  # inflected lowercase form -> lemma (for pipelines without lemmas)
    phrases: dict[str, dict[str, Any]]
    addressee_object: frozenset[str]
    np_content_object: frozenset[str]
    small_clause: frozenset[str]
    only_with_object: frozenset[str]
    light_verb_nouns: dict[str, frozenset[str]]
    not_content_objects: frozenset[str] = field(default_factory=frozenset)
    # inflected form -> lemma of the particle verbs' verbs (for pipelines without
    # lemmas); kept apart from ``forms``: "chimed" alone is no cue
    particle_forms: dict[str, str] = field(default_factory=dict)

    def entry(self, lemma: str, *, cognition: bool) -> CueEntry | None:
        e = self.lemmas.get(lemma.lower())
        if e is None or (e.cls == "cognition" and not cognition):
            return None
        return e

    def lemma_of_form(self, form: str) -> str | None:
        return self.forms.get(form.lower())


def _regular_forms(lemma: str) -> list[str]:
    """say -> says/sayed… is wrong, so irregular verbs list their forms in the data."""
    if lemma.endswith("e"):
        return [lemma, lemma + "s", lemma + "d", lemma[:-1] + "ing"]
    if lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        return [lemma, lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing"]
    if lemma.endswith(("s", "sh", "ch", "x", "z")):
        return [lemma, lemma + "es", lemma + "ed", lemma + "ing"]
    return [lemma, lemma + "s", lemma + "ed", lemma + "ing"]


@lru_cache(maxsize=1)
def cue_lexicon() -> CueLexicon:
    data = load_resource("cues.json")
    lemmas: dict[str, CueEntry] = {}
    forms: dict[str, str] = {}
    only_obj: set[str] = set()
    for item in data["lemmas"]:
        lemma = item["lemma"]
        if lemma in lemmas and item.get("only_with_object"):
            continue
        lemmas[lemma] = CueEntry(lemma, item["class"], float(item["weight"]))
        if item.get("only_with_object"):
            only_obj.add(lemma)
        for f in item.get("forms") or _regular_forms(lemma):
            forms.setdefault(f.lower(), lemma)
        forms.setdefault(lemma, lemma)
    particle_verbs = {
        (p["lemma"], p["particle"]): CueEntry(
            p["lemma"], p["class"], float(p["weight"]), p["particle"], p.get("needs", "")
        )
        for p in data.get("particle_verbs", [])
    }
    particle_forms: dict[str, str] = {}
    for p in data.get("particle_verbs", []):
        for f in p.get("forms") or _regular_forms(p["lemma"]):
            particle_forms.setdefault(f.lower(), p["lemma"])
    return CueLexicon(
        lemmas=lemmas,
        particle_verbs=particle_verbs,
        forms=forms,
        phrases={p["text"].lower(): p for p in data.get("phrases", [])},
        addressee_object=frozenset(data.get("addressee_object", [])),
        np_content_object=frozenset(data.get("np_content_object", [])),
        small_clause=frozenset(data.get("small_clause", [])),
        only_with_object=frozenset(only_obj),
        light_verb_nouns={k: frozenset(v) for k, v in data.get("light_verb_nouns", {}).items()},
        not_content_objects=frozenset(data.get("not_content_objects", [])),
        particle_forms=particle_forms,
    )
