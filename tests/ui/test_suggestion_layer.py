"""The suggestion layer: honest numbers, learned suggestions named and switchable, and a
dense page that stays readable (marks by layer, nothing painted over other lines)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QTextCharFormat
from PySide6.QtWidgets import QApplication, QCheckBox, QLabel, QToolButton

from annotator.app.project import Project
from annotator.core import (
    DEFAULT_SCHEME,
    Annotation,
    Layer,
    Origin,
    QuoteKind,
    Relation,
    RelationLabel,
    Span,
    Token,
)
from annotator.core import (
    operations as ops,
)

from .conftest import FakeInfo, FakeResult

# -- a tiny deterministic pipeline: the scenario of the outside test ------------------------


@dataclass(frozen=True)
class _TrumpInfo(FakeInfo):
    name: str = "trump-suggester"


class TrumpAsOrg:
    """Suggests "Trump" as ORG (wrongly) in articles that mention talks, nothing elsewhere."""

    info = _TrumpInfo()

    def suggest(
        self, text: str, tokens: list[Token], *, scheme_labels: Any = None, keep_that: bool = False
    ) -> FakeResult:
        result = FakeResult()
        if "talks" not in text:
            return result
        at = text.find("Trump")
        while at >= 0:
            result.spans.append(Span(at, at + 5, "ORG", Layer.ENTS, Origin.SUGGESTED, None, 0.9))
            at = text.find("Trump", at + 1)
        return result


ARTICLES = {
    "a": "Trump joined the talks. Later Trump left the talks early.",
    "b": "On Monday Trump said nothing at all.",
    "c": "A week later Trump spoke again.",
    "d": "Reporters asked whether Trump would come back.",
}


@pytest.fixture
def trump_db(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    path = tmp_path / "trump.db"
    with Project.open(path) as project:
        assert project.import_paths([folder]).imported == len(ARTICLES)
        for row in project.list_documents("nobody"):
            project.ensure_suggestions(row.id, TrumpAsOrg())
    return path


def _ids(project: Project) -> dict[str, int]:
    rows = project.list_documents("nobody")
    return {project.get_document(r.id).text: r.id for r in rows}


def _doc(project: Project, name: str) -> int:
    return _ids(project)[ARTICLES[name]]


def _trumps(ann: Any) -> list[Span]:
    return [s for s in ann.spans if s.layer == Layer.ENTS and s.label == "ORG"]


def test_learned_accept_all_teaches_nothing_now_or_after_reopening(trump_db: Path) -> None:
    with Project.open(trump_db) as project:
        a = project.open_annotation(_doc(project, "a"), "alice")
        assert len(_trumps(a)) == 2
        a, _ = project.apply(a, ops.accept_all(a))  # Shift+A
        assert all(s.origin == Origin.ACCEPTED for s in _trumps(a))
        assert _trumps(project.open_annotation(_doc(project, "b"), "alice")) == []
    with Project.open(trump_db) as project:  # a new session reads what was learned
        assert _trumps(project.open_annotation(_doc(project, "c"), "alice")) == []


def test_learned_individual_accepts_teach_with_a_count_and_no_score(trump_db: Path) -> None:
    with Project.open(trump_db) as project:
        a = project.open_annotation(_doc(project, "a"), "alice")
        first, second = _trumps(a)
        a, _ = project.apply(a, ops.accept(first))  # A on one suggestion
        (b_span,) = _trumps(project.open_annotation(_doc(project, "b"), "alice"))
        assert b_span.origin == Origin.SUGGESTED
        assert b_span.learned_from == 1
        assert b_span.confidence is None  # the annotator's label, not a model's score
        a, _ = project.apply(a, ops.accept(second))
        (c_span,) = _trumps(project.open_annotation(_doc(project, "c"), "alice"))
        assert c_span.learned_from == 2
        # bob learns nothing from alice
        assert _trumps(project.open_annotation(_doc(project, "d"), "bob")) == []
    with Project.open(trump_db) as project:
        (d_span,) = _trumps(project.open_annotation(_doc(project, "d"), "alice"))
        assert d_span.learned_from == 2  # kept in the project, counts included
        # reopening an article already holding the learned suggestion marks it again
        (b_again,) = _trumps(project.open_annotation(_doc(project, "b"), "alice"))
        assert b_again.learned_from == 2


def test_learned_undo_of_the_only_accept_forgets_the_pair(trump_db: Path) -> None:
    with Project.open(trump_db) as project:
        a = project.open_annotation(_doc(project, "a"), "alice")
        a, undo = project.apply(a, ops.accept(_trumps(a)[0]))
        a, _ = project.apply(a, undo)  # Ctrl+Z
        assert _trumps(project.open_annotation(_doc(project, "b"), "alice")) == []


def test_learned_switch_off_takes_untouched_learned_suggestions_out(trump_db: Path) -> None:
    with Project.open(trump_db) as project:
        a = project.open_annotation(_doc(project, "a"), "alice")
        project.apply(a, ops.relabel(_trumps(a)[0], "PERSON"))  # an edit teaches
        b = project.open_annotation(_doc(project, "b"), "alice")
        assert [(s.label, s.learned_from) for s in b.spans] == [("PERSON", 1)]
        project.learned_suggestions = False
        b = project.open_annotation(_doc(project, "b"), "alice")
        assert b.spans == []
        with Project.open(trump_db) as reader:  # taken out of the saved annotation too
            saved = reader.load_annotation(_doc(reader, "b"), "alice")
            assert saved is not None and saved.spans == []
        # off: nothing new is merged either
        assert project.open_annotation(_doc(project, "c"), "alice").spans == []
        project.learned_suggestions = True
        b = project.open_annotation(_doc(project, "b"), "alice")
        assert [(s.label, s.learned_from) for s in b.spans] == [("PERSON", 1)]


def test_learned_project_from_before_counts_existing_labels_once(trump_db: Path) -> None:
    """An older project (no saved pairs): its labels are the seed, saved at once, so an
    accept-all made afterwards is still not learned in a new session."""
    with Project.open(trump_db) as project:
        a = project.open_annotation(_doc(project, "a"), "alice")
        a, _ = project.apply(a, ops.relabel(_trumps(a)[0], "PERSON"))
        project.set_setting("learned_entities:alice", "not json")  # unreadable: empty
    with Project.open(trump_db) as project:
        assert project.open_annotation(_doc(project, "b"), "alice").spans == []


# -- the span table and the article's tooltip ---------------------------------------------


TEXT = "Trump met Ryabkov in Moscow."
SPANS = [
    Span(0, 5, "ORG", Layer.ENTS, Origin.SUGGESTED, learned_from=3),
    Span(10, 17, "PERSON", Layer.ENTS, Origin.SUGGESTED, None, None),
    Span(21, 27, "GPE", Layer.ENTS, Origin.SUGGESTED, None, 0.93),
]


def test_span_table_names_learned_suggestions_and_shows_only_real_scores(qtbot: Any) -> None:
    from annotator.ui.span_table import SpanTable

    table = SpanTable()
    qtbot.addWidget(table)
    model = table.span_model
    model.set_spans(TEXT, SPANS, [])
    origin = [model.data(model.index(r, 2)) for r in range(3)]
    assert origin == ["learned ×3", "sugg.", "sugg. 0.93"]
    tip = model.data(model.index(0, 2), Qt.ItemDataRole.ToolTipRole)
    assert "Learned from 3 of your labels" in tip and "Not a model score" in tip
    assert "no score" in model.data(model.index(1, 2), Qt.ItemDataRole.ToolTipRole)
    assert model.data(model.index(0, 2), Qt.ItemDataRole.FontRole).italic()


def test_article_tooltip_says_learned_and_gives_no_made_up_number(qtbot: Any) -> None:
    from annotator.ui.article_view import ArticleView

    view = ArticleView()
    qtbot.addWidget(view)
    view.set_text(TEXT)
    view.set_spans(SPANS, [])
    assert "learned from 3 of your labels" in view._tooltip(view.spans_at(0))
    assert "confidence" not in view._tooltip(view.spans_at(0))
    assert "confidence" not in view._tooltip(view.spans_at(10))  # no score, no number
    assert "confidence 0.93" in view._tooltip(view.spans_at(21))


def test_suggestion_without_a_score_is_shown_with_low_confidence_hidden(window: Any) -> None:
    unscored = Span(0, 1, "ORG", Layer.ENTS, Origin.SUGGESTED)
    low = Span(0, 1, "GPE", Layer.ENTS, Origin.SUGGESTED, None, 0.2)
    window.editor.set_show_low_confidence(False)
    shown = window.editor.visible_spans(Annotation(1, "alice", [unscored, low]))
    assert unscored in shown and low not in shown


def test_origin_marks_and_legend_use_glyphs_the_default_font_has(qtbot: Any) -> None:
    from annotator.ui.palette import LabelPalette
    from annotator.ui.span_table import LEARNED_MARK, ORIGIN_MARK

    fonts = [QFontMetrics(QFont("DejaVu Sans")), QFontMetrics(QApplication.font())]
    palette = LabelPalette(DEFAULT_SCHEME)
    qtbot.addWidget(palette)
    texts = [*ORIGIN_MARK.values(), LEARNED_MARK.format(n=3)]
    texts += [w.text() for w in palette.findChildren(QCheckBox)]
    texts += [w.text() for w in palette.findChildren(QLabel)]
    texts += [w.text() for w in palette.findChildren(QToolButton)]
    missing = {
        ch for text in texts for ch in text
        for metrics in fonts if ord(ch) > 127 and not metrics.inFontUcs4(ord(ch))
    }
    assert not missing, f"no glyph for {sorted(missing)}"


# -- the "Suggest from my labels" switch in the window ------------------------------------


@pytest.fixture
def learned_project(open_project: Project) -> Project:
    """alice labelled "Moscow" as GPE by hand in the first article."""
    first = open_project.list_documents("alice")[0].id
    ann = open_project.open_annotation(first, "alice")
    text = open_project.get_document(first).text
    at = text.index("Moscow")
    open_project.apply(ann, ops.AddSpan(Span(at, at + 6, "GPE", Layer.ENTS, Origin.MANUAL)))
    return open_project


@pytest.fixture
def learned_window(qtbot: Any, learned_project: Project) -> Iterator[Any]:
    from annotator.ui.app import build_main_window

    win = build_main_window(learned_project, "alice")
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.shutdown()
    assert win.tasks.active_threads() == 0


def _learned_in_view(win: Any) -> list[Span]:
    return [s for s in win.editor.annotation.spans if s.learned_from]


def test_switch_turns_learned_suggestions_off_and_on_and_is_remembered(
    qtbot: Any, learned_window: Any, learned_project: Project
) -> None:
    from annotator.ui.palette import LabelPalette, learned_suggestions_on

    win = learned_window
    second = learned_project.list_documents("alice")[1].id
    win.open_document(second)
    assert _learned_in_view(win), "Moscow is suggested from alice's label"
    assert all(s.label == "GPE" for s in _learned_in_view(win))
    box = win.palette_widget.learned
    assert box.isChecked()
    box.setChecked(False)
    assert learned_project.learned_suggestions is False
    assert win.doc_id == second and _learned_in_view(win) == []
    assert not any(
        win.document.text[s.start : s.end] == "Moscow" for s in win.editor.annotation.spans
    )
    assert learned_suggestions_on() is False  # remembered in QSettings
    again = LabelPalette(learned_project.scheme)
    qtbot.addWidget(again)
    assert again.learned.isChecked() is False
    box.setChecked(True)
    assert _learned_in_view(win)
    assert learned_suggestions_on() is True


# -- a dense page: marks by layer, nothing painted over other lines ------------------------

DENSE = (
    "Officials in Moscow and Washington said on Tuesday that talks between Russia and "
    "the United States, which Ukraine and Europe watch closely, would go on next week "
    "in Geneva or Istanbul. "
    "\u201cNothing can be ruled out, and the search for a solution continues,\u201d "
    "Ryabkov said."
)


def _dense_spans() -> tuple[list[Span], list[Relation], Span]:
    def at(word: str, label: str, conf: float | None, layer: Layer = Layer.ENTS) -> Span:
        start = DENSE.index(word)
        return Span(start, start + len(word), label, layer, Origin.SUGGESTED, None, conf)

    spans = [
        at("Moscow", "GPE", None),
        at("Washington", "GPE", 0.3),
        at("Tuesday", "DATE", None),
        at("Russia", "GPE", None),
        at("United States", "GPE", None),
        at("Ukraine", "GPE", None),
        at("Europe", "LOC", 0.2),
        at("Geneva", "GPE", None),
        at("Istanbul", "GPE", None),
    ]
    q0 = DENSE.index("\u201cNothing")
    q1 = DENSE.index("continues,\u201d") + len("continues,\u201d")
    quote = Span(q0, q1, "QUOTE", Layer.QUOTES, Origin.SUGGESTED, QuoteKind.DIRECT, 0.9)
    # an overlapping, low-confidence indirect reading of the first sentence
    indirect = Span(
        DENSE.index("talks"), DENSE.index(" in Geneva"), "QUOTE", Layer.QUOTES,
        Origin.SUGGESTED, QuoteKind.INDIRECT, 0.35,
    )
    speaker = at("Ryabkov", "SPEAKER", 0.9, Layer.QUOTES)
    cue = at(" said.", "CUE", 0.9, Layer.QUOTES)
    cue = cue.with_(start=cue.start + 1, end=cue.end - 1)
    officials = at("Officials", "SPEAKER", 0.35, Layer.QUOTES)
    spans += [quote, indirect, speaker, cue, officials]
    relations = [
        Relation(quote.key, speaker.key, RelationLabel.SPEAKER),
        Relation(quote.key, cue.key, RelationLabel.CUE),
        Relation(indirect.key, officials.key, RelationLabel.SPEAKER),
    ]
    return spans, relations, quote


@pytest.fixture
def dense_view(qtbot: Any) -> Any:
    from annotator.ui.article_view import ArticleView

    view = ArticleView()
    qtbot.addWidget(view)
    view.resize(560, 400)
    view.show()
    qtbot.waitExposed(view)
    view.set_text(DENSE)
    spans, relations, quote = _dense_spans()
    view.set_spans(spans, relations)
    view.quote = quote
    return view


def _line_rects(view: Any) -> list[tuple[float, float]]:
    """(top, bottom) of every laid-out text line, viewport coordinates."""
    rects = view._range_rects(0, view.omap.qt_length)
    return sorted({(r.top(), r.bottom()) for r in rects})


def _grab(widget: Any) -> QImage:
    QApplication.processEvents()
    return widget.grab().toImage()


def test_dense_selected_quote_paints_nothing_over_lines_it_does_not_hold(
    dense_view: Any, tmp_path: Path
) -> None:
    view = dense_view
    before = _grab(view.viewport())
    view.set_active_quote(view.quote.key)
    after = _grab(view.viewport())
    view.grab().save(str(tmp_path / "dense.png"))  # to look at when this fails
    linked = [view.quote.key, *view._linked_to_active()]
    held = set()
    for key in linked:
        placed = view._by_key[key]
        held |= {(r.top(), r.bottom()) for r in view._range_rects(placed.a, placed.b)}
    others = [line for line in _line_rects(view) if line not in held]
    assert others, "the article has lines without the selected quote"
    changed = []
    for top, bottom in others:
        for y in range(int(top) + 2, int(bottom) - 3):  # the glyphs, not the gaps
            for x in range(0, before.width(), 2):
                if before.pixel(x, y) != after.pixel(x, y):
                    changed.append((x, y))
                    break
    assert not changed, f"the selected quote's marks cover other lines at {changed[:5]}"


def test_dense_relation_tags_are_in_the_margin_beside_speaker_and_cue(dense_view: Any) -> None:
    from annotator.ui.article_overlay import _TAG_WIDTH
    from annotator.ui.theme import mark_colour

    view = dense_view
    margin = view._margin
    plain = _grab(margin)
    view.set_active_quote(view.quote.key)
    tagged = _grab(margin)
    speaker = next(p for p in view._by_key.values() if p.span.label == "SPEAKER"
                   and p.span.start > view.quote.start)
    line = view._range_rects(speaker.a, speaker.b)[0]
    y = int(line.center().y())
    colour = mark_colour(view._colour("SPEAKER"), view.palette())
    row = [QColor(tagged.pixel(x, y)) for x in range(2, 2 + _TAG_WIDTH)]
    assert any(abs(c.red() - colour.red()) + abs(c.green() - colour.green())
               + abs(c.blue() - colour.blue()) < 40 for c in row)
    assert any(plain.pixel(x, y) != tagged.pixel(x, y) for x in range(2, 2 + 2 * _TAG_WIDTH))


def test_dense_entities_are_tints_only_and_fade_with_confidence(dense_view: Any) -> None:
    from annotator.ui.theme import Mark

    view = dense_view
    fmts = {m: view._format("GPE", m) for m in Mark}
    assert all(f.underlineStyle() == QTextCharFormat.UnderlineStyle.NoUnderline
               for f in fmts.values())
    light = [fmts[m].background().color().lightnessF() for m in Mark]
    decided, suggested, low = light
    assert decided < suggested < low  # on a light page: stronger tint = darker
    # the selections the view really uses follow the span's state
    selections = view.extraSelections()
    by_span = {s.cursor.selectedText(): s.format.background().color().name() for s in selections}
    assert by_span["Washington"] == fmts[Mark.LOW].background().color().name()
    assert by_span["Moscow"] == fmts[Mark.SUGGESTED].background().color().name()


def test_dense_overlapping_quotes_get_their_own_lanes(dense_view: Any) -> None:
    view = dense_view
    spans, _, _ = _dense_spans()
    quotes = [s for s in spans if s.label == "QUOTE"]
    assert {view._lanes[q.key] for q in quotes} == {0}  # apart: one lane is enough
    # a quote over both: they move to a second lane, side by side with it
    wide = Span(0, len(DENSE), "QUOTE", Layer.QUOTES, Origin.SUGGESTED, QuoteKind.MIXED, 0.4)
    view.set_spans([*spans, wide], [])
    assert view._lanes[wide.key] == 0
    assert {view._lanes[q.key] for q in quotes} == {1}
