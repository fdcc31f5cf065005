"""The benchmarks' generated world is a corpus the engine accepts: every fact passes the kinds registry."""

from __future__ import annotations

from collections import Counter

from application.app import IngestBatch
from application.bootstrap import open_app
from benchmarks.synthetic import generate
from domain.kinds import KINDS
from tests.conftest import AT


def test_the_generated_world_is_accepted_whole(sqlite_url: str) -> None:
    """A world of 3,000 facts is recorded whole (no fact refused, none merged), with every programme and
    conference series a party of its facts, so the benchmarks measure the checks a real corpus meets."""
    world = generate(3_000)
    app = open_app(sqlite_url)
    try:
        report = app.ingest(IngestBatch(actors=world.actors, sources=world.sources, facts=world.facts), at=AT)
        assert report.facts_recorded == len(world.facts) == 3_000
        kinds = Counter(fact.kind for fact in world.facts)
        assert len(kinds) >= 15
        assert all(
            {name for name, _value in fact.attributes.items} <= set(KINDS[fact.kind].attributes) for fact in world.facts
        )
    finally:
        app.close()
