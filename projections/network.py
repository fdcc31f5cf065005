"""The network on a date: every pair of actors abroad, with its status, certainty and since when.

The relationships read model files each fact's evidence under its pair. This question reads the
evidence of every pair in one query, and folds each pair with the same state machine as
``relationship_state`` (``domain.status.relationship_outcome``) at every day on which one of its
facts becomes possible or definite, so that it knows the pair's status over all of valid time as
a list of periods. A date is then answered by looking it up in each pair's periods. The periods
are kept in memory for the read models' current positions and one observer (``known_at``,
``recorded_before``); a write to the store, seen as a move of those positions, makes them be
folded again on the next question.
"""

from __future__ import annotations

import threading
import weakref
from bisect import bisect_right
from collections import OrderedDict, defaultdict
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from types import MappingProxyType
from typing import TYPE_CHECKING, Any
from uuid import UUID

import attrs
import orjson

from domain.answers import Certainty, RelationshipStatus, StatusPeriod
from domain.status import RELATIONSHIP_KINDS, Evidence, Resolution, relationship_outcome
from events.values import FactKind, Modality
from projections.base import NEVER
from projections.rows import pair_key, pairs

if TYPE_CHECKING:
    from projections.queries import ReadModels

_KINDS = {str(kind): kind for kind in FactKind}
_MODALITIES = {str(modality): modality for modality in Modality}
_RELATIONSHIP_KINDS = frozenset(str(kind) for kind in RELATIONSHIP_KINDS)
_OCCURRED = str(Modality.OCCURRED)
_KEPT_OBSERVERS = 4
_CHUNK = 500
_EVIDENCE_QUERY = (
    "SELECT e.subject, e.fact_id, e.version, e.position, e.kind, e.modality, e.level, e.edtf, "
    "e.valid_lo, e.valid_hi, e.pub_lo, e.pub_hi, v.version, v.status "
    "FROM {evidence} e JOIN {versions} v ON v.fact_id = e.fact_id "
    "WHERE e.recorded < ? AND v.recorded < ?"
)
_TOUCHED_QUERY = (
    "SELECT parties FROM {versions} WHERE position > ? "
    "UNION ALL SELECT v.parties FROM {resolutions} r JOIN {versions} v ON v.fact_id = r.fact_id WHERE r.position > ?"
)
_RESOLUTIONS_QUERY = (
    "SELECT resolution_id, version, facts, preferred, rule, decided_by FROM {resolutions} "
    "WHERE recorded < ? ORDER BY position"
)


