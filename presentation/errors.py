"""What a refusal means to a person: one line, and whether it was their input (exit 2) or a failure (exit 1)."""

from __future__ import annotations

import attrs

from domain.errors import (
    AmbiguousActor,
    InvalidInput,
    InvalidStoreUrl,
    InvalidTime,
    ParadipError,
    StoreNotFound,
    UnknownActor,
    UnknownFact,
    UnknownSource,
    WrongKindOfActor,
)
from events.values import InvalidValue
from projections.registry import ProjectionError

USAGE = 2
FAILURE = 1
LONGEST_LINE = 400


@attrs.frozen(kw_only=True)
class Refusal:
    """A refusal as shown: its one line and its exit code (2: the input cannot be used; 1: it failed)."""

    message: str
    exit_code: int


REFUSED = (ParadipError, InvalidValue, ProjectionError)
USAGE_ERRORS = (
    UnknownActor,
    AmbiguousActor,
    UnknownFact,
    UnknownSource,
    StoreNotFound,
    InvalidStoreUrl,
    InvalidTime,
    WrongKindOfActor,
)


def refusal(error: Exception) -> Refusal:
    """How a domain refusal is shown: a name or id the store does not know is a usage problem."""
    usage = isinstance(error, USAGE_ERRORS)
    return Refusal(message=one_line(str(error)), exit_code=USAGE if usage else FAILURE)


def one_line(text: str) -> str:
    """A message on one line, cut to a readable length (an echoed 120 KB name helps nobody)."""
    line = " ".join(text.split())
    return line if len(line) <= LONGEST_LINE else line[: LONGEST_LINE - 1] + "…"


__all__ = ["FAILURE", "REFUSED", "USAGE", "InvalidInput", "Refusal", "one_line", "refusal"]
