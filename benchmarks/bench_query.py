"""As-of state query: how two actors stood on a day, beside the fold over the log and two hand-written tables.

The same realistic samples (pairs that exist at every size, days between their first contacts
and 2024) are asked of all four; each round asks every sample once, and the figure is the time
per question. Ours returns the whole answer (status, certainty, since, the facts shown, conflicts);
the same-answer peer returns status and certainty; the seven-column peer returns its rows and a
status folded with no certainty.
"""

from __future__ import annotations

from typing import Any

from pytest_benchmark.fixture import BenchmarkFixture

from application.app import Paradip
from benchmarks.measure import SAMPLES, Case, describe, rounds_for
from benchmarks.peers import StatusTable, TemporalTable, fold_relationship
from domain.observer import Observer
from domain.vocabulary import Certainty, RelationshipStatus

QUERY_ROUNDS = 100
FOLD_ROUNDS_AT_10K = 3


def _our_statuses(app: Paradip, case: Case) -> list[str]:
    return [
        str(app.questions.relationship_state(s.a, s.b, observer=Observer(as_of=s.as_of)).status)
        for s in case.world.samples(SAMPLES)
    ]


def bench_query_ours(benchmark: BenchmarkFixture, case: Case, sqlite_views: Paradip) -> None:
    """Milliseconds per as-of question answered from the read models (app.relationship_state)."""
    samples = case.world.samples(SAMPLES)

    def ask() -> list[Any]:
        return [sqlite_views.questions.relationship_state(s.a, s.b, observer=Observer(as_of=s.as_of)) for s in samples]

    describe(benchmark, case, measure="as-of query", store="sqlite", side="ours", count=len(samples), unit="ms/query")
    answers = benchmark.pedantic(ask, rounds=QUERY_ROUNDS, warmup_rounds=1)
    benchmark.extra_info["statuses"] = [str(answer.status) for answer in answers]
    benchmark.extra_info["facts_shown"] = [len(answer.events) for answer in answers]


def bench_query_fold(benchmark: BenchmarkFixture, case: Case, sqlite_views: Paradip) -> None:
    """Milliseconds per as-of question answered by reading the pair's facts back from the log and folding them."""
    samples = case.world.samples(SAMPLES)

    def ask() -> list[str]:
        return [str(fold_relationship(sqlite_views, s.a, s.b, s.as_of).status) for s in samples]

    describe(benchmark, case, measure="as-of query", store="sqlite", side="fold", count=len(samples), unit="ms/query")
    folded = benchmark.pedantic(ask, rounds=rounds_for(case.size, FOLD_ROUNDS_AT_10K))
    assert folded == _our_statuses(sqlite_views, case), "the fold and the read models disagree"


def bench_query_handwritten(
    benchmark: BenchmarkFixture, case: Case, sqlite_views: Paradip, temporal_table: TemporalTable
) -> None:
    """Milliseconds per as-of question on a hand-written temporal table (valid_from <= D on an index)."""
    samples = case.world.samples(SAMPLES)

    def ask() -> list[str]:
        return [temporal_table.state(s.a, s.b, s.as_of)[0] for s in samples]

    describe(
        benchmark, case, measure="as-of query", store="sqlite", side="handwritten", count=len(samples), unit="ms/query"
    )
    hand = benchmark.pedantic(ask, rounds=QUERY_ROUNDS, warmup_rounds=1)
    ours = _our_statuses(sqlite_views, case)
    benchmark.extra_info["agrees_with_ours"] = sum(a == b for a, b in zip(ours, hand, strict=True))


def bench_query_same_answer(
    benchmark: BenchmarkFixture, case: Case, sqlite_views: Paradip, status_table: StatusTable
) -> None:
    """Milliseconds per as-of question on a hand-written table returning the same status and certainty as ours."""
    samples = case.world.samples(SAMPLES)

    def ask() -> list[tuple[RelationshipStatus, Certainty]]:
        return [status_table.state(s.a, s.b, s.as_of) for s in samples]

    describe(
        benchmark, case, measure="as-of query", store="sqlite", side="same-answer", count=len(samples), unit="ms/query"
    )
    answers = benchmark.pedantic(ask, rounds=QUERY_ROUNDS, warmup_rounds=1)
    ours = [
        (answer.status, answer.certainty)
        for answer in (
            sqlite_views.questions.relationship_state(s.a, s.b, observer=Observer(as_of=s.as_of)) for s in samples
        )
    ]
    assert answers == ours, "the same-answer peer and the read models disagree"
