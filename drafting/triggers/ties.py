"""Ties made, suspended, resumed, upgraded or ended, exchanges disrupted or stepped up, and agreements
signed or reached: the words that propose them."""

from __future__ import annotations

import re

from drafting.model import Span
from drafting.triggers.base import ENDED, RESUMED, SUSPENDED, SentenceContext, Trigger, find, span_of
from events.values import AttributeValue, FactKind

_LEVEL = re.compile(
    r"\b(?P<level>sister(?:hood)?(?:[- ](?:city|cities|province|provinces|state|states|region|regions|relationships?|"
    r"relations|ties|tie|agreements?|partnership|provincial|city))?|twin[- ](?:cit(?:y|ies)|provinces?)(?:['’]s?)?"
    r"(?: ties?| relationships?| relations)?|friendly[- ]cit(?:y|ies)(?: agreements?| relationships?| relations|"
    r" ties)?|friendship(?:[- ](?:city|cities|relationships?|"
    r"relations|ties|tie|agreements?|provinces?|partnership))?|friendly(?: exchange| cooperative| cooperation)? "
    r"(?:relationships?|relations|ties|tie|agreement|exchange agreement|partnership)|parliamentary friendship"
    r"(?: ties| relations)?|diplomatic (?:relations|ties))\b"
    r"(?!\s+(?:exchanges?|projects?|programs?|programmes?|events?|visits?|cooperation|activities))",
    re.IGNORECASE,
)
_ESTABLISHING = re.compile(
    r"\b(?:establish(?:ed|es|ing|ment)?|sign(?:ed|s|ing)?|forg(?:e|ed|ing)|form(?:ed|ing)?|conclud(?:e|ed|ing)|"
    r"entered into|became|become|becomes|is|are|twinn?(?:ed|ing)|set up|since|anniversary|for (?:the (?:past|last) )?"
    r"[\w-]+ years|[\w-]+ years ago|launch(?:ed|ing)?|started|began|(?:in|since) (?:\w+ )?(?:19|20)\d{2})\b",
    re.IGNORECASE,
)
_DISRUPTED = re.compile(
    rf"{SUSPENDED.pattern}|\b(?:(?:definitely |badly |severely )?affected|strained|hampered|chilled|soured|"
    r"(?:years|months) of conflict)\b",
    re.IGNORECASE,
)
_STEPPED_UP = re.compile(
    rf"{RESUMED.pattern}|\b(?:step(?:ped|ping|s)? up|back on track|get(?:ting)? back to|revitali[sz](?:e|ed|ing))\b",
    re.IGNORECASE,
)
_UPGRADED = re.compile(
    r"\b(?:upgrad(?:e|ed|ing)|elevat(?:e|ed|ing)|rais(?:e|ed|ing) (?:it|them|their ties|the tie))\b", re.IGNORECASE
)
_TIE_SUBJECT = re.compile(
    r"\b(?P<tie>ties|relations|relationship|sisterhood|friendship|partnership|twinning)\b|\b(?:exchanges?|cooperation)\b",
    re.IGNORECASE,
)
_PROGRAM_WORD = re.compile(r"\b(?:programs?|programmes?)\b", re.IGNORECASE)


def _level_of(noun: str) -> str:
    noun = noun.lower()
    if noun.startswith(("sister", "twin")):
        return "sisterhood"
    if noun.startswith("parliamentary"):
        return "parliamentary_friendship"
    if noun.startswith("diplomatic"):
        return "diplomatic"
    return "friendship"


def _status_kind(clause: str, family: str) -> tuple[FactKind, str] | None:
    checks = (
        (SUSPENDED, "suspended"),
        (RESUMED, "resumed"),
        (_UPGRADED, "upgraded"),
        (ENDED, "ended"),
    )
    for pattern, status in checks:
        if pattern.search(clause):
            if family == "program" and status == "upgraded":
                continue
            return FactKind(f"{family}_{status}"), status
    return None


