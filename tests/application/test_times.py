"""Known-at and recorded-before on every question, on both stores, with dates inside an uncertain publication.

One small world, built once per store: three sources (one printed 2019-12-10, one known only to be of
August to December 2019, one of 2024-04-24) and five facts, recorded at four moments (the facts, a
later fact, a correction, a retraction). Every expectation below is written out by hand from those
dates; none is computed by the code under test.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

import attrs
import orjson
import pytest
from click.testing import CliRunner

from application.app import IngestBatch, Paradip
from application.bootstrap import open_app
from cli import main
from domain.errors import UnknownFact
from domain.facts import Correction, FactDraft
from domain.observer import Observer
from domain.sources import SourceDraft
from events.values import ActorLevel, Attributes, FactKind, Modality, Name, Period, RetractionReason, SourceKind
from tests.builders import ACTORS
from tests.conftest import AT, application_on, postgres_database

PROGRAM = attrs.evolve(
    ACTORS[2],
    code="program:test",
    level=ActorLevel.PROGRAM,
    country="KR",
    parent="KR",
    names=(Name(text="Test Programme", lang="en"),),
    history=(),
)


def _source(document: str, published: str, text: str) -> SourceDraft:
    return SourceDraft(
        document=document,
        title=document,
        publisher="Test",
        published=Period.from_edtf(published),
        published_note="",
        language="en",
        kind=SourceKind.NEWS,
        address=None,
        text=text,
    )


EARLY = _source("early", "2019-12-10", "The governors of Gyeonggi and Liaoning met on 27 November 2019.")
SPAN = _source(
    "span",
    "2019-08/2019-12",
    "Gyeonggi and Jilin became friendship provinces in 2014. The exchange programme started in 1999.",
)
LATE = _source(
    "late",
    "2024-04-24",
    "Gyeonggi Province established a sisterhood with Liaoning Province in 1993. The programme was suspended in 2020.",
)


def _fact(
    kind: FactKind, parties: tuple[str, ...], when: str, source: SourceDraft, quote: str, **attributes: Any
) -> FactDraft:
    return FactDraft(
        kind=kind,
        modality=Modality.OCCURRED,
        parties=parties,
        date=Period.from_edtf(when),
        attributes=Attributes.of(attributes),
        document=source.document,
        quote=quote,
    )


SISTER = _fact(
    FactKind.RELATIONSHIP_ESTABLISHED, ("KR-41", "CN-LN"), "1993", LATE, "established a sisterhood", level="sisterhood"
)
FRIEND = _fact(
    FactKind.RELATIONSHIP_ESTABLISHED,
    ("KR-41", "CN-JL"),
    "2014",
    SPAN,
    "became friendship provinces",
    level="friendship",
)
MEET = _fact(FactKind.MEETING, ("KR-41", "CN-LN"), "2019-11-27", EARLY, "met on 27 November 2019")
START = _fact(FactKind.PROGRAM_STARTED, ("program:test",), "1999", SPAN, "programme started in 1999")
PAUSE = _fact(FactKind.PROGRAM_SUSPENDED, ("program:test",), "2020", LATE, "programme was suspended in 2020")
NAMES = {SISTER.quote: "sister", FRIEND.quote: "friend", MEET.quote: "meet", START.quote: "start", PAUSE.quote: "pause"}

# Known-at: before every source; inside the uncertain one (before the printed one); after the printed one but
# still inside the uncertain one; after both 2019 sources; after all three.
BEFORE_ALL, INSIDE, INSIDE_AFTER_EARLY, AFTER_2019, AFTER_ALL = (
    date(2019, 6, 30),
    date(2019, 10, 1),
    date(2019, 12, 15),
    date(2020, 1, 1),
    date(2024, 12, 31),
)
# Recorded: the first four facts at T1, the programme's suspension at T2, FRIEND corrected to 2016 at T3 and
# MEET retracted at T4. Each R is an hour after its T.
T1, T2, T3, T4 = AT, AT + timedelta(days=10), AT + timedelta(days=20), AT + timedelta(days=30)
R1, R2, R3, R4 = (moment + timedelta(hours=1) for moment in (T1, T2, T3, T4))
AS_OF = date(2022, 6, 30)


def _build(url: str) -> None:
    app = open_app(url)
    try:
        app.ingest(
            IngestBatch(actors=(*ACTORS, PROGRAM), sources=(EARLY, SPAN, LATE), facts=(SISTER, FRIEND, MEET, START)),
            at=T1,
        )
        app.ingest(IngestBatch(facts=(PAUSE,)), at=T2)
        friend, meet = (_id(app, quote) for quote in (FRIEND.quote, MEET.quote))
        state = app.fact(friend)
        app.correct_fact(
            friend,
            Correction(
                kind=state.kind,
                modality=state.modality,
                parties=state.parties,
                date=Period.from_edtf("2016"),
                attributes=state.attributes,
                reason="the agreement was ratified in 2016",
                decided_by="analyst",
            ),
            at=T3,
        )
        app.retract_fact(meet, reason=RetractionReason.REFUTED, note="no such meeting", decided_by="analyst", at=T4)
    finally:
        app.close()


def _id(times_app: Paradip, quote: str) -> Any:
    (found,) = [
        view.fact_id for view in times_app.questions.facts(include_retracted=True) if view.source.quote == quote
    ]
    return found


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def times_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The small world on an SQLite file or a PostgreSQL database, built once for this module."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('times') / 'store.sqlite'}"
        _build(url)
        yield url
        return
    with postgres_database() as url:
        _build(url)
        yield url


@pytest.fixture
def times_app(times_url: str) -> Iterator[Paradip]:
    """The application on this module's small world."""
    with application_on(times_url) as application:
        yield application


