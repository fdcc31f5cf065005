"""Relative dates ("last October", "on Tuesday", "six months ago") read against a publication date.

The expression is resolved at both ends of the publication period, so an uncertain publication
date widens the answer instead of being silently narrowed; the result is the tightest EDTF text
that covers every day the expression may mean.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

import attrs
from dateutil.relativedelta import relativedelta

from domain.errors import InvalidInput
from events.values import Period

_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_WEEKDAYS = {name.lower(): number for number, name in enumerate(calendar.day_name)}
_NUMBERS = {
    word: number
    for number, word in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
} | {"thirty": 30, "forty": 40, "fifty": 50}
_ORDINALS = {
    word: number
    for number, word in enumerate(
        [
            "zeroth",
            "first",
            "second",
            "third",
            "fourth",
            "fifth",
            "sixth",
            "seventh",
            "eighth",
            "ninth",
            "tenth",
            "eleventh",
            "twelfth",
            "thirteenth",
            "fourteenth",
            "fifteenth",
            "sixteenth",
            "seventeenth",
            "eighteenth",
            "nineteenth",
            "twentieth",
        ]
    )
} | {"thirtieth": 30, "fortieth": 40, "fiftieth": 50, "sixtieth": 60, "seventieth": 70, "hundredth": 100}
_WEEK = timedelta(days=7)


@attrs.frozen(kw_only=True)
class ResolvedDate:
    """A relative expression turned into a period, with the reading kept as a note."""

    period: Period
    note: str


def _number(text: str) -> int:
    text = text.strip().lower()
    if text.isdigit():
        return int(text)
    if "-" in text:
        tens, _, ones = text.partition("-")
        if tens in _NUMBERS and ones in _NUMBERS:
            return _NUMBERS[tens] + _NUMBERS[ones]
    if text in _NUMBERS:
        return _NUMBERS[text]
    msg = f"not a number: {text!r}"
    raise InvalidInput(msg)


def count_in_words(text: str) -> int:
    """A count written in digits or words ('6', 'six', 'twenty-one'); InvalidInput if it is not one."""
    return _number(text)


def _ordinal(text: str) -> int:
    text = text.strip().lower()
    match = re.fullmatch(r"(\d+)(?:st|nd|rd|th)", text)
    if match:
        return int(match.group(1))
    if text in _ORDINALS:
        return _ORDINALS[text]
    tens, _, ones = text.partition("-")
    if tens in _NUMBERS and ones in _ORDINALS:
        return _NUMBERS[tens] + _ORDINALS[ones]
    msg = f"not an ordinal: {text!r}"
    raise InvalidInput(msg)


def _month_span(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _day_of_month(year: int, month: int, day_text: str, expression: str) -> date:
    try:
        return date(year, month, int(day_text))
    except ValueError:
        msg = f"no such day in {expression!r} of {year}"
        raise InvalidInput(msg) from None


def _span_of_day_in_calendar(text: str, day: date) -> tuple[date, date, str] | None:
    """Weeks, months, named days and year-relative spans (the newer expressions), or None."""
    year = day.year
    monday = day - timedelta(days=day.weekday())
    weeks = {"last week": -1, "this week": 0, "next week": 1}
    if text in weeks:
        start = monday + weeks[text] * _WEEK
        return start, start + timedelta(days=6), "day"
    days = {"yesterday": -1, "tomorrow": 1}
    if text in days:
        found = day + timedelta(days=days[text])
        return found, found, "day"
    months = {"last month": -1, "this month": 0, "next month": 1}
    if text in months:
        found = date(year, day.month, 1) + relativedelta(months=months[text])
        return (*_month_span(found.year, found.month), "month")
    spans = {
        "earlier this year": (date(year, 1, 1), day),
        "later this year": (day, date(year, 12, 31)),
        "earlier this month": (date(year, day.month, 1), day),
        "by the end of this year": (day, date(year, 12, 31)),
        "by the end of next year": (day, date(year + 1, 12, 31)),
    }
    if text in spans:
        return (*spans[text], "day")
    match = re.fullmatch(r"(?:in )?(\w+) (last|this|next) year", text)
    if match and match.group(1) in _MONTHS:
        target = year + {"last": -1, "this": 0, "next": 1}[match.group(2)]
        return (*_month_span(target, _MONTHS[match.group(1)]), "month")
    match = re.fullmatch(r"(?:on )?(?:(\w+) )?(?:(\w+) (\d{1,2})|(\d{1,2}) (\w+))", text)
    if match and (match.group(2) or match.group(5)) in _MONTHS:
        found = _day_of_month(year, _MONTHS[match.group(2) or match.group(5)], match.group(3) or match.group(4), text)
        weekday = match.group(1)
        if weekday is not None and weekday not in _WEEKDAYS:
            return None
        if weekday is not None and _WEEKDAYS[weekday] != found.weekday():
            msg = (
                f"{text!r}: {found.isoformat()} is a {calendar.day_name[found.weekday()]}, not a {weekday.capitalize()}"
            )
            raise InvalidInput(msg)
        return found, found, "day"
    match = re.fullmatch(r"for ([\w-]+) years?", text)
    if match:
        count = _number(match.group(1))
        return date(year - count, 1, 1), date(year - count, 12, 31), "year~"
    match = re.fullmatch(r"(?:the |its |their )?([\w-]+) anniversary", text)
    if match:
        count = _ordinal(match.group(1))
        return date(year - count, 1, 1), date(year - count, 12, 31), "year"
    return None


_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"


def _news_form(text: str, day: date) -> tuple[date, date, str] | None:
    """The forms news prints: 'December 6th', 'on the 21st' (of the month of publication), 'from December 4th
    to 7th', 'from the 8th to the 12th', 'on 26 and 27 June' (both days), or None."""
    plain = re.sub(r"\b(\d{1,2})(?:st|nd|rd|th)\b", r"\1", text)
    if plain != text and any(word in _MONTHS for word in plain.split()):
        found = _span_of_day_in_calendar(plain, day)
        if found is not None:
            return found
    match = re.fullmatch(rf"(?:on )?the {_DAY}", text)
    if match:
        found_day = _day_of_month(day.year, day.month, match.group(1), text)
        return found_day, found_day, "day"
    match = re.fullmatch(rf"(?:from |between )?the {_DAY} (?:to|and|until|through) the {_DAY}", text)
    if match:
        first = _day_of_month(day.year, day.month, match.group(1), text)
        last = _day_of_month(day.year, day.month, match.group(2), text)
        return (first, last, "day") if first <= last else None
    match = re.fullmatch(rf"(?:from |between )?(\w+) {_DAY} ?(?:to|and|until|through|-|–) ?(?:(\w+) )?{_DAY}", text)
    if match and match.group(1) in _MONTHS and (match.group(3) is None or match.group(3) in _MONTHS):
        first = _day_of_month(day.year, _MONTHS[match.group(1)], match.group(2), text)
        last = _day_of_month(day.year, _MONTHS[match.group(3) or match.group(1)], match.group(4), text)
        return (first, last, "day") if first <= last else None
    match = re.fullmatch(rf"(?:on |from |between )?{_DAY} ?(?:to|and|-|–) ?{_DAY} (\w+)", text)
    if match and match.group(3) in _MONTHS:
        first = _day_of_month(day.year, _MONTHS[match.group(3)], match.group(1), text)
        last = _day_of_month(day.year, _MONTHS[match.group(3)], match.group(2), text)
        return (first, last, "day") if first <= last else None
    return None


