"""Which documents the store holds."""

from __future__ import annotations

from projections.answers import SourceSummary
from projections.session import ReadSession
from projections.sources import SourceRow


class SourceQuestions:
    """Questions about sources, answered from the sources read model."""

    read: ReadSession

    def sources(self) -> list[SourceSummary]:
        """The documents the store holds, their newest version and how many facts cite them."""
        with self.read.reading() as read:
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
