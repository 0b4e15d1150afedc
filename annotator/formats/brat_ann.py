"""The lines of a brat ``.ann`` file turned into raw spans and relations (see
``annotator.formats.brat_read`` for what each kind of line becomes)."""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from annotator.core import DEFAULT_SCHEME, Layer, QuoteKind, RelationLabel, default_layer
from annotator.formats.records import Problem, RawRelation, RawSpan

KNOWN_LABELS = frozenset(DEFAULT_SCHEME.names())
_KINDS = {k.value: k for k in QuoteKind}
_RELATIONS = {r.value: r for r in RelationLabel}
_LAYERS = {str(layer) for layer in Layer}
SEGMENTS = re.compile(r"[0-9]+ [0-9]+(;[0-9]+ [0-9]+)*\Z")  # ASCII digits only, as brat writes
_ROLE_NUMBER = re.compile(r"\d+$")  # brat numbers repeated roles: Theme, Theme2 ...


def pair(segment: str) -> tuple[int, int]:
    a, b = segment.split(" ")
    return int(a), int(b)


@dataclass
class Bound:
    """One ``T`` line: its pieces (after mapping), or None when its type is unmapped."""

    line: int
    brat_type: str
    pieces: list[RawSpan] | None


@dataclass
class AnnDoc:
    source: str
    text: str
    view_to_text: list[int] | None  # brat offset -> stored offset, None: the same
    type_map: Mapping[str, str]
    ours: frozenset[str]
    bounds: dict[str, Bound] = field(default_factory=dict)
    events: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # id -> (role, id)
    relations: list[RawRelation] = field(default_factory=list)
    notes: list[dict[str, object]] = field(default_factory=list)
    out: list[Problem] = field(default_factory=list)
    unmapped: Counter[str] = field(default_factory=Counter)
    unused_attributes: Counter[str] = field(default_factory=Counter)
    unusable_relations: Counter[str] = field(default_factory=Counter)
    quoteless_events: Counter[str] = field(default_factory=Counter)
    ignored: Counter[str] = field(default_factory=Counter)
    lost_links: int = 0

    def warn(self, line: int | None, message: str) -> None:
        self.out.append(Problem(self.source, line, message, warning=True))

    def skip(self, line: int | None, message: str) -> None:
        self.out.append(Problem(self.source, line, message))

    def mapped(self, name: str) -> str | None:
        """What ``--map`` makes of ``name`` (exact, else ignoring case), or None."""
        if name in self.type_map:
            return self.type_map[name]
        folded = name.casefold()
        for key, value in self.type_map.items():
            if key.casefold() == folded:
                return value
        return None

    def label(self, brat_type: str) -> str | None:
        value = self.mapped(brat_type)
        if value is not None:
            return value.upper() if value.upper() in KNOWN_LABELS else value
        if brat_type in KNOWN_LABELS or brat_type in self.ours:
            return brat_type
        return None

    def offset(self, value: int) -> int:
        return value if self.view_to_text is None else self.view_to_text[value]


# the lines --------------------------------------------------------------------------------


def parse(doc: AnnDoc, lines: list[str]) -> list[RawSpan]:
    later: list[tuple[int, str]] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        kind = line[0]
        if kind == "T":
            _bound(doc, number, line)
        elif kind == "E":
            _event(doc, number, line)
        elif kind in "RAM#":
            later.append((number, line))  # they may point at lines further down
        elif kind in "N*":
            doc.ignored["normalizations (N)" if kind == "N" else "equivalences (*)"] += 1
        else:
            doc.skip(number, f"not a brat annotation line: {line[:60]!r}")
    spans = _kept_spans(doc)
    for number, line in later:
        if line[0] == "R":
            _relation(doc, number, line)
        elif line[0] == "#":
            _note(doc, number, line)
        else:
            _attribute(doc, number, line)
    for eid, args in doc.events.items():
        _event_relations(doc, eid, args)
    _report(doc)
    return spans


def _bound(doc: AnnDoc, number: int, line: str) -> None:
    parts = line.split("\t", 2)
    head = parts[1].split(" ", 1) if len(parts) >= 2 else []
    if len(parts) < 2 or len(head) != 2 or not SEGMENTS.match(head[1]):
        doc.skip(number, f"a T line is ID<tab>TYPE START END[;START END]<tab>TEXT: {line[:60]!r}")
        return
    tid, (brat_type, segs) = parts[0], head
    if tid in doc.bounds:
        doc.skip(number, f"{tid} is defined twice; the first one is kept")
        return
    segments = sorted(pair(s) for s in segs.split(";"))
    view_length = len(doc.view_to_text) - 1 if doc.view_to_text else len(doc.text)
    for a, b in segments:
        if not 0 <= a < b <= view_length:
            doc.skip(number, f"{tid} offsets {a}-{b} are outside the text (length {view_length})")
            return
    label = doc.label(brat_type)
    if label is None:
        doc.unmapped[brat_type] += 1
        doc.bounds[tid] = Bound(number, brat_type, None)
        return
    if len(parts) == 3:
        _check_text(doc, number, tid, segments, parts[2])
    pieces = _join_line_breaks(doc, [(doc.offset(a), doc.offset(b)) for a, b in segments])
    if len(pieces) > 1:
        doc.warn(
            number,
            f"{tid} ({brat_type}) has {len(pieces)} discontinuous fragments: "
            f"imported as {len(pieces)} spans",
        )
    doc.bounds[tid] = Bound(number, brat_type, [RawSpan(a, b, label) for a, b in pieces])


