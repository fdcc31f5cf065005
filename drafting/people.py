"""Office holders ("Gyeonggi Province Governor Lee Jae-myung", "Lim Kyung-sook, President of Suwon University")
and the later short forms that name them ("Governor Lee", "Mayor Tang"), read as their actors.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import attrs

from drafting.model import Mention, Span

TITLE = (
    r"(?:Provincial Party Secretary|Municipal Party Secretary|Party Secretary|Secretary[- ]General|Vice Governor|"
    r"Lieutenant Governor|Acting Governor|Governor|Gov\.|Vice Mayor|Deputy Mayor|Acting Mayor|Mayor|"
    r"Deputy Minister(?: for [A-Z][a-z]+(?: [A-Z][a-z]+)*)?|Vice Minister|Minister|Deputy Director[- ]General|"
    r"Director[- ]General|Director|Chairperson|Chairman|Chairwoman|Chair|Speaker|Vice President|President|"
    r"Ambassador|Consul[- ]General|Councilor|Councillor|Commissioner|Premier|Vice Premier|Head|Secretary|"
    r"Researcher|Professor|Chief)"
)
NAME = r"(?:[A-Z][a-z]+(?:\s[A-Z][a-z]+|-[a-z]+|-[A-Z][a-z]+){1,3})"
SURNAME = r"(?:[A-Z][a-z]{1,}(?:-[a-z]+)?)"
_ACTOR_THEN_TITLE = re.compile(
    rf"^(?:’s|'s)?\s+(?:Provincial\s+|Municipal\s+|Metropolitan\s+)?(?P<title>{TITLE})\s+(?P<name>{NAME})\b"
)
_NAME_COMMA_TITLE = re.compile(
    rf"\b(?P<name>{NAME}),\s+(?:a\s+|an\s+|the\s+)?(?P<title>(?i:{TITLE}))\s+(?:of|at|in)\s+(?:the\s+)?$"
)
_NAME_IS_TITLE = re.compile(
    rf"\b(?P<name>{NAME})\s+is\s+(?:a\s+|an\s+|the\s+)?(?P<title>(?i:{TITLE}))\s+(?:of|at)\s+(?:the\s+)?"
)
_LED_BY = re.compile(rf"^\s+(?:led|headed) by\s+(?:its\s+)?(?P<title>{TITLE})\s+(?P<name>{NAME})\b")
_TITLE_NAME_OF = re.compile(rf"\b(?P<title>{TITLE})\s+(?P<name>{NAME})\s+of\s+(?:the\s+)?$")
_TITLE_OF_ACTOR_NAME = re.compile(rf"(?P<title>{TITLE})\s+(?:at|of)\s+(?:the\s+)?$")
_NOT_NAMES = frozenset({"The", "This", "That", "His", "Her", "Their", "And", "But", "In", "On", "At", "Of"})


@attrs.frozen(kw_only=True)
class Office:
    """A person named with a title at an actor: the office_held fact it states and its span."""

    person: str
    title: str
    actor: Mention
    span: Span

    @property
    def role(self) -> str:
        """The office as a phrase: the title and where it is held."""
        return f"{self.title} of {self.actor.text}"


def _clean_title(title: str) -> str:
    return {"Gov.": "Governor"}.get(title, title)


def _usable(name: str) -> bool:
    return name.split(maxsplit=1)[0] not in _NOT_NAMES


def _office(mention: Mention, name: re.Match[str], title: re.Match[str], start: int, end: int) -> Office:
    """The office a title and a name printed around an actor's mention state, over the words that state it."""
    return Office(
        person=name.group("name"),
        title=_clean_title(title.group("title")),
        actor=mention,
        span=Span(start=start, end=end),
    )


