"""The application object: the one door between the outside (CLI, tests, scripts) and the domain."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any, TypeVar, cast
from uuid import UUID

import attrs
from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import Mapper, RecordConflictError

from domain.actors import Actor, ActorDraft, project_actor, register_actor
from domain.errors import InvalidInput, ParadipError, UnknownFact, UnknownSource
from domain.facts import (
    Correction,
    Fact,
    FactDraft,
    correct_fact,
    project_fact,
    record_fact,
    resolve_conflict,
    retract_fact,
)
from domain.ids import actor_id, resolution_id, source_id
from domain.sources import Source, SourceDraft, project_source, register_source
from domain.sources import mutate as mutate_source
from events.base import DomainEvent
from events.facts import FactRecorded
from events.sources import SourceRegistered, SourceRevised
from events.values import InvalidValue, RetractionReason
from infrastructure.bulk import collector_paused
from infrastructure.codec import EncodedEvents
from infrastructure.store import APPLICATION_NAME, StoreLocation
from infrastructure.streams import StreamQueries
from projections.questions.actors import ActorQuestions
from projections.questions.audit import AuditQuestions
from projections.questions.maintenance import ProjectionQuestions
from projections.questions.programmes import ProgrammeQuestions
from projections.questions.provenance import ProvenanceQuestions
from projections.questions.relationships import RelationshipQuestions
from projections.questions.sources import SourceQuestions
from projections.questions.timeline import TimelineQuestions
from projections.session import ReadSession

State = TypeVar("State")
RETRIES_ON_CONFLICT = 8


def _actor_drafts(value: Iterable[ActorDraft]) -> tuple[ActorDraft, ...]:
    return tuple(value)


def _source_drafts(value: Iterable[SourceDraft]) -> tuple[SourceDraft, ...]:
    return tuple(value)


def _fact_drafts(value: Iterable[FactDraft]) -> tuple[FactDraft, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class IngestBatch:
    """Actors, sources and facts to record together, all or nothing."""

    actors: tuple[ActorDraft, ...] = attrs.field(converter=_actor_drafts, factory=tuple)
    sources: tuple[SourceDraft, ...] = attrs.field(converter=_source_drafts, factory=tuple)
    facts: tuple[FactDraft, ...] = attrs.field(converter=_fact_drafts, factory=tuple)


@attrs.frozen(kw_only=True)
class IngestReport:
    """What an ingest wrote, and what the store already held."""

    actors_registered: int
    actors_updated: int
    sources_registered: int
    sources_revised: int
    facts_recorded: int
    facts_already_held: int
    events_written: int

    @property
    def wrote_nothing(self) -> bool:
        return self.events_written == 0


class BatchRefused(ParadipError):
    """One item of a batch was refused, so nothing of the batch was written."""

    def __init__(self, origin: str, error: Exception) -> None:
        self.origin = origin
        self.error = error
        super().__init__(f"{origin}: {error}" if origin else str(error))


class Paradip(
    Application[UUID],
    RelationshipQuestions,
    ProgrammeQuestions,
    TimelineQuestions,
    ProvenanceQuestions,
    ActorQuestions,
    SourceQuestions,
    AuditQuestions,
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
        self._registered_actors: set[UUID] = set()  # streams are never removed, so once seen, always there
        super().__init__(env=location.application_env())

    def construct_mapper(self) -> Mapper[UUID]:
        return self._mapper

    def close(self) -> None:
        self.read.close()
        super().close()

    # Commands

    def ingest(self, batch: IngestBatch, *, at: datetime) -> IngestReport:
        """Record a batch of actors, sources and facts in one transaction; what is held is skipped."""
        for _attempt in range(RETRIES_ON_CONFLICT):
            try:
                with collector_paused():
                    events, report = self._decide_ingest(batch, at)
                    if events:
                        self.recorder.insert_events(EncodedEvents(events, self.mapper))
            except RecordConflictError:
                continue
            if self.keep_read_models_current and events:
                self.catch_up()
            return report
        msg = "other writers kept recording the same facts; nothing was written, try again"
        raise ParadipError(msg)

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
        event = correct_fact(state, correction, self._actor_checker(correction.parties), at=at)
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
            self.catch_up()

    def _actor_checker(self, keys: Iterable[str]) -> Callable[[str], bool]:
        known = self.existing_streams([actor_id(key) for key in keys])
        return lambda key: actor_id(key) in known

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

    def _decide_ingest(self, batch: IngestBatch, at: datetime) -> tuple[list[DomainEvent], IngestReport]:
        events: list[DomainEvent] = []
        actors_registered = actors_updated = 0
        pending_actor_keys: set[str] = set()
        for draft in batch.actors:
            try:
                existing = self.actor(draft.key)
                decided = register_actor(draft, existing, at=at)
            except (ParadipError, InvalidValue) as error:
                raise BatchRefused(_origin(draft), error) from None
            if decided:
                actors_registered += existing is None
                actors_updated += existing is not None
            events.extend(decided)
            pending_actor_keys.add(draft.key)

        sources: dict[str, Source] = {}
        sources_registered = sources_revised = 0
        for source_draft in batch.sources:
            try:
                existing_source = sources.get(source_draft.document) or self._get(
                    source_id(source_draft.document), project_source
                )
                decided_source = register_source(source_draft, existing_source, at=at)
            except (ParadipError, InvalidValue) as error:
                raise BatchRefused(_origin(source_draft), error) from None
            if decided_source is not None:
                events.append(decided_source)
                sources_registered += isinstance(decided_source, SourceRegistered)
                sources_revised += isinstance(decided_source, SourceRevised)
                sources[source_draft.document] = mutate_source(existing_source, decided_source)
            elif existing_source is not None:
                sources[source_draft.document] = existing_source

        party_keys = {party for fact in batch.facts for party in fact.parties} - pending_actor_keys
        party_streams = {key: actor_id(key) for key in sorted(party_keys)}
        unseen = [stream for stream in party_streams.values() if stream not in self._registered_actors]
        self._registered_actors.update(self.existing_streams(unseen))
        known_keys = pending_actor_keys | {
            key for key, stream in party_streams.items() if stream in self._registered_actors
        }

        cited_documents = {fact.document for fact in batch.facts} - sources.keys()
        cited = {document: source_id(document) for document in sorted(cited_documents)}
        held_sources = self._states(list(cited.values()), project_source)
        sources.update((document, held_sources[stream]) for document, stream in cited.items() if stream in held_sources)

        recorded: dict[UUID, FactRecorded] = {}
        for fact_draft in batch.facts:
            try:
                source = sources.get(fact_draft.document)
                if source is None:
                    source = self.source(fact_draft.document)
                    sources[fact_draft.document] = source
                event = record_fact(fact_draft, source, known_keys.__contains__, at=at)
            except (ParadipError, InvalidValue) as error:
                raise BatchRefused(_origin(fact_draft), error) from None
            recorded.setdefault(event.originator_id, event)
        held_facts = self.existing_streams(list(recorded))
        new_facts = [event for fact, event in recorded.items() if fact not in held_facts]
        events.extend(new_facts)
        report = IngestReport(
            actors_registered=actors_registered,
            actors_updated=actors_updated,
            sources_registered=sources_registered,
            sources_revised=sources_revised,
            facts_recorded=len(new_facts),
            facts_already_held=len(batch.facts) - len(new_facts),
            events_written=len(events),
        )
        return events, report


def _origin(draft: Any) -> str:
    return str(getattr(draft, "origin", "") or "")


__all__ = ["BatchRefused", "IngestBatch", "IngestReport", "InvalidInput", "Paradip"]