def names(views: Any) -> list[str]:
    return sorted(NAMES[view.source.quote] for view in views)


# Known-at (nothing recorded later than R1 matters for these: they ask as of what the store holds before T2)


def test_known_at_on_the_state_of_a_pair_and_its_facts(times_app: Paradip) -> None:
    """Gyeonggi-Jilin's friendship comes from the source of August to December 2019: unknown before August,
    possibly known inside the span (its fact listed), definitely after it. Gyeonggi-Liaoning's meeting shows
    once the printed source is out, the 1993 sisterhood only from 2024."""
    seen = {}
    for known_at in (BEFORE_ALL, INSIDE, INSIDE_AFTER_EARLY, AFTER_2019, AFTER_ALL):
        jilin = times_app.questions.relationship_state(
            "KR-41", "CN-JL", observer=Observer(as_of=AS_OF, known_at=known_at, recorded_before=R1)
        )
        liaoning = times_app.questions.relationship_state(
            "KR-41", "CN-LN", observer=Observer(as_of=AS_OF, known_at=known_at, recorded_before=R2)
        )
        seen[known_at] = (
            (str(jilin.status), str(jilin.certainty), jilin.since, names(jilin.events)),
            (str(liaoning.status), str(liaoning.certainty), liaoning.since, names(liaoning.events)),
        )
    assert seen == {
        BEFORE_ALL: (("unknown", "definite", None, []), ("unknown", "definite", None, [])),
        INSIDE: (("friendship", "possible", "2014", ["friend"]), ("unknown", "definite", None, [])),
        INSIDE_AFTER_EARLY: (
            ("friendship", "possible", "2014", ["friend"]),
            ("contact", "definite", "2019-11-27", ["meet"]),
        ),
        AFTER_2019: (
            ("friendship", "definite", "2014", ["friend"]),
            ("contact", "definite", "2019-11-27", ["meet"]),
        ),
        AFTER_ALL: (
            ("friendship", "definite", "2014", ["friend"]),
            ("sisterhood", "definite", "1993", ["meet", "sister"]),
        ),
    }


def test_known_at_on_the_timeline(times_app: Paradip) -> None:
    """The timeline keeps a fact whose source may have been published by the date asked, and only those."""
    seen = {
        known_at: names(times_app.questions.timeline(observer=Observer(known_at=known_at, recorded_before=R2)).facts)
        for known_at in (BEFORE_ALL, INSIDE, INSIDE_AFTER_EARLY, AFTER_2019, AFTER_ALL)
    }
    assert seen == {
        BEFORE_ALL: [],
        INSIDE: ["friend", "start"],
        INSIDE_AFTER_EARLY: ["friend", "meet", "start"],
        AFTER_2019: ["friend", "meet", "start"],
        AFTER_ALL: ["friend", "meet", "pause", "sister", "start"],
    }
    assert names(
        times_app.questions.timeline(["KR-41"], observer=Observer(known_at=INSIDE, recorded_before=R2)).facts
    ) == ["friend"]
    assert names(
        times_app.questions.timeline(
            ["KR-41", "CN-LN"], observer=Observer(known_at=INSIDE_AFTER_EARLY, recorded_before=R2)
        ).facts
    ) == ["meet"]


