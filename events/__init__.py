"""Immutable domain events: every fact Paradip knows is one of these, never edited in place."""

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

__all__ = [
    "ActorCodeChanged",
    "ActorEstablishmentDated",
    "ActorNamesAdded",
    "ActorRegistered",
    "ActorRenamed",
    "ConflictResolved",
    "CorpusPathAdded",
    "DomainEvent",
    "FactCorrected",
    "FactRecorded",
    "FactRetracted",
    "SourceRegistered",
    "SourceRevised",
]
