"""Which documents the store holds, in which versions, and how many facts cite each."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from events.facts import FactRecorded
from events.sources import SourceRegistered, SourceRevised
from projections.base import Envelope, Projection, Table, Writer, recorded_micros
from projections.rows import period_bounds


class Sources(Projection):
    """Which documents the store holds, in which versions, and how many facts cite each."""

    name = "sources"
    version = 1
    topics = (SourceRegistered, SourceRevised, FactRecorded)
    tables = (
        Table(
            "sources",
            (
                ("document", "text"),
                ("stream", "text"),
                ("title", "text"),
                ("publisher", "text"),
                ("published", "text"),
                ("pub_lo", "text"),
                ("pub_hi", "text"),
                ("published_note", "text"),
                ("language", "text"),
                ("kind", "text"),
                ("address", "text"),
                ("sha256", "text"),
                ("versions", "int"),
                ("facts", "int"),
            ),
            key=("document",),
            indexes=(("stream",),),
        ),
        Table(
            "versions",
            (("sha256", "text"), ("document", "text"), ("position", "int"), ("recorded", "int")),
            key=("sha256", "document"),
        ),
    )

    def handle(self, events: Sequence[Envelope], out: Writer) -> None:
        cited: Counter[str] = Counter()
        for envelope in events:
            payload = envelope.payload
            kind = envelope.type
            if kind == "FactRecorded":
                cited[payload["citation"]["document"]] += 1
            elif kind == "SourceRegistered":
                published, pub_lo, pub_hi = period_bounds(payload["published"])
                out.upsert(
                    "sources",
                    [
                        (
                            payload["document"],
                            envelope.originator_id,
                            payload["title"],
                            payload["publisher"],
                            published,
                            pub_lo,
                            pub_hi,
                            payload["published_note"],
                            payload["language"],
                            payload["kind"],
                            payload["address"],
                            payload["sha256"],
                            1,
                            0,
                        )
                    ],
                )
                out.insert_new(
                    "versions",
                    [
                        (
                            payload["sha256"],
                            payload["document"],
                            envelope.position,
                            recorded_micros(payload["timestamp"]),
                        )
                    ],
                )
            else:
                rows = out.execute("SELECT document FROM {sources} WHERE stream = ?", (envelope.originator_id,))
                document = rows[0][0]
                out.execute(
                    "UPDATE {sources} SET sha256 = ?, versions = versions + 1 WHERE document = ?",
                    (payload["sha256"], document),
                )
                out.insert_new(
                    "versions",
                    [(payload["sha256"], document, envelope.position, recorded_micros(payload["timestamp"]))],
                )
        for document, count in sorted(cited.items()):
            out.execute("UPDATE {sources} SET facts = facts + ? WHERE document = ?", (count, document))
