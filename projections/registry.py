"""The registry of a store's projections: which it knows (built-in, and users' by ``module:Class``), where each is
live and what is being built, one row each in ``projection_registry``; and how their tables are named."""

from __future__ import annotations

import importlib
from collections.abc import Sequence

import attrs

from infrastructure.database import Cursor, Database
from projections.base import Projection, Table, check_identifier

REGISTRY = "projection_registry"
COLUMNS = (
    "name, origin, version, live_generation, live_position, building_generation, building_position, building_version"
)


class ProjectionError(Exception):
    """A projection that cannot be loaded, registered or built; the message says which and why."""


@attrs.frozen
class Registration:
    """A registry row: where a projection is live, and what is being built."""

    name: str
    origin: str
    version: int
    live_generation: int | None
    live_position: int
    building_generation: int | None
    building_position: int
    building_version: int


def physical_name(projection: type[Projection], table: str, generation: int) -> str:
    """The table that holds one generation of a projection's table."""
    spec = next((candidate for candidate in projection.tables if candidate.name == table), None)
    if spec is None:
        msg = f"projection {projection.name} has no table {table!r}"
        raise ProjectionError(msg)
    return spec.physical(projection.name, generation)


def staging_name(table: Table, projection: str, generation: int) -> str:
    """The plain table an append-only table of a generation is built in, before it is copied in key order."""
    return f"{table.physical(projection, generation)}_build"


def origin_of(projection: type[Projection]) -> str:
    """The ``module:Class`` a projection is loaded from."""
    return f"{projection.__module__}:{projection.__qualname__}"


def load_projection(origin: str) -> type[Projection]:
    """Import a projection class from ``module:Class``, checking it is one."""
    module_name, _, class_name = origin.partition(":")
    if not module_name or not class_name:
        msg = f"{origin!r}: give a projection as module:Class"
        raise ProjectionError(msg)
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        msg = f"cannot import module {module_name!r} for projection {origin}: {error}"
        raise ProjectionError(msg) from None
    except Exception as error:  # a module that fails while it loads is the user's code: said, never a traceback
        msg = f"module {module_name!r} for projection {origin} failed to load: {type(error).__name__}: {error}"
        raise ProjectionError(msg) from None
    found = getattr(module, class_name, None)
    if not (isinstance(found, type) and issubclass(found, Projection)):
        msg = f"{origin} is not a Projection class (subclass projections.base.Projection)"
        raise ProjectionError(msg)
    try:
        check_identifier(found.name)
    except ValueError as error:
        msg = f"projection {origin} needs a name: {error}"
        raise ProjectionError(msg) from None
    if not found.tables:
        msg = f"projection {origin} declares no tables"
        raise ProjectionError(msg)
    return found


