"""How each pair of actors stood over time: the evidence a relationship's status is folded from."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from domain.kinds import RELATIONSHIP_KINDS
from events.facts import FactCorrected, FactRecorded
from projections.base import Envelope, Projection, Table, Writer
from projections.evidence import EvidenceRow, evidence_row, evidence_table
from projections.rows import pair_key, pairs

_KINDS = frozenset(str(kind) for kind in RELATIONSHIP_KINDS)


class PairRow(NamedTuple):
    """Two actors that share at least one relationship fact, filed under each of them."""

    actor: str
    other: str


class Relationships(Projection):
    """How each pair of actors stood over time: relationship evidence per pair, by valid time."""

    name = "relationships"
    version = 2
    topics = (FactRecorded, FactCorrected)
    tables = (
        evidence_table("evidence"),
        Table.of("pairs", PairRow, key=("actor", "other"), append_only=True),
    )

    def handle(self, events: Sequence[Envelope], out: Writer) -> None:
        evidence: list[EvidenceRow] = []
        partners: set[PairRow] = set()
        for envelope in events:
            payload = envelope.payload
            if payload["kind"] not in _KINDS:
                continue
            for a, b in pairs(payload["parties"]):
                evidence.append(evidence_row(pair_key(a, b), envelope))
                partners.add(PairRow(a, b))
                partners.add(PairRow(b, a))
        out.insert("evidence", evidence)
        out.insert_new("pairs", sorted(partners))
