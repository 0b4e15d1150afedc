"""Plain data model of the annotator: no Qt, no SQLAlchemy, no spaCy (stdlib only)."""

from annotator.core.errors import AnnotatorError, ValidationError
from annotator.core.labels import DEFAULT_SCHEME, LabelScheme, LabelSpec, default_layer
from annotator.core.model import (
    Annotation,
    AnnotationStatus,
    Annotator,
    AnnotatorKind,
    AnnotatorRole,
    Document,
    Layer,
    Origin,
    QuoteKind,
    Relation,
    RelationLabel,
    Span,
    SpanKey,
    Token,
    text_sha256,
)
from annotator.core.tokens import (
    TokenIndex,
    decode_tokens,
    encode_tokens,
    snap_range,
    token_index_range,
)
from annotator.core.validation import validate_annotation, validate_span

__all__ = [
    "DEFAULT_SCHEME",
    "Annotation",
    "AnnotationStatus",
    "Annotator",
    "AnnotatorError",
    "AnnotatorKind",
    "AnnotatorRole",
    "Document",
    "LabelScheme",
    "LabelSpec",
    "Layer",
    "Origin",
    "QuoteKind",
    "Relation",
    "RelationLabel",
    "Span",
    "SpanKey",
    "Token",
    "TokenIndex",
    "ValidationError",
    "decode_tokens",
    "default_layer",
    "encode_tokens",
    "snap_range",
    "text_sha256",
    "token_index_range",
    "validate_annotation",
    "validate_span",
]
