"""Immutable values carried by events: periods of time, citations, attributes, and the vocabularies."""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, TypeAlias
from uuid import UUID

import attrs
from dateutil.relativedelta import relativedelta
from edtf import (
    EDTFParseException,
    Interval,
    Level1Interval,
    UncertainOrApproximate,
    UnspecifiedIntervalSection,
    parse_edtf,
    struct_time_to_date,
)


def texts(value: Iterable[str]) -> tuple[str, ...]:
    """An immutable tuple of texts (the converter for tuple-of-str fields)."""
    return tuple(value)


def names(value: Iterable[Name]) -> tuple[Name, ...]:
    """An immutable tuple of names."""
    return tuple(value)


def uuids(value: Iterable[UUID]) -> tuple[UUID, ...]:
    """An immutable tuple of ids."""
    return tuple(value)


class InvalidValue(ValueError):
    """A value that cannot stand in an event: the message names what is wrong with it."""


class UnparsableDate(InvalidValue):
    """A text that is not an EDTF date."""


class ImpossibleDate(InvalidValue):
    """An EDTF text that names no real day (30 February, a period that ends before it starts)."""


class FactKind(enum.StrEnum):
    """What kind of thing a source states happened."""

    RELATIONSHIP_ESTABLISHED = "relationship_established"
    RELATIONSHIP_UPGRADED = "relationship_upgraded"
    RELATIONSHIP_SUSPENDED = "relationship_suspended"
    RELATIONSHIP_RESUMED = "relationship_resumed"
    RELATIONSHIP_ENDED = "relationship_ended"
    EXCHANGES_DISRUPTED = "exchanges_disrupted"
    EXCHANGES_RESUMED = "exchanges_resumed"
    AGREEMENT_SIGNED = "agreement_signed"
    AGREEMENT_REACHED = "agreement_reached"
    MEETING = "meeting"
    VISIT = "visit"
    INVITATION = "invitation"
    CONFERENCE_HELD = "conference_held"
    PROGRAM_STARTED = "program_started"
    PROGRAM_ROUND_HELD = "program_round_held"
    PROGRAM_SUSPENDED = "program_suspended"
    PROGRAM_RESUMED = "program_resumed"
    PROGRAM_ENDED = "program_ended"
    ORGANIZATION_ESTABLISHED = "organization_established"
    OFFICE_HELD = "office_held"
    STATISTIC = "statistic"
    EXCHANGE = "exchange"
    STATEMENT = "statement"
    OTHER = "other"


class Modality(enum.StrEnum):
    """Whether the thing happened, or was only planned or expected when the source was written."""

    OCCURRED = "occurred"
    PLANNED = "planned"
    EXPECTED = "expected"


class RetractionReason(enum.StrEnum):
    """Why a recorded fact no longer stands (``withdrawn``: its document file no longer states it)."""

    SUPERSEDED = "superseded"
    REFUTED = "refuted"
    DUPLICATE = "duplicate"
    WITHDRAWN = "withdrawn"


class SourceKind(enum.StrEnum):
    """What kind of document a source is."""

    PRESS_RELEASE = "press_release"
    NEWS = "news"
    INTERVIEW = "interview"
    REPORT = "report"
    DATABASE = "database"
    OTHER = "other"


class ActorLevel(enum.StrEnum):
    """Where an actor stands: a country, a level of local government, or a body of another kind."""

    COUNTRY = "country"
    PROVINCE = "province"
    MUNICIPALITY = "municipality"
    CITY = "city"
    COUNTY = "county"
    DISTRICT = "district"
    LEGISLATURE = "legislature"
    GOVERNMENT_BODY = "government_body"
    ORGANIZATION = "organization"
    COMPANY = "company"
    UNIVERSITY = "university"
    PROGRAM = "program"
    CONFERENCE_SERIES = "conference_series"


_DAY = timedelta(days=1)
_CALENDAR_DATE = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2}))?")
_OPEN_START = re.compile(r"^\.\.(?=\d)")
_OPEN_END = re.compile(r"(?<=\d)\.\.$")
_PADDING = {
    "day": relativedelta(days=1),
    "month": relativedelta(months=1),
    "year": relativedelta(years=1),
    "decade": relativedelta(years=10),
    "century": relativedelta(years=100),
}


