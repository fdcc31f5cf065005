"""Keeping projections current while other processes write, on a store without notifications: polling."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable

from projections.registry import ProjectionError
from projections.session import ReadSession

_UP_TO = re.compile(r" \(up to \d+\)")


class Follower:
    """Runs catch-up every ``poll_interval`` seconds (on PostgreSQL, workers do the job: projections.workers).

    A projection whose handler raises is said once and tried again at each poll, while the others keep up:
    each projection's part of a page is its own savepoint. (A class that no longer loads is skipped by the
    catch-up and shows in 'paradip projections'.)
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
            failing = _UP_TO.sub("", str(error))
            if failing != self.failing:
                self.announce(f"{error}; tried again at each poll")
            self.failing = failing
            return
        if self.failing:
            self.announce("every projection is current again")
            self.failing = ""
