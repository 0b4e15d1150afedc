from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from annotator.app.export import (
    ExportError,
    annotation_pairs,
    export_pairs,
    export_project,
)
from annotator.app.project import Project
from annotator.core import (
    Annotation,
    AnnotationStatus,
    Layer,
    QuoteKind,
    Relation,
    RelationLabel,
    Span,
)
from annotator.formats.docbin import annotation_from_doc, quotes_of, read_docbin
from annotator.formats.records import ReadOptions

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "tests" / "data" / "seeds_gold.jsonl"

TINY_CONFIG = """
[paths]
train = null
dev = null

[system]
seed = 0
gpu_allocator = null

[nlp]
lang = "en"
pipeline = ["tok2vec","ner","spancat"]
batch_size = 8

[components]

[components.tok2vec]
factory = "tok2vec"

[components.tok2vec.model]
@architectures = "spacy.HashEmbedCNN.v2"
pretrained_vectors = null
width = 16
depth = 1
embed_size = 500
window_size = 1
maxout_pieces = 2
subword_features = false

[components.ner]
factory = "ner"

[components.ner.model]
@architectures = "spacy.TransitionBasedParser.v2"
state_type = "ner"
extra_state_tokens = false
hidden_width = 16
maxout_pieces = 2
use_upper = true
nO = null

[components.ner.model.tok2vec]
@architectures = "spacy.Tok2VecListener.v1"
width = 16

[components.spancat]
factory = "spancat"
spans_key = "sc"

[components.spancat.model]
@architectures = "spacy.SpanCategorizer.v1"

[components.spancat.model.reducer]
@layers = "spacy.mean_max_reducer.v1"
hidden_size = 16

[components.spancat.model.scorer]
@layers = "spacy.LinearLogistic.v1"
nO = null
nI = null

[components.spancat.model.tok2vec]
@architectures = "spacy.Tok2VecListener.v1"
width = 16

[components.spancat.suggester]
@misc = "spacy.ngram_suggester.v1"
sizes = [1,2,3]

[corpora]

[corpora.train]
@readers = "spacy.Corpus.v1"
path = ${paths.train}

[corpora.dev]
@readers = "spacy.Corpus.v1"
path = ${paths.dev}

[training]
max_epochs = 1
eval_frequency = 1000
dev_corpus = "corpora.dev"
train_corpus = "corpora.train"
"""


@pytest.fixture
def gold(project: Project) -> Project:
    report = project.import_paths([GOLD])
    assert report.problems == [] and report.annotations == 3
    return project


def _db_spans(project: Project, annotator: str) -> dict[str, Annotation]:
    return {doc.text: ann for doc, ann in annotation_pairs(project, annotator, "all")}


def _canonical(path: Path) -> list[str]:
    return [
        json.dumps(json.loads(line), sort_keys=True)
        for line in path.read_text(encoding="utf-8").splitlines()
    ]


@pytest.mark.parametrize("fmt", ["jsonl", "doccano"])
def test_export_round_trip_through_a_new_db_is_byte_identical(
    gold: Project, tmp_path: Path, fmt: str
) -> None:
    first = tmp_path / f"first.{fmt}.jsonl"
    report = export_project(gold, first, fmt=fmt, gold=True)
    assert report.ok and report.documents == 3 and report.spans > 100
    with Project.open(tmp_path / "second.db") as second:
        imported = second.import_paths([first], fmt=fmt)
        assert imported.problems == [] and imported.snapped_spans == 0
        again = tmp_path / f"again.{fmt}.jsonl"
        assert export_project(second, again, fmt=fmt, gold=True).ok
    assert first.read_bytes() == again.read_bytes()
    assert _canonical(first) == _canonical(again)


