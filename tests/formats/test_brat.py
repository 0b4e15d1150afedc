"""brat standoff without a database: the reader on a corpus written for these tests, the
writer on Documents and Annotations built here, and the two together."""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.core import (
    Annotation,
    AnnotationStatus,
    Document,
    Layer,
    QuoteKind,
    Relation,
    RelationLabel,
    Span,
)
from annotator.formats.align import AlignmentError, align_record
from annotator.formats.brat_read import read_brat
from annotator.formats.brat_write import BratExportError, BratWriter, file_name
from annotator.formats.records import ImportRecord, Problem, ReadOptions
from annotator.formats.registry import expand_paths, writer_for
from annotator.nlp.tokenize import tokenize

CORPUS = Path(__file__).resolve().parents[1] / "data" / "brat_attribution"
MAP = ReadOptions(type_map={"Content": "QUOTE", "Source": "SPEAKER", "Cue": "CUE"})


def _read(path: Path, options: ReadOptions = MAP) -> tuple[ImportRecord, list[Problem]]:
    items = list(read_brat(path, options))
    records = [i for i in items if isinstance(i, ImportRecord)]
    assert len(records) == 1, items
    return records[0], [i for i in items if isinstance(i, Problem)]


def _spans(rec: ImportRecord) -> set[tuple[str, str, str | None]]:
    return {(s.label, rec.text[s.start : s.end], s.kind) for s in rec.spans or []}


def _relations(rec: ImportRecord) -> set[tuple[str, str, str]]:
    out = set()
    for r in rec.relations:
        assert r.head_span is not None and r.child_span is not None
        head = rec.text[r.head_span[0] : r.head_span[1]]
        out.add((head, r.label, rec.text[r.child_span[0] : r.child_span[1]]))
    return out


