"""Temporal projections: as-of, known-at and recorded-before views, certainty, conflicts, rebuilds and following."""

from __future__ import annotations

from datetime import date, timedelta

import attrs
import pytest

from application.app import IngestBatch, Paradip
from application.bootstrap import open_app
from domain.facts import Correction
from domain.observer import Observer
from domain.vocabulary import Certainty, ProgramStatus, RelationshipStatus
from events.values import Attributes, FactKind, Modality, Period, RetractionReason
from projections.follow import Follower
from projections.registry import ProjectionError
from tests.builders import ACTORS, MET_2019, PLANNED_VISIT, SISTERHOOD_1993, SOURCE, fact, numbered_world, world
from tests.conftest import AT
from tests.support import assert_same_tables, snapshot


def test_status_is_none_before_possible_during_and_definite_after(app: Paradip) -> None:
    """A tie made "in 1993": none in June 1992, only possible on 15 June 1993, definite on 1 January 2000."""
    app.ingest(world(SISTERHOOD_1993), at=AT)
    before = app.questions.relationship_state("KR-41", "CN-LN", observer=Observer(as_of=date(1992, 6, 1)))
    during = app.questions.relationship_state("경기도", "辽宁省", observer=Observer(as_of=date(1993, 6, 15)))
    after = app.questions.relationship_state(
        "Gyeonggi Province", "liaoning province", observer=Observer(as_of=date(2000, 1, 1))
    )
    assert (before.status, before.certainty, before.events) == (RelationshipStatus.NONE, Certainty.DEFINITE, ())
    assert (during.status, during.certainty) == (RelationshipStatus.SISTERHOOD, Certainty.POSSIBLE)
    assert (after.status, after.certainty, after.since) == (RelationshipStatus.SISTERHOOD, Certainty.DEFINITE, "1993")


def test_known_at_hides_facts_from_sources_published_later(app: Paradip) -> None:
    """With --known-at before the source's publication, nothing of it shows (unknown); after it, everything does."""
    app.ingest(world(SISTERHOOD_1993), at=AT)
    unknown = app.questions.relationship_state(
        "KR-41", "CN-LN", observer=Observer(as_of=date(2000, 1, 1), known_at=date(2020, 1, 1))
    )
    known = app.questions.relationship_state(
        "KR-41", "CN-LN", observer=Observer(as_of=date(2000, 1, 1), known_at=date(2024, 12, 31))
    )
    assert unknown.status is RelationshipStatus.UNKNOWN
    assert unknown.events == ()
    assert known.status is RelationshipStatus.SISTERHOOD


def test_uncertain_publication_makes_known_at_possible(app: Paradip) -> None:
    """A source published "2024?" (2023 to 2025) makes a tie unknown at the end of 2022, only possibly known
    (its fact listed) in mid-2024, and definitely known from 2026."""
    uncertain = attrs.evolve(SOURCE, published=Period.from_edtf("2024?"))
    app.ingest(IngestBatch(actors=ACTORS, sources=(uncertain,), facts=(SISTERHOOD_1993,)), at=AT)
    seen = [
        (answer.status, answer.certainty, [event.source.quote for event in answer.events])
        for answer in (
            app.questions.relationship_state(
                "KR-41", "CN-LN", observer=Observer(as_of=date(2000, 1, 1), known_at=known_at)
            )
            for known_at in (date(2022, 12, 31), date(2023, 1, 1), date(2024, 6, 30), date(2026, 1, 1))
        )
    ]
    assert seen == [
        (RelationshipStatus.UNKNOWN, Certainty.DEFINITE, []),
        (RelationshipStatus.SISTERHOOD, Certainty.POSSIBLE, [SISTERHOOD_1993.quote]),
        (RelationshipStatus.SISTERHOOD, Certainty.POSSIBLE, [SISTERHOOD_1993.quote]),
        (RelationshipStatus.SISTERHOOD, Certainty.DEFINITE, [SISTERHOOD_1993.quote]),
    ]


