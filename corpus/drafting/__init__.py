"""Drafting candidate facts from a new document: pure functions over its text, a publication date and the gazetteer.

A draft is never ingested by itself: a person reviews it, then runs ``paradip ingest --check`` and
``paradip ingest``.
"""

from corpus.drafting.assemble import Drafter
from corpus.drafting.model import Candidate, Draft, Unresolved

__all__ = ["Candidate", "Draft", "Drafter", "Unresolved"]
