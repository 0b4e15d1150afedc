"""Quote & Entity Annotator: label named entities and quotations in news articles."""

__version__ = "0.1.0"
