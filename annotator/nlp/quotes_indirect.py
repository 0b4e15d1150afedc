"""Indirect and mixed quotes: what a reporting verb reports, its clause or noun
phrase, and "according to" (docs/QUOTES.md §4)."""

from __future__ import annotations

import numpy
from spacy.attrs import LOWER
from spacy.tokens import Doc, Token

from annotator.core import QuoteKind
from annotator.nlp.quotes_common import (
    CONF_COGNITION,
    CONF_INDIRECT,
    CONF_INDIRECT_NP,
    CONF_MIXED,
    DASHES,
    MIN_DIRECT_WORDS,
    DirectQuote,
    QuoteCandidate,
    dateline_tokens,
    trim,
)
from annotator.nlp.quotes_lexicon import CueEntry
from annotator.nlp.quotes_parse import _SUBJ, ParseReader, _right


class IndirectQuotes(ParseReader):
    """Finds quotes reported by a cue verb outside quotation marks."""

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
        for i in _possible_cues(self, doc):
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
            datelines = dateline_tokens(doc)
            while start < end and start in datelines:
                start += 1  # "KYIV (AP) — …": the dateline is not what was said
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
                start,
                end,
                QuoteKind.INDIRECT,
                conf * entry.weight / max(entry.weight, 1e-9),
                self.np_span(speaker_tok),
                cue_span,
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
                if c.dep_ in ("oprd", "ccomp", "xcomp") or (c.dep_ == "prep" and c.lower_ == "as")
            ]
            if comp:
                end = max(_right(c) for c in comp)
                return dobj.left_edge.i, _end_at_quote(doc, dobj.i, end), True
            if lemma == "describe":
                return dobj.left_edge.i, _end_at_quote(doc, dobj.i, _right(dobj)), True
        if lemma in self.lex.small_clause and dobj is None and entry.particle:
            # "referred to X as Y": the particle's object is the X of the small clause
            prep = next((c for c in children if c.lower_ == entry.particle), None)
            pobj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep else None
            if pobj is not None:
                comp = [
                    c
                    for c in (*children, *pobj.children)
                    if c.dep_ == "prep" and c.lower_ == "as" and c.i > pobj.i
                ]
                if comp:
                    end = max(_right(c) for c in comp)
                    return pobj.left_edge.i, _end_at_quote(doc, pobj.i, end), True
            return None
        if lemma in self.lex.addressee_object:
            if dobj is not None and xcomp is not None and xcomp.i > dobj.i:
                return dobj.left_edge.i, _right(xcomp), True  # "urged Kiev to accept it"
            return None
        if xcomp is not None and lemma in ("offer", "promise", "vow", "pledge", "threaten"):
            return xcomp.left_edge.i, _right(xcomp), True
        if lemma in self.lex.np_content_object:
            if (
                dobj is not None
                and dobj.pos_ != "PRON"
                and dobj.lower_ not in (self.lex.not_content_objects)
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
            if (
                child.dep_ == "advcl"
                and child.tag_ == "VBG"
                and child.left_edge.i > start
                and doc[child.left_edge.i - 1].text == ","
            ):
                end = min(end, child.left_edge.i - 1)
        # "only that …": what precedes the complementiser stays outside too
        for child in clause.children:
            if child.dep_ == "mark" and child.lower_ == "that" and start < child.i < start + 3:
                start = child.i
        # leading complementiser "that" and the comma after it stay outside
        while start < end and (
            (doc[start].lower_ == "that" and doc[start].dep_ == "mark") or doc[start].text == ","
        ):
            start += 1
        span = trim(doc, start, end)
        if span is None or span[1] - span[0] < 2:
            return None
        return span[0], span[1], False

    def _according_content(
        self, doc: Doc, tok: Token, quotes: list[DirectQuote], qidx: list[int]
    ) -> QuoteCandidate | None:
        acc = self._according(tok)
        if acc is None:
            return None
        cue, src = acc
        if src is None:
            return None
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


def _possible_cues(reader: ParseReader, doc: Doc) -> list[int]:
    """Indices of the tokens ``cue_of`` or "according" can accept, in order: the
    others are skipped without making a Token object each."""
    according = doc.vocab.strings.add("according")
    found = set(reader.cueable(doc))
    if len(doc):
        found.update(numpy.flatnonzero(doc.to_array(LOWER) == according).tolist())
    return sorted(found)


def _end_at_quote(doc: Doc, after: int, end: int) -> int:
    """ "as “cruel” on Friday": a characterisation ends with its quoted words."""
    for i in range(end - 1, after, -1):
        if doc[i].text in ("”", '"', "’", "»"):
            return i + 1
    return end
