"""Writers and readers without a database: Documents and Annotations built in the test."""

from __future__ import annotations

import itertools
import json
import zipfile
import zlib
from pathlib import Path

import pytest
import srsly

from annotator.core import (
    Annotation,
    AnnotationStatus,
    Document,
    Layer,
    QuoteKind,
    Relation,
    RelationLabel,
    Span,
    Token,
)
from annotator.formats.align import AlignmentError, build_annotation
from annotator.formats.docbin import (
    DocBinWriter,
    build_doc,
    docbin_of,
    read_docbin,
    words_and_spaces,
)
from annotator.formats.doccano import doccano_from, read_doccano
from annotator.formats.export_base import SpanPlacementError
from annotator.formats.iob import IobWriter, iob_lines, read_iob
from annotator.formats.jsonl import read_jsonl
from annotator.formats.jsonl_writer import JsonlWriter, task_from
from annotator.formats.prodigy_hash import input_hash
from annotator.formats.records import ImportRecord, Problem
from annotator.formats.registry import UnknownFormatError, format_for, writer_for
from annotator.nlp.tokenize import tokenize

TEXT = '  Maria Lopez said: "Prices rose in Lima."\n\nOfficials  disagreed.\n'


def _quote_doc() -> tuple[Document, Annotation]:
    doc = Document(text=TEXT, tokens=tokenize(TEXT), id=7, external_id="a.txt")
    q = TEXT.index('"Prices')
    quote = Span(q, TEXT.index("\n"), "QUOTE", Layer.QUOTES, kind=QuoteKind.DIRECT)
    lima = TEXT.index("Lima")
    speaker = Span(2, 13, "SPEAKER", Layer.QUOTES)
    cue = Span(14, 18, "CUE", Layer.QUOTES)
    ann = Annotation(
        7,
        "alice",
        spans=[Span(lima, lima + 4, "GPE"), quote, Span(2, 13, "PERSON"), cue, speaker],
        relations=[
            Relation(quote.key, speaker.key, RelationLabel.SPEAKER),
            Relation(quote.key, cue.key, RelationLabel.CUE),
        ],
        status=AnnotationStatus.DONE,
    )
    return doc, ann


def test_docbin_build_doc_has_the_exact_text_ents_and_quotes() -> None:
    doc, ann = _quote_doc()
    spacy_doc = build_doc(doc, ann)
    assert spacy_doc.text == TEXT
    assert [(e.text, e.label_) for e in spacy_doc.ents] == [
        ("Maria Lopez", "PERSON"),
        ("Lima", "GPE"),
    ]
    assert [(s.text, s.label_) for s in spacy_doc.spans["sc"]] == [
        ("Maria Lopez", "SPEAKER"),
        ("said", "CUE"),
        ('"Prices rose in Lima."', "QUOTE"),
    ]
    assert spacy_doc.user_data["span_kinds"] == [None, None, "direct"]
    assert spacy_doc.user_data["relations"] == [[2, 0, "speaker"], [2, 1, "cue"]]
    assert spacy_doc.user_data["doc_id"] == 7


def test_docbin_words_and_spaces_fill_gaps_of_foreign_tokens() -> None:
    text = "A  b\tc "
    tokens = [Token(0, 1), Token(3, 4), Token(5, 6)]  # no whitespace tokens stored
    words, spaces, index = words_and_spaces(text, tokens)
    assert "".join(w + (" " if s else "") for w, s in zip(words, spaces, strict=True)) == text
    assert index == [0, 2, 4]
    doc = Document(text=text, tokens=tokens, id=1)
    spacy_doc = build_doc(doc, Annotation(1, "a", spans=[Span(3, 4, "X"), Span(5, 6, "Y")]))
    assert spacy_doc.text == text
    assert [e.text for e in spacy_doc.ents] == ["b", "c"]


