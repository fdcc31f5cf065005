"""The bundled corpus: every fact of the five documents, its answers, its names, and refused input."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from collections import Counter
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any
from uuid import uuid4

import orjson
import pytest
import yaml
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from corpus.loader import BUNDLED, load
from events.values import FactKind, Modality, Period
from tests.strategies import ATTRIBUTES, edtf_texts
from tests.support import as_json, fingerprint, run

MOFA_2024 = "000_133afd08bafd380c"
GYEONGGI_2024 = "001_7a5b80eda515433e"
INTERVIEW_2019 = "002_0998dd88170031c4"
GYEONGGI_2019 = "003_0796296e808ac17a"
YONHAP_2018 = "004_627ff228b1367395"
FUTURE_ORIENTED = "program:korea-china-future-oriented-exchange"
# The five seed documents are checked here fact by fact; the registers (test_registers.py) and the bundled
# news and press releases are other documents of the corpus, left out of these per-document tables.

COVERAGE = {
    MOFA_2024: {
        "exchange": 1,
        "meeting": 3,
        "office_held": 2,
        "program_resumed": 1,
        "program_round_held": 2,
        "program_started": 1,
        "program_suspended": 1,
        "statement": 7,
        "statistic": 4,
        "visit": 2,
    },
    GYEONGGI_2024: {
        "agreement_signed": 3,
        "conference_held": 2,
        "exchange": 4,
        "invitation": 3,
        "meeting": 4,
        "office_held": 8,
        "organization_established": 1,
        "relationship_established": 3,
        "statement": 4,
        "visit": 3,
    },
    INTERVIEW_2019: {
        "conference_held": 8,
        "office_held": 4,
        "organization_established": 1,
        "program_round_held": 1,
        "program_started": 1,
        "relationship_established": 1,
        "exchanges_disrupted": 1,
        "statement": 6,
        "statistic": 7,
    },
    GYEONGGI_2019: {
        "agreement_reached": 1,
        "exchange": 1,
        "invitation": 1,
        "meeting": 2,
        "office_held": 4,
        "relationship_established": 4,
        "statement": 7,
        "visit": 4,
    },
    YONHAP_2018: {
        "agreement_reached": 1,
        "agreement_signed": 1,
        "conference_held": 2,
        "exchanges_disrupted": 1,
        "exchanges_resumed": 1,
        "meeting": 1,
        "office_held": 2,
        "statement": 2,
        "visit": 3,
    },
}


@pytest.fixture
def corpus(corpus_file: Path, tmp_path: Path) -> str:
    """A store of its own for one test, copied from the ingested corpus."""
    copy = tmp_path / "store.sqlite"
    shutil.copyfile(corpus_file, copy)
    return f"sqlite:///{copy}"


def timeline(store: str, *args: str) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = as_json(run("timeline", *args, "--json", "--store", store))["events"]
    return events


def one(events: list[dict[str, Any]], **where: Any) -> dict[str, Any]:
    """The single fact whose fields (and ``quote`` inside its source) match ``where``."""
    found = [
        event
        for event in events
        if all(
            (event["source"]["quote"] if key == "quote" else event[key]) == value
            or (key == "quote" and value in event["source"]["quote"])
            for key, value in where.items()
        )
    ]
    assert len(found) == 1, (where, [event["source"]["quote"] for event in found])
    return found[0]


# Coverage


def test_every_document_is_covered_kind_by_kind() -> None:
    """The facts per document and per kind, as the table above lists them: coverage at a glance."""
    loaded = load()
    counted: dict[str, Counter[str]] = {}
    for fact in loaded.batch.facts:
        if fact.document in COVERAGE:
            counted.setdefault(fact.document, Counter())[str(fact.kind)] += 1
    assert {document: dict(kinds) for document, kinds in counted.items()} == COVERAGE
    per_document = {document: count for document, count in loaded.facts_per_document if document in COVERAGE}
    assert per_document == {document: sum(kinds.values()) for document, kinds in COVERAGE.items()}


def test_ingest_records_every_fact_of_the_five_documents(corpus: str) -> None:
    """A fresh store holds all 125 facts, from five sources whose texts are the seeds verbatim."""
    events = timeline(corpus)
    per_document = Counter(event["source"]["document"] for event in events if event["source"]["document"] in COVERAGE)
    assert per_document == {document: sum(kinds.values()) for document, kinds in COVERAGE.items()}
    sources = as_json(run("sources", "--json", "--store", corpus))
    assert {source["document"]: source["sha256"] for source in sources if source["document"] in COVERAGE} == {
        document: hashlib.sha256((BUNDLED / "sources" / f"{document}.txt").read_bytes()).hexdigest()
        for document in COVERAGE
    }


def test_ingesting_the_corpus_again_writes_nothing_and_says_so(corpus: str) -> None:
    """The same corpus a second time: no event written, and the message says so."""
    before = as_json(run("projections", "--json", "--store", corpus))[0]["head"]
    result = run("ingest", "--store", corpus)
    assert result.exit_code == 0
    assert "Nothing new" in result.stdout
    assert as_json(run("projections", "--json", "--store", corpus))[0]["head"] == before


# A sample of facts, by value


def test_sisterhood_of_1993_keeps_its_year(corpus: str) -> None:
    fact = one(timeline(corpus, "KR-41", "CN-LN", "--kind", "relationship_established"), date="1993")
    assert fact["parties"] == ["CN-LN", "KR-41"]
    assert fact["attributes"]["level"] == "sisterhood"
    assert fact["modality"] == "occurred"
    assert (
        fact["source"]["quote"]
        == "Gyeonggi Province established a sisterhood relationship with Liaoning Province in 1993"
    )
    assert fact["source"]["published"] == "2024-04-24"


def test_parliamentary_friendship_is_thirty_years_before_publication_approximately(corpus: str) -> None:
    fact = one(
        timeline(corpus, "--kind", "relationship_established"), quote="parliamentary friendship ties 30 years ago"
    )
    assert fact["parties"] == ["CN-LN", "org:gyeonggi-provincial-assembly"]
    assert fact["date"] == "1994~"
    assert fact["attributes"]["level"] == "parliamentary_friendship"


def test_last_october_is_read_against_the_publication_date(corpus: str) -> None:
    fact = one(timeline(corpus, "KR-41", "CN-LN", "--kind", "visit"), quote="last October")
    assert fact["date"] == "2023-10"
    assert fact["modality"] == "occurred"


def test_friendships_for_economic_cooperation_keep_their_years(corpus: str) -> None:
    facts = [
        event
        for event in timeline(corpus, "KR-41", "--kind", "relationship_established")
        if event["source"]["document"] == GYEONGGI_2019
    ]
    assert {(event["parties"][0], event["date"]) for event in facts} == {
        ("CN-TJ", "2008"),
        ("CN-JS", "2011"),
        ("CN-JL", "2014"),
        ("CN-HL", "2016"),
    }
    assert {event["attributes"]["purpose"] for event in facts} == {"economic cooperation"}


def test_meeting_in_chongqing(corpus: str) -> None:
    fact = one(timeline(corpus, "KR-41", "CN-CQ", "--kind", "meeting"), quote="In a meeting held at 3 pm")
    assert fact["date"] == "2019-11-27"
    assert "Foreign Affairs Office of the Chongqing Municipal People’s Government" in fact["source"]["quote"]
    assert "Lee Jae-myung (Governor of Gyeonggi Province)" in fact["attributes"]["participants"]


def test_programme_start_suspension_resumption_and_round(corpus: str) -> None:
    events = timeline(corpus, FUTURE_ORIENTED)
    assert one(events, kind="program_started")["date"] == "1999"
    suspended = one(events, kind="program_suspended")
    assert (suspended["date"], suspended["attributes"]["reason"]) == ("2020", "COVID-19")
    assert one(events, kind="program_resumed")["date"] == "2024"
    assert one(events, kind="program_round_held", date="2024-09")["attributes"]["round"] == "1st round of 2024"


def test_conference_attendance_and_place(corpus: str) -> None:
    events = timeline(corpus, "conference:korea-china-local-government-exchange", "--kind", "conference_held")
    first = one(events, date="2002-05")
    assert "CN-GX" in first["parties"]
    assert (first["attributes"]["korean_participants"], first["attributes"]["chinese_participants"]) == (9, 15)
    guizhou = one(events, quote="Guizhou Province in August")
    assert guizhou["date"] == "2019-08"
    assert guizhou["attributes"]["participants"] == 227


def test_planned_and_expected_facts_keep_their_modality(corpus: str) -> None:
    events = timeline(corpus)
    davos = one(events, kind="conference_held", quote="the Summer Davos Forum to be held in Dalian City")
    assert (davos["modality"], davos["date"]) == ("planned", "2024-06")
    sisterhood = one(events, kind="agreement_signed", modality="expected")
    assert sisterhood["source"]["document"] == YONHAP_2018


def test_statistics_and_offices(corpus: str) -> None:
    events = timeline(corpus)
    ties = one(events, quote="645 cases")
    assert (ties["attributes"]["value"], ties["parties"]) == (645, ["CN", "KR"])
    k2h = one(events, quote="583 of them")
    assert k2h["attributes"]["value"] == 583
    office = one(events, kind="office_held", quote="Liaoning Provincial Party Secretary Hao Feng")
    assert (office["attributes"]["person"], office["date"]) == ("Hao Feng", "2024-04-24")


def test_relative_days_of_an_uncertain_publication_span_it(corpus: str) -> None:
    """'On Tuesday' in a story known only to be of 2018 can be any Tuesday of 2018 (or 1 January 2019)."""
    fact = one(timeline(corpus, "--kind", "conference_held"), quote="set to open in Beijing on Tuesday")
    assert fact["modality"] == "planned"
    assert fact["date"] == "2018-01-02/2019-01-01"


# The answers the issues ask for


@pytest.mark.parametrize(
    ("as_of", "status", "certainty"),
    [
        ("1992-06-01", "none", "definite"),
        ("1993-06-15", "sisterhood", "possible"),
        ("2000-01-01", "sisterhood", "definite"),
    ],
)
def test_gyeonggi_and_liaoning(corpus: str, as_of: str, status: str, certainty: str) -> None:
    answer = as_json(run("state", "KR-41", "CN-LN", "--as-of", as_of, "--json", "--store", corpus))
    assert (answer["status"], answer["certainty"]) == (status, certainty)


def test_nothing_known_of_the_1993_tie_from_sources_published_by_2020(corpus: str) -> None:
    """No source published by 2020 speaks of the pair: the answer is unknown, not none."""
    answer = as_json(
        run("state", "KR-41", "CN-LN", "--as-of", "2000-01-01", "--known-at", "2020-01-01", "--json", "--store", corpus)
    )
    assert (answer["status"], answer["certainty"], answer["events"]) == ("unknown", "definite", [])


@pytest.mark.parametrize(
    ("known_at", "documents"),
    [
        ("2017-12-31", []),
        ("2018-01-01", [YONHAP_2018]),
        ("2019-08-01", [INTERVIEW_2019, YONHAP_2018]),
        ("2019-12-09", [INTERVIEW_2019, YONHAP_2018]),
        ("2019-12-10", [INTERVIEW_2019, GYEONGGI_2019, YONHAP_2018]),
        ("2024-09-22", [GYEONGGI_2024, INTERVIEW_2019, GYEONGGI_2019, YONHAP_2018]),
        ("2024-09-23", list(COVERAGE)),
    ],
)
def test_the_timeline_known_at_a_date_lists_every_fact_of_the_sources_out_by_then(
    corpus: str, known_at: str, documents: list[str]
) -> None:
    """timeline --known-at keeps the facts of each seed source that may have been published by then (the 2019
    interview from the first of August, inside its uncertain span), all of them, counted from the table above."""
    events = timeline(corpus, "--known-at", known_at)
    seeds = Counter(event["source"]["document"] for event in events if event["source"]["document"] in COVERAGE)
    assert seeds == {document: sum(COVERAGE[document].values()) for document in documents}


@pytest.mark.parametrize(
    ("as_of", "status"),
    [("2010-06-30", "active"), ("2022-06-30", "suspended"), ("2024-10-15", "active")],
)
def test_future_oriented_exchange_program(corpus: str, as_of: str, status: str) -> None:
    answer = as_json(run("program", FUTURE_ORIENTED, "--as-of", as_of, "--json", "--store", corpus))
    assert (answer["status"], answer["certainty"]) == (status, "definite")


def test_gyeonggi_partners_in_mid_2012(corpus: str) -> None:
    """The documents' ties are definite; the two a list prints without a date are only possible on any day."""
    answer = as_json(run("partners", "KR-41", "--as-of", "2012-06-30", "--json", "--store", corpus))
    assert {partner["party"]: (partner["status"], partner["certainty"]) for partner in answer["partners"]} == {
        "CN-LN": ("sisterhood", "definite"),
        "CN-TJ": ("friendship", "definite"),
        "CN-JS": ("friendship", "definite"),
        "CN-GD": ("sisterhood", "possible"),
        "CN-SD": ("sisterhood", "definite"),
        "CN-HE": ("sisterhood", "possible"),
    }


