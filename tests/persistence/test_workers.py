"""Projection workers on PostgreSQL: follow processes share the projections, one worker per projection at a time,
every event applied exactly once under concurrent writers, and a killed worker's projections taken over."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from application.app import Paradip
from application.bootstrap import BUILTIN, open_app
from domain.observer import Observer
from domain.vocabulary import RelationshipStatus
from infrastructure.store import StoreLocation
from tests.concurrent_writer import SOURCE, batch
from tests.support import ROOT

COUNTER = "tests.user_projection:KindsPerDocument"
FAILING = "tests.user_projection:RefusesMeetings"
TEST_SECONDS = 150  # the whole test, children included; a test over time fails rather than hangs
LEASE = 3.0

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


class Children:
    """The test's child processes (their output in files, so none blocks on a full pipe): watched while waited
    for, and ended whatever happens."""

    def __init__(self, deadline: float, logs: Path) -> None:
        self.deadline = deadline
        self.logs = logs
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self.env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def start(self, label: str, *arguments: str) -> subprocess.Popen[bytes]:
        with self._log(label).open("wb") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", *arguments], cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        self.processes[label] = process
        return process

    def _log(self, label: str) -> Path:
        return self.logs / f"{label.replace(' ', '-')}.log"

    def worker(self, label: str, url: str) -> subprocess.Popen[bytes]:
        seconds = str(max(self.deadline - time.monotonic(), 1.0))
        return self.start(
            label, "cli", "follow", "--store", url, "--interval", "0.3", "--lease", str(LEASE), "--for", seconds
        )

    def writer(self, label: str, url: str, first: int, last: int) -> subprocess.Popen[bytes]:
        return self.start(label, "tests.concurrent_writer", url, str(first), str(last), "25", "--no-read-models")

    def wait_for(
        self, condition: Callable[[], bool], what: str, *, within: float, quiet: tuple[str, ...] = ()
    ) -> float:
        """Poll ``condition`` until it holds; fail at once if a child other than ``quiet`` ones has died with an
        error, and when ``within`` seconds (or the test's time) are over. Returns the seconds it took."""
        started = time.monotonic()
        limit = min(started + within, self.deadline)
        while time.monotonic() < limit:
            if condition():
                return time.monotonic() - started
            for label, process in self.processes.items():
                if label not in quiet and process.poll() not in (None, 0):
                    pytest.fail(f"{label} exited with {process.returncode}: {self.stderr(label)}")
            time.sleep(0.2)
        pytest.fail(f"timed out waiting for {what}")

    def finished(self, *labels: str) -> Callable[[], bool]:
        return lambda: all(self.processes[label].poll() is not None for label in labels)

    def stderr(self, label: str) -> str:
        return self._log(label).read_text(errors="replace").strip()[-2000:]

    def end(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=20)


@contextmanager
def children(logs: Path) -> Iterator[Children]:
    running = Children(time.monotonic() + TEST_SECONDS, logs)
    try:
        yield running
    finally:
        running.end()


def _prepared(url: str) -> None:
    """Actors, the source, every built-in projection built, and a counting projection of the user's registered."""
    app = open_app(url)
    try:
        first = batch(0, 0)
        app.ingest(first, at=datetime.now(UTC))
        app.catch_up()
        app.replay([COUNTER])
    finally:
        app.close()


def _reader(url: str) -> Paradip:
    """An application that only reads: every read model is live, so it never applies events itself."""
    return open_app(url, keep_read_models_current=False)


def _statuses(url: str) -> dict[str, Any]:
    app = _reader(url)
    try:
        return {status.name: status for status in app.questions.projection_status()}
    finally:
        app.close()


def _all_current(url: str) -> bool:
    statuses = _statuses(url)
    return all(status.lag == 0 and status.generation > 0 for status in statuses.values())


def _holders(url: str) -> dict[str, str]:
    return {name: status.worker for name, status in _statuses(url).items() if status.worker}


def _pid(worker: str) -> int:
    return int(worker.rpartition(":")[2])


class _LogWatch:
    """Watches, in a thread, the positions of the log become visible while writers commit: a position that
    appears below one already seen would be passed over by a follower reading after its position."""

    def __init__(self, url: str) -> None:
        self.location = StoreLocation.parse(url)
        self.seen: set[int] = set()
        self.late: list[int] = []
        self.looks = 0
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> _LogWatch:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stopping.set()
        self.thread.join(timeout=30)

    def _watch(self) -> None:
        with self.location.connect_postgres(autocommit=True) as connection:
            statement = f"SELECT notification_id FROM {self.location.events_table}"
            while not self.stopping.wait(0.01):
                visible = {row[0] for row in connection.execute(statement).fetchall()}
                highest = max(self.seen, default=0)
                self.late.extend(sorted(position for position in visible - self.seen if position < highest))
                self.seen |= visible
                self.looks += 1


def _tables(app: Paradip) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of every projection, built-in and the counter."""
    names = [projection.name for projection in BUILTIN] + ["kinds_per_document"]
    tables = {}
    for name in names:
        for table in app.read.projection_class(name).tables:
            tables[f"{name}.{table.name}"] = app.questions.view_rows(name, table.name)[2]
    return tables


def test_two_workers_and_two_writers_apply_every_event_exactly_once(postgres_url: str, tmp_path: Path) -> None:
    """Two follow processes share the projections while two writers record 300 facts each: afterwards every
    projection is at the head, both workers held some, and the counts equal what the writers wrote."""
    _prepared(postgres_url)
    with children(tmp_path) as running:
        running.worker("worker A", postgres_url)
        running.worker("worker B", postgres_url)
        running.wait_for(
            lambda: len(set(_holders(postgres_url).values())) == 2, "both workers to hold projections", within=60
        )
        running.writer("writer 1", postgres_url, 0, 300)
        running.writer("writer 2", postgres_url, 300, 600)
        with _LogWatch(postgres_url) as log:
            running.wait_for(running.finished("writer 1", "writer 2"), "the writers", within=90)
        assert log.late == [], "positions became visible out of order: a follower could have passed over them"
        assert log.looks > 20
        for label in ("writer 1", "writer 2"):
            assert running.processes[label].returncode == 0, running.stderr(label)
        running.wait_for(lambda: _all_current(postgres_url), "every projection to reach the head", within=60)
        holders = _holders(postgres_url)
        assert len(set(holders.values())) == 2
        assert set(holders) == set(_statuses(postgres_url))

    app = _reader(postgres_url)
    try:
        assert app.questions.view_rows("kinds_per_document")[2] == [(SOURCE.document, "meeting", 600)]
        assert {row[0]: row[-1] for row in app.questions.view_rows("sources")[2]}[SOURCE.document] == 600
        assert len(app.questions.view_rows("facts", "versions")[2]) == 600
        assert app.questions.verify().ok, app.questions.verify().problems
        state = app.questions.relationship_state("KR-41", "CN-LN", observer=Observer(as_of=date(2030, 1, 1)))
        assert state.status is RelationshipStatus.CONTACT
        assert len(state.events) == 600
    finally:
        app.close()


def test_a_failing_projection_is_set_aside_and_the_others_keep_up(postgres_url: str, tmp_path: Path) -> None:
    """A user's projection whose handler raises on a meeting (every fact the writer records): the worker holding
    it gives it back and leaves it alone for a while, no worker exits, and every other projection reaches the
    head while a writer records."""
    _prepared(postgres_url)
    app = open_app(postgres_url)
    try:
        app.replay([FAILING])
    finally:
        app.close()
    with children(tmp_path) as running:
        running.worker("worker A", postgres_url)
        running.worker("worker B", postgres_url)
        running.writer("writer", postgres_url, 0, 200)
        running.wait_for(running.finished("writer"), "the writer", within=90)
        assert running.processes["writer"].returncode == 0, running.stderr("writer")

        def others_current() -> bool:
            statuses = _statuses(postgres_url)
            return all(status.lag == 0 for name, status in statuses.items() if name != "refuses_meetings")

        running.wait_for(others_current, "every other projection to reach the head", within=60)
        statuses = _statuses(postgres_url)
        assert statuses["refuses_meetings"].lag > 0
        assert statuses["kinds_per_document"].lag == 0
        assert [running.processes[label].poll() for label in ("worker A", "worker B")] == [None, None]
        said = running.stderr("worker A") + running.stderr("worker B")
        assert "refuses_meetings failed (projection refuses_meetings failed on the events after position" in said
        assert "ValueError: cannot handle meeting" in said
        assert "set aside for 60 s" in said


def test_an_unregistered_projection_is_given_back_by_the_worker_holding_it(postgres_url: str, tmp_path: Path) -> None:
    """unregister while a worker holds the user's projection: the worker releases its lease (the lock and the
    row) at its next cycle instead of holding a name that no longer exists, and goes on."""
    from projections.workers import LEASES

    _prepared(postgres_url)
    with children(tmp_path) as running:
        running.worker("worker A", postgres_url)
        running.wait_for(
            lambda: "kinds_per_document" in _holders(postgres_url), "worker A to hold the user's projection", within=60
        )
        app = open_app(postgres_url, keep_read_models_current=False)
        try:
            assert app.unregister("kinds_per_document")
        finally:
            app.close()
        running.wait_for(
            lambda: "released kinds_per_document" in running.stderr("worker A"), "the lease given back", within=30
        )
        with StoreLocation.parse(postgres_url).connect_postgres(autocommit=True) as admin:
            rows = admin.execute(f"SELECT count(*) FROM {LEASES} WHERE name = 'kinds_per_document'").fetchone()
        assert rows is not None
        assert rows[0] == 0
        assert running.processes["worker A"].poll() is None


def test_a_killed_worker_is_taken_over_and_the_answers_match_a_rebuild(postgres_url: str, tmp_path: Path) -> None:
    """kill -9 of the worker holding the fact versions while a writer records: the other worker takes its
    projections within seconds, from their committed positions, and every table equals a rebuild from zero."""
    _prepared(postgres_url)
    with children(tmp_path) as running:
        running.worker("worker A", postgres_url)
        running.worker("worker B", postgres_url)
        running.wait_for(
            lambda: len(set(_holders(postgres_url).values())) == 2, "both workers to hold projections", within=60
        )
        running.writer("writer", postgres_url, 0, 600)
        running.wait_for(lambda: _statuses(postgres_url)["facts"].position > 100, "facts to be applied", within=60)
        victim = _holders(postgres_url)["facts"]
        label = next(label for label, process in running.processes.items() if process.pid == _pid(victim))
        survivor = next(name for name in set(_holders(postgres_url).values()) if name != victim)
        os.kill(_pid(victim), signal.SIGKILL)
        took = running.wait_for(
            lambda: set(_holders(postgres_url).values()) == {survivor} and "facts" in _holders(postgres_url),
            "the survivor to take over",
            within=30,
            quiet=(label,),
        )
        assert took < 15, f"the takeover took {took:.1f} s"
        running.wait_for(running.finished("writer"), "the writer", within=90, quiet=(label,))
        assert running.processes["writer"].returncode == 0, running.stderr("writer")
        running.wait_for(
            lambda: _all_current(postgres_url), "every projection to reach the head", within=60, quiet=(label,)
        )

    app = open_app(postgres_url)
    try:
        followed = _tables(app)
        answer = app.questions.relationship_state("KR-41", "CN-LN", observer=Observer(as_of=date(2010, 6, 1)))
        app.replay([], from_scratch=True)
        assert _tables(app) == followed
        rebuilt = app.questions.relationship_state("KR-41", "CN-LN", observer=Observer(as_of=date(2010, 6, 1)))
        assert (rebuilt.status, rebuilt.certainty, rebuilt.events) == (answer.status, answer.certainty, answer.events)
        assert followed["kinds_per_document.counts"] == [(SOURCE.document, "meeting", 600)]
    finally:
        app.close()


def test_follow_with_workers_starts_and_ends_its_helpers(postgres_url: str, tmp_path: Path) -> None:
    """follow --workers 2 is two workers sharing the projections; when it ends, its helper ends too and no lease
    is left held."""
    _prepared(postgres_url)
    with children(tmp_path) as running:
        follow = running.start(
            "follow", "cli", "follow", "--store", postgres_url, "--workers", "2", "--interval", "0.3", "--for", "20"
        )
        running.wait_for(
            lambda: len(set(_holders(postgres_url).values())) == 2, "two workers to hold projections", within=60
        )
        follow.send_signal(signal.SIGTERM)
        running.wait_for(running.finished("follow"), "follow to end", within=40)
        assert follow.returncode == 0, running.stderr("follow")
        assert _holders(postgres_url) == {}


def test_a_stopped_worker_loses_its_leases_once_they_expire(postgres_url: str, tmp_path: Path) -> None:
    """A worker that stops renewing (SIGSTOP) while its connections live keeps its projections only until its
    lease expires: the other worker then ends its session and takes them; resumed, it rejoins and takes a share
    again, and the events written meanwhile are applied once."""
    _prepared(postgres_url)
    with children(tmp_path) as running:
        running.worker("worker A", postgres_url)
        running.worker("worker B", postgres_url)
        running.wait_for(
            lambda: len(set(_holders(postgres_url).values())) == 2, "both workers to hold projections", within=60
        )
        victim = _holders(postgres_url)["facts"]
        survivor = next(name for name in set(_holders(postgres_url).values()) if name != victim)
        os.kill(_pid(victim), signal.SIGSTOP)
        try:
            took = running.wait_for(
                lambda: (
                    set(_holders(postgres_url).values()) == {survivor}
                    and set(_holders(postgres_url)) == set(_statuses(postgres_url))
                ),
                "the survivor to take the expired leases",
                within=30,
            )
            assert took >= LEASE * 2 / 3 - 0.5, "the lease was taken before it had expired"
            running.writer("writer", postgres_url, 0, 200)
            running.wait_for(running.finished("writer"), "the writer", within=60)
        finally:
            os.kill(_pid(victim), signal.SIGCONT)
        running.wait_for(lambda: victim in _holders(postgres_url).values(), "the resumed worker to rejoin", within=30)
        running.wait_for(lambda: _all_current(postgres_url), "every projection to reach the head", within=60)
    app = _reader(postgres_url)
    try:
        assert app.questions.view_rows("kinds_per_document")[2] == [(SOURCE.document, "meeting", 200)]
    finally:
        app.close()


def test_positions_appear_in_commit_order(postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two writers at once, the first slow to commit: the second waits for it (the recorder's table lock), so
    no position ever becomes visible below one already seen, and a worker reading after its position misses none."""
    first, second = (open_app(postgres_url, keep_read_models_current=False) for _ in range(2))
    recorder_class = type(first.recorder)
    fetch_ids = recorder_class._fetch_ids_after_insert_events
    holding_the_lock = threading.Event()

    def slow_to_commit(self: Any, cursor: Any, stored_events: Any, **kwargs: Any) -> Any:
        ids = fetch_ids(self, cursor, stored_events, **kwargs)
        if self is first.recorder:
            holding_the_lock.set()
            time.sleep(1.5)
        return ids

    try:
        first.ingest(batch(0, 0), at=datetime.now(UTC))
        monkeypatch.setattr(recorder_class, "_fetch_ids_after_insert_events", slow_to_commit)
        with _LogWatch(postgres_url) as log:
            slow = threading.Thread(target=lambda: first.ingest(batch(0, 50), at=datetime.now(UTC)))
            slow.start()
            assert holding_the_lock.wait(timeout=30), "the first writer never reached its commit"
            started = time.monotonic()
            second.ingest(batch(50, 100), at=datetime.now(UTC))
            waited = time.monotonic() - started
            slow.join(timeout=30)
            time.sleep(0.1)
        assert log.late == [], "positions became visible below ones already seen"
        assert waited > 0.5, "the second writer did not wait for the first to commit"
        assert len(log.seen) == first.head() - min(log.seen) + 1
    finally:
        first.close()
        second.close()


