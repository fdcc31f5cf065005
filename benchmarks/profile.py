"""Profile our side of one measurement with cProfile, on the same generated data and stores.

``python -m benchmarks.profile ingest|replay|query [--size 100000] [--store sqlite|postgresql]``
prints the top functions by own time and by cumulative time, and saves the profile to
``.benchmarks/profile-<measure>-<store>-<size>.prof`` (for ``snakeviz`` or ``pstats``).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from application.app import IngestBatch
from application.bootstrap import open_app
from benchmarks.stores import (
    AT,
    PostgresServer,
    fact_batches,
    postgres_problem,
    prepare_postgres,
    prepare_sqlite,
    sqlite_url,
)
from benchmarks.synthetic import generate
from domain.observer import Observer

OUTPUT = Path(__file__).resolve().parent.parent / ".benchmarks"
QUERY_REPEATS = 50


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("measure", choices=("ingest", "replay", "query"))
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--store", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--top", type=int, default=30)
    options = parser.parse_args(argv)
    if options.store == "postgresql" and (problem := postgres_problem()) is not None:
        parser.error(f"PostgreSQL is not reachable: {problem}")
    world = generate(options.size)
    directory = Path(tempfile.mkdtemp(prefix="paradip-profile-"))
    server = PostgresServer()
    try:
        store = prepare_sqlite(world, directory)
        fresh: Callable[[], str]
        if options.store == "postgresql":
            pg = prepare_postgres(world, server, store.rows)
            full_url, fresh = server.url(pg.full), lambda: server.url(pg.fresh_copy())
        else:
            full_url, fresh = sqlite_url(store.full), lambda: sqlite_url(store.fresh_copy())
        profile = cProfile.Profile()
        if options.measure == "ingest":
            app = open_app(fresh(), keep_read_models_current=False)
            batches = fact_batches(world) if options.store == "postgresql" else [IngestBatch(facts=world.facts)]
            _profiled(profile, lambda: [app.ingest(batch, at=AT) for batch in batches])
            app.close()
        else:
            app = open_app(full_url)
            app.replay([], from_scratch=True)
            if options.measure == "replay":
                _profiled(profile, lambda: app.replay([], from_scratch=True))
            else:
                samples = world.samples()
                _profiled(
                    profile,
                    lambda: [
                        app.questions.relationship_state(sample.a, sample.b, observer=Observer(as_of=sample.as_of))
                        for _ in range(QUERY_REPEATS)
                        for sample in samples
                    ],
                )
            app.close()
    finally:
        server.drop_all()
        shutil.rmtree(directory, ignore_errors=True)
    OUTPUT.mkdir(exist_ok=True)
    saved = OUTPUT / f"profile-{options.measure}-{options.store}-{options.size}.prof"
    profile.dump_stats(saved)
    stats = pstats.Stats(profile)
    stats.sort_stats("tottime").print_stats(options.top)
    stats.sort_stats("cumulative").print_stats(options.top)
    print(f"saved: {saved}")
    return 0


def _profiled(profile: cProfile.Profile, work: Callable[[], object]) -> None:
    profile.enable()
    try:
        work()
    finally:
        profile.disable()


if __name__ == "__main__":
    raise SystemExit(main())