def test_known_at_on_partners(times_app: Paradip) -> None:
    """Partners and contacts abroad appear as their sources may be out, possibly while one is uncertain."""
    seen = {}
    for known_at in (BEFORE_ALL, INSIDE, INSIDE_AFTER_EARLY, AFTER_2019, AFTER_ALL):
        found = times_app.questions.partners(
            "KR-41", observer=Observer(as_of=AS_OF, known_at=known_at, recorded_before=R2), include_contacts=True
        )
        seen[known_at] = [(p.party, str(p.status), str(p.certainty)) for p in found.partners]
    assert seen == {
        BEFORE_ALL: [],
        INSIDE: [("CN-JL", "friendship", "possible")],
        INSIDE_AFTER_EARLY: [("CN-JL", "friendship", "possible"), ("CN-LN", "contact", "definite")],
        AFTER_2019: [("CN-JL", "friendship", "definite"), ("CN-LN", "contact", "definite")],
        AFTER_ALL: [("CN-JL", "friendship", "definite"), ("CN-LN", "sisterhood", "definite")],
    }


def test_known_at_on_a_program_and_its_facts(times_app: Paradip) -> None:
    """The programme's start, from the uncertain source, makes it possibly active inside the span; its
    suspension shows only from 2024."""
    seen = {}
    for known_at in (BEFORE_ALL, INSIDE, AFTER_2019, AFTER_ALL):
        state = times_app.questions.program_state(
            "program:test", observer=Observer(as_of=AS_OF, known_at=known_at, recorded_before=R2)
        )
        seen[known_at] = (str(state.status), str(state.certainty), state.since, names(state.events))
    assert seen == {
        BEFORE_ALL: ("unknown", "definite", None, []),
        INSIDE: ("active", "possible", "1999", ["start"]),
        AFTER_2019: ("active", "definite", "1999", ["start"]),
        AFTER_ALL: ("suspended", "definite", "2020", ["pause", "start"]),
    }


# Recorded-before


def test_recorded_before_on_the_state_of_a_pair(times_app: Paradip) -> None:
    """Before anything was recorded, unknown; before the correction the friendship dates from 2014, after it
    from 2016; the meeting counts until its retraction was recorded."""

    def jilin(as_of: date, before: datetime | None) -> tuple[str, str | None]:
        answer = times_app.questions.relationship_state(
            "KR-41", "CN-JL", observer=Observer(as_of=as_of, recorded_before=before)
        )
        return str(answer.status), answer.since

    assert [jilin(date(2015, 6, 30), before) for before in (T1, R1, R2, R3, R4, None)] == [
        ("unknown", None),
        ("friendship", "2014"),
        ("friendship", "2014"),
        ("none", None),
        ("none", None),
        ("none", None),
    ]
    assert jilin(AS_OF, None) == ("friendship", "2016")
    liaoning = [
        (str(state.status), names(state.events))
        for state in (
            times_app.questions.relationship_state(
                "KR-41", "CN-LN", observer=Observer(as_of=AS_OF, known_at=AFTER_2019, recorded_before=before)
            )
            for before in (T1, R3, R4, None)
        )
    ]
    assert liaoning == [("unknown", []), ("contact", ["meet"]), ("unknown", []), ("unknown", [])]


def test_recorded_before_on_the_timeline(times_app: Paradip) -> None:
    """The timeline lists what the store held then, with the values it held then."""
    assert names(times_app.questions.timeline(observer=Observer(recorded_before=T1)).facts) == []
    assert names(times_app.questions.timeline(observer=Observer(recorded_before=R1)).facts) == [
        "friend",
        "meet",
        "sister",
        "start",
    ]
    assert names(times_app.questions.timeline(observer=Observer(recorded_before=R2)).facts) == [
        "friend",
        "meet",
        "pause",
        "sister",
        "start",
    ]
    assert names(times_app.questions.timeline(observer=Observer(recorded_before=R4)).facts) == [
        "friend",
        "pause",
        "sister",
        "start",
    ]
    dates = {
        names([view])[0]: view.date
        for view in times_app.questions.timeline(["KR-41", "CN-JL"], observer=Observer(recorded_before=R2)).facts
    }
    assert dates == {"friend": "2014"}
    dates = {names([view])[0]: view.date for view in times_app.questions.timeline(["KR-41", "CN-JL"]).facts}
    assert dates == {"friend": "2016"}


def test_recorded_before_on_partners(times_app: Paradip) -> None:
    """Partners as the store had them: none before anything was recorded, the meeting's contact until its
    retraction, the friendship from its recorded date, moved by the correction."""

    def partners(as_of: date, before: datetime | None) -> list[tuple[str, str]]:
        found = times_app.questions.partners(
            "KR-41", observer=Observer(as_of=as_of, known_at=AFTER_2019, recorded_before=before), include_contacts=True
        )
        return [(partner.party, str(partner.status)) for partner in found.partners]

    assert partners(AS_OF, T1) == []
    assert partners(AS_OF, R3) == [("CN-JL", "friendship"), ("CN-LN", "contact")]
    assert partners(AS_OF, R4) == [("CN-JL", "friendship")]
    assert partners(date(2015, 6, 30), R2) == [("CN-JL", "friendship")]
    assert partners(date(2015, 6, 30), R3) == []


