"""The read side as the application sees it: what the projections must answer.

The application depends on this protocol only; ``projections`` implements it and the composition
root (``domain.bootstrap``) plugs one into the other, so the domain imports nothing from the read side.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime
from typing import Protocol
from uuid import UUID

from domain.answers import (
    ActorSummary,
    FactView,
    Partners,
    ProgramState,
    ProjectionStatus,
    Provenance,
    RelationshipHistory,
    RelationshipState,
    SourceSummary,
    Verification,
)
from events.values import FactKind

Progress = Callable[[int, int], None]


class Views(Protocol):
    """Read models kept from the event log."""

    def catch_up(self, progress: Progress | None = None) -> int:
        """Bring every projection up to the head of the log; returns the events processed."""

    def close(self) -> None:
        """Release connections."""

    def resolve_actor(self, name: str) -> str:
        """The key of the actor carrying this code or name (UnknownActor / AmbiguousActor)."""

    def actor_code(self, key: str) -> str:
        """The current canonical code of an actor key."""

    def relationship_state(
        self, a: str, b: str, *, as_of: date, known_at: date | None, recorded_before: datetime | None
    ) -> RelationshipState:
        """How the relationship between two actors stood on a date."""

    def relationship_history(
        self, a: str, b: str, *, start: date, end: date, known_at: date | None, recorded_before: datetime | None
    ) -> RelationshipHistory:
        """How the relationship between two actors changed between two dates."""

    def counterparts(self, actor: str) -> list[str]:
        """The governments abroad (and their bodies) that share at least one relationship fact with ``actor``."""

    def partners(
        self,
        actor: str,
        *,
        as_of: date,
        known_at: date | None,
        recorded_before: datetime | None,
        include_contacts: bool,
    ) -> Partners:
        """An actor's counterparts abroad on a date."""

    def program_state(
        self, program: str, *, as_of: date, known_at: date | None, recorded_before: datetime | None
    ) -> ProgramState:
        """How a programme or conference series stood on a date."""

    def timeline(
        self,
        actors: Sequence[str],
        *,
        start: date | None,
        end: date | None,
        kinds: Sequence[FactKind],
        known_at: date | None,
        recorded_before: datetime | None,
    ) -> list[FactView]:
        """Facts in valid-time order, optionally of given actors, kinds and a date range."""

    def provenance(self, fact: UUID) -> Provenance:
        """Where a fact comes from and what happened to it."""

    def find_fact(self, prefix: str) -> UUID:
        """The fact whose id starts with ``prefix`` (UnknownFact if none or several)."""

    def facts(self, *, include_retracted: bool) -> Iterator[FactView]:
        """Every fact in log order, for exports."""

    def sources(self) -> list[SourceSummary]:
        """The documents the store holds."""

    def actors(self, query: str | None) -> list[ActorSummary]:
        """Actors whose codes or names match ``query`` (all when None)."""

    def projection_status(self) -> list[ProjectionStatus]:
        """Each projection with its position and the head of the log."""

    def replay(self, names: Sequence[str], *, from_scratch: bool, progress: Progress | None) -> list[ProjectionStatus]:
        """Rebuild projections (names or ``module:Class``) from the log, switching over when done."""

    def follow(self, *, poll_interval: float, stop: Callable[[], bool]) -> None:
        """Keep projections current as other processes write, until ``stop()`` is true."""

    def view_rows(self, name: str, table: str | None) -> tuple[str, list[str], list[tuple[object, ...]]]:
        """The rows of one table of a projection."""

    def verify(self) -> Verification:
        """Re-hash every stored source and re-check every quote and event payload."""
