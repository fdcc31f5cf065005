"""Growing the corpus safely: strict validation, a check that shows the impact, a document file as the
source of truth for its facts, actors that live in the store, folders, and help with quotes (issue 13)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.support import as_json, one_line_error, run

TEXT = (
    "Gyeonggi and Jilin become sister provinces\n\n"
    "Gyeonggi Province and Jilin Province raised their friendship to a sisterhood on June 26. "
    "The two provinces had kept a friendship since 2014. "
    "Governor Kim will visit Changchun next month. "
    "Jilin's governor said the ties would deepen."
)


def facts() -> list[dict[str, Any]]:
    return [
        {
            "kind": "relationship_upgraded",
            "parties": ["Gyeonggi", "Jilin"],
            "relative": "on June 26",
            "attributes": {"level": "sisterhood"},
            "quote": "raised their friendship to a sisterhood on June 26",
        },
        {
            "kind": "relationship_established",
            "parties": ["KR-41", "CN-JL"],
            "date": "2014",
            "attributes": {"level": "friendship"},
            "quote": "had kept a friendship since 2014",
        },
        {
            "kind": "visit",
            "modality": "planned",
            "parties": ["KR-41", "CN-JL"],
            "relative": "next month",
            "attributes": {"visitor": "Governor Kim", "destination": "Changchun"},
            "quote": "Governor Kim will visit Changchun next month",
        },
    ]


def write(folder: Path, *, text: str = TEXT, entries: list[dict[str, Any]] | None = None, **extra: Any) -> Path:
    """A document file and its text in ``folder``; returns the document file."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "story.txt").write_text(text, encoding="utf-8")
    data = {
        "document": "gyeonggi-jilin-2025",
        "title": "Gyeonggi and Jilin become sister provinces",
        "publisher": "Test desk",
        "kind": "news",
        "language": "en",
        "published": "2025-07-01",
        "text_file": "story.txt",
        **extra,
        "facts": facts() if entries is None else entries,
    }
    path = folder / "story.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def store(store_url: str, corpus_file: Path, tmp_path: Path) -> str:
    """The bundled corpus in a store of each kind."""
    if store_url.startswith("sqlite"):
        copy = tmp_path / "corpus.sqlite"
        shutil.copyfile(corpus_file, copy)
        return f"sqlite:///{copy}"
    assert run("ingest", "--store", store_url).exit_code == 0
    return store_url


def held(store: str) -> list[dict[str, Any]]:
    """The current facts of the test document."""
    events = as_json(run("timeline", "--json", "--store", store))["events"]
    return [event for event in events if event["source"]["document"] == "gyeonggi-jilin-2025"]


def head(store: str) -> int:
    return max(status["head"] for status in as_json(run("projections", "--json", "--store", store)))


# Strict validation


@pytest.mark.parametrize(
    ("change", "fragments"),
    [
        (
            {"attributes": {"level": "sistrhood"}},
            ("fact 1 (relationship_upgraded)", "attributes.level", "did you mean 'sisterhood'"),
        ),
        (
            {"kind": "relationship_established", "parties": ["KR-41"], "attributes": {"level": "sisterhood"}},
            ("fact 1", "parties", "at least 2"),
        ),
        ({"attributes": {"level": "marriage"}}, ("fact 1", "unknown level 'marriage'", "it takes:")),
        ({"attributes": {"level": "sisterhood", "colour": "red"}}, ("fact 1", "takes no attribute 'colour'")),
        ({"parties": ["KR-41", "KR-11"]}, ("fact 1", "parties", "two countries")),
        (
            {"relative": None, "date": "2099-05-01", "kind": "visit", "attributes": {}},
            ("fact 1 (visit)", "date", "published 2025-07-01"),
        ),
    ],
)
def test_the_registry_refuses_what_cannot_be_right(
    store: str, tmp_path: Path, change: dict[str, Any], fragments: tuple[str, ...]
) -> None:
    """A level typo, one party, an unknown level or attribute, a tie within one country, a future 'occurred' visit:
    one line naming the file, the fact, the field and the nearest valid value; nothing written."""
    entries = facts()
    entries[0] = {key: value for key, value in {**entries[0], **change}.items() if value is not None}
    path = write(tmp_path / "docs", entries=entries)
    before = head(store)
    one_line_error(run("ingest", str(path), "--store", store), 1, str(path), *fragments)
    assert head(store) == before


