"""The base for every read model, including the ones users write themselves.

A projection names itself, declares its tables and the event classes it reads, and turns each
page of events into rows::

    class VisitsPerYear(Projection):
        \"\"\"How many visits each actor made or received per year.\"\"\"

        name = "visits_per_year"
        topics = (FactRecorded,)
        tables = (Table("counts", columns=(("actor", "text"), ("year", "int"), ("visits", "int")),
                        key=("actor", "year")),)

        def handle(self, events, out):
            for envelope in events:
                fact = envelope.payload
                if fact["kind"] == "visit":
                    ...
            out.upsert_add("counts", rows, add=("visits",))

The engine runs ``handle`` inside the transaction that also records the projection's position,
so a page is applied exactly once, and builds new generations of the tables beside the live ones
on a rebuild. ``envelope.payload`` is the stored JSON (fast); ``envelope.event`` is the typed event.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any, ClassVar, NamedTuple, cast
from uuid import UUID

import attrs
from eventsourcing.persistence import Mapper, StoredEvent

from events.topics import event_class
from infrastructure.database import BulkCursor, Cursor

_IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]{0,40}$")
_TYPES = {"text": ("TEXT", "TEXT"), "int": ("INTEGER", "BIGINT"), "real": ("REAL", "DOUBLE PRECISION")}
FIRST_DAY = date.min.isoformat()
LAST_DAY = date.max.isoformat()
NEVER = 2**62


def check_identifier(name: str) -> str:
    """Refuse a table, column or projection name that is not a plain lower-case identifier."""
    if not _IDENTIFIER.match(name):
        msg = f"{name!r} is not a valid name (lower-case letters, digits and _; start with a letter)"
        raise ValueError(msg)
    return name


def _columns(value: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    return tuple((str(name), str(kind)) for name, kind in value)


def _key(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


def _indexes(value: Iterable[Iterable[str]]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(index) for index in value)


_KIND_OF_TYPE: dict[Any, str] = {str: "text", int: "int", float: "real"}


def _column_kind(record: type[Any], column: str, hint: Any) -> str:
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        members = [member for member in typing.get_args(hint) if member is not type(None)]
        hint = members[0] if len(members) == 1 else hint
    kind = _KIND_OF_TYPE.get(hint)
    if kind is None:
        msg = f"column {column} of {record.__name__}: type must be str, int or float (or None with one of them)"
        raise ValueError(msg)
    return kind


BUILD_ROW = "build_row"


@attrs.frozen
class Table:
    """A table of a projection: columns (name, ``text``/``int``/``real``), key, secondary indexes.

    Built from a typed row record (a ``NamedTuple``) with :meth:`of`, the record is the one
    statement of the columns, and questions read rows as records, by name.

    On SQLite a table is ``clustered`` by default: its rows are stored in key order (``WITHOUT
    ROWID``), so a range of keys is read from a few pages; a wide table looked up by whole keys is
    better unclustered, its rows stored as they come with an index on the key.

    An ``append_only`` table only ever receives ``insert`` and ``insert_new``: on SQLite a rebuild
    appends its rows, in log order, to a plain staging table, and copies them in key order into the
    clustered table when it switches over, keeping each key's first row. Inserting in key order into
    a clustered table costs far less than inserting in log order, which touches pages all over it.
    """

    name: str = attrs.field(validator=lambda _i, _a, value: check_identifier(value))
    columns: tuple[tuple[str, str], ...] = attrs.field(converter=_columns)
    key: tuple[str, ...] = attrs.field(converter=_key)
    indexes: tuple[tuple[str, ...], ...] = attrs.field(converter=_indexes, factory=tuple)
    append_only: bool = attrs.field(default=False, kw_only=True)
    clustered: bool = attrs.field(default=True, kw_only=True)
    kept: bool = attrs.field(default=False, kw_only=True)

    @classmethod
    def of(
        cls,
        name: str,
        record: type[NamedTuple],
        *,
        key: Iterable[str],
        indexes: Iterable[Iterable[str]] = (),
        append_only: bool = False,
        clustered: bool = True,
        kept: bool = False,
    ) -> Table:
        """A table whose columns are the fields of ``record``, in order, typed by its annotations.

        A ``kept`` table is one table for every generation: a rebuild never drops or recreates it, so
        what was written there once (the ledger's anchors) is compared, never regenerated."""
        hints = typing.get_type_hints(record)
        columns = tuple((column, _column_kind(record, column, hints[column])) for column in record._fields)
        return cls(
            name,
            columns,
            key=tuple(key),
            indexes=tuple(tuple(index) for index in indexes),
            append_only=append_only,
            clustered=clustered,
            kept=kept,
        )

    def __attrs_post_init__(self) -> None:
        names = {column for column, _type in self.columns}
        for column, kind in self.columns:
            check_identifier(column)
            if kind not in _TYPES:
                msg = f"column {column} of table {self.name}: type must be text, int or real"
                raise ValueError(msg)
        if BUILD_ROW in names:
            msg = f"table {self.name}: the column name {BUILD_ROW} is kept for rebuilds"
            raise ValueError(msg)
        for column in (*self.key, *(c for index in self.indexes for c in index)):
            if column not in names:
                msg = f"table {self.name} has no column {column}"
                raise ValueError(msg)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column for column, _type in self.columns)

    def physical(self, projection: str, generation: int) -> str:
        """The table that holds one generation of this table (the same one for every generation if kept)."""
        return f"{projection}_{self.name}" if self.kept else f"{projection}_{self.name}_g{generation}"

    def create(self, physical: str, *, postgres: bool) -> str:
        columns = ", ".join(f"{column} {_TYPES[kind][postgres]}" for column, kind in self.columns)
        tail = " WITHOUT ROWID" if self.clustered and not postgres else ""
        exists = " IF NOT EXISTS" if self.kept else ""
        return f"CREATE TABLE{exists} {physical} ({columns}, PRIMARY KEY ({', '.join(self.key)})){tail}"

    def create_indexes(self, physical: str) -> list[str]:
        return [
            f"CREATE INDEX IF NOT EXISTS {physical}_i{number} ON {physical} ({', '.join(index)})"
            for number, index in enumerate(self.indexes)
        ]

    def create_staging(self, staging: str) -> str:
        """The plain SQLite table an append-only table is rebuilt in, its rows numbered as they are appended."""
        columns = ", ".join(f"{column} {_TYPES[kind][False]}" for column, kind in self.columns)
        return f"CREATE TABLE {staging} ({BUILD_ROW} INTEGER PRIMARY KEY, {columns})"

    def copy_sorted(self, staging: str, physical: str) -> str:
        """The statement filling the keyed table from its staging table in key order, each key's first row kept."""
        columns = ", ".join(self.column_names)
        return (
            f"INSERT INTO {physical} ({columns}) SELECT {columns} FROM {staging} WHERE true "
            f"ORDER BY {', '.join(self.key)}, {BUILD_ROW} ON CONFLICT DO NOTHING"
        )


