"""Full replay: every projection rebuilt from position 0, beside a raw read of the log and beside its floor.

Ours rebuilds every read model into new tables and switches over (``app.replay([], from_scratch=True)``);
the raw baseline pages through the same table with the engine's own query and page size, parsing each
state with orjson, and writes nothing; the floor (``benchmarks.floor``) does that read and writes the
read models' final rows, captured beforehand, by plain SQL.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

from pytest_benchmark.fixture import BenchmarkFixture

from application.app import Paradip
from benchmarks.floor import captured_tables, row_count, write_postgres, write_sqlite
from benchmarks.measure import Case, describe, rounds_for
from benchmarks.raw import PAGE, open_sqlite, raw_read_postgres, raw_read_sqlite
from benchmarks.stores import PostgresStore, SqliteStore, remove_sqlite
from projections import engine

ROUNDS_AT_10K = 5
Setup = tuple[tuple[Any, ...], dict[str, Any]]


def _replay_ours(benchmark: BenchmarkFixture, case: Case, store: str, prepare_seconds: float, app: Paradip) -> None:
    describe(
        benchmark,
        case,
        measure="replay",
        store=store,
        side="ours",
        count=app.head(),
        unit="events/s",
        prepare_seconds=prepare_seconds,
    )
    benchmark.pedantic(
        app.replay, args=([],), kwargs={"from_scratch": True}, rounds=rounds_for(case.size, ROUNDS_AT_10K)
    )


def bench_replay_sqlite_ours(
    benchmark: BenchmarkFixture, case: Case, sqlite_store: SqliteStore, sqlite_app: Paradip
) -> None:
    """Events per second of a from-scratch rebuild of every projection on SQLite."""
    _replay_ours(benchmark, case, "sqlite", sqlite_store.prepare_seconds, sqlite_app)


def bench_replay_sqlite_raw(
    benchmark: BenchmarkFixture, case: Case, sqlite_store: SqliteStore, sqlite_app: Paradip
) -> None:
    """Events per second of a paged sqlite3 read of the whole log with orjson.loads of each state."""
    assert engine.PAGE == PAGE, "the raw read must use the engine's page size"
    connection = open_sqlite(sqlite_store.full)
    try:
        count = raw_read_sqlite(connection)
        assert count == sqlite_app.head()
        describe(benchmark, case, measure="replay", store="sqlite", side="raw", count=count, unit="events/s")
        benchmark.pedantic(raw_read_sqlite, args=(connection,), rounds=rounds_for(case.size, ROUNDS_AT_10K))
    finally:
        connection.close()


def bench_replay_sqlite_floor(
    benchmark: BenchmarkFixture, case: Case, sqlite_store: SqliteStore, sqlite_views: Paradip
) -> None:
    """Events per second of the floor: the raw read of the log, then the final rows written by plain SQL."""
    tables = captured_tables(sqlite_views)
    log = open_sqlite(sqlite_store.full)
    numbers = itertools.count()

    def setup() -> Setup:
        path = sqlite_store.directory / f"floor-{next(numbers)}.sqlite"
        remove_sqlite(path)
        return (open_sqlite(path), path), {}

    def run(target: Any, path: Path) -> None:
        raw_read_sqlite(log)
        write_sqlite(target, tables)

    def teardown(target: Any, path: Path) -> None:
        target.close()
        remove_sqlite(path)

    try:
        events = sqlite_views.head()
        describe(benchmark, case, measure="replay", store="sqlite", side="floor", count=events, unit="events/s")
        benchmark.extra_info["rows"] = row_count(tables)
        benchmark.pedantic(run, setup=setup, teardown=teardown, rounds=rounds_for(case.size, ROUNDS_AT_10K))
    finally:
        log.close()


def bench_replay_postgres_ours(
    benchmark: BenchmarkFixture, case: Case, postgres_store: PostgresStore, postgres_app: Paradip
) -> None:
    """Events per second of a from-scratch rebuild of every projection on PostgreSQL."""
    _replay_ours(benchmark, case, "postgresql", postgres_store.prepare_seconds, postgres_app)


def bench_replay_postgres_raw(
    benchmark: BenchmarkFixture, case: Case, postgres_store: PostgresStore, postgres_app: Paradip
) -> None:
    """Events per second of a paged psycopg read of the whole log with orjson.loads of each state."""
    server = postgres_store.server
    table = postgres_app.location.events_table
    with server.connect(postgres_store.full) as connection:
        count = raw_read_postgres(connection, table)
        assert count == postgres_app.head()
        describe(benchmark, case, measure="replay", store="postgresql", side="raw", count=count, unit="events/s")
        benchmark.pedantic(raw_read_postgres, args=(connection, table), rounds=rounds_for(case.size, ROUNDS_AT_10K))


def bench_replay_postgres_floor(
    benchmark: BenchmarkFixture, case: Case, postgres_store: PostgresStore, postgres_app: Paradip
) -> None:
    """Events per second of the floor on PostgreSQL: the raw read, then the final rows by plain SQL."""
    postgres_app.catch_up()
    tables = captured_tables(postgres_app)
    server = postgres_store.server
    table = postgres_app.location.events_table

    def setup() -> Setup:
        name = server.create("floor")
        return (server.connect(name), name), {}

    def run(target: Any, name: str) -> None:
        raw_read_postgres(log, table)
        write_postgres(target, tables)

    def teardown(target: Any, name: str) -> None:
        target.close()
        server.drop(name)

    with server.connect(postgres_store.full) as log:
        events = postgres_app.head()
        describe(benchmark, case, measure="replay", store="postgresql", side="floor", count=events, unit="events/s")
        benchmark.extra_info["rows"] = row_count(tables)
        benchmark.pedantic(run, setup=setup, teardown=teardown, rounds=rounds_for(case.size, ROUNDS_AT_10K))
