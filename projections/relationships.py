"""How each pair of actors stood over time: the evidence a relationship's status is folded from."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from domain.status import RELATIONSHIP_KINDS
from events.facts import FactCorrected, FactRecorded
from projections.base import Envelope, Projection, Table, Writer
from projections.evidence import evidence_row, evidence_table
from projections.rows import pair_key, pairs

_KINDS = frozenset(str(kind) for kind in RELATIONSHIP_KINDS)


class Relationships(Projection):
    """How each pair of actors stood over time: relationship evidence per pair, by valid time."""

    name = "relationships"
    version = 1
    topics = (FactRecorded, FactCorrected)
    tables = (
        evidence_table("evidence"),
        Table("pairs", (("actor", "text"), ("other", "text")), key=("actor", "other")),
    )

    def handle(self, events: Sequence[Envelope], out: Writer) -> None:
        evidence: list[tuple[Any, ...]] = []
        partners: set[tuple[str, str]] = set()
        for envelope in events:
            payload = envelope.payload
            if payload["kind"] not in _KINDS:
                continue
            for a, b in pairs(payload["parties"]):
                evidence.append(evidence_row(pair_key(a, b), envelope))
                partners.add((a, b))
                partners.add((b, a))
        out.insert("evidence", evidence)
        out.insert_new("pairs", sorted(partners))
