"""The rule that keeps unseen suggestions out of anyone's labels (annotator.core.seen)."""

from __future__ import annotations

from annotator.core import (
    Annotation,
    AnnotationStatus,
    Layer,
    Origin,
    Relation,
    RelationLabel,
    Span,
)
from annotator.core.operations import Batch, SetStatus
from annotator.core.seen import finish, labels_seen, unseen_summary

TEXT = "“Go,” Putin said. He left Kiev."


def _annotation(status: AnnotationStatus = AnnotationStatus.IN_PROGRESS) -> Annotation:
    quote = Span(0, 5, "QUOTE", Layer.QUOTES, Origin.SUGGESTED, confidence=0.9)
    speaker = Span(6, 11, "SPEAKER", Layer.QUOTES, Origin.SUGGESTED, confidence=0.45)
    person = Span(6, 11, "PERSON", Layer.ENTS, Origin.SUGGESTED)  # no score: shown
    place = Span(26, 30, "GPE", Layer.ENTS, Origin.ACCEPTED)
    return Annotation(
        document_id=1,
        annotator="alice",
        spans=[quote, speaker, person, place],
        relations=[Relation(quote.key, speaker.key, RelationLabel.SPEAKER)],
        status=status,
    )


def test_seen_finish_accepts_shown_and_withdraws_hidden_in_one_reversible_step() -> None:
    ann = _annotation()
    shown = {s.key for s in ann.spans if s.label != "SPEAKER"}
    accepted, withdrawn, ops = finish(ann, AnnotationStatus.DONE, shown)
    assert [s.label for s in accepted] == ["QUOTE", "PERSON"]
    assert [s.label for s in withdrawn] == ["SPEAKER"]
    done, inverse = Batch((*ops, SetStatus(AnnotationStatus.DONE))).apply(ann, TEXT)
    assert done.status == AnnotationStatus.DONE
    assert {s.label: s.origin for s in done.spans} == {
        "QUOTE": Origin.ACCEPTED,
        "PERSON": Origin.ACCEPTED,
        "GPE": Origin.ACCEPTED,
    }
    assert done.relations == [] and done.rejected == set()
    back, _ = inverse.apply(done, TEXT)
    assert sorted(back.spans, key=repr) == sorted(ann.spans, key=repr)
    assert back.relations == ann.relations and back.status == ann.status


def test_seen_skip_withdraws_every_undecided_suggestion() -> None:
    ann = _annotation()
    accepted, withdrawn, ops = finish(ann, AnnotationStatus.SKIPPED, {s.key for s in ann.spans})
    assert accepted == [] and len(withdrawn) == 3
    skipped, _ = Batch((*ops, SetStatus(AnnotationStatus.SKIPPED))).apply(ann, TEXT)
    assert [s.label for s in skipped.spans] == ["GPE"]


def test_seen_labels_of_a_finished_version_keep_what_was_shown_by_default() -> None:
    """Projects from before the rule stored undecided suggestions on Enter."""
    ann = _annotation(AnnotationStatus.DONE)
    labels = labels_seen(ann)
    assert {s.label for s in labels.spans} == {"QUOTE", "PERSON", "GPE"}
    assert all(s.origin == Origin.ACCEPTED for s in labels.spans)
    assert labels.relations == []
    assert unseen_summary(ann).hidden == 1 and unseen_summary(ann).shown == 2


def test_seen_labels_of_an_unfinished_version_are_only_its_decisions() -> None:
    labels = labels_seen(_annotation())
    assert [s.label for s in labels.spans] == ["GPE"]
    assert not unseen_summary(labels)
