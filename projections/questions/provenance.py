"""Where a fact comes from: its source and quote, re-checked against the stored text, and its history."""

from __future__ import annotations

from uuid import UUID

import orjson

from domain.errors import UnknownFact, UnknownSource
from domain.ids import sha256_of
from domain.observer import UNBOUNDED, Observer
from projections.answers import HistoryEntry, Provenance, SourceRef, SourceText
from projections.base import micros_to_datetime
from projections.facts import FactVersion, ResolutionRow
from projections.session import ReadSession, micros
from projections.sources import SourceVersionRow


def provenance(read: ReadSession, fact: UUID, *, observer: Observer = UNBOUNDED) -> Provenance:
    """Where a fact comes from, whether its quote checks out against the stored text now, and its history, as the
    store had them before the observer's ``recorded_before`` (its other times are not used: a fact's provenance
    is the same on every day, from every source's publication)."""
    recorded_before = observer.recorded_before
    with read.reading():
        before = micros(recorded_before)
        versions = read.select(
            FactVersion,
            "facts",
            "versions",
            where="fact_id = ? AND recorded < ?",
            params=(fact.hex, before),
            order="version",
        )
        if not versions:
            when = f" recorded before {recorded_before.isoformat()}" if recorded_before else ""
            msg = f"no fact {fact}{when}"
            raise UnknownFact(msg)
        history = [
            HistoryEntry(
                event=_event_of(version),
                recorded_at=micros_to_datetime(version.recorded),
                position=version.position,
                details=tuple(sorted(orjson.loads(version.details).items())),
            )
            for version in versions
        ]
        resolutions = read.select(
            ResolutionRow,
            "facts",
            "resolutions",
            where="fact_id = ? AND recorded < ?",
            params=(fact.hex, before),
            order="position",
        )
        history.extend(
            HistoryEntry(
                event="resolved",
                recorded_at=micros_to_datetime(row.recorded),
                position=row.position,
                details=(
                    ("facts", [str(UUID(item)) for item in orjson.loads(row.facts)]),
                    ("preferred", str(UUID(row.preferred))),
                    ("this_fact_preferred", UUID(row.preferred) == fact),
                    ("rule", row.rule),
                    ("decided_by", row.decided_by),
                    ("note", row.note),
                ),
            )
            for row in resolutions
        )
        history.sort(key=lambda entry: entry.position)
        latest = versions[-1]
        view = read.view(latest)
        return Provenance(
            fact=view,
            verified=_quote_verifies(read, view.source),
            history=tuple(history),
            notes=tuple(orjson.loads(latest.notes)),
            observer=observer,
        )


def document_facts(read: ReadSession, document: str) -> list[UUID]:
    """Every fact that cites a document, retracted ones included, in the order recorded."""
    with read.reading():
        rows = read.select(
            FactVersion,
            "facts",
            "versions",
            where="document = ? AND version = 1",
            params=(document,),
            order="position",
        )
        return [UUID(row.fact_id) for row in rows]


def source_text(read: ReadSession, document: str, sha256: str | None = None) -> SourceText:
    """The stored text of a version of a document (its newest when ``sha256`` is None), re-hashed now."""
    with read.reading():
        source = read.sources().get(document)
        if source is None:
            msg = f"no source {document!r}"
            raise UnknownSource(msg)
        wanted = sha256 or source.sha256
        rows = read.select(
            SourceVersionRow,
            "sources",
            "versions",
            where="sha256 = ? AND document = ?",
            params=(wanted, document),
        )
        if not rows:
            msg = f"source {document} has no version {wanted[:12]}"
            raise UnknownSource(msg)
        text = _text_at(read, rows[0].position)
        return SourceText(
            document=document,
            sha256=wanted,
            text=text or "",
            intact=text is not None and sha256_of(text) == wanted,
        )


def _quote_verifies(read: ReadSession, source: SourceRef) -> bool:
    try:
        stored = source_text(read, source.document, source.sha256)
    except UnknownSource:
        return False
    return stored.intact and stored.text[source.start : source.end] == source.quote


def _event_of(version: FactVersion) -> str:
    if version.version == 1:
        return "recorded"
    return "retracted" if version.status == "retracted" else "corrected"


def _text_at(read: ReadSession, position: int) -> str | None:
    """The text carried by the source event at ``position`` in the log, if it is still there and readable."""
    state = read.db.event_state(position)
    if state is None:
        return None
    try:
        payload = orjson.loads(state)
    except orjson.JSONDecodeError:
        return None
    text = payload.get("text") if isinstance(payload, dict) else None
    return text if isinstance(text, str) else None