def _write_pair(folder: Path, name: str, text: str | bytes, ann: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    txt = folder / f"{name}.txt"
    if isinstance(text, bytes):
        txt.write_bytes(text)
    else:
        txt.write_text(text, encoding="utf-8")
    (folder / f"{name}.ann").write_text(ann, encoding="utf-8")
    return txt


# reading the corpus -----------------------------------------------------------------------


def test_brat_corpus_spans_kinds_and_relations_with_map() -> None:
    rec, problems = _read(CORPUS / "minister.txt")
    assert rec.external_id == "minister" and rec.answer == "accept"
    assert _spans(rec) == {
        ("SPEAKER", "Finance Minister Ana Ruiz", None),
        ("PERSON", "Ana Ruiz", None),  # a type equal to our label needs no map
        ("CUE", "said", None),
        ("QUOTE", '"the budget is balanced for the first time in a decade."', "direct"),
        ("GPE", "Madrid", None),
        ("SPEAKER", "she", None),
        ("CUE", "told", None),
        ("QUOTE", "the deficit would fall again next year", "indirect"),  # kind on an event
        ("QUOTE", '"We will not,"', "direct"),  # one discontinuous Content: two spans
        ("QUOTE", '"raise taxes on families."', "direct"),
        ("SPEAKER", "Ruiz", None),
        ("SPEAKER", "Opposition leader Tomas Vidal", None),
        ("CUE", "called", None),
        ("QUOTE", "the figures a fiction", "indirect"),  # a binary attribute "Indirect"
    }
    budget = '"the budget is balanced for the first time in a decade."'
    assert _relations(rec) == {
        (budget, "speaker", "Finance Minister Ana Ruiz"),
        (budget, "cue", "said"),  # R2 names the Cue first: the QUOTE is still the head
        ("the deficit would fall again next year", "speaker", "she"),
        ("the deficit would fall again next year", "cue", "told"),
        ('"We will not,"', "speaker", "Ruiz"),
        ('"We will not,"', "cue", "said"),
        ('"raise taxes on families."', "speaker", "Ruiz"),
        ('"raise taxes on families."', "cue", "said"),
        ("the figures a fiction", "speaker", "Opposition leader Tomas Vidal"),
        ("the figures a fiction", "cue", "called"),
    }
    messages = {str(p) for p in problems}
    assert all(p.warning for p in problems), messages
    ann = str(CORPUS / "minister.ann")
    assert f"{ann}:18: T12 (Content) has 2 discontinuous fragments: imported as 2 spans" in messages
    assert f"{ann}: type Date (2 spans) is not mapped; pass --map Date=LABEL" in messages
    assert f"{ann}: type Organization (1 span) is not mapped; pass --map Organization=LABEL" in (
        messages
    )
    assert any("attribute Confidence (1) is not used" in m for m in messages)
    assert any("1 equivalences (*)" in m for m in messages)
    assert rec.meta["brat_notes"] == [
        {"type": "AnnotatorNotes", "text": "minister since 2021", "span": [0, 25, "SPEAKER"]}
    ]


def test_brat_corpus_without_map_reports_every_type_with_its_count() -> None:
    rec, problems = _read(CORPUS / "minister.ann", ReadOptions())
    assert _spans(rec) == {("PERSON", "Ana Ruiz", None), ("GPE", "Madrid", None)}
    assert rec.relations == []
    messages = {p.message for p in problems}
    assert "type Content (4 spans) is not mapped; pass --map Content=LABEL" in messages
    assert "type Source (4 spans) is not mapped; pass --map Source=LABEL" in messages
    assert "type Cue (4 spans) is not mapped; pass --map Cue=LABEL" in messages
    assert any(m.startswith("4 relations point at spans of unmapped types") for m in messages)
    assert any(m.startswith("event Cue (2) has no QUOTE") for m in messages)


def test_brat_crlf_offsets_as_brat_counts_them_text_kept_as_the_file_holds_it() -> None:
    rec, problems = _read(CORPUS / "plant.txt")
    assert rec.text == (CORPUS / "plant.txt").read_bytes().decode("utf-8")
    assert "\r\n" in rec.text
    assert _spans(rec) == {
        ("QUOTE", "The plant will close in March", "indirect"),
        ("SPEAKER", "a company spokesman", None),
        ("CUE", "said", None),
        # brat's two fragments of one selection across a line end are one span again
        ("QUOTE", '"It is a sad day for the town,\r\nbut we had no choice,"', "direct"),
        ("SPEAKER", "he", None),
        ("CUE", "added", None),
    }
    assert any("line end as one character (as brat counts them)" in p.message for p in problems)
    assert not any("differs" in p.message for p in problems)


def test_brat_crlf_counted_as_two_characters_by_another_tool(tmp_path: Path) -> None:
    text = "First line.\r\nMaria Lopez said it was over.\r\n"
    start = text.index("Maria")
    ann = f"T1\tPERSON {start} {start + 11}\tMaria Lopez\n"
    rec, problems = _read(_write_pair(tmp_path, "a", text.encode(), ann))
    assert _spans(rec) == {("PERSON", "Maria Lopez", None)}
    assert any("line end as two characters" in p.message for p in problems)


def test_brat_byte_order_mark_counted_as_brat_counts_it(tmp_path: Path) -> None:
    text = "Maria Lopez said it was over."
    ann = "T1\tPERSON 1 12\tMaria Lopez\n"  # brat reads the mark as a character
    rec, problems = _read(_write_pair(tmp_path, "a", b"\xef\xbb\xbf" + text.encode(), ann))
    assert rec.text == text
    assert _spans(rec) == {("PERSON", "Maria Lopez", None)}
    assert any("byte order mark" in p.message for p in problems)


def test_brat_text_column_mismatch_is_a_warning_and_offsets_win(tmp_path: Path) -> None:
    ann = "T1\tPERSON 0 11\tMario Lopes\n"
    rec, problems = _read(_write_pair(tmp_path, "a", "Maria Lopez said it.", ann))
    assert _spans(rec) == {("PERSON", "Maria Lopez", None)}
    assert [p.line for p in problems if "differs from the .txt" in p.message] == [1]
    assert all(p.warning for p in problems)


def test_brat_bad_lines_are_skipped_with_their_line_the_rest_kept(tmp_path: Path) -> None:
    text = "Maria Lopez told the council in Lima that it was over."
    lima = text.index("Lima")
    council = text.index("the council")
    ann = (
        "T1\tPERSON 0 11\tMaria Lopez\n"
        "T2\tPERSON zero 11\tMaria Lopez\n"  # not offsets
        "T3\tGPE 40 900\tLima\n"  # outside the text
        "R1\tspeaker Arg1:T1\n"  # one argument
        "X1\twhat is this\n"
        f"T4\tGPE {lima} {lima + 4}\tLima\n"
        f"T5\tORG {council} {lima + 4}\tthe council in Lima\n"  # overlaps T4
        "A1\tKind T9 direct\n"  # no such target
    )
    rec, problems = _read(_write_pair(tmp_path, "a", text, ann))
    assert _spans(rec) == {("PERSON", "Maria Lopez", None), ("GPE", "Lima", None)}
    skipped = {p.line: p.message for p in problems if not p.warning}
    assert sorted(skipped) == [2, 3, 4, 5, 7, 8]
    assert "outside the text" in skipped[3]
    assert "overlaps T4" in skipped[7] and "entities may not overlap" in skipped[7]


def test_brat_relation_and_role_types_through_map(tmp_path: Path) -> None:
    text = "Maria Lopez said the deal was dead."
    ann = (
        "T1\tPERSON 0 11\tMaria Lopez\n"
        "T2\tClaim 17 34\tthe deal was dead\n"
        "T3\tVerb 12 16\tsaid\n"
        "R1\tSpokenBy Arg1:T2 Arg2:T1\n"
        "E1\tVerb:T3 Message:T2 Agent:T1\n"
    )
    txt = _write_pair(tmp_path, "a", text, ann)
    rec, _ = _read(txt, ReadOptions(type_map={"Claim": "quote", "SpokenBy": "speaker"}))
    assert _relations(rec) == {("the deal was dead", "speaker", "Maria Lopez")}
    rec, problems = _read(txt, ReadOptions(type_map={"Claim": "QUOTE", "Agent": "SPEAKER"}))
    assert _relations(rec) == {("the deal was dead", "speaker", "Maria Lopez")}
    assert any(
        "relation SpokenBy (1) links no QUOTE to a SPEAKER or CUE" in p.message for p in problems
    )


def test_brat_kind_values_through_map_and_bad_kinds_reported(tmp_path: Path) -> None:
    text = "Maria Lopez said the deal was dead. She said it again."
    ann = (
        "T1\tQUOTE 17 34\tthe deal was dead\n"
        "A1\tQuoteType T1 Reported\n"
        "T2\tQUOTE 36 53\tShe said it again\n"
        "A2\tKind T2 sideways\n"
    )
    rec, problems = _read(
        _write_pair(tmp_path, "a", text, ann),
        ReadOptions(type_map={"QuoteType": "kind", "Reported": "indirect"}),
    )
    assert _spans(rec) == {
        ("QUOTE", "the deal was dead", "indirect"),
        ("QUOTE", "She said it again", None),
    }
    assert [p.line for p in problems if "is not direct, indirect or mixed" in p.message] == [4]


# which files are brat documents ---------------------------------------------------------


def test_brat_pairs_in_a_folder_and_a_lone_ann(tmp_path: Path) -> None:
    _write_pair(tmp_path, "a", "Maria Lopez spoke.", "T1\tPERSON 0 11\tMaria Lopez\n")
    (tmp_path / "plain.txt").write_text("Nothing labelled here.", encoding="utf-8")
    (tmp_path / "orphan.ann").write_text("T1\tPERSON 0 3\tabc\n", encoding="utf-8")
    (tmp_path / "annotation.conf").write_text("[entities]\nPERSON\n", encoding="utf-8")
    found = {p.name: fmt for p, fmt in expand_paths([tmp_path])}
    assert found == {"a.txt": "brat", "plain.txt": "txt", "orphan.ann": "brat"}
    forced = {p.name: fmt for p, fmt in expand_paths([tmp_path], "brat")}
    assert forced == {"a.txt": "brat", "plain.txt": "brat", "orphan.ann": "brat"}
    # the .ann and the .txt named together are one document
    assert expand_paths([tmp_path / "a.ann", tmp_path / "a.txt"]) == [(tmp_path / "a.txt", "brat")]
    assert expand_paths([tmp_path / "a.txt"], "txt") == [(tmp_path / "a.txt", "txt")]
    orphan = list(read_brat(tmp_path / "orphan.ann", MAP))
    assert len(orphan) == 1 and isinstance(orphan[0], Problem) and not orphan[0].warning
    assert "no orphan.txt beside it" in orphan[0].message
    plain = list(read_brat(tmp_path / "plain.txt", MAP))
    assert [type(x) for x in plain] == [Problem, ImportRecord]
    assert isinstance(plain[1], ImportRecord) and plain[1].spans is None


# writing ---------------------------------------------------------------------------------


def _document(text: str, external_id: str, doc_id: int, **meta: object) -> Document:
    return Document(text, external_id, dict(meta), id=doc_id, tokens=tokenize(text))


def _at(text: str, part: str, label: str, layer: Layer | None = None, **kw: object) -> Span:
    start = text.index(part)
    layer = layer or (Layer.QUOTES if label in ("QUOTE", "SPEAKER", "CUE") else Layer.ENTS)
    return Span(start, start + len(part), label, layer, **kw)  # type: ignore[arg-type]


def _annotations() -> list[tuple[Document, Annotation]]:
    one = 'Ms Lopez said:\r\n"The deal\r\nis dead." Then she left for Lima.\n'
    quote = _at(one, '"The deal\r\nis dead."', "QUOTE", kind=QuoteKind.DIRECT)
    speaker = _at(one, "Ms Lopez", "SPEAKER")
    cue = _at(one, "said", "CUE")
    spans = [
        quote,
        speaker,
        cue,
        _at(one, "Lopez", "PERSON"),
        _at(one, "Lima", "GPE"),
        _at(one, "she", "CLAIMANT"),  # a project's own label
        _at(one, "Then", "HEDGE", Layer.QUOTES),  # outside its label's default layer
    ]
    relations = [
        Relation(quote.key, speaker.key, RelationLabel.SPEAKER),
        Relation(quote.key, cue.key, RelationLabel.CUE),
    ]
    first = _document(
        one,
        "wire/story.txt",
        1,
        brat_notes=[{"type": "AnnotatorNotes", "text": "check the name", "span": [3, 8, "PERSON"]}],
    )
    two = "The council met on Monday."
    second = _document(two, "Story", 2)
    third = _document(two + " Again.", "", 3)
    done = AnnotationStatus.DONE
    return [
        (first, Annotation(1, "ann", spans, relations, status=done)),
        (second, Annotation(2, "ann", [_at(two, "Monday", "DATE")], status=done)),
        (third, Annotation(3, "ann", [], status=done)),
    ]


def _export(out: Path, pairs: list[tuple[Document, Annotation]]) -> None:
    factory, ext = writer_for("brat")
    assert ext == ""
    writer = factory(out)
    for doc, ann in pairs:
        writer.add(doc, ann)
    writer.close()


def test_brat_export_then_import_is_lossless(tmp_path: Path) -> None:
    out = tmp_path / "export"
    pairs = _annotations()
    _export(out, pairs)
    assert sorted(p.name for p in out.iterdir()) == [
        "Story-2.ann",  # "Story" and "story" would be one file where case is ignored
        "Story-2.txt",
        "annotation.conf",
        "doc-3.ann",
        "doc-3.txt",
        "story.ann",
        "story.txt",
        "visual.conf",
    ]
    assert (out / "story.txt").read_bytes() == pairs[0][0].text.encode("utf-8")
    assert not (tmp_path / "export.part").exists()
    got = {}
    for txt, fmt in expand_paths([out]):
        assert fmt == "brat"
        items = list(read_brat(txt, ReadOptions()))
        assert not [p for p in items if isinstance(p, Problem) and not p.warning]
        (rec,) = [r for r in items if isinstance(r, ImportRecord)]
        aligned = align_record(rec, tokenize(rec.text), "ann")
        got[rec.text] = (aligned.annotation, rec.meta)
    for doc, ann in pairs:
        back, meta = got[doc.text]
        assert set(back.spans) == {s.with_(origin=back.spans[0].origin) for s in ann.spans}
        assert set(back.relations) == set(ann.relations)
        assert back.status == AnnotationStatus.DONE
        if "brat_notes" in doc.meta:
            assert meta["brat_notes"] == doc.meta["brat_notes"]


def _conf_sections(text: str) -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1]
            sections[current] = []
        else:
            assert current is not None, line
            sections[current].append(line)
    return sections


