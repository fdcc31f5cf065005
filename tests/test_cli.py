"""The paradip command, driven through click's runner: exit codes, one-line errors, output and the JSON contract."""

from __future__ import annotations

import csv
import io
import re
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from application.app import IngestBatch
from application.bootstrap import open_app
from tests.builders import PROGRAMME, fact, world
from tests.conftest import AT
from tests.support import as_json, one_line_error, run
from tests.test_projections import MET_2019, PLANNED_VISIT, SISTERHOOD_1993

FACT_KEYS = {"fact_id", "kind", "modality", "parties", "date", "attributes", "source", "recorded_at", "status"}
SOURCE_KEYS = {"document", "title", "publisher", "published", "sha256", "start", "end", "quote"}
ANSI = re.compile(r"\x1b\[")


@pytest.fixture
def store(sqlite_url: str) -> Iterator[str]:
    """A store holding a few facts about Gyeonggi, Liaoning, Jilin, Shenyang and Suwon."""
    app = open_app(sqlite_url)
    try:
        app.ingest(world(SISTERHOOD_1993, MET_2019, PLANNED_VISIT), at=AT)
    finally:
        app.close()
    return sqlite_url


def assert_fact_object(data: dict[str, Any]) -> None:
    assert set(data) == FACT_KEYS
    assert set(data["source"]) == SOURCE_KEYS
    assert data["status"] in {"current", "corrected", "retracted"}
    assert data["modality"] in {"occurred", "planned", "expected"}
    assert isinstance(data["parties"], list)
    assert isinstance(data["attributes"], dict)


def test_state_json_contract(store: str) -> None:
    """state --json gives parties, the three times, status, certainty, since, events, conflicts and bodies."""
    data = as_json(run("state", "경기도", "Liaoning Province", "--as-of", "1993-06-15", "--json", "--store", store))
    assert set(data) == {
        "parties",
        "as_of",
        "known_at",
        "recorded_before",
        "status",
        "certainty",
        "since",
        "events",
        "conflicts",
        "bodies",
    }
    assert (data["parties"], data["status"], data["certainty"], data["since"]) == (
        ["CN-LN", "KR-41"],
        "sisterhood",
        "possible",
        "1993",
    )
    assert data["as_of"] == "1993-06-15"
    assert data["known_at"] is None
    assert data["recorded_before"] is None
    assert len(data["events"]) == 1
    assert_fact_object(data["events"][0])
    assert data["events"][0]["source"]["quote"] == SISTERHOOD_1993.quote


def test_state_text_and_year_means_its_last_day(store: str) -> None:
    """A year alone for --as-of means 31 December; the text answer names status and certainty."""
    result = run("state", "KR-41", "CN-LN", "--as-of", "1993", "--store", store)
    assert result.exit_code == 0, result.output
    assert "on 1993-12-31" in result.stdout
    assert "sisterhood (definite) since 1993" in result.stdout
    assert not ANSI.search(result.stdout)


def test_state_known_at_and_recorded_before(store: str) -> None:
    """--known-at before the source's publication, or --recorded-before before it was recorded, shows nothing."""
    known = as_json(
        run("state", "KR-41", "CN-LN", "--as-of", "2000", "--known-at", "2020-01-01", "--json", "--store", store)
    )
    recorded = as_json(
        run(
            "state",
            "KR-41",
            "CN-LN",
            "--as-of",
            "2000",
            "--recorded-before",
            "2026-01-01T00:00:00Z",
            "--json",
            "--store",
            store,
        )
    )
    assert (known["status"], known["known_at"]) == ("unknown", "2020-01-01")
    assert recorded["status"] == "unknown"
    assert recorded["recorded_before"] == "2026-01-01T00:00:00+00:00"


