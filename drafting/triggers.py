"""The trigger lexicon: for each kind of fact, the words that propose it in a sentence.

Each trigger names its rule (``family.rule``), the kind it proposes, the words that fired, a base
confidence, and the attributes the words themselves give (a level, a subject, a value). Parties,
dates and modality are chosen around it by ``assemble``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import attrs

from drafting.dates import ORDINAL
from drafting.model import Mention, Span
from events.values import AttributeValue, FactKind


def _items(value: Sequence[tuple[str, AttributeValue]]) -> tuple[tuple[str, AttributeValue], ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class Trigger:
    """Words that propose a fact of one kind, with the rule that fired and what the words say."""

    rule: str
    kind: FactKind
    span: Span
    confidence: float
    attributes: tuple[tuple[str, AttributeValue], ...] = attrs.field(factory=tuple, converter=_items)
    series: Mention | None = None
    level: str | None = None


@attrs.frozen(kw_only=True)
class SentenceContext:
    """What a sentence's triggers may look at: its text, clauses, actor mentions and the topic carried over."""

    text: str
    span: Span
    clauses: tuple[Span, ...]
    mentions: tuple[Mention, ...]
    series: Mention | None
    program: Mention | None
    program_before: bool

    def clause_of(self, position: int) -> Span:
        """The clause holding ``position``."""
        for clause in self.clauses:
            if clause.start <= position < clause.end:
                return clause
        return self.span

    def words(self, span: Span) -> str:
        """The text of ``span``."""
        return self.text[span.start : span.end]


def _overlaps(match: re.Match[str], span: Span) -> bool:
    return match.start() < span.end and span.start < match.end()


def _find(pattern: re.Pattern[str], context: SentenceContext) -> list[re.Match[str]]:
    return list(pattern.finditer(context.text[: context.span.end], context.span.start))


def _span(match: re.Match[str], group: int | str = 0) -> Span:
    return Span(start=match.start(group), end=match.end(group))


_LEVEL = re.compile(
    r"\b(?P<level>sister(?:hood)?(?:[- ](?:city|cities|province|provinces|state|states|region|regions|relationships?|"
    r"relations|ties|tie|agreements?|partnership|provincial|city))?|friendship(?:[- ](?:city|cities|relationships?|"
    r"relations|ties|tie|agreements?|provinces?|partnership))?|friendly(?: exchange| cooperative| cooperation)? "
    r"(?:relationships?|relations|ties|tie|agreement|exchange agreement|partnership)|parliamentary friendship"
    r"(?: ties| relations)?|diplomatic (?:relations|ties))\b"
    r"(?!\s+(?:exchanges?|projects?|programs?|programmes?|events?|visits?|cooperation|activities))",
    re.IGNORECASE,
)
_ESTABLISHING = re.compile(
    r"\b(?:establish(?:ed|es|ing|ment)?|sign(?:ed|s|ing)?|forg(?:e|ed|ing)|form(?:ed|ing)?|conclud(?:e|ed|ing)|"
    r"entered into|became|twinn?(?:ed|ing)|set up|since|anniversary|for (?:the (?:past|last) )?"
    r"[\w-]+ years|[\w-]+ years ago|launch(?:ed|ing)?|started|began|(?:in|since) (?:\w+ )?(?:19|20)\d{2})\b",
    re.IGNORECASE,
)
_SUSPENDED = re.compile(
    r"\b(?:suspend(?:ed|s|ing)?|suspension|froze|frozen|halt(?:ed|s)?|on hold|hiatus|paused|stall(?:ed|s)?|"
    r"interrupt(?:ed|ion)|stopped)\b",
    re.IGNORECASE,
)
_RESUMED = re.compile(
    r"\b(?:resum(?:e|ed|es|ing|ption)|restor(?:e|ed|ing)|reviv(?:e|ed|ing)|restart(?:ed|s|ing)?|"
    r"pick(?:ed|ing|s)? up again|normali[sz](?:ed|ing))\b",
    re.IGNORECASE,
)
_DISRUPTED = re.compile(
    rf"{_SUSPENDED.pattern}|\b(?:(?:definitely |badly |severely )?affected|strained|hampered|chilled|soured|"
    r"(?:years|months) of conflict)\b",
    re.IGNORECASE,
)
_STEPPED_UP = re.compile(
    rf"{_RESUMED.pattern}|\b(?:step(?:ped|ping|s)? up|back on track|get(?:ting)? back to|revitali[sz](?:e|ed|ing))\b",
    re.IGNORECASE,
)
_UPGRADED = re.compile(
    r"\b(?:upgrad(?:e|ed|ing)|elevat(?:e|ed|ing)|rais(?:e|ed|ing) (?:it|them|their ties|the tie))\b", re.IGNORECASE
)
_ENDED = re.compile(r"\b(?:terminat(?:e|ed|ing)|sever(?:ed|ing)?|cut (?:off )?ties|dissolv(?:e|ed|ing))\b", re.I)
_TIE_SUBJECT = re.compile(
    r"\b(?P<tie>ties|relations|relationship|sisterhood|friendship|partnership|twinning)\b|\b(?:exchanges?|cooperation)\b",
    re.IGNORECASE,
)
_PROGRAM_WORD = re.compile(r"\b(?:programs?|programmes?)\b", re.IGNORECASE)


