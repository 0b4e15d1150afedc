"""The spaCy export written in shards: one file while it fits, else a folder spaCy reads."""

from __future__ import annotations

import json
import zlib
from pathlib import Path

import pytest

from annotator.core import Annotation, Document, Span
from annotator.formats.docbin import DocBinWriter, build_doc, docbin_of, read_docbin
from annotator.formats.docbin_shards import MANIFEST, docbin_files, is_docbin_folder
from annotator.formats.export_base import WriterError
from annotator.nlp.tokenize import blank_pipeline, tokenize


def _pairs(n: int) -> list[tuple[Document, Annotation]]:
    out = []
    for i in range(n):
        text = f"Report {i}: Maria Lopez said prices rose in Lima."
        lima = text.index("Lima")
        doc = Document(text=text, tokens=tokenize(text), id=i + 1, external_id=f"r{i}.txt")
        out.append((doc, Annotation(i + 1, "gold", spans=[Span(lima, lima + 4, "GPE")])))
    return out


def _write(
    path: Path,
    pairs: list[tuple[Document, Annotation]],
    *,
    shard_docs: int | None = None,
    shard_tokens: int | None = None,
) -> DocBinWriter:
    writer = DocBinWriter(path, shard_docs=shard_docs, shard_tokens=shard_tokens)
    for doc, ann in pairs:
        writer.add(doc, ann)
    writer.close()
    return writer


def test_docbin_shards_a_large_export_is_a_folder_spacy_reads_in_order(tmp_path: Path) -> None:
    from spacy.tokens import DocBin
    from spacy.training import Corpus

    pairs = _pairs(5)
    out = tmp_path / "gold.spacy"
    writer = _write(out, pairs, shard_docs=2)
    assert len(writer) == 5 and writer.shards == 3
    assert is_docbin_folder(out)
    assert sorted(p.name for p in out.iterdir()) == [
        MANIFEST,
        "000000.spacy",
        "000001.spacy",
        "000002.spacy",
    ]
    manifest = json.loads((out / MANIFEST).read_text())
    assert manifest["documents"] == 5
    assert [s["documents"] for s in manifest["shards"]] == [2, 2, 1]
    # Each shard holds exactly the message spaCy's DocBin writes for its documents
    # (compressed at a faster zlib level, docbin.DOCBIN_ZLIB_LEVEL).
    vocab = blank_pipeline("en").vocab
    docs = [build_doc(d, a, vocab=vocab) for d, a in pairs]
    for file, part in zip(docbin_files(out), (docs[0:2], docs[2:4], docs[4:]), strict=True):
        unpacked = zlib.decompress(file.read_bytes())
        assert unpacked == zlib.decompress(docbin_of(part).to_bytes())
        assert len(DocBin().from_disk(file)) == len(part)
    back = list(read_docbin(out))
    assert [d.user_data["doc_id"] for d in back] == [1, 2, 3, 4, 5]
    assert [d.text for d in back] == [d.text for d, _ in pairs]
    nlp = blank_pipeline("en")
    examples = list(Corpus(out)(nlp))
    assert [e.reference.text for e in examples] == [d.text for d, _ in pairs]
    assert [[e.text for e in ex.reference.ents] for ex in examples] == [["Lima"]] * 5


def test_docbin_shards_an_export_that_fits_is_one_plain_file(tmp_path: Path) -> None:
    from spacy.tokens import DocBin

    out = tmp_path / "gold.spacy"
    _write(out, _pairs(3), shard_docs=3)  # exactly full: still one file
    assert out.is_file() and len(DocBin().from_disk(out)) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gold.spacy"]
    empty = tmp_path / "empty.spacy"
    _write(empty, [])
    assert empty.is_file() and len(DocBin().from_disk(empty)) == 0


def test_docbin_shards_replace_a_previous_export_of_either_shape(tmp_path: Path) -> None:
    out = tmp_path / "gold.spacy"
    _write(out, _pairs(2))
    _write(out, _pairs(5), shard_docs=2)  # file -> folder
    assert is_docbin_folder(out) and len(list(read_docbin(out))) == 5
    _write(out, _pairs(4), shard_docs=3)  # folder -> folder with fewer shards
    assert [p.name for p in docbin_files(out)] == ["000000.spacy", "000001.spacy"]
    _write(out, _pairs(1))  # folder -> file
    assert out.is_file() and len(list(read_docbin(out))) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gold.spacy"]


def test_docbin_shards_never_replace_a_folder_they_did_not_write(tmp_path: Path) -> None:
    mine = tmp_path / "notes.spacy"
    mine.mkdir()
    (mine / "todo.txt").write_text("keep me")
    with pytest.raises(WriterError, match=r"E321.*no spaCy export of this program wrote"):
        DocBinWriter(mine)
    assert (mine / "todo.txt").read_text() == "keep me"


def test_docbin_shards_abort_and_killed_exports_leave_nothing(tmp_path: Path) -> None:
    out = tmp_path / "gold.spacy"
    writer = DocBinWriter(out, shard_docs=1)
    for doc, ann in _pairs(3):
        writer.add(doc, ann)
    assert writer.shards == 2 and (tmp_path / "gold.spacy.part").is_dir()
    writer.abort()
    assert list(tmp_path.iterdir()) == []
    # A folder left by a killed export is removed by the next export to the same path.
    stale = tmp_path / "gold.spacy.part"
    stale.mkdir()
    (stale / "000000.spacy").write_bytes(b"half")
    _write(out, _pairs(1))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["gold.spacy"]


def test_docbin_shards_long_documents_cut_shards_by_tokens(tmp_path: Path) -> None:
    pairs = _pairs(4)
    per_doc = len(pairs[0][0].tokens or [])
    out = tmp_path / "gold.spacy"
    writer = _write(out, pairs, shard_tokens=2 * per_doc + 1)
    assert writer.shards == 2
    assert [len(list(read_docbin(p))) for p in docbin_files(out)] == [2, 2]
    # A document longer than the limit is a shard of its own, never refused.
    writer = _write(tmp_path / "long.spacy", pairs[:2], shard_tokens=1)
    assert writer.shards == 2
