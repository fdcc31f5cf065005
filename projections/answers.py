"""The answers Paradip gives: immutable values with the JSON form that scripts rely on."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any
from uuid import UUID

import attrs

from domain.errors import InvalidInput
from domain.facts import FactStatus
from domain.names import NamedActor
from domain.observer import Observer
from domain.vocabulary import Certainty, ProgramStatus, RelationshipStatus
from events.values import Attributes, FactKind, Modality


@attrs.frozen(kw_only=True)
class SourceRef:
    """The source of a fact as shown with it: which document, which version, which words."""

    document: str
    title: str
    publisher: str
    published: str
    sha256: str
    start: int
    end: int
    quote: str

    def to_json(self) -> dict[str, Any]:
        return attrs.asdict(self)


@attrs.frozen(kw_only=True)
class FactView:
    """A fact as the read models hold it, in the values it has at the time asked about."""

    fact_id: UUID
    kind: FactKind
    modality: Modality
    parties: tuple[str, ...]
    date: str
    attributes: Attributes
    source: SourceRef
    recorded_at: datetime
    status: FactStatus
    via: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        data = {
            "fact_id": str(self.fact_id),
            "kind": str(self.kind),
            "modality": str(self.modality),
            "parties": list(self.parties),
            "date": self.date,
            "attributes": self.attributes.to_json(),
            "source": self.source.to_json(),
            "recorded_at": self.recorded_at.isoformat(),
            "status": str(self.status),
        }
        if self.via:
            data["via"] = list(self.via)
        return data


@attrs.frozen(kw_only=True)
class Conflict:
    """Claims that disagree about one thing, and which one is preferred and why."""

    subject: str
    claims: tuple[FactView, ...]
    preferred: UUID
    rule: str
    decided_by: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "claims": [claim.to_json() for claim in self.claims],
            "preferred": str(self.preferred),
            "rule": self.rule,
            "decided_by": self.decided_by,
        }


@attrs.frozen(kw_only=True)
class BodyTie:
    """How a tie through a body of one of two governments (an assembly, an institute) stood on the date asked."""

    parties: tuple[str, str]
    status: RelationshipStatus
    certainty: Certainty
    since: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "parties": list(self.parties),
            "status": str(self.status),
            "certainty": str(self.certainty),
            "since": self.since,
        }


@attrs.frozen(kw_only=True)
class RelationshipState:
    """How the relationship between two actors stood on a date, as known from what sources."""

    parties: tuple[str, str]
    observer: Observer
    status: RelationshipStatus
    certainty: Certainty
    since: str | None
    events: tuple[FactView, ...]
    conflicts: tuple[Conflict, ...]
    bodies: tuple[BodyTie, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "parties": list(self.parties),
            **self.observer.to_json(),
            "status": str(self.status),
            "certainty": str(self.certainty),
            "since": self.since,
            "events": [event.to_json() for event in self.events],
            "conflicts": [conflict.to_json() for conflict in self.conflicts],
            "bodies": [tie.to_json() for tie in self.bodies],
        }


@attrs.frozen(kw_only=True)
class Partner:
    """One counterpart of an actor and where their relationship stands."""

    party: str
    name: str
    status: RelationshipStatus
    certainty: Certainty
    since: str | None
    via: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "party": self.party,
            "name": self.name,
            "status": str(self.status),
            "certainty": str(self.certainty),
            "since": self.since,
            "via": self.via,
        }


@attrs.frozen(kw_only=True)
class Partners:
    """An actor's counterparts abroad on a date."""

    actor: str
    observer: Observer
    partners: tuple[Partner, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "actor": self.actor,
            **self.observer.to_json(),
            "partners": [partner.to_json() for partner in self.partners],
        }


@attrs.frozen(kw_only=True)
class ProgramState:
    """How a programme or conference series stood on a date."""

    program: str
    name: str
    observer: Observer
    status: ProgramStatus
    certainty: Certainty
    since: str | None
    events: tuple[FactView, ...]
    conflicts: tuple[Conflict, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "program": self.program,
            "name": self.name,
            **self.observer.to_json(),
            "status": str(self.status),
            "certainty": str(self.certainty),
            "since": self.since,
            "events": [event.to_json() for event in self.events],
            "conflicts": [conflict.to_json() for conflict in self.conflicts],
        }


@attrs.frozen(kw_only=True)
class StatusPeriod:
    """A stretch of valid time over which a relationship's status and its certainty stay the same."""

    start: date
    end: date
    status: RelationshipStatus
    certainty: Certainty
    since: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "status": str(self.status),
            "certainty": str(self.certainty),
            "since": self.since,
        }


@attrs.frozen(kw_only=True)
class RelationshipHistory:
    """How a relationship's status changed over a span of valid time, and the facts behind it."""

    parties: tuple[str, str]
    names: tuple[str, str]
    observer: Observer
    periods: tuple[StatusPeriod, ...]
    events: tuple[FactView, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "parties": list(self.parties),
            "names": list(self.names),
            "periods": [period.to_json() for period in self.periods],
            "events": [event.to_json() for event in self.events],
        }