def test_export_jsonl_keeps_every_span_kind_and_relation(gold: Project, tmp_path: Path) -> None:
    out = tmp_path / "gold.jsonl"
    export_project(gold, out, fmt="jsonl", gold=True)
    with Project.open(tmp_path / "second.db") as second:
        second.import_paths([out])
        before = _db_spans(gold, "gold")
        after = _db_spans(second, "gold")
    assert before.keys() == after.keys()
    for text, ann in before.items():
        other = after[text]
        assert {(s.key, s.kind, s.origin) for s in ann.spans} == {
            (s.key, s.kind, s.origin) for s in other.spans
        }
        assert {r.key for r in ann.relations} == {r.key for r in other.relations}
        assert other.status == AnnotationStatus.DONE


def test_export_docbin_docs_equal_the_db_spans_one_for_one(gold: Project, tmp_path: Path) -> None:
    out = tmp_path / "gold.spacy"
    report = export_project(gold, out, fmt="spacy", gold=True)
    assert report.ok and report.files == [out]
    db = {doc.id: (doc, ann) for doc, ann in annotation_pairs(gold, "gold")}
    docs = list(read_docbin(out))
    assert len(docs) == 3
    for doc in docs:
        stored, ann = db[doc.user_data["doc_id"]]
        assert doc.text == stored.text
        assert doc.user_data["meta"] == stored.meta
        ents = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
        assert ents == sorted((s.start, s.end, s.label) for s in ann.layer(Layer.ENTS))
        group = [(s.start_char, s.end_char, s.label_) for s in doc.spans["sc"]]
        assert sorted(group) == sorted((s.start, s.end, s.label) for s in ann.layer("quotes"))
        assert len(group) == len(ann.layer("quotes"))
        back = annotation_from_doc(doc)
        assert {(s.key, s.kind) for s in back.spans} == {(s.key, s.kind) for s in ann.spans}
        assert {r.key for r in back.relations} == {r.key for r in ann.relations}
        for quote in quotes_of(doc):
            key = (quote["span"].start_char, quote["span"].end_char)
            speaker = ann.speaker_of(next(s.key for s in ann.spans if (s.start, s.end) == key))
            if speaker is not None:
                assert (quote["speaker"].start_char, quote["speaker"].end_char) == speaker[:2]


def test_export_dev_split_is_seeded_and_document_level(project: Project, tmp_path: Path) -> None:
    lines = [
        json.dumps(
            {
                "text": f"Article {i} says Maria Lopez met officials in Lima.",
                "spans": [{"start": len(f"Article {i} says "), "end": 0, "label": "PERSON"}],
                "answer": "accept",
            }
        )
        for i in range(20)
    ]
    rows = [json.loads(line) for line in lines]
    for row in rows:
        row["spans"][0]["end"] = row["spans"][0]["start"] + len("Maria Lopez")
    src = tmp_path / "many.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    assert project.import_paths([src], annotator="alice").problems == []

    def split(seed: int, folder: str) -> tuple[set[str], set[str]]:
        out = tmp_path / folder
        report = export_project(project, out, fmt="spacy", annotator="alice", dev=0.2, seed=seed)
        assert report.split == {"train": 16, "dev": 4}
        train = {d.text for d in read_docbin(out / "train.spacy")}
        dev = {d.text for d in read_docbin(out / "dev.spacy")}
        return train, dev

    train, dev = split(1, "a")
    assert len(train) == 16 and len(dev) == 4 and not train & dev
    assert split(1, "b") == (train, dev)
    assert split(2, "c") != (train, dev)


def test_export_fails_and_writes_nothing_when_a_span_cannot_be_placed(
    gold: Project, tmp_path: Path
) -> None:
    doc_id = next(iter(_db_spans(gold, "gold").values())).document_id
    assert doc_id is not None
    doc = gold.get_document(doc_id)
    ann = gold.load_annotation(doc_id, "gold")
    assert ann is not None
    bad = ann.copy()
    bad.spans.append(Span(1, 4, "PERSON"))  # inside "Ryabkov": not on token boundaries
    gold.put_annotation(bad)  # storage does not re-validate; the exporter must notice
    for fmt in ("spacy", "jsonl", "doccano", "iob"):
        out = tmp_path / f"out.{fmt}"
        report = export_project(gold, out, fmt=fmt, gold=True)
        assert not report.ok and report.failed_documents == 1
        assert "PERSON 1-4" in report.problems[0].message
        assert str(doc.external_id) in report.problems[0].message
        assert not out.exists()
        assert [p.name for p in tmp_path.iterdir() if p.name.startswith(("out", ".export"))] == []


