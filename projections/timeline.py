"""What happened to an actor, or between actors, in valid-time order: an index of facts by party."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from events.facts import FactCorrected, FactRecorded
from projections.base import FIRST_DAY, Envelope, Projection, Table, Writer


class TimelineRow(NamedTuple):
    """A fact filed under one of its parties by the first day it may have happened (once per distinct day,
    its versions' values are read from the fact-version rows)."""

    actor: str
    valid_lo: str
    fact_id: str


class Timeline(Projection):
    """What happened to an actor, or between actors, in valid-time order (facts indexed by party)."""

    name = "timeline"
    version = 2
    topics = (FactRecorded, FactCorrected)
    tables = (Table.of("by_actor", TimelineRow, key=("actor", "valid_lo", "fact_id"), append_only=True),)

    def handle(self, events: Sequence[Envelope], out: Writer) -> None:
        recorded: list[TimelineRow] = []
        corrected: list[TimelineRow] = []
        for envelope in events:
            payload = envelope.payload
            valid_lo = payload["date"]["earliest"] or FIRST_DAY
            rows = recorded if envelope.originator_version == 1 else corrected
            rows.extend(
                TimelineRow(party, valid_lo, envelope.originator_id) for party in sorted(set(payload["parties"]))
            )
        out.insert("by_actor", recorded)
        out.insert_new("by_actor", corrected)