@attrs.frozen(kw_only=True)
class Chronology:
    """Facts in valid-time order (a timeline), as the observer sees them."""

    observer: Observer
    facts: tuple[FactView, ...]

    def to_json(self) -> dict[str, Any]:
        return {"events": [fact.to_json() for fact in self.facts]}


def _details(value: Iterable[tuple[str, Any]]) -> tuple[tuple[str, Any], ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class HistoryEntry:
    """One event in a fact's life: recorded, corrected, retracted or resolved."""

    event: str
    recorded_at: datetime
    position: int
    details: tuple[tuple[str, Any], ...] = attrs.field(converter=_details)

    def to_json(self) -> dict[str, Any]:
        return {
            "event": self.event,
            "recorded_at": self.recorded_at.isoformat(),
            "position": self.position,
            **dict(self.details),
        }


@attrs.frozen(kw_only=True)
class Provenance:
    """Where a fact comes from, whether its quote still checks out, and what happened to it since."""

    fact: FactView
    verified: bool
    history: tuple[HistoryEntry, ...]
    notes: tuple[str, ...]
    observer: Observer

    def to_json(self) -> dict[str, Any]:
        return {
            "recorded_before": self.observer.to_json()["recorded_before"],
            "fact": self.fact.to_json(),
            "source": self.fact.source.to_json(),
            "quote": self.fact.source.quote,
            "start": self.fact.source.start,
            "end": self.fact.source.end,
            "verified": self.verified,
            "history": [entry.to_json() for entry in self.history],
            "notes": list(self.notes),
        }


@attrs.frozen(kw_only=True)
class SourceText:
    """The stored text of one version of a document, and whether it still hashes to its address."""

    document: str
    sha256: str
    text: str
    intact: bool

    def to_json(self) -> dict[str, Any]:
        return attrs.asdict(self)


@attrs.frozen(kw_only=True)
class SourceSummary:
    """A document the store holds, its newest version and how many facts cite it."""

    document: str
    title: str
    publisher: str
    published: str
    published_note: str
    language: str
    kind: str
    address: str | None
    sha256: str
    versions: int
    facts: int

    def to_json(self) -> dict[str, Any]:
        return attrs.asdict(self)


@attrs.frozen(kw_only=True)
class ActorSummary:
    """An actor with its codes and names."""

    key: str
    code: str
    name: str
    name_ko: str | None
    name_zh: str | None
    level: str
    country: str
    parent: str | None
    former_codes: tuple[str, ...]
    aliases: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        data = attrs.asdict(self)
        data["former_codes"] = list(self.former_codes)
        data["aliases"] = list(self.aliases)
        return data

    def named(self) -> NamedActor:
        """The actor as name resolution sees it: its key, every code and every name."""
        names = (self.name, self.name_ko, self.name_zh, *self.aliases)
        return NamedActor(
            key=self.key,
            codes=(self.code, *self.former_codes),
            names=tuple(name for name in names if name),
        )


@attrs.frozen(kw_only=True)
class ProjectionStatus:
    """A read model, how far into the log it has read, the head of the log, and the worker holding it."""

    name: str
    position: int
    head: int
    generation: int
    state: str
    origin: str
    worker: str = ""

    @property
    def lag(self) -> int:
        """How many positions of the log it has still to read."""
        return max(self.head - self.position, 0)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "position": self.position,
            "head": self.head,
            "lag": self.lag,
            "generation": self.generation,
            "state": self.state,
            "origin": self.origin,
            "worker": self.worker or None,
        }


@attrs.frozen(kw_only=True)
class Digest:
    """The hash chain's digest of the log up to a position: an anchor to keep outside the store."""

    position: int
    digest: str

    @property
    def token(self) -> str:
        """The digest as one word to keep and give back: ``POSITION:SHA256``."""
        return f"{self.position}:{self.digest}"

    @classmethod
    def parse(cls, token: str) -> Digest:
        """A digest from its token; InvalidInput when it is not ``POSITION:SHA256``."""
        position, separator, digest = token.strip().partition(":")
        if (
            not separator
            or not position.isdigit()
            or len(digest) != 64
            or not all(c in "0123456789abcdef" for c in digest)
        ):
            msg = f"{token[:80]!r} is not a digest (write POSITION:SHA256, as 'paradip digest' prints it)"
            raise InvalidInput(msg)
        return cls(position=int(position), digest=digest)

    def to_json(self) -> dict[str, Any]:
        return {"position": self.position, "digest": self.digest, "token": self.token}


@attrs.frozen(kw_only=True)
class Verification:
    """The outcome of re-checking every stored source and quote."""

    sources_checked: int
    facts_checked: int
    events_checked: int
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "sources_checked": self.sources_checked,
            "facts_checked": self.facts_checked,
            "events_checked": self.events_checked,
            "problems": list(self.problems),
        }
