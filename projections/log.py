"""The event log as the projections read it: its head, and pages of it as envelopes."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import orjson
from eventsourcing.persistence import Mapper

from infrastructure.database import Database
from projections.base import Envelope


class EventLog:
    """The stored events of one store, in the order of their positions."""

    def __init__(self, database: Database, mapper: Mapper[UUID]) -> None:
        self.db = database
        self.mapper = mapper

    def head(self) -> int:
        """The position of the newest event in the log."""
        rows = self.db.read(f"SELECT MAX({self.db.position_column}) FROM {self.db.events_table}")
        return int(rows[0][0] or 0) if rows else 0

    def read(self, after: int, limit: int) -> list[Envelope]:
        """A page of the log after ``after``, outside any transaction (for audits)."""
        return [self.envelope(row) for row in self.db.read(self.page_statement(), (after, limit))]

    def page_statement(self) -> str:
        column = self.db.position_column
        return (
            f"SELECT {column}, originator_id, originator_version, topic, state FROM {self.db.events_table} "
            f"WHERE {column} > ? ORDER BY {column} LIMIT ?"
        )

    def envelope(self, row: Any) -> Envelope:
        position, originator_id, version, topic, state = row
        state = bytes(state)
        if isinstance(originator_id, UUID):
            originator_id = originator_id.hex
        return Envelope(
            position=int(position),
            originator_id=str(originator_id),
            originator_version=int(version),
            topic=topic,
            state=state,
            payload=orjson.loads(state),
            mapper=self.mapper,
        )
