"""Keeping projections current while other processes write, on a store without notifications: polling."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from projections.session import ReadSession


class Follower:
    """Runs catch-up every ``poll_interval`` seconds (on PostgreSQL, workers do the job: projections.workers)."""

    def __init__(self, read: ReadSession, *, poll_interval: float) -> None:
        self.read = read
        self.poll_interval = poll_interval
        self.wake = threading.Event()

    def run(self, stop: Callable[[], bool]) -> None:
        """Catch up, then wait for the poll interval, until ``stop()``."""
        while not stop():
            self.read.catch_up()
            deadline = time.monotonic() + self.poll_interval
            while not stop() and not self.wake.is_set() and time.monotonic() < deadline:
                self.wake.wait(min(0.25, max(deadline - time.monotonic(), 0.0)))
            self.wake.clear()