class Envelope:
    """One stored event as projections see it: its position, topic, stream, version and payload."""

    __slots__ = (
        "_event",
        "_mapper",
        "event_class",
        "originator_id",
        "originator_version",
        "payload",
        "position",
        "state",
        "topic",
    )

    def __init__(
        self,
        *,
        position: int,
        originator_id: str,
        originator_version: int,
        topic: str,
        state: bytes,
        payload: dict[str, Any],
        mapper: Mapper[UUID],
    ) -> None:
        self.position = position
        self.originator_id = originator_id
        self.originator_version = originator_version
        self.topic = topic
        self.event_class = event_class(topic)
        self.state = state
        self.payload = payload
        self._mapper = mapper
        self._event: Any = None

    @property
    def type(self) -> str:
        """The event class's name (``FactRecorded``), whatever name its topic was stored under."""
        return self.event_class.__name__ if self.event_class is not None else self.topic.rpartition(":")[2]

    @property
    def event(self) -> Any:
        """The typed domain event (decoded on first use)."""
        if self._event is None:
            self._event = self._mapper.to_domain_event(
                StoredEvent(
                    originator_id=UUID(self.originator_id),
                    originator_version=self.originator_version,
                    topic=self.topic,
                    state=self.state,
                )
            )
        return self._event


@lru_cache(maxsize=4096)
def recorded_micros(timestamp: str) -> int:
    """An event's recording time (ISO text) as microseconds since the epoch, for ordering (the events of
    one batch share their time, so it is remembered)."""
    moment = datetime.fromisoformat(timestamp)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1_000_000)


@lru_cache(maxsize=4096)
def micros_to_datetime(micros: int) -> datetime:
    """The inverse of :func:`recorded_micros` (remembered too: the facts of one batch share their time)."""
    return datetime.fromtimestamp(micros / 1_000_000, tz=UTC)


_CONVERTERS: dict[str, Callable[[Any], Any]] = {"text": str, "int": int, "real": float}
_PYTHON_TYPES: dict[str, type[Any]] = {"text": str, "int": int, "real": float}
_COPY_TYPES = {"text": "text", "int": "int8", "real": "float8"}


def _one_type(values: tuple[Any, ...], kind: str) -> list[Any]:
    """A column's values as one array: PostgreSQL's binary arrays hold one type, so a column that mixes
    types (ints among floats) is converted to its declared type; rows sent one by one never needed it."""
    if len(set(map(type, values)) - {type(None)}) <= 1:
        return list(values)
    convert = _CONVERTERS[kind]
    return [None if value is None else convert(value) for value in values]


def _declared_type(values: tuple[Any, ...], kind: str) -> tuple[Any, ...] | list[Any]:
    """A column's values, each of its declared type (as PostgreSQL's binary COPY sends them)."""
    if set(map(type, values)) <= {_PYTHON_TYPES[kind], type(None)}:
        return values
    convert = _CONVERTERS[kind]
    return [None if value is None else convert(value) for value in values]


