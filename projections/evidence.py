"""Evidence rows: what a status fold needs of a fact version, filed under a subject (a pair or an actor)."""

from __future__ import annotations

from typing import NamedTuple

from projections.base import Envelope, Table, recorded_micros
from projections.rows import period_bounds


class EvidenceRow(NamedTuple):
    """One fact version as evidence about one subject (a pair of actors, or a programme)."""

    subject: str
    valid_lo: str
    fact_id: str
    version: int
    valid_hi: str
    pub_lo: str
    pub_hi: str
    recorded: int
    position: int
    kind: str
    modality: str
    level: str | None
    edtf: str


def evidence_table(name: str) -> Table:
    """A table of evidence, its key leading with subject and valid time for as-of range scans."""
    return Table.of(name, EvidenceRow, key=("subject", "valid_lo", "fact_id", "version"))


def evidence_row(subject: str, envelope: Envelope) -> EvidenceRow:
    """One evidence row of a FactRecorded or FactCorrected payload under ``subject``."""
    payload = envelope.payload
    edtf, valid_lo, valid_hi = period_bounds(payload["date"])
    _published, pub_lo, pub_hi = period_bounds(payload["published"])
    level = payload["attributes"].get("level")
    return EvidenceRow(
        subject,
        valid_lo,
        envelope.originator_id,
        envelope.originator_version,
        valid_hi,
        pub_lo,
        pub_hi,
        recorded_micros(payload["timestamp"]),
        envelope.position,
        payload["kind"],
        payload["modality"],
        level if isinstance(level, str) else None,
        edtf,
    )
