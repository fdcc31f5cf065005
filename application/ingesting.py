"""Deciding an ingest: which events a batch of actors, sources and facts makes, checked against the
registry and reconciled with what the store holds of each document file. Nothing here writes."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

import attrs

from domain.actors import Actor, register_actor
from domain.batch import IngestBatch
from domain.corpus import add_paths
from domain.errors import ParadipError
from domain.facts import Fact, FactDraft, record_fact
from domain.reconciliation import Reconciliation, reconcile
from domain.sources import Source, register_source
from domain.sources import mutate as mutate_source
from domain.validation import PartyFacts, check_fact, parties_of
from events.base import DomainEvent
from events.facts import FactCorrected, FactRecorded
from events.sources import SourceRegistered, SourceRevised
from events.values import InvalidValue
from projections.questions import Questions


@attrs.frozen(kw_only=True)
class IngestReport:
    """What an ingest wrote (or, when checked, would write), and what the store already held."""

    actors_registered: int
    actors_updated: int
    sources_registered: int
    sources_revised: int
    facts_recorded: int
    facts_already_held: int
    events_written: int
    facts_corrected: int = 0
    facts_relocated: int = 0
    facts_withdrawn: int = 0
    facts_kept_retracted: int = 0

    @property
    def wrote_nothing(self) -> bool:
        return self.events_written == 0

    def to_json(self) -> dict[str, Any]:
        return attrs.asdict(self)


REFUSALS = (ParadipError, InvalidValue)


class BatchRefused(ParadipError):
    """One item of a batch was refused, so nothing of the batch was written."""

    def __init__(self, origin: str, error: Exception) -> None:
        self.origin = origin
        self.error = error
        super().__init__(f"{origin}: {error}" if origin else str(error))


class WriteSide(Protocol):
    """What deciding an ingest reads of the store: streams' states, and which facts cite a document."""

    def parties(self, keys: Iterable[str]) -> dict[str, PartyFacts]: ...
    def states_of_actors(self, keys: Iterable[str]) -> dict[str, Actor]: ...
    def states_of_sources(self, documents: Iterable[str]) -> dict[str, Source]: ...
    def states_of_facts(self, ids: Iterable[UUID]) -> list[Fact]: ...
    def existing_streams(self, ids: Sequence[UUID]) -> set[UUID]: ...
    @property
    def questions(self) -> Questions: ...
    def corpus(self) -> tuple[tuple[str, ...], int]: ...


def party_facts(actors: Iterable[Actor]) -> dict[str, PartyFacts]:
    """What validation needs of each actor."""
    return {
        actor.key: PartyFacts(key=actor.key, code=actor.code, level=actor.level, country=actor.country)
        for actor in actors
    }


