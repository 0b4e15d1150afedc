"""The project's tokenizer: spaCy's rule-based tokenizer for the project language.

Documents are tokenized once and the tokens stored, so a later spaCy upgrade
cannot shift saved spans.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from annotator.core import Token
from annotator.core.token_array import TokenArray, concat

_SMALL = 2**31 - 1

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc


@lru_cache(maxsize=4)
def blank_pipeline(lang: str = "en") -> Language:
    from annotator.nlp import import_spacy

    return import_spacy().blank(lang)


# Characters tokenized at once: a spaCy Doc costs about 100 bytes a token, so a 20 MB
# article is tokenized in pieces (cut where the tokenizer splits anyway).
TOKENIZE_CHUNK = 100_000


def tokens_of(doc: Doc, offset: int = 0) -> TokenArray:
    """The Doc's tokens (shifted by ``offset``) as a compact :class:`TokenArray`."""
    import numpy
    from spacy.attrs import IDX, LENGTH, SPACY

    if not len(doc):
        return TokenArray.empty()
    # one array call: a spaCy Token object per token costs more than the tokenizing;
    # the columns go into the arrays as bytes, no Python object per token
    rows = doc.to_array([IDX, LENGTH, SPACY]).astype(numpy.int64)
    starts = rows[:, 0] + offset
    ends = starts + rows[:, 1]
    typecode, dtype = ("i", numpy.int32) if int(ends[-1]) < _SMALL else ("q", numpy.int64)
    return TokenArray(
        _column(typecode, starts.astype(dtype)),
        _column(typecode, ends.astype(dtype)),
        (rows[:, 2] != 0).astype(numpy.uint8).tobytes(),
    )


def _column(typecode: str, values: Any) -> array[int]:
    out = array(typecode)
    out.frombytes(values.tobytes())
    return out


def same_tokenizer(nlp: Language, lang: str = "en") -> bool:
    """Whether ``nlp`` tokenizes exactly as the project's tokenizer: the same
    language and the same serialized rules (prefixes, suffixes, infixes, special
    cases, URL and token patterns); the vocabulary may differ."""
    import srsly

    if nlp.lang != lang:
        return False
    mine = getattr(nlp.tokenizer, "to_bytes", None)
    theirs = getattr(blank_pipeline(lang).tokenizer, "to_bytes", None)
    if mine is None or theirs is None:
        return False  # a custom tokenizer function: use the project's
    try:
        ours = srsly.msgpack_loads(mine(exclude=["vocab"]))
        project = srsly.msgpack_loads(theirs(exclude=["vocab"]))
    except Exception:  # a custom tokenizer that cannot serialize: use the project's
        return False
    return bool(ours == project)


def tokenize(text: str, lang: str = "en") -> TokenArray:
    # the tokenizer itself, not make_doc: tokens need no max_length (E088 is about
    # the memory of the pipeline's models, which run on pieces of a long text)
    return _tokenize(blank_pipeline(lang).tokenizer, text)


def tokenize_many(texts: Iterable[str], lang: str = "en") -> Iterator[TokenArray]:
    tokenizer = blank_pipeline(lang).tokenizer
    for text in texts:
        yield _tokenize(tokenizer, text)


def _tokenize(tokenizer: Callable[[str], Doc], text: str) -> TokenArray:
    if len(text) <= TOKENIZE_CHUNK:
        return tokens_of(tokenizer(text))
    # each chunk's Doc is freed before the next is made; only the arrays grow
    return concat(tokens_of(tokenizer(chunk), offset) for offset, chunk in _chunks(text))


def _chunks(text: str) -> Iterator[tuple[int, str]]:
    """Pieces of a long text with their offsets, each cut right after a single space
    between two non-space characters: spaCy's tokenizer splits on that space before
    anything else, so the pieces' tokens are the whole text's."""
    n = len(text)
    pos = 0
    while n - pos > TOKENIZE_CHUNK:
        lo, j = pos + TOKENIZE_CHUNK // 2, pos + TOKENIZE_CHUNK
        cut = -1
        while (j := text.rfind(" ", lo, j)) > lo:
            if not text[j - 1].isspace() and j + 1 < n and not text[j + 1].isspace():
                cut = j + 1
                break
        if cut < 0:
            break  # no such space in the window: the rest in one go
        yield pos, text[pos:cut]
        pos = cut
    yield pos, text[pos:]


def doc_from_tokens(text: str, tokens: Sequence[Token], lang: str = "en") -> Doc:
    """A spaCy ``Doc`` whose tokens are exactly the stored ones and whose text is ``text``."""
    from spacy.tokens import Doc

    vocab = blank_pipeline(lang).vocab
    words = [text[t.start : t.end] for t in tokens]
    spaces = [t.ws for t in tokens]
    return Doc(vocab, words=words, spaces=spaces)
