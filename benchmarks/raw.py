"""The raw SQL peers of ingest and replay: the same payloads written and read with nothing but the driver.

Kept free of the project's imports, so that a process measuring the raw read's memory loads only
sqlite3 and orjson.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import orjson

PAGE = 10_000  # the engine's page size (projections.engine.PAGE; checked by bench_replay)
Row = tuple[Any, int, str, bytes]

SQLITE_INSERT = "INSERT INTO stored_events VALUES (?,?,?,?)"
SQLITE_PAGE = (
    "SELECT rowid, originator_id, originator_version, topic, state FROM stored_events "
    "WHERE rowid > ? ORDER BY rowid LIMIT ?"
)
POSTGRES_INSERT = "INSERT INTO {table} (originator_id, originator_version, topic, state) VALUES (%s, %s, %s, %s)"
POSTGRES_PAGE = (
    "SELECT notification_id, originator_id, originator_version, topic, state FROM {table} "
    "WHERE notification_id > %s ORDER BY notification_id LIMIT %s"
)


def open_sqlite(path: Path) -> sqlite3.Connection:
    """A connection as the library opens one: autocommit mode with explicit transactions, WAL journal."""
    connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    connection.execute("PRAGMA journal_mode=WAL")
    return connection


def _read_pages(fetch: Callable[[int], list[Any]]) -> int:
    """Every page ``fetch`` gives after the last position read, each state parsed with orjson; the count."""
    last = 0
    total = 0
    while True:
        rows = fetch(last)
        if not rows:
            return total
        for row in rows:
            orjson.loads(row[4])
        last = rows[-1][0]
        total += len(rows)


def raw_insert_sqlite(connection: sqlite3.Connection, rows: Sequence[Row]) -> None:
    """The library's insert statement over every payload with one executemany, in one transaction."""
    connection.execute("BEGIN")
    connection.executemany(SQLITE_INSERT, rows)
    connection.execute("COMMIT")


def raw_read_sqlite(connection: sqlite3.Connection, page: int = PAGE) -> int:
    """Every stored event in log order, page by page, each state parsed with orjson; returns the count."""
    return _read_pages(lambda last: connection.execute(SQLITE_PAGE, (last, page)).fetchall())


def raw_insert_postgres(connection: Any, table: str, rows: Sequence[Row]) -> None:
    """A plain INSERT over every payload with psycopg's executemany, in one transaction."""
    with connection.transaction(), connection.cursor() as cursor:
        cursor.executemany(POSTGRES_INSERT.format(table=table), rows)


def raw_read_postgres(connection: Any, table: str, page: int = PAGE) -> int:
    """Every stored event in notification order, page by page, each state parsed with orjson."""
    statement = POSTGRES_PAGE.format(table=table)
    with connection.cursor() as cursor:
        return _read_pages(lambda last: cursor.execute(statement, (last, page)).fetchall())