def decide_ingest(store: WriteSide, batch: IngestBatch, at: datetime) -> tuple[list[DomainEvent], IngestReport]:
    """The events a batch makes, all checked; BatchRefused names the first item refused and why."""
    events: list[DomainEvent] = []
    actors_registered = actors_updated = 0
    held_actors = store.states_of_actors(draft.key for draft in batch.actors)
    for draft in batch.actors:
        with refused_as(draft.origin):
            existing = held_actors.get(draft.key)
            decided = register_actor(draft, existing, at=at)
        if decided:
            actors_registered += existing is None
            actors_updated += existing is not None
        events.extend(decided)

    sources: dict[str, Source] = {}
    sources_registered = sources_revised = 0
    held_sources = store.states_of_sources(draft.document for draft in batch.sources)
    for source_draft in batch.sources:
        existing_source = sources.get(source_draft.document) or held_sources.get(source_draft.document)
        with refused_as(source_draft.origin):
            decided_source = register_source(source_draft, existing_source, at=at)
        if decided_source is not None:
            events.append(decided_source)
            sources_registered += isinstance(decided_source, SourceRegistered)
            sources_revised += isinstance(decided_source, SourceRevised)
            sources[source_draft.document] = mutate_source(existing_source, decided_source)
        elif existing_source is not None:
            sources[source_draft.document] = existing_source

    known = {
        draft.key: PartyFacts(key=draft.key, code=draft.code, level=draft.level, country=draft.country)
        for draft in batch.actors
    }
    party_keys = {party for fact in batch.facts for party in fact.parties} - known.keys()
    known.update(store.parties(party_keys))
    cited = {fact.document for fact in batch.facts} - sources.keys()
    sources.update(store.states_of_sources(cited))

    reconciled = _reconciled(store, batch, sources, at)
    to_record = [draft for draft in batch.facts if draft.document not in reconciled] + [
        draft for found in reconciled.values() for draft in found.to_record
    ]
    origins = {draft.document: draft.origin for draft in batch.sources}
    for document, found in reconciled.items():
        for corrected in found.corrected:
            with refused_as(origins[document]):
                check_fact_event(corrected, known)
        events.extend([*found.corrected, *found.relocated, *found.withdrawn])

    recorded: dict[UUID, FactRecorded] = {}
    for fact_draft in to_record:
        try:
            event = _record(fact_draft, sources, known, at)
        except REFUSALS as error:
            raise BatchRefused(fact_draft.origin, error) from None
        recorded.setdefault(event.originator_id, event)
    held_facts = store.existing_streams(list(recorded))
    new_facts = [event for fact, event in recorded.items() if fact not in held_facts]
    events.extend(new_facts)
    if batch.paths:
        events.extend(add_paths(*store.corpus(), batch.paths, at=at))
    report = IngestReport(
        actors_registered=actors_registered,
        actors_updated=actors_updated,
        sources_registered=sources_registered,
        sources_revised=sources_revised,
        facts_recorded=len(new_facts),
        facts_already_held=len(to_record) - len(new_facts) + sum(found.unchanged for found in reconciled.values()),
        events_written=len(events),
        facts_corrected=sum(len(found.corrected) for found in reconciled.values()),
        facts_relocated=sum(len(found.relocated) for found in reconciled.values()),
        facts_withdrawn=sum(len(found.withdrawn) for found in reconciled.values()),
        facts_kept_retracted=sum(found.kept_retracted for found in reconciled.values()),
    )
    return events, report


def _reconciled(
    store: WriteSide, batch: IngestBatch, sources: dict[str, Source], at: datetime
) -> dict[str, Reconciliation]:
    """For each document file of a reconciling batch that the store already holds facts of, what changes."""
    if not batch.reconcile:
        return {}
    found: dict[str, Reconciliation] = {}
    for source_draft in batch.sources:
        held_ids = store.questions.document_facts(source_draft.document)
        if not held_ids:
            continue
        drafts = [draft for draft in batch.facts if draft.document == source_draft.document]
        held = store.states_of_facts(held_ids)
        source = sources[source_draft.document]
        with refused_as(source_draft.origin):
            found[source_draft.document] = reconcile(
                drafts, held, source, file=source_draft.origin or source.document, at=at
            )
    return found


def _record(draft: FactDraft, sources: dict[str, Source], known: dict[str, PartyFacts], at: datetime) -> FactRecorded:
    source = sources.get(draft.document)
    if source is None:
        msg = f"no source {draft.document!r}: ingest its document first"
        raise ParadipError(msg)
    event = record_fact(draft, source, known.__contains__, at=at)
    check_fact_event(event, known)
    return event


def check_fact_event(event: FactRecorded | FactCorrected, known: dict[str, PartyFacts]) -> None:
    """A fact event checked against the kinds registry, with the facts known of its parties."""
    check_fact(
        kind=event.kind,
        modality=event.modality,
        parties=parties_of(event.parties, known),
        date=event.date,
        attributes=event.attributes,
        published=event.published,
    )


@contextmanager
def refused_as(origin: str) -> Iterator[None]:
    """A domain refusal inside the block becomes BatchRefused naming the item (its file and number)."""
    try:
        yield
    except REFUSALS as error:
        raise BatchRefused(origin, error) from None
