"""Events of the facts stream: what a source states, and how that claim was later judged."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import attrs

from events.base import DomainEvent
from events.values import Attributes, Citation, FactKind, Modality, Period, RetractionReason, texts, uuids


@attrs.frozen(kw_only=True)
class FactRecorded(DomainEvent):
    """A source states that something happened (or is planned): who, what, when, cited to its quote.

    ``date`` is valid time (when in the world), ``published`` is when its source was published;
    ``notes`` keep how names were resolved and relative dates were read.
    """

    class_version = 2

    kind: FactKind
    modality: Modality
    parties: tuple[str, ...] = attrs.field(converter=texts)
    date: Period
    attributes: Attributes
    citation: Citation
    published: Period
    notes: tuple[str, ...] = attrs.field(converter=texts)

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        """Version 1 kept no resolution notes: an old fact had none to show."""
        state["notes"] = []


@attrs.frozen(kw_only=True)
class FactCorrected(DomainEvent):
    """A recorded fact was found wrong in some value; these are its values from now on, and why.

    The citation and publication date are carried over, so the event states the whole fact.
    """

    kind: FactKind
    modality: Modality
    parties: tuple[str, ...] = attrs.field(converter=texts)
    date: Period
    attributes: Attributes
    citation: Citation
    published: Period
    reason: str
    decided_by: str


@attrs.frozen(kw_only=True)
class FactRetracted(DomainEvent):
    """A recorded fact no longer stands: superseded by another, refuted, or a duplicate."""

    reason: RetractionReason
    note: str
    decided_by: str
    superseded_by: UUID | None


@attrs.frozen(kw_only=True)
class ConflictResolved(DomainEvent):
    """Sources disagreed about one thing; this claim is preferred over the others, by a rule and a person."""

    facts: tuple[UUID, ...] = attrs.field(converter=uuids)
    preferred: UUID
    rule: str
    decided_by: str
    note: str
