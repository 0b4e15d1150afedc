"""QUOTE spans: spaCy's ``span_finder`` + ``spancat`` against the ``ner`` quote layer
``annotator train`` makes, on the same documents, split and scorer.

    nice -n 15 python bench/bench_spancat.py [--articles 120] [--words 800] [--seed 1]
        [--max-length 80] [--steps 1500] [--memory-gb 10]

Data: ``bench_train.labelled_records`` (generated news-like articles, written for this
project), imported into a project; the train / held-out split is ``annotator train``'s
own (``heldout_positions``, 20%, the seed), and the held-out documents are the dev set
of both trainings, as in ``annotator train``.

1. ``annotator train`` (its ``ner`` over QUOTE/SPEAKER/CUE, in this process);
2. a stock ``spacy init config --pipeline span_finder,spancat`` whose spancat takes the
   span finder's candidates (``spacy.preset_spans_suggester.v1``; the stock n-gram
   suggester proposes nothing longer than three tokens) and whose span finder may
   propose spans of up to ``--max-length`` tokens, trained on the QUOTE spans with
   ``python -m spacy train`` in a child process capped at ``--memory-gb`` of address
   space (a run over the cap ends with a MemoryError, reported, not a dead machine);
3. the rules (``suggest`` without --model).

Printed for each: QUOTE-only exact and overlap P/R/F1 with ``evaluate``'s scorer, the
training's wall time and peak RSS. Which layer ``annotator train`` keeps for quotes is
decided by these figures (see annotator/nlp/training_config.py).
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from bench_train import _rss_mb, labelled_records, write_jsonl  # noqa: E402

from annotator.core import Annotation, AnnotationStatus, Document, Layer, Span  # noqa: E402

SPANS_KEY = "sc"
CANDIDATES = "span_candidates"


def quotes_only(spans: Iterable[Span]) -> list[Span]:
    return [s for s in spans if s.layer == Layer.QUOTES and s.label == "QUOTE"]


def quote_figures(
    reference: dict[int, Annotation], candidate: dict[int, Annotation]
) -> dict[str, Any]:
    """QUOTE-only exact and overlap PRF of ``candidate`` with ``evaluate``'s scorer."""
    from annotator.agreement.spans import evaluate

    def only(anns: dict[int, Annotation]) -> dict[int, Annotation]:
        return {
            k: Annotation(
                document_id=k,
                annotator=a.annotator,
                spans=quotes_only(a.spans),
                status=AnnotationStatus.DONE,
            )
            for k, a in anns.items()
        }

    layer = evaluate(only(reference), only(candidate)).layers["quotes"]
    return {mode: layer[mode] for mode in ("exact", "overlap")}


def describe(figures: dict[str, Any]) -> str:
    return "  ".join(
        f"{mode} P {prf.p:.3f} R {prf.r:.3f} F {prf.f:.3f}" for mode, prf in figures.items()
    )


def spancat_config(max_length: int, steps: int, seed: int, threshold: float = 0.5) -> str:
    from spacy.cli.init_config import init_config

    config = init_config(
        lang="en",
        pipeline=["span_finder", "spancat"],
        optimize="efficiency",
        gpu=False,
        pretraining=False,
        silent=True,
    )
    config["components"]["span_finder"]["max_length"] = max_length
    # the span finder learns from, and writes its candidates to, a group of its own
    config["components"]["span_finder"]["spans_key"] = CANDIDATES
    # the stock 0.5: a token must look like a quote's start and another like its end
    config["components"]["span_finder"]["threshold"] = threshold
    config["components"]["spancat"]["suggester"] = {
        "@misc": "spacy.preset_spans_suggester.v1",
        "spans_key": CANDIDATES,
    }
    # the span finder must have written its candidates before spancat reads them
    config["training"]["annotating_components"] = ["span_finder"]
    config["training"]["max_steps"] = steps
    config["training"]["patience"] = steps  # no early stop while the score is 0
    config["training"]["eval_frequency"] = 150
    config["system"]["seed"] = seed
    return config.to_str()


def write_quote_docbin(pairs: Sequence[tuple[Document, Annotation]], path: Path, lang: str) -> None:
    from spacy.tokens import DocBin

    from annotator.formats.docbin import build_doc
    from annotator.nlp.tokenize import blank_pipeline

    vocab = blank_pipeline(lang).vocab
    out = DocBin(store_user_data=False)
    for doc, ann in pairs:
        spacy_doc = build_doc(doc, ann, vocab=vocab, lang=lang, span_key=SPANS_KEY)
        quotes = [s for s in spacy_doc.spans[SPANS_KEY] if s.label_ == "QUOTE"]
        spacy_doc.spans[SPANS_KEY] = quotes
        spacy_doc.spans[CANDIDATES] = quotes  # what the span finder learns to propose
        spacy_doc.ents = []
        out.add(spacy_doc)
    out.to_disk(path)


def train_spancat(
    work: Path, config: str, memory_gb: float
) -> tuple[Path | None, float, float, str]:
    """(model folder or None, wall s, peak RSS MB of the child, its last output)."""
    cfg = work / "spancat.cfg"
    cfg.write_text(config, "utf-8")
    limit = int(memory_gb * 1024**3)

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "spacy",
            "train",
            str(cfg),
            "--output",
            str(work / "spancat"),
            "--paths.train",
            str(work / "train.spacy"),
            "--paths.dev",
            str(work / "dev.spacy"),
        ],
        capture_output=True,
        text=True,
        preexec_fn=cap,
        check=False,
    )
    wall = time.perf_counter() - t0
    peak = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before) / 1024
    tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-12:])
    best = work / "spancat" / "model-best"
    return (best if proc.returncode == 0 and best.exists() else None), wall, peak, tail