def _level_of(noun: str) -> str:
    noun = noun.lower()
    if noun.startswith("sister"):
        return "sisterhood"
    if noun.startswith("parliamentary"):
        return "parliamentary_friendship"
    if noun.startswith("diplomatic"):
        return "diplomatic"
    return "friendship"


def _status_kind(clause: str, family: str) -> tuple[FactKind, str] | None:
    checks = (
        (_SUSPENDED, "suspended"),
        (_RESUMED, "resumed"),
        (_UPGRADED, "upgraded"),
        (_ENDED, "ended"),
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
    for match in _find(_LEVEL, context):
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
                Trigger(rule=f"relationship.{name}", kind=kind, span=_span(match), confidence=0.75, level=level)
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
                    span=_span(match),
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
                found.append(Trigger(rule=f"relationship.{kind}", kind=kind, span=_span(verb), confidence=0.55))
    return found


_AGREEMENT_NOUN = (
    r"(?:agreements?|MOUs?|MoUs?|memorand(?:um|a) of understanding|memorand(?:um|a)|letters? of intent|LOIs?|"
    r"accords?|pacts?|protocols?|treat(?:y|ies))"
)
_SIGNED = re.compile(
    rf"\b(?:sign(?:ed|s|ing)?|ink(?:ed|s)?|conclud(?:ed|es)|renew(?:ed|s|ing)?)\b"
    rf"(?:(?!\b(?:and|but)\b)[^.;]){{0,70}}?\b(?P<noun>{_AGREEMENT_NOUN})\b"
)
_SIGNED_PASSIVE = re.compile(
    rf"\b(?P<noun>{_AGREEMENT_NOUN})\b[^.;]{{0,30}}?\b(?:was|were|been|be|is|are) (?:also )?"
    r"(?:signed|inked|concluded)\b"
)
_RENEWED = re.compile(r"\brenew(?:ed|s|ing)?\b[^.;]{0,40}?\b(?:agreement|sisterhood|ties|partnership)\b", re.I)
_SUBJECT = re.compile(r"\s+(?:on|to|for|regarding|concerning|covering)\s+(?P<subject>[^,.;“”\"]{3,120})")


_AGREED = re.compile(r"\bagree(?:d|s)? (?:to|on|that)\b(?P<subject>[^.;“”\"]{3,120})?", re.IGNORECASE)


def agreements(context: SentenceContext) -> list[Trigger]:
    """Agreements, memorandums and letters of intent signed (and renewals); agreements in principle."""
    found = _signed(context)
    for match in _find(_AGREED, context):
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
    matches = _find(_SIGNED, context) + _find(_SIGNED_PASSIVE, context) + _find(_RENEWED, context)
    for match in sorted(matches, key=lambda m: m.start()):
        if any(match.start() < t.span.end and t.span.start < match.end() for t in found):
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
                span=_span(match),
                confidence=0.8,
                attributes=attributes,
            )
        )
    return found


