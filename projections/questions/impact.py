"""What an ingest would change, before anything is written: the facts it adds, revises or removes, the
answers that would move (a tie made or raised, a programme's status) and the conflicts it would open
with sources already held, with the side preferred and the rule that chose it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any
from uuid import UUID

import attrs
import orjson

from domain.facts import DOCUMENT_FILE
from domain.kinds import KINDS, PROGRAM_KINDS, PROGRAM_LEVELS, RELATIONSHIP_KINDS
from domain.status import Evidence, Outcome, program_outcome, relationship_outcome
from events.base import DomainEvent
from events.facts import FactCorrected, FactRecorded, FactRetracted
from events.values import FactKind
from projections.actor_index import ActorIndex
from projections.base import NEVER
from projections.facts import FactVersion
from projections.rows import pair_key, pairs
from projections.session import EvidenceSet, ReadSession

_LAST = 2**62


@attrs.frozen(kw_only=True)
class FactChange:
    """One fact an ingest would add, revise, re-locate or withdraw."""

    change: str
    fact_id: UUID
    kind: str
    date: str
    parties: tuple[str, ...]
    quote: str

    def to_json(self) -> dict[str, Any]:
        return {**attrs.asdict(self), "fact_id": str(self.fact_id), "parties": list(self.parties)}


@attrs.frozen(kw_only=True)
class AnswerChange:
    """An answer that would move: a pair's or a programme's status on the day asked, before and after."""

    subject: tuple[str, ...]
    before: str
    after: str

    def to_json(self) -> dict[str, Any]:
        return {"subject": list(self.subject), "before": self.before, "after": self.after}


@attrs.frozen(kw_only=True)
class NewConflict:
    """A disagreement the ingest would open with a source already held, and which side would be preferred."""

    subject: tuple[str, ...]
    about: str
    claims: tuple[str, ...]
    preferred: str
    rule: str
    new_side_preferred: bool

    def to_json(self) -> dict[str, Any]:
        return {**attrs.asdict(self), "subject": list(self.subject), "claims": list(self.claims)}


@attrs.frozen(kw_only=True)
class Impact:
    """What an ingest would change, as of a day."""

    as_of: date
    facts: tuple[FactChange, ...]
    answers: tuple[AnswerChange, ...]
    conflicts: tuple[NewConflict, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "facts": [change.to_json() for change in self.facts],
            "answers": [change.to_json() for change in self.answers],
            "conflicts": [conflict.to_json() for conflict in self.conflicts],
        }


def impact_of(read: ReadSession, events: Sequence[DomainEvent], *, as_of: date) -> Impact:
    """What these events would change in the answers on ``as_of`` (nothing is written)."""
    with read.reading():
        actors = read.actors()
        facts = [event for event in events if isinstance(event, FactRecorded | FactCorrected | FactRetracted)]
        held = read.versions((event.originator_id.hex for event in facts), NEVER)
        changes = [_change(event, held, actors) for event in facts]
        new_items = {
            event.originator_id: _evidence(event) for event in facts if isinstance(event, FactRecorded | FactCorrected)
        }
        gone = {event.originator_id for event in facts}
        relationships, programs = _subjects(facts, held, actors)
        answers: list[AnswerChange] = []
        conflicts: list[NewConflict] = []
        if relationships:
            found = read.evidence("relationships", sorted(relationships), NEVER)
            for subject, (first, second) in sorted(relationships.items()):
                after_items = _after(found, subject, gone, new_items, frozenset((first, second)))
                exists_from = actors.exists_from(first, second)
                resolutions = read.resolutions((item.fact_id for item in after_items), NEVER)
                before = relationship_outcome(
                    found.by_subject.get(subject, []),
                    as_of=as_of,
                    known_at=None,
                    resolutions=resolutions,
                    exists_from=exists_from,
                )
                after = relationship_outcome(
                    after_items, as_of=as_of, known_at=None, resolutions=resolutions, exists_from=exists_from
                )
                codes = (actors.code(first), actors.code(second))
                _compare(codes, before, after, answers=answers, conflicts=conflicts, new_items=new_items, found=found)
        if programs:
            found = read.evidence("programs", sorted(programs), NEVER)
            for key in sorted(programs):
                after_items = _after(found, key, gone, new_items, frozenset((key,)))
                resolutions = read.resolutions((item.fact_id for item in after_items), NEVER)
                before_p = program_outcome(
                    found.by_subject.get(key, []), as_of=as_of, known_at=None, resolutions=resolutions
                )
                after_p = program_outcome(after_items, as_of=as_of, known_at=None, resolutions=resolutions)
                _compare(
                    (actors.code(key),),
                    before_p,
                    after_p,
                    answers=answers,
                    conflicts=conflicts,
                    new_items=new_items,
                    found=found,
                )
        return Impact(as_of=as_of, facts=tuple(changes), answers=tuple(answers), conflicts=tuple(conflicts))


def _evidence(event: FactRecorded | FactCorrected) -> tuple[Evidence, frozenset[str]]:
    """A fact event as the evidence it would become, with its parties."""
    return Evidence.of_fact(event, _LAST), frozenset(event.parties)


def _after(
    found: EvidenceSet,
    subject: str,
    gone: set[UUID],
    new_items: dict[UUID, tuple[Evidence, frozenset[str]]],
    required: frozenset[str],
) -> list[Evidence]:
    """The subject's evidence once the events are written: held facts they change are replaced."""
    kept = [item for item in found.by_subject.get(subject, []) if item.fact_id not in gone]
    return kept + [item for item, parties in new_items.values() if required <= parties]


