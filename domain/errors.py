"""What the domain refuses, each with a message a person can act on."""

from __future__ import annotations

from collections.abc import Sequence

from events.values import ImpossibleDate, InvalidValue, UnparsableDate


class ParadipError(Exception):
    """A refusal of the domain: the message names the problem and where it is."""


class InvalidInput(ParadipError):
    """An input that cannot become an event (a bad value, a missing field, a malformed file)."""


class InvalidTime(InvalidInput):
    """A date or timestamp a person gave that cannot be read as one."""


class UnknownActor(ParadipError):
    """A name or code that no registered actor carries."""

    def __init__(self, name: str, candidates: Sequence[str] = ()) -> None:
        self.name = name
        self.candidates = tuple(candidates)
        hint = f"; closest: {', '.join(self.candidates)}" if self.candidates else ""
        super().__init__(f"unknown actor {name!r}{hint}")


class AmbiguousActor(ParadipError):
    """A name that several actors carry: the caller must say which."""

    def __init__(self, name: str, candidates: Sequence[str]) -> None:
        self.name = name
        self.candidates = tuple(candidates)
        super().__init__(f"ambiguous actor {name!r}: could be {', '.join(self.candidates)}")


class WrongKindOfActor(ParadipError):
    """An actor asked about as what it is not (a province as a programme)."""


class UnknownSource(ParadipError):
    """A document (or a version of it) that the store does not hold."""


class QuoteNotInSource(ParadipError):
    """A quote that is not found, or not at the given offsets, in its source's text."""


class UnknownFact(ParadipError):
    """A fact id that the store does not hold."""


class FactAlreadyRetracted(ParadipError):
    """A command on a fact that was retracted: a retracted fact cannot be corrected or retracted."""


class InvalidStoreUrl(InvalidInput):
    """A store URL that names no store Paradip can use (an unknown scheme, no file, no database)."""


class StoreNotFound(InvalidInput):
    """A store a read was asked of that does not exist: reads never create one."""


class ConflictingDefinition(ParadipError):
    """A registration that contradicts what the store already holds under the same key."""


__all__ = [
    "AmbiguousActor",
    "ConflictingDefinition",
    "FactAlreadyRetracted",
    "ImpossibleDate",
    "InvalidInput",
    "InvalidStoreUrl",
    "InvalidTime",
    "InvalidValue",
    "ParadipError",
    "QuoteNotInSource",
    "StoreNotFound",
    "UnknownActor",
    "UnknownFact",
    "UnknownSource",
    "UnparsableDate",
    "WrongKindOfActor",
]