def test_docbin_writer_streams_what_docbin_to_bytes_writes(tmp_path: Path) -> None:
    from spacy.tokens import Doc
    from spacy.tokens import Span as SpacySpan

    from annotator.nlp.tokenize import blank_pipeline

    doc, ann = _quote_doc()
    docs = [build_doc(doc, ann) for _ in range(3)]
    # A Doc from elsewhere: tags, lemmas, morphs, kb ids, cats, several span groups, none.
    rich = Doc(
        blank_pipeline("en").vocab,
        words=["Ms", "Lopez", "won", "."],
        spaces=[True, False, False, False],
    )
    for tok, tag, morph in zip(
        rich, ["NNP", "NNP", "VBD", "."], ["", "Number=Sing", "Tense=Past", ""], strict=True
    ):
        tok.tag_, tok.lemma_ = tag, tok.text.lower()
        if morph:
            tok.set_morph(morph)
    rich.ents = [SpacySpan(rich, 0, 2, label="PERSON", kb_id="Q1")]
    rich.spans["a"] = [SpacySpan(rich, 2, 3, label="CUE")]
    rich.spans["b"] = rich.spans["a"]
    rich.cats = {"POLITICS": 1.0}
    plain = Doc(rich.vocab, words=["Nothing", "here"])
    docs += [rich, plain]
    writer = DocBinWriter(tmp_path / "out.spacy")
    writer.add_docs(docs)
    writer.close()
    mine = srsly.msgpack_loads(zlib.decompress((tmp_path / "out.spacy").read_bytes()))
    theirs = srsly.msgpack_loads(zlib.decompress(docbin_of(docs).to_bytes()))
    assert mine == theirs
    back = list(read_docbin(tmp_path / "out.spacy"))
    assert len(back) == 5 and back[2].text == TEXT
    assert [t.lemma_ for t in back[3]] == ["ms", "lopez", "won", "."]
    assert str(back[3][1].morph) == "Number=Sing" and back[3].ents[0].kb_id_ == "Q1"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.spacy"]  # spools removed


def test_docbin_unplaceable_span_is_an_error_not_a_loss(tmp_path: Path) -> None:
    doc, ann = _quote_doc()
    ann.spans.append(Span(3, 6, "ORG"))  # inside "Maria"
    with pytest.raises(SpanPlacementError, match=r"E320.*document 7 \(a.txt\).*ORG 3-6 'ari'"):
        build_doc(doc, ann)
    writer = DocBinWriter(tmp_path / "x.spacy")
    with pytest.raises(SpanPlacementError):
        writer.add(doc, ann)
    writer.abort()
    assert list(tmp_path.iterdir()) == []


def test_jsonl_task_is_prodigy_shaped() -> None:
    doc, ann = _quote_doc()
    task = task_from(doc, ann)
    tokens = task["tokens"]
    assert tokens[0] == {"text": "  ", "start": 0, "end": 2, "id": 0, "ws": False}
    quote = next(s for s in task["spans"] if s["label"] == "QUOTE")
    assert tokens[quote["token_start"]]["text"] == '"'
    assert tokens[quote["token_end"]]["end"] == quote["end"]  # inclusive token_end
    assert quote["kind"] == "direct" and quote["layer"] == "quotes"
    rel = task["relations"][0]
    assert rel["label"] == "speaker"
    assert rel["head"] == quote["token_end"] and rel["child"] == rel["child_span"]["token_end"]
    assert task["answer"] == "accept" and task["_annotator_id"] == "alice"
    assert task["meta"] == {"id": "a.txt"}
    assert -(2**31) <= task["_input_hash"] < 2**31
    assert task["_input_hash"] == input_hash({"text": TEXT})
    other = ann.copy()
    other.spans = other.spans[:-1]
    other.relations = other.relations[1:]
    changed = task_from(doc, other)
    assert changed["_input_hash"] == task["_input_hash"]
    assert changed["_task_hash"] != task["_task_hash"]


def test_jsonl_hash_scheme_is_pinned() -> None:
    # Prodigy's own number for this text (a real db-out): ours must be the same, or
    # Prodigy takes every exported task for a new question.
    assert input_hash({"text": "Hi. My name is Vincent"}) == 1333440749


def test_jsonl_answers_follow_status(tmp_path: Path) -> None:
    doc, ann = _quote_doc()
    out = tmp_path / "a.jsonl"
    writer = JsonlWriter(out)
    for status, flagged in [
        (AnnotationStatus.DONE, False),
        (AnnotationStatus.SKIPPED, False),
        (AnnotationStatus.SKIPPED, True),
        (AnnotationStatus.IN_PROGRESS, False),
    ]:
        a = ann.copy()
        a.status, a.flagged = status, flagged
        writer.add(doc, a)
    assert not out.exists()  # published only on close
    writer.close()
    tasks = [json.loads(x) for x in out.read_text().splitlines()]
    assert [t.get("answer") for t in tasks] == ["accept", "ignore", "reject", None]
    records = [r for r in read_jsonl(out) if isinstance(r, ImportRecord)]
    assert [r.answer for r in records] == ["accept", "ignore", "reject", None]