def test_brat_annotation_conf_parses(tmp_path: Path) -> None:
    _export(tmp_path / "export", _annotations())
    conf = _conf_sections((tmp_path / "export" / "annotation.conf").read_text(encoding="utf-8"))
    assert list(conf) == ["entities", "relations", "events", "attributes"]
    assert {"QUOTE", "SPEAKER", "CUE", "PERSON", "CLAIMANT", "HEDGE"} <= set(conf["entities"])
    relations = {line.split("\t")[0]: line.split("\t")[1] for line in conf["relations"]}
    assert relations["Speaker"] == "Arg1:QUOTE, Arg2:SPEAKER"
    assert relations["Cue"] == "Arg1:QUOTE, Arg2:CUE"
    attributes = {line.split("\t")[0]: line.split("\t")[1] for line in conf["attributes"]}
    assert attributes["Kind"] == "Arg:QUOTE, Value:direct|indirect|mixed"
    assert attributes["Layer"] == "Arg:<ENTITY>, Value:ents|quotes"
    for line in conf["relations"] + conf["attributes"]:
        _, args = line.split("\t")
        assert all(":" in a for a in args.split(", ")), line
    visual = _conf_sections((tmp_path / "export" / "visual.conf").read_text(encoding="utf-8"))
    assert "PERSON\tbgColor:#E69F00" in visual["drawing"]


