"""The read side of one store as every question sees it: live tables, typed rows, caches, and the
few reads that several questions share (fact versions at a recorded time, evidence, resolutions)."""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any, TypeVar
from uuid import UUID

import attrs
import orjson

from domain.facts import FactStatus
from domain.status import ConflictOutcome, Evidence, Outcome, Resolution
from events.values import Attributes, FactKind, Modality
from infrastructure.database import Database
from projections.actor_directory import ActorRow, CodeRow, NameRow
from projections.actor_index import ActorIndex
from projections.answers import Conflict, FactView, SourceRef
from projections.base import NEVER, Projection, micros_to_datetime
from projections.engine import Engine
from projections.facts import FactVersion, ResolutionRow
from projections.registry import ProjectionError, Registration, physical_name
from projections.sources import SourceRow

Record = TypeVar("Record", bound=tuple[Any, ...])
Memo = TypeVar("Memo")
Progress = Callable[[int, int], None]
KINDS_BY_NAME = {str(kind): kind for kind in FactKind}
MODALITIES = {str(modality): modality for modality in Modality}
FACT_STATUSES = {str(status): status for status in FactStatus}
CHUNK = 500


def day(text: str) -> date:
    """A stored ISO day."""
    return date.fromisoformat(text)


def micros(moment: datetime | None) -> int:
    """A recorded-time bound in the stored unit (microseconds); None means no bound."""
    if moment is None:
        return NEVER
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1_000_000)


_JOINED = "e.subject, e.version, e.level, " + ", ".join(f"v.{column}" for column in FactVersion._fields)


@attrs.frozen(kw_only=True)
class EvidenceSet:
    """What the store holds about some subjects by a date: the evidence, each fact's version, and by subject."""

    items: tuple[Evidence, ...]
    versions: dict[str, FactVersion]
    by_subject: dict[str, list[Evidence]]
    counted: dict[UUID, FactVersion]

    def version_of(self, fact: UUID) -> FactVersion:
        """The version in force of a fact that counts as evidence here."""
        return self.counted[fact]


