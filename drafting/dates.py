"""Dates in a sentence, with their true precision: never a day the text does not give.

Written dates become EDTF through the ``edtf`` package, checked against the precision the text
shows ("in October 1993" is ``1993-10``, never a day of it). Dates without a year ("on June 26",
"last October", "on Monday", "25 years ago", "for 19 years", "the 30th anniversary") are kept
as relative expressions and read against the publication date by ``domain.relative_dates``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import attrs
from edtf import text_to_edtf

from domain.errors import InvalidInput
from domain.relative_dates import count_in_words, resolve_relative
from drafting.model import DateMention, Span
from events.values import InvalidValue, Period

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_ABBREVIATIONS = {"Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "Jun": 6, "Jul": 7, "Aug": 8, "Sep": 9, "Sept": 9}
_ABBREVIATIONS |= {"Oct": 10, "Nov": 11, "Dec": 12}
MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)"
)
WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
YEAR = r"(?:19|20)\d{2}"
NUMBER = (
    r"(?:\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|(?:twenty|thirty|forty)-(?:one|two|three|"
    r"four|five|six|seven|eight|nine))"
)
ORDINAL = (
    r"(?:\d{1,3}(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|"
    r"twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth|"
    r"fortieth|fiftieth|sixtieth|(?:twenty|thirty|forty)-(?:first|second|third|fourth|fifth|sixth|seventh|"
    r"eighth|ninth))"
)
_SUFFIX = r"(?:st|nd|rd|th)?"
_YEAR_PREPOSITIONS = (
    r"(?:in|In|since|Since|from|From|by|By|until|Until|till|of|during|During|before|Before|after|After|around|"
    r"Around|circa|about|early|late|mid-|end of|year|as of|As of|through)"
)
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("year_after", re.compile(rf"\b(?P<year>{YEAR}), the year (?P<which>after|before)\b")),
    (
        "range",
        re.compile(
            rf"\b(?P<since>[Ff]rom|[Bb]etween) (?P<first>(?:{MONTH} )?{YEAR}) (?:to|and|until|through|till) "
            rf"(?P<last>(?:{MONTH} )?{YEAR}|this year)\b"
        ),
    ),
    ("range", re.compile(rf"\b(?P<first>{YEAR})\s?[-–](?P<last>{YEAR})\b")),
    ("day", re.compile(rf"\b(?:{WEEKDAY},? )?{MONTH} \d{{1,2}}(?:st|nd|rd|th)?,? {YEAR}\b")),
    ("day", re.compile(rf"\b\d{{1,2}} {MONTH},? {YEAR}\b")),
    ("day", re.compile(r"\b\d{4}-\d{2}-\d{2}\b")),
    ("month", re.compile(rf"\b(?:(?:early|mid|late)[- ])?{MONTH},? {YEAR}\b")),
    (
        "day_range",
        re.compile(
            rf"\b(?:[Ff]rom |[Bb]etween )?(?P<month>{MONTH}) (?P<first>\d{{1,2}}){_SUFFIX} ?"
            rf"(?:to|and|until|through|-|–) ?(?:(?P<month2>{MONTH}) )?(?P<last>\d{{1,2}}){_SUFFIX}"
            rf"(?:,? (?P<year>{YEAR}))?\b"
        ),
    ),
    (
        "day_range",
        re.compile(
            rf"\b(?:[Ff]rom |[Bb]etween |[Oo]n )?(?P<first>\d{{1,2}}){_SUFFIX} ?(?:to|and|-|–) ?"
            rf"(?P<last>\d{{1,2}}){_SUFFIX} (?P<month>{MONTH})(?:,? (?P<year>{YEAR}))?\b"
        ),
    ),
    (
        "days_of_month",
        re.compile(
            r"\b(?:[Ff]rom |[Bb]etween )the (?P<first>\d{1,2})(?:st|nd|rd|th) (?:to|and|until) "
            r"the (?P<last>\d{1,2})(?:st|nd|rd|th)\b"
        ),
    ),
    (
        "day_of_month",
        re.compile(
            r"(?:\b[Oo]n|\bof) the (?P<day>\d{1,2})(?:st|nd|rd|th)\b(?!\s+(?:floor|anniversary|century|round|edition|"
            r"session|meeting|conference|year|time|day|generation|term|place|largest|biggest|most|consecutive|[A-Z]))"
        ),
    ),
    ("month_of_year", re.compile(rf"\b(?:[Ii]n )?(?P<month>{MONTH}) (?:of )?(?P<which>this|next|last) year\b")),
    (
        "month_day",
        re.compile(rf"\b(?:[Oo]n )?(?:(?P<weekday>{WEEKDAY}),? )?(?P<month>{MONTH}) (?P<day>\d{{1,2}}){_SUFFIX}\b"),
    ),
    ("month_day", re.compile(rf"\b(?:[Oo]n )?(?P<day>\d{{1,2}}){_SUFFIX} (?:of )?(?P<month>{MONTH})\b")),
    ("relative_month", re.compile(rf"\b(?P<which>last|this|next|[Ii]n|[Ss]ince|[Uu]ntil|[Bb]y) (?P<month>{MONTH})\b")),
    (
        "relative",
        re.compile(
            r"\b(?:last|this|next) (?:year|week|month)\b|\byesterday\b|\btoday\b|\b(?:earlier|later) this year\b"
            r"|\bearlier this month\b|\bby the end of (?:this|next) year\b",
            re.IGNORECASE,
        ),
    ),
    ("ago", re.compile(rf"\b(?P<count>{NUMBER}) (?P<unit>year|month|day)s? ago\b", re.IGNORECASE)),
    ("duration", re.compile(rf"\bfor (?:the (?:past|last) )?(?P<count>{NUMBER}) years?\b", re.IGNORECASE)),
    ("anniversary", re.compile(rf"\b(?P<ordinal>{ORDINAL}) anniversary\b", re.IGNORECASE)),
    ("weekday", re.compile(rf"\b(?:[Oo]n )?(?P<weekday>{WEEKDAY})\b")),
    ("year", re.compile(rf"\b(?P<prep>{_YEAR_PREPOSITIONS})\s+(?:the year )?(?P<year>{YEAR})\b(?![-–]\d)")),
    ("year", re.compile(rf"(?:^|(?<=[.;:]\s))(?P<year>{YEAR})\b(?=,)")),
)


def _month_number(text: str) -> int:
    name = text.rstrip(".")
    if name in _MONTHS:
        return _MONTHS.index(name) + 1
    return _ABBREVIATIONS[name]


def _checked_edtf(phrase: str, shape: str) -> str | None:
    """The EDTF ``edtf.text_to_edtf`` gives for ``phrase``, kept only if it has the precision the text shows."""
    converted = text_to_edtf(re.sub(r"^(?:early|mid|late)[- ]", "", phrase))
    if converted is None:
        return None
    value = str(converted)
    expected = {"day": r"\d{4}-\d{2}-\d{2}", "month": r"\d{4}-\d{2}", "year": r"\d{4}"}[shape]
    if not re.fullmatch(expected, value):
        return None
    try:
        Period.from_edtf(value)
    except InvalidValue:
        return None
    return value


def _month_year(text: str) -> str:
    match = re.fullmatch(rf"(?P<month>{MONTH}) (?P<year>{YEAR})|(?P<only>{YEAR})", text)
    if match is None:
        msg = f"not a month or a year: {text!r}"
        raise InvalidInput(msg)
    if match.group("only"):
        return match.group("only")
    return f"{match.group('year')}-{_month_number(match.group('month')):02d}"


def _relative(expression: str, published: Period) -> Period | None:
    try:
        return resolve_relative(expression, published).period
    except (InvalidInput, InvalidValue):
        return None


@attrs.frozen(kw_only=True)
class _Reading:
    """What one date phrase says: an EDTF value or a relative expression, where it is, whether it is a start."""

    edtf: str | None = None
    relative: str | None = None
    since: bool = False
    start: int | None = None
    each: tuple[str, ...] = ()


def _year_after(match: re.Match[str], published: Period) -> _Reading | None:
    year = int(match.group("year")) + (-1 if match.group("which") == "after" else 1)
    return _Reading(edtf=str(year), start=match.start("which") - len("the year "))


def _range(match: re.Match[str], published: Period) -> _Reading | None:
    last_text = match.group("last")
    if last_text == "this year":
        resolved = _relative("this year", published)
        if resolved is None:
            return None
        last = resolved.edtf
    else:
        last = _month_year(last_text)
    return _Reading(edtf=f"{_month_year(match.group('first'))}/{last}", since=True)


def _written(shape: str) -> Callable[[re.Match[str], Period], _Reading | None]:
    def read(match: re.Match[str], published: Period) -> _Reading | None:
        edtf = _checked_edtf(re.sub(rf"^{WEEKDAY},? ", "", match.group(0)), shape)
        return None if edtf is None else _Reading(edtf=edtf)

    return read


def _year(match: re.Match[str], published: Period) -> _Reading | None:
    prep = match.groupdict().get("prep") or ""
    year = match.group("year")
    approximate = prep.lower() in ("around", "circa", "about")
    return _Reading(edtf=f"{year}~" if approximate else year, since=prep.lower() in ("since", "from"))


def _day_range(match: re.Match[str], published: Period) -> _Reading | None:
    month = _month_number(match.group("month"))
    second = match.groupdict().get("month2")
    last_month = _month_number(second) if second else month
    first, last = int(match.group("first")), int(match.group("last"))
    if (last_month, last) <= (month, first):
        return None
    year = match.group("year")
    both = " and " in match.group(0)
    if year is not None:
        days = (f"{year}-{month:02d}-{first:02d}", f"{year}-{last_month:02d}-{last:02d}")
        return _Reading(edtf="/".join(days), each=days if both else ())
    ending = f"{_MONTHS[last_month - 1]} {last}" if last_month != month else str(last)
    days = (f"on {_MONTHS[month - 1]} {first}", f"on {_MONTHS[last_month - 1]} {last}")
    return _Reading(relative=f"from {_MONTHS[month - 1]} {first} to {ending}", each=days if both else ())


def _days_of_month(match: re.Match[str], published: Period) -> _Reading | None:
    first, last = int(match.group("first")), int(match.group("last"))
    if last <= first:
        return None
    return _Reading(relative=f"from the {_ordinal_of(first)} to the {_ordinal_of(last)}")


def _day_of_month(match: re.Match[str], published: Period) -> _Reading | None:
    return _Reading(relative=f"on the {_ordinal_of(int(match.group('day')))}")


def _ordinal_of(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _month_of_year(match: re.Match[str], published: Period) -> _Reading | None:
    month, which = match.group("month").rstrip("."), match.group("which")
    return _Reading(relative=f"in {month}" if which == "this" else f"in {month} {which} year")


def _month_day(match: re.Match[str], published: Period) -> _Reading | None:
    weekday = match.groupdict().get("weekday")
    month = _MONTHS[_month_number(match.group("month")) - 1]
    return _Reading(relative=f"on {weekday + ', ' if weekday else ''}{month} {int(match.group('day'))}")


def _relative_month(match: re.Match[str], published: Period) -> _Reading | None:
    which = match.group("which").lower()
    month = _MONTHS[_month_number(match.group("month")) - 1]
    return _Reading(relative=f"{'in' if which in ('since', 'until', 'by') else which} {month}", since=which == "since")


_READERS: dict[str, Callable[[re.Match[str], Period], _Reading | None]] = {
    "year_after": _year_after,
    "range": _range,
    "day": _written("day"),
    "month": _written("month"),
    "year": _year,
    "month_of_year": _month_of_year,
    "day_range": _day_range,
    "days_of_month": _days_of_month,
    "day_of_month": _day_of_month,
    "month_day": _month_day,
    "relative_month": _relative_month,
    "relative": lambda match, _published: _Reading(relative=match.group(0).lower()),
    "ago": lambda match, _published: _Reading(
        relative=f"{match.group('count').lower()} {match.group('unit').lower()}s ago"
    ),
    "duration": lambda match, _published: _Reading(relative=f"for {match.group('count').lower()} years"),
    "anniversary": lambda match, _published: _Reading(relative=f"the {match.group('ordinal').lower()} anniversary"),
    "weekday": lambda match, _published: _Reading(relative=f"on {match.group('weekday')}"),
}


def _mention(kind: str, match: re.Match[str], published: Period) -> DateMention | None:
    reading = _READERS[kind](match, published)
    if reading is None:
        return None
    period: Period | None
    if reading.edtf is not None:
        try:
            period = Period.from_edtf(reading.edtf)
        except InvalidValue:
            return None
    elif reading.relative is not None:
        period = _relative(reading.relative, published)
    else:
        return None
    if period is None:
        return None
    start = match.start() if reading.start is None else reading.start
    each = tuple(p for p in (_each(day, published) for day in reading.each) if p is not None)
    return DateMention(
        span=Span(start=start, end=match.end()),
        text=match.string[start : match.end()],
        period=period,
        edtf=reading.edtf,
        relative=reading.relative,
        since=reading.since,
        each=each if len(each) == len(reading.each) else (),
    )


def _each(day: str, published: Period) -> Period | None:
    if day.startswith("on "):
        return _relative(day, published)
    try:
        return Period.from_edtf(day)
    except InvalidValue:
        return None


_ANCHORED = re.compile(
    rf"\b(?:(?:on|at) )?(?:the )?(?P<next>next|following) day\b|\b(?:on )?(?:the )?same day\b|\bthat day\b|"
    rf"\bthe day before\b|\b(?P<count>{NUMBER}|a) days? (?P<way>later|earlier|after|before)\b"
    r"(?! (?:the|its|their|his|her)\b)",
    re.IGNORECASE,
)


def anchored_dates(text: str, span: Span, anchor: DateMention | None) -> list[DateMention]:
    """Dates counted from the last day the text gave ('the next day', 'the same day', 'two days later'), each with
    the day it counts from; none unless that date is a single day."""
    if anchor is None or anchor.period.earliest is None or anchor.period.earliest != anchor.period.latest:
        return []
    day = anchor.period.earliest
    found = []
    for match in _ANCHORED.finditer(text, span.start, span.end):
        if match.group("next"):
            days = 1
        elif match.group("count") is None:
            days = -1 if "before" in match.group(0).lower() else 0
        else:
            word = match.group("count").lower()
            count = 1 if word in ("a", "one") else _count_of(word)
            if count is None:
                continue
            days = count if match.group("way").lower() in ("later", "after") else -count
        edtf = (day + timedelta(days=days)).isoformat()
        found.append(
            DateMention(
                span=Span(start=match.start(), end=match.end()),
                text=match.group(0),
                period=Period.from_edtf(edtf),
                edtf=edtf,
                anchor=anchor.text,
            )
        )
    return found


def _count_of(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    try:
        return count_in_words(word)
    except InvalidInput:
        return None


def find_dates(text: str, span: Span, published: Period) -> list[DateMention]:
    """The dates written in ``text[span]``, earliest-starting and longest first, never overlapping."""
    found: list[DateMention] = []
    piece = text[: span.end]
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(piece, span.start):
            if any(match.start() < other.span.end and other.span.start < match.end() for other in found):
                continue
            mention = _mention(kind, match, published)
            if mention is not None:
                found.append(mention)
    return sorted(found, key=lambda mention: mention.span.start)


def anniversary_from(mention: DateMention, anchor: DateMention) -> DateMention | None:
    """'the 20th anniversary' in a sentence dated 2017: the year counted from, 1997."""
    if mention.relative is None or not mention.relative.endswith("anniversary") or anchor.period.earliest is None:
        return None
    ordinal = re.sub(r"^the |\s*anniversary$", "", mention.relative)
    match = re.fullmatch(r"(\d+)(?:st|nd|rd|th)", ordinal)
    if match is None or anchor.period.latest is None or anchor.period.earliest.year != anchor.period.latest.year:
        return None
    year = anchor.period.earliest.year - int(match.group(1))
    return DateMention(span=mention.span, text=mention.text, period=Period.from_edtf(str(year)), edtf=str(year))