def relationships(context: SentenceContext) -> list[Trigger]:
    """Ties made, suspended, resumed, upgraded or ended: sisterhood, friendship, parliamentary, diplomatic."""
    found: list[Trigger] = []
    for match in find(_LEVEL, context):
        clause = context.clause_of(match.start())
        words = context.words(clause)
        level = _level_of(match.group("level"))
        if re.search(r"\bagreements?\b", match.group("level"), re.IGNORECASE) and re.search(
            r"\brenew", words, re.IGNORECASE
        ):
            continue
        near = context.text[max(clause.start, match.start() - 50) : min(clause.end, match.end() + 30)]
        status = _status_kind(near, "relationship")
        if status is not None:
            kind, name = status
            found.append(
                Trigger(rule=f"relationship.{name}", kind=kind, span=span_of(match), confidence=0.75, level=level)
            )
        elif _ESTABLISHING.search(
            context.text,
            max(clause.start, match.start() - (60 if " " in match.group("level") else 30)),
            min(clause.end, match.end() + (40 if " " in match.group("level") else 20)),
        ):
            found.append(
                Trigger(
                    rule="relationship.established",
                    kind=FactKind.RELATIONSHIP_ESTABLISHED,
                    span=span_of(match),
                    confidence=0.85,
                    level=level,
                )
            )
    if found:
        return found
    for clause in context.clauses:
        words = context.words(clause)
        if _PROGRAM_WORD.search(words) or any(m.level == "program" and clause.covers(m.span) for m in context.mentions):
            continue
        if context.program_before and re.match(r"\s*(?:after [^,]+,\s*)?it\b", words, re.IGNORECASE):
            continue
        subject = _TIE_SUBJECT.search(words)
        if subject is None:
            continue
        for pattern, kind in ((_DISRUPTED, FactKind.EXCHANGES_DISRUPTED), (_STEPPED_UP, FactKind.EXCHANGES_RESUMED)):
            for verb in pattern.finditer(context.text, clause.start, clause.end):
                found.append(Trigger(rule=f"relationship.{kind}", kind=kind, span=span_of(verb), confidence=0.55))
    return found


_AGREEMENT_NOUN = (
    r"(?:agreements?|MOUs?|MoUs?|memorand(?:um|a) of understanding|memorand(?:um|a)|letters? of intent|LOIs?|"
    r"accords?|pacts?|protocols?|treat(?:y|ies)|(?:joint )?declarations?)"
)
_SIGNED = re.compile(
    rf"\b(?:sign(?:ed|s|ing)?|ink(?:ed|s)?|conclud(?:ed|es)|renew(?:ed|s|ing)?|exchang(?:ed|e|es|ing))\b"
    rf"(?:(?!\b(?:and|but)\b)[^.;]){{0,70}}?\b(?P<noun>{_AGREEMENT_NOUN})\b"
)
_SIGNED_PASSIVE = re.compile(
    rf"\b(?P<noun>{_AGREEMENT_NOUN})\b[^.;]{{0,30}}?\b(?:was|were|been|be|is|are) (?:also )?"
    r"(?:signed|inked|concluded)\b"
)
_RENEWED = re.compile(r"\brenew(?:ed|s|ing)?\b[^.;]{0,40}?\b(?:agreement|sisterhood|ties|partnership)\b", re.I)
_SUBJECT = re.compile(r"\s+(?:on|to|for|regarding|concerning|covering)\s+(?P<subject>[^,.;“”\"]{3,120})")


_AGREED = re.compile(
    r"\b(?:agree(?:d|s)? (?:to|on|that)|reach(?:ed|es|ing)? (?:an? |some |broad )?(?:preliminary )?(?:consensus|"
    r"agreements?)(?: on)?)\b(?P<subject>[^.;“”\"]{3,120})?",
    re.IGNORECASE,
)


def agreements(context: SentenceContext) -> list[Trigger]:
    """Agreements, memorandums and letters of intent signed (and renewals); agreements in principle."""
    found = _signed(context)
    for match in find(_AGREED, context):
        clause = context.clause_of(match.start())
        if any(clause.start <= t.span.start < clause.end for t in found):
            continue
        subject = (match.group("subject") or "").strip()
        found.append(
            Trigger(
                rule="agreement.in-principle",
                kind=FactKind.AGREEMENT_REACHED,
                span=Span(start=match.start(), end=match.end(0) if subject else match.end()),
                confidence=0.6,
                attributes=[("subject", subject)] if subject else [],
            )
        )
    return found


def _signed(context: SentenceContext) -> list[Trigger]:
    """Agreements, memorandums and letters of intent signed (and renewals)."""
    found: list[Trigger] = []
    matches = find(_SIGNED, context) + find(_SIGNED_PASSIVE, context) + find(_RENEWED, context)
    for match in sorted(matches, key=lambda m: m.start()):
        if any(span_of(match).overlaps(t.span) for t in found):
            continue
        before = (
            context.text[max(context.span.start, match.start("noun") - 30) : match.start("noun")]
            if ("noun" in match.groupdict())
            else ""
        )
        renewal = bool(re.search(r"\brenew", match.group(0), re.IGNORECASE))
        if re.search(r"\b(?:sister|friendship|friendly)", before, re.IGNORECASE) and not renewal:
            continue
        attributes: list[tuple[str, AttributeValue]] = []
        subject = _SUBJECT.match(context.text, match.end(), context.span.end)
        if subject:
            attributes.append(("subject", subject.group("subject").strip()))
        elif renewal:
            attributes.append(
                ("subject", "renewal of " + re.sub(r"^renew\w*\s+(?:their |the |its )?", "", match.group(0)))
            )
        found.append(
            Trigger(
                rule="agreement.renewed" if renewal else "agreement.signed",
                kind=FactKind.AGREEMENT_SIGNED,
                span=span_of(match),
                confidence=0.8,
                attributes=attributes,
            )
        )
    return found