def spancat_annotations(
    model: Path, pairs: Sequence[tuple[Document, Annotation]], lang: str
) -> dict[int, Annotation]:
    """Each held-out document's predicted QUOTE spans, on its own stored tokens."""
    import spacy
    from spacy.tokens import Doc

    from annotator.formats.docbin import words_and_spaces
    from annotator.formats.export_base import tokens_of

    nlp = spacy.load(model)
    out: dict[int, Annotation] = {}
    for doc, _ in pairs:
        words, spaces, _index = words_and_spaces(doc.text, tokens_of(doc))
        spacy_doc = Doc(nlp.vocab, words=words, spaces=spaces)
        for _name, proc in nlp.pipeline:
            spacy_doc = proc(spacy_doc)
        spans = [
            Span(s.start_char, s.end_char, s.label_, Layer.QUOTES)
            for s in spacy_doc.spans.get(SPANS_KEY, [])
        ]
        out[doc.id or 0] = Annotation(
            document_id=doc.id or 0,
            annotator="spancat",
            spans=spans,
            status=AnnotationStatus.DONE,
        )
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=120)
    ap.add_argument("--words", type=int, default=800)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--max-length", type=int, default=80, help="span finder's longest span")
    ap.add_argument("--steps", type=int, default=1500, help="training steps of both")
    ap.add_argument("--memory-gb", type=float, default=10.0)
    ap.add_argument("--spancat-only", action="store_true", help="skip annotator train")
    ap.add_argument("--threshold", type=float, default=0.5, help="span finder's threshold")
    args = ap.parse_args(argv)

    from annotator.app.project import Project
    from annotator.app.suggest import scheme_options
    from annotator.app.training import (
        TrainRequest,
        choose_examples,
        heldout_positions,
        train_model,
    )
    from annotator.app.training_scores import suggested_annotations
    from annotator.nlp.pipeline import load_suggester
    from annotator.nlp.training import load_trained

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        data = write_jsonl(
            labelled_records(args.articles, words=args.words, seed=args.seed), tmp / "a.jsonl"
        )
        with Project.open(tmp / "bench.db") as project:
            project.import_paths([data])
            _, pairs = choose_examples(project, None, False)
            held = heldout_positions(len(pairs), 0.2, args.seed)
            heldout = [p for i, p in enumerate(pairs) if i in held]
            training = [p for i, p in enumerate(pairs) if i not in held]
            reference = {d.id or 0: a for d, a in heldout}
            docs = [d for d, _ in heldout]
            options = scheme_options(project)
            n_quotes = sum(len(quotes_only(a.spans)) for _, a in heldout)
            print(
                f"{args.articles} generated articles of ~{args.words} words: "
                f"{len(training)} to train on, {len(heldout)} held out ({n_quotes} QUOTEs)"
            )

            rules = load_suggester(None)
            figures = quote_figures(
                reference, suggested_annotations(rules, docs, options, project.lang)
            )
            print(f"rules ({rules.info.key}): {describe(figures)}")

            if not args.spancat_only:
                rss0 = _rss_mb()
                t0 = time.perf_counter()
                result = train_model(
                    project,
                    TrainRequest(
                        name="bench",
                        out=tmp / "models",
                        seed=args.seed,
                        overrides=[f"training.max_steps={args.steps}"],
                    ),
                    say=lambda m: print("  " + m, flush=True),
                )
                wall = time.perf_counter() - t0
                trained = load_trained(Path(result.model.path))
                figures = quote_figures(
                    reference, suggested_annotations(trained, docs, options, project.lang)
                )
                print(
                    f"annotator train (ner quote layer, rules filling in): {describe(figures)}; "
                    f"training {wall:.0f} s, peak RSS {_rss_mb():.0f} MB (before {rss0:.0f} MB)"
                )
                trained.component.finder.rules = None  # type: ignore[attr-defined]
                figures = quote_figures(
                    reference, suggested_annotations(trained, docs, options, project.lang)
                )
                print(f"annotator train, its ner quote layer alone: {describe(figures)}")

            write_quote_docbin(training, tmp / "train.spacy", project.lang)
            write_quote_docbin(heldout, tmp / "dev.spacy", project.lang)
            config = spancat_config(args.max_length, args.steps, args.seed, args.threshold)
            model, wall, peak, tail = train_spancat(tmp, config, args.memory_gb)
            if model is None:
                print(
                    f"span_finder + spancat (max_length {args.max_length}): training "
                    f"FAILED after {wall:.0f} s, peak RSS {peak:.0f} MB "
                    f"(cap {args.memory_gb:g} GB):\n{tail}"
                )
                return 1
            figures = quote_figures(reference, spancat_annotations(model, heldout, project.lang))
            print(
                f"span_finder + spancat (max_length {args.max_length}, threshold "
                f"{args.threshold:g}): {describe(figures)}; "
                f"training {wall:.0f} s, peak RSS {peak:.0f} MB; the end of its log:\n{tail}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
