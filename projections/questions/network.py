"""The network on a date: every pair of governments abroad, with its status, certainty and since when.

The relationships read model files each fact's evidence under its pair. This question reads the
evidence of every pair in one query and folds each pair with the same state machine as
``relationship_state`` (``domain.status.relationship_outcome``, with the pair's existence bound)
at every day on which one of its facts becomes possible or definite, so that it knows the pair's
status over all of valid time as a list of periods. A date is then a lookup in each pair's periods
(what a web page's slider asks). The periods are kept in the read session for its read models'
positions and a few observers (``known_at``, ``recorded_before``); after a write only the pairs the
write touched are folded again.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Mapping
from datetime import date, timedelta
from types import MappingProxyType
from typing import Any, NamedTuple
from uuid import UUID

import attrs
import orjson

from domain.kinds import RELATIONSHIP_KINDS
from domain.observer import UNBOUNDED, Observer
from domain.status import Evidence, Resolution, relationship_outcome
from domain.vocabulary import Certainty, RelationshipStatus
from events.values import Modality
from projections.actor_directory import ActorRow
from projections.actor_index import ActorIndex
from projections.answers import StatusPeriod
from projections.rows import pair_key, pairs
from projections.session import CHUNK, KINDS_BY_NAME, MODALITIES, ReadSession, day, micros

_RELATIONSHIP_KINDS = frozenset(str(kind) for kind in RELATIONSHIP_KINDS)
_OCCURRED = str(Modality.OCCURRED)
_KEPT_OBSERVERS = 4
_NO_EDGE = (RelationshipStatus.NONE, RelationshipStatus.UNKNOWN)


class PairEvidence(NamedTuple):
    """One evidence row of a pair joined to one version of its fact (the rows where both versions agree, and
    that version is the one in force for the reader, are the ones that count)."""

    subject: str
    fact_id: str
    version: int
    level: str | None
    fact_version: int
    fact_status: str
    position: int
    kind: str
    modality: str
    edtf: str
    valid_lo: str
    valid_hi: str
    pub_lo: str
    pub_hi: str


class Parties(NamedTuple):
    """The parties of a fact version, as stored (JSON)."""

    parties: str


_EVIDENCE = (
    "SELECT e.subject, e.fact_id, e.version, e.level, v.version, v.status, v.position, v.kind, v.modality, "
    "v.edtf, v.valid_lo, v.valid_hi, v.pub_lo, v.pub_hi "
    "FROM {evidence} e JOIN {versions} v ON v.fact_id = e.fact_id "
    "WHERE v.recorded < ?"
)
_TOUCHED = (
    "SELECT parties FROM {versions} WHERE position > ? "
    "UNION ALL SELECT v.parties FROM {resolutions} r JOIN {versions} v ON v.fact_id = r.fact_id WHERE r.position > ?"
)


@attrs.frozen(kw_only=True)
class NetworkNode:
    """An actor that has relationship facts with a government abroad."""

    code: str
    name: str
    country: str
    level: str
    parent: str | None

    def to_json(self) -> dict[str, Any]:
        return attrs.asdict(self)


@attrs.frozen(kw_only=True)
class NetworkEdge:
    """Where the relationship of two actors stood on the date asked about."""

    a: str
    b: str
    status: RelationshipStatus
    certainty: Certainty
    since: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "a": self.a,
            "b": self.b,
            "status": str(self.status),
            "certainty": str(self.certainty),
            "since": self.since,
        }


@attrs.frozen(kw_only=True)
class Network:
    """Every pair's status on a date: the actors (tied on that date or not) and the pairs with a status."""

    observer: Observer
    nodes: tuple[NetworkNode, ...]
    edges: tuple[NetworkEdge, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            **self.observer.to_json(),
            "nodes": [node.to_json() for node in self.nodes],
            "edges": [edge.to_json() for edge in self.edges],
        }


@attrs.frozen(kw_only=True)
class PairHistory:
    """How one pair's status ran over valid time: periods from its first possible fact on."""

    a: str
    b: str
    periods: tuple[StatusPeriod, ...]
    starts: tuple[int, ...] = attrs.field(eq=False, repr=False)

    def on(self, moment: date) -> StatusPeriod | None:
        """The period holding ``moment``, or None before the pair's first fact."""
        index = bisect_right(self.starts, moment.toordinal()) - 1
        return self.periods[index] if index >= 0 else None


@attrs.frozen(kw_only=True)
class TiesOverTime:
    """Every pair's history, as the observer sees it (over all of valid time: its ``as_of`` is not used);
    ``folded_pairs`` says how many pairs were folded to build it (all, or those a write touched)."""

    observer: Observer
    nodes: tuple[NetworkNode, ...]
    pairs: tuple[PairHistory, ...]
    folded_pairs: int = attrs.field(eq=False)

    def on(self, moment: date) -> Network:
        """The network on ``moment``."""
        edges = []
        for pair in self.pairs:
            period = pair.on(moment)
            if period is not None and period.status not in _NO_EDGE:
                edges.append(
                    NetworkEdge(
                        a=pair.a, b=pair.b, status=period.status, certainty=period.certainty, since=period.since
                    )
                )
        return Network(observer=self.observer.on(moment), nodes=self.nodes, edges=tuple(edges))


