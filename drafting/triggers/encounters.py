"""Meetings, visits, invitations and exchanges: the words that propose them."""

from __future__ import annotations

import re

from drafting.triggers.base import SentenceContext, Trigger, find, span_of
from events.values import FactKind

_MEETING = re.compile(
    r"\b(?:(?:met|meet|meets)(?= with\b| again\b|\s+(?:[A-Z]|the\b|his\b|her\b|their\b))|meeting with|"
    r"(?:held|hold|holds|had|have) (?:a |their |the )?(?:\w+ )?talks|talks with|"
    r"(?:had|held|hold|holds|host(?:ed|s)?) (?:an?|the) (?:[\w-]+ )?meeting|[Ii]n a meeting held|courtesy call|"
    r"reunit(?:e|ed|es)|(?:warmly )?welcom(?:ed|es|ing) (?:the|a) (?:[\w-]+ ){0,3}delegation|"
    r"(?:held|hold|holds) a joint forum|(?:attend(?:ed|s)?|host(?:ed|s)?|hold|held) (?:a|the) (?:\w+ )?"
    r"(?:dinner|luncheon|banquet|reception)|received (?:a|the) (?:\w+ )?delegation)\b"
)


def meetings(context: SentenceContext) -> list[Trigger]:
    """Meetings, talks, courtesy calls, dinners and receptions."""
    found = []
    for match in find(_MEETING, context):
        before = context.text[max(context.span.start, match.start() - 25) : match.start()]
        if re.search(r"\b(?:have|has|had)\s+$", before) and match.group(0) == "met":
            continue
        found.append(Trigger(rule="meeting.verb", kind=FactKind.MEETING, span=span_of(match), confidence=0.75))
    return found


_VISIT = re.compile(
    r"\b(?:visit(?:ed|ing|s)?\s+(?=[A-Z“\"]|the\b)|will (?:also )?visit|to visit|trip to|toured|tour of|"
    r"(?:a|an|the|their|his|her) (?:[\w-]+ )?visit to (?=[A-Z])|"
    r"promotional tour|study tour|departed for|left for|arrived in|arrive in|arriving in|"
    r"on (?:a|this|his|her|their|an) (?:[\w-]+ )?visit|during (?:a|this|his|her|their|the) (?:[\w-]+ )?visit|"
    r"travel(?:s|led|ling|ed|ing)? to|"
    r"(?:pay|paid|make|made|planning|plan|plans|organize|organise|arrange|arranged) (?:a|an|his|her|their)? ?"
    r"(?:[\w-]+ )?visit|visit took place|(?:sent|send|sends|led|lead|leads|leading) (?:a|an) (?:[\w-]+ )?delegation)"
)
_VISITOR_COUNT = re.compile(r"\d[\d,]*\s+(?:tourists|visitors|people|travellers|travelers)\b[^.;]{0,40}$")


def visits(context: SentenceContext) -> list[Trigger]:
    """Visits, trips, tours and delegations sent or led."""
    found = []
    for match in find(_VISIT, context):
        clause = context.clause_of(match.start())
        before = context.text[clause.start : match.start()]
        if re.search(r"\b(?:invit(?:e|es|ed|ing)|request(?:s|ed|ing)?|ask(?:s|ed|ing)?)\b", before, re.IGNORECASE):
            continue
        if _VISITOR_COUNT.search(before):
            continue
        found.append(Trigger(rule="visit.verb", kind=FactKind.VISIT, span=span_of(match), confidence=0.7))
    return found


_INVITATION = re.compile(
    r"\b(?:invit(?:ed|es|ing)|(?:intention|plan|plans) to invite|extended an invitation|requested that\b[^.;]{0,50}?"
    r"\bvisit|asked\b[^.;]{0,40}?\bto visit)\b"
)


def invitations(context: SentenceContext) -> list[Trigger]:
    """Invitations made (not invitation programmes, not invitations accepted)."""
    return [
        Trigger(rule="invitation.verb", kind=FactKind.INVITATION, span=span_of(match), confidence=0.75)
        for match in find(_INVITATION, context)
    ]


_EXCHANGE = re.compile(
    r"\b(?:exchang(?:ed|ing|e) (?:of )?(?:gifts|delegations|officials|students|staff|personnel|visits|performers|"
    r"artists|civil servants)|(?:engag(?:ed|es|e|ing)|participat(?:ed|es|e|ing)) in (?:[\w,-]+ ){0,6}?exchanges?|"
    r"carr(?:y|ied|ying|ies) out (?:[\w-]+ ){0,3}?exchanges?|(?:exhibition|tournament|performances?|concerts?|"
    r"festival|camp|joint tour packages?|tour packages?|training course|homestays?|exchange tournament)\b|"
    r"(?:began|begun|started|launched|initiated) (?:such |their |its |the )?(?:[\w-]+ )?exchanges?\b|"
    r"presented (?:[\w-]+ ){0,3}(?:books|gifts?|souvenirs|crafts|certificates?)\b)",
    re.IGNORECASE,
)


def exchanges(context: SentenceContext) -> list[Trigger]:
    """Exchanges: of officials, gifts, delegations; tours, exhibitions, tournaments, camps."""
    found = []
    for match in find(_EXCHANGE, context):
        field = re.sub(
            r"^(?:exchang\w+ (?:of )?|engag\w+ in |participat\w+ in |carr\w+ out )", "", match.group(0), flags=re.I
        )
        if re.match(r"(?:began|begun|started|launched|initiated)\b", field, re.IGNORECASE):
            field = "first contacts"
        found.append(
            Trigger(
                rule="exchange.noun",
                kind=FactKind.EXCHANGE,
                span=span_of(match),
                confidence=0.55,
                attributes=[("field", field.strip())],
            )
        )
    return found
