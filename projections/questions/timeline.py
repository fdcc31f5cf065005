"""Facts in valid-time order, every fact for exports, and finding a fact by a prefix of its id."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from uuid import UUID

import attrs
import orjson

from domain.errors import UnknownFact
from domain.observer import UNBOUNDED, Observer
from events.values import FactKind
from projections.answers import Chronology, FactView
from projections.facts import FactKey, FactVersion
from projections.session import CHUNK, ReadSession, day, micros
from projections.timeline import TimelineRow


def timeline(
    read: ReadSession,
    actors: Sequence[str] = (),
    *,
    start: date | None = None,
    end: date | None = None,
    kinds: Sequence[FactKind] = (),
    observer: Observer = UNBOUNDED,
) -> Chronology:
    """Facts in valid-time order, of the given actors (all of them parties), kinds and dates, as the observer sees
    them (its ``as_of`` is not used: ``start`` and ``end`` say which days)."""
    with read.reading():
        index = read.actors()
        asked = [(key, {key, *index.bodies_of(key)}) for key in (read.key(actor) for actor in actors)]
        groups = [group for _key, group in asked]
        before = micros(observer.recorded_before)
        if groups:
            latest = (end or date.max).isoformat()
            candidates: set[str] = set.intersection(
                *(
                    {
                        row.fact_id
                        for member in sorted(group)
                        for row in read.select(
                            TimelineRow,
                            "timeline",
                            "by_actor",
                            where="actor = ? AND valid_lo <= ?",
                            params=(member, latest),
                        )
                    }
                    for group in groups
                )
            )
        else:
            first = read.select(FactKey, "facts", "versions", where="version = 1")
            candidates = {row.fact_id for row in first}
        wanted_kinds = {str(kind) for kind in kinds}
        chosen: list[tuple[FactVersion, tuple[str, ...]]] = []
        for version in read.versions(candidates, before).values():
            parties = set(orjson.loads(version.parties))
            if (
                version.status == "retracted"
                or not all(parties & group for group in groups)
                or (wanted_kinds and version.kind not in wanted_kinds)
                or (start is not None and day(version.valid_hi) < start)
                or (end is not None and day(version.valid_lo) > end)
                or not observer.sees_published(day(version.pub_lo))
            ):
                continue
            through = {body for key, group in asked if key not in parties for body in parties & group}
            chosen.append((version, tuple(sorted(index.code(body) for body in through))))
        chosen.sort(key=lambda entry: (entry[0].valid_lo, entry[0].valid_hi, entry[0].position))
        return Chronology(
            observer=observer, facts=tuple(attrs.evolve(read.view(version), via=via) for version, via in chosen)
        )


def find_fact(read: ReadSession, prefix: str) -> UUID:
    """The fact whose id starts with ``prefix`` (at least four hex digits)."""
    with read.reading():
        cleaned = prefix.strip().replace("-", "").lower()
        if len(cleaned) < 4 or len(cleaned) > 32 or any(char not in "0123456789abcdef" for char in cleaned):
            msg = f"{_clip(prefix)!r} is not a fact id (give 4 to 32 hex digits)"
            raise UnknownFact(msg)
        rows = read.select(
            FactKey, "facts", "versions", where="version = 1 AND fact_id LIKE ?", params=(cleaned + "%",)
        )
        if not rows:
            msg = f"no fact with id {prefix!r}"
            raise UnknownFact(msg)
        if len(rows) > 1:
            msg = f"fact id {prefix!r} is ambiguous: {', '.join(sorted(row.fact_id[:12] for row in rows)[:5])}"
            raise UnknownFact(msg)
        return UUID(rows[0].fact_id)


def facts(
    read: ReadSession,
    *,
    include_retracted: bool = False,
    observer: Observer = UNBOUNDED,
) -> Iterator[FactView]:
    """Every fact in the order it was recorded, as the store had it before the observer's ``recorded_before``,
    from sources that may have been published by its ``known_at`` (its ``as_of`` is not used)."""
    with read.reading():
        before = micros(observer.recorded_before)
        first_versions = read.select(
            FactKey, "facts", "versions", where="version = 1 AND recorded < ?", params=(before,), order="position"
        )
        order = [version.fact_id for version in first_versions]
        for offset in range(0, len(order), CHUNK):
            part = order[offset : offset + CHUNK]
            versions = read.versions(part, before)
            for fact in part:
                version = versions[fact]
                if not observer.sees_published(day(version.pub_lo)):
                    continue
                if include_retracted or version.status != "retracted":
                    yield read.view(version)


def _clip(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