Position = tuple[int, int]
Positions = tuple[Position, Position, Position]


@attrs.frozen(kw_only=True)
class _Kept:
    """The periods of every pair for one observer, as of the read models' positions they were folded at."""

    positions: Positions
    actors: Position
    histories: Mapping[str, PairHistory]
    ties: TiesOverTime


def network(read: ReadSession, *, observer: Observer) -> Network:
    """Every pair's status and certainty on the observer's day, from sources published by its ``known_at``."""
    return ties_over_time(read, observer=observer).on(observer.day)


def ties_over_time(read: ReadSession, *, observer: Observer = UNBOUNDED) -> TiesOverTime:
    """Every pair's status over all of valid time. Kept per observer: after a write, only the pairs whose
    evidence, fact versions or resolutions it touched are folded again (all after a rebuild or an actor change)."""
    known_at, before = observer.known_at, micros(observer.recorded_before)
    with read.reading():
        positions = (read.marker("relationships"), read.marker("facts"), read.marker("actors"))
        kept: OrderedDict[tuple[date | None, int], _Kept] = read.memo("network", OrderedDict)
        held = kept.get((known_at, before))
        if held is not None:
            kept.move_to_end((known_at, before))
            if held.positions == positions:
                return held.ties
        actors_mark = _actors_mark(read)
        if held is not None and held.actors == actors_mark and _only_appended(held.positions, positions):
            touched = _touched(read, held.positions)
            histories = {subject: found for subject, found in held.histories.items() if subject not in touched}
            refolded = _fold(read, known_at=known_at, before=before, subjects=touched)
        else:
            histories, refolded = {}, _fold(read, known_at=known_at, before=before, subjects=None)
        histories.update(refolded)
        ties = _assemble(read, histories, observer=attrs.evolve(observer, as_of=None), folded=len(refolded))
        kept[(known_at, before)] = _Kept(
            positions=positions, actors=actors_mark, histories=MappingProxyType(histories), ties=ties
        )
        while len(kept) > _KEPT_OBSERVERS:
            kept.popitem(last=False)
        return ties


def _actors_mark(read: ReadSession) -> Position:
    """The actors read model's generation and the position of its last change to an actor (every read model's
    position moves with every event, so its own position cannot tell)."""
    latest = max((row.position for row in read.actors().rows.values()), default=0)
    return (read.marker("actors")[0], latest)


def _only_appended(old: Positions, new: Positions) -> bool:
    """Whether the relationship and fact read models only moved forward, in the same generations."""
    (old_relationships, old_facts, _old_actors), (new_relationships, new_facts, _new_actors) = old, new
    return (
        old_relationships[0] == new_relationships[0]
        and old_facts[0] == new_facts[0]
        and old_relationships[1] <= new_relationships[1]
        and old_facts[1] <= new_facts[1]
    )


def _touched(read: ReadSession, since: Positions) -> set[str]:
    """The pairs among the parties of every fact version or resolution recorded after these positions (from the
    lower of the two read models' positions, in case one lagged the other)."""
    rows = read.query(
        lambda: _TOUCHED.format(
            versions=read.table("facts", "versions"), resolutions=read.table("facts", "resolutions")
        ),
        (min(since[0][1], since[1][1]),) * 2,
    )
    return {pair_key(a, b) for row in rows for a, b in pairs(orjson.loads(Parties._make(row).parties))}


