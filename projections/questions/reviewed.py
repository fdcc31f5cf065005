"""The documents people reviewed, as the drafter learns from them: each document's newest version and the
facts that stand on it (their kinds and quotes), at the position the read models have reached."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from typing import NamedTuple

import attrs

from domain.facts import FactStatus
from events.values import SourceKind
from projections.session import ReadSession


class StandingQuote(NamedTuple):
    """A fact version's kind, status and quote: what a training example needs of it."""

    fact_id: str
    version: int
    status: str
    kind: str
    document: str
    sha256: str
    quote_start: int
    quote_end: int


@attrs.frozen(kw_only=True)
class ReviewedSource:
    """A reviewed document: its id, language, publication date (EDTF), newest version and the facts standing on it."""

    document: str
    language: str
    published: str
    sha256: str
    facts: tuple[tuple[str, int, int], ...]


@attrs.frozen(kw_only=True)
class ReviewedDocuments:
    """Every reviewed document of a store (lists of ties excluded), the log position they are read at, and a digest
    of all of it (the same documents and facts always give the same digest)."""

    position: int
    sources: tuple[ReviewedSource, ...]

    @property
    def digest(self) -> str:
        """A sha256 over the versions of the documents with facts and their facts' kinds and quotes."""
        digest = hashlib.sha256()
        for source in self.sources:
            if not source.facts:
                continue
            digest.update(f"{source.document}\t{source.sha256}\t{source.language}\t{source.published}\n".encode())
            for kind, start, end in source.facts:
                digest.update(f"{kind}\t{start}\t{end}\n".encode())
        return digest.hexdigest()


def reviewed_documents(read: ReadSession) -> ReviewedDocuments:
    """The documents a person reviewed (every source but the lists of ties, which are tables, not prose), each with
    the standing facts that cite its newest version, in document order."""
    with read.reading() as session:
        sources = {row.document: row for row in session.sources().values() if row.kind != SourceKind.DATABASE.value}
        latest: dict[str, StandingQuote] = {}
        for row in session.select(StandingQuote, "facts", "versions", order="fact_id, version"):
            if row.document in sources:
                latest[row.fact_id] = row
        position = min(session.marker("facts")[1], session.marker("sources")[1])
    facts: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
    for row in latest.values():
        if row.status != FactStatus.RETRACTED.value and row.sha256 == sources[row.document].sha256:
            facts[row.document].append((row.kind, row.quote_start, row.quote_end))
    return ReviewedDocuments(
        position=position,
        sources=tuple(
            ReviewedSource(
                document=document,
                language=row.language,
                published=row.published,
                sha256=row.sha256,
                facts=tuple(sorted(facts[document])),
            )
            for document, row in sorted(sources.items())
        ),
    )