def test_partners_json_contract(store: str) -> None:
    """partners --json lists each partner's party, name, status, certainty, since and the body it is through."""
    data = as_json(run("partners", "KR-41", "--as-of", "2000-01-01", "--json", "--store", store))
    assert {"actor", "as_of", "partners"} <= set(data)
    assert data["partners"] == [
        {
            "party": "CN-LN",
            "name": "Liaoning Province",
            "status": "sisterhood",
            "certainty": "definite",
            "since": "1993",
            "via": None,
        }
    ]
    contacts = as_json(run("partners", "KR-41", "--as-of", "2020", "--all", "--json", "--store", store))
    assert [partner["party"] for partner in contacts["partners"]] == ["CN-LN", "cn:shenyang"]


def test_program_json_contract(store: str) -> None:
    """program --json names the programme, its status, certainty, since and events; no fact of it is unknown."""
    app = open_app(store)
    app.ingest(IngestBatch(actors=(PROGRAMME,)), at=AT)
    app.close()
    data = as_json(run("program", "program:exchange", "--as-of", "2025-01-01", "--json", "--store", store))
    assert {"program", "name", "as_of", "status", "certainty", "since", "events", "conflicts"} <= set(data)
    assert (data["program"], data["status"], data["events"]) == ("program:exchange", "unknown", [])


def test_program_refuses_an_actor_that_is_no_programme(store: str) -> None:
    """program with a city's name says it is not a programme, on one line, exit 2."""
    one_line_error(run("program", "kr:suwon", "--as-of", "2025-01-01", "--store", store), 2, "not a programme")


def test_timeline_json_contract_and_order(store: str) -> None:
    """timeline --json gives fact objects in valid-time order; actors filter, kinds filter."""
    data = as_json(run("timeline", "--json", "--store", store))
    assert set(data) == {"events"}
    dates = [event["date"] for event in data["events"]]
    assert dates == ["1993", "2019-11-27", "2024-06"]
    for event in data["events"]:
        assert_fact_object(event)
    pair = as_json(run("timeline", "KR-41", "辽宁省", "--kind", "meeting", "--json", "--store", store))
    assert [event["kind"] for event in pair["events"]] == ["meeting"]
    window = as_json(run("timeline", "--from", "2000", "--to", "2020", "--json", "--store", store))
    assert [event["date"] for event in window["events"]] == ["2019-11-27"]


def test_timeline_plain_when_not_a_terminal(store: str) -> None:
    """Piped output is tab-separated text with a header, no colours or box drawing."""
    result = run("timeline", "--store", store, env={"NO_COLOR": "1"})
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[1].split("\t") == ["date", "what", "parties", "source", "fact"]
    assert lines[2].startswith("1993\trelationship established (sisterhood)")
    assert not ANSI.search(result.stdout)


def test_provenance_json_contract(store: str) -> None:
    """provenance --json: its recorded-before bound, fact, source, quote, offsets, verification, history, notes."""
    fact_id = as_json(run("timeline", "--json", "--store", store))["events"][0]["fact_id"]
    data = as_json(run("provenance", fact_id[:8], "--json", "--store", store))
    assert set(data) == {"recorded_before", "fact", "source", "quote", "start", "end", "verified", "history", "notes"}
    assert data["recorded_before"] is None
    assert_fact_object(data["fact"])
    assert data["verified"] is True
    assert data["quote"] == SISTERHOOD_1993.quote
    assert [entry["event"] for entry in data["history"]] == ["recorded"]
    assert {"event", "recorded_at", "position"} <= set(data["history"][0])
    text = run("provenance", fact_id, "--store", store)
    assert text.exit_code == 0
    assert "quote verified" in text.stdout


def test_projections_json_contract(store: str) -> None:
    """projections --json lists each projection with its position and the head of the log."""
    data = as_json(run("projections", "--json", "--store", store))
    names = {entry["name"] for entry in data}
    assert {"facts", "relationships", "programs", "timeline", "actors", "sources", "ledger"} <= names
    for entry in data:
        assert {"name", "position", "head"} <= set(entry)
        assert entry["position"] == entry["head"]


