"""What the application asks of a recorder beyond the library's protocol: many streams in one query."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol
from uuid import UUID

from eventsourcing.persistence import StoredEvent

CHUNK = 500


class StreamQueries(Protocol):
    """Reads of many streams at once, one query per chunk of ids rather than one per stream."""

    def first_events_of(self, ids: Sequence[UUID]) -> set[UUID]:
        """Which of these streams already have events."""

    def events_of(self, ids: Sequence[UUID]) -> list[StoredEvent]:
        """Every stored event of these streams."""
