"""Projection workers on PostgreSQL: several ``paradip follow`` processes share the projections, one each.

A worker holds a projection through a lease: a session-level advisory lock taken on its lease
connection, so it is released the moment that connection ends (a killed worker's projections are
free at once), and a row in ``projection_leases`` naming the holder, which a heartbeat renews every
third of ``lease_seconds``. A worker whose renewals stop while its connection lives on (a process
stopped or hung) loses its leases: once a lease is older than ``lease_seconds``, another worker ends
that connection (``pg_terminate_backend``) and takes the projection over.

Workers count each other by a presence lock each one holds; each takes its fair share of the
projections (in an order of its own, so they rarely contend), and one holding more than its share
releases the rest. A notification on the events channel only wakes a worker: events are always
pulled from the log, from each projection's committed position, in transactions that lock the
projection's registry row, so a page is applied once even if two workers ever raced for it (one
that lost its lease mid-page finishes it, and the next reads the position it committed). Positions
appear in commit order because the recorder inserts under a table lock (``LOCK TABLE ... IN
EXCLUSIVE MODE``), so a worker never passes over an event committed later with a lower position.
"""

from __future__ import annotations

import hashlib
import math
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import datetime
from typing import Any

import attrs
import psycopg
from psycopg import sql

from infrastructure.database import Database
from infrastructure.store import SCHEMA_LOCK, StoreLocation
from projections.registry import ProjectionError
from projections.session import ReadSession

LEASES = "projection_leases"
LEASE_CLASS = 7_261_995
PRESENCE_CLASS = 7_261_996
LEASE_SECONDS = 10.0
RECONNECT_SECONDS = 1.0
RETRY_SECONDS = 60.0


def lock_key(name: str) -> int:
    """The advisory lock number of a projection or a worker: a signed 32-bit hash of its name."""
    return int.from_bytes(hashlib.sha1(name.encode(), usedforsecurity=False).digest()[:4], "big", signed=True)


def _as_oid(key: int) -> int:
    """How ``pg_locks`` shows a 32-bit lock key (as an unsigned oid)."""
    return key & 0xFFFF_FFFF


def worker_name() -> str:
    """This process as a worker: its host and process id."""
    return f"{socket.gethostname()}:{os.getpid()}"


@attrs.frozen(kw_only=True)
class Holder:
    """The worker holding a projection's lease, and when it last renewed it."""

    worker: str
    renewed_at: datetime


def holders(database: Database) -> dict[str, Holder]:
    """The worker holding each projection whose lease lock is held now (none on SQLite, or with no workers)."""
    if not database.postgres or not database.table_exists(LEASES):
        return {}
    rows = database.read(
        f"SELECT l.name, l.worker, l.renewed_at FROM {LEASES} l JOIN pg_locks k "
        "ON k.locktype = 'advisory' AND k.granted AND k.classid::bigint = ? AND k.objsubid = 2 "
        "AND k.objid::bigint = l.lock_oid AND k.pid = l.backend "
        "AND k.database = (SELECT oid FROM pg_database WHERE datname = current_database())",
        (LEASE_CLASS,),
    )
    return {name: Holder(worker=worker, renewed_at=renewed_at) for name, worker, renewed_at in rows}