# Names


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Gyeonggi-do", "KR-41"),
        ("Gyeonggi Province", "KR-41"),
        ("경기도", "KR-41"),
        ("京畿道", "KR-41"),
        ("gyeonggi", "KR-41"),
        ("Liaoning", "CN-LN"),
        ("辽宁省", "CN-LN"),
        ("랴오닝성", "CN-LN"),
        ("요령성", "CN-LN"),
        ("Zhejiang", "CN-ZJ"),
        ("浙江省", "CN-ZJ"),
        ("저장성", "CN-ZJ"),
        ("Gangwon-do", "KR-51"),
        ("KR-42", "KR-51"),
        ("강원특별자치도", "KR-51"),
    ],
)
def test_names_in_three_languages_resolve_to_one_actor(corpus: str, name: str, code: str) -> None:
    answer = as_json(run("partners", name, "--as-of", "2024-12-31", "--json", "--store", corpus))
    assert answer["actor"] == code


def test_an_ambiguous_name_is_refused_with_its_candidates(corpus: str) -> None:
    """'산시성' is both Shanxi and Shaanxi in Korean: the answer lists both and guesses neither."""
    result = run("partners", "산시성", "--as-of", "2024-12-31", "--store", corpus)
    assert result.exit_code == 2
    assert "CN-SN" in result.stderr
    assert "CN-SX" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_zhenjiang_province_resolves_to_zhejiang_with_its_note_in_provenance(corpus: str) -> None:
    fact = one(timeline(corpus, "CN-ZJ", "--kind", "statistic"))
    assert fact["source"]["quote"] == "Zhenjiang Province: USD 1.15 trillion (4th- largest)"
    provenance = as_json(run("provenance", fact["fact_id"], "--json", "--store", corpus))
    assert provenance["verified"] is True
    assert any("'Zhenjiang Province' read as CN-ZJ" in note and "Zhejiang" in note for note in provenance["notes"])


