"""What happened to an actor, or between actors, in valid-time order: an index of facts by party."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from events.facts import FactCorrected, FactRecorded
from projections.base import Envelope, Projection, Table, Writer
from projections.rows import period_bounds


class TimelineRow(NamedTuple):
    """A fact version filed under one of its parties, by valid time."""

    actor: str
    valid_lo: str
    fact_id: str
    version: int
    valid_hi: str
    kind: str


class Timeline(Projection):
    """What happened to an actor, or between actors, in valid-time order (facts indexed by party)."""

    name = "timeline"
    version = 1
    topics = (FactRecorded, FactCorrected)
    tables = (Table.of("by_actor", TimelineRow, key=("actor", "valid_lo", "fact_id", "version")),)

    def handle(self, events: Sequence[Envelope], out: Writer) -> None:
        rows: list[TimelineRow] = []
        for envelope in events:
            payload = envelope.payload
            _edtf, valid_lo, valid_hi = period_bounds(payload["date"])
            for party in sorted(set(payload["parties"])):
                rows.append(
                    TimelineRow(
                        party, valid_lo, envelope.originator_id, envelope.originator_version, valid_hi, payload["kind"]
                    )
                )
        out.insert("by_actor", rows)
