"""Turn a raw record's character offsets into a token-aligned ``Annotation``."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields
from itertools import pairwise

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
    TokenIndex,
    ValidationError,
    default_layer,
    label_problem,
    snap_range,
    split_tokens,
    validate_annotation,
)
from annotator.formats.records import ImportRecord, RawSpan

_STATUS = {
    "accept": AnnotationStatus.DONE,
    "ignore": AnnotationStatus.SKIPPED,
    "reject": AnnotationStatus.SKIPPED,
}


class AlignmentError(ValueError):
    pass


_LAYERS = tuple(str(layer) for layer in Layer)


def _layer(raw: RawSpan, index: int) -> Layer:
    """The span's layer: as given, else the label's default. An unknown layer is refused
    rather than guessed: ``"layer": "quote"`` meant quotes, and would become an entity."""
    if raw.layer is None:
        return default_layer(raw.label)
    if isinstance(raw.layer, str) and raw.layer in _LAYERS:
        return Layer(raw.layer)
    raise AlignmentError(
        f"span {index} ({raw.label} {raw.start}-{raw.end}) has unknown layer {raw.layer!r}; "
        "the layers are ents (entities) and quotes (QUOTE, SPEAKER, CUE)"
    )


def _trimmed(text: str, start: int, end: int) -> tuple[int, int] | None:
    """``[start, end)`` without whitespace at its edges, as snapping trims it; None
    when nothing is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def _span(raw: RawSpan, text: str, tokens: TokenIndex | None, index: int) -> Span:
    """The span ``raw`` places: snapped to ``tokens``, or with ``tokens=None`` kept
    exactly (trimmed of whitespace at its edges only)."""
    problem = label_problem(raw.label)
    if problem is not None:
        # The same rule on every backend: SQLite would store it, PostgreSQL would not.
        raise AlignmentError(f"span {index} ({raw.start}-{raw.end}): {problem}")
    if not (0 <= raw.start < raw.end <= len(text)):
        raise AlignmentError(
            f"span {index} ({raw.label} {raw.start}-{raw.end}) is outside the text "
            f"(length {len(text)})"
        )
    if tokens is None:
        snapped = _trimmed(text, raw.start, raw.end)
        if snapped is None:
            raise AlignmentError(
                f"span {index} ({raw.label} {raw.start}-{raw.end}) holds only whitespace "
                "and cannot be snapped"
            )
    else:
        snapped = snap_range(tokens, text, raw.start, raw.end)
        if snapped is None:
            raise AlignmentError(
                f"span {index} ({raw.label} {raw.start}-{raw.end}) covers no token and "
                "cannot be snapped"
            )
    layer = _layer(raw, index)
    try:
        kind = QuoteKind(raw.kind) if raw.kind else None
    except ValueError as exc:
        raise AlignmentError(f"span {index} has unknown kind {raw.kind!r}") from exc
    try:
        origin = Origin(raw.origin) if raw.origin else Origin.ACCEPTED
    except ValueError:
        origin = Origin.ACCEPTED
    return Span(snapped[0], snapped[1], raw.label, layer, origin, kind, raw.confidence)


# (label, layer, kind, origin) as read -> (layer, kind, origin) as placed, for the
# combinations a span was placed with once: the label and layer checks, the enum
# look-ups and error paths of ``_span`` then run once per combination, not per span.
_PLACED: dict[tuple[object, object, object, object], tuple[Layer, QuoteKind | None, Origin]] = {}
_PLACED_MAX = 4096
_SPAN_FIELDS = ("start", "end", "label", "layer", "origin", "kind", "confidence", "learned_from")
_new_object = object.__new__
_new_tuple = tuple.__new__
if tuple(f.name for f in fields(Span)) == (*_SPAN_FIELDS, "key"):
    # A Span made as Span(...) makes it, without the frozen dataclass's __init__ and
    # __post_init__ (half the cost of a span at import): the slots set directly.
    _SET = tuple(getattr(Span, name).__set__ for name in (*_SPAN_FIELDS, "key"))
else:  # pragma: no cover - Span changed: build spans the ordinary way
    _SET = ()


_LAYER_NAME = {layer: str(layer) for layer in Layer}


