"""The places a register names: each printed name resolved through the gazetteer to one place, within
the country and province printed, never by guessing."""

from __future__ import annotations

import re
from collections.abc import Sequence

import attrs

from corpus.gazetteer import KnownActor, gazetteer_of
from domain.actors import ActorDraft
from domain.errors import AmbiguousActor, InvalidInput, UnknownActor
from domain.names import Gazetteer
from domain.vocabulary import LOCAL_GOVERNMENTS
from events.values import ActorLevel

_PARENT_BEFORE = re.compile(r"(?P<parent>\S+)\s+(?P<child>.+)")
_PARENT_AFTER = re.compile(r"(?P<child>[^,]+),\s*(?P<parent>[^,]+)")


def _split_parent(name: str) -> re.Match[str] | None:
    """A name printed with its province: ``경기도 광주시``, ``Dalian City, Liaoning province``."""
    text = name.strip()
    return _PARENT_AFTER.fullmatch(text) or _PARENT_BEFORE.fullmatch(text)


@attrs.frozen
class Place:
    """What a register asks of an actor: its level, its country and the code of its parent."""

    level: ActorLevel
    country: str
    parent: str | None


class Places:
    """Resolves the names printed on a list to places of the gazetteer, never by guessing."""

    def __init__(self, actors: Sequence[ActorDraft], known: Sequence[KnownActor] = ()) -> None:
        self.drafts: dict[str, Place] = {
            actor.key: Place(ActorLevel(actor.level), actor.country, actor.parent) for actor in known
        }
        self.drafts |= {draft.key: Place(draft.level, draft.country, draft.parent) for draft in actors}
        drafted = {draft.key for draft in actors}
        self.gazetteer: Gazetteer = gazetteer_of(actors, [actor.named() for actor in known if actor.key not in drafted])

    def resolve(self, name: str, *, country: str | None, parent: str | None) -> tuple[str, str]:
        """The actor key for a printed name, and how it was read; UnknownActor/AmbiguousActor otherwise."""
        try:
            candidates = self._candidates(name)
        except UnknownActor:
            split = _split_parent(name)
            if split is None or parent is not None:
                raise
            try:
                parent_key = self.resolve(split["parent"], country=country, parent=None)[0]
            except (UnknownActor, AmbiguousActor):
                raise UnknownActor(name, self.gazetteer.closest(name)) from None
            key, how = self.resolve(split["child"], country=country, parent=parent_key)
            return key, f"{how}, within {parent_key} printed with it"
        places = [key for key in candidates if self.drafts[key].level in LOCAL_GOVERNMENTS]
        if country is not None:
            foreign = [key for key in places if self.drafts[key].country != country]
            places = [key for key in places if self.drafts[key].country == country]
            if not places and foreign:
                msg = f"{name!r} names {', '.join(foreign)}, not a place in {country}"
                raise UnknownActor(msg, foreign)
        if parent is not None:
            places = [key for key in places if self.within(key, parent)]
        if len(places) == 1:
            how = "by code" if name.strip() in self.gazetteer else "by name"
            if len(candidates) > 1:
                how += f" among {', '.join(sorted(candidates))}"
            return places[0], how
        if not places:
            raise UnknownActor(name, [*sorted(candidates), *self.gazetteer.closest(name)])
        raise AmbiguousActor(name, sorted(places))

    def _candidates(self, name: str) -> list[str]:
        try:
            return [self.gazetteer.resolve(name).key]
        except AmbiguousActor as error:
            return list(error.candidates)

    def within(self, key: str, parent: str) -> bool:
        """Whether a place lies within another (itself included), following the gazetteer's parents."""
        seen: set[str] = set()
        current: str | None = key
        while current is not None and current not in seen:
            if current == parent:
                return True
            seen.add(current)
            draft = self.drafts.get(current)
            current = draft.parent if draft is not None else None
        return False

    def code(self, name: str, where: str, what: str) -> str:
        """The key of a code or name given in a header (owner, countries)."""
        try:
            return self.gazetteer.resolve(name).key
        except (UnknownActor, AmbiguousActor) as error:
            msg = f"{where}: {what}: {error}"
            raise InvalidInput(msg) from None
