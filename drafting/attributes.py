"""The attributes a candidate carries beyond its trigger's: a level, participants, a place, a reason,
a destination, a delegation's size, a measure, read from the words of its clause."""

from __future__ import annotations

import re
from collections.abc import Sequence

from drafting.kinds import PAUSES, PLACE_LEVELS
from drafting.model import Mention, Span
from drafting.triggers import SentenceContext, Trigger
from events.values import AttributeValue, FactKind

_REASON = re.compile(r"\b(?:due to|because of|owing to|amid) (?P<reason>(?:the )?[^,.;]{3,60}?)(?=[,.;]| and\b|$)")


def attributes_of(
    text: str, trigger: Trigger, context: SentenceContext, clause: Span, parties: Sequence[Mention]
) -> dict[str, AttributeValue]:
    """What the clause says of the fact its trigger proposes."""
    attributes: dict[str, AttributeValue] = dict(trigger.attributes)
    words = text[clause.start : clause.end]
    people = [m for m in context.mentions if m.how.startswith("person") and clause.covers(m.span)]
    if trigger.level is not None and trigger.kind.value.startswith("relationship"):
        attributes["level"] = trigger.level
    if trigger.kind in (FactKind.MEETING, FactKind.AGREEMENT_SIGNED, FactKind.STATEMENT) and people:
        described = [m.how.removeprefix("person: ") for m in people]
        key = {"meeting": "participants", "agreement_signed": "signatories", "statement": "speaker"}[trigger.kind]
        attributes[key] = described[0] if key == "speaker" else tuple(dict.fromkeys(described))
    if trigger.kind == FactKind.MEETING:
        place = re.search(
            r"\b(?:at|in) (?P<place>(?:the )?[A-Z][^,.;“”]{2,80}?)(?= on | to | and |[,.;]|$)",
            text[trigger.span.end : clause.end],
        )
        if place:
            attributes["place"] = place.group("place")
    if trigger.kind in PAUSES:
        reason = _REASON.search(text, context.span.start, context.span.end)
        if reason:
            attributes["reason"] = reason.group("reason")
    if trigger.kind == FactKind.CONFERENCE_HELD:
        if trigger.series is not None:
            attributes.setdefault("name", trigger.series.text)
        places = [m.text for m in parties if m.level in PLACE_LEVELS]
        if places:
            attributes["place"] = ", ".join(places)
    if trigger.kind == FactKind.VISIT:
        after = [m for m in parties if m.span.start >= trigger.span.start and not m.how.startswith("person")]
        if after:
            attributes["destination"] = after[0].text
        delegation = re.search(r"\b(?P<size>\d+|[a-z]+)[- ]member delegation\b|\bdelegation of (?P<size2>\d+)\b", words)
        if delegation:
            size = delegation.group("size") or delegation.group("size2")
            attributes["delegation"] = int(size) if size.isdigit() else size
    if trigger.kind == FactKind.PROGRAM_ROUND_HELD and trigger.series is not None:
        attributes.setdefault("program", trigger.series.text)
    if trigger.kind == FactKind.STATISTIC:
        measure = re.search(
            r"\b(?:the number of|number of|total of) (?P<what>[^,.;]{3,80}?)(?= has| have| is| was| reached|[,.;])",
            words,
        )
        if measure:
            attributes["measure"] = measure.group("what")
    return attributes
