"""Which actors exist, under which codes and names: the gazetteer the queries resolve names with."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from domain.names import normalise
from events.actors import (
    ActorCodeChanged,
    ActorEstablishmentDated,
    ActorNamesAdded,
    ActorRegistered,
    ActorRenamed,
)
from projections.base import Envelope, Projection, Table, Writer
from projections.rows import period_bounds


def _official(names: list[dict[str, Any]], lang: str) -> str | None:
    for name in names:
        if name["lang"] == lang and name["official"]:
            return str(name["text"])
    return None


class ActorRow(NamedTuple):
    """An actor's current code, level, place and official names."""

    stream: str
    key: str
    code: str
    level: str
    country: str
    parent: str | None
    name_en: str | None
    name_ko: str | None
    name_zh: str | None
    position: int
    established: str | None
    established_lo: str | None


class NameRow(NamedTuple):
    """One name of an actor, with its normalised form for look-ups."""

    norm: str
    key: str
    text: str
    lang: str
    official: int


class CodeRow(NamedTuple):
    """One code an actor carries or carried."""

    folded: str
    key: str
    code: str
    current: int


class Actors(Projection):
    """Which actors exist, under which codes and names (the gazetteer the queries resolve names with)."""

    name = "actors"
    version = 2
    topics = (ActorRegistered, ActorRenamed, ActorNamesAdded, ActorCodeChanged, ActorEstablishmentDated)
    tables = (
        Table.of("actors", ActorRow, key=("stream",), indexes=(("key",),)),
        Table.of("names", NameRow, key=("norm", "key", "text"), indexes=(("key",),)),
        Table.of("codes", CodeRow, key=("folded",), indexes=(("key",),)),
    )

    def handle(self, events: Sequence[Envelope], out: Writer) -> None:
        for envelope in events:
            payload = envelope.payload
            kind = envelope.type
            if kind == "ActorRegistered":
                names = payload["names"]
                out.upsert(
                    "actors",
                    [
                        ActorRow(
                            stream=envelope.originator_id,
                            key=payload["key"],
                            code=payload["code"],
                            level=payload["level"],
                            country=payload["country"],
                            parent=payload["parent"],
                            name_en=_official(names, "en"),
                            name_ko=_official(names, "ko"),
                            name_zh=_official(names, "zh"),
                            position=envelope.position,
                            established=None,
                            established_lo=None,
                        )
                    ],
                )
                self._names(out, payload["key"], names)
                out.upsert("codes", [CodeRow(payload["code"].casefold(), payload["key"], payload["code"], 1)])
                continue
            (key,) = out.execute("SELECT key FROM {actors} WHERE stream = ?", (envelope.originator_id,))[0]
            if kind == "ActorEstablishmentDated":
                edtf, lower, _upper = period_bounds(payload["established"])
                out.execute(
                    "UPDATE {actors} SET established = ?, established_lo = ?, position = ? WHERE stream = ?",
                    (edtf, lower, envelope.position, envelope.originator_id),
                )
            elif kind == "ActorCodeChanged":
                out.execute(
                    "UPDATE {actors} SET code = ?, position = ? WHERE stream = ?",
                    (payload["new_code"], envelope.position, envelope.originator_id),
                )
                out.execute("UPDATE {codes} SET current = 0 WHERE key = ?", (key,))
                out.upsert("codes", [CodeRow(payload["new_code"].casefold(), key, payload["new_code"], 1)])
            elif kind == "ActorRenamed":
                names = payload["names"]
                out.execute(
                    "UPDATE {actors} SET name_en = COALESCE(?, name_en), name_ko = COALESCE(?, name_ko), "
                    "name_zh = COALESCE(?, name_zh), position = ? WHERE stream = ?",
                    (
                        _official(names, "en"),
                        _official(names, "ko"),
                        _official(names, "zh"),
                        envelope.position,
                        envelope.originator_id,
                    ),
                )
                out.execute("UPDATE {names} SET official = 0 WHERE key = ?", (key,))
                self._names(out, key, names)
            else:
                self._names(out, key, payload["names"])

    @staticmethod
    def _names(out: Writer, key: str, names: list[dict[str, Any]]) -> None:
        out.upsert(
            "names",
            [
                NameRow(normalise(name["text"]), key, name["text"], name["lang"], int(name["official"]))
                for name in names
            ],
        )
