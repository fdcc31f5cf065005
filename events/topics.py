"""Stored event topics are a schema: each event type has a stable name that does not depend on the
module its class lives in. Stores written before the names were stable carry module paths; those
stay readable through the aliases below, whatever module the classes move to."""

from __future__ import annotations

from functools import cache
from typing import Any

from eventsourcing.utils import TopicError, register_topic, resolve_topic

from events.actors import (
    ActorCodeChanged,
    ActorEstablishmentDated,
    ActorNamesAdded,
    ActorRegistered,
    ActorRenamed,
)
from events.base import DomainEvent
from events.corpus import CorpusPathAdded
from events.facts import ConflictResolved, FactCorrected, FactRecorded, FactRetracted
from events.sources import SourceRegistered, SourceRevised

PREFIX = "paradip:"
EVENT_TYPES: tuple[type[DomainEvent], ...] = (
    SourceRegistered,
    SourceRevised,
    ActorRegistered,
    ActorRenamed,
    ActorCodeChanged,
    ActorNamesAdded,
    ActorEstablishmentDated,
    FactRecorded,
    FactCorrected,
    FactRetracted,
    ConflictResolved,
    CorpusPathAdded,
)
STABLE_TOPICS: dict[type[DomainEvent], str] = {cls: PREFIX + cls.__name__ for cls in EVENT_TYPES}
LEGACY_TOPICS: dict[str, type[DomainEvent]] = {
    "events.sources:SourceRegistered": SourceRegistered,
    "events.sources:SourceRevised": SourceRevised,
    "events.actors:ActorRegistered": ActorRegistered,
    "events.actors:ActorRenamed": ActorRenamed,
    "events.actors:ActorCodeChanged": ActorCodeChanged,
    "events.actors:ActorNamesAdded": ActorNamesAdded,
    "events.facts:FactRecorded": FactRecorded,
    "events.facts:FactCorrected": FactCorrected,
    "events.facts:FactRetracted": FactRetracted,
    "events.facts:ConflictResolved": ConflictResolved,
}


def register_topics() -> None:
    """Register every stable name and every legacy module path with the library's topic registry."""
    for cls, topic in STABLE_TOPICS.items():
        register_topic(topic, cls)
    for topic, cls in LEGACY_TOPICS.items():
        register_topic(topic, cls)


def topic_of(cls: type[Any]) -> str:
    """The stable topic an event class is stored under."""
    try:
        return STABLE_TOPICS[cls]
    except KeyError:
        msg = f"{cls.__name__} has no stable topic: add it to events.topics.EVENT_TYPES"
        raise TopicError(msg) from None


@cache
def event_class(topic: str) -> type[Any] | None:
    """The event class a stored topic names (stable name or legacy path), or None if none does."""
    try:
        found = resolve_topic(topic)
    except TopicError:
        return None
    return found if isinstance(found, type) else None


register_topics()
