"""Drafting candidate facts from a new document: pure functions over its text, a publication date and the gazetteer.

A draft is never ingested by itself: a person reviews it, then runs ``paradip ingest --check`` and
``paradip ingest``.
"""

from drafting.assemble import Drafter
from drafting.model import Candidate, Draft, Unresolved

__all__ = ["Candidate", "Draft", "Drafter", "Unresolved"]