def test_sources_and_actors(store: str) -> None:
    """sources and actors list what the store holds, in JSON too; actors matches names in any language."""
    sources = as_json(run("sources", "--json", "--store", store))
    assert [(source["document"], source["facts"], source["versions"]) for source in sources] == [("test-doc", 3, 1)]
    actors = as_json(run("actors", "京畿", "--json", "--store", store))
    assert [actor["code"] for actor in actors] == ["KR-41"]
    gangwon = as_json(run("actors", "KR-42", "--json", "--store", store))
    assert [(actor["code"], actor["former_codes"]) for actor in gangwon] == [("KR-51", ["KR-42"])]


def test_export_jsonl_csv_and_prov(store: str, tmp_path: Path) -> None:
    """export writes one fact object per line, a CSV row per fact, or a PROV-O JSON-LD graph."""
    lines = run("export", "--store", store).stdout.splitlines()
    assert len(lines) == 3
    for line in lines:
        assert_fact_object(orjson.loads(line))
    rows = list(csv.DictReader(io.StringIO(run("export", "--format", "csv", "--store", store).stdout)))
    assert [row["date"] for row in rows] == ["1993", "2019-11-27", "2024-06"]
    target = tmp_path / "prov.jsonld"
    assert run("export", "--format", "prov", "-o", str(target), "--store", store).exit_code == 0
    graph = orjson.loads(target.read_bytes())
    assert graph["@context"]["prov"] == "http://www.w3.org/ns/prov#"
    entities = [node for node in graph["@graph"] if node["@type"] == "prov:Entity" and "paradip:kind" in node]
    assert len(entities) == 3
    assert all("prov:wasQuotedFrom" in node and "prov:wasGeneratedBy" in node for node in entities)


def test_replay_and_view_a_user_projection(store: str) -> None:
    """replay module:Class builds a user's projection; view prints its rows; --all rebuilds every projection."""
    built = as_json(run("replay", "tests.user_projection:KindsPerDocument", "--json", "--store", store))
    assert [(entry["name"], entry["position"] == entry["head"]) for entry in built] == [("kinds_per_document", True)]
    rows = as_json(run("view", "kinds_per_document", "--json", "--store", store))
    assert {"document": "test-doc", "kind": "visit", "facts": 1} in rows
    everything = as_json(run("replay", "--all", "--from-scratch", "--json", "--store", store))
    assert {entry["name"] for entry in everything} >= {"facts", "relationships", "kinds_per_document"}


def test_a_failing_user_projection_is_one_line(store: str) -> None:
    """replay of a user's projection that raises: one line naming it, its error and where, exit 1, no traceback."""
    result = run("replay", "tests.user_projection:RefusesMeetings", "--store", store)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("paradip: projection refuses_meetings failed on the events after position 0")
    assert "ValueError: cannot handle meeting" in lines[0]
    assert "Traceback" not in result.output


def test_unregister_removes_a_user_projection_in_one_line(store: str) -> None:
    """unregister names the tables it dropped; a second time, a built-in, or a class that no longer loads are each
    one line, and the last removes the registration while saying its tables stay."""
    assert run("replay", "tests.user_projection:QuoteLengths", "--store", store).exit_code == 0
    removed = run("unregister", "quote_lengths", "--store", store)
    assert removed.exit_code == 0, removed.output
    assert removed.stdout.strip() == "Removed projection quote_lengths and its tables: quote_lengths_lengths_g1."
    again = run("unregister", "quote_lengths", "--store", store)
    assert again.exit_code == 1
    assert (
        again.stderr.strip() == "paradip: no projection named 'quote_lengths' is registered (see 'paradip projections')"
    )
    builtin = run("unregister", "timeline", "--store", store)
    assert builtin.exit_code == 1
    assert "built-in projection" in builtin.stderr
    assert run("replay", "tests.user_projection:QuoteLengths", "--store", store).exit_code == 0
    invalid = run("unregister", "Quote Lengths", "--store", store)
    assert invalid.exit_code == 1
    assert invalid.stderr.strip() == (
        "paradip: 'Quote Lengths' is not a valid name (lower-case letters, digits and _; start with a letter)"
    )
    with sqlite3.connect(store.removeprefix("sqlite:///")) as connection:
        connection.execute(
            "UPDATE projection_registry SET origin = 'tests.gone:Projection' WHERE name = 'quote_lengths'"
        )
    refused = run("unregister", "quote_lengths", "--store", store)
    assert refused.exit_code == 1
    assert len(refused.stderr.strip().splitlines()) == 1
    assert "cannot import module 'tests.gone'" in refused.stderr
    assert "--keep-tables" in refused.stderr
    gone = as_json(run("unregister", "quote_lengths", "--keep-tables", "--json", "--store", store))
    assert gone == {"projection": "quote_lengths", "class_loaded": False, "dropped": []}
    assert "quote_lengths" not in {row["name"] for row in as_json(run("projections", "--json", "--store", store))}


