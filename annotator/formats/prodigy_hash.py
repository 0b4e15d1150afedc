"""Prodigy's ``_input_hash`` and ``_task_hash``, computed as Prodigy's ``set_hashes`` does.

Prodigy finds the same question again by these two numbers (to skip what was already
answered, to merge the annotations of one text), so a record we write must carry the
numbers Prodigy would give it. Both are 32-bit MurmurHash3 (the ``murmurhash`` package
spaCy is built on) of a string made of the task's values:

* input hash: ``"key=" + json`` for each input key the task has, in key order, joined
  with nothing (``{"text": "Hi. My name is Vincent"}`` -> ``'text="Hi. My name is
  Vincent"'`` -> 1333440749, the number a real Prodigy writes);
* task hash: the input hash's decimal digits, then ``"key=" + json`` for each task key
  the task has (``spans``, ``label``, ``options``, ``arcs``); a task with none of them is
  represented by its whole JSON (``_input_hash`` included, the ignored keys left out).

JSON is compact with sorted keys (``srsly.json_dumps(..., sort_keys=True)``, which is
the standard library's with those settings). The rule was checked against records
written by real Prodigy versions (text, image and manual-NER tasks); tests hold them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

import murmurhash

INPUT_HASH = "_input_hash"
TASK_HASH = "_task_hash"
VIEW_ID = "_view_id"
INPUT_KEYS = ("text", "image", "html", "input")
TASK_KEYS = ("spans", "label", "options", "arcs")
# Keys that say how a task was made or answered, not what it asks.
IGNORE_KEYS = (
    "score",
    "rank",
    "model",
    "source",
    "pattern",
    "priority",
    "path",
    VIEW_ID,
    "_session_id",
    "_annotator_id",
    "answer",
)


def _dumps(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def get_hash(
    task: Mapping[str, Any],
    keys: Iterable[str],
    prefix: str = "",
    ignore: Iterable[str] = IGNORE_KEYS,
) -> int:
    """The signed 32-bit hash of ``task``'s values under ``keys`` (see the module doc)."""
    values = [f"{key}={_dumps(task[key])}" for key in keys if key in task]
    if not values:
        skip = set(ignore)
        values = [_dumps({k: v for k, v in task.items() if k not in skip})]
    hashed: int = murmurhash.hash(prefix + "".join(values))
    return hashed


def input_hash(task: Mapping[str, Any], input_keys: Iterable[str] = INPUT_KEYS) -> int:
    return get_hash(task, input_keys)


def task_hash(
    task: Mapping[str, Any], in_hash: int, task_keys: Iterable[str] = TASK_KEYS
) -> int:
    # A stale task hash is not part of the question.
    with_input = {k: v for k, v in task.items() if k != TASK_HASH}
    with_input[INPUT_HASH] = in_hash
    return get_hash(with_input, task_keys, prefix=str(in_hash))


def set_hashes(task: dict[str, Any], *, overwrite: bool = False) -> dict[str, Any]:
    """``task`` with both hashes set (kept when it has them and ``overwrite`` is false)."""
    if not overwrite and isinstance(task.get(INPUT_HASH), int) and TASK_HASH in task:
        return task
    in_hash = input_hash(task)
    task[INPUT_HASH] = in_hash
    task[TASK_HASH] = task_hash(task, in_hash)
    return task