def test_export_progress_and_cancel(gold: Project, tmp_path: Path) -> None:
    pairs = list(annotation_pairs(gold, "gold")) * 50  # 150 documents
    seen: list[tuple[int, int]] = []
    report = export_pairs(
        pairs,
        tmp_path / "a.jsonl",
        fmt="jsonl",
        total=150,
        progress=lambda d, t: seen.append((d, t)),
    )
    assert report.ok and seen[-1] == (150, 150) and (100, 150) in seen
    cancelled = export_pairs(
        iter(pairs), tmp_path / "b.spacy", fmt="spacy", total=150, cancel=lambda: True
    )
    assert cancelled.cancelled and not cancelled.ok
    assert not (tmp_path / "b.spacy").exists()


def test_export_skipped_documents_stay_out_of_training_formats(
    gold: Project, tmp_path: Path
) -> None:
    first = next(iter(annotation_pairs(gold, "gold")))[1]
    skipped = first.copy()
    skipped.status = AnnotationStatus.SKIPPED
    gold.put_annotation(skipped)
    report = export_project(gold, tmp_path / "a.spacy", fmt="spacy", gold=True, status="all")
    assert (report.documents, report.left_out) == (2, 1)
    report = export_project(gold, tmp_path / "a.jsonl", fmt="jsonl", gold=True, status="all")
    assert report.documents == 3
    answers = [json.loads(x)["answer"] for x in (tmp_path / "a.jsonl").read_text().splitlines()]
    assert answers == ["ignore", "accept", "accept"]
    assert export_project(gold, tmp_path / "b.jsonl", fmt="jsonl", gold=True).documents == 2


def test_export_needs_an_annotator_and_lists_them(gold: Project, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match=r"E331.*Annotators: gold"):
        export_project(gold, tmp_path / "x.jsonl", fmt="jsonl")
    with pytest.raises(ExportError, match=r"No annotator 'bob'.*gold"):
        export_project(gold, tmp_path / "x.jsonl", fmt="jsonl", annotator="bob")
    with pytest.raises(ExportError, match=r"E334"):
        gold.ensure_annotator("carol")
        export_project(gold, tmp_path / "x.jsonl", fmt="jsonl", annotator="carol")
    with pytest.raises(Exception, match=r"E300.*Unknown export format 'xml'"):
        export_project(gold, tmp_path / "x.xml", fmt="xml", gold=True)
    with pytest.raises(ExportError, match=r"--dev must be a fraction"):
        export_project(gold, tmp_path / "d", fmt="spacy", gold=True, dev=1.5)


def test_export_suggestions_means_the_current_suggestion_set(
    project: Project, tmp_path: Path
) -> None:
    name = "suggestions:rules-test"
    project.set_setting("current_suggestions", name)
    report = project.import_paths([GOLD], annotator=name)
    assert report.problems == []
    out = tmp_path / "s.jsonl"
    assert export_project(project, out, fmt="jsonl", annotator="suggestions").documents == 3
    assert json.loads(out.read_text().splitlines()[0])["_annotator_id"] == name


def test_export_iob_then_import_keeps_the_entities(gold: Project, tmp_path: Path) -> None:
    out = tmp_path / "gold.iob"
    report = export_project(gold, out, fmt="iob", gold=True)
    assert report.ok
    # the summary counts what the file holds: entities, not the quote layer or links
    entities = sum(len(ann.layer(Layer.ENTS)) for _, ann in annotation_pairs(gold, "gold"))
    everything = sum(len(ann.spans) for _, ann in annotation_pairs(gold, "gold"))
    assert entities < everything
    assert (report.spans, report.relations) == (entities, 0)
    with Project.open(tmp_path / "second.db") as second:
        report = second.import_paths([out])
        assert report.problems == [] and report.annotations == 3
        got = sorted(
            (doc.text[s.start : s.end], s.label)
            for doc, ann in annotation_pairs(second, "imported")
            for s in ann.spans
        )
    want = sorted(
        (doc.text[s.start : s.end].replace("\n", " "), s.label)
        for doc, ann in annotation_pairs(gold, "gold")
        for s in ann.layer(Layer.ENTS)
    )
    assert [label for _, label in got] == [label for _, label in want]
    assert len(got) == len(want)


