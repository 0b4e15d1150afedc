"""Our DocBin files hold spaCy's own DocBin message, compressed at a faster zlib level."""

from __future__ import annotations

import zlib

import spacy
from spacy.tokens import DocBin
from spacy.tokens import Span as SpacySpan

from annotator.formats.docbin import DOCBIN_ZLIB_LEVEL, docbin_bytes


def test_docbin_bytes_is_spacys_message_and_reads_back() -> None:
    nlp = spacy.blank("en")
    docs = []
    for n in range(3):
        doc = nlp(f"Maria Lopez said in Oslo that talks number {n} would go on.")
        doc.ents = [SpacySpan(doc, 0, 2, label="PERSON"), SpacySpan(doc, 4, 5, label="GPE")]
        doc.spans["sc"] = [SpacySpan(doc, 2, 3, label="CUE")]
        doc.user_data["relations"] = [[0, 1, "cue"]]
        docs.append(doc)
    docbin = DocBin(store_user_data=True, docs=docs)
    data = docbin_bytes(docbin)
    assert zlib.decompress(data) == zlib.decompress(docbin.to_bytes())
    assert data[:2] != docbin.to_bytes()[:2] or DOCBIN_ZLIB_LEVEL == 6  # another level
    back = list(DocBin().from_bytes(data).get_docs(nlp.vocab))
    assert [d.text for d in back] == [d.text for d in docs]
    assert [(e.text, e.label_) for e in back[0].ents] == [
        ("Maria Lopez", "PERSON"),
        ("Oslo", "GPE"),
    ]
    assert back[2].spans["sc"][0].text == "said"
    assert [list(r) for r in back[0].user_data["relations"]] == [[0, 1, "cue"]]
    empty = DocBin()
    assert list(DocBin().from_bytes(docbin_bytes(empty)).get_docs(nlp.vocab)) == []