def test_brat_span_across_line_ends_is_written_as_brat_writes_it(tmp_path: Path) -> None:
    _export(tmp_path / "export", _annotations()[:1])
    lines = (tmp_path / "export" / "story.ann").read_text(encoding="utf-8").splitlines()
    quote = next(line for line in lines if "\tQUOTE " in line)
    # brat's offsets: each CRLF is one character; a fragment per line
    assert quote.split("\t")[1:] == ["QUOTE 15 24;25 34", '"The deal is dead."']


def test_brat_file_names_are_safe() -> None:
    assert file_name(Document("x", "../../etc/passwd", id=4)) == "passwd"
    assert file_name(Document("x", "a b?c.txt", id=4)) == "a_b_c"
    assert file_name(Document("x", "CON", id=4)) == "doc-4"
    assert file_name(Document("x", "...", id=4)) == "doc-4"


def test_brat_export_refuses_a_file_or_a_folder_of_other_files(tmp_path: Path) -> None:
    target = tmp_path / "out"
    target.write_text("keep me", encoding="utf-8")
    with pytest.raises(BratExportError) as exc:
        BratWriter(target)
    assert str(exc.value).startswith("[E360]")
    assert target.read_text(encoding="utf-8") == "keep me"
    folder = tmp_path / "papers"
    folder.mkdir()
    (folder / "thesis.pdf").write_bytes(b"%PDF")
    with pytest.raises(BratExportError):
        BratWriter(folder)
    assert [p.name for p in folder.iterdir()] == ["thesis.pdf"]
    assert not (tmp_path / "papers.part").exists()