@attrs.frozen(kw_only=True)
class NetworkNode:
    """An actor that has relationship facts with an actor abroad."""

    code: str
    name: str
    country: str
    level: str
    parent: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "country": self.country,
            "level": self.level,
            "parent": self.parent,
        }


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
    """Every pair's status on a date: the actors (tied on that date or not) and the pairs not at ``none``."""

    as_of: date
    known_at: date | None
    recorded_before: datetime | None
    nodes: tuple[NetworkNode, ...]
    edges: tuple[NetworkEdge, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "known_at": None if self.known_at is None else self.known_at.isoformat(),
            "recorded_before": None if self.recorded_before is None else self.recorded_before.isoformat(),
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

    def on(self, day: date) -> StatusPeriod | None:
        """The period holding ``day``, or None before the pair's first fact."""
        index = bisect_right(self.starts, day.toordinal()) - 1
        return self.periods[index] if index >= 0 else None


@attrs.frozen(kw_only=True)
class TiesOverTime:
    """Every pair's history, as known from sources published by ``known_at``, recorded before ``recorded_before``;
    ``folded_pairs`` says how many pairs were folded to build it (all, or those a write touched)."""

    known_at: date | None
    recorded_before: datetime | None
    nodes: tuple[NetworkNode, ...]
    pairs: tuple[PairHistory, ...]
    folded_pairs: int = attrs.field(eq=False)

    def on(self, day: date) -> Network:
        """The network on ``day``."""
        edges = []
        for pair in self.pairs:
            period = pair.on(day)
            if period is not None and period.status is not RelationshipStatus.NONE:
                edges.append(
                    NetworkEdge(
                        a=pair.a, b=pair.b, status=period.status, certainty=period.certainty, since=period.since
                    )
                )
        return Network(
            as_of=day,
            known_at=self.known_at,
            recorded_before=self.recorded_before,
            nodes=self.nodes,
            edges=tuple(edges),
        )


def network_on(
    models: ReadModels, *, as_of: date, known_at: date | None = None, recorded_before: datetime | None = None
) -> Network:
    """Every pair's status and certainty on ``as_of``, from sources published by ``known_at``."""
    return ties_over_time(models, known_at=known_at, recorded_before=recorded_before).on(as_of)


def ties_over_time(
    models: ReadModels, *, known_at: date | None = None, recorded_before: datetime | None = None
) -> TiesOverTime:
    """Every pair's status over all of valid time. Kept per observer: after a write, only the pairs whose evidence,
    fact versions or resolutions it touched are folded again (all of them after a rebuild or a change to an actor)."""
    observer = (known_at, _micros(recorded_before))
    with models._reading():
        positions = (models._position("relationships"), models._position("facts"), models._position("actors"))
        with _CACHE_LOCK:
            kept = _CACHE.setdefault(models, OrderedDict())
            held = kept.get(observer)
            if held is not None:
                kept.move_to_end(observer)
        if held is not None and held.positions == positions:
            return held.ties
        actors = _actors_mark(models)
        histories: dict[str, PairHistory]
        if held is not None and held.actors == actors and _only_appended(held.positions, positions):
            touched = _touched(models, held.positions)
            histories = {subject: found for subject, found in held.histories.items() if subject not in touched}
            refolded = _fold(models, known_at=known_at, before=observer[1], subjects=touched)
        else:
            histories, refolded = {}, _fold(models, known_at=known_at, before=observer[1], subjects=None)
        histories.update(refolded)
        ties = _assemble(models, histories, known_at=known_at, recorded_before=recorded_before, folded=len(refolded))
        with _CACHE_LOCK:
            kept[observer] = _Kept(positions=positions, actors=actors, histories=MappingProxyType(histories), ties=ties)
            while len(kept) > _KEPT_OBSERVERS:
                kept.popitem(last=False)
        return ties


def forget_ties(models: ReadModels) -> None:
    """Drop the periods kept for these read models: the next question folds every pair again."""
    with _CACHE_LOCK:
        _CACHE.pop(models, None)


Position = tuple[int, int]
Positions = tuple[Position, Position, Position]


@attrs.frozen(kw_only=True)
class _Kept:
    """The periods of every pair for one observer, as of the read models' positions they were folded at."""

    positions: Positions
    actors: Position
    histories: Mapping[str, PairHistory]
    ties: TiesOverTime


_CACHE: weakref.WeakKeyDictionary[ReadModels, OrderedDict[tuple[date | None, int], _Kept]] = weakref.WeakKeyDictionary()
_CACHE_LOCK = threading.Lock()


def _actors_mark(models: ReadModels) -> Position:
    """The actors read model's generation and the position of its last change to an actor's code, name or level
    (every read model's position moves with every event, so its own position cannot tell)."""
    rows = models._query(lambda: f"SELECT MAX(position) FROM {models._table('actors', 'actors')}")
    return (models._position("actors")[0], int(rows[0][0] or 0))


def _only_appended(old: Positions, new: Positions) -> bool:
    """Whether the relationship and fact read models only moved forward, in the same generations."""
    (old_relationships, old_facts, _old_actors), (new_relationships, new_facts, _new_actors) = old, new
    return (
        old_relationships[0] == new_relationships[0]
        and old_facts[0] == new_facts[0]
        and old_relationships[1] <= new_relationships[1]
        and old_facts[1] <= new_facts[1]
    )


def _touched(models: ReadModels, since: Positions) -> set[str]:
    """The pairs among the parties of every fact version or resolution recorded after these positions (a fact's
    evidence is written with its version, so this covers new, corrected and retracted facts; from the lower of the
    two read models' positions, in case one lagged the other)."""
    rows = models._query(
        lambda: _TOUCHED_QUERY.format(
            versions=models._table("facts", "versions"), resolutions=models._table("facts", "resolutions")
        ),
        (min(since[0][1], since[1][1]),) * 2,
    )
    return {pair_key(a, b) for (parties,) in rows for a, b in pairs(orjson.loads(parties))}


def _micros(moment: datetime | None) -> int:
    if moment is None:
        return NEVER
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1_000_000)