_MEETING = re.compile(
    r"\b(?:(?:met|meet|meets)(?= with\b| again\b|\s+(?:[A-Z]|the\b|his\b|her\b|their\b))|meeting with|"
    r"(?:held|hold|holds|had|have) (?:a |their |the )?(?:\w+ )?talks|talks with|"
    r"(?:had|held|hold) a (?:\w+ )?meeting|[Ii]n a meeting held|courtesy call|reunit(?:e|ed|es)|"
    r"(?:held|hold|holds) a joint forum|(?:attend(?:ed|s)?|host(?:ed|s)?|hold|held) (?:a|the) (?:\w+ )?"
    r"(?:dinner|luncheon|banquet|reception)|received (?:a|the) (?:\w+ )?delegation)\b"
)


def meetings(context: SentenceContext) -> list[Trigger]:
    """Meetings, talks, courtesy calls, dinners and receptions."""
    found = []
    for match in _find(_MEETING, context):
        before = context.text[max(context.span.start, match.start() - 25) : match.start()]
        if re.search(r"\b(?:have|has|had)\s+$", before) and match.group(0) == "met":
            continue
        found.append(Trigger(rule="meeting.verb", kind=FactKind.MEETING, span=_span(match), confidence=0.75))
    return found


_VISIT = re.compile(
    r"\b(?:visit(?:ed|ing|s)?\s+(?=[A-Z“\"]|the\b)|will (?:also )?visit|to visit|trip to|toured|tour of|"
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
    for match in _find(_VISIT, context):
        clause = context.clause_of(match.start())
        before = context.text[clause.start : match.start()]
        if re.search(r"\b(?:invit(?:e|es|ed|ing)|request(?:s|ed|ing)?|ask(?:s|ed|ing)?)\b", before, re.IGNORECASE):
            continue
        if _VISITOR_COUNT.search(before):
            continue
        found.append(Trigger(rule="visit.verb", kind=FactKind.VISIT, span=_span(match), confidence=0.7))
    return found


_INVITATION = re.compile(
    r"\b(?:invit(?:ed|es|ing)|(?:intention|plan|plans) to invite|extended an invitation|requested that\b[^.;]{0,50}?"
    r"\bvisit|asked\b[^.;]{0,40}?\bto visit)\b"
)


def invitations(context: SentenceContext) -> list[Trigger]:
    """Invitations made (not invitation programmes, not invitations accepted)."""
    return [
        Trigger(rule="invitation.verb", kind=FactKind.INVITATION, span=_span(match), confidence=0.75)
        for match in _find(_INVITATION, context)
    ]


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
    for match in _find(_CONFERENCE_NOUN, context):
        if any(match.start() < t.span.end and t.span.start < match.end() for t in found):
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
                span=_span(match),
                confidence=0.6,
                attributes=details,
                series=context.series,
            )
        )
    for match in _find(re.compile(r"\b(?:it|which) (?:was|were|is|will be) (?:also )?held\b"), context):
        if context.series is not None and not any(_overlaps(match, t.span) for t in found):
            found.append(
                Trigger(
                    rule="conference.pronoun",
                    kind=FactKind.CONFERENCE_HELD,
                    span=_span(match),
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
    nouns = _find(_PROGRAM_NOUN, context)
    pronoun = re.search(r"\bit\b", context.words(context.span)) is not None and context.program_before
    if not program_mentions and not nouns and not pronoun:
        return found
    words = context.words(context.span)
    if re.search(r"\binvitation program", words, re.IGNORECASE) and not (
        _SUSPENDED.search(words) or _RESUMED.search(words)
    ):
        nouns = [n for n in nouns if "invitation" not in n.group(0).lower()]
    series = program_mentions[0] if program_mentions else context.program
    for pattern, status in ((_SUSPENDED, "suspended"), (_RESUMED, "resumed"), (_ENDED, "ended")):
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
                    span=_span(match),
                    confidence=0.7,
                    series=series,
                )
            )
    for match in _find(_ROUND, context):
        ordinal = match.group("ordinal") or match.group("ordinal2")
        if match.group("ordinal2") and not (program_mentions or nouns):
            continue
        found.append(
            Trigger(
                rule="program.round",
                kind=FactKind.PROGRAM_ROUND_HELD,
                span=_span(match),
                confidence=0.6,
                attributes=[("round", ordinal)] if ordinal else [],
                series=series,
            )
        )
    if program_mentions or nouns:
        for match in list(_find(_STARTED, context)) + list(_find(_ANNIVERSARY, context)):
            found.append(
                Trigger(
                    rule="program.started",
                    kind=FactKind.PROGRAM_STARTED,
                    span=_span(match),
                    confidence=0.6,
                    series=series,
                )
            )
            break
    return found


