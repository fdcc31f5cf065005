"""Reading a page's state from its URL: dates, observers and filters, each refused with a one-line reason."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime

import attrs
from starlette.datastructures import QueryParams

from domain.vocabulary import RelationshipStatus
from events.values import FactKind, InvalidValue, Period

DATE_HELP = "YYYY-MM-DD; a year or a month alone means its last day"
TIE_KINDS = tuple(
    status for status in RelationshipStatus if status not in (RelationshipStatus.NONE, RelationshipStatus.UNKNOWN)
)
_TIE_KINDS = {str(status): status for status in TIE_KINDS}
_FACT_KINDS = {str(kind): kind for kind in FactKind}


class BadRequest(Exception):
    """A parameter of the URL that cannot be used as given: answered with 400 and this message."""


def parse_day(text: str, name: str) -> date:
    """An ISO date, as the command line reads it: a year or a month alone means its last day."""
    period = _period(text)
    parts = text.strip().split("-")
    if period is None or period.latest is None or len(parts) > 3 or not all(part.isdigit() for part in parts):
        msg = f"{name}: {text!r} is not a date ({DATE_HELP})"
        raise BadRequest(msg)
    return period.latest


def parse_first_day(text: str, name: str) -> date:
    """The first day of a date, month or year (for the start of a span)."""
    latest = parse_day(text, name)
    period = _period(text)
    return period.earliest if period is not None and period.earliest is not None else latest


def _period(text: str) -> Period | None:
    try:
        return Period.from_edtf(text.strip())
    except InvalidValue:
        return None


def parse_moment(text: str, name: str) -> datetime:
    """An ISO timestamp (UTC unless it says otherwise); a date alone means its start."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        msg = f"{name}: {text!r} is not a timestamp (e.g. 2026-01-31T12:00:00Z)"
        raise BadRequest(msg) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def one(params: QueryParams, name: str) -> str | None:
    """A parameter given at most once, blank meaning absent."""
    values = [value for value in params.getlist(name) if value.strip()]
    if len(values) > 1:
        msg = f"{name}: given {len(values)} times, expected once"
        raise BadRequest(msg)
    return values[0].strip() if values else None


def required(params: QueryParams, name: str) -> str:
    """A parameter that must be given."""
    value = one(params, name)
    if value is None:
        msg = f"{name}: missing"
        raise BadRequest(msg)
    return value


def many(params: QueryParams, name: str) -> tuple[str, ...]:
    """Every non-blank value of a repeatable parameter, in order, without repeats."""
    return tuple(dict.fromkeys(value.strip() for value in params.getlist(name) if value.strip()))


def optional_day(params: QueryParams, name: str) -> date | None:
    value = one(params, name)
    return None if value is None else parse_day(value, name)


def optional_moment(params: QueryParams, name: str) -> datetime | None:
    value = one(params, name)
    return None if value is None else parse_moment(value, name)


def tie_kinds(values: Sequence[str]) -> tuple[RelationshipStatus, ...]:
    """Relationship statuses to show; none given means all but ``none``."""
    unknown = [value for value in values if value not in _TIE_KINDS]
    if unknown:
        msg = f"kind: {unknown[0]!r} is not a kind of tie (one of {', '.join(_TIE_KINDS)})"
        raise BadRequest(msg)
    return tuple(_TIE_KINDS[value] for value in values) or TIE_KINDS


def fact_kinds(values: Sequence[str]) -> tuple[FactKind, ...]:
    """Fact kinds to keep; none given means all."""
    unknown = [value for value in values if value not in _FACT_KINDS]
    if unknown:
        msg = f"kind: {unknown[0]!r} is not a fact kind (one of {', '.join(_FACT_KINDS)})"
        raise BadRequest(msg)
    return tuple(_FACT_KINDS[value] for value in values)


def flag(params: QueryParams, name: str) -> bool:
    """A yes/no parameter: absent, ``0``, ``false`` or ``no`` mean no."""
    value = one(params, name)
    return value is not None and value.lower() not in ("0", "false", "no", "off")


@attrs.frozen(kw_only=True)
class Observer:
    """Which day is asked about, and as known from which sources and records."""

    as_of: date
    known_at: date | None
    recorded_before: datetime | None

    @classmethod
    def from_params(cls, params: QueryParams, today: date) -> Observer:
        return cls(
            as_of=optional_day(params, "as_of") or today,
            known_at=optional_day(params, "known_at"),
            recorded_before=optional_moment(params, "recorded_before"),
        )

    def query(self) -> dict[str, str]:
        """The observer as URL parameters."""
        found = {"as_of": self.as_of.isoformat()}
        if self.known_at is not None:
            found["known_at"] = self.known_at.isoformat()
        if self.recorded_before is not None:
            found["recorded_before"] = self.recorded_before.isoformat()
        return found
