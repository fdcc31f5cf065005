"""Other processes: kill -9 at chosen points inside an ingest, a catch-up and a rebuild; writers and
openers at the same instant; following another process's writes.

Every kill lands where the child stalls on purpose (inside a transaction, after its rows are written),
so each run tests the same moment. Every wait watches its child and fails at once, with the child's
stderr, if it has exited. What the store holds afterwards is checked against counts computed from
the raw log, not against another run of the engine.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from application.app import IngestBatch
from application.bootstrap import open_app
from domain.observer import Observer
from domain.vocabulary import RelationshipStatus
from projections.base import Projection
from projections.engine import PAGE
from projections.facts import FactVersions
from projections.registry import physical_name, staging_name
from projections.timeline import Timeline
from tests.builders import SISTERHOOD_1993, numbered_world, world
from tests.concurrent_writer import LINES
from tests.conftest import AT, create_postgres_database, drop_postgres_database, require_postgres
from tests.support import (
    Child,
    Expected,
    assert_read_models_match_log,
    fingerprint,
    raw_rows,
    registry,
    stored_events,
    wait_until,
)

Spawn = Callable[..., Child]
LARGE = 25_000  # facts: two full pages of 10,000 events and a part page
_WORLDS: dict[int, IngestBatch] = {}


def large_world() -> IngestBatch:
    if LARGE not in _WORLDS:
        _WORLDS[LARGE] = numbered_world(LARGE, seed=3)
    return _WORLDS[LARGE]


def _write_without_read_models(url: str, batch: IngestBatch) -> None:
    writer = open_app(url, keep_read_models_current=False)
    try:
        writer.ingest(batch, at=AT)
    finally:
        writer.close()


def _line_number(quote: str) -> int:
    """The number of the numbered line a fact quotes ("Line 00042: ..." is 42)."""
    return int(quote.removeprefix("Line ").partition(":")[0])


def _facts_in_log(url: str) -> list[str]:
    return [event.originator for event in stored_events(url) if event.type == "FactRecorded"]


def _being_built(url: str, projection: type[Projection], table: str, generation: int) -> str:
    """The table a rebuild writes a generation's rows to: its staging table while it has one (append-only
    tables on SQLite), else the generation's table."""
    spec = next(candidate for candidate in projection.tables if candidate.name == table)
    staging = staging_name(spec, projection.name, generation)
    if url.startswith("sqlite"):
        found = raw_rows(url, "SELECT count(*) FROM sqlite_master WHERE name = ?", (staging,))
    else:
        found = raw_rows(url, "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", (staging,))
    return staging if found[0][0] else physical_name(projection, table, generation)


def _assert_generation_holds_the_log_up_to(url: str, generation: int, position: int, *, timeline: bool) -> None:
    """The rows of a generation being built are those of the events up to its committed position: no more, no less."""
    expected = Expected.of_log(stored_events(url, upto=position))
    versions = physical_name(FactVersions, "versions", generation)
    facts = raw_rows(url, f"SELECT fact_id FROM {versions} WHERE version = 1")
    assert (len(facts), fingerprint(facts)) == (expected.facts, expected.fact_ids)
    if timeline:
        rows = raw_rows(url, f"SELECT count(*) FROM {_being_built(url, Timeline, 'by_actor', generation)}")
        assert rows[0][0] == expected.timeline_rows


def _page_end(url: str, pages: int) -> int:
    """The position of the last event of the first ``pages`` pages."""
    return stored_events(url)[pages * PAGE - 1].position


@pytest.mark.slow
@pytest.mark.timeout(120)
def test_an_ingest_killed_inside_its_transaction_leaves_whole_batches(store_url: str, spawn: Spawn) -> None:
    """kill -9 while the 4th batch is written but not committed: the store holds the first three batches
    exactly, the read models agree with the log, and a rerun records every fact exactly once."""
    open_app(store_url).close()
    child = spawn(
        "-m", "tests.crash_child", "ingest", store_url, "0", str(LINES), "150", "--stall", "ingest:4", name="ingest"
    )
    child.wait_for_line("STALLED", 90)
    assert len(_facts_in_log(store_url)) == 3 * 150
    child.kill()
    facts = _facts_in_log(store_url)
    assert (len(facts), len(set(facts))) == (3 * 150, 3 * 150)
    app = open_app(store_url)
    try:
        app.catch_up()
        assert_read_models_match_log(app, store_url)
        assert app.questions.verify().ok
    finally:
        app.close()
    rerun = spawn("-m", "tests.crash_child", "ingest", store_url, "0", str(LINES), "150", name="rerun")
    assert rerun.finish(90) == 0, rerun.stderr_tail()
    facts = _facts_in_log(store_url)
    assert (len(facts), len(set(facts))) == (LINES, LINES)
    app = open_app(store_url)
    try:
        assert_read_models_match_log(app, store_url)
        assert sorted(_line_number(view.source.quote) for view in app.questions.facts()) == list(range(LINES))
    finally:
        app.close()