def test_doccano_export_keeps_kinds_in_a_column() -> None:
    doc, ann = _quote_doc()
    obj = doccano_from(doc, ann)
    labels = [e["label"] for e in obj["entities"]]
    assert labels == ["PERSON", "SPEAKER", "CUE", "QUOTE", "GPE"]
    quote = obj["entities"][3]
    assert obj["quote_kinds"] == {f"{quote['start_offset']}:{quote['end_offset']}": "direct"}
    assert obj["relations"] == [
        {"id": 0, "from_id": 3, "to_id": 1, "type": "speaker"},
        {"id": 1, "from_id": 3, "to_id": 2, "type": "cue"},
    ]
    # every line has every column (doccano's import fails on a column some lines lack)
    assert obj["answer"] == "accept" and obj["span_layers"] == {}


def test_doccano_reader_takes_all_its_forms(tmp_path: Path) -> None:
    text = "Maria Lopez met John."
    src = tmp_path / "d.jsonl"
    src.write_text(
        "\n".join(
            [
                json.dumps({"id": 1, "text": text, "label": [[0, 11, "PERSON"]], "source": "x"}),
                json.dumps({"data": text, "entities": [[16, 20, "PERSON"]]}),
                json.dumps(
                    {
                        "text": text,
                        "entities": [{"id": 9, "label": "PERSON", "start_offset": 0}],
                    }
                ),
                json.dumps(
                    {
                        "text": text,
                        "entities": [],
                        "relations": [{"from_id": 1, "to_id": 2, "type": "x"}],
                    }
                ),
            ]
        )
        + "\n"
    )
    items = list(read_doccano(src))
    first, second = items[0], items[1]
    assert isinstance(first, ImportRecord) and isinstance(second, ImportRecord)
    assert (first.external_id, first.meta, first.answer) == ("x", {"source": "x"}, "accept")
    assert [(s.start, s.end, s.label) for s in first.spans or []] == [(0, 11, "PERSON")]
    assert second.text == text and second.external_id == "d.jsonl:2"
    assert items[2] == Problem(str(src), 3, "entity 0 end_offset must be an integer, got None")
    assert items[3] == Problem(
        str(src), 4, "relation 0 points at an entity id that is not in this line"
    )


def test_doccano_zip_reports_files_that_are_not_jsonl(tmp_path: Path) -> None:
    zpath = tmp_path / "e.zip"
    with zipfile.ZipFile(zpath, "w") as z:
        z.writestr("all.jsonl", json.dumps({"text": "Hi there.", "label": []}) + "\n")
        z.writestr("notes.txt", "hello")
    items = list(read_doccano(zpath))
    assert isinstance(items[0], ImportRecord) and items[0].annotator is None
    assert isinstance(items[1], Problem) and items[1].message == "not a JSONL file; skipped"


def test_iob_lines_split_sentences_and_lines_and_skip_whitespace() -> None:
    doc, ann = _quote_doc()
    lines = iob_lines(doc, ann)
    assert lines[:3] == ["Maria B-PERSON", "Lopez I-PERSON", "said O"]
    assert "Lima B-GPE" in lines
    assert not any(line.split()[0].isspace() for line in lines if line)
    blank = lines.index("")
    assert lines[blank + 1] == "Officials O"
    for prev, line in itertools.pairwise(lines):
        if line.endswith(tuple(f"I-{x}" for x in ("PERSON", "GPE"))):
            assert prev != ""


