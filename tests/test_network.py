"""The network on a date (projections.network): every pair's status at once, the same as asking pair by pair."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta

import attrs
import pytest
from click.testing import CliRunner

from application.app import IngestBatch, Paradip
from application.bootstrap import open_app
from cli import main
from domain.facts import Correction
from events.values import FactKind, Name, Period, RetractionReason
from projections.questions.network import Network
from tests.builders import ACTORS, actor, fact, world
from tests.conftest import AT

SISTERHOOD_1993 = fact()
SISTERHOOD_MAY_1993 = fact(date="1993-05", quote="Gyeonggi Province established a sisterhood relationship")
SIGNED_2018 = fact(
    kind=FactKind.AGREEMENT_SIGNED,
    parties=("KR-42", "CN-JL"),
    date="2018?",
    quote="Gangwon signed an agreement with Jilin in 2018?",
    attributes={},
)


def assert_same_as_pair_by_pair(
    app: Paradip, network: Network, *, known_at: date | None = None, recorded_before: datetime | None = None
) -> None:
    """Each edge has its pair's state; every other pair of the answer's actors stands at none."""
    edges = {(edge.a, edge.b): edge for edge in network.edges}
    for edge in network.edges:
        state = app.relationship_state(
            edge.a, edge.b, as_of=network.as_of, known_at=known_at, recorded_before=recorded_before
        )
        assert (edge.status, edge.certainty, edge.since) == (state.status, state.certainty, state.since), edge
    for pair in app.ties_over_time(known_at=known_at, recorded_before=recorded_before).pairs:
        if (pair.a, pair.b) not in edges:
            state = app.relationship_state(
                pair.a, pair.b, as_of=network.as_of, known_at=known_at, recorded_before=recorded_before
            )
            assert str(state.status) == "none", (pair.a, pair.b, network.as_of)


@pytest.fixture
def corpus(store_url: str) -> Iterator[Paradip]:
    """The bundled corpus, ingested through the command line, on SQLite and on PostgreSQL."""
    result = CliRunner().invoke(main, ["ingest", "--store", store_url], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    app = open_app(store_url)
    yield app
    app.close()


# One pair-by-pair answer per pair per day of change: it grows with the corpus (~190 s on PostgreSQL at 200 pairs).
@pytest.mark.timeout(600)
def test_every_day_a_status_may_change_matches_the_pair_by_pair_answer(corpus: Paradip) -> None:
    """On the corpus, on each day any pair's status may change (and the day before), the network agrees with
    relationship_state for every pair, and as known in 2020 too."""
    history = corpus.ties_over_time()
    days = {period.start for pair in history.pairs for period in pair.periods}
    days |= {day - timedelta(days=1) for day in days if day > date.min}
    days = {day for day in days if date(1990, 1, 1) <= day <= date(2025, 12, 31)}
    assert len(days) > 20
    for day in sorted(days):
        assert_same_as_pair_by_pair(corpus, corpus.network(as_of=day))
    for day in (date(1993, 6, 15), date(2000, 1, 1), date(2019, 12, 31)):
        known = date(2020, 1, 1)
        assert_same_as_pair_by_pair(corpus, corpus.network(as_of=day, known_at=known), known_at=known)
    tied = corpus.network(as_of=date(2016, 12, 31))
    assert {(edge.a, str(edge.status), str(edge.certainty)) for edge in tied.edges if edge.b == "KR-41"} == {
        ("CN-LN", "sisterhood", "definite"),
        ("CN-SD", "sisterhood", "definite"),
        ("CN-TJ", "friendship", "definite"),
        ("CN-JS", "friendship", "definite"),
        ("CN-JL", "friendship", "definite"),
        ("CN-HL", "friendship", "definite"),
        ("CN-GD", "sisterhood", "possible"),
        ("CN-HE", "sisterhood", "possible"),
    }


def test_only_pairs_of_tie_keeping_actors_in_two_countries(corpus: Paradip) -> None:
    """Nodes are governments, legislatures and bodies with ties abroad; no pair stays inside one country."""
    network = corpus.network(as_of=date(2024, 12, 31))
    countries = {node.code: node.country for node in network.nodes}
    levels = {node.level for node in network.nodes}
    assert levels <= {
        "country",
        "province",
        "municipality",
        "city",
        "county",
        "district",
        "legislature",
        "government_body",
    }
    assert all(countries[edge.a] != countries[edge.b] for edge in network.edges)
    assert {"code", "name", "country", "level", "parent"} == set(network.nodes[0].to_json())
    assert {"a", "b", "status", "certainty", "since"} == set(network.edges[0].to_json())


@pytest.fixture
def app(sqlite_url: str) -> Iterator[Paradip]:
    application = open_app(sqlite_url)
    yield application
    application.close()


def test_a_write_is_seen_by_the_next_question(app: Paradip) -> None:
    """Recording, correcting, retracting and resolving each change the next answer as they change the pair's state."""
    app.ingest(world(SISTERHOOD_1993, SIGNED_2018), at=AT)
    first = app.network(as_of=date(2000, 1, 1))
    assert [(edge.a, edge.b, str(edge.status)) for edge in first.edges] == [("CN-LN", "KR-41", "sisterhood")]
    assert app.ties_over_time() is app.ties_over_time(), "the periods are kept while nothing is written"

    assert app.ties_over_time().folded_pairs == 2
    app.ingest(world(SISTERHOOD_1993, SISTERHOOD_MAY_1993, SIGNED_2018), at=AT + timedelta(minutes=1))
    assert app.ties_over_time().folded_pairs == 1, "only the pair the new fact is about is folded again"
    may = app.network(as_of=date(1993, 6, 15))
    assert [(str(edge.status), str(edge.certainty), edge.since) for edge in may.edges] == [
        ("sisterhood", "definite", "1993-05")
    ], "the more precise claim wins the conflict"
    assert_same_as_pair_by_pair(app, may)

    precise = next(item.fact_id for item in app.facts() if item.date == "1993-05")
    vague = next(item.fact_id for item in app.facts() if item.date == "1993")
    app.resolve_conflict(
        [precise, vague], preferred=vague, rule="official register", decided_by="test", at=AT + timedelta(minutes=2)
    )
    resolved = app.network(as_of=date(1993, 6, 15))
    assert [(str(edge.certainty), edge.since) for edge in resolved.edges] == [("possible", "1993")]
    assert_same_as_pair_by_pair(app, resolved)

    current = app.fact(vague)
    app.correct_fact(
        vague,
        Correction(
            kind=current.kind,
            modality=current.modality,
            parties=current.parties,
            date=Period.from_edtf("1994"),
            attributes=current.attributes,
            reason="misread",
            decided_by="test",
        ),
        at=AT + timedelta(minutes=3),
    )
    corrected = app.network(as_of=date(1993, 6, 15))
    assert_same_as_pair_by_pair(app, corrected)

    assert app.ties_over_time().folded_pairs == 1
    app.retract_fact(precise, reason=RetractionReason.REFUTED, note="", decided_by="test", at=AT + timedelta(minutes=4))
    app.retract_fact(vague, reason=RetractionReason.REFUTED, note="", decided_by="test", at=AT + timedelta(minutes=5))
    gone = app.network(as_of=date(2020, 1, 1))
    assert [(edge.a, edge.b) for edge in gone.edges] == [("CN-JL", "KR-51")]
    assert_same_as_pair_by_pair(app, gone)

    before_retraction = AT + timedelta(minutes=3, seconds=30)
    as_recorded = app.network(as_of=date(2020, 1, 1), recorded_before=before_retraction)
    assert {(edge.a, edge.b) for edge in as_recorded.edges} == {("CN-JL", "KR-51"), ("CN-LN", "KR-41")}
    assert_same_as_pair_by_pair(app, as_recorded, recorded_before=before_retraction)


