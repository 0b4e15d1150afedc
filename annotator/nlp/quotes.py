"""Quote, speaker and cue suggestions from a dependency parse (docs/QUOTES.md §2–5).

Input is a parsed spaCy ``Doc`` (tagger + lemmatizer + parser); output is a
list of ``QuoteCandidate`` in token indices. Turning them into ``Span`` and
``Relation`` objects is the suggester's job.
"""

from __future__ import annotations

from spacy.attrs import IS_ALPHA, IS_PUNCT, LIKE_NUM, LOWER, POS, TAG
from spacy.tokens import Doc, Token

from annotator.core import QuoteKind
from annotator.nlp.quotes_common import (
    CONF_COGNITION,
    CONF_HIGH,
    CONF_INDIRECT,
    CONF_INDIRECT_NP,
    CONF_MEDIUM,
    CONF_MIXED,
    CONF_NEIGHBOUR,
    CONF_ORPHAN,
    CONF_PRONOUN_UNRESOLVED,
    DASHES,
    FIRST_PERSON,
    MIN_DIRECT_WORDS,
    PRONOUNS,
    DirectQuote,
    QuoteCandidate,
    direct_quotes,
    looks_like_title,
    mid_sentence,
    paragraph_ids,
    quote_index,
    stands_alone,
    trim,
)
from annotator.nlp.quotes_lexicon import CueEntry, CueLexicon, cue_lexicon

_SUBJ = ("nsubj", "nsubjpass", "csubj")
_REL_PRON = frozenset({"who", "which", "that", "whom"})
# children that end a speaker noun phrase: relative clauses, participles,
# appositions and clauses are not part of the mention (docs/QUOTES.md, SPEAKER)
_NP_STOP = frozenset({"relcl", "acl", "appos", "advcl", "parataxis", "punct", "ccomp", "dep"})
_CLAUSE_UP = frozenset({"xcomp", "conj", "advcl", "pcomp", "ccomp", "acl"})
_BLOCKING_HEADS = frozenset({"refuse", "decline", "deny", "fail", "avoid"})


