"""Absolute oracles: a log of several 10,000-event pages, on both stores, checked against counts and
digests computed from the generated input and the raw log, never against another run of the engine.

A deterministic engine bug (a page that loses an event, a model that skips a kind) gives the same
wrong tables on every rebuild, so comparing a rebuild with a reference rebuild cannot show it; the
input can.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

import attrs
import pytest

from application.app import IngestBatch
from application.bootstrap import open_app
from domain.facts import FactDraft
from domain.observer import Observer
from events.values import Modality
from tests.builders import ACTORS, numbered_world
from tests.conftest import AT
from tests.support import (
    CODES,
    RELATIONSHIP_KINDS,
    Expected,
    assert_read_models_match_log,
    content_of_drafts,
    content_of_views,
)

COUNTRIES = {draft.key: draft.country for draft in ACTORS}
LARGE = 25_000  # facts: with the actor and source events, two full pages of 10,000 and a part page


@pytest.fixture(scope="module")
def large() -> IngestBatch:
    return numbered_world(LARGE, seed=5)


def _expected_from_input(drafts: tuple[FactDraft, ...]) -> Expected:
    """Counts the read models must reach, from the drafts alone (their ids are taken from the log)."""
    return Expected.of_payloads(
        (str(number), {"kind": str(draft.kind), "parties": list(draft.parties)}) for number, draft in enumerate(drafts)
    )


def _partners_by_input(drafts: tuple[FactDraft, ...], actor: str, as_of: date) -> set[str]:
    """Whom ``actor`` had a tie or contact with abroad, possibly by ``as_of``: an occurred relationship fact
    of a kind that sets a status by itself (a resumption alone does not), whose date may be by then."""
    kinds = RELATIONSHIP_KINDS - {"relationship_resumed"}
    return {
        CODES[other]
        for draft in drafts
        if actor in draft.parties
        and str(draft.kind) in kinds
        and draft.modality is Modality.OCCURRED
        and (draft.date.earliest is None or draft.date.earliest <= as_of)
        for other in draft.parties
        if COUNTRIES[other] != COUNTRIES[actor]
    }


def _check(app, url: str, batch: IngestBatch) -> None:  # type: ignore[no-untyped-def]
    events = assert_read_models_match_log(app, url)
    from_input = _expected_from_input(batch.facts)
    from_log = Expected.of_log(events)
    assert from_log == attrs.evolve(from_input, fact_ids=from_log.fact_ids)
    assert from_log.facts == LARGE
    assert content_of_views(app.questions.facts()) == content_of_drafts(batch.facts)
    for actor in ("KR-41", "cn:shenyang"):
        assert len(app.questions.timeline([actor]).facts) == sum(actor in draft.parties for draft in batch.facts), actor
    kinds = Counter(str(view.kind) for view in app.questions.timeline(["KR-41", "CN-LN"]).facts)
    assert kinds == Counter(str(draft.kind) for draft in batch.facts if {"KR-41", "CN-LN"} <= set(draft.parties))
    partners = app.questions.partners(
        "KR-41", observer=Observer(as_of=date(2030, 1, 1)), include_contacts=True
    ).partners
    assert {partner.party for partner in partners} == _partners_by_input(batch.facts, "KR-41", date(2030, 1, 1))


@pytest.mark.timeout(300)
def test_a_log_of_several_pages_reaches_every_read_model_whole(store_url: str, large: IngestBatch) -> None:
    """25,000 facts in one ingest: after its catch-up, and again after a rebuild from scratch, the read models
    hold the number of facts, the facts per kind, the index rows, pairs and evidence rows that the input
    implies, the fact ids of the raw log, each fact's content as given, and a ledger over every stored event."""
    app = open_app(store_url)
    try:
        app.ingest(large, at=AT)
        _check(app, store_url, large)
        app.replay([], from_scratch=True)
        _check(app, store_url, large)
    finally:
        app.close()


@pytest.mark.timeout(300)
def test_a_log_fed_in_uneven_batches_pages_the_same(sqlite_url: str, large: IngestBatch) -> None:
    """The same facts ingested in batches that straddle the page boundaries (7,001 facts at a time) give the
    counts and digests the input implies: no event is lost or repeated where a page ends mid-batch."""
    app = open_app(sqlite_url)
    try:
        app.ingest(IngestBatch(actors=large.actors, sources=large.sources), at=AT)
        for start in range(0, LARGE, 7_001):
            app.ingest(IngestBatch(facts=large.facts[start : start + 7_001]), at=AT)
        _check(app, sqlite_url, large)
    finally:
        app.close()