def test_planned_events_are_listed_but_never_change_status(app: Paradip) -> None:
    """A planned visit is shown with its modality, and the pair stays without contact."""
    app.ingest(world(PLANNED_VISIT), at=AT)
    answer = app.questions.relationship_state("CN-JL", "kr:suwon", observer=Observer(as_of=date(2025, 1, 1)))
    assert answer.status is RelationshipStatus.NONE
    assert [event.modality for event in answer.events] == [Modality.PLANNED]


def test_meeting_of_three_makes_contact_across_borders_only(app: Paradip) -> None:
    """A meeting of Gyeonggi, Liaoning and Shenyang: Gyeonggi is in contact with both, the two Chinese sides are not."""
    app.ingest(world(MET_2019), at=AT)
    assert (
        app.questions.relationship_state("KR-41", "cn:shenyang", observer=Observer(as_of=date(2020, 1, 1))).status
        is RelationshipStatus.CONTACT
    )
    partners = app.questions.partners("KR-41", observer=Observer(as_of=date(2020, 1, 1)), include_contacts=True)
    assert [partner.party for partner in partners.partners] == ["CN-LN", "cn:shenyang"]
    assert (
        app.questions.partners("CN-LN", observer=Observer(as_of=date(2020, 1, 1)), include_contacts=True)
        .partners[0]
        .party
        == "KR-41"
    )


def test_recorded_before_shows_what_the_store_had_then(app: Paradip) -> None:
    """A correction and a retraction change answers only for readers after them; earlier views stay as they were."""
    app.ingest(world(SISTERHOOD_1993), at=AT)
    fact_id = app.questions.timeline(["KR-41"]).facts[0].fact_id
    state = app.fact(fact_id)
    corrected_at, retracted_at = AT + timedelta(days=10), AT + timedelta(days=20)
    app.correct_fact(
        fact_id,
        Correction(
            kind=state.kind,
            modality=state.modality,
            parties=state.parties,
            date=Period.from_edtf("1995"),
            attributes=state.attributes,
            reason="the council approved it in 1995",
            decided_by="analyst",
        ),
        at=corrected_at,
    )
    before = app.questions.relationship_state(
        "KR-41", "CN-LN", observer=Observer(as_of=date(1994, 1, 1), recorded_before=corrected_at)
    )
    now = app.questions.relationship_state("KR-41", "CN-LN", observer=Observer(as_of=date(1994, 1, 1)))
    assert before.status is RelationshipStatus.SISTERHOOD
    assert now.status is RelationshipStatus.NONE
    assert app.questions.relationship_state("KR-41", "CN-LN", observer=Observer(as_of=date(1996, 1, 1))).since == "1995"
    app.retract_fact(
        fact_id, reason=RetractionReason.REFUTED, note="no such tie", decided_by="analyst", at=retracted_at
    )
    assert (
        app.questions.relationship_state("KR-41", "CN-LN", observer=Observer(as_of=date(2000, 1, 1))).status
        is RelationshipStatus.UNKNOWN
    )
    between = app.questions.relationship_state(
        "KR-41", "CN-LN", observer=Observer(as_of=date(2000, 1, 1), recorded_before=retracted_at)
    )
    assert (between.status, between.since) == (RelationshipStatus.SISTERHOOD, "1995")
    history = app.questions.provenance(fact_id).history
    assert [entry.event for entry in history] == ["recorded", "corrected", "retracted"]