def _span_of_day(expression: str, day: date) -> tuple[date, date, str]:
    """The days ``expression`` may mean when read on ``day``, and the precision of the answer."""
    text = " ".join(expression.lower().replace(",", " ").split())
    year = day.year
    found_in_news = _news_form(text, day)
    if found_in_news is not None:
        return found_in_news
    found_in_calendar = _span_of_day_in_calendar(text, day)
    if found_in_calendar is not None:
        return found_in_calendar
    if text == "today":
        return day, day, "day"
    if text == "this year":
        return date(year, 1, 1), date(year, 12, 31), "year"
    if text == "last year":
        return date(year - 1, 1, 1), date(year - 1, 12, 31), "year"
    if text == "next year":
        return date(year + 1, 1, 1), date(year + 1, 12, 31), "year"
    match = re.fullmatch(r"(last|this|in|next) (\w+)", text)
    if match and match.group(2) in _MONTHS:
        month = _MONTHS[match.group(2)]
        which = match.group(1)
        if which == "last":
            target = year if month < day.month else year - 1
        elif which == "next":
            target = year if month > day.month else year + 1
        else:
            target = year
        return date(target, month, 1), date(target, month, calendar.monthrange(target, month)[1]), "month"
    match = re.fullmatch(r"(on|previous|last) (\w+)", text)
    if match and match.group(2) in _WEEKDAYS:
        weekday = _WEEKDAYS[match.group(2)]
        if match.group(1) == "on":
            found = day + timedelta(days=(weekday - day.weekday()) % 7)
        else:
            found = day - timedelta(days=(day.weekday() - weekday) % 7)
        return found, found, "day"
    match = re.fullmatch(r"([\w-]+) (year|month|day)s? ago", text)
    if match:
        count = _number(match.group(1))
        unit = match.group(2)
        if unit == "day":
            found = day - timedelta(days=count)
            return found, found, "day"
        if unit == "month":
            found = day - relativedelta(months=count)
            return (
                date(found.year, found.month, 1),
                date(found.year, found.month, calendar.monthrange(found.year, found.month)[1]),
                "month~",
            )
        return date(year - count, 1, 1), date(year - count, 12, 31), "year~"
    msg = (
        f"cannot read the relative date {expression!r}; use today, yesterday, this/last/next year, "
        "last/this/next week or month, N years/months/days ago, for N years, the Nth anniversary, "
        "last/this/in/next <Month>, <Month> next year, on <Month> <day>, on/previous <Weekday>, on the <Nth>, "
        "from <Month> <day> to <day>"
    )
    raise InvalidInput(msg)