def test_iob_round_trip_and_tag_schemes(tmp_path: Path) -> None:
    doc, ann = _quote_doc()
    out = tmp_path / "a.iob"
    writer = IobWriter(out)
    writer.add(doc, ann)
    writer.add(doc, ann)
    writer.close()
    assert out.read_text().startswith("-DOCSTART- -X- O O\n\nMaria B-PERSON\n")
    records = list(read_iob(out))
    assert len(records) == 2 and all(isinstance(r, ImportRecord) for r in records)
    rec = records[0]
    assert isinstance(rec, ImportRecord)
    assert [(rec.text[s.start : s.end], s.label) for s in rec.spans or []] == [
        ("Maria Lopez", "PERSON"),
        ("Lima", "GPE"),
    ]
    other = tmp_path / "b.conll"
    other.write_text(
        "EU NNP B-NP I-ORG\nrejects VBZ B-VP O\nGerman JJ B-NP I-MISC\ncall NN I-NP O\n\n"
        "New U-LOC\nYork B-LOC\nCity L-LOC\n\n-DOCSTART- -X- O O\n\nBad X-TAG\n"
    )
    items = list(read_iob(other))
    warnings = [i for i in items if isinstance(i, Problem) and i.warning]
    # IOB1 opens an entity with I-: read as B-, and said so with the line
    assert [(w.line, w.message.split(":")[0]) for w in warnings] == [
        (1, "I-ORG does not follow B-ORG or I-ORG"),
        (3, "I-MISC does not follow B-MISC or I-MISC"),
    ]
    first, bad = [i for i in items if i not in warnings]
    assert isinstance(first, ImportRecord)
    assert first.text == "EU rejects German call\nNew York City"
    assert [(first.text[s.start : s.end], s.label) for s in first.spans or []] == [
        ("EU", "ORG"),
        ("German", "MISC"),
        ("New", "LOC"),
        ("York City", "LOC"),
    ]
    assert isinstance(bad, Problem) and (bad.source, bad.line) == (str(other), 12)
    assert bad.message.startswith("unknown tag 'X-TAG'")


def test_align_reports_spans_that_would_merge() -> None:
    text = "Maria Lopez spoke."
    (rec,) = read_doccano_rows({"text": text, "label": [[0, 10, "PERSON"], [0, 11, "PERSON"]]})
    with pytest.raises(AlignmentError, match="snap to the same tokens 0-11 'Maria Lopez'"):
        build_annotation(rec, tokenize(text), "a")


def read_doccano_rows(*rows: dict) -> list[ImportRecord]:
    from annotator.formats.doccano import record_from_doccano

    return [record_from_doccano(r, "mem", i) for i, r in enumerate(rows, start=1)]


def test_registry_auto_picks_by_extension_and_content(tmp_path: Path) -> None:
    ours = tmp_path / "a.jsonl"
    ours.write_text(json.dumps({"text": "x", "spans": []}) + "\n")
    theirs = tmp_path / "b.jsonl"
    theirs.write_text("\n" + json.dumps({"text": "x", "entities": []}) + "\n")
    plain = tmp_path / "c.jsonl"
    plain.write_text(json.dumps({"text": "x", "label": [[0, 1, "X"]]}) + "\n")
    assert format_for(ours) == "jsonl"
    assert format_for(theirs) == "doccano"
    assert format_for(plain) == "doccano"
    assert format_for(tmp_path / "d.zip") == "doccano"
    assert format_for(tmp_path / "e.iob") == "iob"
    assert format_for(tmp_path / "e.conll") == "iob"
    assert format_for(theirs, "jsonl") == "jsonl"
    with pytest.raises(UnknownFormatError, match="E300"):
        format_for(tmp_path / "f.csv")
    with pytest.raises(UnknownFormatError, match="Unknown export format 'csv'"):
        writer_for("csv")
    assert writer_for("spacy")[1] == ".spacy"


def test_readers_report_lone_surrogates_and_sniff_deep_json(tmp_path: Path) -> None:
    src = tmp_path / "odd.jsonl"
    src.write_text(
        '{"text": "lone \\ud800 here", "label": []}\n'
        '{"text": "pair \\ud83d\\ude00 fine", "label": []}\n'
    )
    for read in (read_jsonl, read_doccano):
        first, second = list(read(src))
        assert isinstance(first, Problem) and "lone UTF-16 surrogate" in first.message
        assert isinstance(second, ImportRecord) and second.text == "pair \U0001f600 fine"
    deep = tmp_path / "deep.jsonl"
    deep.write_text("[" * 100_000 + "]" * 100_000 + "\n")
    assert format_for(deep) == "jsonl"  # the reader then reports the line
