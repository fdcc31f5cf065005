"""The library's SQLite recorder, inserting a batch at once and reading many streams in one query."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor

from infrastructure.streams import CHUNK


class BatchedSQLiteRecorder(SQLiteApplicationRecorder):
    """The library's SQLite recorder, inserting a batch with one ``executemany`` over the events as they come
    (from :class:`infrastructure.codec.EncodedEvents`, each encoded as it is bound).

    Notification ids are the rowids, which SQLite assigns consecutively inside the one write
    transaction that holds the lock, so they are read back as a range.
    """

    def _insert_events(self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **_: Any) -> Sequence[int] | None:
        if not stored_events:
            return []
        c.executemany(
            self.insert_events_statement,
            (
                (
                    s.originator_id.hex if isinstance(s.originator_id, UUID) else s.originator_id,
                    s.originator_version,
                    s.topic,
                    s.state,
                )
                for s in stored_events
            ),
        )
        last = self._max_notification_id(c)
        return list(range(last - len(stored_events) + 1, last + 1))

    def first_events_of(self, ids: Sequence[UUID]) -> set[UUID]:
        """Which of these streams already have events."""
        return {UUID(row[0]) for row in self._select(ids, "originator_id", " AND originator_version = 1")}

    def events_of(self, ids: Sequence[UUID]) -> list[StoredEvent]:
        """Every stored event of these streams."""
        return [
            StoredEvent(originator_id=UUID(row[0]), originator_version=row[1], topic=row[2], state=bytes(row[3]))
            for row in self._select(ids, "originator_id, originator_version, topic, state", "")
        ]

    def _select(self, ids: Sequence[UUID], columns: str, condition: str) -> list[Any]:
        rows: list[Any] = []
        for offset in range(0, len(ids), CHUNK):
            part = ids[offset : offset + CHUNK]
            marks = ",".join("?" * len(part))
            with self.datastore.transaction(commit=False) as cursor:
                cursor.execute(
                    f"SELECT {columns} FROM {self.events_table_name} WHERE originator_id IN ({marks}){condition}",
                    [stream.hex for stream in part],
                )
                rows.extend(cursor.fetchall())
        return rows
