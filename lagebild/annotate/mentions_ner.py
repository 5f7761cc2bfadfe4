"""Recogniser for names the KB does not know (persons, organisations, places): placeholder."""

from __future__ import annotations


def recogniser():
    """The shared recogniser, or None when no model is shipped."""
    return None
