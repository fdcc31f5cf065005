"""Planned and expected facts, from the cues before them ("will", "plans to", "is expected to", "is to")."""

from __future__ import annotations

import re

from events.values import Modality

_EXPECTED = re.compile(
    r"\b(?:(?:is|are|was|were) (?:also )?(?:expected|anticipated|likely|projected|forecast) to|expects? to|"
    r"anticipates?|expected to|would likely)\b",
    re.IGNORECASE,
)
_PLANNED = re.compile(
    r"\b(?:will|shall|(?:is|are) (?:also )?(?:set|scheduled|due|slated|going|planning|to)|plans? to|planning to|"
    r"planned to|intends? to|aims? to|to be held|to be hosted|to be signed|to be opened|set to|in the near future|"
    r"plan(?:s|ning)? (?:a|an)|"
    r"next (?:year|month|week)|upcoming|forthcoming)\b",
    re.IGNORECASE,
)
_COMMITTED = re.compile(
    r"\b(?:(?:has|have) agreed to|agreed to|agree to|decided to|vowed to|pledged to|promised to)\b", re.IGNORECASE
)
_REPORTED_PAST = re.compile(r"\b(?:was|were) (?:set|scheduled|due|planned|expected) to\b", re.IGNORECASE)


def modality_of(window: str, *, commitments: bool = True) -> tuple[Modality, str | None]:
    """The modality the cues in ``window`` (the words before and at a trigger) give, and the cue itself.

    A commitment ("agreed to", "vowed to") makes what follows planned; the commitment itself, as a
    statement, happened (``commitments=False``).
    """
    if _REPORTED_PAST.search(window):
        return Modality.OCCURRED, None
    expected = _EXPECTED.search(window)
    if expected is not None:
        return Modality.EXPECTED, expected.group(0)
    planned = _PLANNED.search(window) or (_COMMITTED.search(window) if commitments else None)
    if planned is not None:
        return Modality.PLANNED, planned.group(0)
    return Modality.OCCURRED, None
