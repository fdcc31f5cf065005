"""Answers that never claim more than the sources, and a store that cannot be fooled (each item of issue 12)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

import attrs
import pytest
import rdflib

from application.app import IngestBatch, Paradip
from application.bootstrap import open_app
from domain.actors import ActorDraft
from domain.facts import FactDraft
from domain.sources import SourceDraft
from domain.status import Evidence, find_conflicts
from domain.vocabulary import Certainty, RelationshipStatus
from events.values import ActorLevel, FactKind, Modality, Name, Period
from presentation.charts import last_evidence, segments
from tests.builders import ACTORS, PROGRAMME, SOURCE, fact, world
from tests.conftest import AT
from tests.support import as_json, one_line_error, run

PAIR = ("KR-41", "CN-LN")


def source(document: str, text: str, published: str) -> SourceDraft:
    return attrs.evolve(SOURCE, document=document, text=text, published=Period.from_edtf(published))


def claim(
    document: str, quote: str, date: str, level: str = "sisterhood", kind: FactKind = FactKind.RELATIONSHIP_ESTABLISHED
) -> FactDraft:
    return fact(kind=kind, document=document, quote=quote, date=date, attributes={"level": level})


@pytest.fixture
def app(store_url: str) -> Iterator[Paradip]:
    application = open_app(store_url)
    try:
        yield application
    finally:
        application.close()


@pytest.fixture
def corpus(corpus_file: Path, tmp_path: Path) -> str:
    copy = tmp_path / "store.sqlite"
    copy.write_bytes(corpus_file.read_bytes())
    return f"sqlite:///{copy}"


# 1. Conflict preference by precision unit


def _evidence(fact_id: int, edtf: str, published: str, position: int) -> Evidence:
    period, publication = Period.from_edtf(edtf), Period.from_edtf(published)
    return Evidence(
        fact_id=UUID(int=fact_id),
        position=position,
        kind=FactKind.RELATIONSHIP_ESTABLISHED,
        modality=Modality.OCCURRED,
        level="sisterhood",
        edtf=edtf,
        valid_lo=period.lower,
        valid_hi=period.upper,
        published_lo=publication.lower,
        published_hi=publication.upper,
    )


def test_two_year_claims_fall_through_to_the_more_recent_source() -> None:
    """1992 (a leap year) and 1993 are both a year: neither is more precise, the more recent source wins."""
    leap, plain = _evidence(1, "1992", "2024", 1), _evidence(2, "1993", "2010", 2)
    (conflict,) = find_conflicts([leap, plain], lambda item, _others: "tie", [])
    assert (conflict.preferred, conflict.rule) == (leap.fact_id, "more recent source")


def test_a_qualified_year_is_less_precise_than_a_plain_one() -> None:
    """'1993~' loses to '1994' by precision, whatever the sources' dates."""
    approximate, plain = _evidence(1, "1993~", "2024", 1), _evidence(2, "1994", "2000", 2)
    (conflict,) = find_conflicts([approximate, plain], lambda item, _others: "tie", [])
    assert (conflict.preferred, conflict.rule) == (plain.fact_id, "more precise date")


def test_year_claims_on_a_store_prefer_the_recent_source(app: Paradip) -> None:
    """Two lists give the tie 1992 and 1993: the answer's conflict prefers the newer list, by its rule."""
    old = source("old-list", "Gyeonggi and Liaoning: sisterhood 1992.", "2010")
    new = source("new-list", "Gyeonggi and Liaoning: sisterhood 1993.", "2020")
    app.ingest(
        IngestBatch(
            actors=ACTORS,
            sources=(old, new),
            facts=(claim("old-list", "sisterhood 1992", "1992"), claim("new-list", "sisterhood 1993", "1993")),
        ),
        at=AT,
    )
    (conflict,) = app.relationship_state(*PAIR, as_of=date(2000, 1, 1)).conflicts
    preferred = next(view for view in conflict.claims if view.fact_id == conflict.preferred)
    assert (preferred.date, conflict.rule) == ("1993", "more recent source")


# 2. Absence of evidence is unknown