def test_brat_export_replaces_an_earlier_export_and_abort_leaves_it(tmp_path: Path) -> None:
    out = tmp_path / "export"
    pairs = _annotations()
    _export(out, pairs[1:2])
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    writer = BratWriter(out)
    writer.add(*pairs[0])
    assert (tmp_path / "export.part" / "story.ann").exists()
    writer.abort()
    assert not (tmp_path / "export.part").exists()
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    _export(out, pairs[:1])
    assert sorted(p.name for p in out.iterdir() if p.suffix != ".conf") == [
        "story.ann",
        "story.txt",
    ]
    assert not (tmp_path / "export.old").exists()


def test_brat_export_keeps_what_appeared_at_the_target_meanwhile(tmp_path: Path) -> None:
    out = tmp_path / "export"
    writer = BratWriter(out)
    writer.add(*_annotations()[1])
    out.write_text("written by another program", encoding="utf-8")
    with pytest.raises(BratExportError):
        writer.close()
    assert out.read_text(encoding="utf-8") == "written by another program"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export"]


# hostile input ---------------------------------------------------------------------------

_ids = st.sampled_from(["T1", "T2", "T3", "E1", "R1", "A1", "#1", "T9", "X"])
_fields = st.lists(
    st.sampled_from(["Content", "Source", "Cue", "PERSON", "QUOTE", "Kind", "Layer", "direct"])
    | st.integers(-3, 80).map(str)
    | st.builds(lambda r, i: f"{r}:{i}", st.sampled_from(["Arg1", "Arg2", "Cue", "Source"]), _ids)
    | st.text(max_size=6),
    max_size=5,
)
_offsets = st.integers(-1, 90)
_t_line = st.builds(
    lambda n, typ, segs, tail: f"T{n}\t{typ} " + ";".join(f"{a} {b}" for a, b in segs) + tail,
    st.integers(1, 4),
    st.sampled_from(["Content", "Source", "Cue", "PERSON", "GPE", "QUOTE", "Other"]),
    st.lists(st.tuples(_offsets, _offsets), min_size=1, max_size=3),
    st.sampled_from(["", "\t", "\tsome text"]),
)
_ann_line = (
    _t_line
    | st.builds(
        lambda ident, fields, tail: f"{ident}\t{' '.join(fields)}" + (f"\t{tail}" if tail else ""),
        _ids,
        _fields,
        st.none() | st.text(max_size=12),
    )
    | st.text(max_size=30)
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=st.lists(
        st.characters(codec="utf-8") | st.sampled_from(["\r\n", "\r", "\n", " "]), max_size=80
    ).map("".join),
    lines=st.lists(_ann_line, max_size=12),
    bom=st.booleans(),
)
def test_brat_hostile_ann_never_crashes(text: str, lines: list[str], bom: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        data = text.encode("utf-8", "surrogatepass")
        txt = _write_pair(Path(folder), "a", (b"\xef\xbb\xbf" if bom else b"") + data, "")
        txt.with_suffix(".ann").write_bytes("\n".join(lines).encode("utf-8", "surrogatepass"))
        for item in read_brat(txt, MAP):
            if isinstance(item, Problem):
                continue
            for span in item.spans or []:
                assert 0 <= span.start < span.end <= len(item.text)
            with contextlib.suppress(AlignmentError):  # reported with its file by the import
                align_record(item, tokenize(item.text), "ann")
