"""The library's PostgreSQL recorder, sending a batch of events as four arrays in binary."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import InterfaceError, OperationalError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from eventsourcing.utils import retry
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.sql import SQL, Identifier

from infrastructure.streams import CHUNK


class ArraysPostgresRecorder(PostgresApplicationRecorder):
    """Inserts a batch from parallel arrays (ids, versions, topics, states) in binary format.

    The library sends one array of a composite type, which psycopg dumps as text, escaping each
    field with a regular expression: at 10k facts that was a third of an ingest. The table lock,
    the NOTIFY and the notification ids returned in insert order are the library's own. The events are
    read once (each encoded as it is read, see :class:`infrastructure.codec.EncodedEvents`).
    """

    def __init__(self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events") -> None:
        super().__init__(datastore, events_table_name=events_table_name)
        self.insert_arrays_statement = SQL(
            "INSERT INTO {schema}.{table} (originator_id, originator_version, topic, state) "
            "SELECT * FROM unnest(%b::{id_type}[], %b::bigint[], %b::text[], %b::bytea[]) "
            "RETURNING notification_id"
        ).format(
            schema=Identifier(datastore.schema),
            table=Identifier(events_table_name),
            id_type=Identifier(datastore.originator_id_type),
        )

    def _insert_stored_events(self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **_: Any) -> None:
        self._lock_table(curs)
        self._notify_channel(curs)
        ids: list[UUID | str] = []
        versions: list[int] = []
        topics: list[str] = []
        states: list[bytes] = []
        for event in stored_events:
            ids.append(event.originator_id)
            versions.append(event.originator_version)
            topics.append(event.topic)
            states.append(event.state)
        curs.execute(self.insert_arrays_statement, (ids, versions, topics, states))

    def first_events_of(self, ids: Sequence[UUID]) -> set[UUID]:
        """Which of these streams already have events."""
        return {row["originator_id"] for row in self._select(ids, "originator_id", " AND originator_version = 1")}

    def events_of(self, ids: Sequence[UUID]) -> list[StoredEvent]:
        """Every stored event of these streams."""
        return [
            StoredEvent(
                originator_id=row["originator_id"],
                originator_version=row["originator_version"],
                topic=row["topic"],
                state=bytes(row["state"]),
            )
            for row in self._select(ids, "originator_id, originator_version, topic, state", "")
        ]

    def _select(self, ids: Sequence[UUID], columns: str, condition: str) -> list[DictRow]:
        rows: list[DictRow] = []
        table = f"{self.datastore.schema}.{self.events_table_name}" if self.datastore.schema else self.events_table_name
        for offset in range(0, len(ids), CHUNK):
            part = list(ids[offset : offset + CHUNK])
            with self.datastore.transaction(commit=False) as cursor:
                cursor.execute(f"SELECT {columns} FROM {table} WHERE originator_id = ANY(%b){condition}", (part,))
                rows.extend(cursor.fetchall())
        return rows

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        """The batch in one transaction, without psycopg's pipeline mode.

        The library pipelines its statements; with a batch of several megabytes (10,000 facts) the
        pipeline's sync deadlocked about one time in two (psycopg issue 685), the client waiting for
        an answer and the server for the rest of the request, and the ingest hung for good. Without
        the pipeline the few statements go one after another; errors are translated as before.
        """
        with self.datastore.get_connection() as connection, connection.transaction(), connection.cursor() as cursor:
            self._insert_events(cursor, stored_events, **kwargs)
            if not stored_events:
                return []
            self._insert_stored_events(cursor, stored_events, **kwargs)
            return self._fetch_ids_after_insert_events(cursor, stored_events, **kwargs)