def test_no_fact_in_view_is_unknown_and_a_later_tie_is_none(app: Paradip) -> None:
    """Nothing about a pair: unknown; a tie dated after the day asked: none; a programme with no facts: unknown."""
    app.ingest(world(fact(date="1993")), at=AT)
    app.ingest(IngestBatch(actors=(PROGRAMME,)), at=AT)
    assert app.relationship_state("KR-41", "CN-JL", as_of=date(2000, 1, 1)).status is RelationshipStatus.UNKNOWN
    before = app.relationship_state(*PAIR, as_of=date(1990, 1, 1))
    assert (before.status, before.certainty, before.events) == (RelationshipStatus.NONE, Certainty.DEFINITE, ())
    unseen = app.relationship_state(*PAIR, as_of=date(2000, 1, 1), known_at=date(2020, 1, 1))
    assert unseen.status is RelationshipStatus.UNKNOWN
    assert str(app.program_state("program:exchange", as_of=date(2000, 1, 1)).status) == "unknown"


def test_the_programme_unknown_before_any_source_speaks_of_it(corpus: str) -> None:
    """As known by the end of 2019, no source speaks of the Future-Oriented Exchange Program: unknown."""
    answer = as_json(
        run(
            "program",
            "Future-Oriented Exchange Program",
            "--as-of",
            "2019-12-31",
            "--known-at",
            "2019-12-31",
            "--json",
            "--store",
            corpus,
        )
    )
    assert (answer["status"], answer["events"]) == ("unknown", [])


# 3. Open starts stop at the parties' existence


def _state(code: str, name: str, established: str | None = None, **kwargs: Any) -> ActorDraft:
    return ActorDraft(
        code=code,
        level=ActorLevel.COUNTRY,
        country=code,
        parent=None,
        names=(Name(text=name, lang="en"),),
        established=None if established is None else Period.from_edtf(established),
        **kwargs,
    )


def test_an_open_start_cannot_reach_before_the_states_existed(app: Paradip) -> None:
    """'../2024' exchanges between two provinces: nothing before 1949-10-01 (the later state), possible after."""
    states = (_state("KR", "Republic of Korea", "1948-08-15"), _state("CN", "China", "1949-10-01"))
    app.ingest(
        IngestBatch(
            actors=(*states, *ACTORS[2:]),
            sources=(SOURCE,),
            facts=(
                fact(kind=FactKind.MEETING, date="../2024-04-24", quote="The governors met in Shenyang", attributes={}),
            ),
        ),
        at=AT,
    )
    early = app.relationship_state(*PAIR, as_of=date(1900, 1, 1))
    assert (early.status, early.certainty, early.events) == (RelationshipStatus.NONE, Certainty.DEFINITE, ())
    assert app.relationship_state(*PAIR, as_of=date(1949, 9, 30)).status is RelationshipStatus.NONE
    later = app.relationship_state(*PAIR, as_of=date(1960, 1, 1))
    assert (later.status, later.certainty) == (RelationshipStatus.CONTACT, Certainty.POSSIBLE)


def test_shanghai_and_korea_were_not_in_contact_in_1900(corpus: str) -> None:
    """Document 000's 'has been carrying out close exchanges' (../2024-09-23) is not contact before the PRC."""
    answer = as_json(run("state", "Shanghai", "Korea", "--as-of", "1900-01-01", "--json", "--store", corpus))
    assert (answer["status"], answer["events"]) == ("none", [])


# 4. Diplomatic relations


def test_korea_and_china_had_diplomatic_relations_at_the_end_of_1992(corpus: str) -> None:
    """Ties between countries are 'diplomatic', not friendship."""
    answer = as_json(run("state", "Korea", "China", "--as-of", "1992-12-31", "--json", "--store", corpus))
    assert (answer["status"], answer["certainty"]) == ("diplomatic", "definite")


# 5. A government's bodies


def test_a_timeline_includes_the_bodies_facts_marked(corpus: str) -> None:
    """Gyeonggi-Liaoning's timeline shows the assembly's friendship and the institutes' agreement, via the bodies."""
    events = as_json(run("timeline", "Gyeonggi", "Liaoning", "--json", "--store", corpus))["events"]
    via = {event["kind"]: event.get("via") for event in events if event.get("via")}
    assert via["relationship_established"] == ["org:gyeonggi-provincial-assembly"]
    assert sorted(via["agreement_signed"]) == [
        "org:gyeonggi-agricultural-research",
        "org:liaoning-academy-of-agricultural-sciences",
    ]
    assert all("via" not in event for event in events if "KR-41" in event["parties"] and "CN-LN" in event["parties"])


