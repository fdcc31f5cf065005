"""Status over valid time: the relationship and programme state machines, with honest certainty.

A fact counts *definitely* by a day D when every day its date allows is on or before D, and
*possibly* when only some are (a tie made "in 1993", asked about on 15 June 1993): that rule is
``visibility``, stated once. The status is folded twice, from the definite facts alone and from all
facts that may have happened by D: when the two agree the answer is definite, otherwise it is the
status the possible facts lead to, marked possible. The same holds for publication time when an
observer's date is given. How each kind moves a machine is the kinds registry's ``move``.

Where claims disagree about one thing, one is preferred (by a recorded resolution, else by the
more precise date, else the more recent source, else the first recorded) and the others are
shown as a conflict but not folded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Generic, TypeVar
from uuid import UUID

import attrs

from domain.kinds import KINDS, PROGRAM_KINDS, RELATIONSHIP_KINDS, Move
from domain.vocabulary import Certainty, ProgramStatus, RelationshipStatus, tie_status
from events.facts import FactCorrected, FactRecorded
from events.values import FactKind, Modality, Unit, precision_of

S = TypeVar("S")


@attrs.frozen(kw_only=True)
class Evidence:
    """What a state machine needs of one fact: its kind, level and the three times that filter it."""

    fact_id: UUID
    position: int
    kind: FactKind
    modality: Modality
    level: str | None
    edtf: str
    valid_lo: date
    valid_hi: date
    published_lo: date
    published_hi: date

    @classmethod
    def of_fact(cls, event: FactRecorded | FactCorrected, position: int) -> Evidence:
        """A fact as recorded (or as corrected) at a position of the log, as the state machines read it."""
        level = event.attributes.get("level")
        return cls(
            fact_id=event.originator_id,
            position=position,
            kind=event.kind,
            modality=event.modality,
            level=level if isinstance(level, str) else None,
            edtf=event.date.edtf,
            valid_lo=event.date.lower,
            valid_hi=event.date.upper,
            published_lo=event.published.lower,
            published_hi=event.published.upper,
        )


@attrs.frozen(kw_only=True)
class Resolution:
    """A recorded decision that one of several facts is preferred."""

    facts: frozenset[UUID]
    preferred: UUID
    rule: str
    decided_by: str


@attrs.frozen(kw_only=True)
class ConflictOutcome:
    """Claims found to disagree, and the one preferred."""

    subject: str
    claims: tuple[UUID, ...]
    preferred: UUID
    rule: str
    decided_by: str | None


@attrs.frozen(kw_only=True)
class Outcome(Generic[S]):
    """A status on a date, how sure it is, since when, and the conflicts met on the way."""

    status: S
    certainty: Certainty
    since: str | None
    counted: tuple[UUID, ...]
    conflicts: tuple[ConflictOutcome, ...]


def visibility(lo: date, hi: date, day: date | None) -> bool | None:
    """True if a period is certainly over by ``day``, False if it may be, None if it cannot be."""
    if day is None or hi <= day:
        return True
    if lo <= day:
        return False
    return None


@attrs.frozen(kw_only=True)
class _Visible:
    evidence: Evidence
    definite: bool


def relationship_outcome(
    evidence: Iterable[Evidence],
    *,
    as_of: date,
    known_at: date | None,
    resolutions: Sequence[Resolution] = (),
    exists_from: date | None = None,
) -> Outcome[RelationshipStatus]:
    """Where a relationship stood on ``as_of``, from what sources published by ``known_at`` say.

    ``unknown`` when no fact in view (of any modality) speaks of the pair; ``none`` when facts in view
    date every tie after ``as_of``. Nothing can have happened before ``exists_from``, the day the
    later of the two parties came to exist, however open a fact's start.
    """
    return _outcome(
        evidence,
        as_of=as_of,
        known_at=known_at,
        resolutions=resolutions,
        exists_from=exists_from,
        kinds=RELATIONSHIP_KINDS,
        subject=_subject,
        unknown=RelationshipStatus.UNKNOWN,
        initial=RelationshipStatus.NONE,
        step=_relationship_step,
    )


def program_outcome(
    evidence: Iterable[Evidence],
    *,
    as_of: date,
    known_at: date | None,
    resolutions: Sequence[Resolution] = (),
    exists_from: date | None = None,
) -> Outcome[ProgramStatus]:
    """Where a programme or conference series stood on ``as_of`` (``unknown`` when no fact in view speaks of it)."""
    return _outcome(
        evidence,
        as_of=as_of,
        known_at=known_at,
        resolutions=resolutions,
        exists_from=exists_from,
        kinds=PROGRAM_KINDS,
        subject=_subject,
        unknown=ProgramStatus.UNKNOWN,
        initial=ProgramStatus.NOT_STARTED,
        step=_program_step,
    )


def _outcome(
    evidence: Iterable[Evidence],
    *,
    as_of: date,
    known_at: date | None,
    resolutions: Sequence[Resolution],
    exists_from: date | None,
    kinds: frozenset[FactKind],
    subject: Callable[[Evidence, Sequence[Evidence]], str | None],
    unknown: S,
    initial: S,
    step: Callable[[tuple[S, S], Evidence], tuple[S, S]],
) -> Outcome[S]:
    visible: list[_Visible] = []
    in_view = False
    for item in evidence:
        if item.kind not in kinds:
            continue
        published = visibility(item.published_lo, item.published_hi, known_at)
        if published is None:
            continue
        in_view = True
        if item.modality is not Modality.OCCURRED:
            continue
        earliest = item.valid_lo if exists_from is None else min(max(item.valid_lo, exists_from), item.valid_hi)
        valid = visibility(earliest, item.valid_hi, as_of)
        if valid is None:
            continue
        visible.append(_Visible(evidence=item, definite=valid and published))
    if not in_view:
        return Outcome(status=unknown, certainty=Certainty.DEFINITE, since=None, counted=(), conflicts=())
    conflicts = find_conflicts([entry.evidence for entry in visible], subject, resolutions)
    losers = {claim for conflict in conflicts for claim in conflict.claims if claim != conflict.preferred}
    kept = sorted(
        (entry for entry in visible if entry.evidence.fact_id not in losers),
        key=lambda entry: (entry.evidence.valid_lo, entry.evidence.valid_hi, entry.evidence.position),
    )
    status_all, since = _fold(kept, initial, step)
    status_definite, _ = _fold([entry for entry in kept if entry.definite], initial, step)
    return Outcome(
        status=status_all,
        certainty=Certainty.DEFINITE if status_all == status_definite else Certainty.POSSIBLE,
        since=since,
        counted=tuple(entry.evidence.fact_id for entry in kept),
        conflicts=tuple(conflicts),
    )


def _fold(
    entries: Sequence[_Visible], initial: S, step: Callable[[tuple[S, S], Evidence], tuple[S, S]]
) -> tuple[S, str | None]:
    state = (initial, initial)
    since: str | None = None
    for entry in entries:
        changed = step(state, entry.evidence)
        if changed[0] != state[0]:
            since = entry.evidence.edtf
        state = changed
    return state[0], since


_RANK = {
    RelationshipStatus.NONE: 0,
    RelationshipStatus.CONTACT: 1,
    RelationshipStatus.COOPERATION: 2,
    RelationshipStatus.FRIENDSHIP: 3,
    RelationshipStatus.SISTERHOOD: 4,
    RelationshipStatus.DIPLOMATIC: 5,
}
_AT_LEAST = {Move.CONTACT: RelationshipStatus.CONTACT, Move.COOPERATE: RelationshipStatus.COOPERATION}
_OVER = (RelationshipStatus.SUSPENDED, RelationshipStatus.ENDED)


def _relationship_step(
    state: tuple[RelationshipStatus, RelationshipStatus], item: Evidence
) -> tuple[RelationshipStatus, RelationshipStatus]:
    """One fact's move of the relationship machine; the state is (status, the status before a suspension)."""
    status, before_suspension = state
    move = KINDS[item.kind].move
    if move is Move.END:
        return RelationshipStatus.ENDED, status
    if move is Move.SUSPEND:
        return state if status in _OVER else (RelationshipStatus.SUSPENDED, status)
    if move is Move.RESUME:
        return (before_suspension, before_suspension) if status is RelationshipStatus.SUSPENDED else state
    if move is Move.UPGRADE or (move is Move.ESTABLISH and status in _OVER):
        tie = tie_status(item.level)
        return tie, tie
    if status in _OVER:
        return state
    floor = tie_status(item.level) if move is Move.ESTABLISH else _AT_LEAST.get(move)
    if floor is None:
        return state
    best = floor if _RANK[floor] > _RANK[status] else status
    return best, best


