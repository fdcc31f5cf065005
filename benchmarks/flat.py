"""Flat in N: the as-of query timed on every size's store in one process, the sizes taken in turn.

Each size's benchmarks run in a process of their own, minutes apart, and this machine's speed
drifts by more than the goal's margin over minutes; so ``benchmarks.run`` keeps each size's full
store with its samples, and this module asks the same questions of all of them round-robin,
which cancels the drift. ``python -m benchmarks.flat DIR`` prints ``{size: ms per query}`` as JSON.
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import date
from pathlib import Path

import orjson

from application.app import Paradip
from application.bootstrap import open_app
from benchmarks.stores import sqlite_url
from benchmarks.synthetic import Sample
from domain.observer import Observer

ROUNDS = 100
WARMUP_ROUNDS = 3


def store_path(directory: Path, size: int) -> Path:
    return directory / f"full-{size}.sqlite"


def samples_path(directory: Path, size: int) -> Path:
    return directory / f"samples-{size}.json"


def save_samples(directory: Path, size: int, samples: tuple[Sample, ...]) -> None:
    rows = [{"a": sample.a, "b": sample.b, "as_of": sample.as_of.isoformat()} for sample in samples]
    samples_path(directory, size).write_bytes(orjson.dumps(rows))


def load_samples(directory: Path, size: int) -> tuple[Sample, ...]:
    rows = orjson.loads(samples_path(directory, size).read_bytes())
    return tuple(Sample(a=row["a"], b=row["b"], as_of=date.fromisoformat(row["as_of"])) for row in rows)


def kept_sizes(directory: Path) -> list[int]:
    sizes = [int(path.stem.removeprefix("full-")) for path in directory.glob("full-*.sqlite")]
    return sorted(size for size in sizes if samples_path(directory, size).exists())


def _ask(app: Paradip, samples: tuple[Sample, ...]) -> float:
    started = time.perf_counter()
    for sample in samples:
        app.questions.relationship_state(sample.a, sample.b, observer=Observer(as_of=sample.as_of))
    return time.perf_counter() - started


def measure(directory: Path) -> dict[int, float]:
    """Milliseconds per question at each kept size (median over rounds taken in turn)."""
    sizes = kept_sizes(directory)
    apps = {size: open_app(sqlite_url(store_path(directory, size))) for size in sizes}
    samples = {size: load_samples(directory, size) for size in sizes}
    try:
        for app in apps.values():
            app.catch_up()
        for _ in range(WARMUP_ROUNDS):
            for size in sizes:
                _ask(apps[size], samples[size])
        times: dict[int, list[float]] = {size: [] for size in sizes}
        for round_number in range(ROUNDS):
            order = sizes if round_number % 2 == 0 else sizes[::-1]
            for size in order:
                times[size].append(_ask(apps[size], samples[size]))
    finally:
        for app in apps.values():
            app.close()
    return {size: statistics.median(times[size]) / len(samples[size]) * 1000 for size in sizes}


def main(argv: list[str]) -> int:
    (directory,) = argv
    latencies = measure(Path(directory))
    sys.stdout.write(orjson.dumps({str(size): ms for size, ms in latencies.items()}).decode() + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