def test_partners_and_state_show_bodies_only_when_asked(corpus: str) -> None:
    """Government to government by default; with --bodies the assembly's tie is its own row."""
    plain = as_json(run("partners", "Liaoning", "--as-of", "2024-12-31", "--json", "--store", corpus))
    assert "org:gyeonggi-provincial-assembly" not in [partner["party"] for partner in plain["partners"]]
    bodies = as_json(run("partners", "Gyeonggi", "--as-of", "2024-12-31", "--bodies", "--json", "--store", corpus))
    rows = [(p["party"], p["via"], p["status"]) for p in bodies["partners"]]
    assert ("CN-LN", "org:gyeonggi-provincial-assembly", "friendship") in rows
    state = as_json(
        run("state", "Gyeonggi", "Liaoning", "--as-of", "2024-12-31", "--bodies", "--json", "--store", corpus)
    )
    assert {tuple(tie["parties"]) for tie in state["bodies"]} >= {("CN-LN", "org:gyeonggi-provincial-assembly")}
    assert (
        as_json(run("state", "Gyeonggi", "Liaoning", "--as-of", "2024-12-31", "--json", "--store", corpus))["bodies"]
        == []
    )


def test_partners_within_a_province_name_the_place_that_holds_each_tie(app: Paradip) -> None:
    """A province's own ties by default; with include_within its cities' ties too, each naming its city in via;
    a country's answer reaches every level below it."""
    suwon_shenyang = fact(
        parties=("kr:suwon", "cn:shenyang"),
        date="2019-11-27",
        quote="The governors met in Shenyang on 2019-11-27",
        attributes={"level": "friendship"},
    )
    app.ingest(world(fact(), suwon_shenyang), at=AT)
    day = date(2020, 1, 1)

    def rows(actor: str, *, within: bool) -> set[tuple[str, str | None, str]]:
        answer = app.partners(actor, as_of=day, include_within=within)
        return {(partner.party, partner.via, str(partner.status)) for partner in answer.partners}

    assert rows("KR-41", within=False) == {("CN-LN", None, "sisterhood")}
    assert rows("KR-41", within=True) == {("CN-LN", None, "sisterhood"), ("cn:shenyang", "kr:suwon", "friendship")}
    assert rows("KR", within=True) == {("CN-LN", "KR-41", "sisterhood"), ("cn:shenyang", "kr:suwon", "friendship")}
    assert rows("kr:suwon", within=True) == {("cn:shenyang", None, "friendship")}


def test_partners_within_on_the_command_line_and_the_api(corpus: str) -> None:
    """--within adds the rows of a province's cities with the via column; the API takes within=1."""
    answer = as_json(run("partners", "Chungnam", "--as-of", "2026-01-01", "--within", "--json", "--store", corpus))
    via = {partner["via"] for partner in answer["partners"]}
    assert {None, "kr:cheonan", "kr:dangjin", "kr:asan"} <= via
    text = run("partners", "Chungnam", "--as-of", "2026-01-01", "--within", "--store", corpus).stdout
    assert "via" in text.splitlines()[1]


# 6. Events stated in passing


def test_events_stated_in_passing_are_events(corpus: str) -> None:
    """The THAAD disruption (told by document 002, by Yonhap in 2018 and by the Incheon Institute's 2019 brief) and the
    stepping up again are in Korea-China's timeline; the 'new door' agreement too."""
    kinds = [event["kind"] for event in as_json(run("timeline", "KR", "CN", "--json", "--store", corpus))["events"]]
    assert kinds.count("exchanges_disrupted") == 3
    assert "exchanges_resumed" in kinds
    chongqing = as_json(
        run("timeline", "Gyeonggi", "Chongqing", "--kind", "agreement_reached", "--json", "--store", corpus)
    )
    assert [event["date"] for event in chongqing["events"]] == ["2019-11-27"]


# 7. Programme conflicts in text


def test_program_prints_its_conflicts(app: Paradip, store_url: str) -> None:
    """Two sources date a programme's start differently: the text output names the conflict and its rule."""
    first = source("first", "The programme started in 1999.", "2010")
    second = source("second", "The programme started in 2001.", "2020")
    started = {"kind": FactKind.PROGRAM_STARTED, "attributes": {}, "parties": ("program:exchange", "KR-41")}
    app.ingest(
        IngestBatch(
            actors=(*ACTORS, PROGRAMME),
            sources=(first, second),
            facts=(
                fact(document="first", quote="started in 1999", date="1999", **started),
                fact(document="second", quote="started in 2001", date="2001", **started),
            ),
        ),
        at=AT,
    )
    result = run("program", "program:exchange", "--as-of", "2010-01-01", "--store", store_url)
    assert result.exit_code == 0, result.output
    assert "Conflict over program_started: 2 claims" in result.stdout
    assert "by more recent source" in result.stdout