def test_conflicting_claims_are_shown_with_the_preferred_one_and_why(app: Paradip) -> None:
    """Two dates for one sisterhood: both claims are shown, the more precise is preferred; a resolution overrides it."""
    year = fact(quote="established a sisterhood relationship with Liaoning Province in 1993")
    day = fact(date="1993-10-20", quote="경기도와 랴오닝성은 자매결연을 맺었다")
    app.ingest(world(year, day), at=AT)
    answer = app.questions.relationship_state("KR-41", "CN-LN", observer=Observer(as_of=date(2000, 1, 1)))
    assert len(answer.conflicts) == 1
    conflict = answer.conflicts[0]
    assert {claim.date for claim in conflict.claims} == {"1993", "1993-10-20"}
    preferred = next(claim for claim in conflict.claims if claim.fact_id == conflict.preferred)
    assert (preferred.date, conflict.rule, conflict.decided_by) == ("1993-10-20", "more precise date", None)
    assert answer.since == "1993-10-20"
    other = next(claim.fact_id for claim in conflict.claims if claim.fact_id != conflict.preferred)
    app.resolve_conflict(
        [claim.fact_id for claim in conflict.claims],
        preferred=other,
        rule="provincial register",
        decided_by="desk officer",
        at=AT + timedelta(days=1),
    )
    resolved = app.questions.relationship_state("KR-41", "CN-LN", observer=Observer(as_of=date(2000, 1, 1))).conflicts[
        0
    ]
    assert (resolved.preferred, resolved.rule, resolved.decided_by) == (other, "provincial register", "desk officer")
    assert app.questions.relationship_state("KR-41", "CN-LN", observer=Observer(as_of=date(2000, 1, 1))).since == "1993"
    assert "resolved" in [entry.event for entry in app.questions.provenance(other).history]


def test_program_status_over_time(app: Paradip) -> None:
    """A programme is not started, then active, suspended and active again, as its facts say."""
    source = attrs.evolve(
        SOURCE,
        document="programme",
        text="Started 1999. Paused 2020 for COVID-19. Resumed 2024.",
        published=Period.from_edtf("2024-12"),
    )
    program = attrs.evolve(
        ACTORS[0],
        code="program:test",
        level=ACTORS[0].level.PROGRAM,
        names=(ACTORS[0].names[0].__class__(text="Test Programme", lang="en"),),
    )
    facts = [
        attrs.evolve(
            fact(
                kind=FactKind.PROGRAM_STARTED,
                parties=("program:test",),
                date="1999",
                quote="Started 1999",
                attributes={},
            ),
            document="programme",
        ),
        attrs.evolve(
            fact(
                kind=FactKind.PROGRAM_SUSPENDED,
                parties=("program:test",),
                date="2020",
                quote="Paused 2020 for COVID-19",
                attributes={"reason": "COVID-19"},
            ),
            document="programme",
        ),
        attrs.evolve(
            fact(
                kind=FactKind.PROGRAM_RESUMED,
                parties=("program:test",),
                date="2024-09",
                quote="Resumed 2024",
                attributes={},
            ),
            document="programme",
        ),
    ]
    app.ingest(IngestBatch(actors=(*ACTORS, program), sources=(source,), facts=tuple(facts)), at=AT)
    statuses = [
        app.questions.program_state("Test Programme", observer=Observer(as_of=day)).status
        for day in (date(1998, 1, 1), date(2010, 1, 1), date(2022, 6, 30), date(2024, 10, 15))
    ]
    assert statuses == [ProgramStatus.NOT_STARTED, ProgramStatus.ACTIVE, ProgramStatus.SUSPENDED, ProgramStatus.ACTIVE]


def test_replay_from_scratch_gives_the_same_tables_and_answers(app: Paradip) -> None:
    """Rebuilding every projection from position 0 into new tables ends with the same rows and the same answers."""
    app.ingest(numbered_world(3000), at=AT)
    app.ingest(world(SISTERHOOD_1993, MET_2019, PLANNED_VISIT), at=AT + timedelta(hours=1))
    before, answer_before = (
        snapshot(app),
        app.questions.relationship_state("KR-41", "CN-LN", observer=Observer(as_of=date(2015, 1, 1))),
    )
    generations = {status.name: status.generation for status in app.questions.projection_status()}
    app.replay([], from_scratch=True)
    after = {status.name: status.generation for status in app.questions.projection_status()}
    assert all(after[name] == generations[name] + 1 for name in generations)
    assert_same_tables(snapshot(app), before)
    assert (
        app.questions.relationship_state("KR-41", "CN-LN", observer=Observer(as_of=date(2015, 1, 1))) == answer_before
    )