class ParseQuoteFinder:
    """Finds direct, mixed and indirect quotes with their speaker and cue."""

    def __init__(self, lexicon: CueLexicon | None = None) -> None:
        self.lex = lexicon or cue_lexicon()
        self._doc_words: list[bool] = []
        self._doc_punct: list[bool] = []

    # -- cues ---------------------------------------------------------------

    def cue_of(self, tok: Token, *, cognition: bool) -> tuple[tuple[int, int], CueEntry] | None:
        """The cue span and entry when ``tok`` is a reporting verb (or "according")."""
        if tok.pos_ not in ("VERB", "AUX") and tok.tag_ not in ("VBG", "VBN", "VBD", "VBZ", "VBP"):
            return None
        lemma = tok.lemma_.lower()
        for child in tok.children:
            if child.dep_ == "prt":
                pv = self.lex.particle_verbs.get((lemma, child.lower_))
                if pv is not None:
                    return (min(tok.i, child.i), max(tok.i, child.i) + 1), pv
        entry = self.lex.entry(lemma, cognition=cognition)
        if entry is None:
            return None
        if tok.i >= 2 and tok.nbor(-1).text == "-" and tok.nbor(-2).lower_ == "so":
            return None  # "so-called" marks scare quotes, it reports nothing
        if any(c.dep_ == "neg" for c in tok.children):
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
        seen = 0
        v = verb
        while seen < 4:
            seen += 1
            passive = False
            for child in v.children:
                if child.dep_ in ("nsubj", "csubj"):
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

    def np_span(self, head: Token) -> tuple[int, int]:
        """The speaker mention: the head with its determiners, modifiers, titles,
        prepositional complements and conjuncts; no relative clause, apposition,
        possessive 's or anything after a comma."""
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

    # -- the main entry -----------------------------------------------------

    def find(self, doc: Doc, *, indirect_cognition: bool = False) -> list[QuoteCandidate]:
        quotes = direct_quotes(doc)
        qidx = quote_index(doc, quotes)
        paras = paragraph_ids(doc)
        # per-token flags from one array call: a Token object per token costs more
        flags = doc.to_array([IS_ALPHA, LIKE_NUM, IS_PUNCT]).tolist() if len(doc) else []
        self._doc_words = [bool(a or n) for a, n, _ in flags]
        self._doc_punct = [bool(p) for _, _, p in flags]
        out: list[QuoteCandidate] = []
        indirect = self._indirect(doc, quotes, qidx, paras, cognition=indirect_cognition)
        self._attribute_direct(doc, quotes, qidx, paras)
        for q in quotes:
            if q.absorbed or q.attributed is None:
                continue
            out.append(q.attributed)
        out.extend(indirect)
        out.sort(key=lambda c: (c.start, c.end))
        return out

    # -- direct quotes ------------------------------------------------------

    def _attribute_direct(
        self, doc: Doc, quotes: list[DirectQuote], qidx: list[int], paras: list[int]
    ) -> None:
        by_group: dict[int, list[DirectQuote]] = {}
        for q in quotes:
            by_group.setdefault(q.group, []).append(q)
        last: tuple[QuoteCandidate, int] | None = None  # last attributed quote and its paragraph
        for group in sorted(by_group):
            members = [q for q in by_group[group] if not q.absorbed]
            if not members:
                continue
            found: tuple[tuple[int, int] | None, Token | None, float] | None = None
            for q in members:
                found = self._cue_for_quote(doc, q, qidx, paras)
                if found is not None:
                    break
            words = sum(q.words for q in members)
            if found is None:
                first = members[0]
                fills = stands_alone(doc, first, qidx, paras)
                # short quoted words inside a sentence are scare quotes; a
                # short quoted sentence ("Nobody came.") is speech
                if (words < MIN_DIRECT_WORDS and not fills) or looks_like_title(doc, first):
                    continue
                if mid_sentence(doc, first, paras, self._is_cue_token):
                    continue  # a quoted fragment no paraphrase took in: scare quotes
                if last is not None and fills and paras[first.start] - last[1] <= 2:
                    prev = last[0]
                    for q in members:
                        q.attributed = QuoteCandidate(
                            q.start, q.end, QuoteKind.DIRECT, CONF_MEDIUM, prev.speaker, None, group
                        )
                    continue
                for q in members:
                    q.attributed = QuoteCandidate(
                        q.start, q.end, QuoteKind.DIRECT, CONF_ORPHAN, None, None, group
                    )
                continue
            if words < MIN_DIRECT_WORDS and mid_sentence(doc, members[0], paras,
                                                         self._is_cue_token):
                continue  # "will be “waiting” for": a quoted word, not a direct quote
            cue, speaker_tok, conf = found
            if words < MIN_DIRECT_WORDS and speaker_tok is None:
                continue
            speaker: tuple[int, int] | None = None
            if speaker_tok is not None and qidx[speaker_tok.i] < 0:
                speaker = self.np_span(speaker_tok)
                if speaker_tok.lower_ in PRONOUNS and conf >= CONF_HIGH:
                    conf = CONF_MEDIUM  # refined by the suggester once the referent is known
                    if not _has_person_before(doc, speaker_tok):
                        conf = CONF_PRONOUN_UNRESOLVED
            elif conf >= CONF_HIGH:
                conf = CONF_MEDIUM
            for q in members:
                q.attributed = QuoteCandidate(
                    q.start, q.end, QuoteKind.DIRECT, conf, speaker, cue, group
                )
            if speaker is not None:
                last = (members[0].attributed, paras[members[-1].start])  # type: ignore[assignment]

    def _cue_for_quote(
        self, doc: Doc, q: DirectQuote, qidx: list[int], paras: list[int]
    ) -> tuple[tuple[int, int] | None, Token | None, float] | None:
        """Cue span, speaker token and confidence for one quoted segment."""
        para = paras[q.start]
        # 1. the parse: a cue outside the quote governing a token inside it
        for i in range(q.start, q.end):
            head = doc[i].head
            if q.start <= head.i < q.end or qidx[head.i] >= 0 or paras[head.i] != para:
                continue
            cue = self.cue_of(head, cognition=False)
            if cue is not None:
                return cue[0], self.subject_of(head), CONF_HIGH
        # 2. a cue clause right after the quote: "…," Ryabkov said / said Ryabkov / he added
        after = self._window_after(doc, q, qidx, paras)
        hit = self._first_cue(doc, after)
        if hit is not None:
            return hit
        # 3. a cue clause before it in the same sentence: Ryabkov said: "…"
        before = self._window_before(doc, q, qidx, paras)
        hit = self._last_cue(doc, before)
        if hit is not None:
            return hit
        # 4. "Peskov: “…”" and "“…” – Peskov"
        colon = self._colon_speaker(doc, q, before)
        if colon is not None:
            return None, colon, CONF_MEDIUM
        # 5. the neighbouring sentence ends in a colon or holds a cue just before the quote
        prev = self._previous_sentence(doc, q, qidx, paras)
        if prev:
            hit = self._last_cue(doc, prev)
            if hit is not None:
                return hit[0], hit[1], CONF_NEIGHBOUR
        return None

    def _first_cue(
        self, doc: Doc, window: list[int]
    ) -> tuple[tuple[int, int] | None, Token | None, float] | None:
        for i in window:
            tok = doc[i]
            acc = self._according(tok)
            if acc is not None:
                return acc[0], acc[1], CONF_HIGH
            cue = self.cue_of(tok, cognition=False)
            if cue is not None:
                return cue[0], self.subject_of(tok), CONF_HIGH
        return None

    def _last_cue(
        self, doc: Doc, window: list[int]
    ) -> tuple[tuple[int, int] | None, Token | None, float] | None:
        for i in reversed(window):
            tok = doc[i]
            acc = self._according(tok)
            if acc is not None:
                return acc[0], acc[1], CONF_HIGH
            cue = self.cue_of(tok, cognition=False)
            if cue is not None:
                return cue[0], self.subject_of(tok), CONF_HIGH
        return None

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

    def _window_after(
        self, doc: Doc, q: DirectQuote, qidx: list[int], paras: list[int]
    ) -> list[int]:
        """Tokens of the attribution clause after a quote, if the quote leaves its
        sentence open (ends in a comma, ?, ! or is followed by a comma or dash)."""
        if q.end >= len(doc):
            return []
        inner_last = doc[q.end - 2].text if q.end - q.start >= 2 and q.attributed is None else ""
        follow = doc[q.end].text
        open_end = inner_last in (",", "?", "!", "—", "–", "-", "...", "…") or follow in (
            ",",
            *DASHES,
        )
        # "…" Ryabkov said. (no comma) and "….” he said (house styles vary)
        nxt = doc[q.end]
        if (not open_end and not (nxt.is_alpha and nxt.is_lower is False)
                and not (nxt.lower_ in PRONOUNS or nxt.lower_ in self.lex.forms)):
            return []
        out: list[int] = []
        for i in range(q.end, min(len(doc), q.end + 14)):
            if paras[i] != paras[q.start] or qidx[i] >= 0:
                break
            if doc[i].text in (".", "!", "?", ";", ":") and i > q.end:
                break
            out.append(i)
        return out

    def _window_before(
        self, doc: Doc, q: DirectQuote, qidx: list[int], paras: list[int]
    ) -> list[int]:
        """Tokens between the sentence start and the quote, when the quote is
        introduced by a colon, a comma, "that" or the cue itself."""
        if q.start == 0:
            return []
        prev = doc[q.start - 1]
        if prev.text not in (":", ",", "that", *DASHES) and not prev.is_alpha:
            return []
        sent_start = doc[q.start].sent.start
        out: list[int] = []
        i = q.start - 1
        while i >= 0 and i >= sent_start - 0 and paras[i] == paras[q.start] and qidx[i] < 0:
            out.append(i)
            i -= 1
            if len(out) > 40:
                break
        # a sentence boundary the parser put at the colon must not hide the cue
        if len(out) <= 1 and i >= 0 and paras[i] == paras[q.start] and qidx[i] < 0:
            while i >= 0 and paras[i] == paras[q.start] and qidx[i] < 0:
                if doc[i].text in (".", "!", "?") and doc[i].is_sent_end:
                    break
                out.append(i)
                i -= 1
        out.reverse()
        return out

    def _previous_sentence(
        self, doc: Doc, q: DirectQuote, qidx: list[int], paras: list[int]
    ) -> list[int]:
        """The sentence just before a quote that opens its sentence, if it ends in
        a colon (same or previous paragraph) — "He said the following:"."""
        sent = doc[q.start].sent
        if sent.start != q.start or q.start == 0:
            return []
        prev_end = q.start - 1
        while prev_end >= 0 and doc[prev_end].is_space:
            prev_end -= 1
        if prev_end < 0 or doc[prev_end].text != ":":
            return []
        prev_sent = doc[prev_end].sent
        return [i for i in range(prev_sent.start, prev_end) if qidx[i] < 0]

    def _colon_speaker(self, doc: Doc, q: DirectQuote, before: list[int]) -> Token | None:
        # "Peskov: “…”" — a short capitalised name right before a colon
        if before and doc[before[-1]].text == ":" and 1 <= len(before) - 1 <= 5:
            name = [doc[i] for i in before[:-1]]
            if all(t.is_title or t.is_upper or t.lower_ in ("the", "a") for t in name):
                return name[-1]
        # "“…” – Peskov"
        if q.end + 1 < len(doc) and doc[q.end].text in DASHES and doc[q.end + 1].is_title:
            tok = doc[q.end + 1]
            while tok.head.i > tok.i and tok.head.is_title and tok.head.i - q.end < 6:
                tok = tok.head
            return tok
        return None

    # -- indirect and mixed quotes -----------------------------------------

    def _indirect(
        self,
        doc: Doc,
        quotes: list[DirectQuote],
        qidx: list[int],
        paras: list[int],
        *,
        cognition: bool,
    ) -> list[QuoteCandidate]:
        cands: list[tuple[QuoteCandidate, int]] = []  # candidate, cue token index
        for i in _possible_cues(doc):
            if qidx[i] >= 0:
                continue
            tok = doc[i]
            if tok.lower_ == "according":
                c = self._according_content(doc, tok, quotes, qidx)
                if c is not None and paras[c.start] == paras[c.end - 1] == paras[tok.i]:
                    cands.append((c, tok.i))
                continue
            cue = self.cue_of(tok, cognition=cognition)
            if cue is None:
                continue
            cue_span, entry = cue
            speaker_tok = self.subject_of(tok)
            if speaker_tok is None or qidx[speaker_tok.i] >= 0:
                continue
            if speaker_tok.dep_ == "expl" or speaker_tok.lower_ in ("there", "what"):
                continue
            if speaker_tok.lower_ == "it" and speaker_tok.head is not tok:
                continue  # "makes it hard to predict": no one is speaking
            content = self._content_of(tok, entry)
            if content is None:
                continue
            start, end, np_like = content
            if tok.i in range(start, end) or start <= speaker_tok.i < end:
                continue
            # a quote stays in its cue's paragraph: a parse running over a
            # headline or dateline is cut at the paragraph break
            if paras[start] != paras[tok.i]:
                continue
            while end > start and paras[end - 1] != paras[tok.i]:
                end -= 1
            clipped = trim(doc, start, end)
            if clipped is None:
                continue
            start, end = clipped
            if paras[speaker_tok.i] != paras[tok.i]:
                continue
            if np_like and end < len(doc) and doc[end].text == ":":
                # "outlined his conditions: Ukraine must …": the content follows
                sent_end = doc[end].sent.end
                after = trim(doc, end + 1, sent_end)
                if after is not None and paras[after[1] - 1] == paras[tok.i]:
                    start, end = after
                    np_like = False
            conf = CONF_INDIRECT_NP if np_like else CONF_INDIRECT
            if entry.cls == "cognition":
                conf = CONF_COGNITION
            cand = QuoteCandidate(
                start, end, QuoteKind.INDIRECT, conf * entry.weight / max(entry.weight, 1e-9),
                self.np_span(speaker_tok), cue_span,
            )
            cands.append((cand, tok.i))
        # only the outermost reported content is a quote (nested attribution)
        kept: list[QuoteCandidate] = []
        for cand, cue_i in cands:
            nested = any(
                other is not cand and other.start <= cue_i < other.end for other, _ in cands
            )
            if nested:
                continue
            resolved = self._against_direct(cand, quotes)
            if resolved is not None:
                kept.append(resolved)
        return kept

    def _content_of(self, verb: Token, entry: CueEntry) -> tuple[int, int, bool] | None:
        """Token range of what a reporting verb reports, and whether it is an NP."""
        doc = verb.doc
        lemma = entry.lemma
        children = list(verb.children)
        # the nearest clause: a parse across a headline can give a verb two
        for child in sorted(children, key=lambda c: abs(c.i - verb.i)):
            if child.dep_ == "ccomp" or (
                # a "that" clause the parser attached as xcomp/advcl is still the content
                child.dep_ in ("xcomp", "advcl")
                and any(c.dep_ == "mark" and c.lower_ == "that" for c in child.children)
            ):
                return self._clause_range(verb, child)
        # "Moscow won't pressure Beijing, he said": the cue hangs on the content
        if verb.dep_ == "parataxis" and verb.head.i < verb.i:
            head = verb.head
            start = head.left_edge.i
            end = verb.left_edge.i
            span = trim(doc, start, end)
            if span and span[1] - span[0] >= 3:
                return span[0], span[1], False
        if verb.dep_ == "advcl" and any(c.dep_ == "mark" for c in children):
            return None  # "as reported by …": a circumstance, not a report
        if lemma in self.lex.light_verb_nouns:
            nouns = self.lex.light_verb_nouns[lemma]
            for child in children:
                if child.dep_ == "dobj" and child.lemma_.lower() in nouns:
                    for sub in child.children:
                        if sub.dep_ in ("acl", "ccomp"):
                            return self._clause_range(child, sub)
                        if sub.dep_ == "prep":
                            obj = [c for c in sub.children if c.dep_ in ("pobj", "pcomp")]
                            if obj:
                                return obj[0].left_edge.i, _right(obj[0]), True
            return None
        dobj = next((c for c in children if c.dep_ == "dobj"), None)
        xcomp = next((c for c in children if c.dep_ == "xcomp"), None)
        if lemma in self.lex.small_clause and dobj is not None:
            comp = [
                c
                for c in children
                if c.dep_ in ("oprd", "ccomp", "xcomp")
                or (c.dep_ == "prep" and c.lower_ == "as")
            ]
            if comp:
                end = max(_right(c) for c in comp)
                return dobj.left_edge.i, _end_at_quote(doc, dobj.i, end), True
            if lemma == "describe":
                return dobj.left_edge.i, _end_at_quote(doc, dobj.i, _right(dobj)), True
        if lemma in self.lex.addressee_object:
            if dobj is not None and xcomp is not None and xcomp.i > dobj.i:
                return dobj.left_edge.i, _right(xcomp), True  # "urged Kiev to accept it"
            return None
        if xcomp is not None and lemma in ("offer", "promise", "vow", "pledge", "threaten"):
            return xcomp.left_edge.i, _right(xcomp), True
        if lemma in self.lex.np_content_object:
            if dobj is not None and dobj.pos_ != "PRON" and dobj.lower_ not in (
                self.lex.not_content_objects
            ):
                return dobj.left_edge.i, _right(dobj), True
            if lemma == "report":
                for child in children:
                    if child.dep_ == "prep" and child.lower_ == "on":
                        obj = [c for c in child.children if c.dep_ == "pobj"]
                        if obj:
                            return obj[0].left_edge.i, _right(obj[0]), True
        return None

    @staticmethod
    def _clause_range(verb: Token, clause: Token) -> tuple[int, int, bool] | None:
        doc = verb.doc
        start = clause.left_edge.i
        end = clause.right_edge.i + 1
        if clause.i < verb.i:
            end = min(end, verb.left_edge.i) if verb.left_edge.i > start else end
            # a subject before the cue belongs to the cue, not the content
            for child in verb.children:
                if child.dep_ in _SUBJ and start < child.left_edge.i < end:
                    end = child.left_edge.i
        # ", aligning with …": a trailing participle clause is the writer's
        for child in clause.rights:
            if (child.dep_ == "advcl" and child.tag_ == "VBG" and child.left_edge.i > start
                    and doc[child.left_edge.i - 1].text == ","):
                end = min(end, child.left_edge.i - 1)
        # "only that …": what precedes the complementiser stays outside too
        for child in clause.children:
            if child.dep_ == "mark" and child.lower_ == "that" and start < child.i < start + 3:
                start = child.i
        # leading complementiser "that" and the comma after it stay outside
        while start < end and ((doc[start].lower_ == "that" and doc[start].dep_ == "mark")
                               or doc[start].text == ","):
            start += 1
        span = trim(doc, start, end)
        if span is None or span[1] - span[0] < 2:
            return None
        return span[0], span[1], False

    def _according_content(
        self, doc: Doc, tok: Token, quotes: list[DirectQuote], qidx: list[int]
    ) -> QuoteCandidate | None:
        acc = self._according(tok)
        if acc is None or acc[1] is None:
            return None
        cue, src = acc
        phrase_end = _right(tok)
        head = tok.head
        if head is tok or head.i in range(tok.i, phrase_end):
            return None
        # the clause the phrase attaches to, up to the sentence
        root = head
        while root.dep_ not in ("ROOT",) and root.head is not root and root.head.sent == root.sent:
            if root.dep_ in ("ccomp", "relcl"):
                break
            root = root.head
        sent = tok.sent
        if tok.i <= sent.start + 1:
            start, end = phrase_end, sent.end
        elif phrase_end >= sent.end - 2:
            start, end = sent.start, tok.i
        else:
            start, end = root.left_edge.i, root.right_edge.i + 1
            if start >= tok.i:
                start = phrase_end
            elif end <= phrase_end:
                end = tok.i
            else:
                end = tok.i
        # a dateline ("MOSCOW –") is not part of what was said
        for i in range(start, min(end, start + 5)):
            if doc[i].text in DASHES and all(t.is_upper or t.is_punct for t in doc[start:i]):
                start = i + 1
                break
        span = trim(doc, start, end)
        if span is None or span[1] - span[0] < 3:
            return None
        speaker = self.np_span(src)
        cand = QuoteCandidate(span[0], span[1], QuoteKind.INDIRECT, CONF_INDIRECT, speaker, cue)
        return cand

    def _against_direct(
        self, cand: QuoteCandidate, quotes: list[DirectQuote]
    ) -> QuoteCandidate | None:
        """Settle an indirect candidate that meets quoted text: the same quote
        seen twice (drop it), or a paraphrase holding quoted fragments (mixed)."""
        doc_words = self._doc_words
        touching = [q for q in quotes if q.start < cand.end and q.end > cand.start]
        if touching:
            first = min(q.start for q in touching)
            before = sum(1 for i in range(cand.start, first) if doc_words[i])
            if before <= 1:
                return None  # the content is the direct quote: attributed there
        # a quoted fragment right after the content belongs to it
        # ("announced his readiness to meet the president “personally.”")
        for q in quotes:
            adjacent = q.start >= cand.end and all(
                doc_words[i] is False and not self._doc_punct[i] for i in range(cand.end, q.start)
            )
            if adjacent and q.words < MIN_DIRECT_WORDS:
                touching.append(q)
        inside = touching
        if not inside:
            return cand
        start = min(cand.start, *(q.start for q in inside))
        end = max(cand.end, *(q.end for q in inside))
        for q in inside:
            q.absorbed = True
        cand.start, cand.end = start, end
        cand.kind = QuoteKind.MIXED
        cand.confidence = max(cand.confidence, CONF_MIXED)
        return cand


