"""Readers and writers of article and annotation files (no Qt, no storage)."""