def test_a_projection_module_that_fails_to_load_is_one_line(store: str, tmp_path: Path) -> None:
    """A user's module that raises while it loads (not only an ImportError) is said in one line by replay,
    projections and unregister; no traceback."""
    module = tmp_path / "breaks_on_load.py"
    module.write_text("raise RuntimeError('configuration missing')\n", encoding="utf-8")
    sys.path.insert(0, str(tmp_path))
    try:
        replayed = run("replay", "breaks_on_load:Anything", "--store", store)
        assert replayed.exit_code == 1
        assert replayed.stderr.strip() == (
            "paradip: module 'breaks_on_load' for projection breaks_on_load:Anything failed to load: "
            "RuntimeError: configuration missing"
        )
        assert run("replay", "tests.user_projection:QuoteLengths", "--store", store).exit_code == 0
        with sqlite3.connect(store.removeprefix("sqlite:///")) as connection:
            connection.execute(
                "UPDATE projection_registry SET origin = 'breaks_on_load:Anything' WHERE name = 'quote_lengths'"
            )
        listed = run("projections", "--json", "--store", store)
        states = {row["name"]: row["state"] for row in as_json(listed)}
        assert states["quote_lengths"] == "cannot load breaks_on_load:Anything"
        removed = run("unregister", "quote_lengths", "--store", store)
        assert removed.exit_code == 1
        assert "Traceback" not in removed.output
        assert "RuntimeError: configuration missing" in removed.stderr
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("breaks_on_load", None)


def test_verify_passes_then_fails_on_tampering(store: str) -> None:
    """verify exits 0 on an intact store and 1, naming the problem, after a source text is edited in place."""
    ok = run("verify", "--json", "--store", store)
    assert ok.exit_code == 0
    assert orjson.loads(ok.stdout)["ok"] is True
    path = store.removeprefix("sqlite:///")
    with sqlite3.connect(path) as connection:
        rowid, state = connection.execute(
            "SELECT rowid, state FROM stored_events WHERE topic LIKE '%SourceRegistered'"
        ).fetchone()
        payload = orjson.loads(state)
        payload["text"] = payload["text"].replace("1993", "1992")
        connection.execute("UPDATE stored_events SET state = ? WHERE rowid = ?", (orjson.dumps(payload), rowid))
    failed = run("verify", "--store", store)
    assert failed.exit_code == 1
    assert "PROBLEM: source text" in failed.stdout


