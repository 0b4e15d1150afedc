"""Inter-annotator agreement report over a corpus.

Everything is computed on one offset axis: the documents (those all given annotators
have) are laid end to end (:mod:`~annotator.agreement.units`), so each figure is a few
numpy calls over the whole corpus rather than a Python loop per document. The
coefficients are the ones of :mod:`annotator.agreement.kappa` and
:mod:`annotator.agreement.alpha`; span matching follows :mod:`annotator.agreement.spans`
(same pairs, same tie-breaks). The parts: token-level figures (``token_figures``), span
figures (``span_figures``), speakers and kinds (``attribution``), per document
(``per_document``), disagreements (``disagreements``); what the report holds is in
``results``.

Choices worth knowing when reading the figures:

- Token-level figures (Cohen, Fleiss, Krippendorff) treat each token of each layer as a
  unit whose value is its label or ``"O"``; with ``layer=None`` the overall values pool
  the units of both layers (a token counts once per layer).
- Span P/R/F1 of a pair ``(a, b)`` takes ``a`` as the reference; F1 is symmetric.
  Per label and overall figures pool the counts of all pairs.
- Per-document F1 is 1.0 when no annotator marked anything in it (nothing to disagree
  on), unlike the pooled figures, which follow spaCy's 0.0 convention for empty sets.
- Unitizing alpha lays the documents on one continuum (gaps may run across a document
  boundary, as if the corpus were one text); see :mod:`annotator.agreement.alpha`.
- Speakers: of the QUOTE pairs matched in overlap mode, those where at least one side
  has a speaker; they agree when both have one and the two overlap. Kinds: of the
  matched QUOTE pairs where both have a kind, those with the same kind.
- Undefined coefficients (``nan``) are ``None`` in ``to_json()``.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from itertools import combinations
from typing import Any

import numpy as np
import numpy.typing as npt

from annotator.agreement.alpha import UnitizingAlpha, unitizing_alpha_arrays
from annotator.agreement.attribution import AttributionTally
from annotator.agreement.disagreements import Disagreement, DisagreementBlock, find_disagreements
from annotator.agreement.errors import AgreementError
from annotator.agreement.per_document import DocumentTally
from annotator.agreement.results import (
    AgreementReport,
    AttributionAgreement,
    DocumentAgreement,
    LabelAgreement,
    PairAgreement,
    json_number,
)
from annotator.agreement.span_figures import SpanTally, units_by_label
from annotator.agreement.spans import LAYERS, PRF
from annotator.agreement.token_figures import ALL, TokenTally, label_segments, mean
from annotator.agreement.units import (
    KINDS,
    Corpus,
    DocId,
    IntArray,
    Vocabulary,
    build_corpus,
    read_annotator,
)
from annotator.core.model import Annotation, Token


def agreement(
    annotations: Mapping[str, Mapping[DocId, Annotation]],
    # keyed by the same ids; Any, because the caller's mappings are often keyed by a
    # wider type (``int | None``) and Mapping is invariant in its key
    tokens: Mapping[Any, Sequence[Token] | npt.NDArray[np.integer[Any]]],
    texts: Mapping[Any, str],
    *,
    layer: str | None = None,
) -> AgreementReport:
    """Agreement of two or more annotators over the documents they all have.

    ``annotations[annotator][doc_id]``; ``tokens[doc_id]`` is the document's tokens, or an
    ``(n, 2)`` integer array of their offsets (faster for big corpora); ``texts[doc_id]``
    its text. ``layer``: ``"ents"``, ``"quotes"`` or ``None`` for both. The caller
    chooses which annotations count (e.g. only finished ones).
    """
    annotators = list(annotations)
    if len(annotators) < 2:
        raise AgreementError.of("E620", annotators=annotators)
    if layer is not None and layer not in LAYERS:
        raise AgreementError.of("E622", layer=layer, layers=list(LAYERS))
    layers = list(LAYERS) if layer is None else [str(layer)]
    first = annotations[annotators[0]]
    doc_ids = [
        d
        for d in first
        if d in tokens and d in texts and all(d in annotations[a] for a in annotators[1:])
    ]
    corpus = build_corpus(doc_ids, tokens, texts)
    raws = [read_annotator(annotations[a], doc_ids, layers) for a in annotators]
    vocab = Vocabulary.of(raws, layers)
    n_ann, k = len(annotators), len(vocab)
    pair_idx = list(combinations(range(n_ann), 2))

    token_tally = TokenTally(annotators, k)
    span_tally = SpanTally.empty(n_ann, len(pair_idx), k)
    attribution = AttributionTally.empty(annotators)
    docs = DocumentTally.empty(n_ann, len(doc_ids), k)
    pairs: list[PairAgreement] = []
    unit_arrays: dict[str, list[tuple[IntArray, IntArray]]] = {}
    dis_blocks: list[DisagreementBlock] = []
    quote_code = vocab.names.index("QUOTE") if "QUOTE" in vocab.names else -1

    for li, lay in enumerate(layers):
        codes_here = vocab.layer_codes[lay]
        tables = vocab.tables(raws, li, lay, corpus)
        span_tally.count(tables)
        segments = label_segments(tables, codes_here, k, corpus)
        token_tally.add_layer(lay, segments)
        docs.add_tokens(segments)
        for pi, (i, j) in enumerate(pair_idx):
            a, b = tables[i], tables[j]
            matches, prfs = span_tally.add_pair(pi, a, b)
            docs.add_spans("exact", a, b, matches.exact_a)
            docs.add_spans("overlap", a, b, matches.overlap_a)
            pairs.append(
                PairAgreement(
                    annotators[i],
                    annotators[j],
                    lay,
                    prfs["exact"],
                    prfs["overlap"],
                    token_tally.cohen_kappa(annotators[i], annotators[j], lay),
                )
            )
            if quote_code >= 0:
                attribution.add_pair(pi, a, b, matches.overlap_a, matches.overlap_b, quote_code)
        unit_arrays.update(units_by_label(tables, codes_here, vocab.names))
        block, dis_doc = find_disagreements(tables, lay == "quotes", n_ann, corpus)
        dis_blocks.append(block)
        docs.add_disagreements(dis_doc)

    token_tally.pool_layers(layers)
    u_alpha = (
        unitizing_alpha_arrays(unit_arrays, begin=0, length=corpus.length)
        if corpus.length > 0
        else None
    )
    by_layer = {
        lay: _layer_figures(lay, pairs, token_tally, u_alpha, vocab, n_ann) for lay in layers
    }
    if len(layers) > 1:
        pairs.extend(_pooled_pairs(pairs, token_tally))
    return AgreementReport(
        annotators=annotators,
        layers=layers,
        documents=list[Hashable](doc_ids),
        pairs=pairs,
        fleiss_kappa=token_tally.fleiss_kappa(),
        krippendorff_alpha=token_tally.krippendorff_alpha(),
        unitizing_alpha=u_alpha.alpha if u_alpha else math.nan,
        by_layer=by_layer,
        labels=_labels(layers, vocab, span_tally, token_tally, u_alpha, annotators),
        per_document=docs.results(doc_ids),
        speakers=attribution.speakers,
        kinds=attribution.kinds,
        kind_confusion=attribution.kind_confusion,
        disagreement_block=DisagreementBlock.concat(dis_blocks, n_ann),
        texts=corpus.texts,
        confusions=token_tally.confusions,
        vocabulary=vocab.names,
        layer_labels=vocab.layer_codes,
    )


def _unitizing_of(u_alpha: UnitizingAlpha | None, names: Sequence[str]) -> float:
    """Overall unitizing alpha of some categories (DKPro's ratio of mean disagreements)."""
    if u_alpha is None:
        return math.nan
    used = [n for n in names if u_alpha.expected_by_category[n] > 0]
    d_o = [u_alpha.observed_by_category[n] for n in used]
    d_e = [u_alpha.expected_by_category[n] for n in used]
    return 1.0 - sum(d_o) / sum(d_e) if d_e else math.nan


def _layer_figures(
    layer: str,
    pairs: Sequence[PairAgreement],
    tokens: TokenTally,
    u_alpha: UnitizingAlpha | None,
    vocab: Vocabulary,
    n_ann: int,
) -> dict[str, float | None]:
    lay_pairs = [p for p in pairs if p.layer == layer]
    return {
        "f1_exact": sum((p.exact for p in lay_pairs), PRF()).f,
        "f1_overlap": sum((p.overlap for p in lay_pairs), PRF()).f,
        "cohen_kappa": json_number(mean([p.cohen_kappa for p in lay_pairs])),
        "fleiss_kappa": json_number(tokens.fleiss_kappa(layer)) if n_ann >= 3 else None,
        "krippendorff_alpha": json_number(tokens.krippendorff_alpha(layer)),
        "unitizing_alpha": json_number(
            _unitizing_of(u_alpha, [vocab.names[c] for c in vocab.layer_codes[layer]])
        ),
    }


def _pooled_pairs(pairs: Sequence[PairAgreement], tokens: TokenTally) -> list[PairAgreement]:
    """Each pair's figures over all layers: span counts added, kappa of the pooled matrix."""
    out: list[PairAgreement] = []
    for a, b in combinations(tokens.annotators, 2):
        mine = [p for p in pairs if p.a == a and p.b == b]
        out.append(
            PairAgreement(
                a,
                b,
                ALL,
                sum((p.exact for p in mine), PRF()),
                sum((p.overlap for p in mine), PRF()),
                tokens.cohen_kappa(a, b, ALL),
            )
        )
    return out


def _labels(
    layers: Sequence[str],
    vocab: Vocabulary,
    spans: SpanTally,
    tokens: TokenTally,
    u_alpha: UnitizingAlpha | None,
    annotators: Sequence[str],
) -> dict[str, LabelAgreement]:
    labels: dict[str, LabelAgreement] = {}
    for lay in layers:
        for code in vocab.layer_codes[lay]:
            name = vocab.names[code]
            labels[name] = LabelAgreement(
                label=name,
                layer=lay,
                counts={a: int(spans.counts[ai, code]) for ai, a in enumerate(annotators)},
                exact=spans.label_prf("exact", code),
                overlap=spans.label_prf("overlap", code),
                cohen_kappa=tokens.label_kappa(lay, code),
                krippendorff_alpha=tokens.label_alpha(lay, code),
                unitizing_alpha=u_alpha.categories.get(name, math.nan) if u_alpha else math.nan,
            )
    return labels


# Names that lived here before the report was split up, imported from here by callers.
__all__ = [
    "KINDS",
    "AgreementReport",
    "AttributionAgreement",
    "Corpus",
    "Disagreement",
    "DocumentAgreement",
    "LabelAgreement",
    "PairAgreement",
    "agreement",
]
