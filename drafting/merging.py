"""Triggers and candidates that say one thing twice: a weaker trigger in an event's clause set aside, and a
candidate stating a fact already proposed merged into it."""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from drafting.kinds import STATED_ONCE
from drafting.model import Candidate
from drafting.triggers import SentenceContext, Trigger
from events.values import FactKind, Period


def suppress(triggers: list[Trigger], context: SentenceContext) -> list[Trigger]:
    """The triggers of a sentence without those another one covers (a figure in a visit's clause, a repeat)."""
    events = {
        FactKind.MEETING,
        FactKind.VISIT,
        FactKind.CONFERENCE_HELD,
        FactKind.AGREEMENT_SIGNED,
        FactKind.INVITATION,
    }
    event_clauses = {context.clause_of(t.span.start) for t in triggers if t.kind in events}
    kept: list[Trigger] = []
    for trigger in triggers:
        clause = context.clause_of(trigger.span.start)
        if trigger.kind == FactKind.STATISTIC and clause in event_clauses:
            continue
        if trigger.kind == FactKind.EXCHANGE and any(
            t.kind == FactKind.VISIT and t.span.overlaps(trigger.span) for t in triggers
        ):
            continue
        same = [
            other
            for other in kept
            if other.kind == trigger.kind
            and context.clause_of(other.span.start) == clause
            and trigger.kind in (FactKind.STATEMENT, FactKind.INVITATION)
        ]
        if same:
            continue
        kept.append(trigger)
    return kept


def _compatible(a: Period, b: Period) -> bool:
    return a.lower <= b.upper and b.lower <= a.upper


def merged(candidates: Sequence[Candidate]) -> list[Candidate]:
    """Candidates stating a fact already proposed (same kind, modality, parties and a compatible date) are merged."""
    kept: list[Candidate] = []
    for candidate in candidates:
        twin = next(
            (
                index
                for index, other in enumerate(kept)
                if candidate.kind in STATED_ONCE
                and other.kind == candidate.kind
                and other.modality == candidate.modality
                and set(other.parties) == set(candidate.parties)
                and _compatible(other.period, candidate.period)
                and (candidate.kind != FactKind.OFFICE_HELD or other.attributes == candidate.attributes)
            ),
            None,
        )
        if twin is None:
            kept.append(candidate)
            continue
        other = kept[twin]
        narrower = (candidate.period.upper - candidate.period.lower) < (other.period.upper - other.period.lower)
        written = (
            "anniversary" in other.date_note
            and candidate.date_note.startswith("Read")
            and ("anniversary" not in candidate.date_note)
        )
        if (narrower and candidate.date_note.startswith(("Read", "The start"))) or written:
            kept[twin] = attrs.evolve(candidate, notes=(*candidate.notes, f"also stated at {other.quote.start}"))
        else:
            kept[twin] = attrs.evolve(other, notes=(*other.notes, f"also stated at {candidate.quote.start}"))
    return kept
