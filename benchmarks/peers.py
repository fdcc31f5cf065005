"""The peers of the as-of query: the fold over the event log, a hand-written temporal table, and a
hand-written table that gives the same answer (status and certainty) as ours."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import date
from itertools import combinations
from pathlib import Path
from typing import Any, Self
from uuid import UUID

import orjson

from application.app import Paradip
from benchmarks.raw import open_sqlite
from benchmarks.stores import FACT_TOPIC, remove_sqlite
from benchmarks.synthetic import World
from domain.kinds import RELATIONSHIP_KINDS
from domain.status import Evidence, Outcome, relationship_outcome
from domain.vocabulary import Certainty, RelationshipStatus
from events.facts import FactRecorded
from events.values import FactKind, Modality
from projections.engine import PAGE

# The fold over the log


def fold_relationship(app: Paradip, a: str, b: str, as_of: date) -> Outcome[RelationshipStatus]:
    """How two actors stood on ``as_of``, from the pair's facts read back from the event store and folded.

    The store keeps one stream per fact, so the pair's facts are found by paging through the
    notification log's FactRecorded events; only those whose stored bytes name both actors are
    decoded with the application's mapper, then folded by the same state machine the read side uses.
    """
    evidence: list[Evidence] = []
    names = (a.encode(), b.encode())
    start = 0
    while True:
        page = app.recorder.select_notifications(start, PAGE, topics=[FACT_TOPIC], inclusive_of_start=False)
        if not page:
            break
        for notification in page:
            if not all(name in notification.state for name in names):
                continue
            event = app.mapper.to_domain_event(notification)
            assert isinstance(event, FactRecorded)
            if a in event.parties and b in event.parties:
                evidence.append(Evidence.of_fact(event, notification.id))
        start = page[-1].id
    return relationship_outcome(evidence, as_of=as_of, known_at=None)


# A hand-written temporal table

_RANK = {"none": 0, "contact": 1, "cooperation": 2, "friendship": 3, "sisterhood": 4}
_TIES_QUERY = (
    "SELECT valid_from, valid_to, kind, level, modality, document, quote FROM ties "
    "WHERE pair = ? AND valid_from <= ? ORDER BY valid_from"
)


def _load(
    connection: sqlite3.Connection, table: str, columns: str, rows: Sequence[tuple[Any, ...]], index: str
) -> None:
    """A peer's table created, filled in one transaction, indexed after and analysed."""
    connection.execute(f"CREATE TABLE {table} ({columns})")
    connection.execute("BEGIN")
    marks = ", ".join("?" * (columns.count(",") + 1))
    connection.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
    connection.execute("COMMIT")
    connection.execute(f"CREATE INDEX {index}")
    connection.execute("ANALYZE")
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")


class _PeerTable:
    """A hand-written peer's own SQLite file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.connection = open_sqlite(path)

    @classmethod
    def fresh(cls, path: Path) -> Self:
        """The peer on a new, empty file."""
        remove_sqlite(path)
        return cls(path)

    def close(self) -> None:
        self.connection.close()


class TemporalTable(_PeerTable):
    """What a developer would write by hand: one row per tie fact, an index on (pair, valid_from)."""

    @classmethod
    def build(cls, path: Path, world: World) -> TemporalTable:
        table = cls.fresh(path)
        rows = []
        for fact in world.facts:
            if fact.kind not in RELATIONSHIP_KINDS:
                continue
            a, b = sorted(fact.parties)
            level = fact.attributes.get("level")
            rows.append(
                (
                    f"{a}|{b}",
                    fact.date.lower.isoformat(),
                    fact.date.upper.isoformat(),
                    str(fact.kind),
                    level if isinstance(level, str) else None,
                    str(fact.modality),
                    fact.document,
                    fact.quote,
                )
            )
        _load(
            table.connection,
            "ties",
            "pair TEXT, valid_from TEXT, valid_to TEXT, kind TEXT, level TEXT, modality TEXT, document TEXT, "
            "quote TEXT",
            rows,
            "ties_pair_valid_from ON ties (pair, valid_from)",
        )
        return table

    def state(self, a: str, b: str, as_of: date) -> tuple[str, list[tuple[Any, ...]]]:
        """The status of a pair on ``as_of`` and the tie facts dated by then, the way one would write it."""
        first, second = sorted((a, b))
        rows = self.connection.execute(_TIES_QUERY, (f"{first}|{second}", as_of.isoformat())).fetchall()
        return hand_status(rows), rows


def hand_status(rows: Sequence[tuple[Any, ...]]) -> str:
    """A minimal status fold: no certainty, no conflicts, facts taken in order of their first possible day."""
    status = before = "none"
    for _valid_from, _valid_to, kind, level, modality, *_citation in rows:
        if modality != "occurred":
            continue
        if kind == "relationship_ended":
            status, before = "ended", status
        elif kind == "relationship_suspended":
            if status not in ("suspended", "ended"):
                status, before = "suspended", status
        elif kind == "relationship_resumed":
            if status == "suspended":
                status = before
        elif kind in ("relationship_established", "relationship_upgraded"):
            status = "sisterhood" if level == "sisterhood" else "friendship"
        elif status not in ("suspended", "ended"):
            tie = "cooperation" if kind == "agreement_signed" else "contact"
            if _RANK[tie] > _RANK[status]:
                status = tie
    return status


# A hand-written valid-time table of every pair's status


_PAIR_STATUS_QUERY = "SELECT pair, status FROM pair_status WHERE valid_from <= ? AND valid_to > ? AND status != 'none'"


class ValidTimeTable(_PeerTable):
    """What a developer would write by hand for "every pair's status on a day": one row per pair and stretch of
    one status (statuses folded in advance with :func:`hand_status`), read with a range query on a covering index."""

    @classmethod
    def build(cls, path: Path, world: World) -> ValidTimeTable:
        table = cls.fresh(path)
        facts: dict[str, list[tuple[str, str, str, str | None, str]]] = {}
        for number, fact in enumerate(world.facts):
            if fact.kind not in RELATIONSHIP_KINDS:
                continue
            level = fact.attributes.get("level")
            row = (
                fact.date.lower.isoformat(),
                f"{number:09d}",
                str(fact.kind),
                level if isinstance(level, str) else None,
                str(fact.modality),
            )
            for a, b in combinations(sorted(set(fact.parties)), 2):
                facts.setdefault(f"{a}|{b}", []).append(row)
        rows = []
        for pair, held in facts.items():
            held.sort()
            starts = sorted({valid_from for valid_from, *_rest in held})
            for index, start in enumerate(starts):
                upto = [(day, "", kind, level, modality) for day, _n, kind, level, modality in held if day <= start]
                end = starts[index + 1] if index + 1 < len(starts) else "9999-12-31"
                rows.append((pair, hand_status(upto), start, end))
        _load(
            table.connection,
            "pair_status",
            "pair TEXT, status TEXT, valid_from TEXT, valid_to TEXT",
            rows,
            "pair_status_valid ON pair_status (valid_from, valid_to, pair, status)",
        )
        return table

    def network(self, as_of: date) -> dict[str, str]:
        """Every pair's status on ``as_of`` (pairs at none left out), keyed by ``a|b``."""
        day = as_of.isoformat()
        return dict(self.connection.execute(_PAIR_STATUS_QUERY, (day, day)).fetchall())