def test_correct_retract_and_resolve(store: str) -> None:
    """correct moves an answer (the tie of 1993, only possible on 1 June 1993, is definite once dated May
    1993); retract ends the contact the meeting made; resolve makes the named claim the preferred one of
    a conflict, and the state's 'since' follows it. Each command's effect is read back, not its exit code."""

    def state(b: str, as_of: str) -> Any:
        return as_json(run("state", "KR-41", b, "--as-of", as_of, "--json", "--store", store))

    events = as_json(run("timeline", "--json", "--store", store))["events"]
    tie, meeting = events[0]["fact_id"], events[1]["fact_id"]
    assert (state("CN-LN", "1993-06-01")["status"], state("CN-LN", "1993-06-01")["certainty"]) == (
        "sisterhood",
        "possible",
    )
    corrected = run(
        "correct", tie[:10], "--date", "1993-05", "--reason", "register says May", "--by", "analyst", "--store", store
    )
    assert corrected.exit_code == 0, corrected.output
    after = state("CN-LN", "1993-06-01")
    assert (after["status"], after["certainty"], after["since"]) == ("sisterhood", "definite", "1993-05")
    assert after["events"][0]["status"] == "corrected"

    assert state("cn:shenyang", "2020-01-01")["status"] == "contact"
    retracted = run(
        "retract", meeting[:10], "--reason", "refuted", "--note", "no meeting", "--by", "analyst", "--store", store
    )
    assert retracted.exit_code == 0, retracted.output
    assert state("cn:shenyang", "2020-01-01")["status"] == "unknown"
    history = as_json(run("provenance", meeting, "--json", "--store", store))["history"]
    assert [entry["event"] for entry in history] == ["recorded", "retracted"]
    again = run("retract", meeting[:10], "--reason", "refuted", "--by", "analyst", "--store", store)
    one_line_error(again, 1, "retracted and cannot be retracted again")

    app = open_app(store)
    try:
        app.ingest(world(fact(date="1994", quote="경기도와 랴오닝성은 자매결연을 맺었다")), at=AT)
    finally:
        app.close()
    (conflict,) = state("CN-LN", "2000-01-01")["conflicts"]
    other = next(claim["fact_id"] for claim in conflict["claims"] if claim["fact_id"] != tie)
    assert (conflict["preferred"], conflict["rule"], conflict["decided_by"]) == (tie, "more precise date", None)
    assert state("CN-LN", "2000-01-01")["since"] == "1993-05"
    resolved = run(
        "resolve", tie[:10], other[:10], "--prefer", other[:10], "--rule", "register", "--by", "desk", "--store", store
    )
    assert resolved.exit_code == 0, resolved.output
    answer = state("CN-LN", "2000-01-01")
    (conflict,) = answer["conflicts"]
    assert (conflict["preferred"], conflict["rule"], conflict["decided_by"]) == (other, "register", "desk")
    assert answer["since"] == "1994"
    history = as_json(run("provenance", other, "--json", "--store", store))["history"]
    assert [entry["event"] for entry in history] == ["recorded", "resolved"]


def test_chart_writes_a_picture(store: str, tmp_path: Path) -> None:
    """chart draws an actor's relationships abroad to SVG and PNG."""
    for name in ("gyeonggi.svg", "gyeonggi.png"):
        target = tmp_path / name
        result = run("chart", "KR-41", "--from", "1990", "--to", "2025", "-o", str(target), "--store", store)
        assert result.exit_code == 0, result.output
        assert target.stat().st_size > 1000
    assert (tmp_path / "gyeonggi.svg").read_text().lstrip().startswith("<?xml")


def test_an_actors_chart_names_each_row_by_its_partner(store: str, tmp_path: Path) -> None:
    """In one actor's chart each row is labelled by the partner alone; the chart of every tie names both."""
    mine, every = tmp_path / "mine.svg", tmp_path / "every.svg"
    assert run("chart", "KR-41", "--to", "2025", "-o", str(mine), "--store", store).exit_code == 0
    assert run("chart", "--to", "2025", "-o", str(every), "--store", store).exit_code == 0
    labels = set(re.findall(r"<!-- (.*?) -->", mine.read_text()))
    assert "Liaoning Province" in labels
    assert not any("–" in label for label in labels)
    every_labels = re.findall(r"<!-- (.*?) -->", every.read_text())
    assert any("Liaoning Province" in label and "–" in label for label in every_labels)


def test_store_before_the_command_serves_every_command(store: str, tmp_path: Path) -> None:
    """--store given before the command chooses the store; a command's own --store wins over it."""
    data = as_json(run("--store", store, "sources", "--json"))
    assert data[0]["document"] == "test-doc"
    empty = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    open_app(empty).close()
    assert as_json(run("--store", store, "sources", "--json", "--store", empty)) == []


