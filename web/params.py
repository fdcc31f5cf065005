"""Reading a page's state from its URL: the observer and filters, each refused with a one-line reason."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Literal

from starlette.datastructures import QueryParams

from domain.observer import Observer
from domain.vocabulary import RelationshipStatus
from events.values import FactKind

TIE_KINDS = tuple(
    status for status in RelationshipStatus if status not in (RelationshipStatus.NONE, RelationshipStatus.UNKNOWN)
)
_TIE_KINDS = {str(status): status for status in TIE_KINDS}
_FACT_KINDS = {str(kind): kind for kind in FactKind}


class BadRequest(Exception):
    """A parameter of the URL that cannot be used as given: answered with 400 and this message."""


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


def observer_of(params: QueryParams, today: date, *, as_of: Literal["today", "required"] | None = "today") -> Observer:
    """The observer a URL asks as, read as the command line reads ``--as-of`` (today when not given, or required,
    or not asked: questions over all of valid time), ``--known-at`` and ``--recorded-before``; each at most once."""
    day = None
    if as_of == "required":
        day = required(params, "as_of")
    elif as_of == "today":
        day = one(params, "as_of") or "today"
    return Observer.from_text(
        as_of=day,
        known_at=one(params, "known_at"),
        recorded_before=one(params, "recorded_before"),
        today=today,
    )