def test_guangxi_spelling_resolves_with_its_note(corpus: str) -> None:
    fact = one([event for event in timeline(corpus, "CN-GX") if event["source"]["document"] in COVERAGE])
    provenance = as_json(run("provenance", fact["fact_id"], "--json", "--store", corpus))
    assert any("Guangxi Zhuang Autonomous Region" in note for note in provenance["notes"])


# Editing a document


def test_an_edited_document_is_a_new_version_of_its_source(corpus: str, tmp_path: Path) -> None:
    """The edited text is recorded as a revision; each of the document's facts (counted from the table above, not
    by the loader) keeps its identity, its quote re-located in the new version; none is doubled."""
    document = _document_copy(tmp_path, YONHAP_2018)
    before = [event["fact_id"] for event in timeline(corpus) if event["source"]["document"] == YONHAP_2018]
    text = document.parent / f"{YONHAP_2018}.txt"
    edited = text.read_text(encoding="utf-8") + "\nCorrection appended.\n"
    text.write_text(edited, encoding="utf-8")
    facts = sum(COVERAGE[YONHAP_2018].values())
    summary = as_json(run("ingest", str(document), "--json", "--store", corpus))
    assert (summary["sources_revised"], summary["facts_recorded"], summary["facts_relocated"]) == (1, 0, facts)
    after = [event for event in timeline(corpus) if event["source"]["document"] == YONHAP_2018]
    assert sorted(event["fact_id"] for event in after) == sorted(before)
    assert {event["source"]["sha256"] for event in after} == {hashlib.sha256(edited.encode("utf-8")).hexdigest()}
    assert run("verify", "--store", corpus).exit_code == 0


