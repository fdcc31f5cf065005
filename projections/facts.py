"""Which facts stand, with which values, as recorded at which time: every version of every fact."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson

from events.facts import ConflictResolved, FactCorrected, FactRecorded, FactRetracted
from projections.base import Envelope, Projection, Table, Writer, recorded_micros
from projections.rows import json_text, period_bounds

VERSION_COLUMNS = (
    ("fact_id", "text"),
    ("version", "int"),
    ("position", "int"),
    ("recorded", "int"),
    ("status", "text"),
    ("kind", "text"),
    ("modality", "text"),
    ("parties", "text"),
    ("edtf", "text"),
    ("valid_lo", "text"),
    ("valid_hi", "text"),
    ("published", "text"),
    ("pub_lo", "text"),
    ("pub_hi", "text"),
    ("attributes", "text"),
    ("document", "text"),
    ("sha256", "text"),
    ("quote_start", "int"),
    ("quote_end", "int"),
    ("quote", "text"),
    ("notes", "text"),
    ("details", "text"),
)
_STATUS_COLUMN = 4


class FactVersions(Projection):
    """Which facts stand, with which values, as recorded at which time (every version of every fact)."""

    name = "facts"
    version = 1
    topics = (FactRecorded, FactCorrected, FactRetracted, ConflictResolved)
    tables = (
        Table("versions", VERSION_COLUMNS, key=("fact_id", "version"), indexes=(("position",), ("document",))),
        Table(
            "resolutions",
            (
                ("fact_id", "text"),
                ("resolution_id", "text"),
                ("version", "int"),
                ("position", "int"),
                ("recorded", "int"),
                ("facts", "text"),
                ("preferred", "text"),
                ("rule", "text"),
                ("decided_by", "text"),
                ("note", "text"),
            ),
            key=("fact_id", "resolution_id", "version"),
        ),
    )

    def handle(self, events: Sequence[Envelope], out: Writer) -> None:
        versions: list[tuple[Any, ...]] = []
        written: dict[str, tuple[Any, ...]] = {}
        resolutions: list[tuple[Any, ...]] = []
        for envelope in events:
            payload = envelope.payload
            kind = envelope.type
            if kind == "FactRecorded":
                row = fact_row(envelope, "current", payload.get("notes", []), {})
            elif kind == "FactCorrected":
                previous = written.get(envelope.originator_id) or latest_version(out, envelope.originator_id)
                details = {"reason": payload["reason"], "decided_by": payload["decided_by"]}
                row = fact_row(envelope, "corrected", _notes(previous), details)
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


def _notes(previous: tuple[Any, ...]) -> Any:
    return orjson.loads(previous[20])


def fact_row(envelope: Envelope, status: str, notes: Any, details: dict[str, Any]) -> tuple[Any, ...]:
    """A version row from a FactRecorded or FactCorrected payload."""
    payload = envelope.payload
    edtf, valid_lo, valid_hi = period_bounds(payload["date"])
    published, pub_lo, pub_hi = period_bounds(payload["published"])
    citation = payload["citation"]
    return (
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


def retracted_row(envelope: Envelope, previous: tuple[Any, ...], details: dict[str, Any]) -> tuple[Any, ...]:
    """The version row of a retraction: the last values, marked retracted."""
    return (
        envelope.originator_id,
        envelope.originator_version,
        envelope.position,
        recorded_micros(envelope.payload["timestamp"]),
        "retracted",
        *previous[_STATUS_COLUMN + 1 : -1],
        json_text(details),
    )


def latest_version(out: Writer, fact_id: str) -> tuple[Any, ...]:
    """The newest stored version row of a fact."""
    rows = out.execute("SELECT * FROM {versions} WHERE fact_id = ? ORDER BY version DESC LIMIT 1", (fact_id,))
    if not rows:
        msg = f"fact {fact_id} was changed before it was recorded: the log is inconsistent"
        raise LookupError(msg)
    return tuple(rows[0])


def resolution_rows(envelope: Envelope) -> list[tuple[Any, ...]]:
    """One row per fact named in a resolution, so a fact finds the resolutions it is part of."""
    payload = envelope.payload
    facts = [str(fact).replace("-", "") for fact in payload["facts"]]
    common = (
        envelope.originator_id,
        envelope.originator_version,
        envelope.position,
        recorded_micros(payload["timestamp"]),
        json_text(facts),
        str(payload["preferred"]).replace("-", ""),
        payload["rule"],
        payload["decided_by"],
        payload["note"],
    )
    return [(fact, *common) for fact in facts]