class ReadSession:
    """The read models of one store: which tables are live, and the reads every question shares."""

    def __init__(self, database: Database, engine: Engine) -> None:
        self.db = database
        self.engine = engine
        self.lock = threading.RLock()
        self._registry: dict[str, Registration] = {}
        self._registry_counter: int | None = None
        self._actor_cache: tuple[tuple[int, int], ActorIndex] | None = None
        self._source_cache: tuple[tuple[int, int], dict[str, SourceRow]] | None = None
        self._resolutions_cache: tuple[tuple[int, int], bool] | None = None
        self._memos: dict[str, Any] = {}

    def close(self) -> None:
        """Release the connection."""
        self.db.close()

    def memo(self, name: str, factory: Callable[[], Memo]) -> Memo:
        """A question's own memory kept with this session (made by ``factory`` on first use); a question keys
        what it keeps by the read models' markers, so a write or a rebuild is never answered from stale rows."""
        with self.lock:
            found: Memo = self._memos.setdefault(name, factory())
            return found

    def forget(self, name: str) -> None:
        """Drop a question's memory: its next answer is built from the read models again."""
        with self.lock:
            self._memos.pop(name, None)

    def catch_up(self, progress: Progress | None = None, *, only: Collection[str] | None = None) -> int:
        """Bring every projection (or ``only`` those named) to the head of the log; returns the events handled."""
        with self.lock:
            try:
                return self.engine.catch_up(progress, only=only)
            finally:
                self.refresh()

    @contextmanager
    def reading(self) -> Iterator[ReadSession]:
        """One question: every table it names is the live one. The registry is read again only when
        another connection has committed since (this connection's own builds refresh it themselves);
        a built-in read model never built (a fresh store), or built by an older version, is built first."""
        with self.lock:
            counter = self.db.change_counter()
            if counter is None or counter != self._registry_counter:
                self.refresh()
                if any(
                    not self._current(name, projection) for name, projection in self.engine.registry.builtin.items()
                ):
                    self.catch_up()
                self._registry_counter = counter
            yield self

    def _current(self, name: str, projection: type[Projection]) -> bool:
        """Whether a built-in projection is live in the version this code writes (else it is rebuilt first)."""
        registration = self._registry.get(name)
        return (
            registration is not None
            and registration.live_generation is not None
            and (registration.version == projection.version)
        )

    def refresh(self) -> None:
        """Read the registry of projections again."""
        self._registry = self.engine.registry.registrations()

    def is_live(self, name: str) -> bool:
        """Whether a projection has a live generation."""
        registration = self._registry.get(name)
        return registration is not None and registration.live_generation is not None

    def marker(self, name: str) -> tuple[int, int]:
        """A projection's live generation and position: a cache key that changes with its rows."""
        registration = self._registry.get(name)
        if registration is None or registration.live_generation is None:
            return (0, 0)
        return (registration.live_generation, registration.live_position)

    def table(self, projection: str, table: str) -> str:
        """The physical name of a projection's live table."""
        registration = self._registry.get(projection)
        if registration is None or registration.live_generation is None:
            msg = f"read model {projection!r} is not built yet: run 'paradip replay {projection}'"
            raise ProjectionError(msg)
        return physical_name(self.engine.registry.projection_class(projection), table, registration.live_generation)

    def query(self, build: Callable[[], str], params: Sequence[Any] = ()) -> list[Any]:
        """Rows of a query whose table names come from ``build``; if a rebuild switched generations
        meanwhile (the old tables are gone), the registry is read again and the query retried."""
        for _attempt in range(3):
            try:
                return self.db.read(build(), params)
            except Exception as error:
                if not _is_missing_table(error):
                    raise
            self.refresh()
        return self.db.read(build(), params)

    def select(
        self,
        record: type[Record],
        projection: str,
        table: str,
        *,
        where: str = "",
        params: Sequence[Any] = (),
        order: str = "",
    ) -> list[Record]:
        """Rows of one live table as typed records, filtered by ``where`` (``?`` placeholders)."""
        columns = ", ".join(record._fields)  # type: ignore[attr-defined]
        clauses = (f" WHERE {where}" if where else "") + (f" ORDER BY {order}" if order else "")
        make = record._make  # type: ignore[attr-defined]
        return [
            make(row)
            for row in self.query(lambda: f"SELECT {columns} FROM {self.table(projection, table)}{clauses}", params)
        ]

    def projection_class(self, name: str) -> type[Projection]:
        """The class of a projection known by name."""
        return self.engine.registry.projection_class(name)

    # Actors and sources

    def actors(self) -> ActorIndex:
        """Every actor with its codes and names, and a gazetteer over them (cached per position)."""
        marker = self.marker("actors")
        if self._actor_cache is None or self._actor_cache[0] != marker:
            index = ActorIndex(
                self.select(ActorRow, "actors", "actors"),
                self.select(NameRow, "actors", "names"),
                self.select(CodeRow, "actors", "codes"),
            )
            self._actor_cache = (marker, index)
        return self._actor_cache[1]

    def key(self, name: str) -> str:
        """The key of the actor with this code or name (UnknownActor / AmbiguousActor)."""
        return self.actors().key(name)

    def sources(self) -> dict[str, SourceRow]:
        """Every document by id (cached per position)."""
        marker = self.marker("sources")
        if self._source_cache is None or self._source_cache[0] != marker:
            rows = self.select(SourceRow, "sources", "sources")
            self._source_cache = (marker, {row.document: row for row in rows})
        return self._source_cache[1]

    # Facts

    def versions(self, fact_ids: Iterable[str], before: int) -> dict[str, FactVersion]:
        """The version of each fact in force for a reader at recorded time ``before`` (retracted included)."""
        latest: dict[str, FactVersion] = {}
        for row in self._of_facts(FactVersion, "versions", fact_ids, before, order="fact_id, version"):
            latest[row.fact_id] = row
        return latest

    def _of_facts(
        self, record: type[Record], table: str, fact_ids: Iterable[str], before: int, *, order: str
    ) -> list[Record]:
        """The rows of a table of the facts read model about these facts recorded before ``before``, read a chunk
        of ids at a time (in ``order`` within each chunk)."""
        ids = sorted(set(fact_ids))
        rows: list[Record] = []
        for offset in range(0, len(ids), CHUNK):
            part = ids[offset : offset + CHUNK]
            marks = ", ".join("?" * len(part))
            rows += self.select(
                record,
                "facts",
                table,
                where=f"fact_id IN ({marks}) AND recorded < ?",
                params=(*part, before),
                order=order,
            )
        return rows

    def view(self, version: FactVersion, fact_id: UUID | None = None) -> FactView:
        """A fact version as answers show it: codes for parties, its source's title and publisher."""
        return fact_view(version, fact_id, self.actors(), self.sources())

    def evidence(
        self, projection: str, subjects: Sequence[str], before: int, *, through: date | None = None
    ) -> EvidenceSet:
        """The evidence about ``subjects`` (only that which may start by ``through``, if given), with each
        fact's version in force at ``before``.

        One query joins evidence to fact versions; a fact counts through its evidence row of the
        version in force, and not at all once retracted. A status on a day needs only the facts that may
        start by then, unless none of them is in view: whether later facts are tells ``none`` from
        ``unknown`` (ask again without ``through`` for those subjects).
        """
        marks = ", ".join("?" * len(subjects))
        make = FactVersion._make
        since = "" if through is None else " AND e.valid_lo <= ?"
        bound = () if through is None else (through.isoformat(),)
        rows = [
            (subject, version, level, make(fact_version))
            for subject, version, level, *fact_version in self.query(
                lambda: (
                    f"SELECT {_JOINED} FROM {self.table(projection, 'evidence')} e "
                    f"JOIN {self.table('facts', 'versions')} v ON v.fact_id = e.fact_id "
                    f"WHERE e.subject IN ({marks}){since} AND v.recorded < ?"
                ),
                (*subjects, *bound, before),
            )
        ]
        versions: dict[str, FactVersion] = {}
        for _subject, _version, _level, fact in rows:
            held = versions.get(fact.fact_id)
            if held is None or held.version < fact.version:
                versions[fact.fact_id] = fact
        items: list[Evidence] = []
        by_subject: dict[str, list[Evidence]] = defaultdict(list)
        counted: dict[UUID, FactVersion] = {}
        for subject, evidence_version, level, fact in rows:
            current = versions[fact.fact_id]
            if not (fact.version == evidence_version == current.version) or current.status == "retracted":
                continue
            item = evidence_of(fact, level)
            items.append(item)
            by_subject[subject].append(item)
            counted[item.fact_id] = fact
        return EvidenceSet(items=tuple(items), versions=versions, by_subject=by_subject, counted=counted)

    def resolutions(self, fact_ids: Iterable[UUID], before: int) -> list[Resolution]:
        """The resolutions recorded before ``before`` that name any of these facts."""
        if not self._any_resolutions():
            return []
        rows = self._of_facts(ResolutionRow, "resolutions", (fact.hex for fact in fact_ids), before, order="position")
        seen: dict[tuple[str, int], Resolution] = {}
        for row in sorted(rows, key=lambda row: row.position):
            seen[(row.resolution_id, row.version)] = Resolution(
                facts=frozenset(UUID(fact) for fact in orjson.loads(row.facts)),
                preferred=UUID(row.preferred),
                rule=row.rule,
                decided_by=row.decided_by,
            )
        return list(seen.values())

    def _any_resolutions(self) -> bool:
        marker = self.marker("facts")
        if self._resolutions_cache is None or self._resolutions_cache[0] != marker:
            rows = self.query(lambda: f"SELECT 1 FROM {self.table('facts', 'resolutions')} LIMIT 1")
            self._resolutions_cache = (marker, bool(rows))
        return self._resolutions_cache[1]

    def shown(
        self,
        found: EvidenceSet,
        items: Iterable[Evidence],
        *,
        as_of: date,
        known_at: date | None,
        exists_from: date | None = None,
    ) -> tuple[FactView, ...]:
        """The facts behind some evidence that may have happened by ``as_of`` (never before ``exists_from``),
        once each, in valid-time order, as seen from ``known_at``."""
        earliest = exists_from or date.min
        visible = [
            item
            for item in items
            if max(item.valid_lo, earliest) <= as_of and (known_at is None or item.published_lo <= known_at)
        ]
        visible.sort(key=lambda item: (item.valid_lo, item.valid_hi, item.position))
        seen: set[UUID] = set()
        views = []
        actors, sources = self.actors(), self.sources()
        for item in visible:
            if item.fact_id not in seen:
                seen.add(item.fact_id)
                views.append(fact_view(found.version_of(item.fact_id), item.fact_id, actors, sources))
        return tuple(views)

    def conflicts(self, outcome: Outcome[Any], found: EvidenceSet) -> tuple[Conflict, ...]:
        """The conflicts a fold met, with their claims as fact views."""
        return tuple(self._conflict(conflict, found) for conflict in outcome.conflicts)

    def _conflict(self, conflict: ConflictOutcome, found: EvidenceSet) -> Conflict:
        return Conflict(
            subject=conflict.subject,
            claims=tuple(self.view(found.version_of(claim), claim) for claim in conflict.claims),
            preferred=conflict.preferred,
            rule=conflict.rule,
            decided_by=conflict.decided_by,
        )