# 8. Charts within the evidence


def test_a_contact_bar_ends_at_its_last_evidence(app: Paradip) -> None:
    """One 2019 meeting: the bar is solid to its day and an open end after it, never solid to today."""
    app.ingest(
        world(
            fact(
                kind=FactKind.MEETING,
                date="2019-11-27",
                quote="The governors met in Shenyang on 2019-11-27",
                attributes={},
            )
        ),
        at=AT,
    )
    (history,) = app.relationship_histories("KR-41", start=date(2015, 1, 1), end=date(2026, 1, 1))
    assert last_evidence(history) == date(2019, 11, 27)
    drawn = segments(history, date(2015, 1, 1))
    solid = [segment for segment in drawn if not segment.open_end]
    assert max(segment.end for segment in solid) == date(2019, 11, 27)
    assert [segment.start for segment in drawn if segment.open_end] == [date(2019, 11, 28)]


def test_an_inverted_span_is_refused(corpus: str, tmp_path: Path) -> None:
    """--from after --to: one line, exit 2, for chart and timeline."""
    one_line_error(
        run("chart", "Gyeonggi", "--from", "2020", "--to", "2010", "-o", str(tmp_path / "c.png"), "--store", corpus),
        2,
        "--from",
    )
    one_line_error(run("timeline", "--from", "2020", "--to", "2010", "--store", corpus), 2, "--from")
    assert not (tmp_path / "c.png").exists()


# 9. PROV export is lossless


def test_prov_export_keeps_every_attribute_for_rdf(corpus: str) -> None:
    """Loaded with rdflib, the export still says the 1993 tie is a sisterhood, and keeps a meeting's participants."""
    graph = rdflib.Graph().parse(data=run("export", "--format", "prov", "--store", corpus).stdout, format="json-ld")
    attribute = rdflib.Namespace("https://paradip.example/ns/attribute#")
    levels = {str(value) for value in graph.objects(None, attribute.level)}
    assert {"sisterhood", "friendship", "diplomatic", "parliamentary_friendship"} <= levels
    participants = list(graph.objects(None, attribute.participants))
    assert participants
    assert any(
        "Kim Dong-yeon" in str(item) for node in participants for item in rdflib.collection.Collection(graph, node)
    )


# 10. Headers, today, traditional Chinese


def test_headers_name_every_filter(corpus: str) -> None:
    """partners, program and timeline say --known-at and --recorded-before when given."""
    filters = ("--known-at", "2024-06-30", "--recorded-before", "2100-01-01T00:00:00Z")
    for command in (
        ("partners", "Gyeonggi", "--as-of", "2024-06-30"),
        ("program", "Future-Oriented Exchange Program", "--as-of", "2024-06-30"),
        ("timeline", "Gyeonggi"),
        ("state", "Gyeonggi", "Liaoning", "--as-of", "2024-06-30"),
    ):
        first = run(*command, *filters, "--store", corpus).stdout.splitlines()[0]
        assert "as known from sources published by 2024-06-30" in first, first
        assert "as recorded before 2100-01-01T00:00:00+00:00" in first, first


def test_as_of_today_and_traditional_names(corpus: str) -> None:
    """--as-of today answers for today; 遼寧 resolves like 辽宁."""
    today = as_json(run("state", "京畿道", "遼寧省", "--as-of", "today", "--json", "--store", corpus))
    assert today["parties"] == ["CN-LN", "KR-41"]
    assert today["as_of"] == date.today().isoformat()


# 11. No command launders tampering


