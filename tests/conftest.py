"""Shared fixtures: stores on SQLite and on a real PostgreSQL database made for the test, the application on a
fresh one, and the bundled corpus ingested (a session's SQLite file, a copy of it, or on each kind of store)."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from application.app import Paradip
    from tests.support import Child

PG_HOST = os.environ.get("PARADIP_TEST_PG_HOST", "127.0.0.1")
PG_PORT = int(os.environ.get("PARADIP_TEST_PG_PORT", "5432"))
PG_USER = os.environ.get("PARADIP_TEST_PG_USER", "postgres")
AT = datetime(2026, 1, 15, 9, 30, tzinfo=UTC)


def _postgres_problem() -> str | None:
    try:
        import psycopg

        with psycopg.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, dbname="postgres", connect_timeout=3):
            return None
    except Exception as error:
        return str(error).strip().splitlines()[0] if str(error).strip() else repr(error)


def require_postgres() -> None:
    """Under CI=true a PostgreSQL test must run; elsewhere it skips, saying why."""
    problem = _postgres_problem()
    if problem is None:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true but PostgreSQL at {PG_HOST}:{PG_PORT} is unreachable: {problem}")
    pytest.skip(f"no PostgreSQL server at {PG_HOST}:{PG_PORT}: {problem}")


def create_postgres_database() -> str:
    """A fresh database; returns its store URL."""
    import psycopg
    from psycopg import sql

    name = f"paradip_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, dbname="postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return f"postgresql://{PG_USER}@{PG_HOST}:{PG_PORT}/{name}"


def drop_postgres_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, dbname="postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@contextmanager
def postgres_database() -> Iterator[str]:
    """The store URL of a fresh PostgreSQL database, dropped afterwards."""
    require_postgres()
    url = create_postgres_database()
    try:
        yield url
    finally:
        drop_postgres_database(url)


@contextmanager
def application_on(url: str) -> Iterator[Paradip]:
    """The application on a store, closed afterwards."""
    from application.bootstrap import open_app

    application = open_app(url)
    try:
        yield application
    finally:
        application.close()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A store URL of a fresh PostgreSQL database, dropped afterwards."""
    with postgres_database() as url:
        yield url


@pytest.fixture
def no_shared_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands that fall back on the default store (paradip draft) read one of the test's own, none unless the
    test makes it, and keep drafting models in the test's folder, never the machine's."""
    monkeypatch.setenv("PARADIP_STORE", f"sqlite:///{tmp_path / 'no-store.sqlite'}")
    monkeypatch.setenv("PARADIP_MODEL_CACHE", str(tmp_path / "models"))


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A store URL of a new SQLite file."""
    return f"sqlite:///{tmp_path / 'store.sqlite'}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The same test on an SQLite file and on a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.sqlite'}"
        return
    with postgres_database() as url:
        yield url


@pytest.fixture
def app(store_url: str) -> Iterator[Paradip]:
    """The application on a fresh store: an SQLite file, and a fresh PostgreSQL database."""
    with application_on(store_url) as application:
        yield application


@pytest.fixture(scope="session")
def corpus_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite store file holding the bundled corpus, ingested once for the session (copy it before writing)."""
    from click.testing import CliRunner

    from cli import main

    path = tmp_path_factory.mktemp("corpus") / "corpus.sqlite"
    result = CliRunner().invoke(main, ["ingest", "--store", f"sqlite:///{path}"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture
def corpus_store(corpus_file: Path, tmp_path: Path) -> str:
    """The URL of a store of the bundled corpus for one test: an SQLite copy of the session's file."""
    return _copy_of(corpus_file, tmp_path)


def _copy_of(corpus_file: Path, folder: Path) -> str:
    copy = folder / "corpus.sqlite"
    shutil.copyfile(corpus_file, copy)
    return f"sqlite:///{copy}"


@pytest.fixture
def corpus_on_each_store(store_url: str, corpus_file: Path, tmp_path: Path) -> str:
    """The URL of a store of the bundled corpus for one test, of each kind: an SQLite copy of the session's file,
    and a fresh PostgreSQL database the corpus is ingested into."""
    if store_url.startswith("sqlite"):
        return _copy_of(corpus_file, tmp_path)
    from click.testing import CliRunner

    from cli import main

    result = CliRunner().invoke(main, ["ingest", "--store", store_url], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return store_url


@pytest.fixture
def corpus_app(corpus_on_each_store: str) -> Iterator[Paradip]:
    """The application on the bundled corpus, on each kind of store."""
    with application_on(corpus_on_each_store) as application:
        yield application


@pytest.fixture
def spawn() -> Iterator[Callable[..., Child]]:
    """Starts ``python ARGS...`` children in this checkout; any still running when the test ends is killed."""
    from tests.support import python_child

    started: list[Child] = []

    def start(*args: str, name: str) -> Child:
        child = python_child(*args, name=name)
        started.append(child)
        return child

    yield start
    for child in started:
        child.kill()