# Refused input: one line naming the file and the fact, exit 1, nothing written


def _document_copy(directory: Path, document: str) -> Path:
    """A copy of a bundled document file and its text, outside the package."""
    target = directory / f"{document}.yaml"
    shutil.copyfile(BUNDLED / "documents" / f"{document}.yaml", target)
    shutil.copyfile(BUNDLED / "sources" / f"{document}.txt", directory / f"{document}.txt")
    return target


def _edit(path: Path, change: Callable[[dict[str, Any]], None]) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _set_fact(number: int, **values: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        data["facts"][number - 1].update(values)
        for key, value in values.items():
            if value is None:
                del data["facts"][number - 1][key]

    return change


def _store_state(url: str) -> tuple[int, tuple[int, str], tuple[tuple[object, ...], ...]]:
    """What an ingest could have written, in a line: the events (count and digest) and the projections'
    registry. (The file's bytes are no measure: SQLite may move pages in a checkpoint.)"""
    with closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as connection:
        events = connection.execute("SELECT rowid, originator_id, originator_version, topic, state FROM stored_events")
        digest = fingerprint(events.fetchall())
        registry = tuple(sorted(connection.execute("SELECT * FROM projection_registry").fetchall()))
        return digest[0], digest, registry


@pytest.fixture
def refused(corpus: str) -> Callable[..., str]:
    """Runs an ingest expected to fail; returns its one-line error after checking the store is unchanged."""
    before = _store_state(corpus)

    def check(*paths: Path) -> str:
        result = run("ingest", *map(str, paths), "--store", corpus)
        assert result.exit_code == 1, result.output
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert "Traceback" not in result.output
        assert _store_state(corpus) == before
        return lines[0]

    return check


BAD_FACTS = [
    ("a quote not in its document", {"quote": "Seoul and Pyongyang signed a sisterhood"}, "not found"),
    ("an unparsable date", {"date": "2018-13", "relative": None}, "date"),
    ("an impossible date", {"date": "2023-02-29", "relative": None}, "2023-02-29"),
    ("an unknown party", {"parties": ["Atlantis Province"]}, "Atlantis Province"),
    ("an ambiguous party", {"parties": ["산시성"]}, "CN-SN"),
    ("an unknown kind", {"kind": "treaty"}, "treaty"),
    ("an unknown modality", {"modality": "rumoured"}, "rumoured"),
    ("a control character", {"quote": "Seoul\x07 Mayor"}, "U+0007"),
    ("a huge field", {"quote": "x" * 20_000}, "at most"),
    ("a deeply nested attribute", {"attributes": {"place": [[[[["deep"]]]]]}}, "attribute"),
    ("an absurd date", {"date": "99999-01-01", "relative": None}, "date"),
    ("an unreadable relative date", {"relative": "when pigs fly", "date": None}, "relative"),
    ("a quote not at its given start", {"start": 3}, "not at offset 3"),
    ("a period ending before it starts", {"date": "2024/2020", "relative": None}, "ends before it starts"),
    ("a number too large to store", {"attributes": {"count": 2**70}}, "'count' is a number too large"),
    ("a number that is not finite", {"attributes": {"share": float("nan")}}, "finite"),
]


@pytest.mark.parametrize(("case", "values", "fragment"), BAD_FACTS, ids=[case for case, _, _ in BAD_FACTS])
def test_a_bad_fact_is_refused_naming_file_and_fact(
    refused: Callable[..., str], tmp_path: Path, case: str, values: dict[str, Any], fragment: str
) -> None:
    document = _document_copy(tmp_path, YONHAP_2018)
    _edit(document, _set_fact(7, **values))
    message = refused(document)
    assert str(document) in message
    assert "fact 7" in message
    assert fragment in message


def test_a_quote_that_occurs_twice_needs_its_offset(refused: Callable[..., str], tmp_path: Path) -> None:
    document = _document_copy(tmp_path, YONHAP_2018)
    _edit(document, _set_fact(1, quote="Beijing conference"))
    assert "more than once" in refused(document)


def test_a_missing_path_is_refused(refused: Callable[..., str], tmp_path: Path) -> None:
    assert "no such" in refused(tmp_path / "absent.yaml")


def test_malformed_yaml_is_refused_with_its_line(refused: Callable[..., str], tmp_path: Path) -> None:
    document = tmp_path / "broken.yaml"
    document.write_text("document: x\nfacts: [\n  - kind: meeting\n", encoding="utf-8")
    assert "malformed YAML" in refused(document)


def test_a_binary_file_is_refused(refused: Callable[..., str], tmp_path: Path) -> None:
    document = tmp_path / "picture.yaml"
    document.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert "binary" in refused(document)


def test_invalid_utf8_in_a_source_text_is_refused(refused: Callable[..., str], tmp_path: Path) -> None:
    document = _document_copy(tmp_path, YONHAP_2018)
    text = document.parent / f"{YONHAP_2018}.txt"
    text.write_bytes(text.read_bytes() + b"\xff\xfe broken")
    assert "not UTF-8" in refused(document)


def test_a_document_without_a_publication_date_is_refused(refused: Callable[..., str], tmp_path: Path) -> None:
    document = _document_copy(tmp_path, YONHAP_2018)
    _edit(document, lambda data: data.pop("published"))
    assert "missing published" in refused(document)


def test_one_bad_file_among_good_ones_writes_nothing(refused: Callable[..., str], tmp_path: Path) -> None:
    good = _document_copy(tmp_path, GYEONGGI_2019)
    bad = _document_copy(tmp_path, YONHAP_2018)
    _edit(good, _set_fact(1, quote="a sentence that is nowhere"))
    _edit(bad, lambda data: data.update(title="An edited title"))
    assert "not found" in refused(bad, good)


# Fuzzing: whatever the file holds, a clear error or a good ingest, never a traceback or a partial write.
# The inputs vary from run to run (hypothesis prints the seed of a failing one); an accepted ingest is
# checked for what it wrote.

FUZZ = settings(
    max_examples=30,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
JSON_LIKE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=40,
)
FACT_FIELDS = st.sampled_from(["kind", "modality", "parties", "date", "relative", "attributes", "quote", "start"])
YONHAP_TEXT = (BUNDLED / "sources" / f"{YONHAP_2018}.txt").read_text(encoding="utf-8")


@st.composite
def unique_quotes(draw: st.DrawFn) -> str:
    """A span of the document's text that occurs in it once."""
    start = draw(st.integers(min_value=0, max_value=len(YONHAP_TEXT) - 30))
    quote = YONHAP_TEXT[start : start + draw(st.integers(min_value=12, max_value=80))].strip()
    assume(quote and YONHAP_TEXT.count(quote) == 1)
    return quote


PLAUSIBLE = {
    "kind": st.sampled_from([str(kind) for kind in FactKind]),
    "modality": st.sampled_from([str(modality) for modality in Modality]),
    "date": edtf_texts(),
    "quote": unique_quotes(),
    "attributes": ATTRIBUTES,
}


@st.composite
def fields_and_values(draw: st.DrawFn) -> tuple[str, Any]:
    """A field of a fact and a value for it: anything JSON-like, or (as often) a value of the right shape."""
    field = draw(FACT_FIELDS)
    return field, draw(JSON_LIKE | PLAUSIBLE.get(field, JSON_LIKE))


def _facts_recorded(url: str) -> list[dict[str, Any]]:
    with closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as connection:
        rows = connection.execute("SELECT state FROM stored_events WHERE topic LIKE '%:FactRecorded'").fetchall()
    return [orjson.loads(row[0]) for row in rows]


def _facts_retracted(url: str) -> int:
    with closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as connection:
        query = "SELECT COUNT(*) FROM stored_events WHERE topic LIKE '%:FactRetracted'"
        (count,) = connection.execute(query).fetchone()
    return int(count)


def _ingest_is_clean(store_file: Path, directory: Path, document: Path) -> list[dict[str, Any]]:
    """Ingest a (fuzzed) document into a fresh copy of the corpus store: a refusal is one line that writes
    nothing; an acceptance writes facts whose quotes stand at their offsets in the text on disk, that the
    read models list (all but the withdrawn ones), and that a second ingest of the same file does not write
    again. Returns the facts the ingest recorded. Each example gets a file of its own, so no write-ahead log
    of an earlier one can meet a later copy."""
    store_copy = directory / f"store-{uuid4().hex}.sqlite"
    shutil.copyfile(store_file, store_copy)
    url = f"sqlite:///{store_copy}"
    before = _store_state(url)
    held = {orjson.dumps(fact["citation"]) for fact in _facts_recorded(url)}
    result = run("ingest", str(document), "--store", url)
    event("refused" if result.exit_code else "accepted")
    if result.exit_code != 0:
        assert result.exit_code in {1, 2}, result.output
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert _store_state(url) == before
        return []
    text = (document.parent / f"{YONHAP_2018}.txt").read_bytes().decode("utf-8")
    written = [fact for fact in _facts_recorded(url) if orjson.dumps(fact["citation"]) not in held]
    for fact in written:
        citation = fact["citation"]
        assert text[citation["start"] : citation["end"]] == citation["quote"]
        assert citation["sha256"] == hashlib.sha256(text.encode("utf-8")).hexdigest()
    listed = {event["fact_id"] for event in timeline(url)}
    assert len(listed) == len(_facts_recorded(url)) - _facts_retracted(url)
    assert run("verify", "--store", url).exit_code == 0
    again = run("ingest", str(document), "--store", url)
    assert again.exit_code == 0
    assert "Nothing new" in again.stdout
    return written


@FUZZ
@given(position=st.integers(min_value=0), cut=st.integers(min_value=0, max_value=200), noise=st.binary(max_size=60))
def test_fuzzed_bytes_in_a_document_file(
    corpus_file: Path, tmp_path: Path, position: int, cut: int, noise: bytes
) -> None:
    """Random bytes spliced into a document file (invalid UTF-8, control characters, broken YAML)."""
    document = _document_copy(tmp_path, YONHAP_2018)
    data = document.read_bytes()
    at = position % (len(data) + 1)
    document.write_bytes(data[:at] + noise + data[at + cut :])
    _ingest_is_clean(corpus_file, tmp_path, document)


@FUZZ
@given(number=st.integers(min_value=1, max_value=12), field_and_value=fields_and_values())
def test_fuzzed_values_in_a_fact(
    corpus_file: Path, tmp_path: Path, number: int, field_and_value: tuple[str, Any]
) -> None:
    """Any JSON-like value (deeply nested, huge, absurd) or a plausible one in any field of a fact; when
    accepted, the fact is stored with that value (a changed fact has a new id, so it is written anew)."""
    field, value = field_and_value
    document = _document_copy(tmp_path, YONHAP_2018)
    given_value = value if value is not None else ""
    _edit(document, _set_fact(number, **{field: given_value}))
    written = _ingest_is_clean(corpus_file, tmp_path, document)
    stored = {
        "kind": [fact["kind"] for fact in written],
        "modality": [fact["modality"] for fact in written],
        "quote": [fact["citation"]["quote"] for fact in written],
    }
    if written and field in stored:
        assert stored[field] == [given_value]


@FUZZ
@given(date=edtf_texts() | st.text(alphabet="0123456789-/.~?%X ", max_size=24) | st.integers().map(str))
def test_fuzzed_dates(corpus_file: Path, tmp_path: Path, date: str) -> None:
    """Absurd, impossible and malformed dates: refused with a one-line error, or read as EDTF and stored so."""
    document = _document_copy(tmp_path, YONHAP_2018)
    _edit(document, _set_fact(7, date=date, relative=None))
    written = _ingest_is_clean(corpus_file, tmp_path, document)
    if written:
        assert [fact["date"]["edtf"] for fact in written] == [Period.from_edtf(date).edtf]


def test_a_deeply_nested_document_is_refused(refused: Callable[..., str], tmp_path: Path) -> None:
    document = tmp_path / "deep.yaml"
    document.write_text("facts: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    message = refused(document)
    assert "malformed YAML" in message or "missing" in message


def test_partners_are_governments_abroad_not_forums_or_troupes(corpus: str) -> None:
    """With every contact included, Gyeonggi's partners are governments and their bodies, never a forum or a ballet."""
    answer = as_json(run("partners", "KR-41", "--as-of", "2024-12-31", "--all", "--json", "--store", corpus))
    parties = {partner["party"] for partner in answer["partners"]}
    assert {"CN-LN", "CN-CQ", "CN-TJ", "CN-JS", "CN-JL", "CN-HL"} <= parties
    assert not parties & {"conference:davos", "org:liaoning-ballet", "org:liaoning-provincial-museum"}
    assert not any(party.startswith("KR") for party in parties)


@pytest.mark.postgres
def test_postgresql_gives_the_same_answers_on_the_corpus(corpus: str, postgres_url: str) -> None:
    """The bundled corpus ingested into PostgreSQL: the same facts, states, partners and programmes as SQLite."""
    assert run("ingest", "--store", postgres_url).exit_code == 0

    def without_recorded_times(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{key: value for key, value in event.items() if key != "recorded_at"} for event in events]

    assert without_recorded_times(timeline(postgres_url)) == without_recorded_times(timeline(corpus))
    questions = [
        ("state", "KR-41", "CN-LN", "--as-of", "1993-06-15"),
        ("state", "KR-41", "CN-LN", "--as-of", "2000-01-01", "--known-at", "2020-01-01"),
        ("partners", "KR-41", "--as-of", "2012-06-30"),
        ("program", FUTURE_ORIENTED, "--as-of", "2022-06-30"),
    ]
    for question in questions:
        answers = [as_json(run(*question, "--json", "--store", store)) for store in (postgres_url, corpus)]
        for answer in answers:
            answer["events"] = without_recorded_times(answer.get("events", []))
        assert answers[0] == answers[1], question
