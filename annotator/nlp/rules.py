"""The built-in rule suggester: works with no trained model installed.

``spacy.blank("en")`` + sentencizer + an entity ruler over the gazetteer in
``resources/gazetteer.json`` + a small name finder (capitalised names after a
title, multi-word capitalised names, repeated surnames), and quote rules that
need no parser: direct quotes and the nearest "X said" / "said X".
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token as SpacyToken
from spacy.util import filter_spans

from annotator.core import QuoteKind
from annotator.nlp.quotes_common import (
    CONF_HIGH,
    CONF_MEDIUM,
    CONF_MIXED,
    CONF_MIXED_UNCUED,
    CONF_NEIGHBOUR,
    CONF_ORPHAN,
    DASHES,
    MIN_DIRECT_WORDS,
    PRONOUNS,
    DirectQuote,
    QuoteCandidate,
    after_so_called,
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
)
from annotator.nlp.quotes_lexicon import CueLexicon, cue_lexicon, load_resource
from annotator.nlp.quotes_rules_indirect import rule_indirect

RULE_LABELS = ("GPE", "LOC", "NORP", "ORG", "PERSON")
# words that end an organisation name: a capitalised run holding one is ORG, not PERSON
_ORG_HEADS = frozenset(
    "Ministry Council Party Union University Institute Agency Committee Department Bank Court "
    "Company Corporation Corp Inc Ltd Group Association Organization Organisation Office Army "
    "Forces Force Commission Parliament Assembly Foundation Fund Centre Center Service Police "
    "Times Post News Journal Agency Magazine Network Airlines Board Authority Federation".split()
)
_NAME_PARTICLES = frozenset({"al", "bin", "de", "van", "von", "der", "da", "di", "del", "la", "le"})
# between a speaker and its cue: auxiliaries and adverbs that are part of neither
_SKIP = frozenset(
    "has have had was were is are also later then again further once previously repeatedly "
    "recently earlier separately himself herself had would will could".split()
)
_SPEAKER_STOP = frozenset(
    "in on at during after before to who which that while when as and but because if for with "
    "about from by".split()
)


@lru_cache(maxsize=1)
def _gazetteer() -> dict[str, Any]:
    return load_resource("gazetteer.json")


@lru_cache(maxsize=1)
def _titles() -> tuple[tuple[str, ...], ...]:
    # longest first, so "Deputy Foreign Minister" wins over "Minister"
    titles = {tuple(t.split()) for t in _gazetteer()["person_titles"]}
    titles |= {tuple(w.lower() for w in t) for t in titles}
    return tuple(sorted(titles, key=len, reverse=True))


@lru_cache(maxsize=1)
def _titles_by_first_word() -> dict[str, tuple[tuple[str, ...], ...]]:
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for title in _titles():  # already longest first
        by_first.setdefault(title[0], []).append(title)
    return {k: tuple(v) for k, v in by_first.items()}


def title_length(doc: Doc, i: int) -> int:
    """How many tokens from ``i`` form a person title ("Deputy Foreign Minister")."""
    candidates = _titles_by_first_word().get(doc[i].text)
    if not candidates:
        return 0
    for title in candidates:
        n = len(title)
        if i + n <= len(doc) and all(doc[i + k].text == title[k] for k in range(1, n)):
            return n
    return 0


@Language.component("annotator_names")
def find_person_names(doc: Doc) -> Doc:
    """PERSON for capitalised names after a title, multi-word capitalised names
    and later mentions of a known surname; titles stay outside the span."""
    gaz = _gazetteer()
    not_names = set(gaz["not_names"])
    known = set(gaz["GPE"]) | set(gaz.get("LOC", ())) | set(gaz["ORG"]) | set(gaz["NORP"])
    taken = {i for e in doc.ents for i in range(e.start, e.end)}
    new: list[tuple[int, int, str]] = []

    def is_name(i: int) -> bool:
        t = doc[i]
        return (
            i not in taken
            and (t.is_title or (t.is_upper and len(t) > 1 and t.is_alpha is False))
            and t.is_alpha
            and t.text not in not_names
            and t.text not in known
        )

    i = 0
    n = len(doc)
    while i < n:
        tl = title_length(doc, i)
        j = i + tl
        run = j
        while (
            run < n
            and run - j < 4
            and (
                is_name(run)
                or (
                    doc[run].lower_ in _NAME_PARTICLES
                    and run + 1 < n
                    and is_name(run + 1)
                    and run > j
                )
            )
        ):
            run += 1
        if tl and run > j:
            new.append((j, run, "PERSON"))
            i = run
            continue
        if not tl and run - j >= 2:
            words = {doc[k].text for k in range(j, run)}
            label = "ORG" if words & _ORG_HEADS else "PERSON"
            new.append((j, run, label))
            i = run
            continue
        i += 1
    # a lone capitalised word next to a speech verb ("Ryabkov said", "said Peskov")
    forms = cue_lexicon().forms
    covered = taken | {k for s, e, _ in new for k in range(s, e)}
    for k in range(n):
        if k in covered or not is_name(k) or (k > 0 and is_name(k - 1)):
            continue
        nxt = doc[k + 1].lower_ if k + 1 < n else ""
        prev = doc[k - 1].lower_ if k > 0 else ""
        if (nxt in forms and doc[k + 1].is_lower) or (prev in forms and doc[k - 1].is_lower):
            if k + 1 < n and is_name(k + 1):
                continue
            new.append((k, k + 1, "PERSON"))
    surnames = {doc[e - 1].text for s, e, lab in new if lab == "PERSON" and e - s >= 1}
    surnames |= {e[-1].text for e in doc.ents if e.label_ == "PERSON"}
    covered = taken | {k for s, e, _ in new for k in range(s, e)}
    for k, tok in enumerate(doc):
        if k not in covered and tok.text in surnames and tok.is_title:
            new.append((k, k + 1, "PERSON"))
    spans = list(doc.ents) + [SpacySpan(doc, s, e, label=lab) for s, e, lab in new]
    doc.ents = filter_spans(spans)
    return doc


def build_rule_pipeline() -> Language:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "ORTH"})
    gaz = _gazetteer()
    patterns = [
        {"label": label, "pattern": phrase}
        for label in ("GPE", "LOC", "ORG", "NORP")
        for phrase in gaz.get(label, ())
    ]
    ruler.add_patterns(patterns)  # type: ignore[attr-defined]
    nlp.add_pipe("annotator_names")
    return nlp


class RuleQuoteFinder:
    """Direct quotes with the nearest "X said" / "said X" (no parser needed)."""

    def __init__(self, lexicon: CueLexicon | None = None) -> None:
        self.lex = lexicon or cue_lexicon()

    def _is_cue(self, doc: Doc, i: int) -> tuple[int, int] | None:
        tok = doc[i]
        if tok.lower_ == "according" and i + 1 < len(doc) and doc[i + 1].lower_ == "to":
            return i, i + 2
        if tok.is_title and i > 0 and not doc[i].is_sent_start:
            return None
        if after_so_called(doc, i + 1):
            return None  # "so-called" marks scare quotes, it reports nothing
        lemma = self.lex.lemma_of_form(tok.lower_)
        # a particle verb ("chimed in", "wondered aloud", "referred to … as")
        pverb = self.lex.particle_forms.get(tok.lower_)
        if pverb is not None and i + 1 < len(doc):
            pv = self.lex.particle_verbs.get((pverb, doc[i + 1].lower_))
            if (
                pv is not None
                and pv.cls == "speech"
                and (not pv.needs or _follows(doc, i + 2, pv.needs))
            ):
                return i, i + 2
        if lemma is None:
            return None
        entry = self.lex.lemmas.get(lemma)
        if entry is None or entry.cls != "speech" or lemma in self.lex.only_with_object:
            return None
        return i, i + 1

    def find(self, doc: Doc, *, indirect_cognition: bool = False) -> list[QuoteCandidate]:
        quotes = direct_quotes(doc)
        qidx = quote_index(doc, quotes)
        paras = paragraph_ids(doc)
        out: list[QuoteCandidate] = []
        groups: dict[int, list[DirectQuote]] = {}
        for q in quotes:
            groups.setdefault(q.group, []).append(q)
        last: tuple[tuple[int, int] | None, int] | None = None
        for g in sorted(groups):
            members = groups[g]
            hit: tuple[tuple[int, int] | None, tuple[int, int] | None, float] | None = None
            for q in members:
                hit = self._attribute(doc, q, qidx, paras)
                if hit is not None:
                    break
            words = sum(q.words for q in members)
            q0 = members[0]
            if len(members) == 1 and mid_sentence(doc, q0, paras, self._cue_token):
                mixed = self._mixed(doc, q0, qidx, paras)
                if mixed is not None:
                    out.append(mixed)
                continue
            if hit is None:
                alone = stands_alone(doc, q0, qidx, paras)
                if (words < MIN_DIRECT_WORDS and not alone) or looks_like_title(doc, q0):
                    continue  # scare quotes and titles of works
                if last is not None and alone and paras[q0.start] - last[1] <= 2:
                    hit = (None, last[0], CONF_MEDIUM)
                else:
                    hit = (None, None, CONF_ORPHAN)
            cue, speaker, conf = hit
            # high needs a named speaker; a pronoun or no speaker is medium
            if conf >= CONF_HIGH and (speaker is None or doc[speaker[0]].lower_ in PRONOUNS):
                conf = CONF_MEDIUM
            for q in members:
                out.append(QuoteCandidate(q.start, q.end, QuoteKind.DIRECT, conf, speaker, cue, g))
            if speaker is not None:
                last = (speaker, paras[members[-1].start])
        inherit_cues(doc, out, paras, self._cue_token)
        out.extend(rule_indirect(self, doc, qidx, paras))
        drop_dateline_speakers(doc, out)
        return out

    def _cue_token(self, tok: SpacyToken) -> bool:
        return self._is_cue(tok.doc, tok.i) is not None

    def _mixed(
        self, doc: Doc, q: DirectQuote, qidx: list[int], paras: list[int]
    ) -> QuoteCandidate | None:
        """A quoted fragment after a cue in the same sentence: "X said the talks
        were “useful”" -> a mixed quote from after the cue to the closing mark."""
        para = paras[q.start]
        k = q.start - 1
        while k >= 0 and k > q.start - 30 and paras[k] == para and qidx[k] < 0:
            if doc[k].text in (".", "!", "?", ";"):
                break
            cue = self._is_cue(doc, k)
            if cue is not None and doc[cue[0]].lower_ != "according":
                start = cue[1]
                while start < q.start and (
                    doc[start].lower_ in ("that", ",", "as") or doc[start].is_space
                ):
                    start += 1
                speaker = self._run_before(doc, cue[0], para, qidx)
                if speaker is None:
                    return None
                return QuoteCandidate(start, q.end, QuoteKind.MIXED, CONF_MIXED, speaker, cue)
            k -= 1
        return self._uncued_mixed(doc, q, qidx, paras)

    def _uncued_mixed(
        self, doc: Doc, q: DirectQuote, qidx: list[int], paras: list[int]
    ) -> QuoteCandidate | None:
        """A short quoted fragment with no cue before it in its sentence, in a
        sentence that opens with a name or a personal pronoun ("Ortiz remains
        “deeply worried” about …"): a mixed quote from after that subject to the
        closing mark, the subject as speaker, no cue and a low confidence. Without
        a parse the sentence's first name stands for the verb's subject."""
        if q.words >= MIN_DIRECT_WORDS or not_speech_fragment(doc, q):
            return None
        para = paras[q.start]
        datelines = dateline_tokens(doc)
        s = doc[q.start].sent.start
        while s < q.start and (s in datelines or doc[s].is_space):
            s += 1
        if s >= q.start or paras[s] != para or any(qidx[i] >= 0 for i in range(s, q.start)):
            return None
        speaker: tuple[int, int] | None = None
        if doc[s].lower_ in PRONOUNS:
            speaker = (s, s + 1)
        else:
            # the name may follow a title the name finder leaves out ("Senator")
            starts = {s, s + title_length(doc, s)}
            ent = next(
                (e for e in doc.ents if e.start in starts and e.label_ in ("PERSON", "ORG")),
                None,
            )
            if ent is not None:
                speaker = (s, ent.end)
        if speaker is None or speaker[1] >= q.start:
            return None  # no verb between the subject and the quote
        return QuoteCandidate(
            speaker[1], q.end, QuoteKind.MIXED, CONF_MIXED_UNCUED, speaker, None, q.group
        )

    def _attribute(
        self, doc: Doc, q: DirectQuote, qidx: list[int], paras: list[int]
    ) -> tuple[tuple[int, int] | None, tuple[int, int] | None, float] | None:
        n = len(doc)
        para = paras[q.start]
        # after: "…," Ryabkov said / "…," said Ryabkov / "…," he added / "…" – Peskov
        inner_last = doc[q.end - 2].text if q.end - q.start >= 2 else ""
        follow = doc[q.end].text if q.end < n else ""
        if q.end < n and (inner_last in (",", "?", "!", "—", "–", "…") or follow in (",", *DASHES)):
            i = q.end
            while i < n and (doc[i].text in (",", *DASHES) or doc[i].is_space):
                i += 1
            window: list[int] = []
            while i < n and len(window) < 14 and paras[i] == para and qidx[i] < 0:
                if doc[i].text in ("!", "?", ";", ":") or doc[i].is_space:
                    break
                abbrev = window and doc[i - 1].is_title and len(doc[i - 1]) <= 3  # "Mr."
                if doc[i].text == "." and not abbrev:
                    break
                window.append(i)
                i += 1
            for k, wi in enumerate(window):
                cue = self._is_cue(doc, wi)
                if cue is not None and wi > 0 and doc[wi - 1].lower_ == "as":
                    break  # "as reported by TASS" names an intermediary, not the speaker
                if cue is None:
                    continue
                if k == 0 or doc[cue[0]].lower_ == "according":  # "said Ryabkov"
                    sp = self._run_after(doc, cue[1], para, qidx)
                else:
                    # "the report's lead author, Dr Sam Iqbal, said": the first NP
                    end = wi
                    for m in window[:k]:
                        if doc[m].text == ",":
                            end = m
                            break
                    sp = _strip_skips(doc, window[0], end)
                return cue, sp, CONF_HIGH
            if follow in DASHES and window and doc[window[0]].is_title:
                end = window[0]
                while end < len(doc) and end in window and doc[end].is_title:
                    end += 1
                return None, (window[0], end), CONF_MEDIUM
        # before: Ryabkov said: "…" / He stated, "…" / said that "…"
        if q.start > 0 and paras[q.start - 1] == para:
            j = q.start - 1
            while j >= 0 and doc[j].is_space:
                j -= 1
            if j >= 0 and (doc[j].text in (":", ",", "that") or self._is_cue(doc, j)):
                k = j
                start_limit = max(doc[j].sent.start - 1, 0) if doc[j].text != ":" else 0
                while k >= start_limit and k > j - 25 and paras[k] == para and qidx[k] < 0:
                    if doc[k].text in (".", "!", "?") and k != j:
                        break
                    cue = self._is_cue(doc, k)
                    if cue is not None:
                        if doc[cue[0]].lower_ == "according":
                            return cue, self._run_after(doc, cue[1], para, qidx), CONF_HIGH
                        sp = self._run_before(doc, cue[0], para, qidx)
                        if sp is None:
                            sp = self._run_after(doc, cue[1], para, qidx)
                        return cue, sp, CONF_HIGH
                    k -= 1
                if doc[j].text == ":":
                    colon = self._colon_name(doc, j)
                    if colon is not None:
                        return None, colon, CONF_MEDIUM
        # the previous sentence ends in a colon: "He said the following:"
        j = q.start - 1
        while j >= 0 and doc[j].is_space:
            j -= 1
        if j >= 0 and doc[j].text == ":":
            k = j - 1
            while k >= 0 and paras[k] >= para - 1 and doc[k].text not in (".", "!", "?"):
                cue = self._is_cue(doc, k)
                if cue is not None:
                    return cue, self._run_before(doc, cue[0], paras[k], qidx), CONF_NEIGHBOUR
                k -= 1
        return None

    def _colon_name(self, doc: Doc, colon: int) -> tuple[int, int] | None:
        """The speaker before a colon that opens its sentence: "Peskov:" (up to five
        capitalised words) or "Maria Lopez, Channel 4 News:" (a name, a comma and
        an outlet or title with no cue in it); never a dateline ("MOSCOW —")."""
        datelines = dateline_tokens(doc)
        s = doc[colon].sent.start
        while s < colon and (s in datelines or doc[s].is_space):
            s += 1
        words = doc[s:colon]
        if 1 <= len(words) <= 5 and all(t.is_title or t.is_upper for t in words):
            return s, colon
        comma = next((t.i for t in words if t.text == ","), -1)
        if not (1 <= comma - s <= 4 and 1 <= colon - comma - 1 <= 6):
            return None
        if not all(t.is_title or t.is_upper for t in doc[s:comma]):
            return None
        for t in doc[comma + 1 : colon]:
            if not (t.is_alpha or t.like_num or t.text in (".", "&", "'s", "’s")):
                return None
            if self._is_cue(doc, t.i) is not None:
                return None  # "Ortiz, asked about it, said:" is a clause, not a title
        return s, comma

    def _run_before(
        self, doc: Doc, cue_start: int, para: int, qidx: list[int]
    ) -> tuple[int, int] | None:
        end = cue_start
        while end > 0 and doc[end - 1].lower_ in _SKIP:
            end -= 1
        if end > 0 and doc[end - 1].text == ",":
            # "Its chief executive, Daniel Hart, said": skip the apposition
            k = end - 2
            while k >= 0 and k > end - 10 and doc[k].text != "," and qidx[k] < 0:
                k -= 1
            if k >= 0 and doc[k].text == ",":
                end = k
        start = end
        while (
            start > 0
            and end - start < 8
            and qidx[start - 1] < 0
            and not doc[start - 1].is_space
            and not (doc[start - 1].is_punct and doc[start - 1].text not in ("'s", "’s", "."))
            and doc[start - 1].lower_ not in _SPEAKER_STOP
            and not doc[start - 1].is_sent_end
        ):
            start -= 1
        return (start, end) if start < end else None

    def _run_after(
        self, doc: Doc, begin: int, para: int, qidx: list[int]
    ) -> tuple[int, int] | None:
        end = begin
        while (
            end < len(doc)
            and end - begin < 8
            and qidx[end] < 0
            and not doc[end].is_space
            and not (doc[end].is_punct and doc[end].text not in ("'s", "’s"))
            and doc[end].lower_ not in _SPEAKER_STOP
        ):
            end += 1
        # "said Ryabkov." : a final period is punctuation, not an abbreviation
        return (begin, end) if begin < end else None


def _follows(doc: Doc, start: int, word: str, limit: int = 12) -> bool:
    """``word`` comes within ``limit`` tokens from ``start``, in the same sentence."""
    for k in range(start, min(len(doc), start + limit)):
        if doc[k].text in (".", "!", "?", ";") or "\n" in doc[k].text:
            return False
        if doc[k].lower_ == word:
            return True
    return False


def _strip_skips(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    while end > start and doc[end - 1].lower_ in _SKIP:
        end -= 1
    return (start, end) if start < end else None
