"""Evidence rows: what a status fold needs of a fact version, filed under a subject (a pair or an actor)."""

from __future__ import annotations

from typing import NamedTuple

from projections.base import FIRST_DAY, Envelope, Table


class EvidenceRow(NamedTuple):
    """One fact version as evidence about one subject (a pair of actors, or a programme): where to find it
    by valid time, and the level it gives; the rest of the fact is read from its version row."""

    subject: str
    valid_lo: str
    fact_id: str
    version: int
    level: str | None


def evidence_table(name: str) -> Table:
    """A table of evidence, its key leading with subject and valid time for as-of range scans."""
    return Table.of(name, EvidenceRow, key=("subject", "valid_lo", "fact_id", "version"), append_only=True)


def evidence_row(subject: str, envelope: Envelope) -> EvidenceRow:
    """One evidence row of a FactRecorded or FactCorrected payload under ``subject``."""
    payload = envelope.payload
    level = payload["attributes"].get("level")
    return EvidenceRow(
        subject,
        payload["date"]["earliest"] or FIRST_DAY,
        envelope.originator_id,
        envelope.originator_version,
        level if isinstance(level, str) else None,
    )
