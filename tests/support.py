"""Helpers for tests that run other processes or check large results.

Waits that watch the child they wait on (and fail at once, with its stderr, when it has exited);
fingerprints (count and hash) so that two large results compare in a line instead of a giant diff;
and reads of the stored log that bypass the projection engine, to compute what the read models
must hold independently of the code under test.
"""

from __future__ import annotations

import hashlib
import os
import queue
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from itertools import combinations
from pathlib import Path
from typing import Any
from uuid import UUID

import attrs
import orjson
import pytest
from click.testing import CliRunner, Result

from cli import main
from domain.facts import FactDraft
from infrastructure.store import StoreLocation
from tests.builders import ACTORS

ROOT = Path(__file__).resolve().parent.parent
GENESIS = "0" * 64
# Which kinds are evidence of a relationship or of a programme, as the README states them: the
# oracles below say it again rather than import the engine's own sets.
RELATIONSHIP_KINDS = frozenset(
    {
        "relationship_established",
        "relationship_upgraded",
        "relationship_suspended",
        "relationship_resumed",
        "relationship_ended",
        "agreement_signed",
        "meeting",
        "visit",
        "exchange",
        "invitation",
    }
)
PROGRAM_KINDS = frozenset(
    {
        "program_started",
        "program_round_held",
        "program_suspended",
        "program_resumed",
        "program_ended",
        "conference_held",
    }
)
CODES = {draft.key: draft.code for draft in ACTORS}


def child_env() -> dict[str, str]:
    """The environment of a child process that imports this checkout."""
    return {**os.environ, "PYTHONPATH": str(ROOT)}


