"""Which actors the store knows, and which one a name or code means."""

from __future__ import annotations

from projections.answers import ActorSummary
from projections.session import ReadSession


class ActorQuestions:
    """Questions about actors, answered from the actors read model."""

    read: ReadSession

    def resolve_actor(self, name: str) -> str:
        """The key of the actor with this code or name (UnknownActor / AmbiguousActor naming candidates)."""
        with self.read.reading() as read:
            return read.key(name)

    def actors(self, query: str | None = None) -> list[ActorSummary]:
        """Actors whose codes or names (English, Korean, Chinese) contain ``query``; all without one."""
        with self.read.reading() as read:
            return read.actors().summaries(query)
