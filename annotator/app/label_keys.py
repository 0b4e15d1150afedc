"""Keys that label: which key applies which label, kept in the project's settings.

The default is the scheme's own hotkeys (1–9 for the first nine entity labels of the
built-in scheme); a project may bind other keys, e.g. ``F`` for FAC, so labels past the
ninth have a key too. The bindings live in the project file (one JSON object under one
settings key), so every window on the project and every annotator sees the same keys.

Keys are written the way Qt's ``QKeySequence.toString()`` writes them (``"7"``,
``"F"``, ``"Alt+W"``); this module compares them without Qt, ignoring case and the
order of modifiers.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from annotator.core import LabelScheme, Layer
from annotator.core.errors import AnnotatorError

if TYPE_CHECKING:
    from annotator.app.project import Project

SETTING_KEY = "label_shortcuts"
MODIFIERS = ("ctrl", "alt", "shift", "meta")


class LabelKeyError(AnnotatorError):
    """A binding that cannot be made; the message says why and what to do."""

    code = "E400"


def canonical_key(key: str) -> str:
    """``"shift+ctrl+w"`` and ``"Ctrl+Shift+W"`` are one key: compare this form."""
    text = key.strip()
    if not text:
        return ""
    # "Ctrl++" is Ctrl and the plus key: the last "+" that ends the text is the key.
    if text.endswith("++"):
        parts, last = text[:-2].split("+"), "+"
    elif text == "+":
        parts, last = [], "+"
    else:
        *parts, last = text.split("+")
    mods = {p.strip().lower() for p in parts if p.strip()}
    if mods - set(MODIFIERS):
        return text.lower()  # not a modifier we know: compare the text as written
    ordered = [m for m in MODIFIERS if m in mods]
    return "+".join([*ordered, last.strip().lower()])


def default_label_shortcuts(scheme: LabelScheme) -> dict[str, str]:
    """The scheme's digit hotkeys of entity labels; a scheme without any gets 1–9 for
    its first nine entity labels (quote labels have their own command keys Q/S/C)."""
    ents = [spec for spec in scheme.labels if spec.layer == Layer.ENTS]
    chosen = {spec.name: spec.hotkey for spec in ents if spec.hotkey and spec.hotkey.isdigit()}
    if chosen:
        return chosen
    return {spec.name: str(n) for n, spec in enumerate(ents[:9], start=1)}


def label_shortcuts(project: Project) -> dict[str, str]:
    """Label name -> key for this project (stored bindings, else the defaults).

    A stored binding of a label the scheme no longer has is left out; a damaged
    setting falls back to the defaults rather than leaving labelling without keys."""
    scheme = project.scheme
    raw = project.setting(SETTING_KEY)
    if not raw:
        return default_label_shortcuts(scheme)
    try:
        stored = json.loads(raw)
    except ValueError:
        return default_label_shortcuts(scheme)
    if not isinstance(stored, dict):
        return default_label_shortcuts(scheme)
    out: dict[str, str] = {}
    seen: set[str] = set()
    for label, key in stored.items():
        if not isinstance(key, str) or label not in scheme or not key.strip():
            continue
        canon = canonical_key(key)
        if canon in seen:  # two labels on one key (edited by hand): the first keeps it
            continue
        seen.add(canon)
        out[label] = key.strip()
    return out


def set_label_shortcut(
    project: Project,
    label: str,
    key: str | None,
    *,
    reserved: Iterable[str] = (),
    take_over: bool = False,
) -> dict[str, str]:
    """Bind ``key`` to ``label`` (``None`` or ``""`` removes the label's key), save at
    once and return the new bindings.

    ``reserved`` are the window's fixed command keys (A, X, Tab, Ctrl+Z, …): a label
    may not take one. A key another label has is refused, unless ``take_over``, when
    that label loses it (the picker's Ctrl+digit moves a digit to a label)."""
    scheme = project.scheme
    if label not in scheme:
        names = ", ".join(scheme.names())
        raise LabelKeyError(f"No label {label!r} in this project's scheme. Labels: {names}")
    current = label_shortcuts(project)
    new = dict(current)
    if not key or not key.strip():
        new.pop(label, None)
    else:
        key = key.strip()
        if "," in key.replace("+,", ""):
            raise LabelKeyError(f"{key!r} is several keys; a label takes a single key.")
        canon = canonical_key(key)
        fixed = {canonical_key(k) for k in reserved}
        if canon in fixed:
            raise LabelKeyError(
                f"{key} is already a command key; choose a key not in Help ▸ Keyboard shortcuts."
            )
        for other, other_key in current.items():
            if other != label and canonical_key(other_key) == canon:
                if not take_over:
                    raise LabelKeyError(
                        f"{key} already labels {other}; give {other} another key first."
                    )
                del new[other]
        new[label] = key
    project.set_setting(SETTING_KEY, json.dumps(new))
    return new


def validate_bindings(bindings: Mapping[str, str], reserved: Iterable[str]) -> list[str]:
    """Problems of a set of bindings (shared keys, command keys); empty when fine."""
    problems: list[str] = []
    fixed = {canonical_key(k) for k in reserved}
    owner: dict[str, str] = {}
    for label, key in bindings.items():
        canon = canonical_key(key)
        if canon in fixed:
            problems.append(f"{label}: {key} is a command key")
        elif canon in owner:
            problems.append(f"{label}: {key} already labels {owner[canon]}")
        else:
            owner[canon] = label
    return problems