def test_import_doccano_zip_gives_one_annotator_per_user(project: Project, tmp_path: Path) -> None:
    text = "Maria Lopez said prices rose."
    zpath = tmp_path / "export.zip"
    with zipfile.ZipFile(zpath, "w") as z:
        z.writestr(
            "alice.jsonl",
            json.dumps({"id": 7, "text": text, "label": [[0, 11, "PERSON"]], "Comments": []})
            + "\n",
        )
        z.writestr(
            "bob.jsonl",
            json.dumps(
                {
                    "id": 7,
                    "text": text,
                    "entities": [
                        {"id": 3, "label": "SPEAKER", "start_offset": 0, "end_offset": 11},
                        {"id": 4, "label": "CUE", "start_offset": 12, "end_offset": 16},
                        {"id": 5, "label": "QUOTE", "start_offset": 17, "end_offset": 28},
                    ],
                    "relations": [
                        {"id": 1, "from_id": 5, "to_id": 3, "type": "speaker"},
                        {"id": 2, "from_id": 5, "to_id": 4, "type": "cue"},
                    ],
                }
            )
            + "\n",
        )
    report = project.import_paths([zpath])
    assert report.problems == [] and (report.imported, report.annotations) == (1, 2)
    alice = next(iter(_db_spans(project, "alice").values()))
    bob = next(iter(_db_spans(project, "bob").values()))
    assert [(s.label, s.layer) for s in alice.spans] == [("PERSON", Layer.ENTS)]
    assert alice.status == AnnotationStatus.DONE
    quote = Span(17, 28, "QUOTE", Layer.QUOTES).key
    assert bob.speaker_of(quote) == Span(0, 11, "SPEAKER", Layer.QUOTES).key
    assert bob.cue_of(quote) == Span(12, 16, "CUE", Layer.QUOTES).key


@pytest.mark.parametrize("snap", ["split", "expand"])
def test_import_bad_inputs_are_reported_and_saved_work_survives(
    gold: Project, tmp_path: Path, snap: str
) -> None:
    before = _db_spans(gold, "gold")
    text = "Maria Lopez met John Smith in Lima."
    rows = [
        "{broken json",
        json.dumps({"text": text, "spans": [{"start": 0, "end": 99, "label": "PERSON"}]}),
        json.dumps(
            {
                "text": text,
                "spans": [
                    {"start": 0, "end": 11, "label": "PERSON"},
                    {"start": 6, "end": 15, "label": "ORG"},
                ],
            }
        ),
        json.dumps(
            {
                "text": text,
                "spans": [
                    {"start": 0, "end": 10, "label": "PERSON"},
                    {"start": 0, "end": 11, "label": "PERSON"},
                ],
            }
        ),
        json.dumps(
            {"text": "Fine: " + text, "spans": [{"start": 6, "end": 16, "label": "PERSON"}]}
        ),
    ]
    src = tmp_path / "bad.jsonl"
    src.write_text("\n".join(rows) + "\n")
    report = gold.import_paths([src], annotator="gold", options=ReadOptions(snap=snap))
    problems = {p.line: p.message for p in report.problems}
    assert set(problems) == {1, 2, 3, 4}
    assert problems[1].startswith("invalid JSON")
    assert "outside the text" in problems[2]
    assert "Entities overlap" in problems[3]
    after = _db_spans(gold, "gold")
    assert all(after[t].spans == ann.spans for t, ann in before.items())
    fine = after["Fine: " + text]
    if snap == "expand":
        # both spans widen to "Maria Lopez", so they collide; the lone one is widened
        assert "snap to the same tokens" in problems[4]
        assert report.snapped_spans == 1
        assert [(s.start, s.end) for s in fine.spans] == [(6, 17)]
    else:
        # split keeps each span exactly: the two differ, and they overlap
        assert "Entities overlap" in problems[4]
        assert report.snapped_spans == 0
        assert [(s.start, s.end) for s in fine.spans] == [(6, 16)]


