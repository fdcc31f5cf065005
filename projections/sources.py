"""Which documents the store holds, in which versions, and how many facts cite each."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import NamedTuple

from events.facts import FactRecorded
from events.sources import SourceRegistered, SourceRevised
from projections.base import Envelope, Projection, Table, Writer, recorded_micros
from projections.rows import period_bounds


class SourceRow(NamedTuple):
    """A document: its metadata, its newest version, how many versions and how many facts cite it."""

    document: str
    stream: str
    title: str
    publisher: str
    published: str
    pub_lo: str
    pub_hi: str
    published_note: str
    language: str
    kind: str
    address: str | None
    sha256: str
    versions: int
    facts: int


class SourceVersionRow(NamedTuple):
    """One text of a document, and the position of the event that carries it."""

    sha256: str
    document: str
    position: int
    recorded: int


class DocumentOfStream(NamedTuple):
    """The document a source stream is about."""

    document: str


class Sources(Projection):
    """Which documents the store holds, in which versions, and how many facts cite each."""

    name = "sources"
    version = 1
    topics = (SourceRegistered, SourceRevised, FactRecorded)
    tables = (
        Table.of("sources", SourceRow, key=("document",), indexes=(("stream",),)),
        Table.of("versions", SourceVersionRow, key=("sha256", "document")),
    )

    def handle(self, events: Sequence[Envelope], out: Writer) -> None:
        registered: list[SourceRow] = []
        versions: list[SourceVersionRow] = []
        documents: dict[str, str] = {}
        cited: Counter[str] = Counter()
        for envelope in events:
            payload = envelope.payload
            kind = envelope.type
            if kind == "FactRecorded":
                cited[payload["citation"]["document"]] += 1
            elif kind == "SourceRegistered":
                published, pub_lo, pub_hi = period_bounds(payload["published"])
                registered.append(
                    SourceRow(
                        document=payload["document"],
                        stream=envelope.originator_id,
                        title=payload["title"],
                        publisher=payload["publisher"],
                        published=published,
                        pub_lo=pub_lo,
                        pub_hi=pub_hi,
                        published_note=payload["published_note"],
                        language=payload["language"],
                        kind=payload["kind"],
                        address=payload["address"],
                        sha256=payload["sha256"],
                        versions=1,
                        facts=0,
                    )
                )
                documents[envelope.originator_id] = payload["document"]
                versions.append(
                    SourceVersionRow(
                        payload["sha256"],
                        payload["document"],
                        envelope.position,
                        recorded_micros(payload["timestamp"]),
                    )
                )
            else:
                _write(out, registered, versions)
                document = documents.get(envelope.originator_id) or _document_of(out, envelope.originator_id)
                out.execute(
                    "UPDATE {sources} SET sha256 = ?, versions = versions + 1 WHERE document = ?",
                    (payload["sha256"], document),
                )
                versions.append(
                    SourceVersionRow(
                        payload["sha256"], document, envelope.position, recorded_micros(payload["timestamp"])
                    )
                )
        _write(out, registered, versions)
        if cited:
            counts = sorted(cited.items())
            values = ", ".join("(?, CAST(? AS BIGINT))" for _count in counts)
            out.execute(
                f"UPDATE {{sources}} SET facts = {{sources}}.facts + cited.column2 FROM (VALUES {values}) AS cited "
                "WHERE {sources}.document = cited.column1",
                [value for count in counts for value in count],
            )


def _write(out: Writer, registered: list[SourceRow], versions: list[SourceVersionRow]) -> None:
    """Write the page's registrations and versions so far (before a revision reads them), and forget them."""
    out.upsert("sources", registered)
    out.insert_new("versions", versions)
    registered.clear()
    versions.clear()


def _document_of(out: Writer, stream: str) -> str:
    rows = out.execute("SELECT document FROM {sources} WHERE stream = ?", (stream,))
    return DocumentOfStream._make(rows[0]).document
