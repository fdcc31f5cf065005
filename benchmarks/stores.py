"""Stores prepared for the benchmarks (untimed): templates to copy per round, full stores, stored payloads."""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from itertools import count
from pathlib import Path
from typing import Any, TypeVar
from uuid import UUID

import attrs
import psycopg
from psycopg import sql

from application.app import IngestBatch
from application.bootstrap import open_app
from benchmarks.raw import Row
from benchmarks.synthetic import World
from events.facts import FactRecorded
from events.topics import topic_of

AT = datetime(2026, 1, 15, 9, 30, tzinfo=UTC)
FACT_TOPIC = topic_of(FactRecorded)
PG_HOST = os.environ.get("PARADIP_BENCH_PG_HOST", "127.0.0.1")
PG_PORT = int(os.environ.get("PARADIP_BENCH_PG_PORT", "5432"))
PG_USER = os.environ.get("PARADIP_BENCH_PG_USER", "postgres")
# On PostgreSQL a batch is written in chunks: the library's pipelined insert of one large batch (10k
# facts, about 6 MB) hangs in psycopg's pipeline sync about one time in two (psycopg issue #685), so
# ours and the raw baseline both commit one transaction per chunk of this many facts.
POSTGRES_CHUNK = 2_000
SOURCES_CHUNK = 500

T = TypeVar("T")


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def checkpoint(path: Path) -> None:
    """Fold the write-ahead log into the file, so that copying the file alone copies the database."""
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()


def copy_sqlite(source: Path, target: Path) -> Path:
    remove_sqlite(target)
    shutil.copyfile(source, target)
    return target


@attrs.define
class SqliteStore:
    """A world on SQLite: the prelude (actors and sources, no facts) and the full store (every fact)."""

    directory: Path
    prelude: Path
    full: Path
    rows: list[Row]
    events: int
    prepare_seconds: float
    _numbers: Iterator[int] = attrs.field(factory=count, init=False)

    def fresh_copy(self) -> Path:
        """A new file holding the prelude, for one round of an ingest."""
        return copy_sqlite(self.prelude, self.directory / f"round-{next(self._numbers)}.sqlite")


def prepare_sqlite(world: World, directory: Path) -> SqliteStore:
    """Register the world's actors and sources (the prelude), then record its facts in a copy (the full store)."""
    started = time.perf_counter()
    directory.mkdir(parents=True, exist_ok=True)
    prelude = directory / "prelude.sqlite"
    full = directory / "full.sqlite"
    remove_sqlite(prelude)
    app = open_app(sqlite_url(prelude), keep_read_models_current=False)
    try:
        app.ingest(IngestBatch(actors=world.actors, sources=world.sources), at=AT)
    finally:
        app.close()
    checkpoint(prelude)
    copy_sqlite(prelude, full)
    app = open_app(sqlite_url(full), keep_read_models_current=False)
    try:
        report = app.ingest(IngestBatch(facts=world.facts), at=AT)
    finally:
        app.close()
    assert report.facts_recorded == len(world.facts), report
    rows, events = _fact_rows(full)
    return SqliteStore(
        directory=directory,
        prelude=prelude,
        full=full,
        rows=rows,
        events=events,
        prepare_seconds=time.perf_counter() - started,
    )


def _fact_rows(path: Path) -> tuple[list[Row], int]:
    """The stored FactRecorded rows of a store, in log order, as the raw baselines write them; and the event count."""
    connection = sqlite3.connect(path)
    try:
        rows = connection.execute(
            "SELECT originator_id, originator_version, topic, state FROM stored_events WHERE topic = ? ORDER BY rowid",
            (FACT_TOPIC,),
        ).fetchall()
        (events,) = connection.execute("SELECT COUNT(*) FROM stored_events").fetchone()
    finally:
        connection.close()
    return rows, int(events)


# PostgreSQL


def postgres_problem() -> str | None:
    """Why the PostgreSQL server cannot be used, or None."""
    try:
        with psycopg.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, dbname="postgres", connect_timeout=3):
            return None
    except Exception as error:
        text = str(error).strip()
        return text.splitlines()[0] if text else repr(error)


class PostgresServer:
    """Creates databases for one benchmark run (optionally from a template) and drops every one of them."""

    def __init__(self) -> None:
        self.prefix = f"paradip_bench_{os.getpid()}"
        self._numbers = count()
        self.created: list[str] = []

    def _admin(self) -> psycopg.Connection[Any]:
        return psycopg.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, dbname="postgres", autocommit=True)

    def url(self, name: str) -> str:
        return f"postgresql://{PG_USER}@{PG_HOST}:{PG_PORT}/{name}"

    def create(self, label: str, template: str | None = None) -> str:
        """A new database (a copy of ``template`` if given); returns its name."""
        name = f"{self.prefix}_{label}_{next(self._numbers)}"
        statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template is not None:
            statement = sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name), sql.Identifier(template))
        with self._admin() as connection:
            connection.execute(statement)
        self.created.append(name)
        return name

    def drop(self, name: str) -> None:
        with self._admin() as connection:
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        if name in self.created:
            self.created.remove(name)

    def drop_all(self) -> None:
        for name in list(self.created):
            self.drop(name)

    def connect(self, name: str) -> psycopg.Connection[Any]:
        return psycopg.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, dbname=name)

    def version(self) -> str:
        with self._admin() as connection:
            row = connection.execute("SHOW server_version").fetchone()
        return str(row[0]) if row else "?"


@attrs.define
class PostgresStore:
    """A world on PostgreSQL: a prelude database (a template for each ingest round) and a full one."""

    server: PostgresServer
    prelude: str
    full: str
    rows: list[Row]
    prepare_seconds: float

    def fresh_copy(self) -> str:
        return self.server.create("round", template=self.prelude)


def chunks(items: Sequence[T], size: int) -> list[Sequence[T]]:
    return [items[offset : offset + size] for offset in range(0, len(items), size)]


def fact_batches(world: World, size: int = POSTGRES_CHUNK) -> list[IngestBatch]:
    """The world's facts as ingest batches of ``size`` facts."""
    return [IngestBatch(facts=part) for part in chunks(world.facts, size)]


def prepare_postgres(world: World, server: PostgresServer, rows: list[Row]) -> PostgresStore:
    """The prelude database, and a copy of it in which every fact is recorded (in chunks, see POSTGRES_CHUNK)."""
    started = time.perf_counter()
    prelude = server.create("prelude")
    app = open_app(server.url(prelude), keep_read_models_current=False)
    try:
        app.ingest(IngestBatch(actors=world.actors), at=AT)
        for part in chunks(world.sources, SOURCES_CHUNK):
            app.ingest(IngestBatch(sources=part), at=AT)
    finally:
        app.close()
    full = server.create("full", template=prelude)
    app = open_app(server.url(full), keep_read_models_current=False)
    try:
        recorded = sum(app.ingest(batch, at=AT).facts_recorded for batch in fact_batches(world))
    finally:
        app.close()
    assert recorded == len(world.facts), recorded
    pg_rows: list[Row] = [(UUID(hex=stream), version, topic, state) for stream, version, topic, state in rows]
    return PostgresStore(
        server=server, prelude=prelude, full=full, rows=pg_rows, prepare_seconds=time.perf_counter() - started
    )
