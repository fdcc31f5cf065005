"""Candidates made to fit the kinds registry before a person sees them: what the registry would refuse
is set aside with the reason, so that a draft always ingests as written, and a one-off conference is
declared as a series of its own, as the corpus guide says to record it."""

from __future__ import annotations

import re
from collections.abc import Sequence

import attrs

from domain.errors import InvalidInput
from domain.kinds import KINDS
from domain.validation import PartyFacts, check_fact, parties_of
from drafting.model import Candidate, Declared, Mention, SetAside
from events.values import ActorLevel, Attributes, FactKind, Period

_LEVELS = {str(level): level for level in ActorLevel}


@attrs.frozen(kw_only=True)
class Conformed:
    """The candidates that fit, the actors declared for them, and the ones set aside."""

    candidates: tuple[Candidate, ...]
    declared: tuple[Declared, ...]
    set_aside: tuple[SetAside, ...]


def conform(candidates: Sequence[Candidate], mentions: Sequence[Mention], published: Period) -> Conformed:
    """Each candidate checked as an ingest would check it; attributes its kind does not take are dropped."""
    known = {
        mention.key: PartyFacts(
            key=mention.key, code=mention.key, level=_LEVELS[mention.level], country=mention.country
        )
        for mention in mentions
        if mention.level in _LEVELS
    }
    kept: list[Candidate] = []
    declared: dict[str, Declared] = {}
    set_aside: list[SetAside] = []
    for candidate in candidates:
        shaped = _with_series(candidate, known, declared)
        taken = KINDS[shaped.kind].attributes
        shaped = attrs.evolve(
            shaped, attributes=Attributes(items=tuple(item for item in shaped.attributes.items if item[0] in taken))
        )
        try:
            check_fact(
                kind=shaped.kind,
                modality=shaped.modality,
                parties=parties_of(shaped.parties, known),
                date=shaped.period,
                attributes=shaped.attributes,
                published=published,
            )
        except InvalidInput as error:
            set_aside.append(SetAside(candidate=candidate, reason=str(error)))
            continue
        kept.append(shaped)
    used = {party for candidate in kept for party in candidate.parties}
    return Conformed(
        candidates=tuple(kept),
        declared=tuple(actor for code, actor in declared.items() if code in used),
        set_aside=tuple(set_aside),
    )


def _with_series(candidate: Candidate, known: dict[str, PartyFacts], declared: dict[str, Declared]) -> Candidate:
    """A conference without a known series gets one declared from its name, in the country of its first party."""
    if candidate.kind is not FactKind.CONFERENCE_HELD:
        return candidate
    if any(known[party].level is ActorLevel.CONFERENCE_SERIES for party in candidate.parties if party in known):
        return candidate
    name = candidate.attributes.get("name")
    places = [known[party] for party in candidate.parties if party in known]
    if not isinstance(name, str) or not name.strip() or not places:
        return candidate
    code = "conference:" + (re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "unnamed")
    series = Declared(code=code, level=ActorLevel.CONFERENCE_SERIES, country=places[0].country, name=name.strip())
    declared.setdefault(code, series)
    known.setdefault(code, PartyFacts(key=code, code=code, level=series.level, country=series.country))
    return attrs.evolve(candidate, parties=(code, *candidate.parties))
