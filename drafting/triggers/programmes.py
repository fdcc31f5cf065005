"""Conferences held and programmes started, held in rounds, suspended, resumed or ended: the words
that propose them."""

from __future__ import annotations

import re

from drafting.dates import ORDINAL
from drafting.triggers.base import ENDED, RESUMED, SUSPENDED, SentenceContext, Trigger, find, span_of
from events.values import AttributeValue, FactKind

_HOLDING = re.compile(
    r"\b(?:held|hold|holds|holding|host(?:ed|s|ing)?|open(?:ed|s)?|set to open|conven(?:e|ed|es)|took place|"
    r"to be held|will be held|celebrat(?:e|ed|es|ing)|meets)\b",
    re.IGNORECASE,
)
_CONFERENCE_NOUN = re.compile(
    rf"\b(?:(?P<ordinal>{ORDINAL}) )?(?P<noun>(?:[A-Z][\w-]*\s){{0,6}}(?:conference|Conference|forum|Forum|expo|"
    rf"Expo|exposition|Exposition|fair|Fair|symposium|Symposium|summit|Summit)|(?:meeting|session))\b"
)


def conferences(context: SentenceContext) -> list[Trigger]:
    """Conferences, forums, expos held or to be held: a known series, or 'the first meeting was held'."""
    found: list[Trigger] = []
    for mention in context.mentions:
        if mention.level != "conference_series":
            continue
        clause = context.clause_of(mention.span.start)
        holding = _HOLDING.search(context.words(clause))
        if not holding:
            continue
        if re.fullmatch(r"hold|holds|holding", holding.group(0), re.IGNORECASE) and re.search(
            r"\b(?:annual|every year|annually)\b", context.words(clause)
        ):
            continue
        before = re.search(
            rf"\b({ORDINAL})\s+$", context.text[max(clause.start, mention.span.start - 20) : mention.span.start]
        )
        attributes = [("edition", before.group(1))] if before else []
        found.append(
            Trigger(
                rule="conference.series",
                kind=FactKind.CONFERENCE_HELD,
                span=mention.span,
                confidence=0.75,
                attributes=attributes,
                series=mention,
            )
        )
    for match in find(_CONFERENCE_NOUN, context):
        if any(span_of(match).overlaps(t.span) for t in found):
            continue
        if any(
            m.level == "conference_series" and m.span.start <= match.start("noun") < m.span.end
            for m in context.mentions
        ):
            continue
        clause = context.clause_of(match.start())
        noun = match.group("noun").strip()
        ordinal = match.group("ordinal")
        words = context.words(clause)
        joint = re.search(r"\bjoint\s+$", context.text[max(0, match.start() - 8) : match.start("noun")])
        if not _HOLDING.search(words) or joint:
            continue
        if noun.lower() in ("meeting", "session") and ordinal is None:
            continue
        details: list[tuple[str, AttributeValue]] = []
        if ordinal:
            details.append(("edition", ordinal))
        if noun[:1].isupper() and len(noun.split()) > 1:
            details.append(("name", re.sub(r"^(?:The|the)\s+", "", noun)))
        found.append(
            Trigger(
                rule="conference.noun",
                kind=FactKind.CONFERENCE_HELD,
                span=span_of(match),
                confidence=0.6,
                attributes=details,
                series=context.series,
            )
        )
    for match in find(re.compile(r"\b(?:it|which) (?:was|were|is|will be) (?:also )?held\b"), context):
        if context.series is not None and not any(span_of(match).overlaps(t.span) for t in found):
            found.append(
                Trigger(
                    rule="conference.pronoun",
                    kind=FactKind.CONFERENCE_HELD,
                    span=span_of(match),
                    confidence=0.5,
                    series=context.series,
                )
            )
    return found


_PROGRAM_NOUN = re.compile(r"\b(?:(?:exchange|training|invitation|visiting|youth) )?(?:programs?|programmes?)\b", re.I)
_STARTED = re.compile(r"\b(?:launch(?:ed|es)?|start(?:ed|s)?|began|begun|since|conducted from|introduced)\b", re.I)
_ROUND = re.compile(rf"\b(?:(?P<ordinal>{ORDINAL}) round|round of|(?P<ordinal2>{ORDINAL}) (?:[\w-]+ )?program)\b", re.I)
_ANNIVERSARY = re.compile(rf"\b{ORDINAL} anniversary\b", re.IGNORECASE)


def programs(context: SentenceContext) -> list[Trigger]:
    """Programmes started, held in rounds, suspended, resumed or ended."""
    found: list[Trigger] = []
    program_mentions = [m for m in context.mentions if m.level == "program"]
    nouns = find(_PROGRAM_NOUN, context)
    pronoun = re.search(r"\bit\b", context.words(context.span)) is not None and context.program_before
    if not program_mentions and not nouns and not pronoun:
        return found
    words = context.words(context.span)
    if re.search(r"\binvitation program", words, re.IGNORECASE) and not (
        SUSPENDED.search(words) or RESUMED.search(words)
    ):
        nouns = [n for n in nouns if "invitation" not in n.group(0).lower()]
    series = program_mentions[0] if program_mentions else context.program
    for pattern, status in ((SUSPENDED, "suspended"), (RESUMED, "resumed"), (ENDED, "ended")):
        for match in pattern.finditer(context.text, context.span.start, context.span.end):
            clause = context.clause_of(match.start())
            clause_words = context.words(clause)
            if not (
                _PROGRAM_NOUN.search(clause_words)
                or any(clause.covers(m.span) for m in program_mentions)
                or (pronoun and re.search(r"\bit\b", clause_words))
            ):
                continue
            found.append(
                Trigger(
                    rule=f"program.{status}",
                    kind=FactKind(f"program_{status}"),
                    span=span_of(match),
                    confidence=0.7,
                    series=series,
                )
            )
    for match in find(_ROUND, context):
        ordinal = match.group("ordinal") or match.group("ordinal2")
        if match.group("ordinal2") and not (program_mentions or nouns):
            continue
        found.append(
            Trigger(
                rule="program.round",
                kind=FactKind.PROGRAM_ROUND_HELD,
                span=span_of(match),
                confidence=0.6,
                attributes=[("round", ordinal)] if ordinal else [],
                series=series,
            )
        )
    if program_mentions or nouns:
        for match in list(find(_STARTED, context)) + list(find(_ANNIVERSARY, context)):
            found.append(
                Trigger(
                    rule="program.started",
                    kind=FactKind.PROGRAM_STARTED,
                    span=span_of(match),
                    confidence=0.6,
                    series=series,
                )
            )
            break
    return found
