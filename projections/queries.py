"""The answers, read from the projections' tables (never by replaying the log)."""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID

import orjson

from domain.answers import (
    FORMAL_TIES,
    ActorSummary,
    Conflict,
    FactView,
    HistoryEntry,
    Partner,
    Partners,
    ProgramState,
    ProjectionStatus,
    Provenance,
    RelationshipHistory,
    RelationshipState,
    RelationshipStatus,
    SourceRef,
    SourceSummary,
    StatusPeriod,
    Verification,
)
from domain.errors import UnknownFact, UnknownSource
from domain.facts import FactStatus
from domain.ids import fact_id as derive_fact_id
from domain.ids import sha256_of
from domain.names import Gazetteer, NamedActor, normalise
from domain.status import ConflictOutcome, Evidence, Outcome, Resolution, program_outcome, relationship_outcome
from events.facts import FactCorrected, FactRecorded
from events.sources import SourceRegistered, SourceRevised
from events.values import ActorLevel, Attributes, FactKind, Modality
from projections.actors import Actors
from projections.base import NEVER, Projection, micros_to_datetime
from projections.db import Database
from projections.engine import Engine, ProjectionError, Registration, load_projection, physical_name
from projections.facts import VERSION_COLUMNS, FactVersions
from projections.ledger import GENESIS, Ledger, chain
from projections.programs import Programs
from projections.relationships import Relationships
from projections.rows import pair_key
from projections.sources import Sources
from projections.timeline import Timeline

if TYPE_CHECKING:
    from domain.application import Paradip

BUILTIN: tuple[type[Projection], ...] = (FactVersions, Actors, Sources, Relationships, Programs, Timeline, Ledger)
Progress = Callable[[int, int], None]
_KINDS = {str(kind): kind for kind in FactKind}
_MODALITIES = {str(modality): modality for modality in Modality}
_STATUSES = {str(status): status for status in FactStatus}
_JOINED_EVIDENCE = "e.subject, e.version, e.level, " + ", ".join(f"v.{column}" for column, _type in VERSION_COLUMNS)
_VERSION_AT = 3


def _day(text: str) -> date:
    return date.fromisoformat(text)


def _micros(moment: datetime | None) -> int:
    if moment is None:
        return NEVER
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1_000_000)


