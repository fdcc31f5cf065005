"""Events of the actors stream: local governments, countries, organisations and programmes."""

from __future__ import annotations

import attrs

from events.base import DomainEvent
from events.values import ActorLevel, Name, Period, names


@attrs.frozen(kw_only=True)
class ActorRegistered(DomainEvent):
    """An actor became known under a stable key, with its current code, level, names and parent."""

    key: str
    code: str
    level: ActorLevel
    country: str
    parent: str | None
    names: tuple[Name, ...] = attrs.field(converter=names)
    note: str


@attrs.frozen(kw_only=True)
class ActorRenamed(DomainEvent):
    """An actor took new names from a date in the world; the old names remain aliases."""

    names: tuple[Name, ...] = attrs.field(converter=names)
    effective: Period
    note: str


@attrs.frozen(kw_only=True)
class ActorCodeChanged(DomainEvent):
    """An actor's canonical code changed from a date in the world (Gangwon KR-42 became KR-51)."""

    old_code: str
    new_code: str
    effective: Period
    note: str


@attrs.frozen(kw_only=True)
class ActorNamesAdded(DomainEvent):
    """More names of an actor became known (aliases, translations); nothing changed in the world."""

    names: tuple[Name, ...] = attrs.field(converter=names)
    note: str


@attrs.frozen(kw_only=True)
class ActorEstablishmentDated(DomainEvent):
    """When an actor came to exist became known (a state founded, a province created); no tie can be older."""

    established: Period
    note: str
