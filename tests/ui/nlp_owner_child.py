"""Child process of test_nlp_owner: opens the window as the README does (no --model)
and records which threads import spaCy and call its pipelines.

Run as ``python nlp_owner_child.py DB``; prints one JSON line (``RESULT {...}``).
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import json
import os
import sys
import threading
from collections.abc import Sequence
from types import ModuleType
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

IMPORTS: list[tuple[str, int]] = []  # (module, thread) of every first import of spaCy/thinc
CALLS: list[tuple[str, int]] = []  # (method, thread) of every pipeline call


def _record_calls(module: ModuleType) -> None:
    language = module.Language
    for name in ("__call__", "pipe", "make_doc"):
        original = getattr(language, name)

        def wrapper(self: Any, *args: Any, _original: Any = original, _name: str = name,
                    **kwargs: Any) -> Any:
            CALLS.append((_name, threading.get_ident()))
            return _original(self, *args, **kwargs)

        setattr(language, name, wrapper)


class _Loader(importlib.abc.Loader):
    def __init__(self, inner: importlib.abc.Loader) -> None:
        self.inner = inner

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return self.inner.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        self.inner.exec_module(module)
        if module.__name__ == "spacy.language":
            _record_calls(module)


class _Recorder(importlib.abc.MetaPathFinder):
    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname.split(".")[0] not in ("spacy", "thinc"):
            return None
        IMPORTS.append((fullname, threading.get_ident()))
        spec = importlib.machinery.PathFinder.find_spec(fullname, path, target)
        if spec is not None and spec.loader is not None and fullname == "spacy.language":
            spec.loader = _Loader(spec.loader)
        return spec


def main(db: str) -> int:
    sys.meta_path.insert(0, _Recorder())
    from PySide6.QtCore import QTimer

    import annotator.cli  # noqa: F401  (whatever the command imports at start)
    from annotator.ui import app as ui_app

    qapp = ui_app._application()
    window = ui_app._open_window(db, "alice", None)
    assert window is not None
    window.show()
    seen: dict[str, Any] = {"opened": [], "errors": []}
    window.documentOpened.connect(lambda doc_id: seen["opened"].append(doc_id))
    original_failed = window.report_failure

    def failed(exc: BaseException, tb: str) -> None:
        seen["errors"].append(f"{exc}\n{tb}")
        original_failed(exc, tb)

    window.report_failure = failed  # type: ignore[method-assign]

    def suggestions_shown() -> int:
        ann = window.editor.annotation
        return sum(1 for s in ann.spans if s.origin == "suggested") if ann else 0

    state = {"step": 0, "ticks": 0}

    def tick() -> None:
        state["ticks"] += 1
        if state["ticks"] > 1200:  # 60 s
            seen["errors"].append("timed out")
            qapp.quit()
            return
        if state["step"] == 0 and suggestions_shown() and window.model_state == "ready":
            seen["first_suggestions"] = suggestions_shown()
            state["step"] = 1
            window.documents.step_document(+1)  # the next article: suggested by the NLP thread
        elif state["step"] == 1 and len(seen["opened"]) >= 2 and suggestions_shown():
            seen["second_suggestions"] = suggestions_shown()
            state["step"] = 2
            window.close()
            qapp.quit()
            return
        QTimer.singleShot(50, tick)

    QTimer.singleShot(50, tick)
    qapp.exec()
    window.shutdown()
    result = {
        "main": threading.get_ident(),
        "nlp_thread": getattr(window.tasks, "nlp_thread", None),
        "imports": IMPORTS,
        "calls": CALLS,
        "model": window.suggester.info.name if window.suggester else None,
        **seen,
    }
    print("RESULT " + json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
