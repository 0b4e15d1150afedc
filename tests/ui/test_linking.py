"""Linking a quote to its speaker and cue: links only go to spans on screen, a replaced
speaker/cue span does not stay behind as an orphan, and link mode proposes on a click and
links only on Enter (which then never finishes the article)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QKeySequence, QTextCursor
from PySide6.QtTest import QTest

from annotator.app.project import Project
from annotator.core import (
    Annotation,
    AnnotationStatus,
    Layer,
    Origin,
    QuoteKind,
    Relation,
    RelationLabel,
    Span,
    SpanKey,
    Token,
    snap_range,
)
from annotator.core.operations import relink

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
ANNOTATOR = "alice"
FIRST = "Ryabkov reported"  # the seed article the window opens first
HE = "\nHe reported"  # "He" (the quote's speaker in the next paragraph)
LOW_QUOTE = (
    "He reported on the existence of multiple channels of open and covert consultation "
    "between Moscow and Washington"
)
SIGNIFICANT = "“significant.”"


class LinkSuggester:
    """The seed suggestions plus what a real pipeline made of the first article: a
    low-confidence (hidden) SPEAKER on "He", a low-confidence QUOTE over the next
    sentence, and a second, confident quote whose speaker is that hidden "He"."""

    def __init__(self, seed_suggester: Any) -> None:
        self.base = seed_suggester
        self.info = seed_suggester.info

    def suggest(
        self, text: str, tokens: list[Token], *, scheme_labels: Any = None, keep_that: bool = False
    ) -> Any:
        result = self.base.suggest(text, tokens, scheme_labels=scheme_labels)
        if not text.startswith(FIRST):
            return result
        he = text.index(HE) + 1
        speaker = Span(he, he + 2, "SPEAKER", Layer.QUOTES, Origin.SUGGESTED, confidence=0.45)
        low = snap_range(
            tokens, text, text.index(LOW_QUOTE), text.index(LOW_QUOTE) + len(LOW_QUOTE)
        )
        assert low is not None
        low_quote = Span(*low, "QUOTE", Layer.QUOTES, Origin.SUGGESTED, QuoteKind.INDIRECT, 0.3)
        sig = text.index(SIGNIFICANT)
        second = Span(
            sig, sig + len(SIGNIFICANT), "QUOTE", Layer.QUOTES, Origin.SUGGESTED,
            QuoteKind.DIRECT, 0.8,
        )  # fmt: skip
        result.spans += [speaker, low_quote, second]
        result.relations.append(Relation(second.key, speaker.key, RelationLabel.SPEAKER))
        return result


@pytest.fixture
def link_db(tmp_path: Path, fake_suggester: Any) -> Path:
    path = tmp_path / "links.db"
    with Project.open(path) as project:
        assert project.import_paths([SEEDS]).imported == 5
        suggester = LinkSuggester(fake_suggester)
        for row in project.list_documents("nobody"):
            project.ensure_suggestions(row.id, suggester)
    return path


@pytest.fixture
def win(qtbot: Any, link_db: Path) -> Iterator[Any]:
    from annotator.ui.app import build_main_window

    project = Project.open(link_db)
    w = build_main_window(project, ANNOTATOR)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    qtbot.waitUntil(lambda: w.editor.annotation is not None, timeout=10000)
    assert w.document.text.startswith(FIRST)
    w.view.setFocus()
    yield w
    w.shutdown()
    project.close()


@pytest.fixture
def db(link_db: Path) -> Iterator[Project]:
    """A second connection to the same file: what is really saved."""
    project = Project.open(link_db)
    yield project
    project.close()


# -- helpers ------------------------------------------------------------------------------


def key(w: Any, seq: str) -> None:
    combo = QKeySequence(seq)[0]
    QTest.keyClick(w.view, combo.key(), combo.keyboardModifiers())


def point_of(w: Any, offset: int) -> QPoint:
    cursor = QTextCursor(w.view.document())
    cursor.setPosition(w.view.omap.to_qt(offset))
    return w.view.cursorRect(cursor).center()


def click(qtbot: Any, w: Any, offset: int) -> None:
    qtbot.mouseClick(w.view.viewport(), Qt.MouseButton.LeftButton, pos=point_of(w, offset + 1))


def select(w: Any, start: int, end: int) -> None:
    w.view.select_range(start, end)


def saved(db: Project, w: Any) -> Annotation:
    ann = db.load_annotation(w.doc_id, ANNOTATOR)
    assert ann is not None
    return ann


def keys_of(ann: Annotation) -> dict[SpanKey, Span]:
    return {s.key: s for s in ann.spans}


def on_screen(w: Any) -> set[SpanKey]:
    return {s.key for s in w.editor._visible}


def quote_key(w: Any, text: str, label: str = "QUOTE") -> SpanKey:
    doc = w.document.text
    for s in w.editor.annotation.spans:
        if s.label == label and doc[s.start : s.end] == text:
            return s.key
    raise AssertionError(f"no {label} on {text!r}")


def main_quote(w: Any) -> SpanKey:
    """The seed quote (“Nothing can be ruled out …”), spoken by Sergei Ryabkov."""
    doc = w.document.text
    for s in w.editor.annotation.spans:
        if s.label == "QUOTE" and doc[s.start : s.end].startswith("“Nothing can be"):
            return s.key
    raise AssertionError("no seed quote")


def span_key(w: Any, text: str, label: str, layer: str = "quotes", nth: int = 0) -> SpanKey:
    doc = w.document.text
    start = -1
    for _ in range(nth + 1):
        start = doc.index(text, start + 1)
    return SpanKey(start, start + len(text), label, layer)


# -- 1. links only go to spans on screen -----------------------------------------------------


def test_selecting_he_links_the_hidden_suggestion_only_by_accepting_it(
    win: Any, db: Project
) -> None:
    quote = main_quote(win)
    start = win.document.text.index(HE) + 1
    he = SpanKey(start, start + 2, "SPEAKER", "quotes")
    assert he in keys_of(win.editor.annotation) and he not in on_screen(win), "hidden at first"

    win.editor.set_current(quote)
    select(win, start, start + 2)
    key(win, "S")

    ann = saved(db, win)
    assert ann.speaker_of(quote) == he
    assert keys_of(ann)[he].origin == Origin.ACCEPTED, "the link decided the hidden suggestion"
    assert he in on_screen(win), "what the quote is linked to is shown"
    assert "He" in win.statusBar().currentMessage()


def test_link_mode_never_starts_on_a_hidden_speaker(win: Any, db: Project) -> None:
    second = quote_key(win, SIGNIFICANT)
    hidden_he = win.editor.annotation.speaker_of(second)
    assert hidden_he is not None and hidden_he not in on_screen(win)

    win.editor.set_current(second)
    key(win, "S")
    assert win.editor.link_mode == RelationLabel.SPEAKER
    assert win.editor.current in on_screen(win), "the candidate is something on screen"
    assert win.editor.current != hidden_he
    key(win, "Return")

    ann = saved(db, win)
    linked = ann.speaker_of(second)
    assert linked is not None and linked in on_screen(win)
    assert ann.status != AnnotationStatus.DONE


def test_a_hidden_span_is_never_a_click_candidate(win: Any, db: Project) -> None:
    quote = main_quote(win)
    start = win.document.text.index(HE) + 1
    hidden = SpanKey(start, start + 2, "SPEAKER", "quotes")
    win.editor.set_current(quote)
    key(win, "S")
    before = win.editor.current
    win.view.spanClicked.emit(hidden)  # as a view not yet redrawn would
    assert win.editor.current == before
    key(win, "Return")
    assert saved(db, win).speaker_of(quote) != hidden


# -- 2. a replaced speaker/cue span does not stay behind -------------------------------------


def test_changing_the_speaker_removes_the_old_one_in_the_same_undo_step(
    win: Any, db: Project
) -> None:
    quote = main_quote(win)
    sergei = span_key(win, "Sergei Ryabkov", "SPEAKER")
    assert saved(db, win).speaker_of(quote) == sergei
    start = win.document.text.index(HE) + 1
    he = SpanKey(start, start + 2, "SPEAKER", "quotes")

    win.editor.set_current(quote)
    select(win, start, start + 2)
    key(win, "S")
    ann = saved(db, win)
    assert ann.speaker_of(quote) == he
    assert sergei not in keys_of(ann), "the old SPEAKER existed only for this link"
    assert sergei in ann.rejected, "a suggestion removed this way is not proposed again"
    assert win.undo_stack.count() == 1

    key(win, "Ctrl+Z")  # one step restores both
    ann = saved(db, win)
    assert ann.speaker_of(quote) == sergei
    assert keys_of(ann)[sergei].origin == Origin.SUGGESTED
    assert keys_of(ann)[he].origin == Origin.SUGGESTED
    assert sergei not in ann.rejected

    key(win, "Ctrl+Shift+Z")
    ann = saved(db, win)
    assert ann.speaker_of(quote) == he and sergei not in keys_of(ann)


def test_changing_the_cue_in_link_mode_removes_the_old_cue(
    qtbot: Any, win: Any, db: Project
) -> None:
    quote = main_quote(win)
    said = span_key(win, "said", "CUE")
    assert saved(db, win).cue_of(quote) == said
    reported = win.document.text.index(HE) + 4  # "reported"

    win.editor.set_current(quote)
    select(win, reported, reported + 8)
    key(win, "C")
    ann = saved(db, win)
    new_cue = SpanKey(reported, reported + 8, "CUE", "quotes")
    assert ann.cue_of(quote) == new_cue
    assert said not in keys_of(ann)
    key(win, "Ctrl+Z")
    ann = saved(db, win)
    assert ann.cue_of(quote) == said and new_cue not in keys_of(ann)


def test_relink_keeps_a_speaker_another_quote_points_at() -> None:
    q1 = Span(0, 10, "QUOTE", Layer.QUOTES)
    q2 = Span(20, 30, "QUOTE", Layer.QUOTES)
    shared = Span(12, 15, "SPEAKER", Layer.QUOTES)
    other = Span(16, 19, "SPEAKER", Layer.QUOTES)
    person = Span(40, 45, "PERSON", Layer.ENTS)
    text = "x" * 50
    ann = Annotation(
        1,
        ANNOTATOR,
        spans=[q1, q2, shared, other, person],
        relations=[
            Relation(q1.key, shared.key, RelationLabel.SPEAKER),
            Relation(q2.key, shared.key, RelationLabel.SPEAKER),
        ],
    )
    after, _ = relink(ann, q1.key, RelationLabel.SPEAKER, other.key).apply(ann, text)
    assert shared in after.spans, "q2 still points at it"
    assert after.speaker_of(q1.key) == other.key

    # an entity linked directly (e.g. by an import) is a label of its own: never removed
    ann.relations = [Relation(q1.key, person.key, RelationLabel.SPEAKER)]
    after, _ = relink(ann, q1.key, RelationLabel.SPEAKER, None).apply(ann, text)
    assert person in after.spans and after.speaker_of(q1.key) is None

    # removing a link removes the span that only existed for it; undo restores both
    ann.relations = [Relation(q1.key, other.key, RelationLabel.SPEAKER)]
    after, inverse = relink(ann, q1.key, RelationLabel.SPEAKER, None).apply(ann, text)
    assert other not in after.spans and after.speaker_of(q1.key) is None
    restored, _ = inverse.apply(after, text)
    assert other in restored.spans and restored.speaker_of(q1.key) == other.key


# -- 3. link mode: a click proposes, Enter confirms, Esc cancels -----------------------------


def test_a_click_in_link_mode_proposes_and_enter_confirms(
    qtbot: Any, win: Any, db: Project
) -> None:
    quote = main_quote(win)
    said = span_key(win, "said", "CUE")
    doc_id = win.doc_id
    win.editor.set_current(quote)
    key(win, "C")
    assert win.editor.link_mode == RelationLabel.CUE

    trump = span_key(win, "Donald Trump", "PERSON", "ents")
    click(qtbot, win, trump.start)
    assert win.editor.current == trump, "the click made it the candidate"
    assert win.view.current == trump, "outlined"
    assert win.editor.link_mode == RelationLabel.CUE, "still choosing"
    assert saved(db, win).cue_of(quote) == said, "nothing linked by the click alone"

    key(win, "Return")
    ann = saved(db, win)
    assert ann.cue_of(quote) == SpanKey(trump.start, trump.end, "CUE", "quotes")
    assert win.doc_id == doc_id and ann.status != AnnotationStatus.DONE
    assert win.editor.link_mode is None


def test_a_click_on_a_quote_in_link_mode_links_nothing_and_enter_does_not_finish(
    qtbot: Any, win: Any, db: Project
) -> None:
    quote = main_quote(win)
    said = span_key(win, "said", "CUE")
    doc_id = win.doc_id
    key(win, "L")  # the low-confidence quote over the next sentence is shown now
    low = quote_key(win, LOW_QUOTE)
    assert low in on_screen(win)
    win.editor.set_current(quote)
    key(win, "C")
    candidate = win.editor.current

    text = win.document.text
    click(qtbot, win, text.index("multiple channels"))  # only the low quote is there
    assert win.editor.current == candidate, "a quote is no candidate"
    assert win.editor.link_mode == RelationLabel.CUE
    ann = saved(db, win)
    assert ann.cue_of(quote) == said
    assert all(s.end - s.start < 40 for s in ann.spans if s.label == "CUE"), "no 13-word CUE"

    win.editor.set_current(None)  # nothing chosen: Enter says so and keeps link mode
    key(win, "Return")
    assert win.editor.link_mode == RelationLabel.CUE
    assert win.doc_id == doc_id and saved(db, win).status != AnnotationStatus.DONE

    key(win, "Escape")
    assert win.editor.link_mode is None
    assert saved(db, win).cue_of(quote) == said
    assert win.doc_id == doc_id and saved(db, win).status != AnnotationStatus.DONE


def test_selected_words_in_link_mode_are_linked_on_enter(win: Any, db: Project) -> None:
    quote = main_quote(win)
    win.editor.set_current(quote)
    key(win, "S")
    start = win.document.text.index(HE) + 1
    select(win, start, start + 2)
    key(win, "Return")
    ann = saved(db, win)
    assert ann.speaker_of(quote) == SpanKey(start, start + 2, "SPEAKER", "quotes")
    assert ann.status != AnnotationStatus.DONE


def test_link_mode_is_drawn_with_the_candidate_outlined(qtbot: Any, win: Any) -> None:
    quote = main_quote(win)
    win.editor.set_current(quote)
    key(win, "S")
    putin = span_key(win, "Vladimir Putin", "PERSON", "ents")
    click(qtbot, win, putin.start)
    assert win.view.current == putin and win.view.link_mode == RelationLabel.SPEAKER
    assert "choosing the speaker" in win.hint.text()
    assert "Enter links it" in win.statusBar().currentMessage()


def test_deleting_a_quote_removes_the_speaker_and_cue_made_for_it(window: Any) -> None:
    """A deleted quote leaves no orphan SPEAKER/CUE; one Ctrl+Z brings all three back."""
    ann = window.editor.annotation
    quote = next(s for s in ann.spans if s.label == "QUOTE")
    speaker, cue = ann.speaker_of(quote.key), ann.cue_of(quote.key)
    assert speaker is not None and cue is not None
    window.editor.set_current(quote.key)
    window.editor.reject()
    after = window.editor.annotation
    assert after.span_by_key(quote.key) is None
    assert after.span_by_key(speaker) is None and after.span_by_key(cue) is None
    assert not [s for s in after.spans if s.label in ("SPEAKER", "CUE")]
    window.documents.undo()
    back = window.editor.annotation
    assert back.span_by_key(quote.key) is not None
    assert back.speaker_of(quote.key) == speaker and back.cue_of(quote.key) == cue
