"""Facts: what a source states, cited to its quote, and the corrections and retractions that follow."""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from uuid import UUID

import attrs

from domain.errors import FactAlreadyRetracted, InvalidInput, UnknownActor
from domain.fold import Fold
from domain.ids import fact_id, resolution_id
from domain.sources import Source
from events.facts import ConflictResolved, FactCorrected, FactRecorded, FactRetracted
from events.values import Attributes, Citation, FactKind, Modality, Period, RetractionReason, texts


class FactStatus(enum.StrEnum):
    """Whether a fact stands as recorded, stands with corrected values, or no longer stands."""

    CURRENT = "current"
    CORRECTED = "corrected"
    RETRACTED = "retracted"


def _parties(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(value)))


@attrs.frozen(kw_only=True)
class FactDraft:
    """A fact as offered for recording: parties already resolved to actor keys, quote not yet placed."""

    kind: FactKind
    modality: Modality
    parties: tuple[str, ...] = attrs.field(converter=_parties)
    date: Period
    attributes: Attributes = attrs.field(factory=Attributes)
    document: str
    quote: str
    start: int | None = None
    notes: tuple[str, ...] = attrs.field(converter=texts, factory=tuple)
    origin: str = attrs.field(default="", eq=False)


@attrs.frozen(kw_only=True)
class Correction:
    """New values for a recorded fact and the reason they replace the old ones."""

    kind: FactKind
    modality: Modality
    parties: tuple[str, ...] = attrs.field(converter=_parties)
    date: Period
    attributes: Attributes
    reason: str
    decided_by: str

    @classmethod
    def stating(cls, values: FactDraft | Fact, *, reason: str, decided_by: str) -> Correction:
        """A correction to the kind, modality, parties, date and attributes that ``values`` holds."""
        return cls(
            kind=values.kind,
            modality=values.modality,
            parties=values.parties,
            date=values.date,
            attributes=values.attributes,
            reason=reason,
            decided_by=decided_by,
        )


DOCUMENT_FILE = "paradip ingest (the document file)"


@attrs.frozen(kw_only=True)
class Statement:
    """A fact's values as its document file last stated them (a person's corrections aside)."""

    kind: FactKind
    modality: Modality
    parties: tuple[str, ...]
    date: str
    attributes: Attributes

    @classmethod
    def of(cls, values: FactDraft | Fact | FactRecorded) -> Statement:
        """The kind, modality, parties, date and attributes that ``values`` holds, as a statement."""
        return cls(
            kind=values.kind,
            modality=values.modality,
            parties=values.parties,
            date=values.date.edtf,
            attributes=values.attributes,
        )


@attrs.frozen(kw_only=True)
class Fact:
    """What the store holds of one fact now, and what its document file last stated."""

    id: UUID
    version: int
    kind: FactKind
    modality: Modality
    parties: tuple[str, ...]
    date: Period
    attributes: Attributes
    citation: Citation
    published: Period
    notes: tuple[str, ...]
    status: FactStatus
    stated: Statement


fact_fold: Fold[Fact] = Fold("a fact")
mutate = fact_fold.mutate


@fact_fold.applies
def _(event: FactRecorded, state: Fact | None) -> Fact:
    return Fact(
        id=event.originator_id,
        version=event.originator_version,
        kind=event.kind,
        modality=event.modality,
        parties=event.parties,
        date=event.date,
        attributes=event.attributes,
        citation=event.citation,
        published=event.published,
        notes=event.notes,
        status=FactStatus.CURRENT,
        stated=Statement.of(event),
    )


@fact_fold.applies
def _(event: FactCorrected, state: Fact | None) -> Fact:
    if state is None:
        msg = "a correction before the fact was recorded"
        raise TypeError(msg)
    corrected = attrs.evolve(
        state,
        version=event.originator_version,
        kind=event.kind,
        modality=event.modality,
        parties=event.parties,
        date=event.date,
        attributes=event.attributes,
        citation=event.citation,
        status=FactStatus.CORRECTED,
    )
    return attrs.evolve(corrected, stated=Statement.of(corrected)) if event.decided_by == DOCUMENT_FILE else corrected


@fact_fold.applies
def _(event: FactRetracted, state: Fact | None) -> Fact:
    if state is None:
        msg = "a retraction before the fact was recorded"
        raise TypeError(msg)
    return attrs.evolve(state, version=event.originator_version, status=FactStatus.RETRACTED)


project_fact = fact_fold.project