@pytest.mark.slow
@pytest.mark.timeout(240)
def test_a_catch_up_killed_inside_a_page_resumes_from_its_last_commit(store_url: str, spawn: Spawn) -> None:
    """kill -9 while the facts model writes its second page: its committed position is the end of the first
    page and its rows are exactly those events; resumed, every read model holds what the log says."""
    _write_without_read_models(store_url, large_world())
    child = spawn("-m", "tests.crash_child", "catch-up", store_url, "--stall", "facts:2", name="catch-up")
    child.wait_for_line("STALLED", 180)
    child.kill()
    live, _live_position, building, position = registry(store_url)["facts"]
    assert (live, building, position) == (None, 1, _page_end(store_url, 1))
    _assert_generation_holds_the_log_up_to(store_url, building, position, timeline=False)
    app = open_app(store_url)
    try:
        app.catch_up()
        events = assert_read_models_match_log(app, store_url)
        assert sum(event.type == "FactRecorded" for event in events) == LARGE
    finally:
        app.close()


@pytest.mark.slow
@pytest.mark.timeout(240)
def test_a_rebuild_killed_inside_a_page_keeps_serving_and_resumes(store_url: str, spawn: Spawn) -> None:
    """kill -9 in the second page of a rebuild from scratch: the live generation keeps answering with every
    fact; the new one holds exactly its committed first page; resumed, it goes live with every fact."""
    app = open_app(store_url)
    try:
        app.ingest(large_world(), at=AT)
        assert_read_models_match_log(app, store_url)
    finally:
        app.close()
    before = registry(store_url)
    child = spawn("-m", "tests.crash_child", "rebuild", store_url, "--stall", "facts:2", name="rebuild")
    child.wait_for_line("STALLED", 180)
    child.kill()
    after = registry(store_url)
    first_page = _page_end(store_url, 1)
    for name, (live, live_position, building, position) in after.items():
        assert (live, live_position) == before[name][:2], name
        assert (building, position) == ((live or 0) + 1, first_page), name
    _assert_generation_holds_the_log_up_to(store_url, after["facts"][2] or 0, first_page, timeline=True)
    app = open_app(store_url)
    try:
        assert_read_models_match_log(app, store_url)
        app.replay([])
        assert {name: entry[0] for name, entry in registry(store_url).items()} == {
            name: entry[2] for name, entry in after.items()
        }
        events = assert_read_models_match_log(app, store_url)
        assert sum(event.type == "FactRecorded" for event in events) == LARGE
    finally:
        app.close()


@pytest.mark.slow
@pytest.mark.timeout(120)
def test_concurrent_writers_lose_and_duplicate_nothing(store_url: str, spawn: Spawn) -> None:
    """Two processes recording overlapping batches of a new store at once leave each fact exactly once;
    the read models hold exactly what the log holds."""
    writers = [
        spawn("-m", "tests.concurrent_writer", store_url, "0", "800", "100", name="writer 0-800"),
        spawn("-m", "tests.concurrent_writer", store_url, "400", str(LINES), "150", name=f"writer 400-{LINES}"),
    ]
    for writer in writers:
        assert writer.finish(90) == 0, writer.stderr_tail()
    facts = _facts_in_log(store_url)
    assert (len(facts), len(set(facts))) == (LINES, LINES)
    app = open_app(store_url)
    try:
        app.catch_up()
        assert_read_models_match_log(app, store_url)
        assert sorted(_line_number(view.source.quote) for view in app.questions.facts()) == list(range(LINES))
    finally:
        app.close()


def _open_at_once(url_pattern: str, spawn: Spawn, barriers: Path, rounds: int, followers: int) -> None:
    """Four children open the round's store at one instant, ``rounds`` times; each must succeed."""
    children = [
        spawn(
            "-m",
            "tests.crash_child",
            "open",
            url_pattern,
            str(barriers),
            str(rounds),
            *(["--follower"] if number < followers else []),
            name=f"opener {number}",
        )
        for number in range(4)
    ]
    for round_number in range(rounds):
        for child in children:
            child.wait_for_line(f"READY {round_number}", 60)
        (barriers / f"go{round_number}").touch()
        for child in children:
            child.wait_for_line(f"OPENED {round_number}", 60)
    for child in children:
        assert child.finish(30) == 0, child.stderr_tail()


@pytest.mark.slow
@pytest.mark.timeout(120)
def test_processes_opening_a_new_sqlite_store_at_the_same_instant_all_succeed(tmp_path: Path, spawn: Spawn) -> None:
    """Four processes open a new SQLite file at once, 24 files in a row: none fails with 'database is
    locked' while another switches the file to write-ahead logging."""
    _open_at_once(f"sqlite:///{tmp_path}/new{{round}}.sqlite", spawn, tmp_path, rounds=24, followers=0)


