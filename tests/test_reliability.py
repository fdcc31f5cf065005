"""Reliability: properties over random fact sets, crash safety under kill -9, and tamper evidence."""

from __future__ import annotations

import itertools
import os
import signal
import sqlite3
import subprocess
import sys
import time
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
from domain.status import Evidence, relationship_outcome, visibility
from domain.vocabulary import Certainty, RelationshipStatus
from events.values import Attributes, FactKind, Modality, Period
from tests.builders import ACTORS, numbered_world
from tests.conftest import AT
from tests.test_projections import snapshot

ROOT = Path(__file__).resolve().parent.parent
WORLD = numbered_world(200, seed=11)
SLOW = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])


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
        assert _without_positions(snapshot(whole)) == _without_positions(snapshot(split))
        for as_of in (date(1993, 6, 1), date(2010, 1, 1), date(2024, 12, 31)):
            first = whole.relationship_state("KR-41", "CN-LN", as_of=as_of)
            second = split.relationship_state("KR-41", "CN-LN", as_of=as_of)
            assert (first.status, first.certainty, first.since) == (second.status, second.certainty, second.since)
            assert {event.fact_id for event in first.events} == {event.fact_id for event in second.events}
    finally:
        whole.close()
        split.close()


def _without_positions(tables: dict[str, list[tuple[object, ...]]]) -> dict[str, object]:
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
        assert snapshot(app) == incremental
    finally:
        app.close()


_YEARS = st.integers(min_value=1990, max_value=2030)


@st.composite
def edtf_texts(draw: st.DrawFn) -> str:
    year = draw(_YEARS)
    precision = draw(st.sampled_from(["year", "month", "day"]))
    text = f"{year:04d}"
    if precision != "year":
        text += f"-{draw(st.integers(1, 12)):02d}"
    if precision == "day":
        text += f"-{draw(st.integers(1, 28)):02d}"
    qualifier = draw(st.sampled_from(["", "", "?", "~", "%"]))
    if draw(st.booleans()) and not qualifier:
        end_year = draw(st.integers(min_value=year, max_value=2032))
        return f"{text}/{end_year:04d}"
    return text + qualifier