@attrs.frozen(kw_only=True)
class Period:
    """A time in the world as a source gives it: the EDTF text and the days it may fall on.

    ``earliest`` and ``latest`` bound every day the text allows, widened by one unit of its
    precision when it is uncertain (``?``) or approximate (``~``), two when both (``%``);
    ``None`` is an open end. ``1993`` stays a year: it is not 1 January.
    """

    edtf: str
    earliest: date | None
    latest: date | None

    @classmethod
    def from_edtf(cls, text: str) -> Period:
        """Parse an EDTF text (``1993``, ``2019-11-27``, ``2018?``, ``2020/2023``, ``..2024-04-24``)."""
        return _parse_period(text.strip())

    @classmethod
    def day(cls, day: date) -> Period:
        """The period of one known day."""
        return cls(edtf=day.isoformat(), earliest=day, latest=day)

    @property
    def lower(self) -> date:
        """The earliest day, with an open start as the first representable day."""
        return self.earliest or date.min

    @property
    def upper(self) -> date:
        """The latest day, with an open end as the last representable day."""
        return self.latest or date.max

    def __str__(self) -> str:
        return self.edtf

    def to_json(self) -> dict[str, Any]:
        """The stored form: the EDTF text and its bounds (dates, encoded by orjson as ISO days)."""
        return {"edtf": self.edtf, "earliest": self.earliest, "latest": self.latest}


class Unit(enum.IntEnum):
    """How precise a date is, finest first: the unit its span fits in, whatever the calendar's leap days."""

    DAY = 0
    MONTH = 1
    SEASON = 2
    YEAR = 3
    DECADE = 4
    CENTURY = 5
    WIDER = 6
    OPEN = 7


_UNIT_DAYS = (
    (1, Unit.DAY),
    (31, Unit.MONTH),
    (92, Unit.SEASON),
    (366, Unit.YEAR),
    (3653, Unit.DECADE),
    (36525, Unit.CENTURY),
)
_QUALIFIERS = re.compile(r"[~?%]")


@attrs.frozen(order=True)
class Precision:
    """A date's precision for comparing claims: its unit, then whether it is qualified (``~``, ``?``, ``%``)."""

    unit: Unit
    qualified: bool


@lru_cache(maxsize=65536)
def precision_of(edtf: str) -> Precision:
    """The precision of an EDTF text: ``1992`` and ``1993`` are both a year (leap days do not count); ``1993~``
    is less precise than ``1993``; an interval's unit is the one its whole span fits in."""
    qualified = bool(_QUALIFIERS.search(edtf))
    plain = _parse_period(_QUALIFIERS.sub("", edtf)) if qualified else _parse_period(edtf)
    if plain.earliest is None or plain.latest is None:
        return Precision(unit=Unit.OPEN, qualified=qualified)
    days = (plain.latest - plain.earliest).days + 1
    unit = next((unit for limit, unit in _UNIT_DAYS if days <= limit), Unit.WIDER)
    return Precision(unit=unit, qualified=qualified)


@lru_cache(maxsize=65536)
def _parse_period(text: str) -> Period:
    if not text:
        msg = "empty date"
        raise UnparsableDate(msg)
    normalised = _OPEN_END.sub("/..", _OPEN_START.sub("../", text))
    try:
        parsed = parse_edtf(normalised)
    except (EDTFParseException, TypeError):  # edtf 5 raises TypeError for an interval with an empty side ("/..")
        _refuse_impossible_calendar_dates(text)
        msg = f"unparsable EDTF date {text!r}"
        raise UnparsableDate(msg) from None
    try:
        earliest, latest = _bounds(parsed)
    except (ValueError, OverflowError):
        msg = f"impossible date {text!r}: no such day in the calendar"
        raise ImpossibleDate(msg) from None
    if earliest is not None and latest is not None and latest < earliest:
        msg = f"impossible date {text!r}: it ends before it starts"
        raise ImpossibleDate(msg)
    return Period(edtf=normalised, earliest=earliest, latest=latest)


def _refuse_impossible_calendar_dates(text: str) -> None:
    for match in _CALENDAR_DATE.finditer(text):
        year, month, day = int(match.group(1)), int(match.group(2)), match.group(3)
        if month == 0 or 12 < month < 21 or month > 41:
            msg = f"impossible date {text!r}: there is no month {month:02d}"
            raise ImpossibleDate(msg)
        if day is not None and month <= 12:
            try:
                date(year, month, int(day))
            except ValueError:
                msg = f"impossible date {text!r}: {match.group(0)} is not in the calendar"
                raise ImpossibleDate(msg) from None