class Registry:
    """The registry table of one store, and the built-in projections it always knows."""

    def __init__(self, database: Database, builtin: Sequence[type[Projection]]) -> None:
        self.db = database
        self.builtin = {projection.name: projection for projection in builtin}
        self._ensure_registry()

    def _ensure_registry(self) -> None:
        if self.db.table_exists(REGISTRY):
            return
        with self.db.transaction() as cursor:
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {REGISTRY} (name TEXT PRIMARY KEY, origin TEXT NOT NULL, "
                "version INTEGER NOT NULL, live_generation INTEGER, live_position BIGINT NOT NULL, "
                "building_generation INTEGER, building_position BIGINT NOT NULL, "
                "building_version INTEGER NOT NULL)"
            )

    def registrations(self, cursor: Cursor | None = None) -> dict[str, Registration]:
        """Every registry row by projection name."""
        statement = f"SELECT {COLUMNS} FROM {REGISTRY}"
        if cursor is None:
            rows = self.db.read(statement)
        else:
            cursor.execute(statement)
            rows = cursor.fetchall()
        return {registration.name: registration for registration in (Registration(*row) for row in rows)}

    def projection_class(self, name: str, registration: Registration | None = None) -> type[Projection]:
        """The class of a projection known by name (built-in, or registered from module:Class)."""
        if name in self.builtin:
            return self.builtin[name]
        registration = registration or self.registrations().get(name)
        if registration is None:
            msg = f"no projection named {name!r}; known: {', '.join(sorted(self.known_names()))}"
            raise ProjectionError(msg)
        return load_projection(registration.origin)

    def known_names(self) -> list[str]:
        """Built-in projections and every registered one."""
        return sorted(set(self.builtin) | set(self.registrations()))

    def register(self, projection: type[Projection]) -> None:
        """Record a user's projection in the registry, so it is kept current from now on."""
        check_identifier(projection.name)
        if projection.name in self.builtin and self.builtin[projection.name] is not projection:
            msg = f"{projection.name!r} is the name of a built-in projection; choose another"
            raise ProjectionError(msg)
        with self.db.transaction() as cursor:
            cursor.execute(
                f"INSERT INTO {REGISTRY} ({COLUMNS}) VALUES (?, ?, ?, NULL, 0, NULL, 0, ?) "
                "ON CONFLICT (name) DO UPDATE SET origin = excluded.origin",
                (projection.name, origin_of(projection), projection.version, projection.version),
            )

    def unregister(self, name: str, *, keep_tables: bool = False) -> list[str] | None:
        """Remove a user's projection: its registration and every table of its live and building generations;
        the log is untouched. Returns the tables dropped. A class that no longer loads cannot name its tables:
        it is refused, unless ``keep_tables``, which removes the registration only and returns None."""
        try:
            check_identifier(name)
        except ValueError as error:
            raise ProjectionError(str(error)) from None
        if name in self.builtin:
            msg = f"{name} is a built-in projection; only a projection you registered can be removed"
            raise ProjectionError(msg)
        with self.db.transaction() as cursor:
            registration = self.lock(cursor, [name]).get(name)
            if registration is None:
                msg = f"no projection named {name!r} is registered (see 'paradip projections')"
                raise ProjectionError(msg)
            try:
                projection = load_projection(registration.origin)
            except ProjectionError as error:
                if not keep_tables:
                    msg = (
                        f"{error}; without its class the tables of {name} cannot be named: restore the module and "
                        "unregister again, or give --keep-tables to remove only its registration"
                    )
                    raise ProjectionError(msg) from None
                cursor.execute(f"DELETE FROM {REGISTRY} WHERE name = ?", (name,))
                return None
            cursor.execute(f"DELETE FROM {REGISTRY} WHERE name = ?", (name,))
            generations = [
                generation
                for generation in (registration.live_generation, registration.building_generation)
                if generation is not None
            ]
            tables = {
                physical
                for table in projection.tables
                for generation in generations
                for physical in (table.physical(name, generation), staging_name(table, name, generation))
            }
            dropped = [table for table in sorted(tables) if self._exists(cursor, table)]
            for table in dropped:
                cursor.execute(f"DROP TABLE {table}")
        return dropped

    def _exists(self, cursor: Cursor, table: str) -> bool:
        if self.db.postgres:
            cursor.execute("SELECT to_regclass(?) IS NOT NULL", (table,))
        else:
            cursor.execute("SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,))
        row = cursor.fetchone()
        return bool(row and row[0])

    def building(self, cursor: Cursor, projection: type[Projection], generation: int, *, registered: bool) -> None:
        """Record that a generation of a projection is being built, from position 0."""
        if registered:
            cursor.execute(
                f"UPDATE {REGISTRY} SET building_generation = ?, building_position = 0, "
                "building_version = ?, origin = ? WHERE name = ?",
                (generation, projection.version, origin_of(projection), projection.name),
            )
        else:
            cursor.execute(
                f"INSERT INTO {REGISTRY} ({COLUMNS}) VALUES (?, ?, ?, NULL, 0, ?, 0, ?)",
                (projection.name, origin_of(projection), projection.version, generation, projection.version),
            )

    def switched(self, cursor: Cursor, projection: type[Projection], generation: int, position: int) -> None:
        """Record that a built generation is now the live one, at ``position``."""
        cursor.execute(
            f"UPDATE {REGISTRY} SET live_generation = ?, live_position = ?, version = ?, "
            "building_generation = NULL, building_position = 0 WHERE name = ?",
            (generation, position, projection.version, projection.name),
        )

    def advanced(self, cursor: Cursor, name: str, position: int, *, building: bool) -> None:
        """Record the position a projection's live (or building) generation has handled the log up to."""
        field = "building_position" if building else "live_position"
        cursor.execute(f"UPDATE {REGISTRY} SET {field} = ? WHERE name = ?", (position, name))

    def lock(self, cursor: Cursor, names: Sequence[str]) -> dict[str, Registration]:
        marks = ", ".join("?" * len(names))
        lock = " FOR UPDATE" if self.db.postgres else ""
        cursor.execute(
            f"SELECT {COLUMNS} FROM {REGISTRY} WHERE name IN ({marks}) ORDER BY name{lock}",
            list(names),
        )
        return {registration.name: registration for registration in (Registration(*row) for row in cursor.fetchall())}
