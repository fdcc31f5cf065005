"""Bodies established, figures stated and statements made: the words that propose them."""

from __future__ import annotations

import re

from drafting.kinds import FOUNDED_LEVELS
from drafting.model import Span
from drafting.triggers.base import SentenceContext, Trigger, find, span_of
from events.values import FactKind

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


def organizations(context: SentenceContext) -> list[Trigger]:
    """Bodies established, founded or opened: a known organisation, or 'a trade office', 'a center'."""
    found: list[Trigger] = []
    for mention in context.mentions:
        if mention.level in FOUNDED_LEVELS and _FOUNDED_PASSIVE.match(context.text, mention.span.end, context.span.end):
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
    for match in find(_FOUNDING, context):
        what = match.group("what")
        named = next(
            (m for m in context.mentions if m.level in FOUNDED_LEVELS and m.span.start >= match.start("what") - 2),
            None,
        )
        if named is not None and named.span.start > match.end() + 5:
            named = None
        found.append(
            Trigger(
                rule="organization.opened",
                kind=FactKind.ORGANIZATION_ESTABLISHED,
                span=span_of(match),
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
    for match in find(_STATISTIC, context):
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
                span=span_of(match),
                confidence=0.6,
                attributes=[("value", value), ("unit", unit)],
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
    match = next(iter(find(_SPEECH, context)), None)
    quoted = re.search(r"[“\"][^”\"]{20,}[”\"]", context.words(context.span))
    if match is None and quoted is None:
        return []
    span = span_of(match) if match is not None else Span(start=context.span.start, end=context.span.start)
    return [Trigger(rule="statement.speech", kind=FactKind.STATEMENT, span=span, confidence=0.4)]