def fact_view(
    version: FactVersion, fact_id: UUID | None, actors: ActorIndex, sources: dict[str, SourceRow]
) -> FactView:
    """A fact version as answers show it, with the actor index and documents already at hand."""
    source = sources.get(version.document)
    return FactView(
        fact_id=fact_id or UUID(version.fact_id),
        kind=KINDS_BY_NAME[version.kind],
        modality=MODALITIES[version.modality],
        parties=tuple(map(actors.code, stored_parties(version.parties))),
        date=version.edtf,
        attributes=stored_attributes(version.attributes),
        source=SourceRef(
            document=version.document,
            title=source.title if source else version.document,
            publisher=source.publisher if source else "",
            published=version.published,
            sha256=version.sha256,
            start=version.quote_start,
            end=version.quote_end,
            quote=version.quote,
        ),
        recorded_at=micros_to_datetime(version.recorded),
        status=FACT_STATUSES[version.status],
    )


@lru_cache(maxsize=4096)
def stored_parties(text: str) -> tuple[str, ...]:
    """A version row's parties (JSON text) as actor keys; many facts share theirs, so it is remembered."""
    return tuple(orjson.loads(text))


@lru_cache(maxsize=4096)
def stored_attributes(text: str) -> Attributes:
    """A version row's attributes (JSON text) as the value; many facts share theirs, so it is remembered."""
    return Attributes.from_json(orjson.loads(text))


def evidence_of(fact: FactVersion, level: str | None) -> Evidence:
    """What a status fold needs of a fact version."""
    return Evidence(
        fact_id=UUID(fact.fact_id),
        position=fact.position,
        kind=KINDS_BY_NAME[fact.kind],
        modality=MODALITIES[fact.modality],
        level=level,
        edtf=fact.edtf,
        valid_lo=date.fromisoformat(fact.valid_lo),
        valid_hi=date.fromisoformat(fact.valid_hi),
        published_lo=date.fromisoformat(fact.pub_lo),
        published_hi=date.fromisoformat(fact.pub_hi),
    )


def _is_missing_table(error: Exception) -> bool:
    text = str(error).lower()
    return "no such table" in text or ("relation" in text and "does not exist" in text)