def _fold(
    models: ReadModels, *, known_at: date | None, before: int, subjects: set[str] | None
) -> dict[str, PairHistory]:
    """The histories of these pairs (of every pair when None) that keep ties abroad and have a status."""
    if subjects is None:
        rows = models._query(
            lambda: _EVIDENCE_QUERY.format(
                evidence=models._table("relationships", "evidence"), versions=models._table("facts", "versions")
            ),
            (before, before),
        )
    else:
        ordered = sorted(subjects)
        rows = []
        for offset in range(0, len(ordered), _CHUNK):
            part = ordered[offset : offset + _CHUNK]
            marks = ", ".join("?" * len(part))

            def statement(marks: str = marks) -> str:
                return (
                    _EVIDENCE_QUERY.format(
                        evidence=models._table("relationships", "evidence"),
                        versions=models._table("facts", "versions"),
                    )
                    + f" AND e.subject IN ({marks})"
                )

            rows.extend(models._query(statement, (before, before, *part)))
    current: dict[str, tuple[int, str]] = {}
    for row in rows:
        held = current.get(row[1])
        if held is None or held[0] < row[12]:
            current[row[1]] = (row[12], row[13])
    actors = models._actors()
    by_pair: dict[str, list[Evidence]] = defaultdict(list)
    ids: dict[str, UUID] = {}
    for subject, fact, version, position, kind, modality, level, edtf, lo, hi, pub_lo, pub_hi, _v, _s in rows:
        in_force, status = current[fact]
        if version != in_force or status == "retracted" or kind not in _RELATIONSHIP_KINDS or modality != _OCCURRED:
            continue
        fact_id = ids.get(fact)
        if fact_id is None:
            fact_id = ids[fact] = UUID(fact)
        by_pair[subject].append(
            Evidence(
                fact_id=fact_id,
                position=position,
                kind=_KINDS[kind],
                modality=_MODALITIES[modality],
                level=level,
                edtf=edtf,
                valid_lo=date.fromisoformat(lo),
                valid_hi=date.fromisoformat(hi),
                published_lo=date.fromisoformat(pub_lo),
                published_hi=date.fromisoformat(pub_hi),
            )
        )
    resolutions = _resolutions(models, before)
    histories: dict[str, PairHistory] = {}
    for subject, evidence in by_pair.items():
        first, second = subject.split("|", 1)
        if not (actors.abroad_and_tie_keeping(first, second) and actors.abroad_and_tie_keeping(second, first)):
            continue
        periods = _periods(evidence, known_at, _relevant(resolutions, evidence))
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


def _assemble(
    models: ReadModels,
    histories: dict[str, PairHistory],
    *,
    known_at: date | None,
    recorded_before: datetime | None,
    folded: int,
) -> TiesOverTime:
    """The answer from every pair's history, with the actors of the pairs that have one."""
    actors = models._actors()
    for subject in [subject for subject, found in histories.items() if not found.periods]:
        del histories[subject]
    keys = {key for subject in histories for key in subject.split("|", 1)}
    nodes = tuple(
        sorted(
            (
                NetworkNode(
                    code=actors.code(key),
                    name=actors.name(key),
                    country=actors.country(key) or "",
                    level=str(actors.rows[key][2]),
                    parent=actors.rows[key][4],
                )
                for key in keys
            ),
            key=lambda node: (node.country, node.code),
        )
    )
    return TiesOverTime(
        known_at=known_at,
        recorded_before=recorded_before,
        nodes=nodes,
        pairs=tuple(histories[subject] for subject in sorted(histories)),
        folded_pairs=folded,
    )


def _periods(
    evidence: list[Evidence], known_at: date | None, resolutions: list[Resolution]
) -> tuple[StatusPeriod, ...]:
    """The pair's periods of one status, certainty and since, from the first day a fact may count."""
    if known_at is not None:
        evidence = [item for item in evidence if item.published_lo <= known_at]
    days = sorted({day for item in evidence for day in (item.valid_lo, item.valid_hi) if day < date.max})
    periods: list[StatusPeriod] = []
    for index, day in enumerate(days):
        until = days[index + 1] - timedelta(days=1) if index + 1 < len(days) else date.max
        visible = [item for item in evidence if item.valid_lo <= day]
        outcome = relationship_outcome(visible, as_of=day, known_at=known_at, resolutions=resolutions)
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
                    start=day, end=until, status=outcome.status, certainty=outcome.certainty, since=outcome.since
                )
            )
    return tuple(periods)


def _resolutions(models: ReadModels, before: int) -> list[Resolution]:
    if not models._any_resolutions():
        return []
    rows = models._query(
        lambda: _RESOLUTIONS_QUERY.format(resolutions=models._table("facts", "resolutions")), (before,)
    )
    seen: dict[tuple[str, int], Resolution] = {}
    for resolution_id, version, facts, preferred, rule, decided_by in rows:
        seen[(resolution_id, version)] = Resolution(
            facts=frozenset(UUID(fact) for fact in orjson.loads(facts)),
            preferred=UUID(preferred),
            rule=rule,
            decided_by=decided_by,
        )
    return list(seen.values())


def _relevant(resolutions: list[Resolution], evidence: list[Evidence]) -> list[Resolution]:
    if not resolutions:
        return resolutions
    ids = {item.fact_id for item in evidence}
    return [resolution for resolution in resolutions if len(resolution.facts & ids) >= 2]
