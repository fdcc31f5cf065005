"""How relationships stood: between two actors on a date, over a span of time, and an actor's partners."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from domain.status import relationship_outcome
from domain.vocabulary import FORMAL_TIES, RelationshipStatus
from events.values import ActorLevel
from projections.answers import Partner, Partners, RelationshipHistory, RelationshipState, StatusPeriod
from projections.relationships import PairRow
from projections.rows import pair_key
from projections.session import ReadSession, day, micros


class RelationshipQuestions:
    """Questions about relationships, answered from the relationships and fact-version read models."""

    read: ReadSession

    def relationship_state(
        self,
        a: str,
        b: str,
        *,
        as_of: date,
        known_at: date | None = None,
        recorded_before: datetime | None = None,
    ) -> RelationshipState:
        """How the relationship between two actors stood on ``as_of``, from sources published by ``known_at``,
        as this store had recorded them before ``recorded_before``."""
        with self.read.reading() as read:
            first, second = sorted((read.key(a), read.key(b)))
            before = micros(recorded_before)
            found = read.evidence("relationships", [pair_key(first, second)], as_of, before)
            outcome = relationship_outcome(
                found.items,
                as_of=as_of,
                known_at=known_at,
                resolutions=read.resolutions((item.fact_id for item in found.items), before),
            )
            actors = read.actors()
            return RelationshipState(
                parties=(actors.code(first), actors.code(second)),
                as_of=as_of,
                known_at=known_at,
                recorded_before=recorded_before,
                status=outcome.status,
                certainty=outcome.certainty,
                since=outcome.since,
                events=read.shown(found, found.items, known_at),
                conflicts=read.conflicts(outcome, found),
            )

    def relationship_history(
        self,
        a: str,
        b: str,
        *,
        start: date,
        end: date,
        known_at: date | None = None,
        recorded_before: datetime | None = None,
    ) -> RelationshipHistory:
        """How the relationship between two actors changed between ``start`` and ``end``."""
        with self.read.reading() as read:
            first, second = sorted((read.key(a), read.key(b)))
            before = micros(recorded_before)
            found = read.evidence("relationships", [pair_key(first, second)], end, before)
            resolutions = read.resolutions((item.fact_id for item in found.items), before)
            days = {start}
            for item in found.items:
                days.update(moment for moment in (item.valid_lo, item.valid_hi) if start < moment <= end)
            periods: list[StatusPeriod] = []
            ordered = sorted(days)
            for index, moment in enumerate(ordered):
                until = ordered[index + 1] - timedelta(days=1) if index + 1 < len(ordered) else end
                outcome = relationship_outcome(found.items, as_of=moment, known_at=known_at, resolutions=resolutions)
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
            actors = read.actors()
            return RelationshipHistory(
                parties=(actors.code(first), actors.code(second)),
                names=(actors.name(first), actors.name(second)),
                periods=tuple(periods),
                events=tuple(
                    view
                    for view in read.shown(found, found.items, known_at)
                    if day(found.version_of(view.fact_id).valid_hi) >= start
                ),
            )

    def counterparts(self, actor: str) -> list[str]:
        """The governments abroad (and their bodies) that an actor has relationship facts with, by code."""
        with self.read.reading() as read:
            key = read.key(actor)
            return sorted(read.actors().code(other) for other in self._abroad(read, key))

    def relationship_histories(self, actor: str | None, *, start: date, end: date) -> list[RelationshipHistory]:
        """Every relationship abroad of ``actor`` (of every province and municipality when None), once each."""
        with self.read.reading() as read:
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
                for other in sorted(self._abroad(read, key), key=actors.code):
                    pair = frozenset((key, other))
                    if pair not in seen:
                        seen.add(pair)
                        histories.append(self.relationship_history(key, other, start=start, end=end))
            return histories

    def partners(
        self,
        actor: str,
        *,
        as_of: date,
        known_at: date | None = None,
        recorded_before: datetime | None = None,
        include_contacts: bool = False,
    ) -> Partners:
        """An actor's partners abroad on ``as_of`` (formal ties, or every contact)."""
        with self.read.reading() as read:
            key = read.key(actor)
            actors = read.actors()
            others = self._abroad(read, key)
            before = micros(recorded_before)
            found: list[Partner] = []
            if others:
                evidence = read.evidence("relationships", [pair_key(key, other) for other in others], as_of, before)
                resolutions = read.resolutions((item.fact_id for item in evidence.items), before)
                for other in sorted(others):
                    outcome = relationship_outcome(
                        evidence.by_subject.get(pair_key(key, other), []),
                        as_of=as_of,
                        known_at=known_at,
                        resolutions=resolutions,
                    )
                    wanted = outcome.status in FORMAL_TIES or (
                        include_contacts and outcome.status is not RelationshipStatus.NONE
                    )
                    if wanted:
                        found.append(
                            Partner(
                                party=actors.code(other),
                                name=actors.name(other),
                                status=outcome.status,
                                certainty=outcome.certainty,
                                since=outcome.since,
                            )
                        )
            return Partners(
                actor=actors.code(key),
                as_of=as_of,
                known_at=known_at,
                recorded_before=recorded_before,
                partners=tuple(found),
            )

    @staticmethod
    def _abroad(read: ReadSession, key: str) -> list[str]:
        actors = read.actors()
        pairs = read.select(PairRow, "relationships", "pairs", where="actor = ?", params=(key,))
        return [pair.other for pair in pairs if actors.abroad_and_tie_keeping(key, pair.other)]
