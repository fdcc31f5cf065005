"""What a fact must be to be recorded, read from the kinds registry: its parties, level, attributes and date.

Each refusal names the field and, where there is one, the nearest valid value; the caller adds the
file and the fact's number.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence

import attrs

from domain.errors import InvalidInput
from domain.kinds import KINDS, KindSpec
from domain.vocabulary import LEVELS
from events.values import ActorLevel, Attributes, FactKind, Modality, Period


@attrs.frozen(kw_only=True)
class PartyFacts:
    """What validation needs of a party: its code, level and country."""

    key: str
    code: str
    level: ActorLevel
    country: str


class InvalidFact(InvalidInput):
    """A fact the registry refuses: the message starts with the field."""


def check_fact(
    *,
    kind: FactKind,
    modality: Modality,
    parties: Sequence[PartyFacts],
    date: Period,
    attributes: Attributes,
    published: Period,
) -> None:
    """Refuse a fact that its kind's entry does not allow (InvalidFact naming the field and the nearest value)."""
    spec = KINDS[kind]
    _check_parties(spec, parties)
    _check_attributes(spec, attributes, parties)
    if modality is Modality.OCCURRED and date.lower > published.upper:
        msg = (
            f"date: an occurred fact dated {date} cannot be stated by a source published {published} "
            "(every day the date allows is after publication): mark it planned or expected, or fix the date"
        )
        raise InvalidFact(msg)


def _check_parties(spec: KindSpec, parties: Sequence[PartyFacts]) -> None:
    rule = spec.parties
    count = len(parties)
    if count < rule.minimum:
        msg = f"parties: a {spec.kind} fact needs at least {rule.minimum} parties ({rule.describe()}), it has {count}"
        raise InvalidFact(msg)
    if rule.maximum is not None and count > rule.maximum:
        msg = (
            f"parties: a {spec.kind} fact has at most {rule.maximum} parties ({rule.describe()}), it has {len(parties)}"
        )
        raise InvalidFact(msg)
    if rule.levels is not None:
        for party in parties:
            if party.level not in rule.levels:
                msg = f"parties: {party.code} is a {party.level}; a {spec.kind} fact is between {_listed(rule.levels)}"
                raise InvalidFact(msg)
    if rule.one_of is not None and not any(party.level is rule.one_of for party in parties):
        msg = (
            f"parties: a {spec.kind} fact needs a {rule.one_of} among its parties "
            f"(declare one in the document's actors: block if the gazetteer lacks it)"
        )
        raise InvalidFact(msg)
    if rule.across_countries and len({party.country for party in parties}) < 2:
        codes = " and ".join(party.code for party in parties)
        msg = f"parties: a tie is between actors of two countries; {codes} are all in {parties[0].country}"
        raise InvalidFact(msg)


def _check_attributes(spec: KindSpec, attributes: Attributes, parties: Sequence[PartyFacts]) -> None:
    for name, _value in attributes.items:
        if name not in spec.attributes:
            msg = f"attributes: a {spec.kind} fact takes no attribute {name!r}{_nearest(name, spec.attributes)}"
            raise InvalidFact(msg)
    _check_levels_counted(attributes.get("levels"))
    level = attributes.get("level")
    if spec.requires_level and level is None:
        msg = f"attributes.level: a {spec.kind} fact needs a level ({', '.join(LEVELS)})"
        raise InvalidFact(msg)
    if level is None:
        return
    if not isinstance(level, str) or level not in LEVELS:
        msg = f"attributes.level: unknown level {level!r}{_nearest(str(level), LEVELS)}"
        raise InvalidFact(msg)
    entry = LEVELS[level]
    if not entry.allows(party.level for party in parties):
        who = "every party" if entry.every_party else "at least one party"
        levels = ", ".join(f"{party.code} is a {party.level}" for party in parties)
        msg = f"attributes.level: a {level} tie needs {who} among {_listed(entry.holders)}; {levels}"
        raise InvalidFact(msg)


def _check_levels_counted(levels: object) -> None:
    """A statistic's ``levels`` (the levels of tie it counts) are names of the levels vocabulary."""
    if levels is None:
        return
    names = (levels,) if isinstance(levels, str) else levels
    if not isinstance(names, tuple | list) or not names:
        msg = f"attributes.levels: name the levels of tie counted ({', '.join(LEVELS)}), not {levels!r}"
        raise InvalidFact(msg)
    for name in names:
        if not isinstance(name, str) or name not in LEVELS:
            msg = f"attributes.levels: unknown level {name!r}{_nearest(str(name), LEVELS)}"
            raise InvalidFact(msg)


def _nearest(value: str, choices: Iterable[str]) -> str:
    """The nearest valid value, if one is close, and every valid value."""
    options = sorted(choices)
    if not options:
        return ""
    close = difflib.get_close_matches(value, options, n=1, cutoff=0.6)
    guess = f"did you mean {close[0]!r}? " if close else ""
    return f" ({guess}it takes: {', '.join(options)})"


def _listed(levels: Iterable[ActorLevel]) -> str:
    return ", ".join(sorted(str(level) for level in levels))


def parties_of(keys: Iterable[str], known: Mapping[str, PartyFacts]) -> list[PartyFacts]:
    """The facts of each party that the store or the batch knows (unknown keys are left to the caller's refusal)."""
    return [known[key] for key in keys if key in known]
