"""Ingest: validated facts to committed events, beside a raw executemany of the same payloads.

Each round starts from a fresh copy of the prelude (actors and sources registered, no facts), on
both sides; ours records every fact in one ingest (one transaction) on an application opened
without read models, so no catch-up is timed; the baseline inserts the byte-identical payloads
into the same table with one executemany in one transaction. On PostgreSQL both sides commit one
transaction per chunk of POSTGRES_CHUNK facts (see benchmarks.stores).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pytest_benchmark.fixture import BenchmarkFixture

from application.app import IngestBatch, Paradip
from application.bootstrap import open_app
from benchmarks.measure import Case, describe, rounds_for
from benchmarks.raw import open_sqlite, raw_insert_postgres, raw_insert_sqlite
from benchmarks.stores import (
    AT,
    POSTGRES_CHUNK,
    PostgresStore,
    SqliteStore,
    chunks,
    fact_batches,
    remove_sqlite,
    sqlite_url,
)
from infrastructure.store import StoreLocation

ROUNDS_AT_10K = 5
Setup = tuple[tuple[Any, ...], dict[str, Any]]


def _record(app: Paradip, batch: IngestBatch, expected: int) -> None:
    report = app.ingest(batch, at=AT)
    assert report.facts_recorded == expected, report


def _describe(
    benchmark: BenchmarkFixture, case: Case, *, store: str, side: str, count: int, prepare_seconds: float
) -> None:
    describe(
        benchmark,
        case,
        measure="ingest",
        store=store,
        side=side,
        count=count,
        unit="events/s",
        prepare_seconds=prepare_seconds,
    )


def bench_ingest_sqlite_ours(benchmark: BenchmarkFixture, case: Case, sqlite_store: SqliteStore) -> None:
    """Facts per second from validated FactDrafts to committed events on SQLite, in one ingest."""
    batch = IngestBatch(facts=case.world.facts)

    def setup() -> Setup:
        path = sqlite_store.fresh_copy()
        return (open_app(sqlite_url(path), keep_read_models_current=False), path), {}

    def run(app: Paradip, path: Path) -> None:
        _record(app, batch, len(batch.facts))

    def teardown(app: Paradip, path: Path) -> None:
        app.close()
        remove_sqlite(path)

    _describe(
        benchmark,
        case,
        store="sqlite",
        side="ours",
        count=len(batch.facts),
        prepare_seconds=sqlite_store.prepare_seconds,
    )
    benchmark.pedantic(run, setup=setup, teardown=teardown, rounds=rounds_for(case.size, ROUNDS_AT_10K))


def bench_ingest_sqlite_raw(benchmark: BenchmarkFixture, case: Case, sqlite_store: SqliteStore) -> None:
    """Rows per second of the same payloads inserted with one sqlite3 executemany in one transaction."""
    rows = sqlite_store.rows

    def setup() -> Setup:
        path = sqlite_store.fresh_copy()
        return (open_sqlite(path), path), {}

    def run(connection: Any, path: Path) -> None:
        raw_insert_sqlite(connection, rows)

    def teardown(connection: Any, path: Path) -> None:
        connection.close()
        remove_sqlite(path)

    _describe(
        benchmark, case, store="sqlite", side="raw", count=len(rows), prepare_seconds=sqlite_store.prepare_seconds
    )
    benchmark.pedantic(run, setup=setup, teardown=teardown, rounds=rounds_for(case.size, ROUNDS_AT_10K))


def bench_ingest_postgres_ours(benchmark: BenchmarkFixture, case: Case, postgres_store: PostgresStore) -> None:
    """Facts per second from validated FactDrafts to committed events on PostgreSQL, one ingest per chunk."""
    batches = fact_batches(case.world, POSTGRES_CHUNK)
    server = postgres_store.server

    def setup() -> Setup:
        name = postgres_store.fresh_copy()
        return (open_app(server.url(name), keep_read_models_current=False), name), {}

    def run(app: Paradip, name: str) -> None:
        for batch in batches:
            _record(app, batch, len(batch.facts))

    def teardown(app: Paradip, name: str) -> None:
        app.close()
        server.drop(name)

    _describe(
        benchmark,
        case,
        store="postgresql",
        side="ours",
        count=len(case.world.facts),
        prepare_seconds=postgres_store.prepare_seconds,
    )
    benchmark.pedantic(run, setup=setup, teardown=teardown, rounds=rounds_for(case.size, ROUNDS_AT_10K))


def bench_ingest_postgres_raw(benchmark: BenchmarkFixture, case: Case, postgres_store: PostgresStore) -> None:
    """Rows per second of the same payloads inserted with one psycopg executemany per chunk, one transaction each."""
    parts = chunks(postgres_store.rows, POSTGRES_CHUNK)
    server = postgres_store.server
    table = StoreLocation.parse(server.url(postgres_store.full)).events_table

    def setup() -> Setup:
        name = postgres_store.fresh_copy()
        return (server.connect(name), name), {}

    def run(connection: Any, name: str) -> None:
        for part in parts:
            raw_insert_postgres(connection, table, part)

    def teardown(connection: Any, name: str) -> None:
        connection.close()
        server.drop(name)

    _describe(
        benchmark,
        case,
        store="postgresql",
        side="raw",
        count=len(postgres_store.rows),
        prepare_seconds=postgres_store.prepare_seconds,
    )
    benchmark.pedantic(run, setup=setup, teardown=teardown, rounds=rounds_for(case.size, ROUNDS_AT_10K))
