"""What the annotation keys do to the open document.

The editor turns keys into core operations (``accept``, ``relabel``, ``AddSpan`` …)
and sends them through the :class:`EditSession`; it keeps the view state that is
not saved: the current span, the quote whose speaker and cue are shown, the link
mode after S or C, and whether low-confidence suggestions are shown.
"""

from __future__ import annotations

from bisect import bisect_left

from PySide6.QtCore import QObject, Signal

from annotator.core import (
    Annotation,
    Document,
    Layer,
    Origin,
    Span,
    SpanKey,
    default_layer,
    snap_range,
    token_index_range,
)
from annotator.core.model import RelationLabel
from annotator.core.offsets import OffsetMap
from annotator.core.operations import (
    AddSpan,
    Batch,
    Operation,
    RemoveSpan,
    ReplaceSpan,
    accept,
    cycle_kind,
    relabel,
    relink,
    remove_quote,
    resize,
    spans_sorted,
)
from annotator.core.seen import DISPLAY_THRESHOLD, shown_by_default
from annotator.ui.article_view import ArticleView
from annotator.ui.operations import EditSession
from annotator.ui.quote_kind import guess_kind
from annotator.ui.span_table import SpanTable

# Suggestions below this confidence are hidden unless asked for (L): the default of
# ``Editor.threshold``, which the window sets from the project's setting.
LOW_CONFIDENCE = DISPLAY_THRESHOLD


def _target_label(label: RelationLabel) -> str:
    return "SPEAKER" if label == RelationLabel.SPEAKER else "CUE"


def _can_be_linked(span: Span, quote: Span) -> bool:
    """May ``span`` be ``quote``'s speaker or cue? Never the quote itself or another quote."""
    return span.key != quote.key and span.label != "QUOTE"


