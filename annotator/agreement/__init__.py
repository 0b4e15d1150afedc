"""Agreement and evaluation figures between annotators (no Qt, no database, no spaCy)."""

from annotator.agreement.spans import PRF, Evaluation, align_spans, evaluate, match_spans

__all__ = ["PRF", "Evaluation", "align_spans", "evaluate", "match_spans"]
