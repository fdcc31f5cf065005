"""Peak memory of a full replay, measured in a process of its own, beside the raw read of the same rows.

The child reports its own peak resident set size (``VmHWM``; see ``benchmarks.child`` for why not
``ru_maxrss``), which includes the interpreter and every import; the replay streams the log page
by page, so the figure should not grow with the size of the log.
"""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import orjson
from pytest_benchmark.fixture import BenchmarkFixture

from benchmarks.measure import Case, describe
from benchmarks.stores import SqliteStore, sqlite_url


def _child(mode: str, target: str) -> dict[str, Any]:
    completed = subprocess.run(
        [sys.executable, "-m", "benchmarks.child", mode, target], check=True, capture_output=True, text=True
    )
    report: dict[str, Any] = orjson.loads(completed.stdout.strip().splitlines()[-1])
    return report


def _measure(benchmark: BenchmarkFixture, case: Case, *, side: str, mode: str, target: str, events: int) -> None:
    reports: list[dict[str, Any]] = []
    describe(benchmark, case, measure="replay memory", store="sqlite", side=side, count=events, unit="MB")
    benchmark.pedantic(lambda: reports.append(_child(mode, target)), rounds=1)
    report = reports[-1]
    assert report["events"] == events, report
    benchmark.extra_info.update(
        peak_mb=round(report["peak_mb"], 1), opened_mb=round(report["opened_mb"], 1), seconds=report["seconds"]
    )


def bench_replay_memory_ours(benchmark: BenchmarkFixture, case: Case, sqlite_store: SqliteStore) -> None:
    """Peak RSS of a process that rebuilds every projection of the full SQLite store from position 0."""
    target = sqlite_url(sqlite_store.full)
    _measure(benchmark, case, side="ours", mode="replay", target=target, events=sqlite_store.events)


def bench_replay_memory_raw(benchmark: BenchmarkFixture, case: Case, sqlite_store: SqliteStore) -> None:
    """Peak RSS of a process that reads the whole log page by page with orjson.loads of each state."""
    _measure(benchmark, case, side="raw", mode="read", target=str(sqlite_store.full), events=sqlite_store.events)