def _edtf(lo: date, hi: date, precision: str) -> str:
    approximate = "~" if precision.endswith("~") else ""
    if lo == hi:
        return lo.isoformat() + approximate
    whole_month = lo.day == 1 and hi == date(lo.year, lo.month, calendar.monthrange(lo.year, lo.month)[1])
    if whole_month and (lo.year, lo.month) == (hi.year, hi.month):
        return f"{lo.year:04d}-{lo.month:02d}{approximate}"
    if lo == date(lo.year, 1, 1) and hi == date(lo.year, 12, 31):
        return f"{lo.year:04d}{approximate}"
    if precision.startswith("year") and lo.month == 1 and lo.day == 1 and hi.month == 12 and hi.day == 31:
        return f"{lo.year:04d}{approximate}/{hi.year:04d}{approximate}"
    if precision.startswith("month") and lo.day == 1 and hi.day == calendar.monthrange(hi.year, hi.month)[1]:
        return f"{lo.year:04d}-{lo.month:02d}{approximate}/{hi.year:04d}-{hi.month:02d}{approximate}"
    return f"{lo.isoformat()}/{hi.isoformat()}"


def resolve_relative(expression: str, published: Period) -> ResolvedDate:
    """Read ``expression`` as written on a day within ``published``."""
    if published.earliest is None or published.latest is None:
        msg = f"cannot read {expression!r} against an open publication date {published.edtf!r}"
        raise InvalidInput(msg)
    first = _span_of_day(expression, published.earliest)
    last = _span_of_day(expression, published.latest)
    lo, hi, precision = first[0], last[1], first[2]
    period = Period.from_edtf(_edtf(lo, hi, precision))
    return ResolvedDate(
        period=period,
        note=f"{expression!r} read against publication date {published.edtf}: {period.edtf}",
    )
