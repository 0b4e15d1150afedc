"""Quote, speaker and cue suggestions from a dependency parse (docs/QUOTES.md §2–5).

Input is a parsed spaCy ``Doc`` (tagger + lemmatizer + parser); output is a
list of ``QuoteCandidate`` in token indices. Turning them into ``Span`` and
``Relation`` objects is the suggester's job. Reading the parse is in
:mod:`annotator.nlp.quotes_parse`, indirect quotes in :mod:`annotator.nlp.quotes_indirect`.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from annotator.core import QuoteKind
from annotator.nlp.quotes_arrays import arrays_of, doc_session
from annotator.nlp.quotes_common import (
    CONF_HIGH,
    CONF_MEDIUM,
    CONF_MIXED_UNCUED,
    CONF_NEIGHBOUR,
    CONF_ORPHAN,
    CONF_PRONOUN_UNRESOLVED,
    DASHES,
    MIN_DIRECT_WORDS,
    PRONOUNS,
    DirectQuote,
    QuoteCandidate,
    dateline_tokens,
    direct_quotes,
    drop_dateline_speakers,
    inherit_cues,
    looks_like_title,
    mid_sentence,
    not_speech_fragment,
    paragraph_ids,
    quote_index,
    stands_alone,
    trim,
)
from annotator.nlp.quotes_indirect import IndirectQuotes
from annotator.nlp.quotes_parse import pronoun_referent

# subjects that name no one who could have said the quoted words
_NOT_SPEAKERS = frozenset({"it", "there", "what", "this", "that", "which", "these", "those"})
# what may stand in an outlet or title between a name and its colon ("Dr. Ana Ruiz, AT&T:")
_OUTLET_PUNCT = frozenset({".", "&", "'s", "’s"})


class ParseQuoteFinder(IndirectQuotes):
    """Finds direct, mixed and indirect quotes with their speaker and cue."""

    # -- the main entry -----------------------------------------------------

    def find(self, doc: Doc, *, indirect_cognition: bool = False) -> list[QuoteCandidate]:
        with doc_session(doc):  # per-token columns and memos, read once for every rule
            return self._find(doc, indirect_cognition=indirect_cognition)

    def _find(self, doc: Doc, *, indirect_cognition: bool) -> list[QuoteCandidate]:
        arrays = arrays_of(doc)
        quotes = direct_quotes(doc)
        qidx = quote_index(doc, quotes)
        paras = paragraph_ids(doc)
        self._doc_words = arrays.words
        self._doc_punct = arrays.is_punct
        out: list[QuoteCandidate] = []
        indirect = self._indirect(doc, quotes, qidx, paras, cognition=indirect_cognition)
        self._attribute_direct(doc, quotes, qidx, paras)
        for q in quotes:
            if q.absorbed or q.attributed is None:
                continue
            out.append(q.attributed)
        inherit_cues(doc, out, paras, self._is_cue_token)
        out.extend(indirect)
        drop_dateline_speakers(doc, out)
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
                if words < MIN_DIRECT_WORDS and not fills and len(members) == 1:
                    # "Ortiz remains “deeply worried” about …": the subject's words
                    if not not_speech_fragment(doc, first):
                        first.attributed = self._uncued_mixed(doc, first, qidx, paras)
                    continue
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
            if words < MIN_DIRECT_WORDS and mid_sentence(
                doc, members[0], paras, self._is_cue_token
            ):
                # "will be “waiting” for": a quoted word, not a direct quote; the
                # words of its clause's subject when the cue found is not its own
                if len(members) == 1 and not not_speech_fragment(doc, members[0]):
                    members[0].attributed = self._uncued_mixed(doc, members[0], qidx, paras)
                continue
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
            if len(members) == 1 and mid_sentence(doc, members[0], paras, self._is_cue_token):
                # "promised to “do everything in my power …”": quoted words continuing
                # the writer's sentence are a paraphrase holding a quote (mixed), as
                # sure of its attribution as a direct quote would be
                q = members[0]
                start = self._fragment_start(doc, q, cue, speaker, qidx, paras)
                q.attributed = QuoteCandidate(
                    start, q.end, QuoteKind.MIXED, conf, speaker, cue, group
                )
                continue
            for q in members:
                q.attributed = QuoteCandidate(
                    q.start, q.end, QuoteKind.DIRECT, conf, speaker, cue, group
                )
            if speaker is not None:
                last = (members[0].attributed, paras[members[-1].start])  # type: ignore[assignment]

    @staticmethod
    def _fragment_start(
        doc: Doc,
        q: DirectQuote,
        cue: tuple[int, int] | None,
        speaker: tuple[int, int] | None,
        qidx: list[int],
        paras: list[int],
    ) -> int:
        """Where the content of a mixed quote ending in quote ``q`` starts: after
        its cue (and a "that", a comma or a preposition joining it: docs/QUOTES.md,
        QUOTE) when the cue comes first, else at its sentence's start; the quote
        itself when the speaker or another quote lies in between."""
        para = paras[q.start]
        datelines = dateline_tokens(doc)
        if cue is not None and cue[1] <= q.start and paras[cue[0]] == para:
            start = cue[1]
            if speaker is not None and cue[1] <= speaker[0] and speaker[1] <= q.start:
                start = speaker[1]  # "said Ortiz, …"
            marks = [i for i in range(start, q.start) if doc[i].dep_ == "mark"]
            if marks and doc[marks[-1]].lower_ == "that":
                start = marks[-1] + 1  # "said in a statement that it “…”"
        else:
            start = doc[q.start].sent.start
            while start < q.start and (start in datelines or paras[start] != para):
                start += 1
        while start < q.start and (
            doc[start].is_space
            or doc[start].text in (",", ":")
            or doc[start].lower_ == "that"
            or doc[start].pos_ == "ADP"
        ):
            start += 1
        between = range(start, q.start)
        if any(qidx[i] >= 0 for i in between) or (
            speaker is not None and speaker[0] < q.start and speaker[1] > start
        ):
            return q.start
        return start

    def _uncued_mixed(
        self, doc: Doc, q: DirectQuote, qidx: list[int], paras: list[int]
    ) -> QuoteCandidate | None:
        """A short quoted fragment no cue governs, inside a clause whose verb has a
        subject: a mixed quote from the verb to the closing mark, that subject as
        its speaker, no cue and a low confidence (docs/QUOTES.md §4)."""
        heads = arrays_of(doc).heads
        para = paras[q.start]
        root = next((i for i in range(q.start, q.end) if not q.start <= heads[i] < q.end), None)
        if root is None or root == heads[root]:
            return None
        verb = doc[heads[root]]
        for _ in range(6):  # up the tree to the verb of the clause
            if verb.pos_ in ("VERB", "AUX") or verb.head is verb:
                break
            verb = verb.head
        if verb.pos_ not in ("VERB", "AUX") or qidx[verb.i] >= 0 or paras[verb.i] != para:
            return None
        subj = self.subject_of(verb)
        if (
            subj is None
            or qidx[subj.i] >= 0
            or paras[subj.i] != para
            or subj.dep_ == "expl"
            or subj.lower_ in _NOT_SPEAKERS
            or subj.pos_ not in ("PROPN", "NOUN", "PRON")
        ):
            return None
        speaker = self.np_span(subj)
        # the content: after the subject (or from the verb when it comes first)
        start = speaker[1] if speaker[1] <= verb.i else verb.i
        span = trim(doc, start, q.end)
        if span is None or span[0] > q.start or paras[span[0]] != para:
            return None  # the fragment is in the subject: nobody is said to say it
        return QuoteCandidate(
            span[0], span[1], QuoteKind.MIXED, CONF_MIXED_UNCUED, speaker, None, q.group
        )

    def _cue_for_quote(
        self, doc: Doc, q: DirectQuote, qidx: list[int], paras: list[int]
    ) -> tuple[tuple[int, int] | None, Token | None, float] | None:
        """Cue span, speaker token and confidence for one quoted segment."""
        para = paras[q.start]
        # 1. the parse: a cue outside the quote governing a token inside it
        heads = arrays_of(doc).heads
        for i in range(q.start, q.end):
            h = heads[i]
            if q.start <= h < q.end or qidx[h] >= 0 or paras[h] != para:
                continue
            head = doc[h]
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
        if (
            not open_end
            and not (nxt.is_alpha and nxt.is_lower is False)
            and not (nxt.lower_ in PRONOUNS or nxt.lower_ in self.lex.forms)
        ):
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
        datelines = dateline_tokens(doc)
        before = [i for i in before if i not in datelines and not doc[i].is_space]
        # "Peskov: “…”" — a short capitalised name right before a colon
        if before and doc[before[-1]].text == ":" and 1 <= len(before) - 1 <= 5:
            name = [doc[i] for i in before[:-1]]
            if all(t.is_title or t.is_upper or t.lower_ in ("the", "a") for t in name):
                return name[-1]
        # "Maria Lopez, Channel 4 News: “…”" — a name, a comma, its outlet or title
        if before and doc[before[-1]].text == ":":
            words = [doc[i] for i in before[:-1]]
            comma = next((k for k, t in enumerate(words) if t.text == ","), -1)
            if 1 <= comma <= 4 and 1 <= len(words) - comma - 1 <= 6:
                name, rest = words[:comma], words[comma + 1 :]
                outlet = all(
                    t.pos_ not in ("VERB", "AUX")
                    and (t.is_alpha or t.like_num or t.text in _OUTLET_PUNCT)
                    for t in rest
                )
                if outlet and all(t.is_title or t.is_upper for t in name):
                    return name[-1]
        # "“…” – Peskov"
        if q.end + 1 < len(doc) and doc[q.end].text in DASHES and doc[q.end + 1].is_title:
            tok = doc[q.end + 1]
            while tok.head.i > tok.i and tok.head.is_title and tok.head.i - q.end < 6:
                tok = tok.head
            return tok
        return None


def _has_person_before(doc: Doc, tok: Token) -> bool:
    return any(e.label_ in ("PERSON", "ORG") and e.end <= tok.i for e in arrays_of(doc).ents)


__all__ = ["ParseQuoteFinder", "pronoun_referent"]
