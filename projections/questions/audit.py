"""Has anything been changed behind the engine's back? Every source, quote, fact id and the log's hash chain."""

from __future__ import annotations

from domain.errors import InvalidInput
from domain.ids import fact_id as derive_fact_id
from domain.ids import sha256_of
from events.facts import FactCorrected, FactRecorded
from events.sources import SourceRegistered, SourceRevised
from projections.answers import Digest, Verification
from projections.base import Envelope
from projections.ledger import GENESIS, Anchor, Checkpoint, Head, chain
from projections.session import ReadSession

PAGE = 1000


def digest(read: ReadSession, at: int | None = None) -> Digest:
    """The hash chain's digest of the log up to position ``at`` (the head when None): keep it elsewhere,
    and ``verify(digest=...)`` later proves the log up to that position unchanged."""
    with read.reading():
        head = read.engine.log.head()
        position = head if at is None else at
        if position < 0 or position > head:
            msg = f"position {position} is not in the log (its head is {head})"
            raise InvalidInput(msg)
        digest, after = GENESIS, 0
        while after < position and (page := read.engine.log.read(after, PAGE)):
            for envelope in page:
                if envelope.position > position:
                    break
                digest = _link(digest, envelope)
            after = page[-1].position
        return Digest(position=position, digest=digest)


def verify(read: ReadSession, digest: Digest | None = None) -> Verification:
    """Re-hash every source version, re-derive every fact id, re-check every quote, and the log's hash chain
    against the ledger, the anchors no rebuild rewrites, and a digest kept elsewhere if one is given."""
    with read.reading():
        problems: list[str] = []
        texts: dict[str, str] = {}
        sources = facts = events = 0
        chained = GENESIS
        checkpoints = {row.position: row.digest for row in read.select(Checkpoint, "ledger", "checkpoints")}
        checkpoints.update((row.position, row.digest) for row in read.select(Head, "ledger", "head"))
        anchors = {row.position: row.digest for row in read.select(Anchor, "ledger", "anchors")}
        if digest is not None:
            anchors[digest.position] = digest.digest
        ledger_position = read.marker("ledger")[1]
        after = 0
        while page := read.engine.log.read(after, PAGE):
            for envelope in page:
                events += 1
                chained = _link(chained, envelope)
                if checkpoints.get(envelope.position, chained) != chained:
                    problems.append(
                        f"event log changed at or before position {envelope.position}: "
                        "its hash chain no longer matches the ledger"
                    )
                elif anchors.get(envelope.position, chained) != chained:
                    kept = "the digest given" if digest and digest.position == envelope.position else "its anchor"
                    problems.append(
                        f"event log changed at or before position {envelope.position}: "
                        f"its hash chain no longer matches {kept}"
                    )
                try:
                    event = envelope.event
                except Exception as error:
                    problems.append(f"event {envelope.position} cannot be read: {error}")
                    continue
                if isinstance(event, SourceRegistered | SourceRevised):
                    sources += 1
                    if sha256_of(event.text) != event.sha256:
                        problems.append(
                            f"source text at position {envelope.position} does not hash to {event.sha256[:12]}"
                        )
                    texts[event.sha256] = event.text
                elif isinstance(event, FactRecorded | FactCorrected):
                    facts += isinstance(event, FactRecorded)
                    problems.extend(_check_fact(event, envelope.position, texts))
            after = page[-1].position
        if ledger_position and ledger_position > after:
            problems.append(
                f"the ledger has seen position {ledger_position} but the log ends at {after}: events were removed"
            )
        if digest is not None and digest.position > after:
            problems.append(f"the digest given is of position {digest.position} but the log ends at {after}")
        return Verification(
            sources_checked=sources, facts_checked=facts, events_checked=events, problems=tuple(problems)
        )


def _link(digest: str, envelope: Envelope) -> str:
    return chain(
        digest,
        (envelope.position, envelope.originator_id, envelope.originator_version, envelope.topic, envelope.state),
    )


def _check_fact(event: FactRecorded | FactCorrected, position: int, texts: dict[str, str]) -> list[str]:
    problems = []
    citation = event.citation
    text = texts.get(citation.sha256)
    if text is None:
        problems.append(
            f"fact at position {position} cites a source version {citation.sha256[:12]} the log does not hold"
        )
    elif text[citation.start : citation.end] != citation.quote:
        problems.append(
            f"fact at position {position}: its quote is not at {citation.start}-{citation.end} of its source"
        )
    if isinstance(event, FactRecorded):
        derived = derive_fact_id(
            sha256=citation.sha256,
            start=citation.start,
            end=citation.end,
            kind=event.kind,
            modality=event.modality,
            parties=event.parties,
            date=event.date,
            attributes=event.attributes,
        )
        if derived != event.originator_id:
            problems.append(f"fact at position {position} ({event.originator_id}) no longer matches its content")
    return problems
