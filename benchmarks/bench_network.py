"""The network on a date (what a move of the web page's date slider asks): every pair's status and certainty.

Ours is ``app.network`` (``projections/questions/network.py``) on the read models, its periods already
folded (as they are after the first question following a write); the peer is a hand-written valid-time
table of every pair's status read with one range query. Each round asks about the same eight days. The
first question after start-up or a rebuild, which folds every pair, is measured on its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from pytest_benchmark.fixture import BenchmarkFixture

from application.app import Paradip
from benchmarks.measure import SAMPLES, Case, describe, rounds_for
from benchmarks.peers import ValidTimeTable
from benchmarks.stores import SqliteStore
from domain.observer import Observer
from projections.questions.network import Network

NETWORK_ROUNDS = 30
COLD_ROUNDS_AT_10K = 3


@pytest.fixture(scope="session")
def valid_time_table(case: Case, sqlite_store: SqliteStore) -> Iterator[ValidTimeTable]:
    table = ValidTimeTable.build(sqlite_store.directory / "pair-status.sqlite", case.world)
    yield table
    table.close()


def _days(case: Case) -> list[date]:
    return sorted(sample.as_of for sample in case.world.samples(SAMPLES))


def _statuses(network: Network) -> dict[str, str]:
    return {f"{edge.a}|{edge.b}": str(edge.status) for edge in network.edges}


def bench_network_ours(benchmark: BenchmarkFixture, case: Case, sqlite_views: Paradip) -> None:
    """Milliseconds per network on a date from the read models (every pair's status, certainty and since)."""
    days = _days(case)

    def ask() -> list[Network]:
        return [sqlite_views.questions.network(observer=Observer(as_of=day)) for day in days]

    describe(
        benchmark, case, measure="network on a date", store="sqlite", side="ours", count=len(days), unit="ms/query"
    )
    answers = benchmark.pedantic(ask, rounds=NETWORK_ROUNDS, warmup_rounds=1)
    benchmark.extra_info["edges"] = [len(answer.edges) for answer in answers]


def bench_network_handwritten(
    benchmark: BenchmarkFixture, case: Case, sqlite_views: Paradip, valid_time_table: ValidTimeTable
) -> None:
    """Milliseconds per network on a date from a hand-written valid-time table (statuses only, folded in advance)."""
    days = _days(case)

    def ask() -> list[dict[str, str]]:
        return [valid_time_table.network(day) for day in days]

    describe(
        benchmark,
        case,
        measure="network on a date",
        store="sqlite",
        side="handwritten",
        count=len(days),
        unit="ms/query",
    )
    hand = benchmark.pedantic(ask, rounds=NETWORK_ROUNDS, warmup_rounds=1)
    ours = [_statuses(sqlite_views.questions.network(observer=Observer(as_of=day))) for day in days]
    pairs = [set(theirs) | set(mine) for theirs, mine in zip(hand, ours, strict=True)]
    agree = sum(
        theirs.get(pair, "none") == mine.get(pair, "none")
        for theirs, mine, union in zip(hand, ours, pairs, strict=True)
        for pair in union
    )
    benchmark.extra_info["pairs_compared"] = sum(len(union) for union in pairs)
    benchmark.extra_info["statuses_agree"] = agree


def bench_network_cold(benchmark: BenchmarkFixture, case: Case, sqlite_views: Paradip) -> None:
    """Milliseconds for the first network after start-up: every pair's evidence read in one query and folded."""
    day = _days(case)[0]

    def forget() -> tuple[tuple[object, ...], dict[str, object]]:
        sqlite_views.read.forget("network")
        return (), {}

    def ask() -> Network:
        return sqlite_views.questions.network(observer=Observer(as_of=day))

    describe(
        benchmark, case, measure="network, first after start-up", store="sqlite", side="ours", count=1, unit="ms/query"
    )
    benchmark.pedantic(ask, setup=forget, rounds=rounds_for(case.size, COLD_ROUNDS_AT_10K))
