"""Benchmark of the agreement report on a synthetic corpus.

3 annotators x 10,000 documents of ~2,500 characters, a token every 5 characters and
~30 spans per annotation (entities plus quotes with speaker and cue), each annotator a
noisy copy of one base annotation (dropped, shifted, relabelled and extra spans).

    python bench/bench_agreement.py [--docs N] [--annotators K] [--seed S]

Prints the seconds of the whole ``agreement()`` call and, as a baseline in the same run,
of just building the token label arrays (Token objects -> arrays -> labels per token).
Target: whole computation <= 2 s on the project's 2-core machine. CPU seconds are printed
too: on a shared, loaded machine they are the steadier figure.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Sequence

import numpy as np

from annotator.agreement.kappa import paint_tokens
from annotator.agreement.report import agreement
from annotator.core.model import (
    Annotation,
    AnnotationStatus,
    Layer,
    QuoteKind,
    Relation,
    RelationLabel,
    Span,
    Token,
)

ENT_LABELS = ["PER", "ORG", "GPE", "LOC", "DATE", "NORP"]
KINDS = list(QuoteKind)


def make_document(rng: random.Random, n_chars: int) -> tuple[str, list[Token]]:
    # "abcd " repeated: a 4-character token followed by one space
    n_tok = n_chars // 5
    text = "abcd " * n_tok
    return text, [Token(i * 5, i * 5 + 4, True) for i in range(n_tok)]


def base_spans(rng: random.Random, n_tok: int) -> list[tuple[int, int, str]]:
    """Token-index spans (first, last exclusive, label): 24 entities, 2 quotes, 2 speakers,
    2 cues, laid out left to right so entities never overlap."""
    out: list[tuple[int, int, str]] = []
    tok = 0
    for q in range(2):
        seg_end = (q + 1) * n_tok // 2
        for _ in range(12):
            tok += rng.randint(1, 3)
            width = rng.randint(1, 3)
            if tok + width >= seg_end - 20:
                break
            out.append((tok, tok + width, rng.choice(ENT_LABELS)))
            tok += width
        tok = max(tok + 1, seg_end - 19)
        out.append((tok, tok + 1, "SPEAKER"))
        out.append((tok + 1, tok + 2, "CUE"))
        out.append((tok + 2, tok + 2 + rng.randint(5, 15), "QUOTE"))
        tok = seg_end
    return out


def perturb(
    rng: random.Random, spans: Sequence[tuple[int, int, str]], n_tok: int
) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    for first, last, label in spans:
        x = rng.random()
        if x < 0.08 and label not in ("QUOTE", "SPEAKER"):
            continue  # missed
        if x < 0.16:
            last = max(first + 1, last + rng.choice((-1, 1)))  # boundary
        elif x < 0.20 and label in ENT_LABELS:
            label = rng.choice(ENT_LABELS)
        out.append((first, min(last, n_tok), label))
    return out


def to_annotation(
    doc_id: int, annotator: str, spans: Sequence[tuple[int, int, str]], rng: random.Random
) -> Annotation:
    result: list[Span] = []
    rels: list[Relation] = []
    last_end = -1
    speaker: Span | None = None
    for first, last, label in spans:
        start, end = first * 5, last * 5 - 1
        if label in ENT_LABELS:
            if start < last_end:
                continue  # a widened entity would overlap the next one
            last_end = end
            result.append(Span(start, end, label, Layer.ENTS))
        else:
            kind = rng.choice(KINDS) if label == "QUOTE" else None
            span = Span(start, end, label, Layer.QUOTES, kind=kind)
            result.append(span)
            if label == "SPEAKER":
                speaker = span
            elif label == "QUOTE" and speaker is not None:
                rels.append(Relation(span.key, speaker.key, RelationLabel.SPEAKER))
    return Annotation(doc_id, annotator, result, rels, status=AnnotationStatus.DONE)


def make_corpus(
    n_docs: int, n_annotators: int, seed: int
) -> tuple[dict[str, dict[int, Annotation]], dict[int, list[Token]], dict[int, str]]:
    rng = random.Random(seed)
    names = [f"annotator{i + 1}" for i in range(n_annotators)]
    annotations: dict[str, dict[int, Annotation]] = {a: {} for a in names}
    tokens: dict[int, list[Token]] = {}
    texts: dict[int, str] = {}
    for d in range(n_docs):
        text, toks = make_document(rng, 2500)
        texts[d], tokens[d] = text, toks
        base = base_spans(rng, len(toks))
        for a in names:
            annotations[a][d] = to_annotation(d, a, perturb(rng, base, len(toks)), rng)
    return annotations, tokens, texts


def token_label_baseline(
    annotations: dict[str, dict[int, Annotation]],
    tokens: dict[int, list[Token]],
    texts: dict[int, str],
) -> tuple[float, float]:
    """(wall, cpu) seconds to turn Token objects and spans into per-token label arrays."""
    t0, c0 = time.perf_counter(), time.process_time()
    docs = list(texts)
    offsets = np.zeros(len(docs) + 1, dtype=np.int64)
    np.cumsum([len(texts[d]) for d in docs], out=offsets[1:])
    all_toks = [t for d in docs for t in tokens[d]]
    counts = [len(tokens[d]) for d in docs]
    shift = np.repeat(offsets[:-1], counts)
    tok_start = np.array([t.start for t in all_toks], dtype=np.int64) + shift
    for by_doc in annotations.values():
        spans = [(s, offsets[i]) for i, d in enumerate(docs) for s in by_doc[d].spans]
        starts = np.array([s.start + o for s, o in spans], dtype=np.int64)
        ends = np.array([s.end + o for s, o in spans], dtype=np.int64)
        ranks = np.array([hash(s.label) % 7 for s, _ in spans], dtype=np.int64)
        paint_tokens(starts, ends, ranks, tok_start)
    return time.perf_counter() - t0, time.process_time() - c0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--annotators", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    t0 = time.perf_counter()
    annotations, tokens, texts = make_corpus(args.docs, args.annotators, args.seed)
    n_spans = sum(len(a.spans) for by_doc in annotations.values() for a in by_doc.values())
    n_tokens = sum(len(t) for t in tokens.values())
    print(
        f"corpus: {args.docs} documents, {args.annotators} annotators, {n_spans} spans, "
        f"{n_tokens} tokens (built in {time.perf_counter() - t0:.1f} s)"
    )
    arrays = {d: np.array([t.start for t in toks]) for d, toks in tokens.items()}

    for _ in range(args.repeat):
        base, base_cpu = token_label_baseline(annotations, tokens, texts)
        t0, c0 = time.perf_counter(), time.process_time()
        report = agreement(annotations, tokens, texts)
        whole, cpu = time.perf_counter() - t0, time.process_time() - c0
        t0 = time.perf_counter()
        rows = report.disagreements
        listing = time.perf_counter() - t0
        t0 = time.perf_counter()
        agreement(annotations, arrays, texts)
        fast = time.perf_counter() - t0
        print(
            f"token label arrays only: {base:.3f} s (cpu {base_cpu:.3f} s) "
            f"| whole agreement: {whole:.3f} s "
            f"(cpu {cpu:.3f} s) "
            f"| then listing {len(rows)} disagreements: {listing:.3f} s "
            f"| whole, tokens given as arrays: {fast:.3f} s"
        )
    out = report.to_json()
    print(
        f"fleiss={out['fleiss_kappa']:.3f} alpha={out['krippendorff_alpha']:.3f} "
        f"u-alpha={out['unitizing_alpha']:.3f} disagreements={out['disagreements']}"
    )


if __name__ == "__main__":
    main()
