"""Actors as the questions see them: by key, code and name, with their places in the chains of parents."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from domain.names import Gazetteer, NamedActor, normalise
from domain.vocabulary import BODIES, GOVERNMENTS, TIE_KEEPERS
from events.values import ActorLevel
from projections.actor_directory import ActorRow, CodeRow, NameRow
from projections.answers import ActorSummary

KEYS_REMEMBERED = 10_000


class ActorIndex:
    """Actors by key, their codes and names, and a gazetteer over them."""

    def __init__(self, rows: list[ActorRow], names: list[NameRow], codes: list[CodeRow]) -> None:
        self.rows = {row.key: row for row in rows}
        self.names: dict[str, list[NameRow]] = defaultdict(list)
        for name in names:
            self.names[name.key].append(name)
        self.codes: dict[str, list[str]] = defaultdict(list)
        self.by_code: dict[str, str] = {}
        for code in codes:
            self.codes[code.key].append(code.code)
            self.by_code[code.folded] = code.key
        self.gazetteer = Gazetteer(
            NamedActor(
                key=key,
                codes=tuple(self.codes.get(key, [])),
                names=tuple(name.text for name in self.names.get(key, [])),
            )
            for key in self.rows
        )
        self._keys: dict[str, str] = {}

    def key(self, name: str) -> str:
        """The key of the actor with this code or name (UnknownActor / AmbiguousActor); remembered, since
        the index never changes (a store that changes gets a new index)."""
        found = self._keys.get(name)
        if found is None:
            found = self.gazetteer.resolve(name).key
            if len(self._keys) >= KEYS_REMEMBERED:
                self._keys.clear()
            self._keys[name] = found
        return found

    def code(self, key: str) -> str:
        """An actor's current code (the key itself when unknown)."""
        row = self.rows.get(key)
        return row.code if row else key

    def name(self, key: str) -> str:
        """An actor's English name, else its code."""
        row = self.rows.get(key)
        return (row.name_en or row.code) if row else key

    def country(self, key: str) -> str | None:
        """An actor's country."""
        row = self.rows.get(key)
        return row.country if row else None

    def level(self, key: str) -> ActorLevel | None:
        """An actor's level."""
        row = self.rows.get(key)
        return ActorLevel(row.level) if row else None

    def exists_from(self, *keys: str) -> date | None:
        """The first day all these actors existed: the latest establishment day along their parents' chains."""
        days = []
        for key in keys:
            seen: set[str] = set()
            current: str | None = key
            while current is not None and current not in seen:
                seen.add(current)
                row = self.rows.get(current)
                if row is None:
                    break
                if row.established_lo is not None:
                    days.append(date.fromisoformat(row.established_lo))
                current = None if row.parent is None else self.key_of(row.parent)
        return max(days, default=None)

    def is_body(self, key: str) -> bool:
        """Whether an actor is a body of a government (a legislature, an institute), not a government."""
        return self.level(key) in BODIES

    def bodies_of(self, key: str) -> list[str]:
        """The bodies whose chain of parents leads to this actor (its assembly, its institutes), by code."""
        return self._below(key, BODIES)

    def places_within(self, key: str) -> list[str]:
        """The governments whose chain of parents leads to this actor (a province's cities, counties and
        districts, a country's provinces and theirs), by code; bodies are not places."""
        return self._below(key, GOVERNMENTS)

    def _below(self, key: str, levels: frozenset[ActorLevel]) -> list[str]:
        found = [other for other, row in self.rows.items() if other != key and row.level in levels]
        return sorted((other for other in found if self._leads_to(other, key)), key=self.code)

    def _leads_to(self, other: str, key: str) -> bool:
        """Whether ``key`` is on the chain of parents of ``other``."""
        seen: set[str] = set()
        current: str | None = other
        while current is not None and current not in seen:
            seen.add(current)
            row = self.rows.get(current)
            current = None if row is None or row.parent is None else self.key_of(row.parent)
            if current == key:
                return True
        return False

    def key_of(self, code: str) -> str:
        """The key of the actor carrying a code (the code itself when none does)."""
        return self.by_code.get(code.casefold(), code)

    def abroad_and_tie_keeping(self, key: str, other: str) -> bool:
        """Whether ``other`` is in another country than ``key`` and of a level that keeps ties."""
        level = self.level(other)
        return level is not None and self.country(other) != self.country(key) and level in TIE_KEEPERS

    def summaries(self, query: str | None) -> list[ActorSummary]:
        """Actors whose codes or names contain ``query`` (all when None), by code."""
        wanted = normalise(query) if query else ""
        found = []
        for key, row in sorted(self.rows.items(), key=lambda item: item[1].code):
            names = self.names.get(key, [])
            haystack = [normalise(code) for code in self.codes.get(key, [])] + [normalise(n.text) for n in names]
            if wanted and not any(wanted in item for item in haystack):
                continue
            official = {row.name_en, row.name_ko, row.name_zh}
            found.append(
                ActorSummary(
                    key=key,
                    code=row.code,
                    name=row.name_en or row.code,
                    name_ko=row.name_ko,
                    name_zh=row.name_zh,
                    level=row.level,
                    country=row.country,
                    parent=row.parent,
                    former_codes=tuple(code for code in self.codes.get(key, []) if code != row.code),
                    aliases=tuple(sorted({name.text for name in names} - official)),
                )
            )
        return found
