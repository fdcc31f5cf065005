"""Has anything been changed behind the engine's back? Every source, quote, fact id and the log's hash chain."""

from __future__ import annotations

from domain.ids import fact_id as derive_fact_id
from domain.ids import sha256_of
from events.facts import FactCorrected, FactRecorded
from events.sources import SourceRegistered, SourceRevised
from projections.answers import Verification
from projections.ledger import GENESIS, Checkpoint, Head, chain
from projections.session import ReadSession

PAGE = 1000


class AuditQuestions:
    """The audit of a store: re-reads the whole log and compares it with the ledger read model."""

    read: ReadSession

    def verify(self) -> Verification:
        """Re-hash every source version, re-derive every fact id and re-check every quote and the log's hash chain."""
        with self.read.reading() as read:
            problems: list[str] = []
            texts: dict[str, str] = {}
            sources = facts = events = 0
            digest = GENESIS
            checkpoints = {row.position: row.digest for row in read.select(Checkpoint, "ledger", "checkpoints")}
            checkpoints.update((row.position, row.digest) for row in read.select(Head, "ledger", "head"))
            ledger_position = read.marker("ledger")[1]
            after = 0
            while page := read.engine.read_log(after, PAGE):
                for envelope in page:
                    events += 1
                    digest = chain(
                        digest,
                        (
                            envelope.position,
                            envelope.originator_id,
                            envelope.originator_version,
                            envelope.topic,
                            envelope.state,
                        ),
                    )
                    expected = checkpoints.get(envelope.position)
                    if expected is not None and expected != digest:
                        problems.append(
                            f"event log changed at or before position {envelope.position}: "
                            "its hash chain no longer matches the ledger"
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
            return Verification(
                sources_checked=sources, facts_checked=facts, events_checked=events, problems=tuple(problems)
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
