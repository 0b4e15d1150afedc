"""An annotator's version holds only what they saw: Enter accepts the suggestions on
screen and never keeps the hidden (low-confidence) ones."""

from __future__ import annotations

from typing import Any

from annotator.app.project import Project
from annotator.core import AnnotationStatus, Origin

from .test_workflow import key, saved


def _low(window: Any) -> list[Any]:
    ann = window.editor.annotation
    low = [s for s in ann.spans if s.confidence is not None and s.confidence < 0.5]
    assert low, "the fixture has a low-confidence suggestion"
    return low


def test_enter_accepts_what_was_shown_and_drops_what_was_hidden(
    window: Any, reader: Project
) -> None:
    doc_id = window.doc_id
    low = _low(window)
    shown = [s for s in window.editor.annotation.spans if s not in low]
    assert all(s.origin == Origin.SUGGESTED for s in shown)
    assert f"{len(shown)} suggestions undecided: Enter accepts them" in window.hint.text()
    assert "low-confidence hidden" in window.hint.text()
    key(window, "Return")
    ann = saved(reader, doc_id)
    assert ann.status == AnnotationStatus.DONE
    keys = {s.key: s for s in ann.spans}
    assert all(s.key not in keys for s in low), "a hidden suggestion became a label"
    assert all(s.key not in ann.rejected for s in low), "never seen, so not rejected either"
    assert {k for k in keys} == {s.key for s in shown}
    assert all(s.origin == Origin.ACCEPTED for s in ann.spans)
    assert window.doc_id != doc_id  # the next article opened


def test_enter_with_low_confidence_shown_accepts_them_too(window: Any, reader: Project) -> None:
    doc_id = window.doc_id
    low = _low(window)
    key(window, "L")
    key(window, "Return")
    ann = saved(reader, doc_id)
    assert {s.key for s in low} <= {s.key for s in ann.spans}
    assert all(s.origin == Origin.ACCEPTED for s in ann.spans)


def test_hidden_quote_links_are_not_kept(window: Any, reader: Project) -> None:
    """A shown quote linked to a hidden speaker: the link goes with the speaker."""
    from annotator.core import Layer, Relation, RelationLabel, Span
    from annotator.core.operations import AddSpan, Batch, SetRelation

    doc_id = window.doc_id
    ann = window.editor.annotation
    quote = next(s for s in ann.spans if s.label == "QUOTE")
    text = window.document.text
    at = text.index("Ryabkov")
    hidden_speaker = Span(at, at + len("Ryabkov"), "SPEAKER", Layer.QUOTES, Origin.SUGGESTED,
                          confidence=0.45)
    if ann.span_by_key(hidden_speaker.key) is None:
        assert window.session.perform(Batch((
            AddSpan(hidden_speaker),
            SetRelation(quote.key, RelationLabel.SPEAKER, hidden_speaker.key),
        )))
    assert hidden_speaker.key not in window.editor.shown_keys()
    key(window, "Return")
    saved_ann = saved(reader, doc_id)
    assert saved_ann.span_by_key(hidden_speaker.key) is None
    assert Relation(quote.key, hidden_speaker.key, RelationLabel.SPEAKER) not in (
        saved_ann.relations
    )
    assert saved_ann.span_by_key(quote.key) is not None


def test_option_makes_enter_refuse_while_suggestions_are_undecided(
    window: Any, reader: Project
) -> None:
    action = window.actions_by_name["require_decisions"]
    assert not action.isChecked()
    action.trigger()  # Navigate ▸ Enter requires every suggestion decided
    assert window.project.finish_requires_decisions()
    doc_id = window.doc_id
    assert "suggestions to decide" in window.hint.text()
    key(window, "Return")
    assert window.doc_id == doc_id, "the article stays open"
    assert saved(reader, doc_id).status != AnnotationStatus.DONE
    assert "still undecided" in window.statusBar().currentMessage()
    key(window, "Shift+A")
    key(window, "Return")
    ann = saved(reader, doc_id)
    assert ann.status == AnnotationStatus.DONE
    assert all(s.origin == Origin.ACCEPTED for s in ann.spans)
    assert all(s.confidence is None or s.confidence >= 0.5 for s in ann.spans)
    with Project.open(reader.url) as again:  # kept in the project
        assert again.finish_requires_decisions()


def test_skip_keeps_only_what_was_decided(window: Any, reader: Project) -> None:
    doc_id = window.doc_id
    key(window, "A")  # one decision
    decided = [s for s in window.editor.annotation.spans if s.origin != Origin.SUGGESTED]
    assert len(decided) == 1
    key(window, "Ctrl+Return")
    ann = saved(reader, doc_id)
    assert ann.status == AnnotationStatus.SKIPPED
    assert [s.key for s in ann.spans] == [decided[0].key]