def _placed_afresh(raw: RawSpan, text: str, index: int) -> Span:
    """``_span(raw, text, None, index)``, remembering its combination of label, layer,
    kind and origin for the spans after it (``build_annotation``'s fast path)."""
    span = _span(raw, text, None, index)
    try:
        combination = (raw.label, raw.layer, raw.kind, raw.origin)
        if combination not in _PLACED:
            if len(_PLACED) >= _PLACED_MAX:
                _PLACED.clear()
            _PLACED[combination] = (span.layer, span.kind, span.origin)
    except TypeError:  # pragma: no cover - _span refuses a layer or kind of no JSON scalar
        pass
    return span


_RELATION_LABELS = {str(label): label for label in RelationLabel}


def _entities_overlap(spans: list[Span]) -> bool:
    ents = sorted((s.start, s.end) for s in spans if s.layer == Layer.ENTS)
    return any(b[0] < a[1] for a, b in pairwise(ents))


def needs_tokens(record: ImportRecord, *, snap: str = "split") -> bool:
    """Whether placing the record's labels needs its text's tokens: spans widened to
    whole tokens (``snap="expand"``), or a relation naming its ends by token index.
    Otherwise every span is kept exactly (``snap="split"``) and the document's tokens
    can be made later, split at its spans (``set_tokens``)."""
    if snap != "split":
        return True
    return any(r.head_span is None or r.child_span is None for r in record.relations)


def build_annotation(
    record: ImportRecord, tokens: Sequence[Token] | None, annotator: str, *, snap: str = "split"
) -> tuple[Annotation, int]:
    """The record's annotation, and how many spans had to be snapped to token boundaries.

    With ``tokens=None`` no span is snapped to tokens: each is kept exactly, trimmed of
    whitespace at its edges (which counts as snapped), and relations must name their
    ends by span (``needs_tokens``). Raises ``AlignmentError`` with a message naming the
    span when it cannot be placed.
    """
    text = record.text
    # one per record: a record may carry very many spans
    index = TokenIndex(tokens) if tokens is not None else None
    spans: list[Span] = []
    by_raw: dict[tuple[int, int, str], SpanKey] = {}
    snapped = 0
    seen: dict[SpanKey, tuple[int, RawSpan]] = {}
    rejected: set[SpanKey] = set()
    # Without tokens, the usual span (a combination of label, layer, kind and origin
    # placed before, inside the text, no whitespace at its edges) is made here without
    # _span's checks repeated, by setting its slots (half the cost of Span(...)).
    fast = index is None and bool(_SET)
    placed, n, layer_name, make, new_key = _PLACED, len(text), _LAYER_NAME, _new_object, _new_tuple
    s0, s1, s2, s3, s4, s5, s6, s7, s8 = _SET or (None,) * 9
    for i, raw in enumerate(record.spans or []):
        start, end, label = raw.start, raw.end, raw.label
        try:
            found = placed.get((label, raw.layer, raw.kind, raw.origin)) if fast else None
        except TypeError:  # a layer or kind that is no JSON scalar: _span refuses it
            found = None
        if (
            found is not None
            and 0 <= start < end <= n
            and not text[start].isspace()
            and not text[end - 1].isspace()
        ):
            layer, kind, origin = found
            key = new_key(SpanKey, (start, end, label, layer_name[layer]))
            span = make(Span)
            s0(span, start)
            s1(span, end)
            s2(span, label)
            s3(span, layer)
            s4(span, origin)
            s5(span, kind)
            s6(span, raw.confidence)
            s7(span, 0)
            s8(span, key)
        else:
            span = _span(raw, text, index, i) if index is not None else _placed_afresh(raw, text, i)
            key = span.key
        if raw.rejected:
            # Kept so the same suggestion is not proposed again; the reader has left
            # out the relations that touch it.
            rejected.add(key)
            continue
        if key[0] != start or key[1] != end:
            snapped += 1
        by_raw[(start, end, label)] = key
        if key not in seen:
            seen[key] = (i, raw)
            spans.append(span)
            continue
        j, first = seen[key]
        if (first.start, first.end) != (raw.start, raw.end):
            # Two different spans would become one: which one was meant is ambiguous,
            # and merging them would silently drop one.
            raise AlignmentError(
                f"span {i} ({raw.label} {raw.start}-{raw.end}) and span {j} "
                f"({first.label} {first.start}-{first.end}) snap to the same tokens "
                f"{span.start}-{span.end} {text[span.start : span.end]!r}"
            )
    last_token_of: dict[int, SpanKey] = {}
    if tokens is not None and any(
        r.head_span is None or r.child_span is None for r in record.relations
    ):
        ends = {t.end: i for i, t in enumerate(tokens)}
        for sp in spans:
            if sp.end in ends:
                last_token_of.setdefault(ends[sp.end], sp.key)
    relations: dict[Relation, None] = {}  # in order, each once
    for i, raw_rel in enumerate(record.relations):
        rel_label = _RELATION_LABELS.get(raw_rel.label.lower())
        if rel_label is None:
            raise AlignmentError(f"relation {i} has unknown label {raw_rel.label!r}")
        head = (
            by_raw.get(raw_rel.head_span)
            if raw_rel.head_span
            else last_token_of.get(-1 if raw_rel.head is None else raw_rel.head)
        )
        child = (
            by_raw.get(raw_rel.child_span)
            if raw_rel.child_span
            else last_token_of.get(-1 if raw_rel.child is None else raw_rel.child)
        )
        if head is None or child is None:
            raise AlignmentError(
                f"relation {i} ({raw_rel.label}) points at a span that is not there"
            )
        relations[Relation(head, child, rel_label)] = None
    status = _STATUS[record.answer] if record.answer else AnnotationStatus.IN_PROGRESS
    annotation = Annotation(
        document_id=None,
        annotator=annotator,
        spans=spans,
        relations=list(relations),
        status=status,
        flagged=record.answer == "reject",
        rejected=rejected - {sp.key for sp in spans} if rejected else rejected,
    )
    if index is None and not _entities_overlap(spans):
        # What validate_annotation checks holds already: every span was checked for
        # its bounds and label, each is there once (seen), and every relation's ends
        # are spans of it (by_raw); only entities may still overlap.
        return annotation, snapped
    try:
        validate_annotation(annotation, text, index)
    except ValidationError as exc:
        raise AlignmentError(str(exc.args[0])) from exc
    return annotation, snapped


