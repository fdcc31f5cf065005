"""What the store holds: its actors (and which one a name or code means) and its documents."""

from __future__ import annotations

from projections.answers import ActorSummary, SourceSummary
from projections.session import ReadSession
from projections.sources import SourceRow


def resolve_actor(read: ReadSession, name: str) -> str:
    """The key of the actor with this code or name (UnknownActor / AmbiguousActor naming candidates)."""
    with read.reading():
        return read.key(name)


def actors(read: ReadSession, query: str | None = None) -> list[ActorSummary]:
    """Actors whose codes or names (English, Korean, Chinese) contain ``query``; all without one."""
    with read.reading():
        return read.actors().summaries(query)


def sources(read: ReadSession) -> list[SourceSummary]:
    """The documents the store holds, their newest version and how many facts cite them."""
    with read.reading():
        return [_summary(row) for row in read.select(SourceRow, "sources", "sources", order="document")]


def _summary(row: SourceRow) -> SourceSummary:
    return SourceSummary(
        document=row.document,
        title=row.title,
        publisher=row.publisher,
        published=row.published,
        published_note=row.published_note,
        language=row.language,
        kind=row.kind,
        address=row.address,
        sha256=row.sha256,
        versions=row.versions,
        facts=row.facts,
    )
