"""Stored event topics are stable names: moving an event class breaks no store, new or written before."""

from __future__ import annotations

import sqlite3
import sys
import types
from collections.abc import Iterator
from datetime import date
from typing import Any

import eventsourcing.utils
import pytest

from application.bootstrap import open_app
from domain.observer import Observer
from events.topics import EVENT_TYPES, LEGACY_TOPICS, PREFIX, event_class, register_topics
from tests.builders import MET_2019, PLANNED_VISIT, SISTERHOOD_1993, world
from tests.conftest import AT


def answers(url: str) -> dict[str, Any]:
    """What the store answers about the facts of the small world, after a rebuild of every read model from zero."""
    app = open_app(url)
    try:
        app.replay(from_scratch=True)
        state = app.questions.relationship_state("KR-41", "CN-LN", observer=Observer(as_of=date(2020, 1, 1)))
        return {
            "state": {**state.to_json(), "events": [event["fact_id"] for event in state.to_json()["events"]]},
            "timeline": [fact.fact_id for fact in app.questions.timeline().facts],
            "verified": app.questions.provenance(app.questions.timeline().facts[0].fact_id).verified,
        }
    finally:
        app.close()


@pytest.fixture
def classes_moved(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every event class moved to another module, and the library's topic cache forgotten, as in a fresh
    process that no longer has the old modules' classes: only the registered names can resolve a topic."""
    moved = types.ModuleType("paradip_moved_events")
    for cls in EVENT_TYPES:
        setattr(moved, cls.__name__, cls)
        monkeypatch.delattr(sys.modules[cls.__module__], cls.__name__)
    monkeypatch.setitem(sys.modules, "paradip_moved_events", moved)
    monkeypatch.setattr(eventsourcing.utils, "_topic_cache", {})
    event_class.cache_clear()
    register_topics()
    yield
    event_class.cache_clear()


def _stored_topics(path: str) -> set[str]:
    with sqlite3.connect(path) as connection:
        return {row[0] for row in connection.execute("SELECT DISTINCT topic FROM stored_events")}


def test_events_are_stored_under_stable_names(sqlite_url: str) -> None:
    """Every stored topic is a stable name; none names a module."""
    app = open_app(sqlite_url)
    app.ingest(world(SISTERHOOD_1993, MET_2019), at=AT)
    app.close()
    topics = _stored_topics(sqlite_url.removeprefix("sqlite:///"))
    assert topics
    assert all(topic.startswith(PREFIX) and "." not in topic for topic in topics)


def test_a_moved_event_class_still_reads_and_replays(store_url: str, request: pytest.FixtureRequest) -> None:
    """Events written today are read and replayed into the same answers after their classes moved module."""
    app = open_app(store_url)
    app.ingest(world(SISTERHOOD_1993, MET_2019, PLANNED_VISIT), at=AT)
    app.close()
    before = answers(store_url)
    request.getfixturevalue("classes_moved")
    assert event_class("events.facts:FactRecorded") is not None
    after = answers(store_url)
    assert after == before
    assert after["state"]["status"] == "sisterhood"
    assert after["verified"] is True


def test_a_store_written_under_module_paths_reads_the_same(sqlite_url: str, request: pytest.FixtureRequest) -> None:
    """A store written before topics were stable (module paths) reads and replays the same, even after a move."""
    app = open_app(sqlite_url)
    app.ingest(world(SISTERHOOD_1993, MET_2019, PLANNED_VISIT), at=AT)
    app.close()
    before = answers(sqlite_url)
    with sqlite3.connect(sqlite_url.removeprefix("sqlite:///")) as connection:
        for topic, cls in LEGACY_TOPICS.items():
            connection.execute("UPDATE stored_events SET topic = ? WHERE topic = ?", (topic, PREFIX + cls.__name__))
    assert all(
        ":" in topic and not topic.startswith(PREFIX) for topic in _stored_topics(sqlite_url.removeprefix("sqlite:///"))
    )
    request.getfixturevalue("classes_moved")
    assert answers(sqlite_url) == before
