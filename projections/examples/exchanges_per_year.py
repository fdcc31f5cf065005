"""How many visits, meetings and agreements each actor had per year: an example user projection.

Run it without changing the package::

    paradip replay projections.examples.exchanges_per_year:ExchangesPerYear
    paradip view exchanges_per_year

A fact counts in a year only when its date falls within that year; one dated more loosely
("2019-08/2020-02", "..2024") counts under year 0, "year not known". Corrections move a fact's
count and retractions remove it, so the projection remembers what it counted for each fact.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

import orjson

from events.facts import FactCorrected, FactRecorded, FactRetracted
from projections.base import Envelope, Projection, Table, Writer

COUNTED_KINDS = frozenset({"visit", "meeting", "agreement_signed"})


def _year(date: dict[str, Any]) -> int:
    earliest, latest = date["earliest"], date["latest"]
    if earliest and latest and earliest[:4] == latest[:4]:
        return int(earliest[:4])
    return 0


def _counted(payload: dict[str, Any]) -> list[tuple[str, int, str]]:
    if payload["kind"] not in COUNTED_KINDS or payload["modality"] != "occurred":
        return []
    year = _year(payload["date"])
    return [(party, year, payload["kind"]) for party in sorted(set(payload["parties"]))]


class ExchangesPerYear(Projection):
    """How many visits, meetings and agreements each actor had per year."""

    name = "exchanges_per_year"
    version = 1
    topics = (FactRecorded, FactCorrected, FactRetracted)
    tables = (
        Table(
            "counts",
            (("actor", "text"), ("year", "int"), ("kind", "text"), ("facts", "int")),
            key=("actor", "year", "kind"),
        ),
        Table("counted", (("fact_id", "text"), ("cells", "text")), key=("fact_id",)),
    )

    def handle(self, events: Sequence[Envelope], out: Writer) -> None:
        delta: Counter[tuple[str, int, str]] = Counter()
        for envelope in events:
            before = self._cells(out, envelope.originator_id) if envelope.type != "FactRecorded" else []
            after = [] if envelope.type == "FactRetracted" else _counted(envelope.payload)
            delta.subtract(before)
            delta.update(after)
            out.upsert("counted", [(envelope.originator_id, orjson.dumps(after).decode())])
        rows = [(actor, year, kind, count) for (actor, year, kind), count in sorted(delta.items()) if count]
        out.upsert_add("counts", rows, add=("facts",))

    @staticmethod
    def _cells(out: Writer, fact_id: str) -> list[tuple[str, int, str]]:
        rows = out.execute("SELECT cells FROM {counted} WHERE fact_id = ?", (fact_id,))
        return [tuple(cell) for cell in orjson.loads(rows[0][0])] if rows else []