def test_user_projection_runs_from_module_and_class(app: Paradip) -> None:
    """A projection written outside the package is replayed by module:Class and kept current by later ingests."""
    app.ingest(world(SISTERHOOD_1993), at=AT)
    statuses = app.replay(["tests.user_projection:KindsPerDocument"])
    assert [status.name for status in statuses] == ["kinds_per_document"]
    assert app.questions.view_rows("kinds_per_document")[2] == [("test-doc", "relationship_established", 1)]
    app.ingest(world(MET_2019), at=AT)
    assert app.questions.view_rows("kinds_per_document")[2] == [
        ("test-doc", "meeting", 1),
        ("test-doc", "relationship_established", 1),
    ]
    listed = {status.name: status for status in app.questions.projection_status()}
    assert listed["kinds_per_document"].origin == "tests.user_projection:KindsPerDocument"
    assert listed["kinds_per_document"].position == listed["kinds_per_document"].head


def test_a_failing_user_projection_stops_only_itself(store_url: str) -> None:
    """A user's projection whose handler raises on a meeting: the write that brings one is recorded, the other
    read models follow it in the same page, the failure is said with the projection, its error and where it
    was raised, and a replay of it is refused the same way; none of its rows from the failing page is kept."""
    app = open_app(store_url)
    try:
        app.ingest(world(SISTERHOOD_1993), at=AT)
        app.replay(["tests.user_projection:RefusesMeetings"])
        held = app.questions.projection_status()[0].head
        with pytest.raises(ProjectionError) as failed:
            app.ingest(world(MET_2019), at=AT)
        message = str(failed.value)
        assert message.startswith("written to the log, but a read model could not follow: projection ")
        assert f"refuses_meetings failed on the events after position {held}" in message
        assert "ValueError: cannot handle meeting" in message
        assert "user_projection.py:" in message
        statuses = {status.name: status for status in app.questions.projection_status()}
        assert statuses["refuses_meetings"].position == held
        assert statuses["refuses_meetings"].lag > 0
        assert all(status.lag == 0 for name, status in statuses.items() if name != "refuses_meetings")
        assert len(app.questions.timeline().facts) == 2
        assert len(app.questions.view_rows("refuses_meetings")[2]) == 1
        replayed = r"^projection refuses_meetings failed on the events after position 0"
        with pytest.raises(ProjectionError, match=replayed):
            app.replay(["tests.user_projection:RefusesMeetings"], from_scratch=True)
    finally:
        app.close()


def test_following_a_sqlite_store_goes_on_past_a_failing_projection(sqlite_url: str) -> None:
    """``follow`` on SQLite (one polling process) says a failing projection once and keeps polling, the others
    current, where it stopped at the first failure before."""
    app, writer = open_app(sqlite_url), open_app(sqlite_url)
    said: list[str] = []
    try:
        app.ingest(world(SISTERHOOD_1993), at=AT)
        app.replay(["tests.user_projection:RefusesMeetings"])
        with pytest.raises(ProjectionError):
            writer.ingest(world(MET_2019), at=AT)
        polls = iter(range(4))
        follower = Follower(app.read, poll_interval=0.01, announce=said.append)
        follower.run(stop=lambda: next(polls, None) is None)
        with pytest.raises(ProjectionError):
            writer.ingest(world(PLANNED_VISIT), at=AT)
        more = iter(range(3))
        follower.run(stop=lambda: next(more, None) is None)
        assert len(said) == 1, said
        assert said[0].startswith("projection refuses_meetings failed on the events after position ")
        assert said[0].endswith("; tried again at each poll")
        statuses = {status.name: status for status in app.questions.projection_status()}
        assert statuses["refuses_meetings"].lag > 0
        assert all(status.lag == 0 for name, status in statuses.items() if name != "refuses_meetings")
    finally:
        writer.close()
        app.close()