def _tamper(url: str, position: int) -> None:
    """Change one stored event behind the engine's back."""
    if url.startswith("sqlite"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as connection:
            (state,) = connection.execute("SELECT state FROM stored_events WHERE rowid = ?", (position,)).fetchone()
            connection.execute("UPDATE stored_events SET state = ? WHERE rowid = ?", (state[:-1] + b" }", position))
        return
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        (state,) = connection.execute(
            "SELECT state FROM paradip_events WHERE notification_id = %s", (position,)
        ).fetchone()
        connection.execute(
            "UPDATE paradip_events SET state = %s WHERE notification_id = %s", (bytes(state)[:-1] + b" }", position)
        )


def test_a_rebuild_does_not_launder_a_changed_log(app: Paradip, store_url: str) -> None:
    """Change an event, rebuild every read model from scratch: verify still reports the chain's break."""
    app.ingest(world(fact()), at=AT)
    token = run("digest", "--store", store_url).stdout.strip()
    assert run("verify", "--digest", token, "--store", store_url).exit_code == 0
    _tamper(store_url, 3)
    assert run("replay", "--all", "--from-scratch", "--store", store_url).exit_code == 0
    result = run("verify", "--store", store_url)
    assert result.exit_code == 1
    assert "no longer matches its anchor" in result.stdout
    kept = run("verify", "--digest", token, "--store", store_url)
    assert kept.exit_code == 1
    assert "the digest given" in kept.stdout or "its anchor" in kept.stdout


def test_a_digest_proves_a_prefix_of_the_log(app: Paradip, store_url: str) -> None:
    """A digest at a position keeps proving that prefix while later events are added; a bad digest is refused."""
    app.ingest(world(fact()), at=AT)
    position = app.head()
    token = as_json(run("digest", "--json", "--store", store_url))["token"]
    app.ingest(
        world(
            fact(),
            fact(
                kind=FactKind.MEETING,
                date="2019-11-27",
                quote="The governors met in Shenyang on 2019-11-27",
                attributes={},
            ),
        ),
        at=AT,
    )
    assert app.head() > position
    assert run("verify", "--digest", token, "--store", store_url).exit_code == 0
    wrong = token[:-1] + ("0" if token[-1] != "0" else "1")
    assert run("verify", "--digest", wrong, "--store", store_url).exit_code == 1
    one_line_error(run("verify", "--digest", "nonsense", "--store", store_url), 2, "not a digest")


# 12. A document reads only inside its folder


def _document(folder: Path, name: str, text_file: str) -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(
        f"document: {name}\ntitle: t\npublisher: p\nkind: news\nlanguage: en\npublished: '2024'\n"
        f"text_file: {text_file}\nfacts: []\n",
        encoding="utf-8",
    )
    return path


def test_a_text_outside_the_documents_folder_is_refused(tmp_path: Path) -> None:
    """'../' and a symbolic link leaving the folder: one line, exit 1, no store created."""
    folder = tmp_path / "docs"
    folder.mkdir()
    (tmp_path / "secret.txt").write_text("not yours", encoding="utf-8")
    (folder / "link.txt").symlink_to(tmp_path / "secret.txt")
    store = tmp_path / "store.sqlite"
    for path in (_document(folder, "up", "../secret.txt"), _document(folder, "linked", "link.txt")):
        one_line_error(run("ingest", str(path), "--store", f"sqlite:///{store}"), 1, "leaves the document's folder")
    assert not store.exists()


# 13. Hostile input


def test_hostile_input_gets_one_line(corpus: str, tmp_path: Path) -> None:
    """A huge fact prefix, a missing store, an empty or unknown store URL, a city as a programme, a huge name."""
    one_line_error(run("provenance", "a" * 50_001, "--store", corpus), 2, "not a fact id")
    missing = tmp_path / "nonexistent" / "dir" / "x.sqlite"
    one_line_error(run("verify", "--store", f"sqlite:///{missing}"), 2, "no store at")
    one_line_error(
        run("state", "KR-41", "CN-LN", "--as-of", "2000", "--store", f"sqlite:///{missing}"), 2, "no store at"
    )
    assert not missing.parent.exists()
    one_line_error(run("sources", "--store", ""), 2, "--store is empty")
    one_line_error(run("sources", "--store", "mysql://x/y"), 2, "store URL")
    one_line_error(run("program", "Gyeonggi", "--as-of", "2000", "--store", corpus), 2, "not a programme")
    line = one_line_error(
        run("state", "x" * 120_000, "CN-LN", "--as-of", "2000", "--store", corpus), 2, "unknown actor"
    )
    assert len(line) < 1_000


def test_a_read_on_a_postgres_database_without_a_store_creates_nothing(postgres_url: str) -> None:
    """A read on an existing but empty database: refused, and no table is created there."""
    one_line_error(run("sources", "--store", postgres_url), 2, "no store at")
    import psycopg

    with psycopg.connect(postgres_url) as connection:
        tables = connection.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()
    assert tables == (0,)
