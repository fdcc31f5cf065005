"""How a programme or conference series stood on a date."""

from __future__ import annotations

from datetime import date, datetime

from domain.errors import WrongKindOfActor
from domain.status import Outcome, program_outcome
from domain.vocabulary import ProgramStatus
from events.values import ActorLevel
from projections.answers import ProgramState
from projections.session import EvidenceSet, ReadSession, micros

PROGRAMME_LEVELS = (ActorLevel.PROGRAM, ActorLevel.CONFERENCE_SERIES)


class ProgrammeQuestions:
    """Questions about programmes and conference series, answered from the programmes read model."""

    read: ReadSession

    def program_state(
        self,
        program: str,
        *,
        as_of: date,
        known_at: date | None = None,
        recorded_before: datetime | None = None,
    ) -> ProgramState:
        """How a programme or conference series stood on ``as_of``."""
        with self.read.reading() as read:
            key = read.key(program)
            actors = read.actors()
            if actors.level(key) not in PROGRAMME_LEVELS:
                msg = f"{actors.code(key)} ({actors.name(key)}) is not a programme or conference series"
                raise WrongKindOfActor(msg)
            before = micros(recorded_before)

            def outcome_of(found: EvidenceSet) -> Outcome[ProgramStatus]:
                return program_outcome(
                    found.items,
                    as_of=as_of,
                    known_at=known_at,
                    resolutions=read.resolutions((item.fact_id for item in found.items), before),
                    exists_from=actors.exists_from(key),
                )

            found = read.evidence("programs", [key], before, through=as_of)
            outcome = outcome_of(found)
            if outcome.status is ProgramStatus.UNKNOWN:
                outcome = outcome_of(read.evidence("programs", [key], before))
            return ProgramState(
                program=actors.code(key),
                name=actors.name(key),
                as_of=as_of,
                known_at=known_at,
                recorded_before=recorded_before,
                status=outcome.status,
                certainty=outcome.certainty,
                since=outcome.since,
                events=read.shown(found, found.items, as_of=as_of, known_at=known_at),
                conflicts=read.conflicts(outcome, found),
            )
