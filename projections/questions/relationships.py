"""How relationships stood: between two actors on a date, over a span of time, and an actor's partners.

Relationships are government to government; a government's bodies (its assembly, its institutes)
are shown as their own rows only when asked (``include_bodies``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from itertools import product

from domain.errors import InvalidInput
from domain.observer import UNBOUNDED, Observer
from domain.status import Outcome, Resolution, relationship_outcome
from domain.vocabulary import FORMAL_TIES, RelationshipStatus
from events.values import ActorLevel
from projections.answers import (
    BodyTie,
    Partner,
    Partners,
    RelationshipHistory,
    RelationshipState,
    StatusPeriod,
)
from projections.relationships import PairRow
from projections.rows import pair_key
from projections.session import EvidenceSet, ReadSession, day, micros

NO_TIE = (RelationshipStatus.NONE, RelationshipStatus.UNKNOWN)


def relationship_state(
    read: ReadSession,
    a: str,
    b: str,
    *,
    observer: Observer,
    include_bodies: bool = False,
) -> RelationshipState:
    """How the relationship between two actors stood on the observer's day, from sources published by its
    ``known_at``, as this store had recorded them before its ``recorded_before`` (and their bodies' ties, if asked)."""
    as_of, known_at = observer.day, observer.known_at
    with read.reading():
        first, second = sorted((read.key(a), read.key(b)))
        before = micros(observer.recorded_before)
        actors = read.actors()
        pairs = [(first, second)]
        if include_bodies:
            sides = ([first, *actors.bodies_of(first)], [second, *actors.bodies_of(second)])
            pairs.extend(pair for pair in product(*sides) if pair != (first, second))
        found = read.evidence("relationships", [pair_key(*pair) for pair in pairs], before, through=as_of)
        resolutions = read.resolutions((item.fact_id for item in found.items), before)
        outcomes = {
            pair: _outcome(read, found, pair, as_of=as_of, known_at=known_at, resolutions=resolutions) for pair in pairs
        }
        _settle_unknown(read, outcomes, as_of=as_of, known_at=known_at, before=before)
        outcome = outcomes[(first, second)]
        exists_from = actors.exists_from(first, second)
        direct = found.by_subject.get(pair_key(first, second), [])
        return RelationshipState(
            parties=(actors.code(first), actors.code(second)),
            observer=observer,
            status=outcome.status,
            certainty=outcome.certainty,
            since=outcome.since,
            events=read.shown(found, direct, as_of=as_of, known_at=known_at, exists_from=exists_from),
            conflicts=read.conflicts(outcome, found),
            bodies=tuple(
                BodyTie(
                    parties=(actors.code(x), actors.code(y)),
                    status=tied.status,
                    certainty=tied.certainty,
                    since=tied.since,
                )
                for (x, y), tied in outcomes.items()
                if (x, y) != (first, second) and tied.status is not RelationshipStatus.UNKNOWN
            ),
        )


def relationship_history(
    read: ReadSession,
    a: str,
    b: str,
    *,
    start: date,
    end: date,
    observer: Observer = UNBOUNDED,
) -> RelationshipHistory:
    """How the relationship between two actors changed between ``start`` and ``end``, as the observer sees it
    (its ``as_of`` is not used: the span says which days)."""
    if start > end:
        msg = f"the span starts on {start} after it ends on {end}"
        raise InvalidInput(msg)
    known_at = observer.known_at
    with read.reading():
        first, second = sorted((read.key(a), read.key(b)))
        before = micros(observer.recorded_before)
        found = read.evidence("relationships", [pair_key(first, second)], before)
        resolutions = read.resolutions((item.fact_id for item in found.items), before)
        actors = read.actors()
        exists_from = actors.exists_from(first, second)
        days = {start} | ({exists_from} if exists_from is not None and start < exists_from <= end else set())
        for item in found.items:
            days.update(moment for moment in (item.valid_lo, item.valid_hi) if start < moment <= end)
        periods: list[StatusPeriod] = []
        ordered = sorted(days)
        for index, moment in enumerate(ordered):
            until = ordered[index + 1] - timedelta(days=1) if index + 1 < len(ordered) else end
            outcome = relationship_outcome(
                found.items, as_of=moment, known_at=known_at, resolutions=resolutions, exists_from=exists_from
            )
            if periods and (periods[-1].status, periods[-1].certainty) == (outcome.status, outcome.certainty):
                periods[-1] = StatusPeriod(
                    start=periods[-1].start,
                    end=until,
                    status=outcome.status,
                    certainty=outcome.certainty,
                    since=periods[-1].since,
                )
            else:
                periods.append(
                    StatusPeriod(
                        start=moment,
                        end=until,
                        status=outcome.status,
                        certainty=outcome.certainty,
                        since=outcome.since,
                    )
                )
        return RelationshipHistory(
            parties=(actors.code(first), actors.code(second)),
            names=(actors.name(first), actors.name(second)),
            observer=observer,
            periods=tuple(periods),
            events=tuple(
                view
                for view in read.shown(found, found.items, as_of=end, known_at=known_at, exists_from=exists_from)
                if day(found.version_of(view.fact_id).valid_hi) >= start
            ),
        )


def counterparts(read: ReadSession, actor: str) -> list[str]:
    """The governments abroad that an actor has relationship facts with, by code."""
    with read.reading():
        key = read.key(actor)
        return sorted(read.actors().code(other) for other in _abroad(read, key, include_bodies=False))


def relationship_histories(
    read: ReadSession, actor: str | None, *, start: date, end: date, observer: Observer = UNBOUNDED
) -> list[RelationshipHistory]:
    """Every relationship abroad of ``actor`` (of every province and municipality when None), once each."""
    with read.reading():
        actors = read.actors()
        keys = (
            [read.key(actor)]
            if actor
            else [
                key
                for key, row in sorted(actors.rows.items(), key=lambda item: item[1].code)
                if row.level in (ActorLevel.PROVINCE, ActorLevel.MUNICIPALITY)
            ]
        )
        seen: set[frozenset[str]] = set()
        histories = []
        for key in keys:
            for other in sorted(_abroad(read, key, include_bodies=False), key=actors.code):
                pair = frozenset((key, other))
                if pair not in seen:
                    seen.add(pair)
                    histories.append(relationship_history(read, key, other, start=start, end=end, observer=observer))
        return histories


def partners(
    read: ReadSession,
    actor: str,
    *,
    observer: Observer,
    include_contacts: bool = False,
    include_bodies: bool = False,
    include_within: bool = False,
) -> Partners:
    """An actor's partners abroad on the observer's day: governments with a formal tie (or every contact); with
    ``include_bodies`` the ties of its bodies and of bodies abroad, with ``include_within`` the ties of the
    places within it (a province's cities), each as its own row naming its side in ``via``."""
    as_of, known_at = observer.day, observer.known_at
    with read.reading():
        key = read.key(actor)
        actors = read.actors()
        sides = [key]
        if include_bodies:
            sides += actors.bodies_of(key)
        if include_within:
            sides += actors.places_within(key)
        pairs = [(side, other) for side in sides for other in _abroad(read, side, include_bodies=include_bodies)]
        before = micros(observer.recorded_before)
        found: list[Partner] = []
        if pairs:
            evidence = read.evidence("relationships", [pair_key(*pair) for pair in pairs], before, through=as_of)
            resolutions = read.resolutions((item.fact_id for item in evidence.items), before)
            for side, other in sorted(pairs, key=lambda pair: (pair[0] != key, actors.code(pair[0]), pair[1])):
                outcome = _outcome(
                    read, evidence, (side, other), as_of=as_of, known_at=known_at, resolutions=resolutions
                )
                wanted = outcome.status in FORMAL_TIES or (include_contacts and outcome.status not in NO_TIE)
                if wanted:
                    found.append(
                        Partner(
                            party=actors.code(other),
                            name=actors.name(other),
                            status=outcome.status,
                            certainty=outcome.certainty,
                            since=outcome.since,
                            via=None if side == key else actors.code(side),
                        )
                    )
        return Partners(actor=actors.code(key), observer=observer, partners=tuple(found))


def _outcome(
    read: ReadSession,
    found: EvidenceSet,
    pair: tuple[str, str],
    *,
    as_of: date,
    known_at: date | None,
    resolutions: Sequence[Resolution],
) -> Outcome[RelationshipStatus]:
    return relationship_outcome(
        found.by_subject.get(pair_key(*pair), []),
        as_of=as_of,
        known_at=known_at,
        resolutions=resolutions,
        exists_from=read.actors().exists_from(*pair),
    )


def _settle_unknown(
    read: ReadSession,
    outcomes: dict[tuple[str, str], Outcome[RelationshipStatus]],
    *,
    as_of: date,
    known_at: date | None,
    before: int,
) -> None:
    """Tell ``none`` from ``unknown`` for the pairs of which no fact that may start by ``as_of`` is in view:
    a later fact in view makes the pair ``none`` on that day."""
    unknown = [pair for pair, outcome in outcomes.items() if outcome.status is RelationshipStatus.UNKNOWN]
    if not unknown:
        return
    later = read.evidence("relationships", [pair_key(*pair) for pair in unknown], before)
    resolutions = read.resolutions((item.fact_id for item in later.items), before)
    for pair in unknown:
        outcomes[pair] = _outcome(read, later, pair, as_of=as_of, known_at=known_at, resolutions=resolutions)


def _abroad(read: ReadSession, key: str, *, include_bodies: bool) -> list[str]:
    """The actors in other countries that share relationship facts with ``key``: governments, and bodies if asked."""
    actors = read.actors()
    pairs = read.select(PairRow, "relationships", "pairs", where="actor = ?", params=(key,))
    return [
        pair.other
        for pair in pairs
        if actors.abroad_and_tie_keeping(key, pair.other) and (include_bodies or not actors.is_body(pair.other))
    ]