def test_recorded_before_on_a_program(times_app: Paradip) -> None:
    """Unknown before anything was recorded; the programme is active until its suspension was recorded, then
    suspended since 2020."""
    states = [
        times_app.questions.program_state("program:test", observer=Observer(as_of=AS_OF, recorded_before=before))
        for before in (T1, R1, R2)
    ]
    assert [(str(state.status), state.since, names(state.events)) for state in states] == [
        ("unknown", None, []),
        ("active", "1999", ["start"]),
        ("suspended", "2020", ["pause", "start"]),
    ]


def test_provenance_and_export_carry_the_times_the_filters_use(times_app: Paradip) -> None:
    """provenance and export take no --known-at or --recorded-before: they show the latest version, with the
    source's publication period as given (uncertain stays uncertain) and the recorded time of every change
    that recorded-before filters on."""
    friend = _id(times_app, FRIEND.quote)
    provenance = times_app.questions.provenance(friend)
    assert provenance.fact.source.published == "2019-08/2019-12"
    assert [(entry.event, entry.recorded_at) for entry in provenance.history] == [("recorded", T1), ("corrected", T3)]
    assert provenance.fact.date == "2016"
    meet = times_app.questions.provenance(_id(times_app, MEET.quote))
    assert [(entry.event, entry.recorded_at) for entry in meet.history] == [("recorded", T1), ("retracted", T4)]
    exported = [
        orjson.loads(line)
        for line in _cli("export", "--include-retracted", "--store", times_app.location.url).splitlines()
    ]
    assert sorted((NAMES[row["source"]["quote"]], row["status"], row["source"]["published"]) for row in exported) == [
        ("friend", "corrected", "2019-08/2019-12"),
        ("meet", "retracted", "2019-12-10"),
        ("pause", "current", "2024-04-24"),
        ("sister", "current", "2024-04-24"),
        ("start", "current", "2019-08/2019-12"),
    ]
    assert {row["recorded_at"] for row in exported if NAMES[row["source"]["quote"]] == "friend"} == {T3.isoformat()}


# The same through the command line: each question's flags reach the answer