class Writer:
    """Writes a projection's rows inside the engine's transaction, into the generation being built."""

    def __init__(
        self,
        cursor: Cursor,
        tables: Mapping[str, tuple[Table, str]],
        postgres: bool,
        staged: frozenset[str] = frozenset(),
    ) -> None:
        self._cursor = cursor
        self._tables = tables
        self._postgres = postgres
        self._staged = staged

    def physical(self, table: str) -> str:
        """The physical name of one of the projection's tables in this generation."""
        return self._tables[table][1]

    def _statement(self, table: str, verb: str = "INSERT") -> tuple[Table, str]:
        spec, physical = self._tables[table]
        marks = ", ".join("?" * len(spec.columns))
        return spec, f"{verb} INTO {physical} ({', '.join(spec.column_names)}) VALUES ({marks})"

    def insert(self, table: str, rows: Sequence[Sequence[Any]]) -> None:
        """Insert rows (tuples in column order); a duplicate key is an error."""
        if rows:
            self._insert(table, rows, "")

    def insert_new(self, table: str, rows: Sequence[Sequence[Any]]) -> None:
        """Insert rows, skipping those whose key is already present (while an append-only table is rebuilt,
        every row is appended and the first of each key kept when it switches over)."""
        if rows:
            spec, _statement = self._tables[table]
            conflict = "" if table in self._staged else f" ON CONFLICT ({', '.join(spec.key)}) DO NOTHING"
            self._insert(table, rows, conflict)

    def _insert(self, table: str, rows: Sequence[Sequence[Any]], conflict: str) -> None:
        """On SQLite one ``executemany``. On PostgreSQL, rows that may not conflict go by binary ``COPY`` (a
        100k rebuild's timeline took a quarter of the client's time it took as arrays), the others as one
        statement over a typed array per column (psycopg's ``executemany`` sends a statement per row)."""
        spec, physical = self._tables[table]
        if not self._postgres:
            _spec, statement = self._statement(table)
            self._cursor.executemany(statement + conflict, rows)
            return
        columns = list(zip(*rows, strict=True))
        if not conflict:
            typed = [_declared_type(column, kind) for column, (_name, kind) in zip(columns, spec.columns, strict=True)]
            cast("BulkCursor", self._cursor).copy_rows(
                physical,
                spec.column_names,
                [_COPY_TYPES[kind] for _name, kind in spec.columns],
                zip(*typed, strict=True),
            )
            return
        arrays = ", ".join(f"%b::{_TYPES[kind][True]}[]" for _name, kind in spec.columns)
        self._cursor.execute(
            f"INSERT INTO {physical} ({', '.join(spec.column_names)}) SELECT * FROM unnest({arrays}){conflict}",
            [_one_type(column, kind) for column, (_name, kind) in zip(columns, spec.columns, strict=True)],
        )

    def upsert(self, table: str, rows: Sequence[Sequence[Any]]) -> None:
        """Insert rows, replacing every non-key column of rows whose key is present."""
        self._refuse_staged(table, "upsert")
        if rows:
            spec, statement = self._statement(table)
            values = [column for column in spec.column_names if column not in spec.key]
            update = ", ".join(f"{column} = excluded.{column}" for column in values)
            action = f"DO UPDATE SET {update}" if update else "DO NOTHING"
            self._cursor.executemany(f"{statement} ON CONFLICT ({', '.join(spec.key)}) {action}", rows)

    def upsert_add(self, table: str, rows: Sequence[Sequence[Any]], add: Sequence[str]) -> None:
        """Insert rows, adding the ``add`` columns to those of rows whose key is present (counters)."""
        self._refuse_staged(table, "upsert_add")
        if rows:
            spec, physical = self._tables[table]
            marks = ", ".join("?" * len(spec.columns))
            update = ", ".join(f"{column} = t.{column} + excluded.{column}" for column in add)
            self._cursor.executemany(
                f"INSERT INTO {physical} AS t ({', '.join(spec.column_names)}) VALUES ({marks}) "
                f"ON CONFLICT ({', '.join(spec.key)}) DO UPDATE SET {update}",
                rows,
            )

    def _refuse_staged(self, table: str, method: str) -> None:
        if self._tables[table][0].append_only:
            msg = f"table {table} is append-only: it takes insert and insert_new, not {method}"
            raise ValueError(msg)

    def execute(self, statement: str, params: Sequence[Any] = ()) -> list[Any]:
        """Run a statement; ``{table}`` names one of the projection's tables. Returns any rows."""
        text = statement.format(**{name: physical for name, (_spec, physical) in self._tables.items()})
        self._cursor.execute(text, params)
        if self._cursor.description is None:
            return []
        return list(self._cursor.fetchall())


class Projection:
    """Base class of read models: subclass it, set ``name``, ``tables``, ``topics`` and write ``handle``."""

    name: ClassVar[str] = ""
    version: ClassVar[int] = 1
    topics: ClassVar[tuple[type[Any], ...]] = ()
    tables: ClassVar[tuple[Table, ...]] = ()

    def handle(self, events: Sequence[Envelope], out: Writer) -> None:
        """Turn a page of events (only of ``topics``, in log order) into rows."""
        raise NotImplementedError
