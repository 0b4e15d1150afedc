"""A spaCy export past one shard: the path the export reports is what ``spacy train`` takes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from annotator.app.export import annotation_pairs, export_project
from annotator.app.project import Project
from annotator.formats import docbin
from annotator.formats.docbin import annotation_from_doc, read_docbin
from annotator.formats.docbin_shards import docbin_files, is_docbin_folder

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "tests" / "data" / "seeds_gold.jsonl"
NER_CONFIG = """
[paths]
train = null
dev = null

[system]
seed = 0
gpu_allocator = null

[nlp]
lang = "en"
pipeline = ["tok2vec","ner"]
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
def gold(project: Project, monkeypatch: pytest.MonkeyPatch) -> Project:
    report = project.import_paths([GOLD])
    assert report.problems == [] and report.annotations == 3
    monkeypatch.setattr(docbin, "DEFAULT_SHARD_DOCS", 1)  # three documents, three shards
    return project


def test_export_docbin_past_one_shard_is_a_folder_at_the_path_reported(
    gold: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "gold.spacy"
    report = export_project(gold, out, fmt="spacy", gold=True)
    assert report.ok and report.files == [out] and report.documents == 3
    assert is_docbin_folder(out) and len(docbin_files(out)) == 3
    db = {doc.id: ann for doc, ann in annotation_pairs(gold, "gold") if doc.id is not None}
    docs = list(read_docbin(out))
    assert sorted(d.user_data["doc_id"] for d in docs) == sorted(db)
    for doc in docs:
        ann = db[doc.user_data["doc_id"]]
        back = annotation_from_doc(doc)
        assert {(s.key, s.kind) for s in back.spans} == {(s.key, s.kind) for s in ann.spans}
        assert {r.key for r in back.relations} == {r.key for r in ann.relations}
    # Exporting again to the same path replaces the folder, in either shape.
    again = export_project(gold, out, fmt="spacy", gold=True)
    assert again.files == [out] and len(list(read_docbin(out))) == 3
    monkeypatch.setattr(docbin, "DEFAULT_SHARD_DOCS", 10)
    small = export_project(gold, out, fmt="spacy", gold=True)
    assert small.files == [out] and out.is_file() and len(list(read_docbin(out))) == 3
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("gold")) == ["gold.spacy"]


def test_export_spacy_train_takes_the_sharded_folders(gold: Project, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    report = export_project(gold, corpus, fmt="spacy", gold=True, dev=0.34, seed=3)
    assert report.split == {"train": 2, "dev": 1}
    train, dev = report.files
    assert is_docbin_folder(train) and len(docbin_files(train)) == 2
    base = tmp_path / "base.cfg"
    base.write_text(NER_CONFIG)
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
            str(train),
            "--paths.dev",
            str(dev),
            "--output",
            str(tmp_path / "model"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert trained.returncode == 0, trained.stdout + trained.stderr
    assert (tmp_path / "model" / "model-last").is_dir()
