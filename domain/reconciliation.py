"""A document file is the source of truth for its facts: ingesting it again reconciles what the store holds.

A fact keeps its identity while its quote still stands in the document, whatever changed around it:
a fact the file states as before is kept (its quote re-located if the text was revised); one whose
quote stands with other values is corrected; one the file no longer states is withdrawn; what is
new is recorded. Never two current copies of one fact. A person's retraction stays; a person's
correction stays while the file states the fact as it did.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import attrs

from domain.errors import QuoteNotInSource
from domain.facts import DOCUMENT_FILE, Correction, Fact, FactDraft, FactStatus, Statement
from domain.facts import corrected as _corrected
from domain.sources import Source
from events.facts import FactCorrected, FactRetracted
from events.values import Citation, RetractionReason

RELOCATED_BY = "paradip ingest (the quote re-located)"


@attrs.frozen(kw_only=True)
class Reconciliation:
    """What ingesting a document file again changes: facts to record, corrections, re-locations, withdrawals."""

    to_record: tuple[FactDraft, ...]
    corrected: tuple[FactCorrected, ...]
    relocated: tuple[FactCorrected, ...]
    withdrawn: tuple[FactRetracted, ...]
    unchanged: int
    kept_retracted: int


def reconcile(
    drafts: Sequence[FactDraft], held: Sequence[Fact], source: Source, *, file: str, at: datetime
) -> Reconciliation:
    """Match the file's facts to the facts the store holds from the same document, by quote and kind."""
    unmatched = list(held)
    pairs: list[tuple[FactDraft, Fact, bool]] = []
    to_record = list(drafts)
    for same_values in (True, False):
        unpaired: list[FactDraft] = []
        for draft in to_record:
            found = _take(unmatched, draft, same_values=same_values)
            if found is None:
                unpaired.append(draft)
            else:
                pairs.append((draft, found, same_values))
        to_record = unpaired
    corrected: list[FactCorrected] = []
    relocated: list[FactCorrected] = []
    unchanged = kept_retracted = 0
    for draft, fact, same in pairs:
        if fact.status is FactStatus.RETRACTED:
            kept_retracted += 1
            continue
        citation = _cited(source, draft, file)
        if not same:
            correction = Correction.stating(draft, reason=f"{file} now states it so", decided_by=DOCUMENT_FILE)
            corrected.append(_corrected(fact, correction, citation=citation, published=source.published, at=at))
        elif citation != fact.citation:
            correction = Correction.stating(
                fact,
                reason=(
                    f"the text of {source.document} was revised; its quote stands at "
                    f"{citation.start}-{citation.end} of version {citation.sha256[:12]}"
                ),
                decided_by=RELOCATED_BY,
            )
            relocated.append(_corrected(fact, correction, citation=citation, published=fact.published, at=at))
        else:
            unchanged += 1
    withdrawn = [
        FactRetracted(
            originator_id=fact.id,
            originator_version=fact.version + 1,
            timestamp=at,
            reason=RetractionReason.WITHDRAWN,
            note=f"{file} no longer states it",
            decided_by=DOCUMENT_FILE,
            superseded_by=None,
        )
        for fact in unmatched
        if fact.status is not FactStatus.RETRACTED
    ]
    return Reconciliation(
        to_record=tuple(to_record),
        corrected=tuple(corrected),
        relocated=tuple(relocated),
        withdrawn=tuple(withdrawn),
        unchanged=unchanged,
        kept_retracted=kept_retracted,
    )


def _cited(source: Source, draft: FactDraft, file: str) -> Citation:
    """The draft's citation, refused naming the fact within its file when the quote is not in the source."""
    try:
        return source.cite(draft.quote, start=draft.start)
    except QuoteNotInSource as error:
        fact = draft.origin.removeprefix(f"{file}: ")
        raise QuoteNotInSource(f"{fact}: {error}" if fact else str(error)) from None


def _take(facts: list[Fact], draft: FactDraft, *, same_values: bool) -> Fact | None:
    """Remove and return the first held fact of the draft's kind and quote (and values, if asked)."""
    stated = Statement.of(draft)
    for index, fact in enumerate(facts):
        if (
            fact.kind is draft.kind
            and fact.citation.quote == draft.quote
            and (not same_values or fact.stated == stated)
        ):
            return facts.pop(index)
    return None
