"""How a programme or conference series stood on a date."""

from __future__ import annotations

from domain.errors import WrongKindOfActor
from domain.kinds import PROGRAM_LEVELS
from domain.observer import Observer
from domain.status import Outcome, program_outcome
from domain.vocabulary import ProgramStatus
from projections.answers import ProgramState
from projections.session import EvidenceSet, ReadSession, micros


def program_state(
    read: ReadSession,
    program: str,
    *,
    observer: Observer,
) -> ProgramState:
    """How a programme or conference series stood on the observer's day."""
    as_of, known_at = observer.day, observer.known_at
    with read.reading():
        key = read.key(program)
        actors = read.actors()
        if actors.level(key) not in PROGRAM_LEVELS:
            msg = f"{actors.code(key)} ({actors.name(key)}) is not a programme or conference series"
            raise WrongKindOfActor(msg)
        before = micros(observer.recorded_before)

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
            observer=observer,
            status=outcome.status,
            certainty=outcome.certainty,
            since=outcome.since,
            events=read.shown(found, found.items, as_of=as_of, known_at=known_at),
            conflicts=read.conflicts(outcome, found),
        )
