"""spaCy-backed NLP: tokenization, pipelines and suggestions (no Qt, no storage)."""
