"""How a programme or conference series stood on a date."""

from __future__ import annotations

from datetime import date, datetime

from domain.status import program_outcome
from projections.answers import ProgramState
from projections.session import ReadSession, micros


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
            before = micros(recorded_before)
            found = read.evidence("programs", [key], as_of, before)
            outcome = program_outcome(
                found.items,
                as_of=as_of,
                known_at=known_at,
                resolutions=read.resolutions((item.fact_id for item in found.items), before),
            )
            actors = read.actors()
            return ProgramState(
                program=actors.code(key),
                name=actors.name(key),
                as_of=as_of,
                known_at=known_at,
                recorded_before=recorded_before,
                status=outcome.status,
                certainty=outcome.certainty,
                since=outcome.since,
                events=read.shown(found, found.items, known_at),
                conflicts=read.conflicts(outcome, found),
            )