@pytest.mark.postgres
@pytest.mark.slow
@pytest.mark.timeout(120)
def test_processes_opening_a_postgres_store_with_followers_at_the_same_instant_all_succeed(
    tmp_path: Path, spawn: Spawn
) -> None:
    """Four processes, two of them starting a follower's listener, open one PostgreSQL store at once, six
    times: none fails with 'tuple concurrently updated' while another replaces the library's functions."""
    require_postgres()
    url = create_postgres_database()
    try:
        open_app(url).close()
        _open_at_once(url, spawn, tmp_path, rounds=6, followers=2)
    finally:
        drop_postgres_database(url)


# Following


def _follow(spawn: Spawn, url: str, *args: str) -> Child:
    return spawn("-m", "cli", "follow", "--store", url, *args, name="follow")


def _position(url: str, name: str) -> int:
    entry = registry(url).get(name)
    return entry[1] if entry is not None and entry[0] is not None else -1


def _head(url: str) -> int:
    events = stored_events(url)
    return events[-1].position if events else 0


@pytest.mark.slow
@pytest.mark.timeout(90)
def test_follow_stops_after_its_time_with_the_read_models_current(sqlite_url: str, spawn: Spawn) -> None:
    """follow --for N, run as its own process, brings the read models to the head of what another process
    wrote, and exits 0 by itself."""
    _write_without_read_models(sqlite_url, world(SISTERHOOD_1993))
    follower = _follow(spawn, sqlite_url, "--for", "1", "--interval", "0.2")
    assert follower.finish(60) == 0, follower.stderr_tail()
    assert {name: entry[1] for name, entry in registry(sqlite_url).items()} == dict.fromkeys(
        registry(sqlite_url), _head(sqlite_url)
    )


@pytest.mark.slow
@pytest.mark.timeout(90)
def test_follow_stops_cleanly_on_sigterm(sqlite_url: str, spawn: Spawn) -> None:
    """A follower with no time limit ends with exit code 0 soon after SIGTERM."""
    open_app(sqlite_url).close()
    follower = _follow(spawn, sqlite_url, "--interval", "0.2")
    wait_until(lambda: _position(sqlite_url, "ledger") >= 0, seconds=60, what="the follower's catch-up", child=follower)
    assert follower.terminate(30) == 0, follower.stderr_tail()


@pytest.mark.postgres
@pytest.mark.slow
@pytest.mark.timeout(120)
def test_follow_on_postgres_sees_another_process_writes_at_once(postgres_url: str, spawn: Spawn) -> None:
    """With polling set to 60 s, a follower still picks up another process's write within seconds: by notification."""
    open_app(postgres_url).close()
    follower = _follow(spawn, postgres_url, "--interval", "60", "--for", "90")
    wait_until(
        lambda: _position(postgres_url, "ledger") >= 0, seconds=60, what="the follower's catch-up", child=follower
    )
    _write_without_read_models(postgres_url, world(SISTERHOOD_1993))
    head = _head(postgres_url)
    wait_until(
        lambda: min(entry[1] for entry in registry(postgres_url).values()) >= head,
        seconds=20,
        what=f"every read model to reach position {head}",
        child=follower,
    )
    _assert_state_is_sisterhood(postgres_url)
    assert follower.terminate(30) == 0, follower.stderr_tail()


@pytest.mark.slow
@pytest.mark.timeout(90)
def test_follow_on_sqlite_polls(sqlite_url: str, spawn: Spawn) -> None:
    """On SQLite, following polls: another process's write reaches the projections within the poll interval."""
    open_app(sqlite_url).close()
    follower = _follow(spawn, sqlite_url, "--interval", "0.5", "--for", "90")
    wait_until(lambda: _position(sqlite_url, "ledger") >= 0, seconds=60, what="the follower's catch-up", child=follower)
    _write_without_read_models(sqlite_url, world(SISTERHOOD_1993))
    head = _head(sqlite_url)
    wait_until(
        lambda: min(entry[1] for entry in registry(sqlite_url).values()) >= head,
        seconds=20,
        what=f"every read model to reach position {head}",
        child=follower,
    )
    _assert_state_is_sisterhood(sqlite_url)
    assert follower.terminate(30) == 0, follower.stderr_tail()


def _assert_state_is_sisterhood(url: str) -> None:
    reader = open_app(url)
    try:
        answer = reader.questions.relationship_state("KR-41", "CN-LN", observer=Observer(as_of=date(2000, 1, 1)))
        assert answer.status is RelationshipStatus.SISTERHOOD
    finally:
        reader.close()
