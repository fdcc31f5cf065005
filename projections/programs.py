"""How each programme and conference series stood over time: its starts, rounds, suspensions, ends."""

from __future__ import annotations

from collections.abc import Sequence

from domain.kinds import PROGRAM_KINDS
from events.facts import FactCorrected, FactRecorded
from projections.base import Envelope, Projection, Writer
from projections.evidence import EvidenceRow, evidence_row, evidence_table

_KINDS = frozenset(str(kind) for kind in PROGRAM_KINDS)


class Programs(Projection):
    """How each programme and conference series stood over time: programme evidence per party."""

    name = "programs"
    version = 2
    topics = (FactRecorded, FactCorrected)
    tables = (evidence_table("evidence"),)

    def handle(self, events: Sequence[Envelope], out: Writer) -> None:
        rows: list[EvidenceRow] = []
        for envelope in events:
            payload = envelope.payload
            if payload["kind"] in _KINDS:
                rows.extend(evidence_row(party, envelope) for party in sorted(set(payload["parties"])))
        out.insert("evidence", rows)