def test_an_unknown_actor_points_to_the_actors_block(store: str, tmp_path: Path) -> None:
    """The unknown-actor error says where to declare the actor, or how to read a misnamed one."""
    entries = facts()
    entries[2]["parties"] = ["KR-41", "Atlantis County"]
    path = write(tmp_path / "docs", entries=entries)
    one_line_error(
        run("ingest", str(path), "--store", store), 1, "fact 3", "Atlantis County", "actors:", "resolutions:"
    )


# The check shows the impact and writes nothing


def test_check_shows_the_impact_and_writes_nothing(store: str, tmp_path: Path) -> None:
    """The upgrade would raise Gyeonggi-Jilin from friendship to sisterhood; a later date conflicts with the corpus'."""
    path = write(tmp_path / "docs")
    before = head(store)
    report = as_json(run("ingest", "--check", str(path), "--as-of", "2025-12-31", "--json", "--store", store))
    assert head(store) == before
    assert report["facts_recorded"] == 3
    assert [change["change"] for change in report["impact"]["facts"]] == ["new", "new", "new"]
    (answer,) = [a for a in report["impact"]["answers"] if a["subject"] == ["CN-JL", "KR-41"]]
    assert answer["before"].startswith("friendship")
    assert answer["after"] == "sisterhood (definite) since 2025-06-26"
    text = run("ingest", "--check", str(path), "--as-of", "2025-12-31", "--store", store).stdout
    assert "nothing was written" in text
    assert "CN-JL – KR-41\tfriendship (definite) since 2014\tsisterhood (definite) since 2025-06-26" in text


def test_check_names_a_new_conflict_and_the_side_preferred(store: str, tmp_path: Path) -> None:
    """The file says the friendship began in 2013; the corpus says 2014: the check names the conflict and its rule."""
    entries = facts()
    entries[1]["date"] = "2013"
    path = write(
        tmp_path / "docs",
        text=TEXT.replace("since 2014", "since 2013"),
        entries=[{**entries[1], "quote": "had kept a friendship since 2013"}],
    )
    report = as_json(run("ingest", "--check", str(path), "--as-of", "2025-12-31", "--json", "--store", store))
    (conflict,) = report["impact"]["conflicts"]
    assert conflict["about"] == "relationship_established"
    assert conflict["rule"] == "more recent source"
    assert conflict["new_side_preferred"] is True


def test_check_on_a_store_that_does_not_exist_creates_none(tmp_path: Path) -> None:
    """--check on a missing store checks against an empty one and creates nothing."""
    path = write(tmp_path / "docs")
    missing = tmp_path / "none" / "store.sqlite"
    assert run("ingest", "--check", str(path), "--store", f"sqlite:///{missing}").exit_code == 0
    assert not missing.parent.exists()


# A document file is the source of truth


def test_edit_and_reingest_leaves_exactly_the_facts_the_file_states(store: str, tmp_path: Path) -> None:
    """Ingested, then edited (a date fixed, a fact removed, a sentence added to the text), then ingested again:
    the store holds exactly what the file states, fixed facts keep their ids, nothing is doubled."""
    folder = tmp_path / "docs"
    path = write(folder)
    first = as_json(run("ingest", str(path), "--json", "--store", store))
    assert first["facts_recorded"] == 3
    ids = {event["kind"]: event["fact_id"] for event in held(store)}
    entries = facts()
    entries[1]["date"] = "2014-07"
    del entries[2]
    write(folder, text=TEXT + " The ceremony took place in Suwon.", entries=entries)
    second = as_json(run("ingest", str(path), "--json", "--store", store))
    assert (
        second["facts_recorded"],
        second["facts_corrected"],
        second["facts_relocated"],
        second["facts_withdrawn"],
    ) == (0, 1, 1, 1)
    now = held(store)
    assert sorted((event["kind"], event["date"], event["source"]["quote"]) for event in now) == sorted(
        (entry["kind"], entry.get("date") or "2025-06-26", entry["quote"]) for entry in entries
    )
    assert {event["kind"]: event["fact_id"] for event in now} == {
        kind: ids[kind] for kind in ("relationship_upgraded", "relationship_established")
    }
    assert len({event["source"]["sha256"] for event in now}) == 1
    history = as_json(run("provenance", ids["relationship_established"], "--json", "--store", store))["history"]
    assert [entry["event"] for entry in history] == ["recorded", "corrected"]
    gone = as_json(run("provenance", ids["visit"], "--json", "--store", store))
    assert gone["fact"]["status"] == "retracted"
    assert gone["history"][-1]["reason"] == "withdrawn"
    assert as_json(run("ingest", str(path), "--json", "--store", store))["events_written"] == 0
    assert run("verify", "--store", store).exit_code == 0