def test_workers_need_postgresql(store: str) -> None:
    """Several workers share a PostgreSQL store; on SQLite follow --workers 2 is refused in one line, exit 2."""
    result = run("follow", "--workers", "2", "--for", "0.5", "--store", store)
    assert result.exit_code == 2
    assert "workers share a PostgreSQL store" in result.output


def test_projections_show_lag_and_worker(store: str) -> None:
    """The projections listing gives each one's lag behind the head and its worker (none on SQLite)."""
    data = as_json(run("projections", "--json", "--store", store))
    assert {row["name"]: (row["lag"], row["worker"]) for row in data}["facts"] == (0, None)


@pytest.mark.parametrize(
    ("args", "code", "fragments"),
    [
        (("state", "KR-41", "Atlantis", "--as-of", "2000"), 2, ("unknown actor 'Atlantis'",)),
        (("state", "Gyeongi", "CN-LN", "--as-of", "2000"), 2, ("unknown actor 'Gyeongi'", "closest", "KR-41")),
        (("state", "KR-41", "CN-LN", "--as-of", "2000-02-30"), 2, ("--as-of", "not a date")),
        (("state", "KR-41", "CN-LN", "--as-of", "last year"), 2, ("--as-of",)),
        (("state", "KR-41", "CN-LN", "--as-of", "2000", "--recorded-before", "soon"), 2, ("--recorded-before",)),
        (("partners", "KR-41"), 2, ("--as-of",)),
        (("provenance", "zz"), 2, ("not a fact id",)),
        (("provenance", "0000"), 2, ("no fact",)),
        (("replay",), 2, ("--all",)),
        (("replay", "nosuchmodule:Thing"), 1, ("cannot import module",)),
        (("replay", "no_such_projection"), 1, ("no projection named",)),
        (("chart", "KR-41", "-o", "picture.gif"), 2, (".svg or .png",)),
        (("timeline", "KR-41", "CN-LN", "CN-JL"), 2, ("at most two",)),
    ],
)
def test_usage_errors_are_one_line(store: str, args: tuple[str, ...], code: int, fragments: tuple[str, ...]) -> None:
    """A wrong argument is one line on stderr with exit code 2; a failure exits 1; never a traceback."""
    one_line_error(run(*args, "--store", store), code, *fragments)


def test_bad_store_url_is_one_line(tmp_path: Path) -> None:
    """An unusable store URL is refused in one line: exit 2 for a URL that names no store, 1 for one unreachable."""
    one_line_error(run("sources", "--store", "mysql://somewhere/db"), 2, "store URL")
    one_line_error(run("sources", "--store", "postgresql://nobody@127.0.0.1:1/none"), 1, "PostgreSQL")


def test_store_from_environment(store: str) -> None:
    """PARADIP_STORE chooses the store when --store is not given."""
    data = as_json(run("sources", "--json", env={"PARADIP_STORE": store}))
    assert data[0]["document"] == "test-doc"


def test_help_teaches() -> None:
    """--help lists the commands, and each command's help explains its dates."""
    overview = run("--help")
    assert overview.exit_code == 0
    for command in ("ingest", "state", "partners", "program", "timeline", "provenance", "export", "replay", "chart"):
        assert command in overview.stdout
    assert "a year or a month alone means its last day" in " ".join(run("state", "--help").stdout.split())


def test_a_fact_quoted_twice_is_refused_without_writing(sqlite_url: str) -> None:
    """An ingest refused for one bad fact writes nothing (through the API, as the CLI's ingest does)."""
    app = open_app(sqlite_url)
    try:
        from application.app import BatchRefused

        with pytest.raises(BatchRefused, match="more than once"):
            app.ingest(world(fact(quote="Province")), at=AT)
        assert app.head() == 0
    finally:
        app.close()


def test_ingest_creates_the_store_and_its_folder(tmp_path: Path) -> None:
    """The first write creates the store's folder and file, as make run does in a fresh data directory."""
    store = tmp_path / "fresh" / "data" / "paradip.sqlite"
    result = run("ingest", "--store", f"sqlite:///{store}")
    assert result.exit_code == 0, result.output
    assert store.is_file()
