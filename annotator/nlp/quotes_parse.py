"""Reading a dependency parse for attribution: which verb is a cue, who its
subject is, and how far the speaker's noun phrase reaches (docs/QUOTES.md §2–3).
The quote finders build on :class:`ParseReader`."""

from __future__ import annotations

import numpy
from spacy.attrs import LEMMA, POS, TAG
from spacy.tokens import Doc, Token

from annotator.nlp.quotes_arrays import arrays_of, session_of
from annotator.nlp.quotes_common import (
    DASHES,
    dateline_tokens,
    trim,
)
from annotator.nlp.quotes_lexicon import CueEntry, CueLexicon, cue_lexicon

_SUBJ = ("nsubj", "nsubjpass", "csubj")
_REL_PRON = frozenset({"who", "which", "that", "whom"})
# children that end a speaker noun phrase: relative clauses, participles,
# appositions and clauses are not part of the mention (docs/QUOTES.md, SPEAKER)
_NP_STOP = frozenset({"relcl", "acl", "appos", "advcl", "parataxis", "punct", "ccomp", "dep"})
_CLAUSE_UP = frozenset({"xcomp", "conj", "advcl", "pcomp", "ccomp", "acl"})
_CUE_POS = ("VERB", "AUX")
_CUE_TAGS = ("VBG", "VBN", "VBD", "VBZ", "VBP")
_BLOCKING_HEADS = frozenset({"refuse", "decline", "deny", "fail", "avoid"})