def _bounds(parsed: Any) -> tuple[date | None, date | None]:
    if isinstance(parsed, UnspecifiedIntervalSection):
        return None, None
    if isinstance(parsed, Interval | Level1Interval):
        return _bounds(parsed.lower)[0], _bounds(parsed.upper)[1]
    if isinstance(parsed, UncertainOrApproximate):
        earliest, latest = _strict(parsed.date)
        if parsed.ua is None or (earliest is None and latest is None):
            return earliest, latest
        padding = _PADDING.get(getattr(parsed.date, "precision", None) or "day", _PADDING["day"])
        if parsed.ua.is_uncertain_and_approximate:
            padding = padding * 2
        return (
            None if earliest is None else _clamp(earliest, -padding),
            None if latest is None else _clamp(latest + _DAY, padding) - _DAY,
        )
    return _fuzzy(parsed)


def _strict(parsed: Any) -> tuple[date | None, date | None]:
    return _end(parsed.lower_strict), _end(parsed.upper_strict)


def _fuzzy(parsed: Any) -> tuple[date | None, date | None]:
    return _end(parsed.lower_fuzzy), _end(parsed.upper_fuzzy)


def _end(bound: Any) -> date | None:
    try:
        value = bound()
    except TypeError:
        return None
    result = struct_time_to_date(value)
    if not isinstance(result, date):
        return None
    return result


def _clamp(day: date, delta: relativedelta) -> date:
    try:
        shifted: date = day + delta
    except (OverflowError, ValueError):
        return date.min if delta.years < 0 or delta.months < 0 or delta.days < 0 else date.max
    return shifted


@attrs.frozen(kw_only=True)
class Citation:
    """Where a fact comes from: a source version (by its sha256), a span of its text, and the quote."""

    document: str
    sha256: str
    start: int
    end: int
    quote: str

    def to_json(self) -> dict[str, Any]:
        """The stored form: every field by name."""
        return {
            "document": self.document,
            "sha256": self.sha256,
            "start": self.start,
            "end": self.end,
            "quote": self.quote,
        }


AttributeValue: TypeAlias = str | int | float | bool | tuple[str, ...] | None


def _attribute_items(
    value: Mapping[str, Any] | Iterator[tuple[str, Any]] | tuple[Any, ...],
) -> tuple[tuple[str, AttributeValue], ...]:
    pairs = value.items() if isinstance(value, Mapping) else value
    items: list[tuple[str, AttributeValue]] = []
    for key, raw in pairs:
        if not isinstance(key, str) or not key:
            msg = f"attribute names must be non-empty strings, not {key!r}"
            raise InvalidValue(msg)
        items.append((key, _attribute_value(key, raw)))
    return tuple(sorted(items))


def _attribute_value(key: str, raw: Any) -> AttributeValue:
    if isinstance(raw, int) and not isinstance(raw, bool) and not -(2**63) <= raw < 2**63:
        msg = f"attribute {key!r} is a number too large to store ({len(str(abs(raw)))} digits; at most 64 bits)"
        raise InvalidValue(msg)
    if isinstance(raw, float) and not math.isfinite(raw):
        msg = f"attribute {key!r} must be a finite number, not {raw!r}"
        raise InvalidValue(msg)
    if raw is None or isinstance(raw, str | bool | int | float):
        return raw
    if isinstance(raw, list | tuple) and all(isinstance(item, str) for item in raw):
        return tuple(raw)
    msg = f"attribute {key!r} must be text, a number, true/false or a list of texts, not {raw!r}"
    raise InvalidValue(msg)


@attrs.frozen(kw_only=True)
class Attributes:
    """Named details of a fact (``level``, ``reason``, ``participants``...), sorted by name."""

    items: tuple[tuple[str, AttributeValue], ...] = attrs.field(factory=tuple, converter=_attribute_items)

    @classmethod
    def of(cls, values: Mapping[str, Any] | None = None) -> Attributes:
        """Attributes from a mapping of names to values."""
        return cls(items=tuple((values or {}).items()))

    def get(self, name: str, default: AttributeValue = None) -> AttributeValue:
        """The value of ``name``, or ``default``."""
        for key, value in self.items:
            if key == name:
                return value
        return default

    def as_dict(self) -> dict[str, AttributeValue]:
        """The attributes as a plain mapping, for JSON."""
        return dict(self.items)

    def to_json(self) -> dict[str, Any]:
        """The stored form: a JSON object, lists for tuples."""
        return {key: list(value) if isinstance(value, tuple) else value for key, value in self.items}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Attributes:
        """Rebuild from the stored form."""
        return cls(items=tuple(data.items()))


@attrs.frozen(kw_only=True)
class Name:
    """A name of an actor in one language (``en``, ``ko``, ``zh``), official or an alias."""

    text: str
    lang: str
    official: bool = True
