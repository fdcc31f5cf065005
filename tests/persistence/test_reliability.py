"""Reliability: properties over random fact sets, crash safety under kill -9, and tamper evidence."""

from __future__ import annotations

import itertools
import sqlite3
from datetime import date, timedelta
from pathlib import Path
from uuid import uuid4

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from application.app import IngestBatch
from application.bootstrap import open_app
from domain.facts import FactDraft
from domain.observer import Observer
from domain.status import Evidence, relationship_outcome, visibility
from domain.vocabulary import Certainty, RelationshipStatus
from events.values import Attributes, FactKind, Modality, Period
from tests.builders import ACTORS, numbered_world
from tests.conftest import AT
from tests.strategies import STATISTIC_ATTRIBUTES, by, days, edtf_texts, finite_edtf_texts
from tests.support import assert_same_tables, snapshot

WORLD = numbered_world(200, seed=11)
SLOW = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _memory_app():  # type: ignore[no-untyped-def]
    return open_app(f"memory:{uuid4().hex}")


@SLOW
@given(
    chosen=st.lists(st.integers(min_value=0, max_value=len(WORLD.facts) - 1), min_size=1, max_size=60, unique=True),
    cuts=st.lists(st.integers(min_value=1, max_value=59), max_size=5),
    order_seed=st.randoms(use_true_random=False),
)
def test_batches_and_order_do_not_change_projections(chosen: list[int], cuts: list[int], order_seed) -> None:  # type: ignore[no-untyped-def]
    """Any valid fact set, ingested in one batch or split into random batches in random order, gives the same tables."""
    facts = [WORLD.facts[index] for index in chosen]
    whole = _memory_app()
    split = _memory_app()
    try:
        whole.ingest(IngestBatch(actors=WORLD.actors, sources=WORLD.sources, facts=tuple(facts)), at=AT)
        shuffled = list(facts)
        order_seed.shuffle(shuffled)
        split.ingest(IngestBatch(actors=WORLD.actors, sources=WORLD.sources), at=AT)
        bounds = sorted({0, len(shuffled), *(cut for cut in cuts if cut < len(shuffled))})
        for start, end in itertools.pairwise(bounds):
            split.ingest(IngestBatch(facts=tuple(shuffled[start:end])), at=AT)
        assert_same_tables(_without_positions(snapshot(whole)), _without_positions(snapshot(split)))
        for as_of in (date(1993, 6, 1), date(2010, 1, 1), date(2024, 12, 31)):
            first = whole.questions.relationship_state("KR-41", "CN-LN", observer=Observer(as_of=as_of))
            second = split.questions.relationship_state("KR-41", "CN-LN", observer=Observer(as_of=as_of))
            assert (first.status, first.certainty, first.since) == (second.status, second.certainty, second.since)
            assert {event.fact_id for event in first.events} == {event.fact_id for event in second.events}
    finally:
        whole.close()
        split.close()


def _without_positions(tables: dict[str, list[tuple[object, ...]]]) -> dict[str, list[tuple[object, ...]]]:
    """Rows that do not depend on where in the log an event landed (positions and checkpoints differ by order)."""
    keep = {
        "facts.versions": lambda row: (row[0], row[1], *row[4:]),
        "relationships.evidence": lambda row: row,
        "programs.evidence": lambda row: row,
        "timeline.by_actor": lambda row: row,
        "relationships.pairs": lambda row: row,
    }
    return {name: sorted(keep[name](row) for row in rows) for name, rows in tables.items() if name in keep}


@SLOW
@given(chosen=st.lists(st.integers(min_value=0, max_value=len(WORLD.facts) - 1), min_size=1, max_size=80, unique=True))
def test_replay_from_scratch_equals_incremental(chosen: list[int]) -> None:
    """Projections kept current one ingest at a time equal the same projections rebuilt from position 0."""
    app = _memory_app()
    try:
        app.ingest(IngestBatch(actors=WORLD.actors, sources=WORLD.sources), at=AT)
        for index in chosen:
            app.ingest(IngestBatch(facts=(WORLD.facts[index],)), at=AT)
        incremental = snapshot(app)
        app.replay([], from_scratch=True)
        assert_same_tables(snapshot(app), incremental)
    finally:
        app.close()


