"""The web page of ``paradip serve`` through Starlette's test client, on SQLite and PostgreSQL: every page and
API route, the JSON contract beside the command line's, escaping, errors, and the vendored files."""

from __future__ import annotations

import hashlib
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from urllib.error import URLError
from urllib.parse import quote
from urllib.request import urlopen

import attrs
import orjson
import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from application.app import IngestBatch, Paradip
from application.bootstrap import open_app
from cli import main
from domain.actors import ActorDraft
from domain.sources import SourceDraft
from events.values import ActorLevel, FactKind, Name, Period, SourceKind
from presentation.describe import period_in_words, since_in_words
from tests.builders import ACTORS, fact
from tests.conftest import AT, create_postgres_database, drop_postgres_database, require_postgres
from web.app import create_app

TODAY = date(2026, 1, 15)
VENDOR = Path(__file__).resolve().parent.parent / "web" / "static" / "vendor"
ZHEJIANG_GRDP = "eeedcefd"
FORMAL = "kind=sisterhood&kind=friendship&kind=suspended&kind=ended"


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def corpus_url(
    request: pytest.FixtureRequest, corpus_file: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The bundled corpus on an SQLite file (a copy of the session's) and on a fresh PostgreSQL database."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("web") / "corpus.sqlite"
        shutil.copyfile(corpus_file, path)
        yield f"sqlite:///{path}"
        return
    require_postgres()
    url = create_postgres_database()
    try:
        result = CliRunner().invoke(main, ["ingest", "--store", url], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        yield url
    finally:
        drop_postgres_database(url)


@pytest.fixture(scope="module")
def opened(corpus_url: str) -> Iterator[Paradip]:
    app = open_app(corpus_url)
    yield app
    app.close()


@pytest.fixture(scope="module")
def client(opened: Paradip) -> Iterator[TestClient]:
    with TestClient(create_app(opened, today=lambda: TODAY), follow_redirects=False) as client:
        yield client


def page(client: TestClient, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code, response.text[:500])
    if status < 300:
        assert response.headers["content-type"].startswith("text/html")
    return response.text


def api(client: TestClient, url: str, status: int = 200) -> Any:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code, response.text[:500])
    assert response.headers["content-type"].startswith("application/json")
    return orjson.loads(response.content)


def cli_json(url: str, *args: str) -> Any:
    result = CliRunner().invoke(main, [*args, "--store", url, "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return orjson.loads(result.stdout)


def ties_rows(html: str) -> list[tuple[str, str, str, str]]:
    """(a, b, status, certainty) of each row of the list of ties on a date."""
    return re.findall(r'<tr data-a="([^"]+)" data-b="([^"]+)" data-status="([^"]+)" data-certainty="([^"]+)">', html)


def embedded(html: str) -> Any:
    found = re.search(r'<script type="application/json" id="ties-data">(.*?)</script>', html, re.S)
    assert found is not None
    return orjson.loads(found.group(1))


# The ties page


def test_ties_page_shows_network_timeline_slider_and_the_ties_on_the_date(client: TestClient) -> None:
    """The home page holds the network, the timeline, the slider, a legend and the list of ties on its date."""
    html = page(client, "/?as_of=2012-06-30")
    for part in ('id="network"', 'id="timeline"', 'id="as-of-slider"', 'class="legend"', 'id="ties-on-date"'):
        assert part in html
    rows = ties_rows(html)
    assert ("CN-LN", "KR-41", "sisterhood", "definite") in rows
    assert ("CN-JS", "KR-41", "friendship", "definite") in rows
    assert not any(row[:2] == ("CN-HL", "KR-41") for row in rows), "Heilongjiang's tie dates from 2016"
    data = embedded(html)
    assert data["asOf"] == "2012-06-30"
    assert {"CN-LN|KR-41", "CN-TJ|KR-41"} <= {pair["id"] for pair in data["pairs"]}
    assert {(edge["a"], edge["b"]) for edge in data["edges"]} == {(a, b) for a, b, _s, _c in rows}
    kr = next(node for node in data["nodes"] if node["code"] == "KR-41")
    ln = next(node for node in data["nodes"] if node["code"] == "CN-LN")
    assert kr["x"] < ln["x"], "Korea's column comes first, China's after"


def test_filters_by_actor_in_any_language_country_and_kind_live_in_the_url(client: TestClient) -> None:
    """An actor named in Korean or Chinese filters as its English name does; kinds and countries narrow the pairs."""
    english = ties_rows(page(client, f"/?as_of=2016-12-31&actor=Gyeonggi&{FORMAL}"))
    korean = ties_rows(page(client, f"/?as_of=2016-12-31&actor={quote('경기도')}&{FORMAL}"))
    chinese = ties_rows(page(client, f"/?as_of=2016-12-31&actor={quote('京畿道')}&{FORMAL}"))
    assert english == korean == chinese
    assert {row[0] for row in english} == {"CN-LN", "CN-SD", "CN-TJ", "CN-JS", "CN-JL", "CN-HL", "CN-GD", "CN-HE"}
    contacts = ties_rows(page(client, "/?as_of=2024-12-31&kind=contact"))
    assert contacts
    assert all(row[2] == "contact" for row in contacts)
    everything = ties_rows(page(client, "/?as_of=2024-12-31"))
    assert set(contacts) < set(everything)
    html = page(client, f"/?as_of=2016-12-31&actor=Gyeonggi&{FORMAL}&country=CN")
    data = embedded(html)
    assert "actor=Gyeonggi" in data["networkUrl"]
    assert "country=CN" in data["networkUrl"]
    assert "as_of" not in data["networkUrl"], "the script adds the date it asks about"


def test_known_at_hides_what_no_source_had_published_yet(client: TestClient) -> None:
    """As known in 2020, nothing tied Gyeonggi and Liaoning in 2000: the only source was published in 2024."""
    now = ties_rows(page(client, f"/fragments/ties?as_of=2000-01-01&actor=KR-41&{FORMAL}"))
    then = ties_rows(page(client, f"/fragments/ties?as_of=2000-01-01&known_at=2020-01-01&actor=KR-41&{FORMAL}"))
    assert ("CN-LN", "KR-41", "sisterhood", "definite") in now
    assert not any(row[0] == "CN-LN" for row in then)


def test_fragment_follows_the_date_possible_then_definite(client: TestClient) -> None:
    """The list swapped in by htmx says possible in mid-1993 and definite from the last day of 1993."""
    june = ties_rows(page(client, "/fragments/ties?as_of=1993-06-15&actor=Gyeonggi"))
    december = ties_rows(page(client, "/fragments/ties?as_of=1993-12-31&actor=Gyeonggi"))
    assert ("CN-LN", "KR-41", "sisterhood", "possible") in june
    assert ("CN-LN", "KR-41", "sisterhood", "definite") in december
    assert 'data-as-of="1993-06-15"' in page(client, "/fragments/ties?as_of=1993-06-15")


# The network on a date


def test_api_network_agrees_with_the_state_of_every_pair(client: TestClient, opened: Paradip) -> None:
    """Every edge of /api/network has the status, certainty and since that relationship_state gives its pair."""
    for day in ("1993-06-15", "2008-12-31", "2019-11-27", "2024-12-31"):
        answer = api(client, f"/api/network?as_of={day}")
        assert set(answer) == {"as_of", "known_at", "recorded_before", "nodes", "edges"}
        assert answer["edges"], day
        codes = {node["code"] for node in answer["nodes"]}
        for edge in answer["edges"]:
            assert {edge["a"], edge["b"]} <= codes
            state = opened.relationship_state(edge["a"], edge["b"], as_of=date.fromisoformat(day))
            assert (edge["status"], edge["certainty"], edge["since"]) == (
                str(state.status),
                str(state.certainty),
                state.since,
            ), (day, edge)


def test_api_network_filters_and_refuses_bad_input(client: TestClient) -> None:
    """The network narrows by actor and kind; a missing or impossible date and an unknown actor are refused."""
    answer = api(client, f"/api/network?as_of=2016-12-31&actor={quote('경기도')}&kind=friendship")
    assert {(edge["a"], edge["status"]) for edge in answer["edges"]} == {
        ("CN-TJ", "friendship"),
        ("CN-JS", "friendship"),
        ("CN-JL", "friendship"),
        ("CN-HL", "friendship"),
    }
    assert api(client, "/api/network", 400)["error"] == "as_of: missing"
    assert "not a date" in api(client, "/api/network?as_of=2023-02-29", 400)["error"]
    assert "unknown actor" in api(client, "/api/network?as_of=2020&actor=Atlantis", 404)["error"]
    assert "not a kind of tie" in api(client, "/api/network?as_of=2020&kind=marriage", 400)["error"]


# The JSON contract, the same as the command line's


@pytest.mark.parametrize(
    ("route", "command"),
    [
        (
            "/api/state?a=Gyeonggi&b=Liaoning&as_of=1993-06-15",
            ["state", "Gyeonggi", "Liaoning", "--as-of", "1993-06-15"],
        ),
        (
            f"/api/state?a={quote('경기도')}&b={quote('辽宁省')}&as_of=2000-01-01&known_at=2020-01-01",
            ["state", "경기도", "辽宁省", "--as-of", "2000-01-01", "--known-at", "2020-01-01"],
        ),
        ("/api/partners?actor=Gyeonggi&as_of=2012-06-30", ["partners", "Gyeonggi", "--as-of", "2012-06-30"]),
        ("/api/partners?actor=KR-41&as_of=2020&all=1", ["partners", "KR-41", "--as-of", "2020", "--all"]),
        (
            "/api/program?program=Future-Oriented%20Exchange%20Program&as_of=2022-06",
            ["program", "Future-Oriented Exchange Program", "--as-of", "2022-06"],
        ),
        (
            "/api/timeline?actor=Gyeonggi&actor=Chongqing&kind=meeting&kind=visit",
            ["timeline", "Gyeonggi", "Chongqing", "--kind", "meeting", "--kind", "visit"],
        ),
        ("/api/timeline?from=2019&to=2019-12", ["timeline", "--from", "2019", "--to", "2019-12"]),
        (f"/api/provenance?fact={ZHEJIANG_GRDP}", ["provenance", ZHEJIANG_GRDP]),
        (f"/api/actors?q={quote('辽宁')}", ["actors", "辽宁"]),
        ("/api/sources", ["sources"]),
        ("/api/projections", ["projections"]),
    ],
)
def test_api_answers_as_the_command_line_does(
    client: TestClient, corpus_url: str, route: str, command: list[str]
) -> None:
    """Each /api route gives exactly the JSON of the same question asked with ``paradip ... --json``."""
    assert api(client, route) == cli_json(corpus_url, *command)


def test_api_refusals_are_one_line_json_errors(client: TestClient) -> None:
    """Bad or missing parameters give 400, unknown names and facts 404, each with a one-line message."""
    assert api(client, "/api/state?a=Gyeonggi&as_of=2020", 400)["error"] == "b: missing"
    assert "not a date" in api(client, "/api/state?a=Gyeonggi&b=Liaoning&as_of=June", 400)["error"]
    assert "unknown actor 'Atlantis'" in api(client, "/api/partners?actor=Atlantis&as_of=2020", 404)["error"]
    assert "no fact" in api(client, "/api/provenance?fact=ffffffff", 404)["error"]
    assert "at most two" in api(client, "/api/timeline?actor=KR-41&actor=CN-LN&actor=CN-JL", 400)["error"]
    assert "not a fact kind" in api(client, "/api/timeline?kind=party", 400)["error"]
    assert "given 2 times" in api(client, "/api/state?a=KR-41&b=CN-LN&as_of=2020&as_of=2021", 400)["error"]
    assert api(client, "/api/nothing", 404)["error"] == "no page at /api/nothing"


# Actor, pair, fact and programme pages


def test_actor_page_by_name_in_three_languages_with_partners_bodies_and_facts(client: TestClient) -> None:
    """A name in English, Korean or Chinese leads to the actor's page: its ties, its bodies' ties, its facts."""
    for name in ("Gyeonggi", "경기도", "京畿道", "kr-41"):
        response = client.get(f"/actors/{quote(name)}?as_of=2016-12-31")
        assert response.status_code == 307
        assert response.headers["location"] == "/actors/KR-41?as_of=2016-12-31"
    html = page(client, "/actors/KR-41?as_of=2016-12-31")
    assert re.findall(r'data-party="([^"]+)" data-status="(\w+)" data-certainty', html) == [
        ("CN-GD", "sisterhood"),
        ("CN-HE", "sisterhood"),
        ("CN-HL", "friendship"),
        ("CN-JL", "friendship"),
        ("CN-JS", "friendship"),
        ("CN-LN", "sisterhood"),
        ("CN-SD", "sisterhood"),
        ("CN-TJ", "friendship"),
    ]
    assert '<td class="since">by 2026-11-28</td>' in html, "an undated list's tie stood by the list's date"
    assert "Ties of the places within it" in html
    assert '<tr data-via="kr:bucheon" data-party="cn:harbin" data-status="sisterhood">' in html
    within = api(client, "/api/partners?actor=Gyeonggi&as_of=2016-12-31&within=1")["partners"]
    assert ("cn:harbin", "kr:bucheon") in {(partner["party"], partner["via"]) for partner in within}
    plain = api(client, "/api/partners?actor=Gyeonggi&as_of=2016-12-31")["partners"]
    assert {partner["via"] for partner in plain} == {None}
    assert "Ties of its body" in html
    assert "Gyeonggi Provincial Assembly" in html
    assert 'class="badge body"' in html
    assert "relationship established (friendship)" in html
    assert "Facts up to 2016-12-31" in html
    assert "2019-11-27" not in html, "facts after the date wait for the 'every fact' link"
    assert "2019-11-27" in page(client, "/actors/KR-41?as_of=2016-12-31&all=1")


@pytest.mark.parametrize(
    ("edtf", "period", "since"),
    [
        ("1993", "1993", "since 1993"),
        ("../2026-11-28", "by 2026-11-28", "by 2026-11-28"),
        ("1993/..", "1993 or later", "since 1993 or later"),
        ("2018-01-02/2019-01-01", "between 2018-01-02 and 2019-01-01", "since between 2018-01-02 and 2019-01-01"),
    ],
)
def test_periods_read_in_words_on_the_pages(edtf: str, period: str, since: str) -> None:
    """The pages say an EDTF period as a reader would (the JSON keeps the EDTF)."""
    assert (period_in_words(edtf), since_in_words(edtf)) == (period, since)


def test_pair_page_status_since_history_and_facts(client: TestClient) -> None:
    """The pair page says where the pair stood on the date and since when, how it ran, and the facts with modality."""
    html = page(client, "/pairs/KR-41/CN-LN?as_of=1993-06-15")
    assert 'data-status="sisterhood" data-certainty="possible"' in html
    assert "since 1993" in html
    assert "1993-01-01 – 1993-12-30" in html
    assert "1993-12-31 – today" in html
    assert "relationship established (sisterhood)" in html
    assert (
        client.get("/pairs/Gyeonggi/%EB%9E%B4%EC%98%A4%EB%8B%9D%EC%84%B1").headers["location"] == "/pairs/KR-41/CN-LN"
    )
    planned = page(client, "/pairs/KR-41/CN-CQ?as_of=2024-12-31")
    assert '<span class="modality planned">planned</span>' in planned


def test_pair_page_shows_the_bodies_ties_apart(client: TestClient) -> None:
    """The assembly's friendship with Liaoning is listed among the bodies' ties, not folded into the provinces'."""
    html = page(client, "/pairs/KR-41/CN-LN?as_of=2024-12-31")
    bodies = html[html.index('id="bodies"') :]
    assert "Ties of their bodies" in bodies
    assert "Gyeonggi Provincial Assembly" in bodies
    assert 'data-status="sisterhood" data-certainty="definite"' in html


def test_fact_page_highlights_the_verified_quote_at_its_offsets(client: TestClient, opened: Paradip) -> None:
    """The fact page shows the source's text with exactly the quote's characters marked, and the source's metadata."""
    fact_id = opened.find_fact(ZHEJIANG_GRDP)
    assert client.get(f"/facts/{ZHEJIANG_GRDP}").headers["location"] == f"/facts/{fact_id}"
    html = page(client, f"/facts/{fact_id}")
    provenance = opened.provenance(fact_id)
    source = provenance.fact.source
    text = opened.source(source.document).text_of(source.sha256)
    marked = re.search(r'<mark id="quote" class="quote" data-start="(\d+)" data-end="(\d+)">(.*?)</mark>', html, re.S)
    assert marked is not None
    assert (int(marked.group(1)), int(marked.group(2))) == (source.start, source.end)
    assert marked.group(3) == text[source.start : source.end] == source.quote
    assert 'id="quote-check">verified' in html
    assert source.sha256 in html
    assert "Ministry of Foreign Affairs of the Republic of Korea" in html
    assert "read as CN-ZJ" in html, "the note on how the name was read"
    assert "<td>recorded</td>" in html


def test_fact_page_shows_an_unverified_quote_unhighlighted(
    client: TestClient, opened: Paradip, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the quote does not check out, the page says so and marks nothing: no guessing where it might be."""
    fact_id = opened.find_fact(ZHEJIANG_GRDP)
    checked = opened.provenance(fact_id)
    monkeypatch.setattr(opened, "provenance", lambda _fact: attrs.evolve(checked, verified=False))
    html = page(client, f"/facts/{fact_id}")
    assert "NOT VERIFIED" in html
    assert "<mark" not in html
    assert checked.fact.source.quote in html, "the stored quote is still shown, as the claim it is"


def test_programme_page_and_lists(client: TestClient) -> None:
    """Programmes have their page with status and facts; the lists of programmes, sources and actors load."""
    html = page(client, "/programs/program:korea-china-future-oriented-exchange?as_of=2022-06")
    assert 'id="program-status" data-status="suspended" data-certainty="definite"' in html
    assert "since 2020" in html
    assert "program suspended (COVID-19)" in html
    assert client.get("/actors/program:k2h").headers["location"] == "/programs/program:k2h"
    assert client.get("/programs/KR-41").headers["location"] == "/actors/KR-41"
    assert "program:k2h" in page(client, "/programs")
    assert "000_133afd08bafd380c" in page(client, "/sources")
    assert "Liaoning Province" in page(client, f"/actors?q={quote('辽宁')}")


def test_search_box_takes_names_in_any_language_and_fact_ids(client: TestClient, opened: Paradip) -> None:
    """The search box goes to an actor named in English, Korean or Chinese, a programme, or a fact by its id."""
    for name, target in (
        ("京畿道", "/actors/KR-41"),
        ("랴오닝성", "/actors/CN-LN"),
        ("Liaoning", "/actors/CN-LN"),
        ("K2H", "/programs/program:k2h"),
        (ZHEJIANG_GRDP, f"/facts/{opened.find_fact(ZHEJIANG_GRDP)}"),
    ):
        response = client.get(f"/search?q={quote(name)}")
        assert (response.status_code, response.headers["location"]) == (303, target), name
    assert "Gyeonggi Province" in page(client, f"/fragments/actors?q={quote('경기')}")
    assert "Gyeonggi Province" in page(client, "/search?q=Gyeonggi%20Prov")


# Errors, read-only, headers


def test_unknown_pages_and_bad_dates_get_a_proper_page(client: TestClient) -> None:
    """Unknown pages, actors and facts give a 404 page; impossible dates a 400 page; never a traceback."""
    for url, status, message in (
        ("/no/such/page", 404, "no page at /no/such/page"),
        ("/actors/Atlantis", 404, "unknown actor &#39;Atlantis&#39;"),
        ("/facts/ffffffff", 404, "no fact with id &#39;ffffffff&#39;"),
        ("/facts/xyz", 404, "is not a fact id"),
        ("/?as_of=2023-02-29", 400, "as_of: &#39;2023-02-29&#39; is not a date"),
        ("/?known_at=soon", 400, "known_at: &#39;soon&#39; is not a date"),
        ("/pairs/KR-41/KR-41", 400, "a pair needs two actors"),
        ("/?kind=marriage", 400, "not a kind of tie"),
    ):
        html = page(client, url, status)
        assert message in html, url
        assert "Traceback" not in html
        assert "<h1>" in html


def test_no_route_writes(client: TestClient) -> None:
    """Every route answers GET only: a POST, PUT or DELETE is refused with 405 and changes nothing."""
    head = api(client, "/api/projections")
    for method in ("POST", "PUT", "DELETE"):
        for url in ("/", "/api/network", "/facts/eeedcefd"):
            assert client.request(method, url).status_code == 405
    assert api(client, "/api/projections") == head


def test_pages_load_nothing_from_elsewhere_and_forbid_it(client: TestClient) -> None:
    """Pages name only this server's files, and a content security policy forbids any other origin."""
    response = client.get("/?as_of=2016-12-31")
    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert response.headers["x-content-type-options"] == "nosniff"
    for url in re.findall(r'(?:src|href)="([^"]+)"', response.text):
        assert url.startswith(("/", "data:")), url
    for asset in re.findall(r'src="(/static/[^"]+)"', response.text):
        assert client.get(asset).status_code == 200, asset


def test_an_internal_error_is_a_page_not_a_traceback(opened: Paradip, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure inside the server is a 500 page naming no internals."""
    monkeypatch.setattr(opened, "sources", lambda: 1 / 0)
    with TestClient(create_app(opened, today=lambda: TODAY), raise_server_exceptions=False) as client:
        response = client.get("/sources")
    assert response.status_code == 500
    assert "internal error" in response.text
    assert "ZeroDivisionError" not in response.text


# Escaping


SCRIPT = "<script>alert('paradip')</script>"


@pytest.fixture
def hostile(sqlite_url: str) -> Iterator[TestClient]:
    """A store whose actor's name, source text and attributes hold markup, and two claims that conflict."""
    text = (
        f"Gyeonggi Province met {SCRIPT} City on 2019-11-27. "
        "Gyeonggi Province and Liaoning Province became sister provinces in 1993. "
        "The sisterhood of Gyeonggi and Liaoning dates from May 1993."
    )
    source = SourceDraft(
        document="hostile",
        title=f"A title with {SCRIPT}",
        publisher="<b>Publisher</b>",
        published=Period.from_edtf("2024"),
        published_note="",
        language="en",
        kind=SourceKind.NEWS,
        address=None,
        text=text,
    )
    city = ActorDraft(
        code="cn:hostile",
        level=ActorLevel.CITY,
        country="CN",
        parent="CN-LN",
        names=[Name(text=f"{SCRIPT} City", lang="en"), Name(text="<i>적</i>", lang="ko")],
    )
    facts = (
        fact(
            kind=FactKind.MEETING,
            parties=("KR-41", "cn:hostile"),
            date="2019-11-27",
            quote=f"Gyeonggi Province met {SCRIPT} City on 2019-11-27",
            attributes={"topics": [SCRIPT]},
            document="hostile",
        ),
        fact(date="1993", quote="became sister provinces in 1993", document="hostile"),
        fact(date="1993-05", quote="The sisterhood of Gyeonggi and Liaoning dates from May 1993", document="hostile"),
    )
    app = open_app(sqlite_url)
    app.ingest(IngestBatch(actors=(*ACTORS, city), sources=(source,), facts=facts), at=AT)
    try:
        with TestClient(create_app(app, today=lambda: TODAY), follow_redirects=False) as client:
            yield client
    finally:
        app.close()


def test_markup_from_the_store_is_escaped_everywhere(hostile: TestClient) -> None:
    """An actor, a source and an attribute holding <script> are shown as text on every page, never run."""
    meeting = api(hostile, "/api/timeline?actor=cn:hostile")["events"][0]["fact_id"]
    for url in (
        "/?as_of=2020-01-01",
        "/fragments/ties?as_of=2020-01-01",
        "/actors/cn:hostile?as_of=2020-01-01",
        "/actors/KR-41?as_of=2020-01-01",
        "/pairs/KR-41/cn:hostile?as_of=2020-01-01",
        f"/facts/{meeting}",
        "/sources",
        "/actors?q=script",
        "/fragments/actors?q=hostile",
    ):
        html = page(hostile, url)
        assert SCRIPT not in html, url
        assert "<b>Publisher</b>" not in html, url
        assert "<i>적</i>" not in html, url
        assert "&lt;script&gt;" in html or "\\u003cscript\\u003e" in html, url


def test_markup_in_the_url_is_escaped(hostile: TestClient) -> None:
    """A query string or path holding <script> comes back escaped in the error or the form, never as markup."""
    markup = "<script>alert(1)</script>"
    for url, status in (
        (f"/?actor={quote(markup)}", 404),
        (f"/?as_of={quote(markup)}", 400),
        (f"/actors/{quote(markup, safe='')}", 404),
        (f"/actors?q={quote(markup)}", 200),
        (f"/search?q={quote(markup)}", 200),
        (f"/no/{quote(markup, safe='')}", 404),
    ):
        response = hostile.get(url)
        assert response.status_code == status, url
        assert markup not in response.text, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text, url
    answer = api(hostile, f"/api/network?as_of={quote(markup)}", 400)
    assert markup in answer["error"], "JSON carries the text as a string, which the page never inserts as markup"


def test_conflicting_claims_show_the_preferred_one_and_its_rule(hostile: TestClient) -> None:
    """Two dates for one sisterhood: the pair page lists both claims, marks the preferred one and names the rule."""
    html = page(hostile, "/pairs/KR-41/CN-LN?as_of=2000-01-01")
    assert "Conflict: relationship established" in html
    assert '<strong class="rule">more precise date</strong>' in html
    assert html.count('<tr class="preferred') == 1
    assert "With Liaoning Province: relationship established" in page(hostile, "/actors/KR-41?as_of=2000-01-01")


# Vendored files and the command


def test_vendored_files_match_their_manifest() -> None:
    """Every vendored file is listed in SHA256SUMS with its current hash, and each package has its licence."""
    listed = {}
    for line in (VENDOR / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split(maxsplit=1)
        listed[name.removeprefix("./")] = digest
    present = {
        str(path.relative_to(VENDOR))
        for path in VENDOR.rglob("*")
        if path.is_file() and path.name not in ("SHA256SUMS", "README.md")
    }
    assert present == set(listed)
    for name, digest in listed.items():
        assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == digest, name
    for package in orjson.loads((VENDOR / "packages.json").read_bytes()):
        folder = VENDOR / package["directory"]
        assert any(path.name.upper().startswith("LICENSE") for path in folder.iterdir()), package["package"]
        for file in package["files"]:
            assert (folder / file).is_file()
    htmx = next(p for p in orjson.loads((VENDOR / "packages.json").read_bytes()) if p["package"] == "htmx.org")
    assert htmx["version"].startswith("2."), "htmx is pinned to 2.x"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_command_answers_on_localhost(corpus_file: Path, tmp_path: Path) -> None:
    """``paradip serve`` listens on 127.0.0.1 by default and answers the pages and the API until stopped."""
    store = tmp_path / "store.sqlite"
    shutil.copyfile(corpus_file, store)
    port = _free_port()
    command = [sys.executable, "-c", "from cli import main; main()", "serve", "--store", f"sqlite:///{store}"]
    server = subprocess.Popen([*command, "--port", str(port)], stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urlopen(f"http://127.0.0.1:{port}/api/partners?actor=KR-41&as_of=2012-06-30", timeout=5) as answer:
                    status, body = answer.status, answer.read()
                break
            except (URLError, ConnectionError):
                assert server.poll() is None, server.stderr.read() if server.stderr else ""
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        assert status == 200
        partners = {partner["party"] for partner in orjson.loads(body)["partners"]}
        assert partners == {"CN-JS", "CN-LN", "CN-SD", "CN-TJ", "CN-GD", "CN-HE"}
    finally:
        server.terminate()
        _out, err = server.communicate(timeout=10)
    assert f"serving http://127.0.0.1:{port}/" in err
    assert "Traceback" not in err
    result = CliRunner().invoke(main, ["serve", "--help"])
    assert "[default: 127.0.0.1]" in result.output
