"""A child process for the crash tests: it ingests, catches up or rebuilds, and can stall on purpose.

``--stall PROJECTION:N`` stalls inside the N-th page a projection handles, after its rows are
written and before the page's transaction commits; ``--stall ingest:N`` stalls inside the N-th
batch's insert, after the events are written and before they commit. The child then prints
``STALLED`` and sleeps until the test kills it with SIGKILL: the kill lands at a chosen point,
every run, instead of wherever a race happened to leave it.

    python -m tests.crash_child ingest URL FIRST LAST CHUNK [--stall ingest:N]
    python -m tests.crash_child catch-up URL [--stall facts:N]
    python -m tests.crash_child rebuild URL [--stall facts:N]
    python -m tests.crash_child open URL_PATTERN BARRIER_DIRECTORY ROUNDS [--follower]

``open`` imports everything, then in each round prints ``READY n``, waits for the file ``go<n>`` to
appear and opens the round's store (``{round}`` in the URL; and starts a follower's notification
listener), so that several children open a store at the same instant, round after round.
"""

from __future__ import annotations

import argparse
import functools
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from application.app import Paradip
from application.bootstrap import open_app
from projections.base import Projection
from tests.concurrent_writer import batch


def _stall_on_call(function: Callable[..., Any], number: int) -> Callable[..., Any]:
    calls = 0

    @functools.wraps(function)
    def stalling(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        result = function(*args, **kwargs)
        calls += 1
        if calls == number:
            print("STALLED", calls, flush=True)
            time.sleep(3600)
        return result

    return stalling


def _projection_class(name: str) -> type[Projection]:
    stack = list(Projection.__subclasses__())
    while stack:
        found = stack.pop()
        if found.name == name:
            return found
        stack.extend(found.__subclasses__())
    msg = f"no projection named {name!r}"
    raise SystemExit(msg)


def _stall_ingest(app: Paradip, number: int) -> None:
    """Stall inside the N-th insert transaction, once the events are written (SQLite) or sent and
    acknowledged (PostgreSQL), before the commit."""
    recorder = type(app.recorder)
    hook = "_fetch_ids_after_insert_events" if app.location.kind == "postgresql" else "_insert_events"
    setattr(recorder, hook, _stall_on_call(getattr(recorder, hook), number))


def _after_calls(count: int) -> Callable[[], bool]:
    """A stop condition that lets a follower connect, take its share once, and stop."""
    calls = 0

    def stop() -> bool:
        nonlocal calls
        calls += 1
        return calls > count

    return stop


def _open_at_once(url_pattern: str, barriers: Path, rounds: int, *, follower: bool) -> None:
    """Round after round: say READY, wait for the round's barrier file, open the store of the round
    (``{round}`` in the URL), start a follower three times if asked (connect, take a share, stop), close,
    say OPENED."""
    for number in range(rounds):
        print("READY", number, flush=True)
        barrier = barriers / f"go{number}"
        while not barrier.exists():
            time.sleep(0.001)
        app = open_app(url_pattern.format(round=number))
        try:
            for _start in range(3 if follower else 0):
                app.follow(poll_interval=60, stop=_after_calls(2))
        finally:
            app.close()
        print("OPENED", number, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["ingest", "catch-up", "rebuild", "open"])
    parser.add_argument("url")
    parser.add_argument("numbers", nargs="*")
    parser.add_argument("--stall", default="")
    parser.add_argument("--follower", action="store_true")
    args = parser.parse_args()
    if args.mode == "open":
        _open_at_once(args.url, Path(args.numbers[0]), int(args.numbers[1]), follower=args.follower)
        return
    target, _, number = args.stall.partition(":")
    app = open_app(args.url)
    try:
        if target == "ingest":
            _stall_ingest(app, int(number))
        elif target:
            projection = _projection_class(target)
            projection.handle = _stall_on_call(projection.handle, int(number))  # type: ignore[method-assign]
        print("READY", flush=True)
        if args.mode == "ingest":
            first, last, chunk = map(int, args.numbers)
            for start in range(first, last, chunk):
                app.ingest(batch(start, min(start + chunk, last)), at=datetime.now(UTC))
                print("BATCH", start, flush=True)
        elif args.mode == "catch-up":
            app.catch_up()
        else:
            app.replay([], from_scratch=True)
        print("DONE", flush=True)
    finally:
        app.close()


if __name__ == "__main__":
    main()