class AnnotationEditor(QObject):
    message = Signal(str)  # for the status bar
    currentChanged = Signal(object)  # SpanKey | None

    def __init__(self, view: ArticleView, table: SpanTable, parent: QObject | None = None):
        super().__init__(parent)
        self.view = view
        self.table = table
        self.session: EditSession | None = None
        self.document: Document | None = None
        self.omap = OffsetMap("")
        self.show_low_confidence = False
        self.threshold = LOW_CONFIDENCE  # the project's display threshold
        self.current: SpanKey | None = None
        self.active_quote: SpanKey | None = None
        self.link_mode: RelationLabel | None = None
        self.referents: dict[SpanKey, SpanKey] = {}
        self._visible: list[Span] = []
        self.suggested_count = 0  # of the visible spans, for the header
        view.spanClicked.connect(self._on_span_clicked)
        view.selectionFinished.connect(self.snap_selection)
        table.spanActivated.connect(lambda key: self.set_current(key))

    # -- loading ------------------------------------------------------------------------

    def show_document(self, document: Document, omap: OffsetMap) -> None:
        """Show the text before its annotation is ready (suggestions may still be computing)."""
        self.detach()
        self.document = document
        self.omap = omap
        self.view.set_text(document.text, omap)
        self.table.span_model.set_spans(document.text, [], [])

    def attach(self, session: EditSession, referents: dict[SpanKey, SpanKey] | None = None) -> None:
        self.session = session
        self.referents = referents or {}
        session.changed.connect(self._on_changed)
        session.refused.connect(self.message)
        self.current = self.active_quote = None
        self.link_mode = None
        self.refresh()
        order = self._visible
        if order:
            self.set_current(order[0].key, scroll=False)

    def detach(self) -> None:
        if self.session is not None:
            self.session.changed.disconnect(self._on_changed)
            self.session.refused.disconnect(self.message)
            self.session.stop()
        self.session = None
        self.current = self.active_quote = None
        self.link_mode = None
        self._visible = []
        self.suggested_count = 0

    @property
    def annotation(self) -> Annotation | None:
        return self.session.annotation if self.session else None

    # -- drawing ------------------------------------------------------------------------

    def visible_spans(self, annotation: Annotation) -> list[Span]:
        if self.show_low_confidence:
            return spans_sorted(annotation.spans)
        threshold = self.threshold
        return spans_sorted([s for s in annotation.spans if shown_by_default(s, threshold)])

    def shown_keys(self) -> set[SpanKey]:
        """The spans on screen now (what Enter may accept)."""
        return {s.key for s in self._visible}

    def hidden_count(self) -> int:
        ann = self.annotation
        return len(ann.spans) - len(self._visible) if ann else 0

    def refresh(self) -> None:
        ann = self.annotation
        if ann is None or self.document is None:
            return
        self._visible = self.visible_spans(ann)
        suggested = Origin.SUGGESTED
        self.suggested_count = sum(1 for s in self._visible if s.origin == suggested)
        visible_keys = {s.key for s in self._visible}
        relations = [r for r in ann.relations if r.head in visible_keys and r.child in visible_keys]
        self.view.set_spans(self._visible, relations)
        self.table.span_model.set_spans(
            self.document.text, self._visible, relations, self.referents, presorted=True
        )
        if self.current not in visible_keys:
            self.current = None
        if self.active_quote not in visible_keys:
            self.active_quote = None
        self._show_current(scroll=False)

    def set_threshold(self, value: float) -> None:
        """Show suggestions from this confidence up (L still shows the rest)."""
        self.threshold = value
        self.refresh()

    def set_show_low_confidence(self, on: bool) -> None:
        self.show_low_confidence = on
        self.refresh()
        hidden = self.hidden_count()
        plural = "s" if hidden != 1 else ""
        self.message.emit(
            "Showing low-confidence suggestions."
            if on
            else f"Hiding {hidden} low-confidence suggestion{plural} (L shows them)."
        )

    def _on_changed(self, before: Annotation, after: Annotation) -> None:
        result = self.session.last_result if self.session is not None else None
        if result is not None and result.annotation is after:
            touched = result.touched  # what the save wrote, not compared again
        else:  # a queued edit written later, a reload: nothing saved says what changed
            old = {s.key: s for s in before.spans}
            touched = [s.key for s in spans_sorted(after.spans) if old.get(s.key) != s]
        previous = self.current
        self.refresh()
        visible = {s.key for s in self._visible}
        if touched and touched[0] in visible:
            # A new or changed span (also one restored by undo) becomes current.
            self.set_current(touched[0])
        elif previous is not None and previous not in visible:
            self._current_after(before.span_by_key(previous))
        else:
            self._show_current(scroll=False)

    def _current_after(self, gone: Span | None) -> None:
        """After a removal: the span that now sits where the removed one was."""
        if gone is None or not self._visible:
            self.set_current(None)
            return
        starts = [s.start for s in self._visible]
        i = min(bisect_left(starts, gone.start), len(self._visible) - 1)
        self.set_current(self._visible[i].key)

    # -- current span ---------------------------------------------------------------------

    def set_current(self, key: SpanKey | None, *, scroll: bool = True) -> None:
        self.current = key
        span = self._span(key)
        if span is not None and span.label == "QUOTE" and self.link_mode is None:
            self.active_quote = span.key
        elif span is not None and self.link_mode is None and self.annotation is not None:
            # On a speaker or cue: show the quote it belongs to.
            for rel in self.annotation.relations:
                if rel.child == span.key:
                    self.active_quote = rel.head
                    break
        self._show_current(scroll=scroll)
        self.currentChanged.emit(self.current)

    def _show_current(self, *, scroll: bool) -> None:
        self.view.set_active_quote(self.active_quote)
        self.view.set_current(self.current, scroll=scroll)
        self.table.show_current(self.current)

    def _span(self, key: SpanKey | None) -> Span | None:
        ann = self.annotation
        return ann.span_by_key(key) if ann is not None and key is not None else None

    def step(self, delta: int) -> None:
        """Tab / Shift+Tab: next or previous span in reading order."""
        order = self._visible
        if not order:
            self.message.emit("No spans in this document yet: select text and press a label key.")
            return
        keys = [s.key for s in order]
        if self.current in keys:
            i = (keys.index(self.current) + delta) % len(keys)
        else:
            # Start from the text cursor, so Tab after reading a passage lands nearby.
            cursor = self.omap.from_qt(self.view.textCursor().position())
            starts = [s.start for s in order]
            i = bisect_left(starts, cursor)
            i = i % len(keys) if delta > 0 else (i - 1) % len(keys)
        self.view.clear_selection()
        self.set_current(keys[i])

    # -- edits --------------------------------------------------------------------------

    def _perform(self, op: Operation) -> bool:
        if self.session is None:
            self.message.emit("This article is still loading its suggestions; one moment.")
            return False
        return self.session.perform(op)

    def _need_current(self) -> Span | None:
        span = self._span(self.current)
        if span is None:
            self.message.emit("No current span: press Tab to go to one, or click it.")
        return span

    def accept(self) -> None:
        span = self._need_current()
        if span is None:
            return
        if span.origin != Origin.SUGGESTED:
            self.message.emit(f"{span.label} is already confirmed ({span.origin}).")
            self._advance()
            return
        if self._perform(accept(span)):
            self._advance()

    def _advance(self) -> None:
        """After accept / reject, move on to the next suggestion still to decide."""
        order = self._visible
        keys = [s.key for s in order]
        if self.current not in keys:
            return
        i = keys.index(self.current)
        for span in order[i + 1 :] + order[:i]:
            if span.origin == Origin.SUGGESTED:
                self.set_current(span.key)
                return
        self.message.emit("All suggestions decided. Enter marks the article done.")

    def accept_all(self) -> None:
        pending = [s for s in self._visible if s.origin == Origin.SUGGESTED]
        if not pending:
            self.message.emit("No suggestions left to accept.")
            return
        if self._perform(Batch(tuple(accept(s) for s in pending), description="accept all")):
            self.message.emit(
                f"Accepted {len(pending)} suggestion{'s' if len(pending) != 1 else ''}."
            )

    def reject(self) -> None:
        span = self._need_current()
        if span is None:
            return
        was_suggested = span.origin == Origin.SUGGESTED
        verb = "reject" if was_suggested else "delete"
        description = f"{verb} {span.label}"
        op: Operation = RemoveSpan(span.key, description=description)
        if span.label == "QUOTE" and self.annotation is not None:
            op = remove_quote(self.annotation, span.key, description=description)
        if self._perform(op) and was_suggested:
            self._advance_from(span)

    def _advance_from(self, gone: Span) -> None:
        for span in self._visible:
            if span.start >= gone.start and span.origin == Origin.SUGGESTED:
                self.set_current(span.key)
                return

    def snap_selection(self) -> tuple[int, int] | None:
        """Snap the text selection to whole tokens (shown at once, so what you see is saved)."""
        selected = self.view.selected_range()
        if selected is None or self.document is None:
            return None
        snapped = snap_range(self.document.tokens or [], self.document.text, *selected)
        if snapped is None:
            self.message.emit("The selection holds no word to label.")
            return None
        if snapped != selected:
            self.view.select_range(*snapped)
        return snapped

    def label(self, name: str) -> None:
        """A label key or palette button: label the selection, else relabel the current span."""
        layer = default_layer(name)
        if self.view.selected_range() is not None:
            snapped = self.snap_selection()
            if snapped is None:
                return
            text = self.document.text[snapped[0] : snapped[1]] if self.document else ""
            kind = guess_kind(text) if name == "QUOTE" else None
            added = Span(snapped[0], snapped[1], name, layer, Origin.MANUAL, kind)
            if self._perform(AddSpan(added, description=f"add {name}")):
                self.view.clear_selection()
                self.set_current(added.key)
            return
        span = self._need_current()
        if span is None or span.label == name:
            return
        op = relabel(span, name, layer)
        if name == "QUOTE" and span.kind is None and self.document is not None:
            guessed = guess_kind(span.text(self.document.text))
            op = ReplaceSpan(op.old, op.new.with_(kind=guessed), op.description)
        elif name != "QUOTE" and span.kind is not None:
            op = ReplaceSpan(op.old, op.new.with_(kind=None), op.description)
        self._perform(op)

    def make_quote(self) -> None:
        if self.view.selected_range() is None:
            span = self._span(self.current)
            if span is not None and span.label != "QUOTE":
                self.label("QUOTE")
                return
            self.message.emit("Select the quoted text first (drag, or Shift+arrows), then press Q.")
            return
        self.label("QUOTE")

    def cycle_kind(self) -> None:
        span = self._span(self.current)
        if span is None or span.label != "QUOTE":
            span = self._span(self.active_quote)
        if span is None:
            self.message.emit("K changes the kind of a quote: go to a QUOTE first.")
            return
        if self._perform(cycle_kind(span)):
            new = self._span(self.current)
            self.message.emit(f"Quote kind: {new.kind if new else '?'}.")

    def move_boundary(self, edge: str, delta: int) -> None:
        """Alt+arrows: move the start or end of the current span by one token."""
        span = self._need_current()
        if span is None or self.document is None:
            return
        tokens = self.document.tokens or []
        idx = token_index_range(tokens, span.start, span.end)
        if idx is None:
            self.message.emit("This span is not on token boundaries; reselect it.")
            return
        first, last = idx
        if edge == "start":
            first += delta
        else:
            last += delta
        if first < 0 or last >= len(tokens) or first > last:
            self.message.emit("A span needs at least one token.")
            return
        self._perform(resize(span, tokens[first].start, tokens[last].end))

    # -- speaker and cue ----------------------------------------------------------------

    def _on_screen(self, key: SpanKey | None) -> Span | None:
        """The span if it is shown: links and link candidates are only ever spans on screen
        (a hidden low-confidence suggestion is nobody's decision yet)."""
        if key is None:
            return None
        for span in self._visible:
            if span.key == key:
                return span
        return None

    def _linked(self, quote: SpanKey, label: RelationLabel) -> SpanKey | None:
        ann = self.annotation
        if ann is None:
            return None
        return ann.speaker_of(quote) if label == RelationLabel.SPEAKER else ann.cue_of(quote)

    def _quote_for_link(self) -> Span | None:
        span = self._on_screen(self.current)
        if span is not None and span.label == "QUOTE":
            return span
        quote = self._on_screen(self.active_quote)
        if quote is None:
            self.message.emit("Go to a QUOTE first (Tab, or click it), then press S or C.")
        return quote

    def start_link(self, label: RelationLabel) -> None:
        """S / C: link the selection, the current span, or enter link mode to pick one."""
        target_label = _target_label(label)
        has_selection = self.view.selected_range() is not None
        if self.link_mode == label and not has_selection:
            self.confirm_link()
            return
        if self.link_mode is not None:
            self.cancel_link()
        quote = self._quote_for_link()
        if quote is None:
            return
        self.active_quote = quote.key
        if has_selection:
            snapped = self.snap_selection()
            if snapped is None:
                return
            self._link_range(quote, label, snapped[0], snapped[1])
            self.view.clear_selection()
            return
        current = self._on_screen(self.current)
        if current is not None and current.key != quote.key and current.label == target_label:
            self._link(quote, label, current)
            return
        self.link_mode = label
        self.view.set_link_mode(label)
        # Start on the existing speaker/cue only if it is on screen: a hidden one is no
        # candidate (Enter would link what the annotator cannot see).
        existing = self._on_screen(self._linked(quote.key, label))
        self.set_current(existing.key if existing else self._nearest(quote, target_label))
        self.message.emit(
            f"{target_label.title()} of this quote: click a span, or Tab to it, then press "
            "Enter (Esc cancels)."
        )

    def _nearest(self, quote: Span, label: str) -> SpanKey | None:
        """A likely candidate to start from: the closest span with that label, else any
        span on screen outside the quote (never a quote: it is nobody's speaker or cue)."""

        def distance(s: Span) -> int:
            return quote.start - s.end if s.end <= quote.start else s.start - quote.end

        outside = [
            s
            for s in self._visible
            if s.key != quote.key
            and s.label != "QUOTE"
            and (not s.overlaps(quote) or s.label == label)
        ]
        for pool in ([s for s in outside if s.label == label], outside):
            if pool:
                return min(pool, key=lambda s: abs(distance(s))).key
        return None

    def confirm_link(self) -> None:
        """Enter (or S/C again) in link mode: link the candidate, or the selected words.

        With nothing chosen yet, link mode stays on: Enter in link mode links or says what
        is missing, and never falls through to finishing the article."""
        if self.link_mode is None:
            return
        label = self.link_mode
        quote = self._on_screen(self.active_quote)
        if quote is None:
            self.cancel_link()
            self.message.emit("The quote is no longer there; nothing linked.")
            return
        if self.view.selected_range() is not None:
            snapped = self.snap_selection()
            if snapped is None:
                return
            self.cancel_link()
            self._link_range(quote, label, snapped[0], snapped[1])
            self.view.clear_selection()
            return
        target = self._on_screen(self.current)
        if target is None or not _can_be_linked(target, quote):
            self.message.emit(
                f"No {label} chosen yet: click a span, or Tab to it, then Enter (Esc cancels)."
            )
            return
        self.cancel_link()
        self._link(quote, label, target)

    def cancel_link(self) -> None:
        if self.link_mode is not None:
            self.link_mode = None
            self.view.set_link_mode(None)
            # Back to the quote that was being linked, not the last candidate.
            if self._on_screen(self.active_quote) is not None:
                self.set_current(self.active_quote, scroll=False)

    def _link(self, quote: Span, label: RelationLabel, target: Span) -> None:
        if self._on_screen(target.key) is None:
            self.message.emit("Only a span shown on screen can be linked (L shows hidden ones).")
            return
        if target.key == quote.key:
            self.message.emit("A quote cannot be its own speaker or cue.")
            return
        if target.label == "QUOTE":
            self.message.emit(
                f"A quote cannot be the {label} of another quote: select the words instead."
            )
            return
        if target.label == _target_label(label):
            self._commit_link(quote, label, target.key, ())
            return
        # Linking to an entity (e.g. a PERSON): a speaker/cue span goes on top of it.
        self._link_range(quote, label, target.start, target.end)

    def _link_range(self, quote: Span, label: RelationLabel, start: int, end: int) -> None:
        target_label = _target_label(label)
        key = SpanKey(start, end, target_label, str(Layer.QUOTES))
        ann = self.annotation
        existing = ann.span_by_key(key) if ann is not None else None
        before: list[Operation] = []
        if existing is None:
            before.append(AddSpan(Span(start, end, target_label, Layer.QUOTES, Origin.MANUAL)))
        elif self._on_screen(key) is None:
            if existing.origin != Origin.SUGGESTED:
                self.message.emit(f"That {target_label} is hidden; nothing linked.")
                return
            # A hidden suggestion on the same words (say a 0.45 SPEAKER): choosing these
            # words decides it, so it is accepted (and shown) rather than linked unseen.
            before.append(accept(existing))
        self._commit_link(quote, label, key, tuple(before))

    def _commit_link(
        self,
        quote: Span,
        label: RelationLabel,
        child: SpanKey,
        before: tuple[Operation, ...] | list[Operation],
    ) -> None:
        ann = self.annotation
        if ann is None:
            self.message.emit("This article is still loading its suggestions; one moment.")
            return
        # One undo step: the new span (if any), the link, and the old speaker/cue span
        # when it existed only for this link.
        op = relink(ann, quote.key, label, child, before=before, description=f"set {label}")
        if self._perform(op):
            self._after_link(quote, label)

    def _after_link(self, quote: Span, label: RelationLabel) -> None:
        self.active_quote = quote.key
        self.set_current(quote.key)
        child = self._linked(quote.key, label)
        text = self.document.text[child.start : child.end] if child and self.document else "?"
        self.message.emit(f"{str(label).title()}: “{text}”.")

    def _on_span_clicked(self, key: SpanKey) -> None:
        span = self._on_screen(key)
        if span is None:
            return  # only spans on screen can be chosen
        if self.link_mode is None:
            self.set_current(key, scroll=False)
            return
        # Link mode: a click proposes the candidate (outlined); Enter confirms, Esc cancels.
        quote = self._on_screen(self.active_quote)
        if quote is not None and not _can_be_linked(span, quote):
            self.message.emit(
                f"A quote cannot be the {self.link_mode}: click a name or a verb, or select "
                "the words; Enter confirms."
            )
            return
        self.set_current(key, scroll=False)
        text = span.text(self.document.text) if self.document else "?"
        self.message.emit(f"{str(self.link_mode).title()}: “{text}”? Enter links it, Esc cancels.")

    def cancel(self) -> None:
        if self.link_mode is not None:
            self.cancel_link()
            self.message.emit("Linking cancelled.")
        self.view.clear_selection()
