"""The fact log on real stores: one test class, run against an SQLite file and a fresh PostgreSQL database."""

from __future__ import annotations

from uuid import UUID

import pytest

from application.app import BatchRefused, IngestBatch
from application.bootstrap import open_app
from domain.ids import source_id
from events.facts import FactRecorded, FactRetracted
from events.values import Attributes, FactKind, Modality, Period, RetractionReason
from infrastructure.codec import OrjsonMapper
from tests.builders import ACTORS, SOURCE, fact, world
from tests.conftest import AT


def _stored(app, stream: UUID) -> list:  # type: ignore[no-untyped-def]
    return list(app.events.get(stream))


class TestStores:
    """What must hold on every store."""

    def test_every_value_type_round_trips(self, store_url: str) -> None:
        """Open-ended periods, dates, tuples, attrs values, enums, UUIDs, Korean and Chinese text come back equal."""
        app = open_app(store_url)
        try:
            korean = fact(
                kind=FactKind.STATISTIC,
                date="..2024-04-24",
                quote="경기도와 랴오닝성은 자매결연을 맺었다",
                attributes={
                    "countries": ["김동연", "郝鹏"],
                    "value": 3,
                    "rank": 0.39,
                    "qualifier": True,
                    "period": None,
                },
            )
            chinese = fact(
                kind=FactKind.MEETING,
                date="2019-11-27?",
                quote="京畿道与辽宁省结为友好省道",
                modality=Modality.PLANNED,
                attributes={"place": "沈阳"},
            )
            app.ingest(world(korean, chinese), at=AT)
            recorded = list(app.events.get(source_id("test-doc")))
            assert recorded[0].text == SOURCE.text
            facts = [app.fact(fid) for fid in _fact_ids(app)]
            by_quote = {state.citation.quote: state for state in facts}
            signed = by_quote["경기도와 랴오닝성은 자매결연을 맺었다"]
            assert signed.date == Period.from_edtf("..2024-04-24")
            assert signed.date.earliest is None
            assert signed.date.latest is not None
            assert signed.attributes == Attributes.of(
                {"countries": ("김동연", "郝鹏"), "value": 3, "rank": 0.39, "qualifier": True, "period": None}
            )
            assert signed.parties == ("CN-LN", "KR-41")
            met = by_quote["京畿道与辽宁省结为友好省道"]
            assert met.modality is Modality.PLANNED
            assert met.date.edtf == "2019-11-27?"
            app.retract_fact(
                met.id,
                reason=RetractionReason.SUPERSEDED,
                note="同一事实",
                decided_by="분석가",
                superseded_by=signed.id,
                at=AT,
            )
            retraction = _stored(app, met.id)[-1]
            assert isinstance(retraction, FactRetracted)
            assert retraction.superseded_by == signed.id
            assert retraction.note == "同一事实"
            assert retraction.timestamp == AT
            first = _stored(app, signed.id)[0]
            assert isinstance(first, FactRecorded)
            assert first.timestamp == AT
            assert first.notes == ()
        finally:
            app.close()

    def test_same_fact_twice_is_one_event(self, store_url: str) -> None:
        """Recording the same fact again, alone or in a batch with itself, writes no second event."""
        app = open_app(store_url)
        try:
            first = app.ingest(world(fact(), fact()), at=AT)
            again = app.ingest(world(fact()), at=AT)
            assert first.facts_recorded == 1
            assert again.wrote_nothing
            assert len(_fact_ids(app)) == 1
        finally:
            app.close()

    def test_a_fact_naming_an_unknown_actor_writes_nothing(self, store_url: str) -> None:
        """A batch whose fact names an actor the store does not hold is refused whole, naming the actor."""
        app = open_app(store_url)
        try:
            with pytest.raises(BatchRefused, match="Atlantis"):
                app.ingest(world(fact(), fact(parties=("KR-41", "Atlantis"), quote="경기도와 랴오닝성은")), at=AT)
            assert app.head() == 0
        finally:
            app.close()

    def test_batch_with_one_bad_fact_writes_nothing(self, store_url: str) -> None:
        """One fact whose quote is not in its source refuses the whole batch: no actor, source or fact is written."""
        app = open_app(store_url)
        try:
            with pytest.raises(BatchRefused, match="quote not found"):
                app.ingest(world(fact(), fact(quote="a quote that is nowhere")), at=AT)
            assert app.head() == 0
        finally:
            app.close()


def _fact_ids(app) -> list[UUID]:  # type: ignore[no-untyped-def]
    ids = []
    after = 0
    while True:
        page = app.stored_events(after, 1000)
        if not page:
            return ids
        ids.extend(UUID(str(n.originator_id)) for n in page if n.topic.endswith(":FactRecorded"))
        after = page[-1].id


def test_old_fact_payload_loads_through_its_upcaster() -> None:
    """A FactRecorded stored in version 1 (no notes, no class_version) loads as version 2 with no notes."""
    from eventsourcing.persistence import JSONTranscoder, StoredEvent

    old = (
        b'{"timestamp":"2025-03-01T10:00:00+00:00","kind":"visit","modality":"occurred","parties":["CN-LN","KR-41"],'
        b'"date":{"edtf":"2023-10","earliest":"2023-10-01","latest":"2023-10-31"},"attributes":{"host":"CN-LN"},'
        b'"citation":{"document":"d","sha256":"ab","start":0,"end":5,"quote":"visit"},'
        b'"published":{"edtf":"2024-04-24","earliest":"2024-04-24","latest":"2024-04-24"}}'
    )
    stream = UUID("12345678-1234-5678-1234-567812345678")
    event = OrjsonMapper(transcoder=JSONTranscoder()).to_domain_event(
        StoredEvent(originator_id=stream, originator_version=1, topic="events.facts:FactRecorded", state=old)
    )
    assert isinstance(event, FactRecorded)
    assert event.notes == ()
    assert event.date.edtf == "2023-10"
    assert event.attributes.get("host") == "CN-LN"
    assert event.parties == ("CN-LN", "KR-41")
    assert event.originator_id == stream


def test_actors_are_registered_once_per_store(sqlite_url: str) -> None:
    """Registering the same actors twice writes them once."""
    app = open_app(sqlite_url)
    try:
        first = app.ingest(IngestBatch(actors=ACTORS), at=AT)
        again = app.ingest(IngestBatch(actors=ACTORS), at=AT)
        assert first.actors_registered == len(ACTORS)
        assert again.wrote_nothing
    finally:
        app.close()