def _program_step(state: tuple[ProgramStatus, ProgramStatus], item: Evidence) -> tuple[ProgramStatus, ProgramStatus]:
    """One fact's move of the programme machine."""
    move = KINDS[item.kind].move
    if move is Move.SUSPEND:
        return ProgramStatus.SUSPENDED, ProgramStatus.SUSPENDED
    if move is Move.END:
        return ProgramStatus.ENDED, ProgramStatus.ENDED
    if move is Move.NOTE:
        return state
    return ProgramStatus.ACTIVE, ProgramStatus.ACTIVE


def _overlaps(a: Evidence, b: Evidence) -> bool:
    return a.valid_lo <= b.valid_hi and b.valid_lo <= a.valid_hi


def _subject(item: Evidence, others: Sequence[Evidence]) -> str | None:
    """What a claim is about, when only one such claim can be right (a tie's making, a programme's start)."""
    return str(item.kind) if KINDS[item.kind].singular else None


def _same_thing(a: Evidence, b: Evidence) -> bool:
    """Whether two claims are about one event: a tie at one level made twice is one making; ties at two
    levels are one only when both are dated and their dates meet (a friendship, then a sisterhood, is an
    upgrade, not a conflict; an undated claim cannot tell which making it means)."""
    if a.kind is FactKind.RELATIONSHIP_ESTABLISHED:
        if a.level == b.level:
            return True
        dated = Unit.OPEN not in (precision_of(a.edtf).unit, precision_of(b.edtf).unit)
        return dated and _overlaps(a, b)
    return True


