"""What every trigger family works with: the trigger it proposes, the sentence it reads, and the words
of status (suspended, resumed, ended) that ties and programmes share."""

from __future__ import annotations

import re
from collections.abc import Sequence

import attrs

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


def find(pattern: re.Pattern[str], context: SentenceContext) -> list[re.Match[str]]:
    """Every match of ``pattern`` within the sentence."""
    return list(pattern.finditer(context.text[: context.span.end], context.span.start))


def span_of(match: re.Match[str], group: int | str = 0) -> Span:
    """The span of a match (or of one of its groups)."""
    return Span(start=match.start(group), end=match.end(group))


SUSPENDED = re.compile(
    r"\b(?:suspend(?:ed|s|ing)?|suspension|froze|frozen|halt(?:ed|s)?|on hold|hiatus|paused|stall(?:ed|s)?|"
    r"interrupt(?:ed|ion)|stopped)\b",
    re.IGNORECASE,
)
RESUMED = re.compile(
    r"\b(?:resum(?:e|ed|es|ing|ption)|restor(?:e|ed|ing)|reviv(?:e|ed|ing)|restart(?:ed|s|ing)?|"
    r"pick(?:ed|ing|s)? up again|normali[sz](?:ed|ing))\b",
    re.IGNORECASE,
)
ENDED = re.compile(r"\b(?:terminat(?:e|ed|ing)|sever(?:ed|ing)?|cut (?:off )?ties|dissolv(?:e|ed|ing))\b", re.I)
