"""Who is asking, and when: the three times every question is answered at, and the one reader of a person's
dates and timestamps that the command line, the web pages and the JSON API share."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import attrs

from domain.errors import InvalidTime
from events.values import InvalidValue, Period

DATE_HELP = "YYYY-MM-DD or today; a year or a month alone means its last day"
TIMESTAMP_EXAMPLE = "2026-01-31T12:00:00Z"


@attrs.frozen(kw_only=True)
class Observer:
    """Valid time (what had happened by ``as_of``), publication time (only sources that may have been published
    by ``known_at``) and system time (only what the store had recorded before ``recorded_before``). None means no
    bound: every day for ``as_of`` (the questions over all of valid time), every source, everything recorded."""

    as_of: date | None = None
    known_at: date | None = None
    recorded_before: datetime | None = None

    @classmethod
    def from_text(
        cls,
        *,
        as_of: str | None = None,
        known_at: str | None = None,
        recorded_before: str | None = None,
        today: date,
        label: Callable[[str], str] = str,
    ) -> Observer:
        """The observer a person typed; ``label`` spells each time's name as they gave it (``--as-of``, ``as_of``)."""
        return cls(
            as_of=None if as_of is None else read_day(as_of, label("as_of"), today=today),
            known_at=None if known_at is None else read_day(known_at, label("known_at"), today=today),
            recorded_before=None if recorded_before is None else read_moment(recorded_before, label("recorded_before")),
        )

    @property
    def day(self) -> date:
        """The day a status is asked on (InvalidTime when the observer names none)."""
        if self.as_of is None:
            msg = "as_of: a status is asked on a day; give one"
            raise InvalidTime(msg)
        return self.as_of

    def on(self, day: date) -> Observer:
        """The same observer asking about another day."""
        return attrs.evolve(self, as_of=day)

    def sees_published(self, earliest: date) -> bool:
        """Whether a source whose publication may start on ``earliest`` is in view."""
        return self.known_at is None or earliest <= self.known_at

    def given(self) -> dict[str, str]:
        """The bounds given, by name, as ISO text (those left unbounded are left out): for links that ask again."""
        return {name: value for name, value in self.to_json().items() if value is not None}

    def to_json(self) -> dict[str, Any]:
        return {
            "as_of": None if self.as_of is None else self.as_of.isoformat(),
            "known_at": None if self.known_at is None else self.known_at.isoformat(),
            "recorded_before": None if self.recorded_before is None else self.recorded_before.isoformat(),
        }


UNBOUNDED = Observer()


def read_day(text: str, name: str, *, today: date) -> date:
    """A day a person typed: an ISO date, ``today``, or a year or a month alone, meaning its last day."""
    return _bounds(text, name, today)[1]


def read_first_day(text: str, name: str, *, today: date) -> date:
    """The first day of what a person typed (for the start of a span): a year or a month alone means its first."""
    return _bounds(text, name, today)[0]


def read_moment(text: str, name: str) -> datetime:
    """A timestamp a person typed: ISO 8601, UTC unless it says otherwise; a date alone means its start."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        msg = f"{name}: {text!r} is not a timestamp (e.g. {TIMESTAMP_EXAMPLE})"
        raise InvalidTime(msg) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _bounds(text: str, name: str, today: date) -> tuple[date, date]:
    """The first and last day of a plain date, month or year (no EDTF qualifier or interval), or of ``today``."""
    cleaned = text.strip()
    if cleaned.casefold() == "today":
        return today, today
    parts = cleaned.split("-")
    try:
        period = Period.from_edtf(cleaned) if len(parts) <= 3 and all(part.isdigit() for part in parts) else None
    except InvalidValue:
        period = None
    if period is None or period.earliest is None or period.latest is None:
        msg = f"{name}: {text!r} is not a date ({DATE_HELP})"
        raise InvalidTime(msg)
    return period.earliest, period.latest
