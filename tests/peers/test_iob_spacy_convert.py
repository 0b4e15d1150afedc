"""Our IOB export read by spaCy's own converter, scored with seqeval.

``python -m spacy convert X.iob out/ --converter ner`` must read the file, and the
entity tags spaCy ends up with must equal the tags our stored entity spans give over
the stored tokens (from our JSONL export): seqeval's F1 is 1.0 and the tag sequences
are equal, document by document.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import spacy
from peer_articles import write
from project_cli import annotator
from seqeval.metrics import classification_report, f1_score
from spacy.tokens import DocBin

pytestmark = pytest.mark.slow


def _expected_tags(jsonl: Path) -> list[list[str]]:
    """IOB2 tags from each document's tokens and its ents-layer spans, over the tokens
    an IOB line can hold (whitespace tokens, such as a line break, are not written)."""
    out = []
    for line in jsonl.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        tags = ["O"] * len(rec["tokens"])
        for span in rec["spans"]:
            if span["layer"] != "ents":
                continue
            tags[span["token_start"]] = f"B-{span['label']}"
            for i in range(span["token_start"] + 1, span["token_end"] + 1):
                tags[i] = f"I-{span['label']}"
        out.append(
            [tag for tag, tok in zip(tags, rec["tokens"], strict=True) if tok["text"].strip()]
        )
    return out


def test_spacy_convert_reads_our_iob_exactly(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    annotator(db, "import", str(write(tmp_path / "articles.jsonl")))
    iob = tmp_path / "ours.iob"
    annotator(db, "export", "--format", "iob", "--annotator", "gold", "--out", str(iob))
    jsonl = tmp_path / "ours.jsonl"
    annotator(db, "export", "--format", "jsonl", "--annotator", "gold", "--out", str(jsonl))

    converted = tmp_path / "converted"
    converted.mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "spacy", "convert", str(iob), str(converted), "--converter", "ner"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    docs = list(DocBin().from_disk(converted / "ours.spacy").get_docs(spacy.blank("en").vocab))

    expected = _expected_tags(jsonl)
    got = [[f"{t.ent_iob_}-{t.ent_type_}" if t.ent_type_ else "O" for t in doc] for doc in docs]
    assert len(got) == len(expected) == 7
    assert sum(tag.startswith("B-") for doc in expected for tag in doc) == 20
    assert f1_score(expected, got) == 1.0, classification_report(expected, got)
    assert got == expected
