"""The training configs, overrides, the quote layer's examples and the trained quote finder."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import spacy
from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from annotator.core import QuoteKind
from annotator.nlp.pipeline import resolve_pipeline
from annotator.nlp.quotes_common import QuoteCandidate
from annotator.nlp.rules import RuleQuoteFinder
from annotator.nlp.training import quote_layer_doc
from annotator.nlp.training_config import (
    TrainingConfigError,
    apply_overrides,
    base_source,
    config_text,
    layer_config,
    parse_override,
)
from annotator.nlp.training_index import lookup, register
from annotator.nlp.training_pipeline import (
    MOVER,
    QUOTE_NER,
    QUOTE_SPANS_KEY,
    TrainedQuoteFinder,
    move_quote_spans,
    quote_kind,
    trained_finder,
)


@pytest.fixture(autouse=True)
def _index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANNOTATOR_MODELS_INDEX", str(tmp_path / "index.json"))


def test_override_parses_json_values_and_layers() -> None:
    o = parse_override("training.max_steps=500")
    assert (o.layer, o.path, o.value) == (None, ("training", "max_steps"), 500)
    o = parse_override("quotes:training.dropout=0.3")
    assert (o.layer, o.value) == ("quotes", 0.3)
    assert parse_override("nlp.lang=en").value == "en"  # not JSON: a string


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("training.max_steps", "section.key=value"),
        ("max_steps=3", "section.key"),
        ("verbs:training.max_steps=3", "unknown layer 'verbs'"),
    ],
)
def test_bad_override_syntax_is_e370(text: str, says: str) -> None:
    with pytest.raises(TrainingConfigError, match=says) as info:
        parse_override(text)
    assert "[E370]" in str(info.value)


def test_config_has_one_ner_with_its_own_tok2vec_and_our_defaults() -> None:
    cfg = layer_config("quotes", lang="en", train="t.spacy", dev="d.spacy")
    assert cfg["nlp"]["pipeline"] == ["ner"]
    assert "tok2vec" not in cfg["components"]
    assert cfg["components"]["ner"]["model"]["tok2vec"]["@architectures"] == "spacy.Tok2Vec.v2"
    assert cfg["paths"]["train"] == "t.spacy"
    assert cfg["training"]["max_steps"] == 1500
    text = config_text(cfg, header=["hello"])
    assert text.startswith("# hello\n") and "[components.ner.model.tok2vec.embed]" in text
    # spaCy reads it back as a config
    assert spacy.util.load_config_from_str(text)["training"]["patience"] == 600


def test_overrides_reach_their_layer_only() -> None:
    overrides = [parse_override("quotes:training.max_steps=7"), parse_override("training.seed=3")]
    ents = layer_config("entities", lang="en", train="t", dev="d", overrides=overrides)
    quotes = layer_config("quotes", lang="en", train="t", dev="d", overrides=overrides)
    assert ents["training"]["max_steps"] == 1500 and quotes["training"]["max_steps"] == 7
    assert ents["training"]["seed"] == quotes["training"]["seed"] == 3


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("training.max_stepz=3", "no setting 'max_stepz'"),
        ("trainer.max_steps=3", "no section [trainer]"),
        ("training.optimizer=3", "is a section"),
    ],
)
def test_unknown_setting_is_refused_with_what_is_there(text: str, says: str) -> None:
    cfg = layer_config("entities", lang="en", train="t", dev="d")
    with pytest.raises(TrainingConfigError, match=re.escape(says)) as info:
        apply_overrides(cfg, "entities", [parse_override(text)])
    assert "--show-config" in str(info.value)


def test_base_sources_the_ner_and_replaces_a_listener() -> None:
    own = {"model": {"tok2vec": {"@architectures": "spacy.Tok2Vec.v2"}}}
    shared = {"model": {"tok2vec": {"@architectures": "spacy.Tok2VecListener.v1"}}}
    assert base_source("en_x", own) == {"source": "en_x"}
    assert base_source("en_x", shared)["replace_listeners"] == ["model.tok2vec"]
    cfg = layer_config("entities", lang="en", train="t", dev="d", base="en_x", base_ner=own)
    assert cfg["components"]["ner"] == {"source": "en_x"}
    # the quote layer never starts from the base
    cfg = layer_config("quotes", lang="en", train="t", dev="d", base="en_x", base_ner=own)
    assert "source" not in cfg["components"]["ner"]


def _doc(words: list[str]) -> Doc:
    return Doc(spacy.blank("en").vocab, words=words)


def test_quote_layer_doc_keeps_the_longer_of_overlapping_spans() -> None:
    doc = _doc(["“", "We", "will", "win", ",", "”", "Ana", "Ruiz", "said", "."])
    doc.ents = [SpacySpan(doc, 6, 8, label="PERSON")]
    doc.spans["sc"] = [
        SpacySpan(doc, 0, 6, label="QUOTE"),
        SpacySpan(doc, 1, 2, label="SPEAKER"),  # inside the quote: dropped
        SpacySpan(doc, 6, 8, label="SPEAKER"),
        SpacySpan(doc, 8, 9, label="CUE"),
    ]
    out = quote_layer_doc(doc, "sc")
    assert [(e.start, e.end, e.label_) for e in out.ents] == [
        (0, 6, "QUOTE"),
        (6, 8, "SPEAKER"),
        (8, 9, "CUE"),
    ]
    assert [e.label_ for e in doc.ents] == ["PERSON"]  # the original is untouched


def test_mover_empties_ents_into_the_span_group() -> None:
    doc = _doc(["Ana", "said", "so"])
    doc.ents = [SpacySpan(doc, 0, 1, label="SPEAKER")]
    move_quote_spans(doc)
    assert list(doc.ents) == []
    assert [s.label_ for s in doc.spans[QUOTE_SPANS_KEY]] == ["SPEAKER"]


def test_finder_links_the_nearest_speaker_and_cue_without_crossing_a_quote() -> None:
    words = ["“", "A", "b", ",", "”", "Ana", "said", ".", "“", "C", "d", ".", "”", "\n",
             "Bo", "said", "that", "e", "f", "."]  # fmt: skip
    doc = _doc(words)
    doc.spans[QUOTE_SPANS_KEY] = [
        SpacySpan(doc, 0, 5, label="QUOTE"),
        SpacySpan(doc, 5, 6, label="SPEAKER"),
        SpacySpan(doc, 6, 7, label="CUE"),
        SpacySpan(doc, 8, 13, label="QUOTE"),
        SpacySpan(doc, 14, 15, label="SPEAKER"),
        SpacySpan(doc, 15, 16, label="CUE"),
        SpacySpan(doc, 17, 19, label="QUOTE"),
    ]
    cands = TrainedQuoteFinder(links="nearest").find(doc)
    got = [(c.start, c.end, c.kind, c.speaker, c.cue) for c in cands]
    assert got[0] == (0, 5, QuoteKind.DIRECT, (5, 6), (6, 7))
    # the second quote is in the first's paragraph: Ana, not Bo of the next paragraph
    assert got[1][:3] == (8, 13, QuoteKind.DIRECT) and got[1][3] == (5, 6)
    assert got[2] == (17, 19, QuoteKind.INDIRECT, (14, 15), (15, 16))


def test_nearest_keeps_to_the_quotes_sentence_before_a_nearer_name_across_its_end() -> None:
    # "Ana is certain b c. Bo warned that d e." — Bo is one token from the first quote,
    # Ana two; Ana is in its sentence. A sentence mark inside a quote crosses nothing.
    words = ["Ana", "is", "certain", "b", "c", ".", "Bo", "warned", "that", "d", "e", ".",
             "“", "F", "g", ".", "”", "Cy", "said", "."]  # fmt: skip
    doc = _doc(words)
    doc.spans[QUOTE_SPANS_KEY] = [
        SpacySpan(doc, 0, 1, label="SPEAKER"),
        SpacySpan(doc, 2, 3, label="CUE"),
        SpacySpan(doc, 3, 5, label="QUOTE"),
        SpacySpan(doc, 6, 7, label="SPEAKER"),
        SpacySpan(doc, 7, 8, label="CUE"),
        SpacySpan(doc, 9, 11, label="QUOTE"),
        SpacySpan(doc, 12, 17, label="QUOTE"),
        SpacySpan(doc, 17, 18, label="SPEAKER"),
        SpacySpan(doc, 18, 19, label="CUE"),
    ]
    got = [(c.start, c.end, c.speaker, c.cue) for c in TrainedQuoteFinder("nearest").find(doc)]
    assert got == [
        (3, 5, (0, 1), (2, 3)),
        (9, 11, (6, 7), (7, 8)),
        (12, 17, (17, 18), (18, 19)),
    ]


def test_quote_kind_mixed() -> None:
    doc = _doc(["it", "was", "“", "great", "”"])
    assert quote_kind(doc, 0, 5) == QuoteKind.MIXED
    assert quote_kind(doc, 2, 5) == QuoteKind.DIRECT
    assert quote_kind(doc, 0, 2) == QuoteKind.INDIRECT


def test_index_finds_latest_or_one_version_and_forgets_removed_folders(tmp_path: Path) -> None:
    for v in (1, 2):
        folder = tmp_path / f"m-v{v}"
        spacy.blank("en").to_disk(folder)
        register("m", v, folder)
    assert lookup("m") == str((tmp_path / "m-v2").resolve())
    assert lookup("m-v1") == str((tmp_path / "m-v1").resolve())
    assert lookup("other") is None
    assert lookup("en_m-1") == str((tmp_path / "m-v1").resolve())  # the suggestion set's key
    (tmp_path / "m-v2" / "meta.json").unlink()
    assert lookup("m") == str((tmp_path / "m-v1").resolve())
    data = json.loads((tmp_path / "index.json").read_text())
    assert set(data["m"]) == {"1", "2"}


def test_pipeline_names_resolve_through_the_index(tmp_path: Path) -> None:
    folder = tmp_path / "named-v1"
    nlp = spacy.blank("en")
    nlp.meta["name"] = "named"
    nlp.meta["version"] = "1"
    nlp.to_disk(folder)
    register("named", 1, folder)
    info = resolve_pipeline("named", installed=[])
    assert (info.name, info.version, info.path) == ("en_named", "1", str(folder.resolve()))


class _Rules:
    """A finder as the quote rules are one: candidates with their own speaker bounds."""

    def find(self, doc: Doc, *, indirect_cognition: bool = False) -> list[QuoteCandidate]:
        return [QuoteCandidate(0, 5, QuoteKind.DIRECT, 0.9, speaker=(6, 7), cue=(7, 8))]


def test_rules_links_choose_and_the_model_gives_the_bounds() -> None:
    doc = _doc(["“", "A", "b", ",", "”", "Ana", "Ruiz", "said", "and", "Bo", "nodded"])
    doc.spans[QUOTE_SPANS_KEY] = [
        SpacySpan(doc, 0, 5, label="QUOTE"),
        SpacySpan(doc, 9, 10, label="SPEAKER"),  # nearest would not pick it: farther
        SpacySpan(doc, 5, 7, label="SPEAKER"),
    ]
    (cand,) = TrainedQuoteFinder(links="rules", rules=_Rules()).find(doc)
    assert cand.speaker == (5, 7)  # the rules' "Ruiz", the model's "Ana Ruiz"
    assert cand.cue == (7, 8)  # no predicted CUE: the rules' own


def _pipeline_of_train(*extra: str) -> spacy.language.Language:
    """A pipeline shaped as ``annotator train`` writes one (untrained: never run)."""
    nlp = spacy.blank("en")
    nlp.add_pipe("ner", name=QUOTE_NER)
    nlp.add_pipe(MOVER)
    for name in extra:
        nlp.add_pipe(name)
    nlp.add_pipe("ner")
    return nlp


def test_a_trained_pipeline_without_a_parser_gets_sentences_for_the_rules() -> None:
    nlp = _pipeline_of_train()
    assert isinstance(trained_finder(nlp), TrainedQuoteFinder)
    assert nlp.pipe_names == [QUOTE_NER, MOVER, "sentencizer", "ner"]
    trained_finder(nlp)  # loading twice adds nothing
    assert nlp.pipe_names.count("sentencizer") == 1
    # a pipeline that sets sentences itself is left as it is
    with_senter = _pipeline_of_train("senter")
    trained_finder(with_senter)
    assert "sentencizer" not in with_senter.pipe_names


def test_the_rules_keep_a_speaker_to_its_sentence_once_sentences_are_set() -> None:
    text = "“The line will close,” Ana Ruiz warned. Bo Kim said: “The port will open.”"
    rules = RuleQuoteFinder()
    nlp = spacy.blank("en")
    bare = nlp(text)
    assert not bare.has_annotation("SENT_START")
    nlp.add_pipe("sentencizer")
    for doc, second in ((bare, "Ana Ruiz warned. Bo Kim"), (nlp(text), "Bo Kim")):
        speakers = [c.speaker for c in rules.find(doc)]
        assert len(speakers) == 2 and speakers[1] is not None
        assert doc[speakers[1][0] : speakers[1][1]].text == second
