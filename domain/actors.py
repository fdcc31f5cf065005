"""Actors: countries, local governments, organisations and programmes, with their codes and names over time."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from uuid import UUID

import attrs

from domain.errors import ConflictingDefinition, InvalidInput
from domain.fold import Fold
from domain.ids import actor_id
from events.actors import (
    ActorCodeChanged,
    ActorEstablishmentDated,
    ActorNamesAdded,
    ActorRegistered,
    ActorRenamed,
)
from events.base import DomainEvent
from events.values import ActorLevel, Name, Period, names


@attrs.frozen(kw_only=True)
class CodeChange:
    """A former code and the day from which the next one applies."""

    old_code: str
    new_code: str
    effective: Period


def _changes(value: Iterable[CodeChange]) -> tuple[CodeChange, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class ActorDraft:
    """An actor as offered for registration: its current code, its former codes, names and place."""

    code: str
    level: ActorLevel
    country: str
    parent: str | None
    names: tuple[Name, ...] = attrs.field(converter=names)
    history: tuple[CodeChange, ...] = attrs.field(converter=_changes, factory=tuple)
    established: Period | None = None
    note: str = ""
    origin: str = attrs.field(default="", eq=False)

    @property
    def key(self) -> str:
        """The code the actor was first known under: its stable key."""
        return self.history[0].old_code if self.history else self.code


@attrs.frozen(kw_only=True)
class Actor:
    """What the store knows of an actor now."""

    id: UUID
    version: int
    key: str
    code: str
    level: ActorLevel
    country: str
    parent: str | None
    names: tuple[Name, ...]
    former_names: tuple[Name, ...]
    history: tuple[CodeChange, ...]
    established: Period | None = None

    @property
    def codes(self) -> tuple[str, ...]:
        """Every code the actor has carried, the current one last."""
        return (*(change.old_code for change in self.history), self.code)

    def name(self, lang: str = "en") -> str:
        """The official name in ``lang``, else in English, else the code."""
        for wanted in (lang, "en"):
            for name in self.names:
                if name.lang == wanted and name.official:
                    return name.text
        return self.code


actor_fold: Fold[Actor] = Fold("an actor")
mutate = actor_fold.mutate


@actor_fold.applies
def _(event: ActorRegistered, state: Actor | None) -> Actor:
    return Actor(
        id=event.originator_id,
        version=event.originator_version,
        key=event.key,
        code=event.code,
        level=event.level,
        country=event.country,
        parent=event.parent,
        names=event.names,
        former_names=(),
        history=(),
    )


@actor_fold.applies
def _(event: ActorRenamed, state: Actor | None) -> Actor:
    if state is None:
        msg = "a rename before the actor's registration"
        raise TypeError(msg)
    kept = tuple(name for name in state.names if name not in event.names)
    return attrs.evolve(
        state,
        version=event.originator_version,
        names=event.names,
        former_names=(*state.former_names, *kept),
    )


@actor_fold.applies
def _(event: ActorNamesAdded, state: Actor | None) -> Actor:
    if state is None:
        msg = "names added before the actor's registration"
        raise TypeError(msg)
    return attrs.evolve(state, version=event.originator_version, names=(*state.names, *event.names))


@actor_fold.applies
def _(event: ActorCodeChanged, state: Actor | None) -> Actor:
    if state is None:
        msg = "a code change before the actor's registration"
        raise TypeError(msg)
    change = CodeChange(old_code=event.old_code, new_code=event.new_code, effective=event.effective)
    return attrs.evolve(
        state,
        version=event.originator_version,
        code=event.new_code,
        history=(*state.history, change),
    )


@actor_fold.applies
def _(event: ActorEstablishmentDated, state: Actor | None) -> Actor:
    if state is None:
        msg = "an establishment date before the actor's registration"
        raise TypeError(msg)
    return attrs.evolve(state, version=event.originator_version, established=event.established)


project_actor = actor_fold.project


def register_actor(draft: ActorDraft, existing: Actor | None, *, at: datetime) -> list[DomainEvent]:
    """Register an actor with its code history; for a known actor, record only what is new."""
    _check(draft)
    events: list[DomainEvent] = []
    state = existing
    if state is None:
        registered = ActorRegistered(
            originator_id=actor_id(draft.key),
            originator_version=1,
            timestamp=at,
            key=draft.key,
            code=draft.key,
            level=draft.level,
            country=draft.country,
            parent=draft.parent,
            names=draft.names,
            note=draft.note,
        )
        events.append(registered)
        state = mutate(None, registered)
    elif (state.level, state.country, state.parent) != (draft.level, draft.country, draft.parent):
        msg = (
            f"actor {draft.code} is already registered as a {state.level} of {state.country} "
            f"under {state.parent or 'no parent'}"
        )
        raise ConflictingDefinition(msg)
    for change in draft.history:
        if change.old_code == state.code:
            code_changed = ActorCodeChanged(
                originator_id=state.id,
                originator_version=state.version + 1,
                timestamp=at,
                old_code=change.old_code,
                new_code=change.new_code,
                effective=change.effective,
                note=draft.note,
            )
            events.append(code_changed)
            state = mutate(state, code_changed)
    known = set(state.names) | set(state.former_names)
    new_names = tuple(name for name in draft.names if name not in known)
    if new_names:
        names_added = ActorNamesAdded(
            originator_id=state.id,
            originator_version=state.version + 1,
            timestamp=at,
            names=new_names,
            note=draft.note or "names added to the gazetteer",
        )
        events.append(names_added)
        state = mutate(state, names_added)
    if draft.established is not None and draft.established != state.established:
        events.append(
            ActorEstablishmentDated(
                originator_id=state.id,
                originator_version=state.version + 1,
                timestamp=at,
                established=draft.established,
                note=draft.note or "when the actor came to exist",
            )
        )
    return events


def _check(draft: ActorDraft) -> None:
    if not draft.code.strip():
        msg = "an actor needs a code"
        raise InvalidInput(msg)
    if not any(name.lang == "en" and name.official for name in draft.names):
        msg = f"actor {draft.code} needs an official English name"
        raise InvalidInput(msg)
    codes = [draft.key, *(change.new_code for change in draft.history)]
    if codes[-1] != draft.code or len(set(codes)) != len(codes):
        msg = f"actor {draft.code} has a code history that does not end in its code"
        raise InvalidInput(msg)