class ParseReader:
    """The cue lexicon and the parse questions every quote rule asks."""

    def __init__(self, lexicon: CueLexicon | None = None) -> None:
        self.lex = lexicon or cue_lexicon()
        self._doc_words: list[bool] = []
        self._doc_punct: list[bool] = []
        self._particle_lemmas = frozenset(lemma for lemma, _ in self.lex.particle_verbs)

    # -- cues ---------------------------------------------------------------

    def cue_of(self, tok: Token, *, cognition: bool) -> tuple[tuple[int, int], CueEntry] | None:
        """The cue span and entry when ``tok`` is a reporting verb (or "according").
        Remembered per token inside a :func:`~annotator.nlp.quotes_arrays.doc_session`:
        the rules ask about the same verbs many times."""
        arrays = session_of(tok.doc)
        if arrays is None:
            return self._cue_of(tok, cognition=cognition)
        key = ("cue", tok.i, cognition)
        memo = arrays.memo
        if key not in memo:
            if tok.i in self.cueable(tok.doc):
                memo[key] = self._cue_of(tok, cognition=cognition)
            else:
                memo[key] = None
        return memo[key]

    def cueable(self, doc: Doc) -> frozenset[int]:
        """The tokens ``_cue_of`` can accept: a verb by part of speech or tag whose
        lowercase lemma is a cue or the verb of a particle cue; any other token is
        no cue whatever its parse (found from token columns, once per session)."""
        arrays = session_of(doc)
        if arrays is not None and "cueable" in arrays.memo:
            return arrays.memo["cueable"]
        found: frozenset[int] = frozenset()
        if len(doc):
            strings = doc.vocab.strings
            pos_ids = [strings.add(p) for p in _CUE_POS]
            tag_ids = [strings.add(t) for t in _CUE_TAGS]
            cols = doc.to_array([POS, TAG, LEMMA])
            verb = numpy.isin(cols[:, 0], pos_ids) | numpy.isin(cols[:, 1], tag_ids)
            lemmas = cols[:, 2]
            ok = {
                h
                for h in set(lemmas[verb].tolist())
                if (low := strings[h].lower()) in self.lex.lemmas or low in self._particle_lemmas
            }
            found = frozenset(numpy.flatnonzero(verb & numpy.isin(lemmas, list(ok))).tolist())
        if arrays is not None:
            arrays.memo["cueable"] = found
        return found

    def _cue_of(self, tok: Token, *, cognition: bool) -> tuple[tuple[int, int], CueEntry] | None:
        if tok.pos_ not in _CUE_POS and tok.tag_ not in _CUE_TAGS:
            return None
        lemma = tok.lemma_.lower()
        for child in tok.children:
            # a particle, or the word right after the verb the parser reads as an
            # adverb or preposition ("wondered aloud", "referred to")
            if child.dep_ == "prt" or (
                child.i == tok.i + 1 and child.dep_ in ("advmod", "prep", "prt")
            ):
                pv = self.lex.particle_verbs.get((lemma, child.lower_))
                if pv is not None:
                    if pv.needs and not any(
                        t.lower_ == pv.needs for t in tok.subtree if t.i > child.i
                    ):
                        return None  # "referred to the report": no "as", no quote
                    return (min(tok.i, child.i), max(tok.i, child.i) + 1), pv
        entry = self.lex.entry(lemma, cognition=cognition)
        if entry is None:
            return None
        if tok.i >= 2 and tok.nbor(-1).text == "-" and tok.nbor(-2).lower_ == "so":
            return None  # "so-called" marks scare quotes, it reports nothing
        if any(c.dep_ == "neg" and not _quote_mark_between(c, tok) for c in tok.children):
            return None  # "did not say": negated speech is not a quote
        if tok.dep_ == "xcomp" and tok.head.lemma_ in _BLOCKING_HEADS:
            return None  # "refused to comment"
        if lemma in self.lex.light_verb_nouns:
            nouns = self.lex.light_verb_nouns[lemma]
            for child in tok.children:
                if child.dep_ == "dobj" and child.lemma_.lower() in nouns:
                    return (tok.i, child.i + 1), entry
            if lemma in self.lex.only_with_object:
                return None
        return (tok.i, tok.i + 1), entry

    def _is_cue_token(self, tok: Token) -> bool:
        return self.cue_of(tok, cognition=False) is not None

    # -- speakers -----------------------------------------------------------

    def subject_of(self, verb: Token) -> Token | None:
        """The speaker token of a reporting verb: its subject, the agent of a
        passive, the antecedent of "who", or the subject of the verb it hangs on."""
        arrays = session_of(verb.doc)
        if arrays is None:
            return self._subject_of(verb)
        key = ("subj", verb.i)
        memo = arrays.memo
        if key not in memo:
            memo[key] = self._subject_of(verb)
        return memo[key]

    def _subject_of(self, verb: Token) -> Token | None:
        seen = 0
        v = verb
        datelines = dateline_tokens(verb.doc)
        while seen < 4:
            seen += 1
            passive = False
            for child in v.children:
                # the parser makes "MOSCOW (AP) —" a second subject of the first verb
                if child.dep_ in ("nsubj", "csubj") and child.i not in datelines:
                    return self._antecedent(v, child)
                if child.dep_ == "nsubjpass":
                    passive = True
            if passive:
                for child in v.children:
                    if child.dep_ == "agent":
                        for pobj in child.children:
                            if pobj.dep_ == "pobj":
                                return pobj
                return None  # agentless passive: no speaker
            # "TASS quoted X as saying": X is the speaker, not TASS
            if v.dep_ == "pcomp" and v.head.lower_ == "as":
                for child in v.head.head.children:
                    if child.dep_ == "dobj":
                        return child
            if v.dep_ == "relcl":
                return v.head
            if v.dep_ in _CLAUSE_UP and v.head is not v:
                v = v.head
                continue
            return None
        return None

    @staticmethod
    def _antecedent(verb: Token, subj: Token) -> Token:
        if subj.lower_ in _REL_PRON and verb.dep_ == "relcl":
            # the noun just before ", who" is the antecedent more often than the
            # parser's attachment ("a reaction from Kiev and its backers, who …")
            i = subj.i - 1
            doc = subj.doc
            while i >= 0 and doc[i].is_punct:
                i -= 1
            if i >= 0 and doc[i].pos_ in ("NOUN", "PROPN"):
                tok = doc[i]
                while tok.dep_ == "conj" and tok.head.i < tok.i:
                    tok = tok.head
                return tok
            return verb.head
        return subj

    @staticmethod
    def _according(tok: Token) -> tuple[tuple[int, int], Token | None] | None:
        if tok.lower_ != "according":
            return None
        nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
        if nxt is None or nxt.lower_ != "to":
            return None
        pobj = next((c for c in nxt.children if c.dep_ == "pobj"), None)
        if pobj is None and nxt.i + 1 < len(tok.doc):
            pobj = tok.doc[nxt.i + 1]
            while pobj.head.i > pobj.i and pobj.head.i - nxt.i < 8:
                pobj = pobj.head
        return (tok.i, nxt.i + 1), pobj

    def np_span(self, head: Token) -> tuple[int, int]:
        """The speaker mention: the head with its determiners, modifiers, titles,
        prepositional complements and conjuncts; no relative clause, apposition,
        possessive 's or anything after a comma."""
        arrays = session_of(head.doc)
        if arrays is None:
            return self._np_span(head)
        key = ("np", head.i)
        memo = arrays.memo
        if key not in memo:
            memo[key] = self._np_span(head)
        return memo[key]

    def _np_span(self, head: Token) -> tuple[int, int]:
        start = head.left_edge.i
        for tok in head.doc[start : head.i]:
            if tok.dep_ == "punct" or tok.text in DASHES or tok.text == ",":
                start = tok.i + 1
        end = self._np_right(head)
        if head.ent_type_ and head.ent_iob_ != "O":
            # a name the parser cut short: widen to the whole entity
            ent_end = head.i + 1
            while ent_end < len(head.doc) and head.doc[ent_end].ent_iob_ == "I":
                ent_end += 1
            end = max(end, ent_end)
        span = trim(head.doc, start, end)
        return span or (head.i, head.i + 1)

    def _np_right(self, tok: Token) -> int:
        end = tok.i + 1
        for child in tok.rights:
            if child.dep_ in _NP_STOP or child.dep_ == "case":
                break
            if child.dep_ == "prep" and child.lower_ not in ("of", "for", "at", "from"):
                break
            end = self._np_right(child) if child.dep_ in ("conj", "cc") else child.right_edge.i + 1
            # stop at the first comma inside the candidate range
        doc = tok.doc
        for i in range(tok.i + 1, end):
            if doc[i].text in (",", "(", ";", ":") or doc[i].text in DASHES or doc[i].is_quote:
                return i
        return end


