"""A thin connection to the store's database for the read side, the same SQL on SQLite and PostgreSQL."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol

from infrastructure.store import PROJECTION_LOCK, StoreLocation

_MARK = re.compile(r"\?")


class Cursor(Protocol):
    @property
    def description(self) -> Any: ...
    def execute(self, statement: str, params: Sequence[Any] = ...) -> Any: ...
    def executemany(self, statement: str, params: Sequence[Sequence[Any]]) -> Any: ...
    def fetchall(self) -> list[Any]: ...
    def fetchone(self) -> Any: ...


class BulkCursor(Cursor, Protocol):
    """A cursor that also bulk-loads rows (PostgreSQL's ``COPY``)."""

    def copy_rows(
        self, table: str, columns: Sequence[str], types: Sequence[str], rows: Iterable[Sequence[Any]]
    ) -> None: ...


class Database:
    """One connection to the store's database; statements are written with ``?`` placeholders."""

    def __init__(self, location: StoreLocation) -> None:
        self.location = location
        self.postgres = location.kind == "postgresql"
        self.events_table = location.events_table
        self._connection: Any = None

    def _connect(self) -> Any:
        if self._connection is not None:
            return self._connection
        if self.postgres:
            import psycopg  # noqa: PLC0415  (only PostgreSQL stores need it)

            self._connection = psycopg.connect(
                dbname=self.location.dbname,
                host=self.location.host,
                port=self.location.port,
                user=self.location.user,
                password=self.location.password or None,
                connect_timeout=10,
                autocommit=True,
            )
        else:
            path = self.location.path
            connection = sqlite3.connect(
                path,
                uri=path.startswith("file:"),
                isolation_level=None,
                timeout=60,
                check_same_thread=False,
            )
            if self.location.kind != "memory":
                connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            self._connection = connection
        return self._connection

    def sql(self, statement: str) -> str:
        """The statement in this database's placeholder style."""
        return _MARK.sub("%s", statement) if self.postgres else statement

    @contextmanager
    def transaction(self, *, write: bool = True, serialised: bool = True) -> Iterator[Cursor]:
        """A transaction: committed when the block ends, rolled back if it raises.

        A write transaction on PostgreSQL is ``serialised`` with every other one that is (as SQLite's
        single writer serialises them all); a page of events applied to projections is not, since it
        locks the registry rows of its projections, so workers on different projections run side by side.
        """
        connection = self._connect()
        if self.postgres:
            with connection.transaction(), connection.cursor() as cursor:
                if write and serialised:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", (PROJECTION_LOCK,))
                yield _PgCursor(cursor, self)
            return
        cursor = connection.cursor()
        cursor.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        try:
            yield cursor
        except BaseException:
            connection.rollback()
            raise
        else:
            connection.commit()
        finally:
            cursor.close()

    def read(self, statement: str, params: Sequence[Any] = ()) -> list[Any]:
        """Rows of one query, outside any write transaction."""
        connection = self._connect()
        if self.postgres:
            with connection.cursor() as cursor:
                cursor.execute(self.sql(statement), params)
                return list(cursor.fetchall())
        return list(connection.execute(statement, params).fetchall())

    @property
    def position_column(self) -> str:
        """The column of the events table that holds an event's position in the log."""
        return "notification_id" if self.postgres else "rowid"

    def event_state(self, position: int) -> bytes | None:
        """The stored payload of the event at ``position`` in the log, or None if there is none."""
        rows = self.read(f"SELECT state FROM {self.events_table} WHERE {self.position_column} = ?", (position,))
        return bytes(rows[0][0]) if rows else None

    def change_counter(self) -> int | None:
        """A number that changes whenever another connection commits to the database (SQLite's
        ``data_version``); None on PostgreSQL, which has no such cheap signal."""
        if self.postgres:
            return None
        return int(self._connect().execute("PRAGMA data_version").fetchone()[0])

    def table_exists(self, name: str) -> bool:
        """Whether a table of this name exists."""
        if self.postgres:
            rows = self.read("SELECT 1 FROM information_schema.tables WHERE table_name = ?", (name,))
        else:
            rows = self.read("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,))
        return bool(rows)

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


class _PgCursor:
    """A psycopg cursor taking ``?`` placeholders."""

    def __init__(self, cursor: Any, database: Database) -> None:
        self._cursor = cursor
        self._database = database

    def execute(self, statement: str, params: Sequence[Any] = ()) -> Any:
        return self._cursor.execute(self._database.sql(statement), params)

    def executemany(self, statement: str, params: Sequence[Sequence[Any]]) -> Any:
        return self._cursor.executemany(self._database.sql(statement), params)

    def fetchall(self) -> list[Any]:
        return list(self._cursor.fetchall())

    def fetchone(self) -> Any:
        return self._cursor.fetchone()

    def copy_rows(
        self, table: str, columns: Sequence[str], types: Sequence[str], rows: Iterable[Sequence[Any]]
    ) -> None:
        """Rows of the given PostgreSQL types written by ``COPY ... FROM STDIN (FORMAT BINARY)``."""
        from psycopg import sql  # noqa: PLC0415  (only PostgreSQL stores need it)

        statement = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT BINARY)").format(
            sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
        )
        with self._cursor.copy(statement) as copy:
            copy.set_types(list(types))
            for row in rows:
                copy.write_row(row)

    @property
    def description(self) -> Any:
        return self._cursor.description
