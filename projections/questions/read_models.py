"""The read models themselves: where each stands, rebuilding them, keeping them current, their raw rows."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from infrastructure.store import StoreLocation
from projections.answers import ProjectionStatus
from projections.base import Projection
from projections.engine import Engine, ProjectionError, Registration, load_projection, origin_of
from projections.session import Progress, ReadSession


class ProjectionQuestions:
    """Keeping and inspecting the projections of one store."""

    read: ReadSession
    location: StoreLocation

    def catch_up(self, progress: Progress | None = None) -> int:
        """Bring the read models up to the head of the log; returns the events handled."""
        return self.read.catch_up(progress)

    def replay(
        self, names: Sequence[str] = (), *, from_scratch: bool = False, progress: Progress | None = None
    ) -> list[ProjectionStatus]:
        """Rebuild read models (names, or ``module:Class`` for a user's; all when empty) from the log,
        switching over when done."""
        engine = self.read.engine
        with self.read.lock:
            classes: list[type[Projection]] = []
            for name in names or engine.known_names():
                if ":" in name:
                    projection = load_projection(name)
                    engine.register(projection)
                else:
                    projection = engine.projection_class(name)
                classes.append(projection)
            engine.build_many(classes, from_scratch=from_scratch, progress=progress)
            self.read.refresh()
        wanted = {projection.name for projection in classes}
        return [status for status in self.projection_status() if status.name in wanted]

    def unregister(self, name: str, *, keep_tables: bool = False) -> list[str] | None:
        """Remove a projection a user registered: its registration and its tables (the log is untouched);
        the tables dropped. A class that no longer loads is refused, unless ``keep_tables`` (None: the
        registration only is gone)."""
        with self.read.lock:
            try:
                return self.read.engine.unregister(name, keep_tables=keep_tables)
            finally:
                self.read.refresh()

    def follow(
        self,
        *,
        poll_interval: float,
        stop: Callable[[], bool],
        lease_seconds: float | None = None,
        announce: Callable[[str], None] | None = None,
    ) -> None:
        """Keep the read models current as other processes write, until ``stop()``: on PostgreSQL as one of
        the workers sharing them (projections.workers), elsewhere by polling."""
        if self.location.kind == "postgresql":
            from projections.workers import LEASE_SECONDS, Worker  # noqa: PLC0415  (imports psycopg)

            Worker(
                self.read,
                self.location,
                poll_interval=poll_interval,
                lease_seconds=lease_seconds or LEASE_SECONDS,
                announce=announce,
            ).run(stop)
            return
        from projections.follow import Follower  # noqa: PLC0415  (only the follow command needs it)

        Follower(self.read, poll_interval=poll_interval, announce=announce).run(stop)

    def projection_status(self) -> list[ProjectionStatus]:
        """Each read model with its position, the head of the log, its state and, on PostgreSQL, the worker
        holding it."""
        engine = self.read.engine
        head = engine.head()
        registrations = engine.registrations()
        held: dict[str, str] = {}
        if self.location.kind == "postgresql":
            from projections.workers import holders  # noqa: PLC0415  (imports psycopg)

            held = {name: holder.worker for name, holder in holders(self.read.db).items()}
        return [
            _status(engine, name, registrations.get(name), head, held.get(name, "")) for name in engine.known_names()
        ]

    def view_rows(self, name: str, table: str | None = None) -> tuple[str, list[str], list[tuple[Any, ...]]]:
        """The rows of one table of a projection (its first table unless named), in key order."""
        projection = self.read.projection_class(name)
        spec = next((t for t in projection.tables if table in (None, t.name)), None)
        if spec is None:
            msg = f"projection {name} has no table {table!r}; it has {', '.join(t.name for t in projection.tables)}"
            raise ProjectionError(msg)
        with self.read.reading() as read:
            rows = read.query(
                lambda: (
                    f"SELECT {', '.join(spec.column_names)} FROM {read.table(name, spec.name)} "
                    f"ORDER BY {', '.join(spec.key)}"
                )
            )
        return spec.name, list(spec.column_names), [tuple(row) for row in rows]


def _status(engine: Engine, name: str, registration: Registration | None, head: int, worker: str) -> ProjectionStatus:
    builtin = engine.builtin.get(name)
    if registration is None:
        return ProjectionStatus(
            name=name,
            position=0,
            head=head,
            generation=0,
            state="not built",
            origin=origin_of(builtin) if builtin else "",
            worker=worker,
        )
    if registration.building_generation is not None:
        state = f"building generation {registration.building_generation} at {registration.building_position}"
    elif registration.live_generation is None:
        state = "not built"
    else:
        state = "current" if registration.live_position >= head else "behind"
    if builtin is None:
        try:
            load_projection(registration.origin)
        except ProjectionError:
            state = f"cannot load {registration.origin}"
    return ProjectionStatus(
        name=name,
        position=registration.live_position,
        head=head,
        generation=registration.live_generation or 0,
        state=state,
        origin=registration.origin,
        worker=worker,
    )