def _disagree(a: Evidence, b: Evidence) -> bool:
    return (a.edtf, a.level) != (b.edtf, b.level)


def find_conflicts(
    evidence: Sequence[Evidence],
    subject: Callable[[Evidence, Sequence[Evidence]], str | None],
    resolutions: Sequence[Resolution],
) -> list[ConflictOutcome]:
    """Groups of claims about the same thing that disagree, each with its preferred claim."""
    groups: dict[str, list[list[Evidence]]] = {}
    for item in evidence:
        key = subject(item, evidence)
        if key is None:
            continue
        clusters = groups.setdefault(key, [])
        for cluster in clusters:
            if any(_same_thing(item, other) for other in cluster):
                cluster.append(item)
                break
        else:
            clusters.append([item])
    conflicts: list[ConflictOutcome] = []
    for key, clusters in groups.items():
        for cluster in clusters:
            if len(cluster) < 2 or not any(_disagree(cluster[0], other) for other in cluster[1:]):
                continue
            conflicts.append(_prefer(key, cluster, resolutions))
    return conflicts


def _prefer(subject: str, cluster: Sequence[Evidence], resolutions: Sequence[Resolution]) -> ConflictOutcome:
    ids = tuple(item.fact_id for item in sorted(cluster, key=lambda item: item.position))
    members = set(ids)
    for resolution in reversed(resolutions):
        if resolution.preferred in members and len(resolution.facts & members) >= 2:
            return ConflictOutcome(
                subject=subject,
                claims=ids,
                preferred=resolution.preferred,
                rule=resolution.rule,
                decided_by=resolution.decided_by,
            )
    best = min(cluster, key=lambda item: (precision_of(item.edtf), -item.published_hi.toordinal(), item.position))
    precisions = {precision_of(item.edtf) for item in cluster}
    newest = max(item.published_hi for item in cluster)
    if len(precisions) > 1 and precision_of(best.edtf) == min(precisions):
        rule = "more precise date"
    elif best.published_hi == newest and len({item.published_hi for item in cluster}) > 1:
        rule = "more recent source"
    else:
        rule = "recorded first"
    return ConflictOutcome(subject=subject, claims=ids, preferred=best.fact_id, rule=rule, decided_by=None)