def _tables_named(app: Paradip, prefix: str) -> list[str]:
    db = app.read.db
    if db.postgres:
        statement = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename LIKE ?"
    else:
        statement = "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE ?"
    return sorted(str(row[0]) for row in db.read(statement, (f"{prefix}%",)))


def test_a_user_projection_is_removed_with_its_tables_and_comes_back_by_replay(store_url: str) -> None:
    """unregister drops a user's projection and its tables, writes go on without it, a built-in or unknown name
    is refused, and a replay of the class builds it again from the log."""
    app = open_app(store_url)
    try:
        app.ingest(world(SISTERHOOD_1993, MET_2019), at=AT)
        app.replay(["tests.user_projection:QuoteLengths"])
        app.replay(["tests.user_projection:QuoteLengths"], from_scratch=True)
        assert len(app.questions.view_rows("quote_lengths")[2]) == 2
        held = _tables_named(app, "quote_lengths_")
        assert held
        assert app.unregister("quote_lengths") == held
        assert _tables_named(app, "quote_lengths_") == []
        assert "quote_lengths" not in {status.name for status in app.questions.projection_status()}
        with pytest.raises(ProjectionError, match="quote_lengths"):
            app.questions.view_rows("quote_lengths")
        app.ingest(world(PLANNED_VISIT), at=AT)
        builtin = app.questions.projection_status()[0].name
        with pytest.raises(ProjectionError, match="built-in"):
            app.unregister(builtin)
        with pytest.raises(ProjectionError, match="no projection named 'quote_lengths' is registered"):
            app.unregister("quote_lengths")
        app.replay(["tests.user_projection:QuoteLengths"])
        assert len(app.questions.view_rows("quote_lengths")[2]) == 3
    finally:
        app.close()


def test_a_user_projection_with_mixed_values_reads_back_the_same_on_both_stores(store_url: str) -> None:
    """Ints and floats in one real column and gaps in a text column are stored as given, on SQLite as on
    PostgreSQL (where a page's rows go as one array per column)."""
    app = open_app(store_url)
    try:
        app.ingest(world(SISTERHOOD_1993, MET_2019, PLANNED_VISIT), at=AT)
        app.replay(["tests.user_projection:QuoteLengths"])
        rows = sorted(app.questions.view_rows("quote_lengths")[2], key=lambda row: float(row[1]))
    finally:
        app.close()
    expected = []
    for index, draft in enumerate((SISTERHOOD_1993, MET_2019, PLANNED_VISIT)):
        length = len(draft.quote)
        expected.append((length if index % 2 else length / 2, draft.attributes.get("level")))
    assert [(float(length), level) for _fact, length, level in rows] == sorted(expected)
    assert [level for _fact, _length, level in rows].count(None) == 2


def test_example_projection_counts_exchanges_per_year(app: Paradip) -> None:
    """The bundled example projection counts meetings per actor and year, and moves them on correction."""
    app.ingest(world(MET_2019), at=AT)
    app.replay(["projections.examples.exchanges_per_year:ExchangesPerYear"])
    rows = app.questions.view_rows("exchanges_per_year")[2]
    assert ("KR-41", 2019, "meeting", 1) in rows
    fact_id = app.questions.timeline(["KR-41"]).facts[0].fact_id
    state = app.fact(fact_id)
    app.correct_fact(
        fact_id,
        Correction(
            kind=state.kind,
            modality=state.modality,
            parties=state.parties,
            date=Period.from_edtf("2018-11-27"),
            attributes=Attributes.of({}),
            reason="misdated",
            decided_by="analyst",
        ),
        at=AT + timedelta(days=1),
    )
    rows = app.questions.view_rows("exchanges_per_year")[2]
    assert ("KR-41", 2018, "meeting", 1) in rows
    assert ("KR-41", 2019, "meeting", 0) in rows
