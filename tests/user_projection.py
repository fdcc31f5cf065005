"""A projection written the way a user writes one: kept outside the package, loaded as module:Class."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from events.facts import FactRecorded
from projections.base import Envelope, Projection, Table, Writer


class KindsPerDocument(Projection):
    """How many facts of each kind each document states."""

    name = "kinds_per_document"
    topics = (FactRecorded,)
    tables = (Table("counts", (("document", "text"), ("kind", "text"), ("facts", "int")), key=("document", "kind")),)

    def handle(self, events: Sequence[Envelope], out: Writer) -> None:
        counts = Counter((event.payload["citation"]["document"], event.payload["kind"]) for event in events)
        out.upsert_add(
            "counts", [(document, kind, n) for (document, kind), n in sorted(counts.items())], add=("facts",)
        )


class QuoteLengths(Projection):
    """A user's table of mixed values: a real column given ints and floats, a text column with gaps."""

    name = "quote_lengths"
    topics = (FactRecorded,)
    tables = (Table("lengths", (("fact_id", "text"), ("length", "real"), ("level", "text")), key=("fact_id",)),)

    def handle(self, events: Sequence[Envelope], out: Writer) -> None:
        rows = []
        for index, event in enumerate(events):
            length = len(event.payload["citation"]["quote"])
            rows.append(
                (event.originator_id, length if index % 2 else length / 2, event.payload["attributes"].get("level"))
            )
        out.insert("lengths", rows)


class RefusesMeetings(Projection):
    """A user's projection with a bug: it keeps the facts it is given, and its handler raises on a meeting."""

    name = "refuses_meetings"
    topics = (FactRecorded,)
    tables = (Table("facts", (("fact_id", "text"),), key=("fact_id",)),)

    def handle(self, events: Sequence[Envelope], out: Writer) -> None:
        out.insert("facts", [(str(event.originator_id),) for event in events])
        for event in events:
            if event.payload["kind"] == "meeting":
                msg = f"cannot handle meeting {event.originator_id}"
                raise ValueError(msg)
