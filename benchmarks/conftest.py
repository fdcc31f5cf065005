"""Fixtures of the benchmarks: a generated world per size, its stores on SQLite and PostgreSQL, the peers.

Everything here is prepared once per size and never timed. Sizes come from ``BENCH_SIZES``
(``10000`` when unset); ``BENCH_POSTGRES=0`` skips PostgreSQL; with ``BENCH_KEEP_STORES=DIR`` the
full SQLite store and the as-of samples are kept in DIR for ``benchmarks.flat``.
"""

from __future__ import annotations

import gc
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from application.app import Paradip
from application.bootstrap import open_app
from benchmarks.flat import save_samples, store_path
from benchmarks.measure import SAMPLES, Case, bench_sizes
from benchmarks.peers import StatusTable, TemporalTable
from benchmarks.stores import (
    PG_HOST,
    PG_PORT,
    PostgresServer,
    PostgresStore,
    SqliteStore,
    checkpoint,
    postgres_problem,
    prepare_postgres,
    prepare_sqlite,
    remove_sqlite,
    sqlite_url,
)
from benchmarks.synthetic import generate


@pytest.fixture(autouse=True)
def _collector_spares_prepared_data() -> Iterator[None]:
    """Move everything prepared so far (the generated world, the stores' rows, the peers) out of the cyclic
    collector's reach before each measurement, as a server's start-up data would be: otherwise each full
    collection during a measurement rescans the benchmark's own scaffolding, and the side that allocates
    more pays for it, in proportion to the size of the generated world."""
    gc.collect()
    gc.freeze()
    yield
    gc.unfreeze()


@pytest.fixture(scope="session", params=bench_sizes(), ids=lambda size: f"{size}")
def case(request: pytest.FixtureRequest) -> Case:
    started = time.perf_counter()
    world = generate(request.param)
    return Case(size=request.param, world=world, generate_seconds=time.perf_counter() - started)


@pytest.fixture(scope="session")
def sqlite_store(case: Case, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SqliteStore]:
    directory = tmp_path_factory.mktemp(f"sqlite-{case.size}")
    store = prepare_sqlite(case.world, directory)
    yield store
    keep = os.environ.get("BENCH_KEEP_STORES")
    if keep:
        kept = Path(keep)
        kept.mkdir(parents=True, exist_ok=True)
        checkpoint(store.full)
        remove_sqlite(store_path(kept, case.size))
        shutil.move(store.full, store_path(kept, case.size))
        save_samples(kept, case.size, case.world.samples(SAMPLES))
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="session")
def sqlite_app(sqlite_store: SqliteStore) -> Iterator[Paradip]:
    """The full SQLite store opened with its read models (not necessarily built)."""
    app = open_app(sqlite_url(sqlite_store.full))
    yield app
    app.close()


@pytest.fixture(scope="session")
def sqlite_views(sqlite_store: SqliteStore, sqlite_app: Paradip) -> Paradip:
    """The full SQLite store with every read model current (built by the memory benchmark's replay when it
    ran first, else here), its write-ahead log folded into the file as the hand-written table's is."""
    sqlite_app.catch_up()
    checkpoint(sqlite_store.full)
    return sqlite_app


@pytest.fixture(scope="session")
def temporal_table(case: Case, sqlite_store: SqliteStore) -> Iterator[TemporalTable]:
    table = TemporalTable.build(sqlite_store.directory / "ties.sqlite", case.world)
    yield table
    table.close()


@pytest.fixture(scope="session")
def status_table(sqlite_store: SqliteStore) -> Iterator[StatusTable]:
    table = StatusTable.build(sqlite_store.directory / "status.sqlite", sqlite_store.full)
    yield table
    table.close()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    if os.environ.get("BENCH_POSTGRES", "1") == "0":
        pytest.skip("PostgreSQL benchmarks turned off (BENCH_POSTGRES=0)")
    problem = postgres_problem()
    if problem is not None:
        pytest.skip(f"no PostgreSQL server at {PG_HOST}:{PG_PORT}: {problem}")
    server = PostgresServer()
    yield server
    server.drop_all()


@pytest.fixture(scope="session")
def postgres_store(case: Case, postgres_server: PostgresServer, sqlite_store: SqliteStore) -> Iterator[PostgresStore]:
    store = prepare_postgres(case.world, postgres_server, sqlite_store.rows)
    yield store
    postgres_server.drop(store.full)
    postgres_server.drop(store.prelude)


@pytest.fixture(scope="session")
def postgres_app(postgres_store: PostgresStore) -> Iterator[Paradip]:
    """The full PostgreSQL store opened with its read models (built by the replay benchmark's first round)."""
    app = open_app(postgres_store.server.url(postgres_store.full))
    yield app
    app.close()
