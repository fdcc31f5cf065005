"""How a measurement is labelled and how many rounds it gets."""

from __future__ import annotations

import math
import os

import attrs
from pytest_benchmark.fixture import BenchmarkFixture

from benchmarks.synthetic import World

SAMPLES = 8  # as-of questions per round, the same for ours and both peers


def bench_sizes() -> list[int]:
    """The sizes to run, from ``BENCH_SIZES`` (comma-separated fact counts)."""
    text = os.environ.get("BENCH_SIZES", "10000")
    return [int(part.strip().replace("_", "")) for part in text.split(",") if part.strip()]


def rounds_for(size: int, at_10k: int) -> int:
    """Fewer rounds as a measurement grows: ``at_10k`` at 10k facts, about a third as many at 100k, one at 1M."""
    return max(1, round(at_10k * math.sqrt(10_000 / size)))


@attrs.frozen(kw_only=True)
class Case:
    """One size: its generated world and how long generating it took."""

    size: int
    world: World
    generate_seconds: float


def describe(
    benchmark: BenchmarkFixture,
    case: Case,
    *,
    measure: str,
    store: str,
    side: str,
    count: int,
    unit: str,
    prepare_seconds: float | None = None,
) -> None:
    """Label a measurement for ``benchmarks.run``: what, on which store, which side, and per how many items."""
    benchmark.group = f"{measure} / {store} / {case.size}"
    benchmark.extra_info.update(
        measure=measure,
        store=store,
        side=side,
        size=case.size,
        count=count,
        unit=unit,
        generate_seconds=round(case.generate_seconds, 3),
    )
    if prepare_seconds is not None:
        benchmark.extra_info["prepare_seconds"] = round(prepare_seconds, 3)