def test_workers_starting_at_once_on_a_new_store_all_create_their_lease_table(postgres_url: str) -> None:
    """Eight workers that find no lease table, released at the same instant, round after round: none fails
    (two sessions creating one table at once would collide in PostgreSQL's catalogue without the schema lock)."""
    from projections.workers import LEASES, Worker

    app = open_app(postgres_url, keep_read_models_current=False)
    location = StoreLocation.parse(postgres_url)
    workers = [Worker(app.read, location, poll_interval=1.0, name=f"worker {n}") for n in range(8)]
    failures: list[str] = []
    try:
        for _round in range(12):
            with location.connect_postgres(autocommit=True) as admin:
                admin.execute(f"DROP TABLE IF EXISTS {LEASES}")
            connections = [location.connect_postgres(autocommit=True) for _ in workers]
            start = threading.Barrier(len(workers))

            threads = [
                threading.Thread(target=_create_lease_table, args=(worker, connection, start, failures))
                for worker, connection in zip(workers, connections, strict=True)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=30)
            for connection in connections:
                connection.close()
        assert failures == []
    finally:
        app.close()


def _create_lease_table(worker: Any, connection: Any, start: threading.Barrier, failures: list[str]) -> None:
    start.wait()
    try:
        worker._ensure_table(connection)
    except Exception as error:
        failures.append(f"{worker.name}: {type(error).__name__}: {error}")
