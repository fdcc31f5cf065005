"""The physical floor of a replay: the log read raw, and the read models' final rows written by plain SQL.

A replay must at least read every event and leave every read-model row in its table. The floor does
exactly that and nothing more: the raw paged read with ``orjson.loads`` of each state (the replay's
raw baseline), then the rows a replay left behind, captured beforehand (untimed) in key order,
written into the same table layouts (the same ``CREATE TABLE``, the same secondary indexes made
after the rows) in one transaction, with no Python work per row beyond the driver's: one
``executemany`` per table on SQLite, one binary ``COPY`` per table on PostgreSQL (its bulk load,
and what our writer uses for rows that cannot conflict). Rows written more than once by a replay
(upserts, counters) are written once here, so the floor is below any replay's work.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

import attrs

from application.app import Paradip
from application.bootstrap import BUILTIN
from projections.base import Table

COPY_TYPES = {"text": "text", "int": "int8", "real": "float8"}


@attrs.frozen
class FloorTable:
    """One read-model table: its declaration, a name for it, and its final rows in key order."""

    spec: Table
    name: str
    rows: list[tuple[Any, ...]]


def captured_tables(app: Paradip) -> list[FloorTable]:
    """Every row of every built-in read model as it stands after a replay (untimed)."""
    tables = []
    for projection in BUILTIN:
        for spec in projection.tables:
            _name, _columns, rows = app.questions.view_rows(projection.name, spec.name)
            tables.append(FloorTable(spec=spec, name=f"floor_{projection.name}_{spec.name}", rows=rows))
    return tables


def row_count(tables: Sequence[FloorTable]) -> int:
    return sum(len(table.rows) for table in tables)


def write_sqlite(connection: sqlite3.Connection, tables: Sequence[FloorTable]) -> None:
    """Create the tables, insert every row with one executemany per table, add the indexes, commit once."""
    connection.execute("BEGIN")
    for table in tables:
        connection.execute(table.spec.create(table.name, postgres=False))
        marks = ", ".join("?" * len(table.spec.columns))
        connection.executemany(f"INSERT INTO {table.name} VALUES ({marks})", table.rows)
        for statement in table.spec.create_indexes(table.name):
            connection.execute(statement)
    connection.execute("COMMIT")


def write_postgres(connection: Any, tables: Sequence[FloorTable]) -> None:
    """Create the tables, load every row with one binary COPY per table, add the indexes, commit once."""
    with connection.transaction(), connection.cursor() as cursor:
        for table in tables:
            cursor.execute(table.spec.create(table.name, postgres=True))
            with cursor.copy(f"COPY {table.name} FROM STDIN (FORMAT BINARY)") as copy:
                copy.set_types([COPY_TYPES[kind] for _column, kind in table.spec.columns])
                for row in table.rows:
                    copy.write_row(row)
            for statement in table.spec.create_indexes(table.name):
                cursor.execute(statement)
