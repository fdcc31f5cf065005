"""The wiring, in one place: a store URL becomes the application with its codec and read side."""

from __future__ import annotations

from eventsourcing.persistence import JSONTranscoder

from application.app import Paradip
from infrastructure.codec import OrjsonMapper
from infrastructure.database import Database
from infrastructure.store import StoreLocation, resolve_store_url
from projections.actor_directory import Actors
from projections.base import Projection
from projections.engine import Engine
from projections.facts import FactVersions
from projections.ledger import Ledger
from projections.programs import Programs
from projections.relationships import Relationships
from projections.session import ReadSession
from projections.sources import Sources
from projections.timeline import Timeline

BUILTIN: tuple[type[Projection], ...] = (FactVersions, Actors, Sources, Relationships, Programs, Timeline, Ledger)


def open_app(
    store_url: str | None = None,
    *,
    must_exist: bool = False,
    keep_read_models_current: bool = True,
) -> Paradip:
    """The application on the store named by ``store_url`` (else ``PARADIP_STORE``, else the default).

    A store is created on first write: with ``must_exist`` (every question, and every command on what a store
    already holds) a missing store is refused (``StoreNotFound``) and nothing is created. Without
    ``keep_read_models_current`` the application records without updating its read models (for writers that
    leave it to others).
    """
    location = StoreLocation.parse(resolve_store_url(store_url))
    if must_exist:
        location.require_existing()
    else:
        location.ensure_database()
    mapper = OrjsonMapper(transcoder=JSONTranscoder())
    with location.schema_lock():
        database = Database(location)
        return Paradip(
            location,
            mapper=mapper,
            read=ReadSession(database, Engine(database, mapper, BUILTIN)),
            keep_read_models_current=keep_read_models_current,
        )
