"""Which facts stand, with which values, as recorded at which time: every version of every fact."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import orjson

from events.facts import ConflictResolved, FactCorrected, FactRecorded, FactRetracted
from projections.base import Envelope, Projection, Table, Writer, recorded_micros
from projections.rows import json_text, period_bounds


class FactVersion(NamedTuple):
    """One version of a fact: its values from one event on, and when the store recorded them."""

    fact_id: str
    version: int
    position: int
    recorded: int
    status: str
    kind: str
    modality: str
    parties: str
    edtf: str
    valid_lo: str
    valid_hi: str
    published: str
    pub_lo: str
    pub_hi: str
    attributes: str
    document: str
    sha256: str
    quote_start: int
    quote_end: int
    quote: str
    notes: str
    details: str


class FactKey(NamedTuple):
    """Only a fact's id, for questions that list facts before reading their versions."""

    fact_id: str


class ResolutionRow(NamedTuple):
    """A resolution filed under one of the facts it names."""

    fact_id: str
    resolution_id: str
    version: int
    position: int
    recorded: int
    facts: str
    preferred: str
    rule: str
    decided_by: str
    note: str


class FactVersions(Projection):
    """Which facts stand, with which values, as recorded at which time (every version of every fact)."""

    name = "facts"
    version = 1
    topics = (FactRecorded, FactCorrected, FactRetracted, ConflictResolved)
    tables = (
        Table.of(
            "versions",
            FactVersion,
            key=("fact_id", "version"),
            indexes=(("position",),),
            clustered=False,
        ),
        Table.of("resolutions", ResolutionRow, key=("fact_id", "resolution_id", "version")),
    )

    def handle(self, events: Sequence[Envelope], out: Writer) -> None:
        versions: list[FactVersion] = []
        written: dict[str, FactVersion] = {}
        resolutions: list[ResolutionRow] = []
        for envelope in events:
            payload = envelope.payload
            kind = envelope.type
            if kind == "FactRecorded":
                row = fact_row(envelope, "current", payload.get("notes", []), {})
            elif kind == "FactCorrected":
                previous = written.get(envelope.originator_id) or latest_version(out, envelope.originator_id)
                details = {"reason": payload["reason"], "decided_by": payload["decided_by"]}
                row = fact_row(envelope, "corrected", orjson.loads(previous.notes), details)
            elif kind == "FactRetracted":
                previous = written.get(envelope.originator_id) or latest_version(out, envelope.originator_id)
                details = {
                    "reason": payload["reason"],
                    "note": payload["note"],
                    "decided_by": payload["decided_by"],
                    "superseded_by": payload["superseded_by"],
                }
                row = retracted_row(envelope, previous, details)
            else:
                resolutions.extend(resolution_rows(envelope))
                continue
            written[envelope.originator_id] = row
            versions.append(row)
        out.insert("versions", versions)
        out.insert("resolutions", resolutions)


def fact_row(envelope: Envelope, status: str, notes: Any, details: dict[str, Any]) -> FactVersion:
    """A version row from a FactRecorded or FactCorrected payload."""
    payload = envelope.payload
    edtf, valid_lo, valid_hi = period_bounds(payload["date"])
    published, pub_lo, pub_hi = period_bounds(payload["published"])
    citation = payload["citation"]
    return FactVersion(
        envelope.originator_id,
        envelope.originator_version,
        envelope.position,
        recorded_micros(payload["timestamp"]),
        status,
        payload["kind"],
        payload["modality"],
        json_text(payload["parties"]),
        edtf,
        valid_lo,
        valid_hi,
        published,
        pub_lo,
        pub_hi,
        json_text(payload["attributes"]),
        citation["document"],
        citation["sha256"],
        citation["start"],
        citation["end"],
        citation["quote"],
        json_text(notes),
        json_text(details),
    )


def retracted_row(envelope: Envelope, previous: FactVersion, details: dict[str, Any]) -> FactVersion:
    """The version row of a retraction: the last values, marked retracted."""
    return previous._replace(
        version=envelope.originator_version,
        position=envelope.position,
        recorded=recorded_micros(envelope.payload["timestamp"]),
        status="retracted",
        details=json_text(details),
    )


def latest_version(out: Writer, fact_id: str) -> FactVersion:
    """The newest stored version row of a fact."""
    columns = ", ".join(FactVersion._fields)
    rows = out.execute(
        f"SELECT {columns} FROM {{versions}} WHERE fact_id = ? ORDER BY version DESC LIMIT 1", (fact_id,)
    )
    if not rows:
        msg = f"fact {fact_id} was changed before it was recorded: the log is inconsistent"
        raise LookupError(msg)
    return FactVersion._make(rows[0])


def resolution_rows(envelope: Envelope) -> list[ResolutionRow]:
    """One row per fact named in a resolution, so a fact finds the resolutions it is part of."""
    payload = envelope.payload
    facts = [str(fact).replace("-", "") for fact in payload["facts"]]
    return [
        ResolutionRow(
            fact_id=fact,
            resolution_id=envelope.originator_id,
            version=envelope.originator_version,
            position=envelope.position,
            recorded=recorded_micros(payload["timestamp"]),
            facts=json_text(facts),
            preferred=str(payload["preferred"]).replace("-", ""),
            rule=payload["rule"],
            decided_by=payload["decided_by"],
            note=payload["note"],
        )
        for fact in facts
    ]