def test_import_unknown_format_is_one_clear_error(project: Project, tmp_path: Path) -> None:
    src = tmp_path / "a.xml"
    src.write_text("<a/>")
    with pytest.raises(Exception, match=r"E300.*Cannot tell the format of a.xml"):
        project.import_paths([src])
    with pytest.raises(Exception, match=r"E300.*Unknown import format 'xml'"):
        project.import_paths([src], fmt="xml")


def test_export_spacy_train_runs_on_exported_train_dev(gold: Project, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    report = export_project(gold, corpus, fmt="spacy", gold=True, dev=0.34, seed=3)
    assert report.split == {"train": 2, "dev": 1}
    base = tmp_path / "base.cfg"
    base.write_text(TINY_CONFIG)
    config = tmp_path / "config.cfg"
    run = [sys.executable, "-m", "spacy"]
    filled = subprocess.run(
        [*run, "init", "fill-config", str(base), str(config)], capture_output=True, text=True
    )
    assert filled.returncode == 0, filled.stderr
    trained = subprocess.run(
        [
            *run,
            "train",
            str(config),
            "--paths.train",
            str(corpus / "train.spacy"),
            "--paths.dev",
            str(corpus / "dev.spacy"),
            "--output",
            str(tmp_path / "model"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert trained.returncode == 0, trained.stdout + trained.stderr
    assert (tmp_path / "model" / "model-last").is_dir()


def test_export_relation_kinds_survive_docbin(project: Project, tmp_path: Path) -> None:
    text = 'Maria Lopez said: "Prices rose." Officials disagreed.'
    src = tmp_path / "one.jsonl"
    quote = {"start": 18, "end": 32, "label": "QUOTE", "kind": "direct"}
    src.write_text(
        json.dumps(
            {
                "text": text,
                "answer": "accept",
                "spans": [
                    {"start": 0, "end": 11, "label": "PERSON"},
                    {"start": 0, "end": 11, "label": "SPEAKER"},
                    {"start": 12, "end": 16, "label": "CUE"},
                    quote,
                ],
                "relations": [
                    {
                        "label": "speaker",
                        "head_span": quote,
                        "child_span": {"start": 0, "end": 11, "label": "SPEAKER"},
                    },
                    {
                        "label": "cue",
                        "head_span": quote,
                        "child_span": {"start": 12, "end": 16, "label": "CUE"},
                    },
                ],
            }
        )
        + "\n"
    )
    assert project.import_paths([src], annotator="alice").problems == []
    out = tmp_path / "a.spacy"
    export_project(project, out, fmt="spacy", annotator="alice", span_key="sc")
    (doc,) = read_docbin(out)
    assert [s.label_ for s in doc.spans["sc"]] == ["SPEAKER", "CUE", "QUOTE"]
    (q,) = quotes_of(doc)
    assert (q["kind"], q["speaker"].text, q["cue"].text) == ("direct", "Maria Lopez", "said")
    back = annotation_from_doc(doc)
    want = Annotation(
        None,
        "alice",
        relations=[
            Relation(
                Span(18, 32, "QUOTE", Layer.QUOTES).key,
                Span(0, 11, "SPEAKER", Layer.QUOTES).key,
                RelationLabel.SPEAKER,
            ),
            Relation(
                Span(18, 32, "QUOTE", Layer.QUOTES).key,
                Span(12, 16, "CUE", Layer.QUOTES).key,
                RelationLabel.CUE,
            ),
        ],
    )
    assert set(back.relations) == set(want.relations)
    assert back.span_by_key(Span(18, 32, "QUOTE", Layer.QUOTES).key).kind == QuoteKind.DIRECT  # type: ignore[union-attr]