# A hand-written table giving the same answer

_EVIDENCE_QUERY = (
    "SELECT fact_id, position, kind, modality, level, edtf, valid_lo, valid_hi, pub_lo, pub_hi FROM ties "
    "WHERE pair = ? AND valid_lo <= ?"
)
_ANY_TIE = "SELECT 1 FROM ties WHERE pair = ? LIMIT 1"  # a later fact makes the pair none, not unknown
_RELATIONSHIP_KIND_NAMES = frozenset(str(kind) for kind in RELATIONSHIP_KINDS)


class StatusTable(_PeerTable):
    """The same answer as ours (status and certainty) the way one would write it by hand: one table of the
    relationship facts of each pair with what the fold needs, one indexed query, and the domain's own fold.

    Built from the store's log (so positions and ids are the store's); it knows no corrections, retractions
    or resolutions, which the benchmark's world does not hold.
    """

    @classmethod
    def build(cls, path: Path, store: Path) -> StatusTable:
        table = cls.fresh(path)
        log = open_sqlite(store)
        try:
            events = log.execute(
                "SELECT rowid, originator_id, state FROM stored_events WHERE topic = ? ORDER BY rowid", (FACT_TOPIC,)
            ).fetchall()
        finally:
            log.close()
        rows: list[tuple[Any, ...]] = []
        for position, originator_id, state in events:
            fact = orjson.loads(state)
            if fact["kind"] not in _RELATIONSHIP_KIND_NAMES:
                continue
            valid, published = fact["date"], fact["published"]
            level = fact["attributes"].get("level")
            rows.extend(
                (
                    f"{a}|{b}",
                    UUID(originator_id).hex,
                    position,
                    fact["kind"],
                    fact["modality"],
                    level if isinstance(level, str) else None,
                    valid["edtf"],
                    valid["earliest"] or date.min.isoformat(),
                    valid["latest"] or date.max.isoformat(),
                    published["earliest"] or date.min.isoformat(),
                    published["latest"] or date.max.isoformat(),
                )
                for a, b in combinations(sorted(set(fact["parties"])), 2)
            )
        _load(
            table.connection,
            "ties",
            "pair TEXT, fact_id TEXT, position INTEGER, kind TEXT, modality TEXT, level TEXT, edtf TEXT, "
            "valid_lo TEXT, valid_hi TEXT, pub_lo TEXT, pub_hi TEXT",
            rows,
            "ties_pair_valid_lo ON ties (pair, valid_lo)",
        )
        return table

    def state(self, a: str, b: str, as_of: date) -> tuple[RelationshipStatus, Certainty]:
        """The status of a pair on ``as_of`` and how certain it is (``none``, not ``unknown``, when the pair's
        facts all come later)."""
        first, second = sorted((a, b))
        pair = f"{first}|{second}"
        rows = self.connection.execute(_EVIDENCE_QUERY, (pair, as_of.isoformat())).fetchall()
        outcome = relationship_outcome(
            [
                Evidence(
                    fact_id=UUID(fact_id),
                    position=position,
                    kind=FactKind(kind),
                    modality=Modality(modality),
                    level=level,
                    edtf=edtf,
                    valid_lo=date.fromisoformat(valid_lo),
                    valid_hi=date.fromisoformat(valid_hi),
                    published_lo=date.fromisoformat(pub_lo),
                    published_hi=date.fromisoformat(pub_hi),
                )
                for fact_id, position, kind, modality, level, edtf, valid_lo, valid_hi, pub_lo, pub_hi in rows
            ],
            as_of=as_of,
            known_at=None,
        )
        if outcome.status is RelationshipStatus.UNKNOWN and self.connection.execute(_ANY_TIE, (pair,)).fetchone():
            return RelationshipStatus.NONE, Certainty.DEFINITE
        return outcome.status, outcome.certainty
