"""Keeping projections current while other processes write: notifications where the store has them, polling always."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import Mapper, Tracking
from eventsourcing.postgres import PostgresTrackingRecorder
from eventsourcing.projection import Projection as LibraryProjection
from eventsourcing.projection import ProjectionRunner

from infrastructure.codec import OrjsonMapper
from infrastructure.store import APPLICATION_NAME, StoreLocation
from projections.session import ReadSession


class LogReader(Application[UUID]):
    """The store's log as the library's projection runner reads it (same table, same encoding)."""

    name = APPLICATION_NAME

    def construct_mapper(self) -> Mapper[UUID]:
        return OrjsonMapper(transcoder=self.factory.transcoder())


class Follower:
    """Runs catch-up whenever PostgreSQL announces new events (through the library's
    ProjectionRunner and its LISTEN/NOTIFY subscription), and every ``poll_interval`` seconds in
    any case, so a lost notification, or a store without notifications (SQLite), never stalls it."""

    def __init__(self, read: ReadSession, location: StoreLocation, *, poll_interval: float) -> None:
        self.read = read
        self.location = location
        self.poll_interval = poll_interval
        self.wake = threading.Event()
        self.runner: ProjectionRunner[Any, Any] | None = None

    def __enter__(self) -> Follower:
        if self.read.db.postgres:
            self.runner = self._start_runner()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self.runner is not None:
            try:
                self.runner.__exit__(None, None, None)
            except Exception as error:
                print(f"notification listener stopped: {error}", file=sys.stderr)

    def run(self, stop: Callable[[], bool]) -> None:
        """Catch up, then wait for a notification or the poll interval, until ``stop()``."""
        while not stop():
            self.read.catch_up()
            deadline = time.monotonic() + self.poll_interval
            while not stop() and not self.wake.is_set() and time.monotonic() < deadline:
                self.wake.wait(min(0.25, max(deadline - time.monotonic(), 0.0)))
            self.wake.clear()

    def _start_runner(self) -> ProjectionRunner[Any, Any]:
        """The library's runner, constructed under the schema lock: constructing it creates tables and
        replaces the library's insert function, and two sessions replacing that function at once make
        PostgreSQL fail one of them with 'tuple concurrently updated'."""
        wake = self.wake
        engine = self.read.engine

        class Positions(PostgresTrackingRecorder):
            """Tracking as the engine keeps it: the lowest live position of the projections."""

            def max_tracking_id(self, application_name: str) -> int | None:
                if application_name != APPLICATION_NAME:
                    tracked: int | None = super().max_tracking_id(application_name)
                    return tracked
                positions = [r.live_position for r in engine.registrations().values() if r.live_generation]
                return min(positions, default=0)

        class WakeUp(LibraryProjection[PostgresTrackingRecorder]):
            """Wakes the follower when the subscription delivers an event."""

            name = "paradip_follow"

            def process_event(self, domain_event: Any, tracking: Tracking) -> None:
                wake.set()

        location = self.location
        with location.schema_lock():
            runner: ProjectionRunner[Any, Any] = ProjectionRunner(
                application_class=LogReader,
                projection_class=WakeUp,
                view_class=Positions,
                env=location.application_env(),
            )
        runner.__enter__()
        return runner