def test_imprecise_dates_are_possible_until_every_day_has_passed(app: Paradip) -> None:
    """An agreement signed "2018?" (widened to 2017-2019) is a possible tie through 2019, definite after."""
    app.ingest(world(SIGNED_2018), at=AT)
    assert app.network(as_of=date(2016, 12, 31)).edges == ()
    for day, certainty in (
        (date(2017, 1, 1), "possible"),
        (date(2019, 12, 30), "possible"),
        (date(2019, 12, 31), "definite"),
    ):
        (edge,) = app.network(as_of=day).edges
        assert (str(edge.status), str(edge.certainty)) == ("cooperation", certainty), day


def test_the_answer_is_immutable(app: Paradip) -> None:
    """The network, its nodes and edges are frozen values."""
    app.ingest(world(SISTERHOOD_1993), at=AT)
    network = app.network(as_of=date(2000, 1, 1))
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        network.edges[0].status = network.edges[0].status  # type: ignore[misc]
    assert isinstance(network.edges, tuple)
    assert isinstance(network.nodes, tuple)
    assert network.to_json()["as_of"] == "2000-01-01"


def test_a_change_to_an_actor_folds_every_pair_again(app: Paradip) -> None:
    """A newly registered actor may change which pairs keep ties abroad: every pair is folded again; a name added
    to the gazetteer changes no pair and folds none."""
    app.ingest(world(SISTERHOOD_1993, SIGNED_2018), at=AT)
    before = app.ties_over_time()
    assert before.folded_pairs == 2
    alias = attrs.evolve(ACTORS[3], names=[*ACTORS[3].names, Name(text="Liaoning", lang="en", official=False)])
    app.ingest(IngestBatch(actors=(alias,)), at=AT + timedelta(minutes=1))
    assert app.ties_over_time().folded_pairs == 0
    app.ingest(IngestBatch(actors=(actor("CN-HL", "CN", "Heilongjiang Province"),)), at=AT + timedelta(minutes=2))
    after = app.ties_over_time()
    assert after.folded_pairs == 2
    assert [pair.periods for pair in after.pairs] == [pair.periods for pair in before.pairs]
    assert after.nodes == before.nodes