class Worker:
    """One follow process's share of the projections of a PostgreSQL store, kept current until ``stop()``."""

    def __init__(
        self,
        read: ReadSession,
        location: StoreLocation,
        *,
        poll_interval: float,
        lease_seconds: float = LEASE_SECONDS,
        name: str | None = None,
        announce: Callable[[str], None] | None = None,
    ) -> None:
        self.read = read
        self.location = location
        self.poll_interval = poll_interval
        self.lease_seconds = lease_seconds
        self.name = name or worker_name()
        self.announce = announce or (lambda _message: None)
        self.held: set[str] = set()
        self.resting: dict[str, float] = {}
        self.channel = location.events_table.replace(".", "_")

    def run(self, stop: Callable[[], bool]) -> None:
        """Take a share of the projections, keep them current, and give them back when ``stop()``."""
        while not stop():
            try:
                with self._connections() as (lease, listener):
                    self._serve(lease, listener, stop)
            except psycopg.OperationalError as error:
                self._lost(f"connection to PostgreSQL lost ({_first_line(error)}); reconnecting")
                self.read.db.close()
                time.sleep(RECONNECT_SECONDS)

    def _serve(
        self, lease: psycopg.Connection[Any], listener: psycopg.Connection[Any], stop: Callable[[], bool]
    ) -> None:
        lease.execute("SELECT pg_advisory_lock(%s, %s)", (PRESENCE_CLASS, lock_key(self.name)))
        listener.execute(sql.SQL("LISTEN {}").format(sql.Identifier(self.channel)))
        with _Heartbeat(lease, self.name, self.lease_seconds / 3):
            try:
                while not stop():
                    self._balance(lease)
                    if self.held:
                        self._apply(lease)
                    self._wait(listener, stop)
            finally:
                with suppress(psycopg.Error):
                    self._release(lease, set(self.held))

    @contextmanager
    def _connections(self) -> Iterator[tuple[psycopg.Connection[Any], psycopg.Connection[Any]]]:
        with self._connect() as lease, self._connect() as listener:
            self._ensure_table(lease)
            yield lease, listener

    def _connect(self) -> psycopg.Connection[Any]:
        """A connection whose session the server ends about 10 s after this process vanishes unannounced."""
        connection: psycopg.Connection[Any] = self.location.connect_postgres(autocommit=True)
        for setting, value in (("tcp_keepalives_idle", 5), ("tcp_keepalives_interval", 2), ("tcp_keepalives_count", 3)):
            connection.execute(sql.SQL("SET {} = {}").format(sql.Identifier(setting), sql.Literal(value)))
        return connection

    def _ensure_table(self, lease: psycopg.Connection[Any]) -> None:
        with lease.transaction():
            lease.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
            lease.execute(
                f"CREATE TABLE IF NOT EXISTS {LEASES} (name TEXT PRIMARY KEY, worker TEXT NOT NULL, "
                "backend INTEGER NOT NULL, lock_oid BIGINT NOT NULL, acquired_at TIMESTAMPTZ NOT NULL, "
                "renewed_at TIMESTAMPTZ NOT NULL)"
            )

    def _lost(self, message: str) -> None:
        if self.held:
            self.announce(f"{self.name} no longer holds {', '.join(sorted(self.held))}")
        self.held.clear()
        self.announce(message)

    # Shares

    def _balance(self, lease: psycopg.Connection[Any]) -> None:
        """Keep the leases still held, give back any above the fair share, take free or expired ones up to it."""
        self.held &= self._locked(lease)
        self._end_expired(lease)
        names = self.read.engine.registry.known_names()
        if self.held - set(names):
            self._release(lease, self.held - set(names))
        share = math.ceil(len(names) / max(self._workers(lease), 1))
        if len(self.held) > share:
            extra = sorted(self.held, key=self._order)[share:]
            self._release(lease, set(extra))
        now = time.monotonic()
        self.resting = {name: until for name, until in self.resting.items() if until > now}
        for name in sorted(set(names) - self.held - set(self.resting), key=self._order):
            if len(self.held) >= share:
                break
            if self._take(lease, name):
                self.held.add(name)
                self.announce(f"{self.name} holds {name}")

    def _apply(self, lease: psycopg.Connection[Any]) -> None:
        """Bring the held projections to the head; if that fails, bring each on its own, so one projection that
        fails (a user's handler that raises, a class that no longer loads) cannot stop the others."""
        try:
            self.read.catch_up(only=frozenset(self.held))
        except psycopg.OperationalError:
            raise
        except Exception:  # a failing projection is found and set aside below
            for name in sorted(self.held):
                try:
                    self.read.catch_up(only=frozenset({name}))
                except psycopg.OperationalError:
                    raise
                except Exception as error:  # any error of a projection's own code sets only it aside
                    self._set_aside(lease, name, error)

    def _set_aside(self, lease: psycopg.Connection[Any], name: str, error: Exception) -> None:
        """Give a failing projection's lease back and leave it alone for ``RETRY_SECONDS``; its rows stay at
        their last committed position."""
        what = _first_line(error)
        if not isinstance(error, ProjectionError):
            what = f"{type(error).__name__}: {what}"
        self.announce(
            f"{self.name}: {name} failed ({what}); "
            f"set aside for {RETRY_SECONDS:.0f} s, its rows stay at their last committed position"
        )
        self._release(lease, {name})
        self.resting[name] = time.monotonic() + RETRY_SECONDS

    def _order(self, name: str) -> int:
        return lock_key(f"{self.name}/{name}")

    def _workers(self, lease: psycopg.Connection[Any]) -> int:
        row = lease.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid::bigint = %s "
            "AND objsubid = 2 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
            (PRESENCE_CLASS,),
        ).fetchone()
        return int(row[0]) if row else 1

    def _locked(self, lease: psycopg.Connection[Any]) -> set[str]:
        """The projections whose lease lock this worker's session still holds."""
        rows = lease.execute(
            "SELECT objid::bigint FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid::bigint = %s "
            "AND objsubid = 2 AND pid = pg_backend_pid()",
            (LEASE_CLASS,),
        ).fetchall()
        held = {row[0] for row in rows}
        return {name for name in self.held if _as_oid(lock_key(name)) in held}

    def _take(self, lease: psycopg.Connection[Any], name: str) -> bool:
        """Take a projection's lease if it is free, or once its holder has stopped renewing it."""
        key = lock_key(name)
        row = lease.execute("SELECT pg_try_advisory_lock(%s, %s)", (LEASE_CLASS, key)).fetchone()
        if not (row and row[0]):
            return False
        lease.execute(
            f"INSERT INTO {LEASES} (name, worker, backend, lock_oid, acquired_at, renewed_at) "
            "VALUES (%s, %s, pg_backend_pid(), %s, now(), now()) ON CONFLICT (name) DO UPDATE SET "
            "worker = excluded.worker, backend = excluded.backend, lock_oid = excluded.lock_oid, "
            "acquired_at = excluded.acquired_at, renewed_at = excluded.renewed_at",
            (name, self.name, _as_oid(key)),
        )
        return True

    def _end_expired(self, lease: psycopg.Connection[Any]) -> None:
        """End the sessions of workers that still hold leases they have not renewed within ``lease_seconds``
        (stopped or hung processes), whatever this worker's share: their projections are then free, and their
        presence no longer counts. Only a session that holds the lease's lock now is ended."""
        rows = lease.execute(
            f"SELECT DISTINCT l.worker, l.backend FROM {LEASES} l JOIN pg_locks k "
            "ON k.locktype = 'advisory' AND k.granted AND k.classid::bigint = %s AND k.objsubid = 2 "
            "AND k.objid::bigint = l.lock_oid AND k.pid = l.backend "
            "AND k.database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
            "WHERE l.renewed_at < now() - make_interval(secs => %s) AND l.worker <> %s",
            (LEASE_CLASS, self.lease_seconds, self.name),
        ).fetchall()
        for worker, backend in rows:
            lease.execute("SELECT pg_terminate_backend(%s)", (backend,))
            self.announce(f"{self.name} ended the session of {worker}, whose lease had expired")

    def _release(self, lease: psycopg.Connection[Any], names: set[str]) -> None:
        for name in names:
            lease.execute(f"DELETE FROM {LEASES} WHERE name = %s AND worker = %s", (name, self.name))
            lease.execute("SELECT pg_advisory_unlock(%s, %s)", (LEASE_CLASS, lock_key(name)))
            self.held.discard(name)
            self.announce(f"{self.name} released {name}")

    def _wait(self, listener: psycopg.Connection[Any], stop: Callable[[], bool]) -> None:
        """Until new events are announced, or the poll interval (a lost notification never stalls a worker)."""
        waited = 0.0
        step = min(0.25, self.poll_interval)
        while waited < self.poll_interval and not stop():
            for _notification in listener.notifies(timeout=step, stop_after=1):
                return
            waited += step


class _Heartbeat:
    """Renews a worker's leases every ``interval`` seconds on its lease connection, in a thread of its own, so
    a long rebuild does not let them expire; it stops when the process does."""

    def __init__(self, lease: psycopg.Connection[Any], worker: str, interval: float) -> None:
        self.lease = lease
        self.worker = worker
        self.interval = interval
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._beat, name="lease-heartbeat", daemon=True)

    def __enter__(self) -> _Heartbeat:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stopping.set()
        self.thread.join()

    def _beat(self) -> None:
        while not self.stopping.wait(self.interval):
            try:
                self.lease.execute(f"UPDATE {LEASES} SET renewed_at = now() WHERE worker = %s", (self.worker,))
            except psycopg.Error:
                return


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


__all__ = ["LEASE_SECONDS", "Holder", "Worker", "holders", "lock_key"]
