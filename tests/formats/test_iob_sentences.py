"""IOB sentence breaks: the export's own rule against spaCy's real sentencizer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

spacy = pytest.importorskip("spacy")

from annotator.formats.docbin import words_and_spaces  # noqa: E402
from annotator.formats.iob import sentence_starts  # noqa: E402
from annotator.nlp.tokenize import tokenize  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]

TEXTS = [
    "",
    "No full stop here",
    "One. Two! Three? Four…",
    '"Stop," he said. "Now." Then: nothing!!! (Really?) Yes.',
    "A period... then more.  Two spaces.\n\nA new paragraph 😀. Emoji 🐈 end.",
    "Mr. Smith met Dr. Jones at 5 p.m. in the U.S. They talked.",
    "Quote: «Да.» Ответ. 「はい。」 Done 。 末",
    ". . . leading dots, and a trailing one .",
    "Ends with a gap.   \n",
]


def _spacy_starts(words: list[str], spaces: list[bool]) -> set[int]:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    doc = nlp(spacy.tokens.Doc(nlp.vocab, words=words, spaces=spaces))
    return {s.start for s in doc.sents}


@pytest.mark.parametrize("text", TEXTS)
def test_sentence_starts_are_the_sentencizers(text: str) -> None:
    words, spaces, _ = words_and_spaces(text, tokenize(text))
    assert sentence_starts(words) == _spacy_starts(words, spaces)


def test_sentence_starts_match_on_the_sample_articles() -> None:
    seeds = sorted((ROOT / "seeds").glob("*"))
    texts = []
    for path in seeds:
        if path.suffix == ".txt":
            texts.append(path.read_text(encoding="utf-8"))
        elif path.suffix == ".jsonl":
            texts += [json.loads(line)["text"] for line in path.read_text("utf-8").splitlines()]
    assert texts
    for text in texts:
        words, spaces, _ = words_and_spaces(text, tokenize(text))
        assert sentence_starts(words) == _spacy_starts(words, spaces)