def _days(text: str) -> tuple[date, date]:
    """An independent reading of the EDTF subset above: the first and last day it may mean."""
    if "/" in text:
        first, last = text.split("/")
        return _days(first)[0], _days(last)[1]
    qualifier = text[-1] if text[-1] in "?~%" else ""
    core = text.rstrip("?~%")
    parts = [int(part) for part in core.split("-")]
    widen = 2 if qualifier == "%" else 1 if qualifier else 0
    if len(parts) == 1:
        return date(parts[0] - widen, 1, 1), date(parts[0] + widen, 12, 31)
    if len(parts) == 2:
        months = parts[0] * 12 + parts[1] - 1
        lo, hi = months - widen, months + widen
        first = date(lo // 12, lo % 12 + 1, 1)
        after = date((hi + 1) // 12, (hi + 1) % 12 + 1, 1)
        return first, after - timedelta(days=1)
    day = date(*parts)
    return day - timedelta(days=widen), day + timedelta(days=widen)


@settings(max_examples=300, deadline=None)
@given(text=edtf_texts(), offset=st.integers(min_value=-800, max_value=800))
def test_bounds_and_certainty_agree_with_a_day_by_day_check(text: str, offset: int) -> None:
    """Period bounds equal an independent reading, and definite/possible agree with checking every day."""
    period = Period.from_edtf(text)
    first, last = _days(text)
    assert (period.earliest, period.latest) == (first, last)
    asked = first + timedelta(days=offset)
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    definite = all(day <= asked for day in days)
    possible = any(day <= asked for day in days)
    seen = visibility(period.lower, period.upper, asked)
    assert seen is (True if definite else False if possible else None)
    evidence = Evidence(
        fact_id=uuid4(),
        position=1,
        kind=FactKind.RELATIONSHIP_ESTABLISHED,
        modality=Modality.OCCURRED,
        level="sisterhood",
        edtf=period.edtf,
        valid_lo=period.lower,
        valid_hi=period.upper,
        published_lo=date(2024, 1, 1),
        published_hi=date(2024, 1, 1),
    )
    outcome = relationship_outcome([evidence], as_of=asked, known_at=None)
    if definite:
        assert (outcome.status, outcome.certainty) == (RelationshipStatus.SISTERHOOD, Certainty.DEFINITE)
    elif possible:
        assert (outcome.status, outcome.certainty) == (RelationshipStatus.SISTERHOOD, Certainty.POSSIBLE)
    else:
        assert (outcome.status, outcome.certainty) == (RelationshipStatus.NONE, Certainty.DEFINITE)


def _events(path: Path) -> list[tuple[int, str, bytes]]:
    with sqlite3.connect(path) as connection:
        return list(connection.execute("SELECT rowid, topic, state FROM stored_events ORDER BY rowid"))


def _kill_when(process: subprocess.Popen[bytes], ready: object, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        if ready():  # type: ignore[operator]
            break
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()


@pytest.mark.slow
def test_killed_ingest_leaves_all_or_nothing_and_a_rerun_completes(tmp_path: Path) -> None:
    """kill -9 during an ingest: the store holds whole batches only, projections agree with it, and a rerun
    records every fact exactly once."""
    path = tmp_path / "store.sqlite"
    url = f"sqlite:///{path}"
    open_app(url).close()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    writer = subprocess.Popen(
        [sys.executable, "-m", "tests.concurrent_writer", url, "0", "1200", "150"],
        cwd=ROOT,
        env=env,
        stderr=subprocess.PIPE,
    )
    _kill_when(writer, lambda: path.exists() and len(_events(path)) > 300)
    facts = [row for row in _events(path) if row[1].endswith(":FactRecorded")]
    assert 0 < len(facts) < 1200
    assert len(facts) % 150 == 0
    app = open_app(url)
    try:
        app.catch_up()
        assert len(list(app.facts())) == len(facts)
        assert app.verify().ok
    finally:
        app.close()
    rerun = subprocess.run(
        [sys.executable, "-m", "tests.concurrent_writer", url, "0", "1200", "150"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        check=False,
    )
    assert rerun.returncode == 0, rerun.stderr
    facts = [row for row in _events(path) if row[1].endswith(":FactRecorded")]
    assert len(facts) == 1200
    app = open_app(url)
    try:
        app.catch_up()
        assert len(list(app.facts())) == 1200
    finally:
        app.close()


@pytest.mark.slow
def test_killed_catch_up_resumes_exactly_once(tmp_path: Path) -> None:
    """kill -9 while projections catch up on a large log: afterwards positions match rows, and finishing the
    catch-up gives the same tables as a store that was never interrupted."""
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    reference_url = f"sqlite:///{tmp_path / 'reference.sqlite'}"
    batch = numbered_world(30_000)
    for target in (url, reference_url):
        app = open_app(target)
        app.ingest(IngestBatch(actors=batch.actors, sources=batch.sources), at=AT)
        app.close()

    for target in (url, reference_url):
        writer = open_app(target, keep_read_models_current=False)
        writer.ingest(IngestBatch(facts=batch.facts), at=AT)
        writer.close()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    catch_up = subprocess.Popen(
        [sys.executable, "-c", f"from application.bootstrap import open_app; app = open_app({url!r}); app.catch_up()"],
        cwd=ROOT,
        env=env,
    )
    store = tmp_path / "store.sqlite"

    def part_way() -> bool:
        try:
            with sqlite3.connect(store, timeout=0.1) as connection:
                rows = connection.execute("SELECT MIN(live_position) FROM projection_registry").fetchall()
        except sqlite3.Error:
            return False
        return bool(rows) and rows[0][0] is not None and rows[0][0] > 4000

    _kill_when(catch_up, part_way)
    with sqlite3.connect(store) as connection:
        (lowest,) = connection.execute("SELECT MIN(live_position) FROM projection_registry").fetchone()
        (head,) = connection.execute("SELECT MAX(rowid) FROM stored_events").fetchone()
    assert 4000 < lowest < head
    interrupted = open_app(url)
    reference = open_app(reference_url)
    try:
        interrupted.catch_up()
        reference.catch_up()
        assert snapshot(interrupted) == snapshot(reference)
    finally:
        interrupted.close()
        reference.close()


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
        assert app.verify().ok
    finally:
        app.close()
    _tamper(path, topic, change)
    app = open_app(f"sqlite:///{path}")
    try:
        result = app.verify()
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
        result = app.verify()
        assert any("removed" in problem for problem in result.problems), result.problems
    finally:
        app.close()


def test_facts_of_random_attributes_round_trip_through_a_batch(tmp_path: Path) -> None:
    """Attribute values of every allowed shape survive recording and reading back."""
    app = open_app(f"sqlite:///{tmp_path / 's.sqlite'}")
    try:
        values = {"text": "경기도 辽宁", "count": 645, "share": 0.39, "yes": True, "none": None, "list": ["a", "b"]}
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
        (view,) = app.timeline(["KR"])
        assert view.attributes.to_json() == values
    finally:
        app.close()