def _fold(
    read: ReadSession, *, known_at: date | None, before: int, subjects: set[str] | None
) -> dict[str, PairHistory]:
    """The histories of these pairs (of every pair when None) of governments abroad that have a status."""

    def statement(marks: str | None = None) -> Callable[[], str]:
        extra = "" if marks is None else f" AND e.subject IN ({marks})"
        return lambda: (
            _EVIDENCE.format(evidence=read.table("relationships", "evidence"), versions=read.table("facts", "versions"))
            + extra
        )

    if subjects is None:
        rows = [PairEvidence._make(row) for row in read.query(statement(), (before,))]
    else:
        ordered = sorted(subjects)
        rows = []
        for offset in range(0, len(ordered), CHUNK):
            part = ordered[offset : offset + CHUNK]
            query = statement(", ".join("?" * len(part)))
            rows.extend(PairEvidence._make(row) for row in read.query(query, (before, *part)))
    current: dict[str, tuple[int, str]] = {}
    for row in rows:
        held = current.get(row.fact_id)
        if held is None or held[0] < row.fact_version:
            current[row.fact_id] = (row.fact_version, row.fact_status)
    actors = read.actors()
    by_pair: dict[str, list[Evidence]] = defaultdict(list)
    ids: dict[str, UUID] = {}
    for row in rows:
        in_force, status = current[row.fact_id]
        if (
            row.version != in_force
            or row.fact_version != in_force
            or status == "retracted"
            or row.kind not in _RELATIONSHIP_KINDS
            or row.modality != _OCCURRED
        ):
            continue
        fact_id = ids.get(row.fact_id)
        if fact_id is None:
            fact_id = ids[row.fact_id] = UUID(row.fact_id)
        by_pair[row.subject].append(
            Evidence(
                fact_id=fact_id,
                position=row.position,
                kind=KINDS_BY_NAME[row.kind],
                modality=MODALITIES[row.modality],
                level=row.level,
                edtf=row.edtf,
                valid_lo=day(row.valid_lo),
                valid_hi=day(row.valid_hi),
                published_lo=day(row.pub_lo),
                published_hi=day(row.pub_hi),
            )
        )
    resolutions = read.resolutions(ids.values(), before)
    histories: dict[str, PairHistory] = {}
    for subject, evidence in by_pair.items():
        first, second = subject.split("|", 1)
        if not _governments_abroad(actors, first, second):
            continue
        periods = _periods(evidence, known_at, _relevant(resolutions, evidence), actors.exists_from(first, second))
        if periods:
            histories[subject] = PairHistory(
                a=actors.code(first),
                b=actors.code(second),
                periods=periods,
                starts=tuple(period.start.toordinal() for period in periods),
            )
    if subjects is not None:
        histories.update(dict.fromkeys(subjects - histories.keys(), _NOTHING))
    return histories


_NOTHING = PairHistory(a="", b="", periods=(), starts=())


def _governments_abroad(actors: ActorIndex, first: str, second: str) -> bool:
    """Whether two actors are governments (not their bodies) in different countries, both keeping ties."""
    return (
        actors.abroad_and_tie_keeping(first, second)
        and actors.abroad_and_tie_keeping(second, first)
        and not actors.is_body(first)
        and not actors.is_body(second)
    )


def _assemble(
    read: ReadSession,
    histories: dict[str, PairHistory],
    *,
    observer: Observer,
    folded: int,
) -> TiesOverTime:
    """The answer from every pair's history, with the actors of the pairs that have one."""
    actors = read.actors()
    for subject in [subject for subject, found in histories.items() if not found.periods]:
        del histories[subject]
    keys = {key for subject in histories for key in subject.split("|", 1)}
    rows: dict[str, ActorRow] = {key: actors.rows[key] for key in keys if key in actors.rows}
    nodes = tuple(
        sorted(
            (
                NetworkNode(
                    code=row.code,
                    name=row.name_en or row.code,
                    country=row.country,
                    level=row.level,
                    parent=row.parent,
                )
                for row in rows.values()
            ),
            key=lambda node: (node.country, node.code),
        )
    )
    return TiesOverTime(
        observer=observer,
        nodes=nodes,
        pairs=tuple(histories[subject] for subject in sorted(histories)),
        folded_pairs=folded,
    )


def _periods(
    evidence: list[Evidence], known_at: date | None, resolutions: list[Resolution], exists_from: date | None
) -> tuple[StatusPeriod, ...]:
    """The pair's periods of one status, certainty and since, from the first day a fact may count."""
    if known_at is not None:
        evidence = [item for item in evidence if item.published_lo <= known_at]
    floor = exists_from or date.min
    days = sorted(
        {max(moment, floor) for item in evidence for moment in (item.valid_lo, item.valid_hi) if moment < date.max}
    )
    periods: list[StatusPeriod] = []
    for index, moment in enumerate(days):
        until = days[index + 1] - timedelta(days=1) if index + 1 < len(days) else date.max
        outcome = relationship_outcome(
            evidence, as_of=moment, known_at=known_at, resolutions=resolutions, exists_from=exists_from
        )
        last = periods[-1] if periods else None
        if last is not None and (last.status, last.certainty, last.since) == (
            outcome.status,
            outcome.certainty,
            outcome.since,
        ):
            periods[-1] = attrs.evolve(last, end=until)
        else:
            periods.append(
                StatusPeriod(
                    start=moment, end=until, status=outcome.status, certainty=outcome.certainty, since=outcome.since
                )
            )
    return tuple(periods)


def _relevant(resolutions: list[Resolution], evidence: list[Evidence]) -> list[Resolution]:
    if not resolutions:
        return resolutions
    ids = {item.fact_id for item in evidence}
    return [resolution for resolution in resolutions if len(resolution.facts & ids) >= 2]


__all__ = ["Network", "NetworkEdge", "NetworkNode", "PairHistory", "TiesOverTime"]