@settings(max_examples=300, deadline=None)
@given(
    valid=edtf_texts(),
    published=finite_edtf_texts(),
    offset=st.integers(min_value=-800, max_value=800),
    known_at=st.none() | st.dates(min_value=date(1985, 1, 1), max_value=date(2036, 12, 31)),
)
def test_bounds_and_certainty_agree_with_a_day_by_day_check(
    valid: str, published: str, offset: int, known_at: date | None
) -> None:
    """Period bounds equal an independent reading of the EDTF (open ends, X digits, qualified intervals), and the
    status is definite, possible, none or (no source out yet) unknown as checking every day of the valid and
    the publication periods says."""
    period, publication = Period.from_edtf(valid), Period.from_edtf(published)
    assert (period.earliest, period.latest) == days(valid)
    assert (publication.earliest, publication.latest) == days(published)
    anchor = period.earliest or period.latest
    assert anchor is not None
    asked = anchor + timedelta(days=offset)
    valid_certain, valid_possible = by(valid, asked)
    published_certain, published_possible = by(published, known_at) if known_at is not None else (True, True)
    assert visibility(period.lower, period.upper, asked) is (
        True if valid_certain else False if valid_possible else None
    )
    evidence = Evidence(
        fact_id=uuid4(),
        position=1,
        kind=FactKind.RELATIONSHIP_ESTABLISHED,
        modality=Modality.OCCURRED,
        level="sisterhood",
        edtf=period.edtf,
        valid_lo=period.lower,
        valid_hi=period.upper,
        published_lo=publication.lower,
        published_hi=publication.upper,
    )
    outcome = relationship_outcome([evidence], as_of=asked, known_at=known_at)
    if valid_possible and published_possible:
        certain = valid_certain and published_certain
        assert (outcome.status, outcome.certainty) == (
            RelationshipStatus.SISTERHOOD,
            Certainty.DEFINITE if certain else Certainty.POSSIBLE,
        )
    elif published_possible:
        assert (outcome.status, outcome.certainty) == (RelationshipStatus.NONE, Certainty.DEFINITE)
    else:
        assert (outcome.status, outcome.certainty) == (RelationshipStatus.UNKNOWN, Certainty.DEFINITE)


def _tamper(path: Path, topic_suffix: str, change: object) -> None:
    with sqlite3.connect(path) as connection:
        rowid, state = connection.execute(
            "SELECT rowid, state FROM stored_events WHERE topic LIKE ? ORDER BY rowid LIMIT 1", (f"%{topic_suffix}",)
        ).fetchone()
        payload = orjson.loads(state)
        change(payload)  # type: ignore[operator]
        connection.execute("UPDATE stored_events SET state = ? WHERE rowid = ?", (orjson.dumps(payload), rowid))


@pytest.mark.parametrize(
    ("topic", "change", "finding"),
    [
        (":SourceRegistered", lambda p: p.update(text=p["text"].replace("1993", "1992")), "does not hash"),
        (
            ":FactRecorded",
            lambda p: p["date"].update(edtf="1992", earliest="1992-01-01", latest="1992-12-31"),
            "no longer matches its content",
        ),
        (":FactRecorded", lambda p: p.update(notes=["an added note"]), "hash chain"),
        (
            ":FactRecorded",
            lambda p: p["citation"].update(start=p["citation"]["start"] + 1, end=p["citation"]["end"] + 1),
            "its quote is not at",
        ),
        (":ActorRegistered", lambda p: p.update(country="JP"), "hash chain"),
    ],
)
def test_tampering_behind_the_engines_back_is_caught(tmp_path: Path, topic: str, change: object, finding: str) -> None:
    """Editing a stored source text or an event payload directly in the database is reported by verify."""
    path = tmp_path / "store.sqlite"
    app = open_app(f"sqlite:///{path}")
    try:
        from tests.builders import fact, world

        app.ingest(world(fact()), at=AT)
        assert app.questions.verify().ok
    finally:
        app.close()
    _tamper(path, topic, change)
    app = open_app(f"sqlite:///{path}")
    try:
        result = app.questions.verify()
        assert not result.ok
        assert any(finding in problem for problem in result.problems), result.problems
    finally:
        app.close()


def test_removed_events_are_caught(tmp_path: Path) -> None:
    """Deleting the newest event behind the engine's back is reported: the ledger has seen further."""
    path = tmp_path / "store.sqlite"
    app = open_app(f"sqlite:///{path}")
    try:
        from tests.builders import fact, world

        app.ingest(world(fact()), at=AT)
    finally:
        app.close()
    with sqlite3.connect(path) as connection:
        connection.execute("DELETE FROM stored_events WHERE rowid = (SELECT MAX(rowid) FROM stored_events)")
    app = open_app(f"sqlite:///{path}")
    try:
        result = app.questions.verify()
        assert any("removed" in problem for problem in result.problems), result.problems
    finally:
        app.close()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values=STATISTIC_ATTRIBUTES)
def test_facts_of_random_attributes_round_trip_through_a_batch(values: dict[str, object]) -> None:
    """Attribute values of every allowed shape (text in any script, 64-bit integers, finite floats, booleans,
    nulls, lists of text), drawn at random under the names a statistic takes, survive recording and reading back."""
    app = _memory_app()
    try:
        draft = FactDraft(
            kind=FactKind.STATISTIC,
            modality=Modality.OCCURRED,
            parties=("KR",),
            date=Period.from_edtf("2018"),
            attributes=Attributes.of(values),
            document=WORLD.sources[0].document,
            quote="Line 000001:",
        )
        app.ingest(IngestBatch(actors=ACTORS, sources=WORLD.sources, facts=(draft,)), at=AT)
        (view,) = app.questions.timeline(["KR"]).facts
        assert view.attributes.to_json() == values
    finally:
        app.close()