# quotation marks as tokens (docs/QUOTES.md §1 lists the characters that pair)
_QUOTE_MARKS = frozenset({'"', "“", "”", "„", "«", "»", "‘", "’", "‚", "'"})


def _quote_mark_between(a: Token, b: Token) -> bool:
    """A quotation mark between two tokens: a "not" the parser hangs on the cue
    from inside a quote ("“…,” he added, “not the noise.”") negates the quoted
    words, not the speech verb."""
    lo, hi = sorted((a.i, b.i))
    return any(t.text in _QUOTE_MARKS for t in a.doc[lo + 1 : hi])


def _right(tok: Token) -> int:
    return tok.right_edge.i + 1


def pronoun_referent(doc: Doc, pron: Token, paras: list[int]) -> tuple[int, int] | None:
    """The most recent compatible entity (he/she: PERSON; they: PERSON or ORG)
    in the same or two previous paragraphs, or None when two different
    candidates are too close to choose (docs/QUOTES.md §3)."""
    labels = ("PERSON",) if pron.lower_ in ("he", "she", "him", "her") else ("PERSON", "ORG")
    cands = [
        e
        for e in arrays_of(doc).ents
        if e.label_ in labels and e.end <= pron.i and paras[pron.i] - paras[e.start] <= 2
    ]
    if not cands:
        return None
    # prefer entities that are subjects: they are what later "he said" refers to
    subjects = [e for e in cands if e.root.dep_ in _SUBJ or e.root.head.dep_ in _SUBJ]
    pool = subjects or cands
    best = pool[-1]
    surname = best.text.split()[-1]
    for other in reversed(pool[:-1]):
        if other.text.split()[-1] == surname:
            continue
        if other.sent == best.sent and not subjects:
            return None  # two different people in one sentence: leave it open
        break
    return best.start, best.end