def test_a_person_s_retraction_stays_while_the_file_states_the_fact(store: str, tmp_path: Path) -> None:
    """Re-ingesting the unchanged file does not bring back a fact a person retracted."""
    path = write(tmp_path / "docs")
    run("ingest", str(path), "--store", store)
    visit = next(event["fact_id"] for event in held(store) if event["kind"] == "visit")
    assert run("retract", visit, "--reason", "refuted", "--by", "analyst", "--store", store).exit_code == 0
    again = as_json(run("ingest", str(path), "--json", "--store", store))
    assert (again["facts_recorded"], again["facts_kept_retracted"]) == (0, 1)
    assert visit not in [event["fact_id"] for event in held(store)]


# Actors live in the store, folders, remembered paths, full ids


def test_an_actor_declared_by_one_document_serves_the_next(store: str, tmp_path: Path) -> None:
    """A county declared in one document's actors: block is named by a later document ingested alone."""
    county = {
        "code": "kr:yangpyeong",
        "level": "county",
        "country": "KR",
        "parent": "KR-41",
        "en": "Yangpyeong County",
        "ko": "양평군",
    }
    first = write(tmp_path / "one", actors=[county])
    assert run("ingest", str(first), "--store", store).exit_code == 0
    entries = [
        {
            **facts()[2],
            "parties": ["Yangpyeong County", "CN-JL"],
            "quote": "Governor Kim will visit Changchun next month",
        }
    ]
    second = write(tmp_path / "two", entries=entries)
    data = yaml.safe_load(second.read_text(encoding="utf-8"))
    data["document"] = "yangpyeong-jilin"
    second.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert run("ingest", str(second), "--store", store).exit_code == 0, run(
        "ingest", str(second), "--store", store
    ).output
    assert [e["parties"] for e in as_json(run("timeline", "양평군", "--json", "--store", store))["events"]]


def test_a_folder_is_remembered_and_read_again_with_full_ids(store: str, tmp_path: Path) -> None:
    """ingest DIR takes its documents; a plain ingest reads it again; the source column shows the full id."""
    folder = tmp_path / "docs"
    write(folder)
    assert as_json(run("ingest", str(folder), "--json", "--store", store))["facts_recorded"] == 3
    entries = facts()[:2]
    write(folder, entries=entries)
    assert as_json(run("ingest", "--json", "--store", store))["facts_withdrawn"] == 1
    table = run("timeline", "Gyeonggi", "Jilin", "--store", store).stdout
    assert "gyeonggi-jilin-2025" in table


# Authoring help


def test_quote_gives_offsets_counts_and_the_nearest_passage(tmp_path: Path) -> None:
    """Found: its offsets; twice: both, with advice; absent: the nearest passage and what differs (exit 1)."""
    path = write(tmp_path / "docs", text=TEXT + " Jilin’s governor.")
    found = as_json(run("quote", str(path), "had kept a friendship since 2014", "--json"))
    assert [(o["start"], o["end"]) for o in found["occurrences"]] == [
        (TEXT.index("had kept"), TEXT.index("had kept") + 32)
    ]
    twice = run("quote", str(path), "Jilin")
    assert twice.exit_code == 0
    assert "occurrences" in twice.stdout
    assert "give start:" in twice.stdout
    missing = run("quote", str(path), "Jilins governor")
    assert missing.exit_code == 1
    assert "nearest" in missing.stdout
    assert "differs" in missing.stdout
    error = run(
        "ingest",
        "--check",
        str(
            write(
                tmp_path / "other",
                entries=[{**facts()[0], "quote": "raised their friendship to a sisterhood on June 27"}],
            )
        ),
        "--store",
        f"sqlite:///{tmp_path / 'unwritten.sqlite'}",
    )
    one_line_error(error, 1, "quote not found", "nearest", "'7' → '6'")


def test_relative_dates_of_the_guide(tmp_path: Path) -> None:
    """'on June 26' is in the publication's year; 'next month' is the month after publication."""
    path = write(tmp_path / "docs")
    report = as_json(run("ingest", "--check", str(path), "--json", "--store", f"sqlite:///{tmp_path / 'none.sqlite'}"))
    dates = {change["kind"]: change["date"] for change in report["impact"]["facts"]}
    assert dates == {"relationship upgraded": "2025-06-26", "relationship established": "2014", "visit": "2025-08"}