class ReadModels:
    """The read side of one store: keeps the projections current and answers from their tables."""

    def __init__(self, app: Paradip) -> None:
        self.app = app
        self.db = Database(app.location)
        self.engine = Engine(self.db, app.mapper, BUILTIN)
        self._lock = threading.RLock()
        self._registry: dict[str, Registration] = {}
        self._registry_counter: int | None = None
        self._actor_cache: tuple[tuple[int, int], _ActorIndex] | None = None
        self._source_cache: tuple[tuple[int, int], dict[str, tuple[str, str]]] | None = None
        self._resolutions_cache: tuple[tuple[int, int], bool] | None = None

    def close(self) -> None:
        self.db.close()

    # Keeping current

    def catch_up(self, progress: Progress | None = None) -> int:
        with self._lock:
            handled = self.engine.catch_up(progress)
            self._refresh()
            return handled

    def replay(self, names: Sequence[str], *, from_scratch: bool, progress: Progress | None) -> list[ProjectionStatus]:
        with self._lock:
            classes: list[type[Projection]] = []
            for name in names or self.engine.known_names():
                if ":" in name:
                    projection = load_projection(name)
                    self.engine.register(projection)
                else:
                    projection = self.engine.projection_class(name)
                classes.append(projection)
            self.engine.build_many(classes, from_scratch=from_scratch, progress=progress)
            self._refresh()
            wanted = {projection.name for projection in classes}
            return [status for status in self.projection_status() if status.name in wanted]

    def follow(self, *, poll_interval: float, stop: Callable[[], bool]) -> None:
        from projections.follow import Follower  # noqa: PLC0415  (only the follow command needs it)

        with Follower(self, poll_interval=poll_interval) as follower:
            follower.run(stop)

    def projection_status(self) -> list[ProjectionStatus]:
        head = self.engine.head()
        statuses = []
        for name in self.engine.known_names():
            registration = self.engine.registrations().get(name)
            if registration is None:
                statuses.append(
                    ProjectionStatus(
                        name=name,
                        position=0,
                        head=head,
                        generation=0,
                        state="not built",
                        origin=_origin(self.engine, name),
                    )
                )
                continue
            if registration.building_generation is not None:
                state = f"building generation {registration.building_generation} at {registration.building_position}"
            elif registration.live_generation is None:
                state = "not built"
            else:
                state = "current" if registration.live_position >= head else "behind"
            if name not in self.engine.builtin:
                try:
                    load_projection(registration.origin)
                except ProjectionError:
                    state = f"cannot load {registration.origin}"
            statuses.append(
                ProjectionStatus(
                    name=name,
                    position=registration.live_position,
                    head=head,
                    generation=registration.live_generation or 0,
                    state=state,
                    origin=registration.origin,
                )
            )
        return statuses

    def view_rows(self, name: str, table: str | None) -> tuple[str, list[str], list[tuple[Any, ...]]]:
        """The rows of one table of a projection (its first table unless named)."""
        projection = self.engine.projection_class(name)
        spec = next((t for t in projection.tables if table in (None, t.name)), None)
        if spec is None:
            msg = f"projection {name} has no table {table!r}; it has {', '.join(t.name for t in projection.tables)}"
            raise ProjectionError(msg)
        with self._reading():
            rows = self._query(
                lambda: (
                    f"SELECT {', '.join(spec.column_names)} FROM {self._table(name, spec.name)} "
                    f"ORDER BY {', '.join(spec.key)}"
                )
            )
        return spec.name, list(spec.column_names), [tuple(row) for row in rows]

    # Table names and caches

    @contextmanager
    def _reading(self) -> Iterator[None]:
        """One question: every table it names is the live one. The registry is read again only when
        another connection has committed since (this connection's own builds refresh it themselves);
        a built-in read model that has never been built (a fresh store) is built first."""
        with self._lock:
            counter = self.db.change_counter()
            if counter is None or counter != self._registry_counter:
                self._refresh()
                self._registry_counter = counter
            if any(not self._is_live(projection.name) for projection in BUILTIN):
                self.catch_up()
            yield

    def _refresh(self) -> None:
        self._registry = self.engine.registrations()

    def _table(self, projection: str, table: str) -> str:
        registration = self._registry.get(projection)
        if registration is None or registration.live_generation is None:
            msg = f"read model {projection!r} is not built yet: run 'paradip replay {projection}'"
            raise ProjectionError(msg)
        return physical_name(projection, table, registration.live_generation)

    def _query(self, build: Callable[[], str], params: Sequence[Any] = ()) -> list[Any]:
        """Rows of a query whose table names come from ``build``; if a rebuild switched generations
        meanwhile (the old tables are gone), the registry is read again and the query retried."""
        for _attempt in range(3):
            try:
                return self.db.read(build(), params)
            except Exception as error:
                if not _is_missing_table(error):
                    raise
            self._refresh()
        return self.db.read(build(), params)

    def _is_live(self, name: str) -> bool:
        registration = self._registry.get(name)
        return registration is not None and registration.live_generation is not None

    def _position(self, name: str) -> tuple[int, int]:
        registration = self._registry.get(name)
        if registration is None or registration.live_generation is None:
            return (0, 0)
        return (registration.live_generation, registration.live_position)

    def _actors(self) -> _ActorIndex:
        marker = self._position("actors")
        if self._actor_cache is None or self._actor_cache[0] != marker:
            rows = self._query(
                lambda: (
                    f"SELECT key, code, level, country, parent, name_en, name_ko, name_zh "
                    f"FROM {self._table('actors', 'actors')}"
                )
            )
            names = self._query(lambda: f"SELECT key, text, lang, official FROM {self._table('actors', 'names')}")
            codes = self._query(lambda: f"SELECT key, code, current FROM {self._table('actors', 'codes')}")
            self._actor_cache = (marker, _ActorIndex(rows, names, codes))
        return self._actor_cache[1]

    def _sources(self) -> dict[str, tuple[str, str]]:
        marker = self._position("sources")
        if self._source_cache is None or self._source_cache[0] != marker:
            rows = self._query(lambda: f"SELECT document, title, publisher FROM {self._table('sources', 'sources')}")
            self._source_cache = (marker, {row[0]: (row[1], row[2]) for row in rows})
        return self._source_cache[1]

    # Names

    def resolve_actor(self, name: str) -> str:
        with self._reading():
            return self._key(name)

    def actor_code(self, key: str) -> str:
        with self._reading():
            return self._actors().code(key)

    def _key(self, name: str) -> str:
        return self._actors().gazetteer.resolve(name).key

    # Facts at a recorded time

    def _versions(self, fact_ids: Iterable[str], before: int) -> dict[str, tuple[Any, ...]]:
        """The version of each fact in force for a reader at recorded time ``before`` (retracted included)."""
        ids = sorted(set(fact_ids))
        latest: dict[str, tuple[Any, ...]] = {}
        for offset in range(0, len(ids), 500):
            part = ids[offset : offset + 500]
            marks = ", ".join("?" * len(part))

            def statement(marks: str = marks) -> str:
                return (
                    f"SELECT * FROM {self._table('facts', 'versions')} "
                    f"WHERE fact_id IN ({marks}) AND recorded < ? ORDER BY fact_id, version"
                )

            rows = self._query(
                statement,
                (*part, before),
            )
            for row in rows:
                latest[row[0]] = tuple(row)
        return latest

    def _view(self, row: tuple[Any, ...], fact_id: UUID | None = None) -> FactView:
        actors = self._actors()
        title, publisher = self._sources().get(row[15], (row[15], ""))
        return FactView(
            fact_id=fact_id or UUID(row[0]),
            kind=_KINDS[row[5]],
            modality=_MODALITIES[row[6]],
            parties=tuple(actors.code(party) for party in orjson.loads(row[7])),
            date=row[8],
            attributes=Attributes.from_json(orjson.loads(row[14])),
            source=SourceRef(
                document=row[15],
                title=title,
                publisher=publisher,
                published=row[11],
                sha256=row[16],
                start=row[17],
                end=row[18],
                quote=row[19],
            ),
            recorded_at=micros_to_datetime(row[3]),
            status=_STATUSES[row[4]],
        )

    def _evidence(
        self, projection: str, subjects: Sequence[str], as_of: date, before: int
    ) -> tuple[list[Evidence], dict[str, tuple[Any, ...]], dict[str, list[Evidence]]]:
        """The evidence about ``subjects`` by ``as_of``, with each fact's version in force at ``before``.

        One query joins evidence to fact versions; a fact counts through its evidence row of the
        version in force, and not at all once retracted.
        """
        marks = ", ".join("?" * len(subjects))
        rows = self._query(
            lambda: (
                f"SELECT {_JOINED_EVIDENCE} FROM {self._table(projection, 'evidence')} e "
                f"JOIN {self._table('facts', 'versions')} v ON v.fact_id = e.fact_id "
                f"WHERE e.subject IN ({marks}) AND e.valid_lo <= ? AND v.recorded < ?"
            ),
            (*subjects, as_of.isoformat(), before),
        )
        versions: dict[str, tuple[Any, ...]] = {}
        for row in rows:
            held = versions.get(row[_VERSION_AT])
            if held is None or held[1] < row[_VERSION_AT + 1]:
                versions[row[_VERSION_AT]] = tuple(row[_VERSION_AT:])
        evidence: list[Evidence] = []
        by_subject: dict[str, list[Evidence]] = defaultdict(list)
        for subject, evidence_version, level, *version in rows:
            current = versions[version[0]]
            if not (version[1] == evidence_version == current[1]) or current[4] == "retracted":
                continue
            item = Evidence(
                fact_id=UUID(version[0]),
                position=version[2],
                kind=_KINDS[version[5]],
                modality=_MODALITIES[version[6]],
                level=level,
                edtf=version[8],
                valid_lo=_day(version[9]),
                valid_hi=_day(version[10]),
                published_lo=_day(version[12]),
                published_hi=_day(version[13]),
            )
            evidence.append(item)
            by_subject[subject].append(item)
        return evidence, versions, by_subject

    def _any_resolutions(self) -> bool:
        marker = self._position("facts")
        if self._resolutions_cache is None or self._resolutions_cache[0] != marker:
            rows = self._query(lambda: f"SELECT 1 FROM {self._table('facts', 'resolutions')} LIMIT 1")
            self._resolutions_cache = (marker, bool(rows))
        return self._resolutions_cache[1]

    def _resolutions(self, fact_ids: Iterable[UUID], before: int) -> list[Resolution]:
        ids = sorted({fact.hex for fact in fact_ids})
        if not ids or not self._any_resolutions():
            return []
        marks = ", ".join("?" * len(ids))
        rows = self._query(
            lambda: (
                f"SELECT resolution_id, version, facts, preferred, rule, decided_by, position "
                f"FROM {self._table('facts', 'resolutions')} WHERE fact_id IN ({marks}) AND recorded < ? "
                "ORDER BY position"
            ),
            (*ids, before),
        )
        seen: dict[tuple[str, int], Resolution] = {}
        for row in rows:
            seen[(row[0], row[1])] = Resolution(
                facts=frozenset(UUID(fact) for fact in orjson.loads(row[2])),
                preferred=UUID(row[3]),
                rule=row[4],
                decided_by=row[5],
            )
        return list(seen.values())

    def _events(
        self, evidence: Sequence[Evidence], versions: dict[str, tuple[Any, ...]], known_at: date | None
    ) -> tuple[FactView, ...]:
        shown = [item for item in evidence if known_at is None or item.published_lo <= known_at]
        shown.sort(key=lambda item: (item.valid_lo, item.valid_hi, item.position))
        seen: set[UUID] = set()
        views = []
        for item in shown:
            if item.fact_id not in seen:
                seen.add(item.fact_id)
                views.append(self._view(versions[item.fact_id.hex], item.fact_id))
        return tuple(views)

    def _conflicts(self, outcome: Outcome[Any], versions: dict[str, tuple[Any, ...]]) -> tuple[Conflict, ...]:
        return tuple(_conflict(found, versions, self._view) for found in outcome.conflicts)

    # Questions

    def relationship_state(
        self, a: str, b: str, *, as_of: date, known_at: date | None, recorded_before: datetime | None
    ) -> RelationshipState:
        with self._reading():
            first, second = sorted((self._key(a), self._key(b)))
            before = _micros(recorded_before)
            evidence, versions, _subjects = self._evidence("relationships", [pair_key(first, second)], as_of, before)
            outcome = relationship_outcome(
                evidence,
                as_of=as_of,
                known_at=known_at,
                resolutions=self._resolutions((item.fact_id for item in evidence), before),
            )
            actors = self._actors()
            return RelationshipState(
                parties=(actors.code(first), actors.code(second)),
                as_of=as_of,
                known_at=known_at,
                recorded_before=recorded_before,
                status=outcome.status,
                certainty=outcome.certainty,
                since=outcome.since,
                events=self._events(evidence, versions, known_at),
                conflicts=self._conflicts(outcome, versions),
            )

    def relationship_history(
        self, a: str, b: str, *, start: date, end: date, known_at: date | None, recorded_before: datetime | None
    ) -> RelationshipHistory:
        with self._reading():
            first, second = sorted((self._key(a), self._key(b)))
            before = _micros(recorded_before)
            evidence, versions, _subjects = self._evidence("relationships", [pair_key(first, second)], end, before)
            resolutions = self._resolutions((item.fact_id for item in evidence), before)
            days = {start}
            for item in evidence:
                days.update(day for day in (item.valid_lo, item.valid_hi) if start < day <= end)
            periods: list[StatusPeriod] = []
            ordered = sorted(days)
            for index, day in enumerate(ordered):
                until = ordered[index + 1] - timedelta(days=1) if index + 1 < len(ordered) else end
                outcome = relationship_outcome(evidence, as_of=day, known_at=known_at, resolutions=resolutions)
                if periods and (periods[-1].status, periods[-1].certainty) == (outcome.status, outcome.certainty):
                    periods[-1] = StatusPeriod(
                        start=periods[-1].start,
                        end=until,
                        status=outcome.status,
                        certainty=outcome.certainty,
                        since=periods[-1].since,
                    )
                else:
                    periods.append(
                        StatusPeriod(
                            start=day,
                            end=until,
                            status=outcome.status,
                            certainty=outcome.certainty,
                            since=outcome.since,
                        )
                    )
            actors = self._actors()
            return RelationshipHistory(
                parties=(actors.code(first), actors.code(second)),
                names=(actors.name(first), actors.name(second)),
                periods=tuple(periods),
                events=tuple(
                    view
                    for view in self._events(evidence, versions, known_at)
                    if _day(versions[view.fact_id.hex][10]) >= start
                ),
            )

    def counterparts(self, actor: str) -> list[str]:
        with self._reading():
            key = self._key(actor)
            actors = self._actors()
            rows = self._query(
                lambda: f"SELECT other FROM {self._table('relationships', 'pairs')} WHERE actor = ?", (key,)
            )
            return sorted(actors.code(row[0]) for row in rows if actors.abroad_and_tie_keeping(key, row[0]))

    def partners(
        self,
        actor: str,
        *,
        as_of: date,
        known_at: date | None,
        recorded_before: datetime | None,
        include_contacts: bool,
    ) -> Partners:
        with self._reading():
            key = self._key(actor)
            actors = self._actors()
            others = [
                row[0]
                for row in self._query(
                    lambda: f"SELECT other FROM {self._table('relationships', 'pairs')} WHERE actor = ?", (key,)
                )
                if actors.abroad_and_tie_keeping(key, row[0])
            ]
            before = _micros(recorded_before)
            found: list[Partner] = []
            if others:
                subjects = [pair_key(key, other) for other in others]
                evidence, _versions, by_subject = self._evidence("relationships", subjects, as_of, before)
                resolutions = self._resolutions((item.fact_id for item in evidence), before)
                for other in sorted(others):
                    outcome = relationship_outcome(
                        by_subject.get(pair_key(key, other), []),
                        as_of=as_of,
                        known_at=known_at,
                        resolutions=resolutions,
                    )
                    wanted = outcome.status in FORMAL_TIES or (
                        include_contacts and outcome.status is not RelationshipStatus.NONE
                    )
                    if wanted:
                        found.append(
                            Partner(
                                party=actors.code(other),
                                name=actors.name(other),
                                status=outcome.status,
                                certainty=outcome.certainty,
                                since=outcome.since,
                            )
                        )
            return Partners(
                actor=actors.code(key),
                as_of=as_of,
                known_at=known_at,
                recorded_before=recorded_before,
                partners=tuple(found),
            )

    def program_state(
        self, program: str, *, as_of: date, known_at: date | None, recorded_before: datetime | None
    ) -> ProgramState:
        with self._reading():
            key = self._key(program)
            before = _micros(recorded_before)
            evidence, versions, _subjects = self._evidence("programs", [key], as_of, before)
            outcome = program_outcome(
                evidence,
                as_of=as_of,
                known_at=known_at,
                resolutions=self._resolutions((item.fact_id for item in evidence), before),
            )
            actors = self._actors()
            return ProgramState(
                program=actors.code(key),
                name=actors.name(key),
                as_of=as_of,
                known_at=known_at,
                recorded_before=recorded_before,
                status=outcome.status,
                certainty=outcome.certainty,
                since=outcome.since,
                events=self._events(evidence, versions, known_at),
                conflicts=self._conflicts(outcome, versions),
            )

    def timeline(
        self,
        actors: Sequence[str],
        *,
        start: date | None,
        end: date | None,
        kinds: Sequence[FactKind],
        known_at: date | None,
        recorded_before: datetime | None,
    ) -> list[FactView]:
        with self._reading():
            keys = [self._key(actor) for actor in actors]
            before = _micros(recorded_before)
            if keys:
                candidate_sets = []
                for key in keys:
                    rows = self._query(
                        lambda: (
                            f"SELECT fact_id FROM {self._table('timeline', 'by_actor')} "
                            "WHERE actor = ? AND valid_lo <= ?"
                        ),
                        (key, (end or date.max).isoformat()),
                    )
                    candidate_sets.append({row[0] for row in rows})
                candidates: set[str] = set.intersection(*candidate_sets)
            else:
                rows = self._query(lambda: f"SELECT DISTINCT fact_id FROM {self._table('facts', 'versions')}")
                candidates = {row[0] for row in rows}
            versions = self._versions(candidates, before)
            wanted_kinds = {str(kind) for kind in kinds}
            chosen = []
            for row in versions.values():
                if row[4] == "retracted":
                    continue
                parties = set(orjson.loads(row[7]))
                if not set(keys) <= parties:
                    continue
                if wanted_kinds and row[5] not in wanted_kinds:
                    continue
                if start is not None and _day(row[10]) < start:
                    continue
                if end is not None and _day(row[9]) > end:
                    continue
                if known_at is not None and _day(row[12]) > known_at:
                    continue
                chosen.append(row)
            chosen.sort(key=lambda row: (row[9], row[10], row[2]))
            return [self._view(row) for row in chosen]

    def find_fact(self, prefix: str) -> UUID:
        with self._reading():
            cleaned = prefix.strip().replace("-", "").lower()
            if len(cleaned) < 4 or any(char not in "0123456789abcdef" for char in cleaned):
                msg = f"{prefix!r} is not a fact id (give at least 4 hex digits)"
                raise UnknownFact(msg)
            rows = self._query(
                lambda: f"SELECT DISTINCT fact_id FROM {self._table('facts', 'versions')} WHERE fact_id LIKE ?",
                (cleaned + "%",),
            )
            if not rows:
                msg = f"no fact with id {prefix!r}"
                raise UnknownFact(msg)
            if len(rows) > 1:
                msg = f"fact id {prefix!r} is ambiguous: {', '.join(sorted(row[0][:12] for row in rows)[:5])}"
                raise UnknownFact(msg)
            return UUID(rows[0][0])

    def provenance(self, fact: UUID) -> Provenance:
        with self._reading():
            rows = self._query(
                lambda: f"SELECT * FROM {self._table('facts', 'versions')} WHERE fact_id = ? ORDER BY version",
                (fact.hex,),
            )
            if not rows:
                msg = f"no fact {fact}"
                raise UnknownFact(msg)
            history: list[HistoryEntry] = []
            for row in rows:
                details = orjson.loads(row[21])
                event = "recorded" if row[1] == 1 else "retracted" if row[4] == "retracted" else "corrected"
                history.append(
                    HistoryEntry(
                        event=event,
                        recorded_at=micros_to_datetime(row[3]),
                        position=row[2],
                        details=tuple(sorted(details.items())),
                    )
                )
            resolutions = self._query(
                lambda: (
                    f"SELECT position, recorded, facts, preferred, rule, decided_by, note "
                    f"FROM {self._table('facts', 'resolutions')} WHERE fact_id = ? ORDER BY position"
                ),
                (fact.hex,),
            )
            for row in resolutions:
                history.append(
                    HistoryEntry(
                        event="resolved",
                        recorded_at=micros_to_datetime(row[1]),
                        position=row[0],
                        details=(
                            ("facts", [str(UUID(item)) for item in orjson.loads(row[2])]),
                            ("preferred", str(UUID(row[3]))),
                            ("this_fact_preferred", UUID(row[3]) == fact),
                            ("rule", row[4]),
                            ("decided_by", row[5]),
                            ("note", row[6]),
                        ),
                    )
                )
            history.sort(key=lambda entry: entry.position)
            latest = tuple(rows[-1])
            view = self._view(latest)
            return Provenance(
                fact=view,
                verified=self._verify_citation(view.source),
                history=tuple(history),
                notes=tuple(orjson.loads(latest[20])),
            )

    def _verify_citation(self, source: SourceRef) -> bool:
        try:
            stored = self.app.source(source.document)
            text = stored.text_of(source.sha256)
        except UnknownSource:
            return False
        return sha256_of(text) == source.sha256 and text[source.start : source.end] == source.quote

    def facts(self, *, include_retracted: bool) -> Iterator[FactView]:
        with self._reading():
            rows = self._query(
                lambda: f"SELECT fact_id FROM {self._table('facts', 'versions')} WHERE version = 1 ORDER BY position"
            )
            order = [row[0] for row in rows]
            for offset in range(0, len(order), 500):
                part = order[offset : offset + 500]
                versions = self._versions(part, NEVER)
                for fact in part:
                    row = versions[fact]
                    if include_retracted or row[4] != "retracted":
                        yield self._view(row)

    def sources(self) -> list[SourceSummary]:
        with self._reading():
            rows = self._query(
                lambda: (
                    "SELECT document, title, publisher, published, published_note, language, kind, address, "
                    f"sha256, versions, facts FROM {self._table('sources', 'sources')} ORDER BY document"
                )
            )
            return [
                SourceSummary(
                    document=row[0],
                    title=row[1],
                    publisher=row[2],
                    published=row[3],
                    published_note=row[4],
                    language=row[5],
                    kind=row[6],
                    address=row[7],
                    sha256=row[8],
                    versions=row[9],
                    facts=row[10],
                )
                for row in rows
            ]

    def actors(self, query: str | None) -> list[ActorSummary]:
        with self._reading():
            return self._actors().summaries(query)

    # Audit

    def verify(self) -> Verification:
        """Re-hash every source version, re-derive every fact id and re-check every quote and the ledger."""
        with self._reading():
            problems: list[str] = []
            texts: dict[str, str] = {}
            sources = facts = events = 0
            digest = GENESIS
            checkpoints = {
                row[0]: row[1]
                for row in self._query(lambda: f"SELECT position, digest FROM {self._table('ledger', 'checkpoints')}")
            }
            checkpoints.update(
                (row[0], row[1])
                for row in self._query(lambda: f"SELECT position, digest FROM {self._table('ledger', 'head')}")
            )
            ledger_position = self._position("ledger")[1]
            mapper = self.app.mapper
            after = 0
            while True:
                page = self.app.recorder.select_notifications(after, 1000, inclusive_of_start=False)
                if not page:
                    break
                for notification in page:
                    events += 1
                    originator = notification.originator_id
                    hex_id = originator.hex if isinstance(originator, UUID) else str(originator)
                    digest = chain(
                        digest,
                        (
                            notification.id,
                            hex_id,
                            notification.originator_version,
                            notification.topic,
                            notification.state,
                        ),
                    )
                    expected = checkpoints.get(notification.id)
                    if expected is not None and expected != digest:
                        problems.append(
                            f"event log changed at or before position {notification.id}: "
                            "its hash chain no longer matches the ledger"
                        )
                    try:
                        event = mapper.to_domain_event(notification)
                    except Exception as error:
                        problems.append(f"event {notification.id} cannot be read: {error}")
                        continue
                    if isinstance(event, SourceRegistered | SourceRevised):
                        sources += 1
                        if sha256_of(event.text) != event.sha256:
                            problems.append(
                                f"source text at position {notification.id} does not hash to {event.sha256[:12]}"
                            )
                        texts[event.sha256] = event.text
                    elif isinstance(event, FactRecorded | FactCorrected):
                        facts += isinstance(event, FactRecorded)
                        problems.extend(_check_fact(event, notification.id, texts))
                after = page[-1].id
            if ledger_position and ledger_position > after:
                problems.append(
                    f"the ledger has seen position {ledger_position} but the log ends at {after}: events were removed"
                )
            return Verification(
                sources_checked=sources, facts_checked=facts, events_checked=events, problems=tuple(problems)
            )