def find_offices(text: str, mentions: Sequence[Mention], body_start: int) -> list[Office]:
    """Every 'actor Title Name', 'Name, Title of actor' and 'Name is title of actor' in the body."""
    offices: list[Office] = []
    for mention in mentions:
        after = _ACTOR_THEN_TITLE.match(text[mention.span.end : mention.span.end + 120])
        if after and _usable(after.group("name")):
            offices.append(_office(mention, after, after, mention.span.start, mention.span.end + after.end()))
            continue
        before = text[max(body_start, mention.span.start - 160) : mention.span.start]
        found = _NAME_COMMA_TITLE.search(before)
        if found and _usable(found.group("name")):
            start = mention.span.start - len(before) + found.start()
            offices.append(_office(mention, found, found, start, mention.span.end))
            continue
        led = _LED_BY.match(text[mention.span.end : mention.span.end + 100])
        if led and _usable(led.group("name")):
            offices.append(
                _office(mention, led, led, mention.span.end + led.start("title"), mention.span.end + led.end())
            )
            continue
        named_then = _TITLE_NAME_OF.search(before)
        if named_then and _usable(named_then.group("name")):
            start = mention.span.start - len(before) + named_then.start()
            offices.append(_office(mention, named_then, named_then, start, mention.span.end))
            continue
        titled = _TITLE_OF_ACTOR_NAME.search(before)
        named = re.match(rf"\s+(?P<name>{NAME})\b", text[mention.span.end : mention.span.end + 60])
        if titled and named and _usable(named.group("name")):
            start = mention.span.start - len(before) + titled.start()
            offices.append(_office(mention, named, titled, start, mention.span.end + named.end()))
    for match in _NAME_IS_TITLE.finditer(text, body_start):
        if not _usable(match.group("name")):
            continue
        stop = text.find(".", match.end())
        following = [m for m in mentions if match.end() <= m.span.start < (stop if stop >= 0 else len(text))]
        if following:
            offices.append(
                Office(
                    person=match.group("name"),
                    title=match.group("title")[:1].upper() + match.group("title")[1:],
                    actor=following[0],
                    span=Span(start=match.start(), end=stop + 1 if stop >= 0 else following[0].span.end),
                )
            )
    offices.sort(key=lambda office: office.span.start)
    unique: list[Office] = []
    for office in offices:
        if not any(office.span.start < other.span.end and other.span.start < office.span.end for other in unique):
            unique.append(office)
    return unique


def _tokens(person: str) -> list[str]:
    return [token for token in re.split(r"\s+", person) if len(token) >= 2]


def person_mentions(text: str, offices: Sequence[Office], body_start: int) -> list[Mention]:
    """Later references to office holders ('Governor Kim', 'Party Secretary Hao', 'Zhao') as their actors."""
    by_token: dict[str, set[str]] = {}
    by_title_token: dict[tuple[str, str], str] = {}
    holders: dict[str, Office] = {}
    for office in offices:
        holders[office.actor.key] = office
        for token in _tokens(office.person):
            by_token.setdefault(token, set()).add(office.actor.key)
            by_title_token[(office.title.split()[-1], token)] = office.actor.key
    if not by_token:
        return []
    inside = [office.span for office in offices]
    found: list[Mention] = []
    pattern = re.compile(rf"\b(?:(?P<title>{TITLE})\s+)?(?P<token>{SURNAME})\b")
    for match in pattern.finditer(text, body_start):
        token = match.group("token")
        span = Span(start=match.start(), end=match.end())
        if any(other.covers(span) for other in inside):
            continue
        title = match.group("title")
        key: str | None = None
        if title is not None:
            key = by_title_token.get((_clean_title(title).split()[-1], token))
        if key is None and len(by_token.get(token, ())) == 1:
            neighbour_before = text[max(0, match.start() - 2) : match.start()]
            neighbour_after = text[match.end() : match.end() + 2]
            standalone = not re.match(r"\s[A-Z]", neighbour_after) and not re.search(
                r"[A-Z][a-z]*\s$", neighbour_before
            )
            if title is not None or standalone:
                key = next(iter(by_token[token]))
        if key is None:
            continue
        office = holders[key]
        found.append(
            Mention(
                span=span,
                text=match.group(0),
                key=key,
                level=office.actor.level,
                country=office.actor.country,
                how=f"person: {office.person} ({office.role})",
            )
        )
    return found