def _subjects(
    facts: Iterable[FactRecorded | FactCorrected | FactRetracted], held: dict[str, FactVersion], actors: ActorIndex
) -> tuple[dict[str, tuple[str, str]], set[str]]:
    """The pairs of governments abroad and the programmes whose answers these facts may move."""
    relationships: dict[str, tuple[str, str]] = {}
    programs: set[str] = set()
    for event in facts:
        values: list[tuple[Any, Iterable[str]]] = []
        if isinstance(event, FactRecorded | FactCorrected):
            values.append((event.kind, event.parties))
        version = held.get(event.originator_id.hex)
        if version is not None:
            values.append((version.kind, orjson.loads(version.parties)))
        for kind, parties in values:
            if kind in RELATIONSHIP_KINDS:
                for first, second in pairs(list(parties)):
                    if actors.abroad_and_tie_keeping(first, second) and not (
                        actors.is_body(first) or actors.is_body(second)
                    ):
                        relationships[pair_key(first, second)] = (first, second)
            if kind in PROGRAM_KINDS:
                programs.update(party for party in parties if actors.level(party) in PROGRAM_LEVELS)
    return relationships, programs


def _compare(
    subject: tuple[str, ...],
    before: Outcome[Any],
    after: Outcome[Any],
    *,
    answers: list[AnswerChange],
    conflicts: list[NewConflict],
    new_items: dict[UUID, tuple[Evidence, frozenset[str]]],
    found: EvidenceSet,
) -> None:
    if (before.status, before.certainty, before.since) != (after.status, after.certainty, after.since):
        answers.append(AnswerChange(subject=subject, before=_shown(before), after=_shown(after)))
    known = {(conflict.subject, conflict.claims) for conflict in before.conflicts}
    for conflict in after.conflicts:
        if (conflict.subject, conflict.claims) in known or not any(claim in new_items for claim in conflict.claims):
            continue
        conflicts.append(
            NewConflict(
                subject=subject,
                about=conflict.subject,
                claims=tuple(_claim(claim, new_items, found) for claim in conflict.claims),
                preferred=_claim(conflict.preferred, new_items, found),
                rule=conflict.rule,
                new_side_preferred=conflict.preferred in new_items,
            )
        )


def _shown(outcome: Outcome[Any]) -> str:
    since = f" since {outcome.since}" if outcome.since else ""
    return f"{outcome.status} ({outcome.certainty}){since}"


def _claim(fact_id: UUID, new_items: dict[UUID, tuple[Evidence, frozenset[str]]], found: EvidenceSet) -> str:
    """A claim in a few words: its date and level, and whether the ingest brings it or the store holds it."""
    if fact_id in new_items:
        item, _parties = new_items[fact_id]
        return f"{item.edtf} {item.level or ''} (new, {str(fact_id)[:8]})".replace("  ", " ")
    version = found.versions.get(fact_id.hex)
    if version is None:
        return str(fact_id)[:8]
    level = orjson.loads(version.attributes).get("level") or ""
    return f"{version.edtf} {level} (held, from {version.document}, {str(fact_id)[:8]})".replace("  ", " ")


def _change(
    event: FactRecorded | FactCorrected | FactRetracted, held: dict[str, FactVersion], actors: ActorIndex
) -> FactChange:
    version = held.get(event.originator_id.hex)
    if isinstance(event, FactRecorded):
        change = "new"
    elif isinstance(event, FactRetracted):
        change = "withdrawn" if event.decided_by == DOCUMENT_FILE else "retracted"
    else:
        change = "revised" if event.decided_by == DOCUMENT_FILE else "re-located"
    if isinstance(event, FactRetracted):
        kind, when, parties, quote = (
            (version.kind, version.edtf, tuple(orjson.loads(version.parties)), version.quote)
            if version
            else ("", "", (), "")
        )
    else:
        kind, when, parties, quote = str(event.kind), event.date.edtf, event.parties, event.citation.quote
    return FactChange(
        change=change,
        fact_id=event.originator_id,
        kind=KINDS[FactKind(kind)].phrase if kind else "",
        date=when,
        parties=tuple(actors.code(party) for party in parties),
        quote=quote,
    )


__all__ = ["AnswerChange", "FactChange", "Impact", "NewConflict", "impact_of"]
