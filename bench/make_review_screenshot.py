"""Offscreen screenshot of review mode for docs/review.png (and the dashboard, to look at).

Run: python bench/make_review_screenshot.py [dashboard.png]. Two annotators' versions of
the seed articles are made from the pipeline's suggestions with deliberate differences
(a relabelled entity, a shorter span, a missed one), both finished; the reviewer opens
review mode on the article with most disagreement and goes to its first disagreement.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

SWAP = {"PERSON": "ORG", "ORG": "PERSON", "GPE": "LOC", "LOC": "GPE", "NORP": "ORG"}


def _versions(project, doc_id: int, source: str):  # type: ignore[no-untyped-def]
    from annotator.core import Annotation, AnnotationStatus, Layer, Origin

    suggested = project.load_annotation(doc_id, source)
    doc = project.get_document(doc_id)
    tokens = doc.tokens or []
    base = [s.with_(origin=Origin.ACCEPTED, confidence=None) for s in suggested.spans]
    alice, bob = [], []
    for i, span in enumerate(base):
        if span.layer == Layer.ENTS and i % 5 == 3:
            bob.append(span)  # alice missed it
            continue
        alice.append(span)
        if span.layer == Layer.ENTS and i % 4 == 1:
            bob.append(span.with_(label=SWAP.get(span.label, "ORG")))
        elif span.layer == Layer.ENTS and i % 6 == 2:
            inner = [t for t in tokens if span.start <= t.start and t.end <= span.end]
            bob.append(span.with_(start=inner[1].start) if len(inner) > 1 else span)
        elif i % 7 != 5:
            bob.append(span)
    out = []
    for name, spans in (("alice", alice), ("bob", bob)):
        keys = {s.key for s in spans}
        rels = [r for r in suggested.relations if r.head in keys and r.child in keys]
        out.append(
            Annotation(doc_id, name, spans=spans, relations=rels, status=AnnotationStatus.DONE)
        )
    return out


def main() -> int:
    from annotator.app.project import Project
    from annotator.core import AnnotatorRole
    from annotator.nlp.pipeline import load_suggester
    from annotator.ui.app import build_main_window

    tmp = Path(tempfile.mkdtemp())
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp))
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setStyle("Fusion")
    suggester = load_suggester(os.environ.get("ANNOTATOR_MODEL"))
    db = tmp / "review.db"
    with Project.open(db) as p:
        p.import_paths([ROOT / "seeds"])
        for row in p.list_documents("rita"):
            p.ensure_suggestions(row.id, suggester)
            source = p.suggestion_source() or ""
            for version in _versions(p, row.id, source):
                p.put_annotation(version)
        p.set_role("rita", AnnotatorRole.REVIEWER)
    project = Project.open(db)
    win = build_main_window(project, "rita")
    win.resize(1500, 980)
    win.show()
    app.processEvents()

    def settle(until, seconds: float = 30.0) -> None:  # type: ignore[no-untyped-def]
        end = time.time() + seconds
        while not until() and time.time() < end:
            app.processEvents()
            time.sleep(0.02)
        app.processEvents()

    win.actions_by_name["review_mode"].trigger()
    review = win.review
    settle(lambda: review.doc_list.model.rowCount() > 0 and review.loaded_doc == win.doc_id)
    review.step(+1)
    review.step(+1)
    app.processEvents()
    win.grab().save(str(ROOT / "docs" / "review.png"))
    if len(sys.argv) > 1:
        win.actions_by_name["dashboard"].trigger()
        dash = review.dashboard
        settle(lambda: dash.report is not None and dash.confusion_chart.canvas is not None)
        app.processEvents()
        dash.grab().save(sys.argv[1])
    win.shutdown()
    project.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