def _is_missing_table(error: Exception) -> bool:
    text = str(error).lower()
    return "no such table" in text or ("relation" in text and "does not exist" in text)


def _origin(engine: Engine, name: str) -> str:
    projection = engine.builtin.get(name)
    return f"{projection.__module__}:{projection.__qualname__}" if projection else ""


def _check_fact(event: FactRecorded | FactCorrected, position: int, texts: dict[str, str]) -> list[str]:
    problems = []
    citation = event.citation
    text = texts.get(citation.sha256)
    if text is None:
        problems.append(
            f"fact at position {position} cites a source version {citation.sha256[:12]} the log does not hold"
        )
    elif text[citation.start : citation.end] != citation.quote:
        problems.append(
            f"fact at position {position}: its quote is not at {citation.start}-{citation.end} of its source"
        )
    if isinstance(event, FactRecorded):
        derived = derive_fact_id(
            sha256=citation.sha256,
            start=citation.start,
            end=citation.end,
            kind=event.kind,
            modality=event.modality,
            parties=event.parties,
            date=event.date,
            attributes=event.attributes,
        )
        if derived != event.originator_id:
            problems.append(f"fact at position {position} ({event.originator_id}) no longer matches its content")
    return problems


def _conflict(
    found: ConflictOutcome, versions: dict[str, tuple[Any, ...]], view: Callable[[tuple[Any, ...]], FactView]
) -> Conflict:
    return Conflict(
        subject=found.subject,
        claims=tuple(view(versions[claim.hex]) for claim in found.claims),
        preferred=found.preferred,
        rule=found.rule,
        decided_by=found.decided_by,
    )