_ORGANIZATION_NOUN = (
    r"(?:office|center|centre|institute|association|council|committee|agency|branch|bureau|academy|foundation|"
    r"representative office|trade office|business center)"
)
_FOUNDED_PASSIVE = re.compile(
    r"\s+(?:was|were|has been|had been) (?:officially )?(?:established|founded|launched|set up|opened|created)\b"
)
_FOUNDING = re.compile(
    rf"\b(?:the (?:establishment|opening|founding|launch) of (?:the |a |an )?|"
    rf"(?:open(?:ed|s|ing)?|establish(?:ed|es|ing)?|set up|launch(?:ed|es)?|found(?:ed)?) (?:a|an|its|their|the) )"
    rf"(?P<what>(?:[\w()-]+ ){{0,5}}?{_ORGANIZATION_NOUN})\b",
    re.IGNORECASE,
)
_BODY_LEVELS = frozenset({"organization", "government_body", "university", "legislature", "company"})


def organizations(context: SentenceContext) -> list[Trigger]:
    """Bodies established, founded or opened: a known organisation, or 'a trade office', 'a center'."""
    found: list[Trigger] = []
    for mention in context.mentions:
        if mention.level in _BODY_LEVELS and _FOUNDED_PASSIVE.match(context.text, mention.span.end, context.span.end):
            end = _FOUNDED_PASSIVE.match(context.text, mention.span.end, context.span.end)
            assert end is not None
            found.append(
                Trigger(
                    rule="organization.founded",
                    kind=FactKind.ORGANIZATION_ESTABLISHED,
                    span=Span(start=mention.span.start, end=end.end()),
                    confidence=0.8,
                    attributes=[("organization", mention.text)],
                    series=mention,
                )
            )
    for match in _find(_FOUNDING, context):
        what = match.group("what")
        named = next(
            (m for m in context.mentions if m.level in _BODY_LEVELS and m.span.start >= match.start("what") - 2),
            None,
        )
        if named is not None and named.span.start > match.end() + 5:
            named = None
        found.append(
            Trigger(
                rule="organization.opened",
                kind=FactKind.ORGANIZATION_ESTABLISHED,
                span=_span(match),
                confidence=0.65,
                attributes=[("organization", named.text if named else what)],
                series=named,
            )
        )
    return found


_MULTIPLIERS = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "trillion": 1_000_000_000_000}
_UNIT_NOUN = (
    r"(?:people|persons|participants|cases|officials|tourists|visitors|students|companies|firms|enterprises|"
    r"governments|countries|cities|provinces|projects|members|delegates|ties|agreements|times)"
)
_STATISTIC = re.compile(
    rf"(?P<currency>USD|US\$|\$|KRW|₩|RMB|CNY)\s?(?P<amount>\d[\d,]*(?:\.\d+)?)\s?(?P<scale>trillion|billion|million|thousand)?"
    rf"|(?P<amount2>\d[\d,]*(?:\.\d+)?)\s?(?P<scale2>trillion|billion|million|thousand)?\s?"
    rf"(?P<currency2>(?:U\.S\. |US |American )?dollars|won|yuan)(?!\w)"
    rf"|(?P<amount3>\d[\d,]*(?:\.\d+)?)\s?(?P<percent>percent|per cent|%)"
    rf"|(?P<amount4>\d[\d,]*)\s+(?P<unit_words>(?:[a-z-]+\s){{0,4}}?{_UNIT_NOUN})\b"
    rf"|(?P<amount5>\d[\d,]*)\s+of them\b"
)


def _number(amount: str, scale: str | None) -> int | float:
    value = float(amount.replace(",", ""))
    value *= _MULTIPLIERS.get(scale or "", 1)
    return int(value) if value.is_integer() else value


