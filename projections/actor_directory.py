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
        registered = _Registered()
        for envelope in events:
            payload = envelope.payload
            kind = envelope.type
            if kind == "ActorRegistered":
                registered.add(envelope)
                continue
            registered.write(out)
            key = registered.keys.get(envelope.originator_id) or _key_of(out, envelope.originator_id)
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
                out.upsert("names", _name_rows(key, names))
            else:
                out.upsert("names", _name_rows(key, payload["names"]))
        registered.write(out)


class _Registered:
    """The rows of a page's registrations, written together (before any later event of the page reads them)."""

    def __init__(self) -> None:
        self.actors: list[ActorRow] = []
        self.names: list[NameRow] = []
        self.codes: list[CodeRow] = []
        self.keys: dict[str, str] = {}

    def add(self, envelope: Envelope) -> None:
        payload = envelope.payload
        names = payload["names"]
        self.actors.append(
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
        )
        self.names.extend(_name_rows(payload["key"], names))
        self.codes.append(CodeRow(payload["code"].casefold(), payload["key"], payload["code"], 1))
        self.keys[envelope.originator_id] = payload["key"]

    def write(self, out: Writer) -> None:
        out.upsert("actors", self.actors)
        out.upsert("names", self.names)
        out.upsert("codes", self.codes)
        self.actors.clear()
        self.names.clear()
        self.codes.clear()


def _key_of(out: Writer, stream: str) -> str:
    (key,) = out.execute("SELECT key FROM {actors} WHERE stream = ?", (stream,))[0]
    return str(key)


def _name_rows(key: str, names: list[dict[str, Any]]) -> list[NameRow]:
    return [NameRow(normalise(name["text"]), key, name["text"], name["lang"], int(name["official"])) for name in names]