def record_fact(
    draft: FactDraft, source: Source, is_known_actor: Callable[[str], bool], *, at: datetime
) -> FactRecorded:
    """Record what a source states, refusing unknown parties and quotes not in the source."""
    if not draft.parties:
        msg = f"a {draft.kind} fact needs at least one party"
        raise InvalidInput(msg)
    for party in draft.parties:
        if not is_known_actor(party):
            raise UnknownActor(party)
    citation = source.cite(draft.quote, start=draft.start)
    return FactRecorded(
        originator_id=fact_id(
            sha256=citation.sha256,
            start=citation.start,
            end=citation.end,
            kind=draft.kind,
            modality=draft.modality,
            parties=draft.parties,
            date=draft.date,
            attributes=draft.attributes,
        ),
        originator_version=1,
        timestamp=at,
        kind=draft.kind,
        modality=draft.modality,
        parties=draft.parties,
        date=draft.date,
        attributes=draft.attributes,
        citation=citation,
        published=source.published,
        notes=draft.notes,
    )


def correct_fact(
    fact: Fact, correction: Correction, is_known_actor: Callable[[str], bool], *, at: datetime
) -> FactCorrected:
    """Give a recorded fact new values, keeping the old ones in its history."""
    _refuse_retracted(fact, "corrected")
    for party in correction.parties:
        if not is_known_actor(party):
            raise UnknownActor(party)
    if not correction.reason.strip():
        msg = f"a correction of fact {fact.id} needs a reason"
        raise InvalidInput(msg)
    unchanged = (fact.kind, fact.modality, fact.parties, fact.date.edtf, fact.attributes) == (
        correction.kind,
        correction.modality,
        correction.parties,
        correction.date.edtf,
        correction.attributes,
    )
    if unchanged:
        msg = f"the correction of fact {fact.id} changes nothing"
        raise InvalidInput(msg)
    return corrected(fact, correction, citation=fact.citation, published=fact.published, at=at)


def corrected(
    fact: Fact, correction: Correction, *, citation: Citation, published: Period, at: datetime
) -> FactCorrected:
    """The event giving a fact the correction's values, cited to ``citation`` (its own, or re-located)."""
    return FactCorrected(
        originator_id=fact.id,
        originator_version=fact.version + 1,
        timestamp=at,
        kind=correction.kind,
        modality=correction.modality,
        parties=correction.parties,
        date=correction.date,
        attributes=correction.attributes,
        citation=citation,
        published=published,
        reason=correction.reason,
        decided_by=correction.decided_by,
    )


def retract_fact(
    fact: Fact,
    *,
    reason: RetractionReason,
    note: str,
    decided_by: str,
    superseded_by: UUID | None,
    at: datetime,
) -> FactRetracted:
    """Withdraw a fact: it stays in the log and in history, but no longer counts."""
    _refuse_retracted(fact, "retracted again")
    if reason is RetractionReason.SUPERSEDED and superseded_by is None:
        msg = f"fact {fact.id} is retracted as superseded: name the fact that supersedes it"
        raise InvalidInput(msg)
    if superseded_by == fact.id:
        msg = f"fact {fact.id} cannot supersede itself"
        raise InvalidInput(msg)
    return FactRetracted(
        originator_id=fact.id,
        originator_version=fact.version + 1,
        timestamp=at,
        reason=reason,
        note=note,
        decided_by=decided_by,
        superseded_by=superseded_by,
    )


def resolve_conflict(
    facts: Sequence[Fact],
    *,
    preferred: UUID,
    rule: str,
    decided_by: str,
    note: str,
    previous_version: int,
    at: datetime,
) -> ConflictResolved:
    """Record which of several disagreeing claims is preferred, by what rule and whose decision."""
    ids = tuple(sorted({fact.id for fact in facts}, key=str))
    if len(ids) < 2:
        msg = "a conflict needs at least two facts"
        raise InvalidInput(msg)
    if preferred not in ids:
        msg = f"the preferred fact {preferred} is not among the conflicting facts"
        raise InvalidInput(msg)
    for fact in facts:
        _refuse_retracted(fact, "part of a resolution")
    if not rule.strip() or not decided_by.strip():
        msg = "a resolution needs its rule and who decided it"
        raise InvalidInput(msg)
    return ConflictResolved(
        originator_id=resolution_id(ids),
        originator_version=previous_version + 1,
        timestamp=at,
        facts=ids,
        preferred=preferred,
        rule=rule,
        decided_by=decided_by,
        note=note,
    )


def _refuse_retracted(fact: Fact, action: str) -> None:
    if fact.status is FactStatus.RETRACTED:
        msg = f"fact {fact.id} was retracted and cannot be {action}"
        raise FactAlreadyRetracted(msg)
