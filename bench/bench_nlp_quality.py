"""Quality of entity and quote suggestions against hand-made gold.

    python bench/bench_nlp_quality.py [--pipeline NAME] [--verbose]

Loads tests/data/*.jsonl (the seeds' gold among them; $ANNOTATOR_GOLD adds a
file), tokenizes with the project tokenizer, runs the spaCy suggester(s) and the
rule suggester, and prints per-label exact/overlap P/R/F, direct-quote F1, speaker
accuracy and the raw ``doc.ents`` baseline.

A small scorer of its own (the agreement package will provide the official
one): exact = same start, end, label; overlap = same label and overlapping
character ranges, matched one-to-one, largest overlap first.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import re
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from annotator.core import Span  # noqa: E402
from annotator.nlp.pipeline import installed_pipelines, load_suggester  # noqa: E402
from annotator.nlp.suggester import Suggestions, doc_for_tokens  # noqa: E402
from annotator.nlp.tokenize import tokenize  # noqa: E402

EXTRA = ROOT / "tests" / "data"
GOLD = Path(os.environ.get("ANNOTATOR_GOLD", EXTRA / "seeds_gold.jsonl"))

Triple = tuple[int, int, str]


@dataclass
class Example:
    name: str
    text: str
    spans: list[dict[str, Any]]
    relations: list[dict[str, Any]]
    has_ents: bool = True  # our own articles annotate the quotes layer only


@dataclass
class PRF:
    tp: float = 0
    fp: float = 0
    fn: float = 0

    def add(self, tp: float, n_pred: int, n_gold: int) -> None:
        self.tp += tp
        self.fp += n_pred - tp
        self.fn += n_gold - tp

    @property
    def p(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def r(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f(self) -> float:
        return 2 * self.p * self.r / (self.p + self.r) if self.p + self.r else 0.0

    def __str__(self) -> str:
        n = int(self.tp + self.fn)
        return f"P {self.p:.3f}  R {self.r:.3f}  F {self.f:.3f}  (gold {n})"


def load_examples() -> list[Example]:
    out: list[Example] = []
    files = [GOLD] if GOLD.exists() else []
    # the held-out set is scored only by bench_heldout.py, so tuning here cannot see it
    files += sorted(p for p in EXTRA.glob("*.jsonl") if not p.name.startswith("heldout"))
    seen: set[str] = set()  # a text in two files is scored once
    for path in files:
        with path.open(encoding="utf-8") as fh:
            for n, line in enumerate(fh):
                if not line.strip():
                    continue
                d = json.loads(line)
                if d["text"] in seen:
                    continue
                seen.add(d["text"])
                name = d.get("meta", {}).get("source") or f"{path.name}:{n}"
                layers = d.get("meta", {}).get("layers", ["ents", "quotes"])
                out.append(
                    Example(name, d["text"], d["spans"], d.get("relations", []), "ents" in layers)
                )
    return out


def overlap_matches(pred: list[Triple], gold: list[Triple]) -> list[tuple[int, int]]:
    """One-to-one pairs (pred index, gold index) of same label and overlapping ranges."""
    pairs = []
    for i, (ps, pe, pl) in enumerate(pred):
        for j, (gs, ge, gl) in enumerate(gold):
            ov = min(pe, ge) - max(ps, gs)
            if pl == gl and ov > 0:
                pairs.append((ov, i, j))
    pairs.sort(reverse=True)
    used_p: set[int] = set()
    used_g: set[int] = set()
    out = []
    for _, i, j in pairs:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            out.append((i, j))
    return out


class Scores:
    def __init__(self) -> None:
        self.exact: dict[str, PRF] = {}
        self.overlap: dict[str, PRF] = {}
        self.direct = PRF()
        self.speaker_ok = 0
        self.speaker_n = 0
        self.ents_exact = PRF()
        self.ents_raw = PRF()
        self.regex_direct = PRF()

    def add_labelled(
        self,
        pred: list[Triple],
        gold: list[Triple],
        exact_key: Callable[[Triple], Triple] | None = None,
    ) -> None:
        """``exact_key`` maps a span to what exact matching compares (bench_heldout
        ignores a leading "that" of a QUOTE)."""
        labels = {t[2] for t in pred} | {t[2] for t in gold}
        key = exact_key or (lambda t: t)
        for lab in labels:
            p = [t for t in pred if t[2] == lab]
            g = [t for t in gold if t[2] == lab]
            pk, gk = {key(t) for t in p}, {key(t) for t in g}
            self.exact.setdefault(lab, PRF()).add(len(pk & gk), len(p), len(g))
            self.overlap.setdefault(lab, PRF()).add(len(overlap_matches(p, g)), len(p), len(g))


def gold_triples(ex: Example, layer: str) -> list[Triple]:
    return [(s["start"], s["end"], s["label"]) for s in ex.spans if s["layer"] == layer]


def score_example(
    ex: Example,
    sugg: Suggestions,
    scores: Scores,
    verbose: bool,
    exact_key: Callable[[Triple], Triple] | None = None,
) -> None:
    text = ex.text
    pred_ents = [(s.start, s.end, s.label) for s in sugg.spans if s.layer == "ents"]
    gold_ents = gold_triples(ex, "ents")
    if not ex.has_ents:
        pred_ents = []
    pred_q = [(s.start, s.end, s.label) for s in sugg.spans if s.layer == "quotes"]
    gold_q = gold_triples(ex, "quotes")
    scores.add_labelled(pred_ents + pred_q, gold_ents + gold_q, exact_key)
    scores.ents_exact.add(len(set(pred_ents) & set(gold_ents)), len(pred_ents), len(gold_ents))

    pd = [
        (s.start, s.end, "QUOTE") for s in sugg.spans if s.label == "QUOTE" and s.kind == "direct"
    ]
    gd = [
        (s["start"], s["end"], "QUOTE")
        for s in ex.spans
        if s["label"] == "QUOTE" and s.get("kind") == "direct"
    ]
    scores.direct.add(len(overlap_matches(pd, gd)), len(pd), len(gd))

    # speaker accuracy over matched quotes
    pq = [s for s in sugg.spans if s.label == "QUOTE"]
    gq = [s for s in ex.spans if s["label"] == "QUOTE"]
    pred_speaker: dict[tuple[int, int], tuple[int, int]] = {}
    for r in sugg.relations:
        if r.label == "speaker":
            pred_speaker[(r.head.start, r.head.end)] = (r.child.start, r.child.end)
    gold_speaker: dict[tuple[int, int], tuple[int, int]] = {}
    for r in ex.relations:
        if r["label"] == "speaker":
            h, c = r["head_span"], r["child_span"]
            gold_speaker[(h["start"], h["end"])] = (c["start"], c["end"])
    matches = overlap_matches(
        [(s.start, s.end, "QUOTE") for s in pq], [(g["start"], g["end"], "QUOTE") for g in gq]
    )
    for i, j in matches:
        g = gq[j]
        gs = gold_speaker.get((g["start"], g["end"]))
        if gs is None:
            continue
        scores.speaker_n += 1
        ps = pred_speaker.get((pq[i].start, pq[i].end))
        ok = ps is not None and min(ps[1], gs[1]) > max(ps[0], gs[0])
        scores.speaker_ok += ok
        if verbose and not ok:
            got = text[ps[0] : ps[1]] if ps else None
            print(
                f"    speaker miss: {text[pq[i].start : pq[i].end][:60]!r} -> {got!r}"
                f" (gold {text[gs[0] : gs[1]]!r})"
            )
    if verbose:
        matched_p = {i for i, _ in matches}
        matched_g = {j for _, j in matches}
        for i, s in enumerate(pq):
            if i not in matched_p:
                print(f"    FP quote {s.kind} {s.confidence}: {text[s.start : s.end][:90]!r}")
        for j, g in enumerate(gq):
            if j not in matched_g:
                print(f"    FN quote {g.get('kind')}: {text[g['start'] : g['end']][:90]!r}")

    # a bare regex over “…” / "…" as a reference point
    rx = [(m.start(), m.end(), "QUOTE") for m in re.finditer(r"“[^”“\n]*”|\"[^\"\n]*\"", text)]
    scores.regex_direct.add(len(overlap_matches(rx, gd)), len(rx), len(gd))


def raw_ents(name: str, examples: Iterable[Example], scores: Scores) -> None:
    """Exact F1 of the pipeline's own ``doc.ents``, untouched, on the same tokens."""
    import spacy

    nlp = spacy.load(name)
    for ex in examples:
        if not ex.has_ents:
            continue
        doc = nlp(doc_for_tokens(nlp, ex.text, tokenize(ex.text)))
        pred = {(e.start_char, e.end_char, e.label_) for e in doc.ents}
        gold = set(gold_triples(ex, "ents"))
        scores.ents_raw.add(len(pred & gold), len(pred), len(gold))


