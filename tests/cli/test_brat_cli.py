"""brat through the real CLI and real SQLite files: an attribution corpus in, training
data out, and our own brat export back in."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import spacy
from spacy.tokens import DocBin
from typer.testing import CliRunner

from annotator.app.project import Project
from annotator.cli import app

CORPUS = Path(__file__).resolve().parents[1] / "data" / "brat_attribution"
MAP = ["--map", "Content=QUOTE", "--map", "Source=SPEAKER", "--map", "Cue=CUE"]
runner = CliRunner()


def _invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def _labels(db: Path, annotator: str = "imported") -> dict[str, tuple[set, set]]:
    """Per document text: its spans (text, label, layer, kind) and relations, as stored."""
    with Project.open(db) as project:
        who = project.annotator(annotator)
        assert who is not None
        out = {}
        for doc, ann in project.iter_annotations(who):
            t = doc.text
            spans = {(t[s.start : s.end], s.label, str(s.layer), s.kind) for s in ann.spans}
            rels = {
                (t[r.head.start : r.head.end], str(r.label), t[r.child.start : r.child.end])
                for r in ann.relations
            }
            out[t] = (spans, rels)
        return out


def test_cli_brat_import_with_map_prints_unmapped_counts(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    code, output = _invoke("--db", str(db), "import", str(CORPUS), *MAP)
    assert code == 0, output
    assert "imported 2 documents" in output and "2 annotations" in output
    assert "type Date (2 spans) is not mapped; pass --map Date=LABEL" in output
    assert "type Organization (1 span) is not mapped" in output
    assert "T12 (Content) has 2 discontinuous fragments" in output
    stored = _labels(db)
    assert len(stored) == 2
    minister = next(v for k, v in stored.items() if k.startswith("Finance"))
    assert ('"We will not,"', "QUOTE", "quotes", "direct") in minister[0]
    assert ("Ana Ruiz", "PERSON", "ents", None) in minister[0]
    assert ("the figures a fiction", "speaker", "Opposition leader Tomas Vidal") in minister[1]
    with Project.open(db) as project:
        (doc,) = [d for d in project.documents([1, 2]) if d.external_id == "minister"]
        assert doc.meta["brat_notes"][0]["text"] == "minister since 2021"


def test_cli_brat_import_then_train_data_loads_in_spacy(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    code, output = _invoke("--db", str(db), "import", str(CORPUS), *MAP)
    assert code == 0, output
    out = tmp_path / "train.spacy"
    code, output = _invoke(
        "--db", str(db), "export", "--format", "spacy", "--annotator", "imported", "--out", str(out)
    )
    assert code == 0, output
    docs = list(DocBin().from_disk(out).get_docs(spacy.blank("en").vocab))
    assert len(docs) == 2
    minister = next(d for d in docs if d.text.startswith("Finance"))
    assert {(e.text, e.label_) for e in minister.ents} == {
        ("Ana Ruiz", "PERSON"),
        ("Madrid", "GPE"),
    }
    (group,) = [g for g in minister.spans.values() if len(g)]
    quotes = {(s.text, s.label_) for s in group}
    assert ('"the budget is balanced for the first time in a decade."', "QUOTE") in quotes
    assert ('"raise taxes on families."', "QUOTE") in quotes
    assert ("Opposition leader Tomas Vidal", "SPEAKER") in quotes
    assert sum(1 for _, label in quotes if label == "QUOTE") == 5


def test_cli_brat_export_then_import_is_lossless(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    assert _invoke("--db", str(db), "import", str(CORPUS), *MAP)[0] == 0
    out = tmp_path / "brat"
    code, output = _invoke(
        "--db", str(db), "export", "--format", "brat", "--annotator", "imported", "--out", str(out)
    )
    assert code == 0, output
    assert f"to {out}" in output
    assert sorted(p.name for p in out.iterdir()) == [
        "annotation.conf",
        "minister.ann",
        "minister.txt",
        "plant.ann",
        "plant.txt",
        "visual.conf",
    ]
    # the file brat opens is the one imported, byte for byte (CRLF line ends too)
    assert (out / "plant.txt").read_bytes() == (CORPUS / "plant.txt").read_bytes()
    other = tmp_path / "q.db"
    code, output = _invoke("--db", str(other), "import", str(out))  # no --map needed
    assert code == 0, output
    assert "not mapped" not in output
    assert _labels(other) == _labels(db)


def test_cli_brat_export_dev_split_writes_two_folders(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    assert _invoke("--db", str(db), "import", str(CORPUS), *MAP)[0] == 0
    out = tmp_path / "corpus"
    args = ["--db", str(db), "export", "--format", "brat", "--annotator", "imported"]
    code, output = _invoke(*args, "--out", str(out), "--dev", "0.5")
    assert code == 0, output
    assert sorted(p.name for p in out.iterdir()) == ["dev", "train"]
    assert len(list((out / "train").glob("*.ann"))) == 1
    assert len(list((out / "dev").glob("*.ann"))) == 1


def test_cli_brat_export_refuses_a_folder_of_other_files(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    assert _invoke("--db", str(db), "import", str(CORPUS), *MAP)[0] == 0
    out = tmp_path / "papers"
    out.mkdir()
    (out / "notes.md").write_text("mine", encoding="utf-8")
    code, output = _invoke(
        "--db", str(db), "export", "--format", "brat", "--annotator", "imported", "--out", str(out)
    )
    assert code != 0
    assert "[E360]" in output and "Traceback" not in output
    assert [p.name for p in out.iterdir()] == ["notes.md"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.db", "papers"]


def test_cli_brat_export_never_replaces_the_corpus_it_came_from(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    db = tmp_path / "p.db"
    assert _invoke("--db", str(db), "import", str(corpus), *MAP)[0] == 0
    before = {p.name: p.read_bytes() for p in corpus.iterdir()}
    args = ["--db", str(db), "export", "--format", "brat", "--annotator", "imported"]
    code, output = _invoke(*args, "--out", str(corpus))
    assert code != 0 and "[E360]" in output
    assert {p.name: p.read_bytes() for p in corpus.iterdir()} == before


def test_cli_brat_lone_ann_is_reported_and_the_rest_imported(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    (corpus / "plant.txt").unlink()
    db = tmp_path / "p.db"
    code, output = _invoke("--db", str(db), "import", str(corpus), *MAP)
    assert code == 1
    assert "plant.ann: no plant.txt beside it" in output
    assert "imported 1 documents" in output
    assert len(_labels(db)) == 1


def test_cli_brat_format_on_one_ann_file(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    code, output = _invoke(
        "--db", str(db), "import", str(CORPUS / "plant.ann"), "--format", "brat", *MAP
    )
    assert code == 0, output
    (spans, rels) = next(iter(_labels(db).values()))
    assert ("he", "SPEAKER", "quotes", None) in spans
    assert ('"It is a sad day for the town,\r\nbut we had no choice,"', "cue", "added") in rels


@pytest.mark.slow
def test_cli_brat_corpus_trains_with_spacy(tmp_path: Path) -> None:
    """The whole way a user goes: a brat corpus imported, exported for spaCy with its
    config, and ``spacy train`` run on it (shortened; two documents learn little)."""
    db = tmp_path / "p.db"
    assert _invoke("--db", str(db), "import", str(CORPUS), *MAP)[0] == 0
    args = ["--db", str(db), "export", "--format", "spacy", "--annotator", "imported"]
    out = ["--out", str(tmp_path / "corpus"), "--dev", "0.5"]
    code, output = _invoke(*args, *out, "--config", str(tmp_path / "config.cfg"))
    assert code == 0, output
    steps = ["--training.max_steps", "4", "--training.eval_frequency", "2"]
    done = subprocess.run(
        [sys.executable, "-m", "spacy", "train", "config.cfg", "--output", "model", *steps],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / "model" / "model-best" / "meta.json").exists()
