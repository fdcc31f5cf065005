"""Keeping projections current while other processes write, on a store without notifications: polling."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from projections.engine import ProjectionError
from projections.session import ReadSession


class Follower:
    """Runs catch-up every ``poll_interval`` seconds (on PostgreSQL, workers do the job: projections.workers).

    A projection that fails (a user's handler that raises, a class that no longer loads) is said once and
    tried again at each poll, while the others keep up: each projection's part of a page is its own savepoint.
    """

    def __init__(
        self, read: ReadSession, *, poll_interval: float, announce: Callable[[str], None] | None = None
    ) -> None:
        self.read = read
        self.poll_interval = poll_interval
        self.announce = announce or (lambda _message: None)
        self.wake = threading.Event()
        self.failing = ""

    def run(self, stop: Callable[[], bool]) -> None:
        """Catch up, then wait for the poll interval, until ``stop()``."""
        while not stop():
            self._catch_up()
            deadline = time.monotonic() + self.poll_interval
            while not stop() and not self.wake.is_set() and time.monotonic() < deadline:
                self.wake.wait(min(0.25, max(deadline - time.monotonic(), 0.0)))
            self.wake.clear()

    def _catch_up(self) -> None:
        try:
            self.read.catch_up()
        except ProjectionError as error:
            if str(error) != self.failing:
                self.announce(f"{error}; tried again at each poll, the other projections keep up")
            self.failing = str(error)
            return
        if self.failing:
            self.announce("every projection is current again")
            self.failing = ""
