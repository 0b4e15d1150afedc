"""The project's tokenizer: spaCy's rule-based tokenizer for the project language.

Documents are tokenized once and the tokens stored, so a later spaCy upgrade
cannot shift saved spans.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

from annotator.core import Token

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc


@lru_cache(maxsize=4)
def blank_pipeline(lang: str = "en") -> Language:
    from annotator.nlp import import_spacy

    return import_spacy().blank(lang)


def tokens_of(doc: Doc) -> list[Token]:
    return [Token(t.idx, t.idx + len(t.text), bool(t.whitespace_)) for t in doc]


def tokenize(text: str, lang: str = "en") -> list[Token]:
    return tokens_of(blank_pipeline(lang).make_doc(text))


def tokenize_many(texts: Iterable[str], lang: str = "en") -> Iterator[list[Token]]:
    tokenizer = blank_pipeline(lang).tokenizer
    for doc in tokenizer.pipe(texts):
        yield tokens_of(doc)


def doc_from_tokens(text: str, tokens: list[Token], lang: str = "en") -> Doc:
    """A spaCy ``Doc`` whose tokens are exactly the stored ones and whose text is ``text``."""
    from spacy.tokens import Doc

    vocab = blank_pipeline(lang).vocab
    words = [text[t.start : t.end] for t in tokens]
    spaces = [t.ws for t in tokens]
    return Doc(vocab, words=words, spaces=spaces)