class _ActorIndex:
    """Actors by key, their codes and names, and a gazetteer over them."""

    def __init__(self, rows: list[Any], names: list[Any], codes: list[Any]) -> None:
        self.rows = {row[0]: tuple(row) for row in rows}
        self.names: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
        for key, text, lang, official in names:
            self.names[key].append((text, lang, official))
        self.codes: dict[str, list[str]] = defaultdict(list)
        for key, code, _current in codes:
            self.codes[key].append(code)
        self.gazetteer = Gazetteer(
            NamedActor(
                key=key,
                codes=tuple(self.codes.get(key, [])),
                names=tuple(text for text, _lang, _official in self.names.get(key, [])),
            )
            for key in self.rows
        )

    def code(self, key: str) -> str:
        row = self.rows.get(key)
        return str(row[1]) if row else key

    def name(self, key: str) -> str:
        row = self.rows.get(key)
        return str(row[5] or row[1]) if row else key

    def country(self, key: str) -> str | None:
        row = self.rows.get(key)
        return str(row[3]) if row else None

    def abroad_and_tie_keeping(self, key: str, other: str) -> bool:
        """Whether ``other`` is in another country than ``key`` and of a level that keeps ties."""
        row = self.rows.get(other)
        return row is not None and self.country(other) != self.country(key) and ActorLevel(row[2]).keeps_ties

    def summaries(self, query: str | None) -> list[ActorSummary]:
        wanted = normalise(query) if query else ""
        found = []
        for key, row in sorted(self.rows.items(), key=lambda item: item[1][1]):
            names = self.names.get(key, [])
            haystack = [normalise(code) for code in self.codes.get(key, [])] + [
                normalise(text) for text, _l, _o in names
            ]
            if wanted and not any(wanted in item for item in haystack):
                continue
            official = {row[5], row[6], row[7]}
            found.append(
                ActorSummary(
                    key=key,
                    code=row[1],
                    name=row[5] or row[1],
                    name_ko=row[6],
                    name_zh=row[7],
                    level=row[2],
                    country=row[3],
                    parent=row[4],
                    former_codes=tuple(code for code in self.codes.get(key, []) if code != row[1]),
                    aliases=tuple(sorted({text for text, _lang, _official in names} - official)),
                )
            )
        return found


__all__ = ["BUILTIN", "ReadModels"]
