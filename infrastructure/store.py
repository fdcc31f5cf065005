"""Where events live: one store URL chooses an embedded SQLite file, PostgreSQL, or memory."""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal
from urllib.parse import unquote, urlsplit
from uuid import uuid4

import attrs
import platformdirs
from eventsourcing.utils import get_topic

from domain.errors import InvalidInput, InvalidStoreUrl, StoreNotFound
from infrastructure.sqlite_recorder import BatchedSQLiteRecorder

STORE_VARIABLE = "PARADIP_STORE"
SCHEMA_LOCK = 7_261_993
PROJECTION_LOCK = 7_261_994
APPLICATION_NAME = "Paradip"


def default_store_url() -> str:
    """The embedded store: a SQLite file in the user's data directory."""
    directory = Path(platformdirs.user_data_dir("paradip", appauthor=False))
    return f"sqlite:///{directory / 'paradip.sqlite'}"


def resolve_store_url(explicit: str | None, environ: Mapping[str, str] | None = None) -> str:
    """The store URL: the explicit one, else ``PARADIP_STORE``, else the embedded default."""
    environ = os.environ if environ is None else environ
    return explicit or environ.get(STORE_VARIABLE) or default_store_url()


@attrs.frozen(kw_only=True)
class StoreLocation:
    """A parsed store URL."""

    url: str
    kind: Literal["sqlite", "postgresql", "memory"]
    path: str = ""
    dbname: str = ""
    host: str = ""
    port: int = 5432
    user: str = ""
    password: str = ""

    @classmethod
    def parse(cls, url: str) -> StoreLocation:
        """``sqlite:///abs/path.sqlite``, ``sqlite:relative.sqlite``,
        ``postgresql://user[:password]@host[:port]/dbname``, or ``memory:[name]``."""
        scheme, _, rest = url.partition(":")
        if scheme == "memory":
            name = rest.strip("/") or uuid4().hex
            return cls(url=url, kind="memory", path=f"file:paradip-{name}?mode=memory&cache=shared")
        if scheme == "sqlite":
            path = rest[2:] if rest.startswith("///") else rest
            if rest.startswith("//") and not rest.startswith("///"):
                msg = f"store URL {url!r}: write sqlite:///absolute/path or sqlite:relative/path"
                raise InvalidStoreUrl(msg)
            if not path:
                msg = f"store URL {url!r} names no file"
                raise InvalidStoreUrl(msg)
            return cls(url=url, kind="sqlite", path=unquote(path))
        if scheme in ("postgresql", "postgres"):
            parts = urlsplit(url)
            dbname = parts.path.lstrip("/")
            if not parts.hostname or not dbname:
                msg = f"store URL {url!r}: write postgresql://user@host:port/dbname"
                raise InvalidStoreUrl(msg)
            try:
                port = parts.port or 5432
            except ValueError:
                msg = f"store URL {url!r} has an invalid port"
                raise InvalidStoreUrl(msg) from None
            return cls(
                url=url,
                kind="postgresql",
                dbname=unquote(dbname),
                host=parts.hostname,
                port=port,
                user=unquote(parts.username or "postgres"),
                password=unquote(parts.password or ""),
            )
        msg = f"store URL {url!r}: use sqlite:///path, postgresql://user@host/dbname or memory:"
        raise InvalidStoreUrl(msg)

    def application_env(self) -> dict[str, str]:
        """The eventsourcing settings for this store."""
        if self.kind == "postgresql":
            from infrastructure.postgres_recorder import ArraysPostgresRecorder  # noqa: PLC0415  (imports psycopg)

            return {
                "PERSISTENCE_MODULE": "eventsourcing.postgres",
                "APPLICATION_RECORDER_TOPIC": get_topic(ArraysPostgresRecorder),
                "POSTGRES_DBNAME": self.dbname,
                "POSTGRES_HOST": self.host,
                "POSTGRES_PORT": str(self.port),
                "POSTGRES_USER": self.user,
                "POSTGRES_PASSWORD": self.password,
                "POSTGRES_LOCK_TIMEOUT": "60",
                "POSTGRES_POOL_SIZE": "2",
                "POSTGRES_MAX_OVERFLOW": "4",
            }
        path = str(Path(self.path).expanduser()) if self.kind == "sqlite" else self.path
        return {
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": path,
            "SQLITE_LOCK_TIMEOUT": "60",
            "APPLICATION_RECORDER_TOPIC": get_topic(BatchedSQLiteRecorder),
        }

    @property
    def events_table(self) -> str:
        """The table the library keeps the events in."""
        return f"{APPLICATION_NAME.lower()}_events" if self.kind == "postgresql" else "stored_events"

    def require_existing(self) -> None:
        """Refuse a store that does not exist yet (reads never create one): StoreNotFound, one line."""
        if self.kind == "memory":
            return
        if self.kind == "sqlite":
            path = Path(self.path).expanduser()
            if not path.is_file():
                msg = f"no store at {self.url}: nothing has been recorded there yet (run 'paradip ingest' first)"
                raise StoreNotFound(msg)
            return
        import psycopg  # noqa: PLC0415  (only PostgreSQL stores need it)

        try:
            with psycopg.connect(dbname=self.dbname, **self._connection_params()) as connection:
                found = connection.execute("SELECT to_regclass(%s)", (self.events_table,)).fetchone()
        except psycopg.OperationalError as error:
            if "does not exist" in str(error):
                msg = (
                    f"no store at {self.url}: the database {self.dbname!r} does not exist (run 'paradip ingest' first)"
                )
                raise StoreNotFound(msg) from None
            msg = f"cannot reach PostgreSQL at {self.host}:{self.port}: {_first_line(error)}"
            raise InvalidInput(msg) from None
        if found is None or found[0] is None:
            msg = f"no store at {self.url}: the database holds no Paradip events (run 'paradip ingest' first)"
            raise StoreNotFound(msg)

    def connect_postgres(self, *, autocommit: bool = True) -> Any:
        """A new psycopg connection to this PostgreSQL store's database."""
        import psycopg  # noqa: PLC0415  (only PostgreSQL stores need it)

        return psycopg.connect(dbname=self.dbname, autocommit=autocommit, **self._connection_params())

    def _connection_params(self) -> dict[str, Any]:
        return {
            "host": self.host,
            "port": self.port,
            "user": self.user,
            "password": self.password or None,
            "connect_timeout": 5,
        }

    def ensure_database(self) -> None:
        """Make room for the store on first use: a SQLite file's folder and the file in WAL mode before any
        pool opens it, a PostgreSQL database."""
        if self.kind == "sqlite":
            _switch_to_wal(Path(self.path).expanduser())
            return
        if self.kind != "postgresql":
            return
        import psycopg  # noqa: PLC0415  (only PostgreSQL stores need it)
        from psycopg import sql  # noqa: PLC0415

        params = self._connection_params()
        try:
            with psycopg.connect(dbname=self.dbname, **params):
                return
        except psycopg.OperationalError as error:
            if "does not exist" not in str(error):
                msg = f"cannot reach PostgreSQL at {self.host}:{self.port}: {_first_line(error)}"
                raise InvalidInput(msg) from None
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as connection:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.dbname)))

    @contextmanager
    def schema_lock(self) -> Iterator[None]:
        """Hold PostgreSQL's advisory lock while tables are created, so two first uses do not race."""
        if self.kind != "postgresql":
            yield
            return
        import psycopg  # noqa: PLC0415  (only PostgreSQL stores need it)

        with psycopg.connect(
            dbname=self.dbname,
            host=self.host,
            port=self.port,
            user=self.user,
            password=self.password or None,
            autocommit=True,
            connect_timeout=10,
        ) as connection:
            connection.execute("SELECT pg_advisory_lock(%s)", (SCHEMA_LOCK,))
            try:
                yield
            finally:
                connection.execute("SELECT pg_advisory_unlock(%s)", (SCHEMA_LOCK,))


def _switch_to_wal(path: Path, seconds: float = 60.0) -> None:
    """Switch a SQLite file to write-ahead logging, retrying while another process does the same.

    The library switches each new connection's file to WAL itself, but when two processes open a
    new file at once SQLite refuses one of the two switches at once ('database is locked') rather
    than wait, so a second writer starting beside the first failed. WAL mode is kept in the file:
    once switched, the library finds it so and leaves it.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + seconds
    while True:
        connection = sqlite3.connect(path, timeout=seconds)
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
        finally:
            connection.close()
        time.sleep(0.05)


def _first_line(error: BaseException) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
