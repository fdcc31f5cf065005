"""The read models themselves: where each stands, and the raw rows of one (for projections a user wrote)."""

from __future__ import annotations

from typing import Any

from projections.answers import ProjectionStatus
from projections.engine import Engine
from projections.registry import ProjectionError, Registration, load_projection, origin_of
from projections.session import ReadSession


def projection_status(read: ReadSession) -> list[ProjectionStatus]:
    """Each read model with its position, the head of the log, its state and, on PostgreSQL, the worker
    holding it."""
    engine = read.engine
    head = engine.log.head()
    registrations = engine.registry.registrations()
    held: dict[str, str] = {}
    if read.db.postgres:
        from projections.workers import holders  # noqa: PLC0415  (imports psycopg)

        held = {name: holder.worker for name, holder in holders(read.db).items()}
    return [
        _status(engine, name, registrations.get(name), head, held.get(name, ""))
        for name in engine.registry.known_names()
    ]


def view_rows(read: ReadSession, name: str, table: str | None = None) -> tuple[str, list[str], list[tuple[Any, ...]]]:
    """The rows of one table of a projection (its first table unless named), in key order."""
    projection = read.projection_class(name)
    spec = next((t for t in projection.tables if table in (None, t.name)), None)
    if spec is None:
        msg = f"projection {name} has no table {table!r}; it has {', '.join(t.name for t in projection.tables)}"
        raise ProjectionError(msg)
    columns, order = ", ".join(spec.column_names), ", ".join(spec.key)
    with read.reading():
        rows = read.query(lambda: f"SELECT {columns} FROM {read.table(name, spec.name)} ORDER BY {order}")
    return spec.name, list(spec.column_names), [tuple(row) for row in rows]


def _status(engine: Engine, name: str, registration: Registration | None, head: int, worker: str) -> ProjectionStatus:
    builtin = engine.registry.builtin.get(name)
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
