"""What one ingest is handed: the drafts of actors, sources and facts to record together."""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from domain.actors import ActorDraft
from domain.facts import FactDraft
from domain.sources import SourceDraft
from events.values import texts


def _actor_drafts(value: Iterable[ActorDraft]) -> tuple[ActorDraft, ...]:
    return tuple(value)


def _source_drafts(value: Iterable[SourceDraft]) -> tuple[SourceDraft, ...]:
    return tuple(value)


def _fact_drafts(value: Iterable[FactDraft]) -> tuple[FactDraft, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class IngestBatch:
    """Actors, sources and facts to record together, all or nothing.

    With ``reconcile``, each source's facts in the batch are everything its document file states:
    what the store holds of that document is reconciled with them (corrected, re-located, withdrawn).
    ``paths`` are the folders and files the batch was read from, remembered in the store's corpus.
    """

    actors: tuple[ActorDraft, ...] = attrs.field(converter=_actor_drafts, factory=tuple)
    sources: tuple[SourceDraft, ...] = attrs.field(converter=_source_drafts, factory=tuple)
    facts: tuple[FactDraft, ...] = attrs.field(converter=_fact_drafts, factory=tuple)
    reconcile: bool = False
    paths: tuple[str, ...] = attrs.field(converter=texts, factory=tuple)