def _check_text(doc: AnnDoc, number: int, tid: str, segs: list[tuple[int, int]], col: str) -> None:
    got = " ".join(doc.text[doc.offset(a) : doc.offset(b)] for a, b in segs)
    if " ".join(got.split()) != " ".join(col.split()):
        doc.warn(number, f"{tid} text {col[:40]!r} differs from the .txt there ({got[:40]!r})")


def _join_line_breaks(doc: AnnDoc, pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out = [pieces[0]]
    for a, b in pieces[1:]:
        last_a, last_b = out[-1]
        if a <= last_b or not doc.text[last_b:a].strip():
            out[-1] = (last_a, max(last_b, b))
        else:
            out.append((a, b))
    return out


def _kept_spans(doc: AnnDoc) -> list[RawSpan]:
    """Every span, with entities that overlap an earlier entity left out (reported):
    entities never overlap, and one such pair would otherwise cost the document."""
    spans: list[RawSpan] = []
    starts: list[int] = []  # the kept entities, disjoint, in order of their starts
    kept_entities: list[tuple[RawSpan, str]] = []
    for tid, bound in doc.bounds.items():
        kept: list[RawSpan] = []
        for piece in bound.pieces or []:
            if default_layer(piece.label) == Layer.ENTS:
                # Disjoint ranges: the last one starting before this piece ends is the
                # one reaching furthest, so it is the only one to look at.
                at = bisect.bisect_left(starts, piece.end) - 1
                if at >= 0 and kept_entities[at][0].end > piece.start:
                    other, oid = kept_entities[at]
                    if (other.start, other.end) != (piece.start, piece.end) or (
                        other.label != piece.label
                    ):
                        doc.skip(
                            bound.line,
                            f"{tid} ({piece.label} {piece.start}-{piece.end}) overlaps "
                            f"{oid} ({other.label} {other.start}-{other.end}); entities may "
                            "not overlap, so it is left out",
                        )
                        continue
                else:
                    place = bisect.bisect_left(starts, piece.start)
                    starts.insert(place, piece.start)
                    kept_entities.insert(place, (piece, tid))
            kept.append(piece)
        if bound.pieces is not None:
            bound.pieces = kept
        spans.extend(kept)
    return spans


def _pieces_of(doc: AnnDoc, ident: str) -> list[RawSpan] | None:
    """The spans an id stands for (an event: its trigger's); None when it names nothing."""
    if ident in doc.events:
        ident = doc.events[ident][0][1]
    bound = doc.bounds.get(ident)
    return None if bound is None else (bound.pieces or [])


def _relation_label(doc: AnnDoc, name: str) -> RelationLabel | None:
    value = doc.mapped(name) or name
    return _RELATIONS.get(value.lower())


def _link(doc: AnnDoc, heads: list[RawSpan], children: list[RawSpan], label: RelationLabel) -> None:
    for h in heads:
        for c in children:
            doc.relations.append(
                RawRelation(str(label), (h.start, h.end, h.label), (c.start, c.end, c.label))
            )


def _relation(doc: AnnDoc, number: int, line: str) -> None:
    parts = line.split("\t")
    fields = parts[1].split() if len(parts) >= 2 else []
    args = [f.split(":", 1)[1] for f in fields[1:] if ":" in f]
    if len(fields) != 3 or len(args) != 2:
        doc.skip(number, f"an R line is ID<tab>TYPE Arg1:ID Arg2:ID: {line[:60]!r}")
        return
    rtype = fields[0]
    first, second = (_pieces_of(doc, a) for a in args)
    if first is None or second is None:
        doc.skip(number, f"{parts[0]} points at an annotation that is not in the file")
        return
    if not first or not second:
        doc.lost_links += 1
        return
    for heads, children in ((first, second), (second, first)):
        if all(p.label == "QUOTE" for p in heads) and not any(p.label == "QUOTE" for p in children):
            label = _relation_label(doc, rtype) or _by_label(children)
            if label is not None:
                _link(doc, heads, children, label)
                return
    doc.unusable_relations[rtype] += 1


def _by_label(pieces: list[RawSpan]) -> RelationLabel | None:
    labels = {p.label for p in pieces}
    if labels == {"SPEAKER"}:
        return RelationLabel.SPEAKER
    if labels == {"CUE"}:
        return RelationLabel.CUE
    return None


def _event(doc: AnnDoc, number: int, line: str) -> None:
    parts = line.split("\t")
    fields = parts[1].split() if len(parts) >= 2 else []
    args = [f.partition(":") for f in fields]
    if not args or any(not sep or not ident for _, sep, ident in args):
        doc.skip(number, f"an E line is ID<tab>TYPE:TRIGGER ROLE:ID ...: {line[:60]!r}")
        return
    doc.events[parts[0]] = [(_ROLE_NUMBER.sub("", role), ident) for role, _, ident in args]


def _event_relations(doc: AnnDoc, eid: str, args: list[tuple[str, str]]) -> None:
    heads: list[RawSpan] = []
    children: dict[RelationLabel, list[RawSpan]] = {}
    trigger = True
    for role, ident in args:
        if ident not in doc.bounds:
            doc.skip(None, f"event {eid} points at {ident}, which is not a T line of the file")
            return
        pieces = doc.bounds[ident].pieces
        role_means = None if trigger else (doc.mapped(role) or role)
        trigger = False
        for p in pieces or []:
            meaning = (role_means or "").upper()
            if meaning not in ("QUOTE", "SPEAKER", "CUE"):
                meaning = p.label
            if meaning == "QUOTE":
                heads.append(p)
            elif meaning in ("SPEAKER", "CUE"):
                children.setdefault(RelationLabel(meaning.lower()), []).append(p)
    if not heads:
        doc.quoteless_events[args[0][0]] += 1
        return
    for label, pieces in children.items():
        _link(doc, heads, [p for p in pieces if p not in heads], label)


def _attribute(doc: AnnDoc, number: int, line: str) -> None:
    parts = line.split("\t")
    fields = parts[1].split() if len(parts) >= 2 else []
    if len(fields) not in (2, 3):
        doc.skip(number, f"an A line is ID<tab>NAME TARGET [VALUE]: {line[:60]!r}")
        return
    name, target = fields[0], fields[1]
    value = fields[2] if len(fields) == 3 else None
    if target in doc.events:
        pieces = [
            p
            for _, i in doc.events[target]
            for p in (doc.bounds[i].pieces or [] if i in doc.bounds else [])
            if p.label == "QUOTE"
        ]
    else:
        found = _pieces_of(doc, target)
        if found is None:
            doc.skip(number, f"{parts[0]} points at {target}, which is not in the file")
            return
        pieces = found
    meaning = (doc.mapped(name) or name).lower()
    if meaning == "layer" and value in _LAYERS:
        for p in pieces:
            p.layer = value
        return
    kind = None
    if meaning == "kind" and value is not None:
        kind = _KINDS.get((doc.mapped(value) or value).lower())
        if kind is None:
            doc.warn(number, f"{parts[0]} kind {value!r} is not direct, indirect or mixed")
            return
    elif value is None:
        kind = _KINDS.get(meaning)
    if kind is None:
        doc.unused_attributes[name] += 1
        return
    for p in pieces:
        if p.label != "QUOTE":
            doc.warn(number, f"{parts[0]} gives a kind to a {p.label}, not a QUOTE")
        p.kind = str(kind)


def _note(doc: AnnDoc, number: int, line: str) -> None:
    parts = line.split("\t", 2)
    fields = parts[1].split() if len(parts) >= 2 else []
    if len(fields) != 2:
        doc.skip(number, f"a # line is ID<tab>TYPE TARGET<tab>TEXT: {line[:60]!r}")
        return
    # Anchored on the span itself (ids are renumbered by every tool that writes brat);
    # on the brat id only when the target is no span of ours.
    note: dict[str, object] = {"type": fields[0], "text": parts[2] if len(parts) == 3 else ""}
    pieces = _pieces_of(doc, fields[1])
    if pieces:
        note["span"] = [pieces[0].start, pieces[0].end, pieces[0].label]
    else:
        note["target"] = fields[1]
    doc.notes.append(note)


def _report(doc: AnnDoc) -> None:
    for brat_type, n in sorted(doc.unmapped.items()):
        spans = "1 span" if n == 1 else f"{n} spans"
        doc.warn(None, f"type {brat_type} ({spans}) is not mapped; pass --map {brat_type}=LABEL")
    if doc.lost_links:
        doc.warn(
            None,
            f"{doc.lost_links} relations point at spans of unmapped types (or spans "
            "skipped above); skipped",
        )
    for rtype, n in sorted(doc.unusable_relations.items()):
        doc.warn(
            None,
            f"relation {rtype} ({n}) links no QUOTE to a SPEAKER or CUE; skipped "
            f"(map its arguments' types, or pass --map {rtype}=speaker or =cue)",
        )
    for etype, n in sorted(doc.quoteless_events.items()):
        doc.warn(
            None,
            f"event {etype} ({n}) has no QUOTE among its trigger and arguments; skipped "
            "(map the type of its quoted text: --map TYPE=QUOTE)",
        )
    for name, n in sorted(doc.unused_attributes.items()):
        doc.warn(None, f"attribute {name} ({n}) is not used; pass --map {name}=kind for kinds")
    for what, n in sorted(doc.ignored.items()):
        doc.warn(None, f"{n} {what} have no counterpart here; skipped")
