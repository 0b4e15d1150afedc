"""One name, one label, in the whole article.

A small model labels each mention from its few neighbouring words, so the same name
gets different labels in one article ("Naftogaz" ORG, then PERSON), and a later
mention is missed where the context is thin ("Petrova said" after "Anna Petrova").
News names keep one meaning within an article, so the component :data:`COMPONENT`,
added after the gazetteer places by :func:`add_consistency`, sets ``doc.ents`` again:

- every mention of a name (same text, :data:`NAME_LABELS` only) takes the label most
  of its mentions have; a tie keeps each mention's own label;
- a capitalised word sequence that is a name elsewhere in the article, and is not
  part of an entity here, becomes that name too;
- the last word of a multi-word PERSON ("Petrova" of "Anna Petrova") standing alone
  is the same person, whatever label the model gave it there.

Numbers, dates and other labels are left as the model gave them: "two" or "Monday"
mean a different thing each time. Cost: loops over the entities and one pass over
the tokens.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from spacy.language import Language
from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan
from spacy.util import filter_spans

COMPONENT = "annotator_entity_consistency"
NAME_LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART"}
)
_PLACES = frozenset({"GPE", "LOC", "FAC"})
_NONE: Counter[str] = Counter()
_MAX_WORDS = 6  # longer sequences are not searched for again


class EntityConsistency:
    """The pipeline component: see the module's description."""

    def __init__(self, *, add_missed: bool = True) -> None:
        self.add_missed = add_missed

    def __call__(self, doc: Doc) -> Doc:
        if not doc.ents:
            return doc
        text = doc.text  # Span.text would join the span's tokens again each time
        # (start, end, label, surface) of each entity, read once
        ents = [(e.start, e.end, e.label_, text[e.start_char : e.end_char]) for e in doc.ents]
        votes: dict[str, Counter[str]] = defaultdict(Counter)
        for _, _, label, surface in ents:
            if label in NAME_LABELS:
                votes[surface][label] += 1
        label_of: dict[str, str] = {}
        for surface, counts in votes.items():
            ranked = counts.most_common(2)
            if len(ranked) == 1 or ranked[0][1] > ranked[1][1]:
                label_of[surface] = ranked[0][0]
        # "Trump" after "Donald Trump" is that person, however the model read the
        # surname alone (ORG, in a headline's thin context); a place stays a place
        # ("Washington" beside "George Washington")
        for start, end, label, surface in ents:
            if label == "PERSON" and end - start > 1 and _capitalised(surface):
                surname = surface.rsplit(None, 1)[-1]
                if not votes.get(surname, _NONE).keys() & _PLACES:
                    label_of[surname] = "PERSON"
        changed = False
        kept: list[tuple[int, int, str, str]] = []
        for start, end, label, surface in ents:
            best = label_of.get(surface, label) if label in NAME_LABELS else label
            changed = changed or best != label
            kept.append((start, end, best, surface))
        if self.add_missed:
            found = _missed(doc, kept, label_of)
            if found:
                kept.extend(found)
                changed = True
        if changed:
            spans = [SpacySpan(doc, start, end, label=label) for start, end, label, _ in kept]
            doc.set_ents(filter_spans(spans))
        return doc


def _missed(
    doc: Doc, ents: list[tuple[int, int, str, str]], label_of: dict[str, str]
) -> list[tuple[int, int, str, str]]:
    """Mentions of the article's names that no entity covers."""
    # the token loop compares ints from one column: no Token object per word
    orth: list[int] = doc.to_array("ORTH").tolist()
    names: dict[tuple[int, ...], str] = {}  # the words' ORTH hashes -> label
    for start, end, _, surface in ents:
        label = label_of.get(surface)
        if label is None or not 0 < end - start <= _MAX_WORDS or not _capitalised(surface):
            continue
        names.setdefault(tuple(orth[start:end]), label)
        surname = surface.rsplit(None, 1)[-1]
        if label == "PERSON" and end - start > 1 and label_of.get(surname) == "PERSON":
            names.setdefault((orth[end - 1],), "PERSON")
    if not names:
        return []
    covered = bytearray(len(doc))
    for start, end, _, _ in ents:
        covered[start:end] = b"\x01" * (end - start)
    by_first: dict[int, list[tuple[int, ...]]] = defaultdict(list)
    for words in sorted(names, key=len, reverse=True):
        by_first[words[0]].append(words)
    found: list[tuple[int, int, str, str]] = []
    i, n = 0, len(doc)
    while i < n:
        candidates = by_first.get(orth[i]) if not covered[i] else None
        match = None
        for words in candidates or ():
            end = i + len(words)
            if tuple(orth[i:end]) == words and not any(covered[i:end]) and not _joined(doc, i, end):
                match = words
                break
        if match is None:
            i += 1
            continue
        found.append((i, i + len(match), names[match], ""))
        i += len(match)
    return found


def _capitalised(surface: str) -> bool:
    """First and last word capitalised ("Anna Petrova", "Bank of England")."""
    return surface[:1].isupper() and surface.rsplit(None, 1)[-1][:1].isupper()


def _joined(doc: Doc, start: int, end: int) -> bool:
    """Whether the words continue a longer capitalised name ("Petrova" of "Petrova
    Street", "Sofia" of "Sofia Airport"): that is another name, not this one."""
    if end < len(doc) and doc[end].is_title and doc[end].ent_type == 0:
        return True
    if start == 0:
        return False
    before = doc[start - 1]
    if not before.is_title or before.ent_type != 0 or before.is_stop:
        return False  # "Then Petrova": a capital of a sentence's first word, not a name's
    first_word = before.is_sent_start or start == 1 or doc[start - 2].is_punct
    return not first_word


@Language.factory(COMPONENT, default_config={"add_missed": True})
def make_entity_consistency(nlp: Language, name: str, add_missed: bool) -> EntityConsistency:
    return EntityConsistency(add_missed=add_missed)


def add_consistency(nlp: Language, *, add_missed: bool = True) -> bool:
    """Add the component after the gazetteer places (or ``ner``); a pipeline without
    ``ner`` is left as it is. Returns whether the pipeline now has it."""
    from annotator.nlp.gazetteer_places import COMPONENT as PLACES

    if COMPONENT in nlp.component_names:
        return True
    if "ner" not in nlp.pipe_names:
        return False
    after = PLACES if PLACES in nlp.pipe_names else "ner"
    nlp.add_pipe(COMPONENT, after=after, config={"add_missed": add_missed})
    return True