class Child:
    """A child process whose output is read as it comes, so waits can watch both its lines and its exit."""

    def __init__(self, args: Sequence[str], *, name: str) -> None:
        self.name = name
        self.process = subprocess.Popen(
            list(args),
            cwd=ROOT,
            env=child_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.errors: list[str] = []
        self._readers = [
            threading.Thread(target=self._read, args=(self.process.stdout, self.lines.put), daemon=True),
            threading.Thread(target=self._read, args=(self.process.stderr, self.errors.append), daemon=True),
        ]
        for reader in self._readers:
            reader.start()

    @staticmethod
    def _read(stream: Any, sink: Callable[[str], None]) -> None:
        for line in stream:
            sink(line.rstrip("\n"))

    @property
    def exited(self) -> bool:
        return self.process.poll() is not None

    def stderr_tail(self, lines: int = 15) -> str:
        for reader in self._readers:
            reader.join(timeout=1)
        return "\n".join(self.errors[-lines:])

    def _fail_exited(self, what: str) -> None:
        pytest.fail(
            f"{self.name} exited with code {self.process.returncode} before {what}; its stderr:\n{self.stderr_tail()}"
        )

    def wait_for_line(self, prefix: str, seconds: float) -> str:
        """The first line of output starting with ``prefix``; fails if the child exits or time runs out first."""
        deadline = time.monotonic() + seconds
        while True:
            try:
                line = self.lines.get(timeout=0.05)
            except queue.Empty:
                if self.exited and self.lines.empty():
                    self._readers[0].join(timeout=1)
                    if self.lines.empty():
                        self._fail_exited(f"printing {prefix!r}")
                if time.monotonic() > deadline:
                    pytest.fail(f"{self.name} printed no {prefix!r} line within {seconds} s")
                continue
            if line.startswith(prefix):
                return line

    def finish(self, seconds: float) -> int:
        """Wait for the child to end by itself (killing it and failing after ``seconds``); its exit code."""
        try:
            return self.process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            self.kill()
            pytest.fail(f"{self.name} did not finish within {seconds} s; its stderr:\n{self.stderr_tail()}")

    def kill(self) -> None:
        """kill -9, and reap."""
        if not self.exited:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def terminate(self, seconds: float) -> int:
        """SIGTERM, then wait up to ``seconds`` for a clean exit; its exit code."""
        if not self.exited:
            self.process.send_signal(signal.SIGTERM)
        return self.finish(seconds)


def python_child(*args: str, name: str) -> Child:
    """A child running ``python args...`` in this checkout."""
    return Child([sys.executable, *args], name=name)


def wait_until(
    condition: Callable[[], bool], *, seconds: float, what: str, child: Child | None = None, interval: float = 0.05
) -> None:
    """Poll ``condition`` until it holds; fail at once if ``child`` exits meanwhile, or after ``seconds``."""
    deadline = time.monotonic() + seconds
    while not condition():
        if child is not None and child.exited:
            if condition():
                return
            child._fail_exited(what)
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {seconds} s waiting for {what}")
        time.sleep(interval)


# Fingerprints


def fingerprint(rows: Iterable[Sequence[Any]]) -> tuple[int, str]:
    """How many rows, and a hash of them whatever their order: two large results compare in one line."""
    encoded = sorted(orjson.dumps(list(row), default=str) for row in rows)
    digest = hashlib.sha256()
    for item in encoded:
        digest.update(item)
        digest.update(b"\n")
    return len(encoded), digest.hexdigest()[:16]


def assert_same_rows(name: str, actual: Sequence[Sequence[Any]], expected: Sequence[Sequence[Any]]) -> None:
    """Equal multisets of rows, or a failure naming the counts and at most three rows on each side."""
    if fingerprint(actual) == fingerprint(expected):
        return
    mine, theirs = Counter(map(tuple, actual)), Counter(map(tuple, expected))
    extra = list((mine - theirs).elements())[:3]
    missing = list((theirs - mine).elements())[:3]
    pytest.fail(f"{name}: {len(actual)} rows where {len(expected)} were expected; extra {extra}; missing {missing}")


Tables = dict[str, Sequence[Sequence[Any]]]


def assert_same_tables(actual: Tables, expected: Tables) -> None:
    """The same tables with the same rows, compared by fingerprint: a failure names the tables that differ."""
    assert sorted(actual) == sorted(expected)
    for name in sorted(expected):
        assert_same_rows(name, actual[name], expected[name])


# The stored log, read without the engine


@attrs.frozen
class StoredEvent:
    """One row of the event table as stored."""

    position: int
    originator: str
    version: int
    topic: str
    state: bytes

    @property
    def type(self) -> str:
        return self.topic.rpartition(":")[2]

    @property
    def payload(self) -> dict[str, Any]:
        loaded: dict[str, Any] = orjson.loads(self.state)
        return loaded


def _connect(url: str) -> tuple[Any, str, str]:
    location = StoreLocation.parse(url)
    if location.kind == "postgresql":
        import psycopg

        connection = psycopg.connect(
            host=location.host, port=location.port, user=location.user, dbname=location.dbname, autocommit=True
        )
        return connection, "notification_id", location.events_table
    return sqlite3.connect(location.path, timeout=30), "rowid", location.events_table


def raw_rows(url: str, statement: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """Rows of one statement run straight on the store's database (``?`` placeholders)."""
    connection, _column, _table = _connect(url)
    try:
        if isinstance(connection, sqlite3.Connection):
            return [tuple(row) for row in connection.execute(statement, params).fetchall()]
        with connection.cursor() as cursor:
            cursor.execute(statement.replace("?", "%s"), params)
            return [tuple(row) for row in cursor.fetchall()]
    finally:
        connection.close()


def stored_events(url: str, *, upto: int | None = None) -> list[StoredEvent]:
    """Every stored event (up to a position), in log order, read straight from the event table."""
    _connection, column, table = _connect(url)
    _connection.close()
    where = f" WHERE {column} <= {int(upto)}" if upto is not None else ""
    rows = raw_rows(
        url, f"SELECT {column}, originator_id, originator_version, topic, state FROM {table}{where} ORDER BY {column}"
    )
    return [
        StoredEvent(
            position=int(position),
            originator=UUID(str(originator)).hex,
            version=int(version),
            topic=topic,
            state=bytes(state),
        )
        for position, originator, version, topic, state in rows
    ]


def ledger_digest(events: Iterable[StoredEvent]) -> tuple[int, str]:
    """The ledger's contract stated again: a sha256 chain over every stored event; (events, head digest)."""
    digest, count = GENESIS, 0
    for event in events:
        step = hashlib.sha256(digest.encode("ascii"))
        step.update(f"|{event.position}|{event.originator}|{event.version}|{event.topic}|".encode())
        step.update(event.state)
        digest, count = step.hexdigest(), count + 1
    return count, digest


# What the read models must hold, computed from the input or the raw log


@attrs.frozen
class Expected:
    """Counts and digests that the read models must match, computed without the engine."""

    facts: int
    per_kind: dict[str, int]
    timeline_rows: int
    relationship_evidence: int
    pair_rows: int
    program_evidence: int
    fact_ids: tuple[int, str]

    @classmethod
    def of_payloads(cls, payloads: Iterable[tuple[str, dict[str, Any]]]) -> Expected:
        """From (fact id, FactRecorded payload) pairs as stored: for a store holding no corrections."""
        per_kind: Counter[str] = Counter()
        timeline = relationship = program = 0
        pairs: set[tuple[str, str]] = set()
        ids = []
        for fact, payload in payloads:
            ids.append((fact,))
            kind, parties = payload["kind"], sorted(set(payload["parties"]))
            per_kind[kind] += 1
            timeline += len(parties)
            if kind in RELATIONSHIP_KINDS:
                relationship += len(parties) * (len(parties) - 1) // 2
                pairs.update(combinations(parties, 2))
            if kind in PROGRAM_KINDS:
                program += len(parties)
        return cls(
            facts=len(ids),
            per_kind=dict(per_kind),
            timeline_rows=timeline,
            relationship_evidence=relationship,
            pair_rows=2 * len(pairs),
            program_evidence=program,
            fact_ids=fingerprint(ids),
        )

    @classmethod
    def of_log(cls, events: Iterable[StoredEvent]) -> Expected:
        """From the FactRecorded events of a raw log."""
        return cls.of_payloads((event.originator, event.payload) for event in events if event.type == "FactRecorded")

    @classmethod
    def of_read_models(cls, app: Any) -> Expected:
        """What the application's read models hold, counted from their rows."""
        versions = app.questions.view_rows("facts", "versions")[2]
        firsts = [row for row in versions if row[1] == 1]
        return cls(
            facts=len(firsts),
            per_kind=dict(Counter(row[5] for row in firsts)),
            timeline_rows=len(app.questions.view_rows("timeline", "by_actor")[2]),
            relationship_evidence=len(app.questions.view_rows("relationships", "evidence")[2]),
            pair_rows=len(app.questions.view_rows("relationships", "pairs")[2]),
            program_evidence=len(app.questions.view_rows("programs", "evidence")[2]),
            fact_ids=fingerprint((row[0],) for row in firsts),
        )


def assert_read_models_match_log(app: Any, url: str) -> list[StoredEvent]:
    """Every read model is at the head of the log and holds what the raw log says it must; the log."""
    events = stored_events(url)
    head = events[-1].position if events else 0
    statuses = {status.name: status for status in app.questions.projection_status()}
    behind = {name: status.position for name, status in statuses.items() if status.position != head}
    assert not behind, f"read models not at the head {head}: {behind}"
    assert Expected.of_read_models(app) == Expected.of_log(events)
    (ledger,) = app.questions.view_rows("ledger", "head")[2]
    assert (ledger[1], ledger[3], ledger[2]) == (head, *ledger_digest(events))
    return events


def registry(url: str) -> dict[str, tuple[int | None, int, int | None, int]]:
    """Each projection's (live generation, live position, building generation, building position), read raw."""
    try:
        rows = raw_rows(
            url,
            "SELECT name, live_generation, live_position, building_generation, building_position "
            "FROM projection_registry",
        )
    except Exception:  # the registry table is created by the first process that opens the store
        return {}
    return {row[0]: (row[1], int(row[2]), row[3], int(row[4])) for row in rows}


def content_of_drafts(drafts: Iterable[FactDraft]) -> tuple[int, str]:
    """A fingerprint of what each input fact says (kind, modality, parties by code, date, attributes, quote)."""
    return fingerprint(
        (
            str(draft.kind),
            str(draft.modality),
            sorted(CODES.get(party, party) for party in draft.parties),
            draft.date.edtf,
            draft.attributes.to_json(),
            draft.quote,
        )
        for draft in drafts
    )


def content_of_views(views: Iterable[Any]) -> tuple[int, str]:
    """The same fingerprint of the facts an application answers with (FactView objects)."""
    return fingerprint(
        (
            str(view.kind),
            str(view.modality),
            sorted(view.parties),
            view.date,
            view.attributes.to_json(),
            view.source.quote,
        )
        for view in views
    )


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    """The paradip command, run in this process with these arguments (and environment)."""
    return CliRunner(env=env).invoke(main, list(args), catch_exceptions=False)


def as_json(result: Result) -> Any:
    """The JSON a command that succeeded printed."""
    assert result.exit_code == 0, result.output
    return orjson.loads(result.stdout)


def one_line_error(result: Result, code: int, *fragments: str) -> str:
    """The one line a refused command printed, checked for its exit code, no traceback and these fragments."""
    assert result.exit_code == code, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


def snapshot(app: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every live table of every projection."""
    tables: dict[str, list[tuple[Any, ...]]] = {}
    for status in app.questions.projection_status():
        from application.bootstrap import BUILTIN

        classes = {projection.name: projection for projection in BUILTIN}
        projection = classes.get(status.name)
        if projection is None:
            continue
        for table in projection.tables:
            _name, _columns, rows = app.questions.view_rows(status.name, table.name)
            tables[f"{status.name}.{table.name}"] = rows
    return tables
