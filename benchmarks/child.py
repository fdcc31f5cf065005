"""A process of its own for memory figures: a full replay, or the raw read, reporting its peak RSS as JSON.

``python -m benchmarks.child replay STORE_URL`` or ``python -m benchmarks.child read SQLITE_PATH``.
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

import orjson


def _peak_mb() -> float:
    """This process's peak resident set size in MB.

    ``VmHWM`` is read rather than ``ru_maxrss``: after a fork (or vfork) and exec, Linux carries
    the parent's high-water mark into the child's ``ru_maxrss`` (and so into the parent's
    ``RUSAGE_CHILDREN``), so a child of a large benchmark process would report the parent's size.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str]) -> int:
    mode, target = argv
    if mode == "replay":
        from application.bootstrap import open_app

        app = open_app(target)
        opened_mb = _peak_mb()
        started = time.perf_counter()
        app.replay([], from_scratch=True)
        seconds = time.perf_counter() - started
        events = app.head()
        app.close()
    elif mode == "read":
        from benchmarks.raw import open_sqlite, raw_read_sqlite

        connection = open_sqlite(Path(target))
        opened_mb = _peak_mb()
        started = time.perf_counter()
        events = raw_read_sqlite(connection)
        seconds = time.perf_counter() - started
        connection.close()
    else:
        sys.stderr.write(f"unknown mode {mode!r}: use replay or read\n")
        return 2
    report = {"mode": mode, "events": events, "seconds": seconds, "opened_mb": opened_mb, "peak_mb": _peak_mb()}
    sys.stdout.write(orjson.dumps(report).decode() + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
