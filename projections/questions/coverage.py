"""How much of the known world the store covers: the formal ties between two countries' sub-national
governments on a date, by level and by province, beside the counts the sources themselves state.

A source's count is a ``statistic`` fact between the two countries in the unit ``ties`` (document
002: 645 friendships and sisterhoods between Korean and Chinese local governments by 2019).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import attrs
import orjson

from domain.observer import Observer
from domain.status import visibility
from domain.vocabulary import FORMAL_TIES, LOCAL_GOVERNMENTS, Certainty
from events.values import ActorLevel, FactKind
from projections.actor_index import ActorIndex
from projections.questions.network import network
from projections.session import ReadSession, day, micros
from projections.timeline import TimelineRow

FIRST_LEVEL = (ActorLevel.PROVINCE, ActorLevel.MUNICIPALITY)
COUNTED_UNIT = "ties"


@attrs.frozen(kw_only=True)
class StatedCount:
    """A count of ties a source states, with where it comes from."""

    value: float
    date: str
    document: str
    quote: str
    fact_id: str

    def to_json(self) -> dict[str, Any]:
        return attrs.asdict(self)


@attrs.frozen(kw_only=True)
class ProvinceCount:
    """How many of the ties have a party in one first-level subdivision."""

    code: str
    name: str
    ties: int

    def to_json(self) -> dict[str, Any]:
        return attrs.asdict(self)


@attrs.frozen(kw_only=True)
class Coverage:
    """The formal ties between two countries' sub-national governments the store knows on a date."""

    countries: tuple[str, str]
    observer: Observer
    ties: int
    definite: int
    by_level: tuple[tuple[str, int], ...]
    by_province: tuple[tuple[str, tuple[ProvinceCount, ...]], ...]
    stated: tuple[StatedCount, ...]

    @property
    def share(self) -> float | None:
        """The ties known as a share of the latest count a source states, if any."""
        latest = self.stated[-1].value if self.stated else None
        return None if not latest else self.ties / latest

    def to_json(self) -> dict[str, Any]:
        return {
            "countries": list(self.countries),
            **self.observer.to_json(),
            "ties": self.ties,
            "definite": self.definite,
            "possible": self.ties - self.definite,
            "by_level": dict(self.by_level),
            "by_province": {country: [count.to_json() for count in counts] for country, counts in self.by_province},
            "stated": [count.to_json() for count in self.stated],
            "share_of_latest_stated": self.share,
        }


def coverage(
    read: ReadSession,
    *,
    observer: Observer,
    countries: tuple[str, str] = ("KR", "CN"),
) -> Coverage:
    """The formal ties between the two countries' sub-national governments on the observer's day, and the counts
    sources state."""
    found = network(read, observer=observer)
    with read.reading():
        actors = read.actors()
        keys = {row.code: key for key, row in actors.rows.items()}
        ties = []
        for edge in found.edges:
            first, second = keys.get(edge.a, edge.a), keys.get(edge.b, edge.b)
            if edge.status in FORMAL_TIES and _between(actors, first, second, countries):
                ties.append((edge, first, second))
        levels = Counter(str(edge.status) for edge, _first, _second in ties)
        provinces: dict[str, Counter[str]] = {country: Counter() for country in countries}
        for _edge, first, second in ties:
            for key in (first, second):
                country = actors.country(key) or ""
                if country in provinces:
                    provinces[country][_province(actors, key)] += 1
        return Coverage(
            countries=countries,
            observer=observer,
            ties=len(ties),
            definite=sum(edge.certainty is Certainty.DEFINITE for edge, _first, _second in ties),
            by_level=tuple(sorted(levels.items(), key=lambda item: (-item[1], item[0]))),
            by_province=tuple(
                (
                    country,
                    tuple(
                        ProvinceCount(code=actors.code(key), name=actors.name(key), ties=count)
                        for key, count in sorted(counted.items(), key=lambda item: (-item[1], actors.code(item[0])))
                    ),
                )
                for country, counted in provinces.items()
            ),
            stated=_stated(read, countries, observer),
        )


def _between(actors: ActorIndex, first: str, second: str, countries: tuple[str, str]) -> bool:
    """Whether two actors are sub-national governments, one in each of the two countries."""
    levels = (actors.level(first), actors.level(second))
    return all(level in LOCAL_GOVERNMENTS for level in levels) and {
        actors.country(first),
        actors.country(second),
    } == set(countries)


def _province(actors: ActorIndex, key: str) -> str:
    """The first-level subdivision an actor is in (itself, for a province)."""
    current: str | None = key
    seen: set[str] = set()
    while current is not None and current not in seen:
        seen.add(current)
        if actors.level(current) in FIRST_LEVEL:
            return current
        row = actors.rows.get(current)
        current = None if row is None or row.parent is None else actors.key_of(row.parent)
    return key


def _stated(read: ReadSession, countries: tuple[str, str], observer: Observer) -> tuple[StatedCount, ...]:
    """The counts of ties between the two countries that sources in view state by the observer's day, oldest
    first."""
    first, second = (read.key(country) for country in countries)
    ids = set.intersection(
        *(
            {row.fact_id for row in read.select(TimelineRow, "timeline", "by_actor", where="actor = ?", params=(key,))}
            for key in (first, second)
        )
    )
    counts = []
    for version in read.versions(sorted(ids), micros(observer.recorded_before)).values():
        if version.kind != FactKind.STATISTIC or version.status == "retracted":
            continue
        attributes = orjson.loads(version.attributes)
        if attributes.get("unit") != COUNTED_UNIT:
            continue
        if visibility(day(version.valid_lo), day(version.valid_hi), observer.day) is None:
            continue
        if not observer.sees_published(day(version.pub_lo)):
            continue
        value = attributes.get("value")
        if isinstance(value, int | float):
            counts.append(
                StatedCount(
                    value=value,
                    date=version.edtf,
                    document=version.document,
                    quote=version.quote,
                    fact_id=version.fact_id,
                )
            )
    return tuple(sorted(counts, key=lambda count: (count.date, count.document)))


__all__ = ["Coverage", "ProvinceCount", "StatedCount"]
