"""Long texts: cutting into pieces, stitching the suggestions back, tokenizing past max_length."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from spacy.tokens import Doc

from annotator.core import validate_span
from annotator.nlp.pieces import cut_pieces
from annotator.nlp.quotes_component import COMPONENT, RESULT_KEY
from annotator.nlp.suggester import Suggester, Suggestions
from annotator.nlp.tokenize import TOKENIZE_CHUNK, blank_pipeline, tokenize, tokens_of

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def _seed(i: int = 0) -> str:
    return sorted(SEEDS.glob("*.txt"))[i].read_text(encoding="utf-8")


def _keys(sugg: Suggestions, shift: int = 0) -> set[tuple[int, int, str, object, object]]:
    return {(s.start + shift, s.end + shift, s.label, s.kind, s.confidence) for s in sugg.spans}


def _relations(sugg: Suggestions, shift: int = 0) -> set[tuple[int, int, int, int, str]]:
    return {
        (r.head.start + shift, r.head.end + shift, r.child.start + shift, r.child.end + shift,
         str(r.label))
        for r in sugg.relations
    }  # fmt: skip


def _small_pieces(base: Suggester, piece_chars: int) -> Suggester:
    """A suggester over the same loaded pipeline that cuts at ``piece_chars``."""
    sugg = Suggester(base.nlp, base.info)
    sugg.piece_chars = piece_chars
    return sugg


def test_pieces_tile_the_text_at_token_boundaries() -> None:
    text = "\n".join(_seed(i) for i in range(5)) * 3
    tokens = tokenize(text)
    pieces = cut_pieces(text, tokens, 1500)
    assert len(pieces) > 5
    assert pieces[0].start == 0 and pieces[-1].end == len(text)
    for a, b in itertools.pairwise(pieces):
        assert a.end == b.start and a.stop == b.first
        assert a.end == tokens[b.first].start  # a cut is where a stored token starts
    for p in pieces:
        assert p.end - p.start <= 1500
        # news paragraphs are short: every cut falls on a paragraph break
        if p.end < len(text):
            assert "\n" in text[tokens[p.stop - 1].start : p.end]


def test_pieces_of_one_paragraph_end_at_sentences_outside_quotes() -> None:
    sentence = "The talks went on for hours in Geneva. "
    quote = "“We will not give up. We will never give up. We will fight on,” she said. "
    text = (sentence * 20 + quote) * 40
    assert "\n" not in text
    tokens = tokenize(text)
    pieces = cut_pieces(text, tokens, 1200)
    assert len(pieces) > 10
    for p in pieces[:-1]:
        before = text[p.start : p.end].rstrip()
        assert before.endswith(".")  # a sentence end, never mid-sentence
        assert not p.quoted_end
        # not inside the quotation: as many opening as closing marks before the cut
        assert text[: p.end].count("“") == text[: p.end].count("”")


def test_pieces_inside_a_quotation_longer_than_a_piece_are_marked() -> None:
    text = "“" + "We will not give up. " * 200 + "”, she said."
    tokens = tokenize(text)
    pieces = cut_pieces(text, tokens, 1000)
    assert len(pieces) > 2
    assert all(p.quoted_end for p in pieces[:-1])


def test_pieces_a_token_longer_than_a_piece_stays_whole() -> None:
    text = "a" * 5000 + " end of it."
    tokens = tokenize(text)
    pieces = cut_pieces(text, tokens, 1000)
    assert pieces[0].end == 5001 and pieces[-1].end == len(text)


def test_suggester_stitches_pieces_back_at_their_offsets(parser_suggester: Suggester) -> None:
    one = _seed(0)
    text = one + "\n" + one  # the cut falls on the paragraph break between the copies
    small = _small_pieces(parser_suggester, len(one) + 1)
    assert [(p.start, p.end) for p in cut_pieces(text, tokenize(text), small.piece_chars)] == [
        (0, len(one) + 1), (len(one) + 1, len(text)),
    ]  # fmt: skip
    whole = parser_suggester.suggest(one, tokenize(one))
    got = small.suggest(text, tokenize(text))
    assert whole.spans
    assert _keys(got) == _keys(whole) | _keys(whole, len(one) + 1)
    assert _relations(got) == _relations(whole) | _relations(whole, len(one) + 1)
    tokens = tokenize(text)
    for span in got.spans:
        validate_span(span, text, tokens)
    assert got.words == 2 * whole.words


def test_suggester_pieces_in_worker_processes_match_one_process(
    rule_suggester: Suggester,
) -> None:
    text = "\n".join(_seed(i) for i in range(5))
    small = _small_pieces(rule_suggester, 900)
    short = "“We will see what happens next,” Anna Petrova said in Moscow."
    items = [(i, text, tokenize(text)) for i in range(3)] + [(9, short, tokenize(short))]
    one = dict(small.suggest_many(items, batch_size=2))
    two = dict(small.suggest_many(items, batch_size=2, n_process=2))
    assert list(two) == [0, 1, 2, 9]
    for key in one:
        assert one[key].spans == two[key].spans
        assert one[key].relations == two[key].relations
    assert one[9].spans == rule_suggester.suggest(short, tokenize(short)).spans
    assert len(one[0].spans) > len(one[9].spans)


def test_suggester_texts_past_max_length_are_suggested(rule_suggester: Suggester) -> None:
    from annotator.nlp.rules import build_rule_pipeline

    nlp = build_rule_pipeline()
    nlp.max_length = 2000  # a pipeline that refuses long texts (E088)
    sugg = Suggester(nlp, rule_suggester.info)
    assert sugg.piece_chars == 2000
    text = "\n".join(_seed(i) for i in range(5))
    assert len(text) > 5 * nlp.max_length
    got = sugg.suggest(text, tokenize(text))
    assert {s.label for s in got.spans} >= {"PERSON", "GPE", "QUOTE"}
    assert max(s.end for s in got.spans) > len(text) - 2000  # the last piece too


def test_tokenize_past_spacy_max_length_gives_the_tokenizer_tokens() -> None:
    text = ("Mr. Ryabkov said: “We’ll see.” " * 40_000) + "\nThe end."
    assert len(text) > blank_pipeline().max_length > TOKENIZE_CHUNK
    tokens = tokenize(text)  # was E088: make_doc refuses texts over max_length
    assert tokens == tokens_of(blank_pipeline().tokenizer(text))


def test_quote_component_is_last_and_its_findings_survive_bytes(
    parser_suggester: Suggester,
) -> None:
    nlp = parser_suggester.nlp
    assert nlp.pipe_names[-1] == COMPONENT
    text = _seed(0)
    tokens = tokenize(text)
    from annotator.nlp.suggester import doc_for_tokens

    doc = nlp(doc_for_tokens(nlp, text, tokens))
    assert doc.tensor.size == 0  # nothing after the component needs it; workers send less
    back = Doc(nlp.vocab).from_bytes(doc.to_bytes())  # what a worker process sends
    assert back.user_data[RESULT_KEY]["quotes"]
    direct = parser_suggester.from_doc(back, text, tokens)
    assert direct.spans == parser_suggester.suggest(text, tokens).spans


@pytest.mark.parametrize(("text", "words"), [("Hello, world!", 2), ("“Yes,” he said.\n\n", 3),
                                             ("In 2025 prices rose 5 %.", 5)])
def test_suggester_counts_words_not_tokens(  # spaCy's is_punct takes "%" for punctuation
    rule_suggester: Suggester, text: str, words: int
) -> None:
    assert rule_suggester.suggest(text, tokenize(text)).words == words