def statistics(context: SentenceContext) -> list[Trigger]:
    """Counts, sums and shares: 'USD 1.89 trillion', '645 cases', '39 percent', '866 people'."""
    found: list[Trigger] = []
    last_end: dict[Span, int] = {}
    for match in _find(_STATISTIC, context):
        clause = context.clause_of(match.start())
        if clause in last_end and not re.search(r"\band\b.{10,}", context.text[last_end[clause] : match.start()]):
            continue
        before = context.text[max(clause.start, match.start() - 2) : match.start()]
        if re.search(r"[\w-]$", before):
            continue
        groups = match.groupdict()
        if groups["currency"] or groups["currency2"]:
            value = _number(groups["amount"] or groups["amount2"], groups["scale"] or groups["scale2"])
            unit = (
                "USD"
                if (groups["currency"] or groups["currency2"] or "").upper().split()[-1]
                in ("USD", "US$", "$", "DOLLARS")
                else (groups["currency"] or groups["currency2"] or "")
            )
        elif groups["percent"]:
            value, unit = _number(groups["amount3"], None), "percent"
        elif groups["unit_words"]:
            value, unit = _number(groups["amount4"], None), groups["unit_words"].split()[-1]
        else:
            value, unit = _number(groups["amount5"], None), "people"
        if isinstance(value, int) and 1900 <= value <= 2100 and unit not in ("percent", "USD"):
            continue
        last_end[clause] = match.end()
        found.append(
            Trigger(
                rule="statistic.number",
                kind=FactKind.STATISTIC,
                span=_span(match),
                confidence=0.6,
                attributes=[("value", value), ("unit", unit)],
            )
        )
    return found


_EXCHANGE = re.compile(
    r"\b(?:exchang(?:ed|ing|e) (?:of )?(?:gifts|delegations|officials|students|staff|personnel|visits|performers|"
    r"artists|civil servants)|(?:engag(?:ed|es|e|ing)|participat(?:ed|es|e|ing)) in (?:[\w,-]+ ){0,6}?exchanges?|"
    r"carr(?:y|ied|ying|ies) out (?:[\w-]+ ){0,3}?exchanges?|(?:exhibition|tournament|performances?|concerts?|"
    r"festival|camp|joint tour packages?|tour packages?|training course|homestays?|exchange tournament)\b)",
    re.IGNORECASE,
)


def exchanges(context: SentenceContext) -> list[Trigger]:
    """Exchanges: of officials, gifts, delegations; tours, exhibitions, tournaments, camps."""
    found = []
    for match in _find(_EXCHANGE, context):
        field = re.sub(
            r"^(?:exchang\w+ (?:of )?|engag\w+ in |participat\w+ in |carr\w+ out )", "", match.group(0), flags=re.I
        )
        found.append(
            Trigger(
                rule="exchange.noun",
                kind=FactKind.EXCHANGE,
                span=_span(match),
                confidence=0.55,
                attributes=[("field", field.strip())],
            )
        )
    return found


_SPEECH = re.compile(
    r"\b(?:said|says|say|added|stated|noted|stressed|emphasi[sz]ed|expressed|voiced|responded|replied|requested|"
    r"urged|hoped|vowed|pledged|promised|agreed (?:to|that|on)|instructed|proposed|called for|explained|"
    r"asserting|attached (?:special )?significance|(?:plans?|intends?) to (?!visit|hold|sign|open|attend)|"
    r"(?:is|are) expected to (?!visit|hold|sign|open|attend)|requested)\b"
)


def statements(context: SentenceContext) -> list[Trigger]:
    """What someone said, hoped, requested or agreed, or an aim or expectation stated."""
    match = next(iter(_find(_SPEECH, context)), None)
    quoted = re.search(r"[“\"][^”\"]{20,}[”\"]", context.words(context.span))
    if match is None and quoted is None:
        return []
    span = _span(match) if match is not None else Span(start=context.span.start, end=context.span.start)
    return [Trigger(rule="statement.speech", kind=FactKind.STATEMENT, span=span, confidence=0.4)]


FAMILIES = (
    relationships,
    agreements,
    meetings,
    visits,
    invitations,
    conferences,
    programs,
    organizations,
    statistics,
    exchanges,
    statements,
)