def check_valid(spans: list[Span], text: str) -> None:
    from annotator.core import validate_span

    toks = tokenize(text)
    for s in spans:
        validate_span(s, text, toks)
    ents = sorted((s for s in spans if s.layer == "ents"), key=lambda s: s.start)
    for a, b in itertools.pairwise(ents):
        assert b.start >= a.end, (a, b)


def run(name: str, examples: list[Example], verbose: bool) -> Scores:
    suggester = load_suggester(name)
    scores = Scores()
    t0 = time.perf_counter()
    for ex in examples:
        sugg = suggester.suggest(ex.text, tokenize(ex.text))
        check_valid(sugg.spans, ex.text)
        if verbose:
            print(f"  {ex.name}")
        score_example(ex, sugg, scores, verbose)
    dt = time.perf_counter() - t0
    if suggester.info.kind == "spacy":
        raw_ents(suggester.info.name, examples, scores)
    print(f"\n== {suggester.info.key}  ({len(examples)} articles, {dt:.2f}s)")
    for lab in sorted(scores.exact):
        print(f"  {lab:<12} exact {scores.exact[lab]}   overlap {scores.overlap[lab]}")
    print(f"  entities exact (all labels) {scores.ents_exact}")
    if suggester.info.kind == "spacy":
        print(f"  raw doc.ents exact (baseline) {scores.ents_raw}")
    q = scores.overlap.get("QUOTE", PRF())
    print(f"  QUOTE overlap-F1 (all kinds)  {q.f:.3f}")
    print(f"  direct QUOTE overlap          {scores.direct}")
    print(f"  bare regex direct (reference) {scores.regex_direct}")
    acc = scores.speaker_ok / scores.speaker_n if scores.speaker_n else 0.0
    print(
        f"  speaker accuracy on matched quotes {acc:.3f} ({scores.speaker_ok}/{scores.speaker_n})"
    )
    return scores


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pipeline", action="append", help="pipeline name(s); default: all + rules")
    ap.add_argument("--only", help="substring of article names to score")
    ap.add_argument("--verbose", "-v", action="store_true")
    args = ap.parse_args()
    examples = load_examples()
    if args.only:
        examples = [e for e in examples if args.only in e.name]
    names = args.pipeline or [i.name for i in installed_pipelines()]
    for name in names:
        run(name, examples, args.verbose)
    if not args.only:
        gold_only = [e for e in examples if e.name.startswith("seeds/")]
        if gold_only and len(gold_only) < len(examples):
            print("\n--- the seeds' gold only (seeds 000-002) ---")
            for name in names:
                run(name, gold_only, False)


if __name__ == "__main__":
    main()
