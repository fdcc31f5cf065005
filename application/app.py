"""The application object: the one door between the outside (CLI, tests, scripts) and the domain."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from typing import Any, TypeVar, cast
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import Mapper, RecordConflictError

from application.ingesting import (
    BatchRefused,
    IngestReport,
    check_fact_event,
    decide_ingest,
    party_facts,
)
from domain.actors import Actor, ActorDraft, project_actor
from domain.batch import IngestBatch
from domain.corpus import corpus_paths
from domain.errors import ParadipError, UnknownFact, UnknownSource
from domain.facts import (
    Correction,
    Fact,
    FactDraft,
    correct_fact,
    project_fact,
    resolve_conflict,
    retract_fact,
)
from domain.ids import CORPUS_STREAM, actor_id, resolution_id, source_id
from domain.sources import Source, SourceDraft, project_source
from domain.validation import PartyFacts
from events.base import DomainEvent
from events.values import RetractionReason
from infrastructure.bulk import collector_paused
from infrastructure.codec import EncodedEvents
from infrastructure.store import APPLICATION_NAME, StoreLocation
from infrastructure.streams import StreamQueries
from projections.engine import ProjectionError
from projections.questions.actors import ActorQuestions
from projections.questions.audit import AuditQuestions
from projections.questions.coverage import CoverageQuestions
from projections.questions.impact import Impact, ImpactQuestions
from projections.questions.maintenance import ProjectionQuestions
from projections.questions.programmes import ProgrammeQuestions
from projections.questions.provenance import ProvenanceQuestions
from projections.questions.relationships import RelationshipQuestions
from projections.questions.reviewed import ReviewedDocuments, reviewed_documents
from projections.questions.sources import SourceQuestions
from projections.questions.timeline import TimelineQuestions
from projections.session import ReadSession

State = TypeVar("State")
RETRIES_ON_CONFLICT = 8


class Paradip(
    Application[UUID],
    RelationshipQuestions,
    CoverageQuestions,
    ProgrammeQuestions,
    TimelineQuestions,
    ProvenanceQuestions,
    ActorQuestions,
    SourceQuestions,
    AuditQuestions,
    ImpactQuestions,
    ProjectionQuestions,
):
    """The one application API: commands record actors, sources and facts as events; the questions
    (inherited, each written once in ``projections.questions``) answer from the read models.

    Build it with ``application.bootstrap.open_app``, which wires the store, the codec and the read side.
    """

    name = APPLICATION_NAME

    def __init__(
        self,
        location: StoreLocation,
        *,
        mapper: Mapper[UUID],
        read: ReadSession,
        keep_read_models_current: bool = True,
    ) -> None:
        self.location = location
        self.read = read
        self.keep_read_models_current = keep_read_models_current
        self._mapper = mapper
        self._parties: dict[str, PartyFacts] = {}
        super().__init__(env=location.application_env())

    def construct_mapper(self) -> Mapper[UUID]:
        return self._mapper

    def close(self) -> None:
        self.read.close()
        super().close()

    def reviewed_documents(self) -> ReviewedDocuments:
        """The documents a person reviewed and the facts standing on them: what the drafter learns from."""
        return reviewed_documents(self.read)

    # Commands

    def ingest(self, batch: IngestBatch, *, at: datetime) -> IngestReport:
        """Record a batch of actors, sources and facts in one transaction; what is held is skipped."""
        for _attempt in range(RETRIES_ON_CONFLICT):
            try:
                with collector_paused():
                    events, report = decide_ingest(self, batch, at)
                    if events:
                        self.recorder.insert_events(EncodedEvents(events, self.mapper))
            except RecordConflictError:
                continue
            finally:
                for draft in batch.actors:
                    self._parties.pop(draft.key, None)
            if self.keep_read_models_current and events:
                self._catch_up_after_writing()
            return report
        msg = "other writers kept recording the same facts; nothing was written, try again"
        raise ParadipError(msg)

    def validate_ingest(self, batch: IngestBatch, *, at: datetime) -> IngestReport:
        """Decide a batch as an ingest would and write nothing: BatchRefused if any item is refused."""
        return decide_ingest(self, batch, at)[1]

    def check_ingest(
        self, batch: IngestBatch, *, at: datetime, as_of: date | None = None
    ) -> tuple[IngestReport, Impact]:
        """Decide a batch as an ingest at ``at`` would, write nothing, and say what it would change in the answers
        on ``as_of`` (``at``'s day by default)."""
        events, report = decide_ingest(self, batch, at)
        return report, self.impact_of(events, as_of=as_of or at.date())

    def record_facts(self, drafts: Sequence[FactDraft], *, at: datetime) -> IngestReport:
        """Record facts about known actors, cited from sources the store holds."""
        return self.ingest(IngestBatch(facts=tuple(drafts)), at=at)

    def register_actors(self, drafts: Sequence[ActorDraft], *, at: datetime) -> IngestReport:
        """Register actors, or record what is new about known ones."""
        return self.ingest(IngestBatch(actors=tuple(drafts)), at=at)

    def register_source(self, draft: SourceDraft, *, at: datetime) -> IngestReport:
        """Register a document, or store its changed text as a new version."""
        return self.ingest(IngestBatch(sources=(draft,)), at=at)

    def correct_fact(self, fact: UUID, correction: Correction, *, at: datetime) -> None:
        """Give a fact new values; the old ones stay in its history."""
        state = self.fact(fact)
        known = party_facts(self.states_of_actors(correction.parties).values())
        event = correct_fact(state, correction, known.__contains__, at=at)
        check_fact_event(event, known)
        self._save_and_catch_up(event)

    def retract_fact(
        self,
        fact: UUID,
        *,
        reason: RetractionReason,
        note: str,
        decided_by: str,
        superseded_by: UUID | None = None,
        at: datetime,
    ) -> None:
        """Withdraw a fact; it stays in the log and its history."""
        state = self.fact(fact)
        if superseded_by is not None:
            self.fact(superseded_by)
        event = retract_fact(
            state,
            reason=reason,
            note=note,
            decided_by=decided_by,
            superseded_by=superseded_by,
            at=at,
        )
        self._save_and_catch_up(event)

    def resolve_conflict(
        self,
        facts: Sequence[UUID],
        *,
        preferred: UUID,
        rule: str,
        decided_by: str,
        note: str = "",
        at: datetime,
    ) -> UUID:
        """Record which of several disagreeing facts is preferred, by what rule, decided by whom."""
        states = [self.fact(fact) for fact in facts]
        stream = resolution_id(fact.id for fact in states)
        previous = self.recorder.select_events(stream, desc=True, limit=1)
        event = resolve_conflict(
            states,
            preferred=preferred,
            rule=rule,
            decided_by=decided_by,
            note=note,
            previous_version=previous[0].originator_version if previous else 0,
            at=at,
        )
        self._save_and_catch_up(event)
        return event.originator_id

    # Write-model reads

    def fact(self, fact: UUID) -> Fact:
        """The current state of a fact, from its own stream."""
        state = self._get(fact, project_fact)
        if state is None:
            msg = f"no fact {fact}"
            raise UnknownFact(msg)
        return state

    def source(self, document: str) -> Source:
        """A source with all its versions, from its own stream."""
        state = self._get(source_id(document), project_source)
        if state is None:
            msg = f"no source {document!r}"
            raise UnknownSource(msg)
        return state

    def actor(self, key: str) -> Actor | None:
        """An actor by its stable key, from its own stream."""
        return self._get(actor_id(key), project_actor)

    def stored_events(self, after: int = 0, limit: int = 1000) -> Sequence[Any]:
        """A page of the notification log, for audits and tools."""
        return self.recorder.select_notifications(after, limit, inclusive_of_start=False)

    def head(self) -> int:
        """The position of the newest event in the log (0 when empty)."""
        return self.recorder.max_notification_id() or 0

    # Internals

    def _get(
        self, stream: UUID, projector: Callable[[State | None, Iterable[DomainEvent]], State | None]
    ) -> State | None:
        try:
            found: Any = self.repository.get(stream, projector_func=projector)  # type: ignore[type-var]
            return cast("State | None", found)
        except AggregateNotFoundError:
            return None

    def _save_and_catch_up(self, *events: DomainEvent) -> None:
        try:
            self.save(*events)
        except RecordConflictError:
            msg = "another writer changed this record at the same moment; nothing was written, try again"
            raise ParadipError(msg) from None
        if self.keep_read_models_current:
            self._catch_up_after_writing()

    def _catch_up_after_writing(self) -> None:
        try:
            self.catch_up()
        except ProjectionError as error:
            msg = f"written to the log, but a read model could not follow: {error}"
            raise ProjectionError(msg) from error

    def corpus(self) -> tuple[tuple[str, ...], int]:
        """The folders and files this store's corpus is read from, and the corpus stream's version."""
        return corpus_paths(cast("Iterable[DomainEvent]", self.events.get(CORPUS_STREAM)))

    def corpus_paths(self) -> tuple[str, ...]:
        """The folders and files a plain ingest reads besides the bundled corpus."""
        return self.corpus()[0]

    def source_state(self, document: str) -> Source | None:
        """A source with all its versions, or None if the store does not hold it."""
        return self._get(source_id(document), project_source)

    def states_of_actors(self, keys: Iterable[str]) -> dict[str, Actor]:
        """The actors the store holds among these keys, by key, in one read."""
        states = self._states([actor_id(key) for key in sorted(set(keys))], project_actor)
        return {actor.key: actor for actor in states.values()}

    def parties(self, keys: Iterable[str]) -> dict[str, PartyFacts]:
        """What validation needs of the actors the store holds among these keys. An actor's level and
        country never change and its stream is never removed, so what was read once is kept; an ingest that
        names an actor (and may change its code) drops what was kept of it."""
        wanted = set(keys)
        missing = wanted - self._parties.keys()
        if missing:
            self._parties.update(party_facts(self.states_of_actors(missing).values()))
        return {key: self._parties[key] for key in wanted if key in self._parties}

    def states_of_sources(self, documents: Iterable[str]) -> dict[str, Source]:
        """The sources the store holds among these documents, by document, in one read."""
        states = self._states([source_id(document) for document in sorted(set(documents))], project_source)
        return {source.document: source for source in states.values()}

    def states_of_facts(self, ids: Iterable[UUID]) -> list[Fact]:
        """The facts the store holds among these ids, in one read."""
        return list(self._states(list(ids), project_fact).values())

    def existing_streams(self, ids: Sequence[UUID]) -> set[UUID]:
        """Which of these stream ids already have events."""
        return self._streams.first_events_of(ids)

    @property
    def _streams(self) -> StreamQueries:
        return cast("StreamQueries", self.recorder)

    def _states(
        self, streams: Sequence[UUID], projector: Callable[[State | None, Iterable[DomainEvent]], State | None]
    ) -> dict[UUID, State]:
        """The states of many streams, read with one query per chunk of ids rather than one per stream."""
        events: dict[UUID, list[DomainEvent]] = {}
        for stored in self._streams.events_of(streams):
            event = cast("DomainEvent", self.mapper.to_domain_event(stored))
            events.setdefault(event.originator_id, []).append(event)
        states = {}
        for stream, stream_events in events.items():
            stream_events.sort(key=lambda event: event.originator_version)
            folded = projector(None, stream_events)
            if folded is not None:
                states[stream] = folded
        return states


__all__ = ["BatchRefused", "IngestBatch", "IngestReport", "Paradip"]