@dataclass(frozen=True, slots=True)
class Aligned:
    """A record placed on a document's tokens (or, without tokens, on its text)."""

    annotation: Annotation
    # the document's tokens, split where a span needed it; None when placed without
    # tokens: the document is tokenized on first use, split at its spans then
    tokens: list[Token] | None
    snapped: int  # spans moved to token boundaries (widened, or trimmed of whitespace)
    split: int  # tokens split so that a span is kept exactly


def _span_bounds(record: ImportRecord) -> Iterator[int]:
    """Where the record's spans start and end once trimmed of whitespace, as placing
    them trims it; spans outside the text are left to ``build_annotation`` to refuse."""
    text = record.text
    for raw in record.spans or []:
        if not 0 <= raw.start < raw.end <= len(text):
            continue
        trimmed = _trimmed(text, raw.start, raw.end)
        if trimmed is not None:
            yield trimmed[0]
            yield trimmed[1]


def align_record(
    record: ImportRecord, tokens: Sequence[Token] | None, annotator: str, *, snap: str = "split"
) -> Aligned:
    """The record's annotation and the tokens to store its document with.

    ``snap="split"``: a span that starts or ends inside a token splits that token there,
    so every span is kept exactly. ``snap="expand"``: the tokens stay as they are and
    such a span is widened to whole tokens (two spans that would become one are
    refused by ``build_annotation``). ``tokens=None`` (only with ``snap="split"`` and
    when ``needs_tokens`` is false): every span is kept exactly and no tokens are
    returned; whoever tokenizes the document later splits them at its spans.
    """
    if tokens is None:
        if snap != "split":
            raise ValueError("snap='expand' needs the text's tokens")
        annotation, snapped = build_annotation(record, None, annotator, snap=snap)
        return Aligned(annotation, None, snapped, 0)
    split = 0
    if snap == "split":
        tokens, split = split_tokens(tokens, _span_bounds(record))
    annotation, snapped = build_annotation(record, tokens, annotator, snap=snap)
    return Aligned(annotation, list(tokens), snapped, split)