_CUE_POS = ("VERB", "AUX")
_CUE_TAGS = ("VBG", "VBN", "VBD", "VBZ", "VBP")


def _possible_cues(doc: Doc) -> list[int]:
    """Indices of the tokens ``cue_of`` or "according" can accept (a verb by part of
    speech or tag): the others are skipped without making a Token object each."""
    if not len(doc):
        return []
    strings = doc.vocab.strings
    pos_ids = {strings.add(p) for p in _CUE_POS}  # POS values are symbol ids
    tag_ids = {strings.add(t) for t in _CUE_TAGS}
    according = strings.add("according")
    rows = doc.to_array([POS, TAG, LOWER]).tolist()
    return [
        i for i, (p, t, low) in enumerate(rows)
        if p in pos_ids or t in tag_ids or low == according
    ]


def _end_at_quote(doc: Doc, after: int, end: int) -> int:
    """"as “cruel” on Friday": a characterisation ends with its quoted words."""
    for i in range(end - 1, after, -1):
        if doc[i].text in ("”", '"', "’", "»"):
            return i + 1
    return end


def _right(tok: Token) -> int:
    return tok.right_edge.i + 1


def _has_person_before(doc: Doc, tok: Token) -> bool:
    return any(e.label_ in ("PERSON", "ORG") and e.end <= tok.i for e in doc.ents)


def pronoun_referent(doc: Doc, pron: Token, paras: list[int]) -> tuple[int, int] | None:
    """The most recent compatible entity (he/she: PERSON; they: PERSON or ORG)
    in the same or two previous paragraphs, or None when two different
    candidates are too close to choose (docs/QUOTES.md §3)."""
    labels = ("PERSON",) if pron.lower_ in ("he", "she", "him", "her") else ("PERSON", "ORG")
    cands = [
        e for e in doc.ents
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


__all__ = ["FIRST_PERSON", "ParseQuoteFinder", "pronoun_referent"]
