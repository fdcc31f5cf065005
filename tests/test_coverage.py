"""Coverage: the Korea-China ties between sub-national governments the store knows, beside the sources' own counts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import attrs
import pytest

from application.app import IngestBatch, Paradip
from application.bootstrap import open_app
from corpus.loader import bundled_registers
from domain.facts import FactDraft
from events.values import Attributes, FactKind, Modality, Period
from tests.builders import ACTORS, SOURCE
from tests.conftest import AT
from tests.support import as_json, run

TEXT = (
    "Gyeonggi and Liaoning: sister provinces since 1993. Gyeonggi and Jilin: friendship since 2014. "
    "Suwon and Shenyang: friendship since 2010. Gangwon and Jilin met in 2019. "
    "The ties between the two countries' local governments reached 645 cases."
)


def tie(parties: tuple[str, str], date: str, level: str, quote: str) -> FactDraft:
    return FactDraft(
        kind=FactKind.RELATIONSHIP_ESTABLISHED,
        modality=Modality.OCCURRED,
        parties=parties,
        date=Period.from_edtf(date),
        attributes=Attributes.of({"level": level}),
        document="ties",
        quote=quote,
    )


@pytest.fixture
def app(store_url: str) -> Iterator[Paradip]:
    application = open_app(store_url)
    source = attrs.evolve(SOURCE, document="ties", text=TEXT, published=Period.from_edtf("2019"))
    facts = (
        tie(("KR-41", "CN-LN"), "1993", "sisterhood", "Gyeonggi and Liaoning: sister provinces since 1993"),
        tie(("KR-41", "CN-JL"), "2014", "friendship", "Gyeonggi and Jilin: friendship since 2014"),
        tie(("kr:suwon", "cn:shenyang"), "2010", "friendship", "Suwon and Shenyang: friendship since 2010"),
        FactDraft(
            kind=FactKind.MEETING,
            modality=Modality.OCCURRED,
            parties=("KR-42", "CN-JL"),
            date=Period.from_edtf("2019"),
            document="ties",
            quote="Gangwon and Jilin met in 2019",
        ),
        FactDraft(
            kind=FactKind.STATISTIC,
            modality=Modality.OCCURRED,
            parties=("KR", "CN"),
            date=Period.from_edtf("2019"),
            attributes=Attributes.of({"measure": "local ties", "value": 645, "unit": "ties"}),
            document="ties",
            quote="reached 645 cases",
        ),
    )
    application.ingest(IngestBatch(actors=ACTORS, sources=(source,), facts=facts), at=AT)
    try:
        yield application
    finally:
        application.close()


def test_coverage_counts_formal_ties_by_level_and_province(app: Paradip) -> None:
    """Three formal ties (a meeting is no tie), by level and by first-level subdivision, beside the stated 645."""
    answer = app.coverage(as_of=date(2020, 1, 1))
    assert (answer.ties, answer.definite) == (3, 3)
    assert dict(answer.by_level) == {"friendship": 2, "sisterhood": 1}
    provinces = {country: {count.code: count.ties for count in counts} for country, counts in answer.by_province}
    assert provinces == {"KR": {"KR-41": 3}, "CN": {"CN-LN": 2, "CN-JL": 1}}
    assert [(stated.value, stated.date) for stated in answer.stated] == [(645, "2019")]
    assert answer.share == pytest.approx(3 / 645)


def test_coverage_follows_the_date_asked(app: Paradip) -> None:
    """In mid-1993 the one tie is only possible; in 2011 the 2014 friendship is not there yet."""
    early = app.coverage(as_of=date(1993, 6, 15))
    assert (early.ties, early.definite) == (1, 0)
    assert app.coverage(as_of=date(2011, 1, 1)).ties == 2
    assert app.coverage(as_of=date(2020, 1, 1), known_at=date(2018, 1, 1)).stated == ()


def test_the_bundled_corpus_covers_at_least_a_hundred_ties(corpus_file: Path, tmp_path: Path) -> None:
    """At least 100 Korea-China sub-national pairs with a formal tie, beside the counts the sources state: document
    002's 645, the Governors Association's 643 by 2018 (219 sister, 424 friendly), 686 in 2022 and the 700 of 2024."""
    copy = tmp_path / "store.sqlite"
    copy.write_bytes(corpus_file.read_bytes())
    data = as_json(run("coverage", "--as-of", "2026-01-01", "--json", "--store", f"sqlite:///{copy}"))
    assert data["ties"] >= 100
    assert {645, 643, 219, 424, 686, 700} <= {stated["value"] for stated in data["stated"]}
    assert sum(count["ties"] for count in data["by_province"]["KR"]) == data["ties"]
    text = run("coverage", "--as-of", "2026-01-01", "--store", f"sqlite:///{copy}").stdout
    assert "A source states 645" in text


def test_every_korean_province_answers_partners_from_a_register(corpus_file: Path, tmp_path: Path) -> None:
    """Each Korean province and metropolitan city has a partner in China cited to a register (a published list).

    Sejong is the one first-level government left out: no list of its ties outside news was found.
    """
    copy = tmp_path / "store.sqlite"
    copy.write_bytes(corpus_file.read_bytes())
    store = f"sqlite:///{copy}"
    registers = {path.stem for path in bundled_registers()}
    metropolitan = ["KR-11", "KR-26", "KR-27", "KR-28", "KR-29", "KR-30", "KR-31"]
    provinces = [*metropolitan, "Gyeonggi", "Gangwon", "Chungbuk", "Chungnam", "Jeonbuk", "Jeonnam", "Gyeongbuk"]
    provinces += ["Gyeongnam", "Jeju"]
    for province in provinces:
        answer = as_json(run("partners", province, "--as-of", "2026-01-01", "--json", "--store", store))
        chinese = [partner["party"] for partner in answer["partners"] if partner["party"].startswith(("CN", "cn:"))]
        assert chinese, province
        cited = {
            event["source"]["document"]
            for party in chinese
            for event in as_json(
                run("state", answer["actor"], party, "--as-of", "2026-01-01", "--json", "--store", store)
            )["events"]
        }
        assert cited & registers, (province, cited)
