"""``DocBin.add`` for the export, giving the same DocBin at a fraction of the cost.

Profiled on 2,000 articles (4,000 characters, 40 spans each), spaCy's own
``DocBin.add`` was most of a spaCy export: it reads nine string attributes of every
token in a Python loop, and it packs ``user_data`` and the span groups with
``srsly.msgpack_dumps``, which builds a new ``Packer`` per call, and each ``Packer``
asks catalogue for every registered msgpack encoder: a walk over spaCy's whole function
registry plus a scan of the installed packages' entry points, three times per document.

``DocBinAdder.add`` fills the same fields of the same ``DocBin``: the token strings
come from the unique hashes of the token array (the strings the loop would add, as the
array stores them), and one ``Packer`` made once packs ``user_data`` and the span
groups the way ``SpanGroups.to_bytes`` and ``SpanGroup.to_bytes`` do. The result is
checked against spaCy's own ``DocBin.add`` on the first document each adder sees; if
they ever differ (another spaCy version), every document goes through spaCy's ``add``.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.tokens import Doc, DocBin

# Token attributes whose array values are string hashes (MORPH aside: an empty
# analysis is hash 0 in the array but its own string "_" in the StringStore).
_STRING_ATTRS = ("ORTH", "NORM", "TAG", "DEP", "ENT_TYPE", "ENT_KB_ID", "ENT_ID", "LEMMA")
_SPAN = struct.Struct(">QQQllll")  # SpanGroup.to_bytes's layout of one span


class DocBinAdder:
    """Adds Docs to DocBins made with the same ``attrs`` (every DocBin of one writer)."""

    def __init__(self) -> None:
        from srsly.msgpack import Packer

        # srsly.msgpack_dumps is packb(data, use_bin_type=True): a Packer with the same
        # settings and the same encoders, made once (autoreset: pack returns bytes).
        self._pack: Callable[[Any], bytes] = Packer(use_bin_type=True).pack
        self._columns: list[int] | None = None
        self._checked = False
        self.fast = True

    def add(self, docbin: DocBin, doc: Doc) -> None:
        if not self.fast:
            docbin.add(doc)
            return
        if not self._checked:
            self._checked = True
            self.fast = self._same_as_spacy(docbin, doc)
            if not self.fast:
                docbin.add(doc)
                return
        self._add(docbin, doc)

    def _add(self, docbin: DocBin, doc: Doc) -> None:
        import numpy
        from spacy.attrs import SPACY

        attrs: list[int | str] = list(docbin.attrs)
        array = doc.to_array(attrs)
        if len(array.shape) == 1:
            array = array.reshape((array.shape[0], 1))
        docbin.tokens.append(array)
        spaces = doc.to_array(SPACY)
        spaces = spaces.reshape((spaces.shape[0], 1))
        docbin.spaces.append(numpy.asarray(spaces, dtype=bool))
        docbin.flags.append({"has_unknown_spaces": doc.has_unknown_spaces})
        strings = doc.vocab.strings
        if len(doc):
            hashes = numpy.unique(array[:, self._string_columns(docbin)])
            docbin.strings.update(strings[int(h)] for h in hashes)
            if doc.has_annotation("MORPH"):
                docbin.strings.update(str(t.morph) for t in doc)
            else:
                docbin.strings.add("")
        docbin.cats.append(doc.cats)
        if docbin.store_user_data:
            docbin.user_data.append(self._pack(doc.user_data))
        docbin.span_groups.append(self._span_groups(doc))
        for group in doc.spans.values():
            for span in group:
                docbin.strings.add(span.label_)
                if span.kb_id in strings:
                    docbin.strings.add(span.kb_id_)
                if span.id in strings:
                    docbin.strings.add(span.id_)

    def _string_columns(self, docbin: DocBin) -> list[int]:
        if self._columns is None:
            from spacy.attrs import IDS

            wanted = {IDS[name] for name in _STRING_ATTRS}
            self._columns = [i for i, attr in enumerate(docbin.attrs) if attr in wanted]
        return self._columns

    def _span_groups(self, doc: Doc) -> bytes:
        if not len(doc.spans):
            return doc.spans.to_bytes()  # spaCy's constant for no groups, nothing packed
        # SpanGroups.to_bytes: {SpanGroup.to_bytes(): [its keys]}, and SpanGroup.to_bytes:
        # {"name", "attrs", "spans": [struct-packed span]}.
        msg: dict[bytes, list[str]] = {}
        for key, group in doc.spans.items():
            spans = [
                _SPAN.pack(s.id, s.kb_id, s.label, s.start, s.end, s.start_char, s.end_char)
                for s in group
            ]
            packed = self._pack({"name": group.name, "attrs": group.attrs, "spans": spans})
            msg.setdefault(packed, []).append(key)
        return self._pack(msg)

    def _same_as_spacy(self, docbin: DocBin, doc: Doc) -> bool:
        """Whether this adder and spaCy's ``DocBin.add`` give the same DocBin for ``doc``."""
        from spacy.tokens import DocBin as SpacyDocBin

        ours = SpacyDocBin(attrs=_attr_names(docbin), store_user_data=docbin.store_user_data)
        theirs = SpacyDocBin(attrs=_attr_names(docbin), store_user_data=docbin.store_user_data)
        self._add(ours, doc)
        theirs.add(doc)
        return bool(ours.to_bytes() == theirs.to_bytes())


def _attr_names(docbin: DocBin) -> list[str]:
    from spacy.attrs import IDS

    names = {v: k for k, v in IDS.items()}
    return [names[a] for a in docbin.attrs if a != IDS["ORTH"]]