def _cli(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def _json(*args: str) -> Any:
    return orjson.loads(_cli(*args, "--json"))


def test_the_command_line_passes_known_at_and_recorded_before_to_every_question(times_url: str) -> None:
    """state, timeline, partners and program give, for a known-at inside the uncertain publication and a
    recorded-before between the recordings, the answers the application gives."""
    times = ("--known-at", INSIDE.isoformat(), "--recorded-before", R1.isoformat(), "--store", times_url)
    state = _json("state", "KR-41", "CN-JL", "--as-of", AS_OF.isoformat(), *times)
    assert (state["status"], state["certainty"], [NAMES[e["source"]["quote"]] for e in state["events"]]) == (
        "friendship",
        "possible",
        ["friend"],
    )
    assert (state["known_at"], state["recorded_before"]) == (INSIDE.isoformat(), R1.isoformat())
    timeline = _json("timeline", *times)
    assert sorted(NAMES[e["source"]["quote"]] for e in timeline["events"]) == ["friend", "start"]
    partners = _json("partners", "KR-41", "--as-of", AS_OF.isoformat(), "--all", *times)
    assert [(p["party"], p["certainty"]) for p in partners["partners"]] == [("CN-JL", "possible")]
    program = _json("program", "program:test", "--as-of", AS_OF.isoformat(), *times)
    assert (program["status"], program["certainty"]) == ("active", "possible")
    before = ("--recorded-before", T1.isoformat(), "--store", times_url)
    assert _json("timeline", *before)["events"] == []
    assert _json("state", "KR-41", "CN-JL", "--as-of", AS_OF.isoformat(), *before)["status"] == "unknown"


# Export, provenance and coverage


def test_export_lists_the_facts_as_known_and_as_recorded(times_app: Paradip) -> None:
    """export lists what the store held then, with the values it held then, from the sources out by then."""
    assert names(times_app.questions.facts(observer=Observer(recorded_before=T1))) == []
    assert names(times_app.questions.facts(observer=Observer(recorded_before=R1))) == [
        "friend",
        "meet",
        "sister",
        "start",
    ]
    assert names(times_app.questions.facts(observer=Observer(recorded_before=R3))) == [
        "friend",
        "meet",
        "pause",
        "sister",
        "start",
    ]
    assert names(times_app.questions.facts()) == ["friend", "pause", "sister", "start"]
    assert names(times_app.questions.facts(include_retracted=True)) == ["friend", "meet", "pause", "sister", "start"]
    dates = {names([view])[0]: view.date for view in times_app.questions.facts(observer=Observer(recorded_before=R2))}
    assert (dates["friend"], {names([view])[0]: view.date for view in times_app.questions.facts()}["friend"]) == (
        "2014",
        "2016",
    )
    assert [
        str(view.status)
        for view in times_app.questions.facts(observer=Observer(recorded_before=R3))
        if names([view]) == ["meet"]
    ] == ["current"]
    assert names(times_app.questions.facts(observer=Observer(known_at=BEFORE_ALL))) == []
    assert names(times_app.questions.facts(observer=Observer(known_at=INSIDE, recorded_before=R3))) == [
        "friend",
        "start",
    ]
    assert names(times_app.questions.facts(observer=Observer(known_at=INSIDE_AFTER_EARLY, recorded_before=R3))) == [
        "friend",
        "meet",
        "start",
    ]
    assert names(times_app.questions.facts(observer=Observer(known_at=AFTER_ALL, recorded_before=R3))) == [
        "friend",
        "meet",
        "pause",
        "sister",
        "start",
    ]


def test_provenance_as_recorded(times_app: Paradip) -> None:
    """A fact's provenance as the store had it: its values and history then; before it was recorded, none."""
    friend = _id(times_app, FRIEND.quote)
    then = times_app.questions.provenance(friend, observer=Observer(recorded_before=R2))
    now = times_app.questions.provenance(friend)
    assert (then.fact.date, [entry.event for entry in then.history]) == ("2014", ["recorded"])
    assert (now.fact.date, [entry.event for entry in now.history]) == ("2016", ["recorded", "corrected"])
    assert then.to_json()["recorded_before"] == R2.isoformat()
    meet = _id(times_app, MEET.quote)
    assert str(times_app.questions.provenance(meet, observer=Observer(recorded_before=R3)).fact.status) == "current"
    assert str(times_app.questions.provenance(meet).fact.status) == "retracted"
    with pytest.raises(UnknownFact, match="recorded before"):
        times_app.questions.provenance(friend, observer=Observer(recorded_before=T1))


def test_coverage_as_known_and_as_recorded(times_app: Paradip) -> None:
    """The formal ties counted on a day: the sisterhood (printed 2024) and the friendship (2014, corrected to
    2016 at T3), each counted only once its source is out and it is recorded; the meeting is no tie."""

    def ties(as_of: date, **times: Any) -> int:
        return times_app.questions.coverage(observer=Observer(as_of=as_of, **times)).ties

    assert ties(AS_OF) == 2
    assert (ties(AS_OF, recorded_before=T1), ties(AS_OF, recorded_before=R1)) == (0, 2)
    assert (ties(AS_OF, known_at=BEFORE_ALL), ties(AS_OF, known_at=AFTER_2019)) == (0, 1)
    assert (ties(date(2015, 6, 30), recorded_before=R2), ties(date(2015, 6, 30), recorded_before=R3)) == (2, 1)
    assert (
        times_app.questions.coverage(observer=Observer(as_of=AS_OF, recorded_before=R1)).to_json()["recorded_before"]
        == R1.isoformat()
    )


def test_the_command_line_passes_the_times_to_export_provenance_and_coverage(times_url: str) -> None:
    """export --known-at/--recorded-before, provenance --recorded-before and coverage --recorded-before give
    the answers the application gives."""
    store = ("--store", times_url)
    lines = _cli("export", "--known-at", INSIDE.isoformat(), "--recorded-before", R2.isoformat(), *store)
    exported = [orjson.loads(line) for line in lines.splitlines()]
    assert sorted(NAMES[fact["source"]["quote"]] for fact in exported) == ["friend", "start"]
    assert {NAMES[fact["source"]["quote"]]: fact["date"] for fact in exported}["friend"] == "2014"
    friend = next(fact["fact_id"] for fact in exported if NAMES[fact["source"]["quote"]] == "friend")
    then = _json("provenance", friend, "--recorded-before", R2.isoformat(), *store)
    assert ([entry["event"] for entry in then["history"]], then["fact"]["date"]) == (["recorded"], "2014")
    covered = _json("coverage", "--as-of", "2015-06-30", "--recorded-before", R2.isoformat(), *store)
    assert (covered["ties"], covered["recorded_before"]) == (2, R2.isoformat())
