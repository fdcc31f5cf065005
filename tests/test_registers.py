"""Registers: published lists of ties read into cited facts, their printed dates and names, and refused lists."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpus.loader import bundled_registers, load, load_gazetteer
from corpus.printed import parse_printed_date
from corpus.register_file import read_register
from domain.errors import InvalidInput
from domain.facts import FactDraft
from tests.support import as_json, run

HEADER = """# paradip register
# register: {register}
# title: Test list of sister and friendly cities
# publisher: A test province
# address: https://example.org/sister-cities
# retrieved: 2026-11-28
# language: {language}
{extra}"""


def register(tmp_path: Path, table: str, *, name: str = "test-register", suffix: str = ".csv", **header: str) -> Path:
    """A register file with the usual header, the given extra header fields and table."""
    fields = {"owner": "KR-41", "partner_country": "CN", **header}
    language = fields.pop("language", "ko")
    extra = "".join(f"# {key}: {value}\n" for key, value in fields.items() if value)
    path = tmp_path / f"{name}{suffix}"
    path.write_text(HEADER.format(register=name, language=language, extra=extra) + table, encoding="utf-8")
    return path


def read(path: Path) -> tuple[str, list[FactDraft]]:
    source, facts = read_register(path, load_gazetteer())
    return source.text, facts


def refused(path: Path, *fragments: str) -> str:
    with pytest.raises(InvalidInput) as error:
        read(path)
    message = str(error.value)
    assert "\n" not in message
    assert message.startswith(str(path))
    for fragment in fragments:
        assert fragment in message, message
    return message


CSV_TABLE = """국가,자매도시,구분,체결일
중국,랴오닝성,자매결연,1993.10.4
중국,"Dalian City, Liaoning province",우호교류,2014.7.1
"""


def test_a_csv_row_becomes_one_fact_quoted_from_the_stored_table(tmp_path: Path) -> None:
    """Each data row is a relationship_established fact whose quote is the row, at its offset in the table."""
    path = register(tmp_path, CSV_TABLE, columns="country=국가, partner=자매도시, level=구분, date=체결일")
    text, facts = read(path)
    assert text == CSV_TABLE
    assert [fact.parties for fact in facts] == [("CN-LN", "KR-41"), ("KR-41", "cn:dalian")]
    assert [fact.attributes.get("level") for fact in facts] == ["sisterhood", "friendship"]
    assert [fact.date.edtf for fact in facts] == ["1993-10-04", "2014-07-01"]
    for fact in facts:
        assert fact.start is not None
        assert text[fact.start : fact.start + len(fact.quote)] == fact.quote
    assert facts[1].quote == '중국,"Dalian City, Liaoning province",우호교류,2014.7.1'
    assert any("row 3" in note for note in facts[1].notes)
    assert any("'우호교류'" in note for note in facts[1].notes)


def test_a_pipe_table_skips_its_separator_lines(tmp_path: Path) -> None:
    """A | table may have outer pipes and dashed separator lines, which are not rows."""
    table = "| Partner | Level | Date |\n|---|:---:|---|\n| Hangzhou | Sister City | 1994.11. 1 |\n|---|---|---|\n"
    text, facts = read(register(tmp_path, table, suffix=".txt", columns="partner=Partner, level=Level, date=Date"))
    assert len(facts) == 1
    assert facts[0].parties == ("KR-41", "cn:hangzhou")
    assert facts[0].quote == "| Hangzhou | Sister City | 1994.11. 1 |"
    assert text.index(facts[0].quote) == facts[0].start


@pytest.mark.parametrize(
    ("printed", "edtf"),
    [
        ("1994.11. 1", "1994-11-01"),
        ("1994.11.1", "1994-11-01"),
        ("1994-11-01", "1994-11-01"),
        ("1994/11/01", "1994-11-01"),
        ("1994. 11. 1.", "1994-11-01"),
        ("1994년 11월 1일", "1994-11-01"),
        ("1994年11月1日", "1994-11-01"),
        ("November 1, 1994", "1994-11-01"),
        ("Nov. 1, 1994", "1994-11-01"),
        ("1st November, 1994", "1994-11-01"),
        ("1 November 1994", "1994-11-01"),
        ("Nov.1.1994", "1994-11-01"),
        ("'94. 11. 1", "1994-11-01"),
        ("‘05. 3. 9", "2005-03-09"),
        ("1994.11", "1994-11"),
        ("1994. 11.", "1994-11"),
        ("1994년 11월", "1994-11"),
        ("1994年11月", "1994-11"),
        ("November 1994", "1994-11"),
        ("1994", "1994"),
        ("1994년", "1994"),
        ("1994年", "1994"),
    ],
)
def test_a_printed_date_keeps_the_precision_printed(printed: str, edtf: str) -> None:
    """Every printed form of a day, month or year gives that day, month or year, never more precise."""
    assert parse_printed_date(printed).edtf == edtf


@pytest.mark.parametrize(("printed", "problem"), [("1994.2.30", "impossible date"), ("circa 1994", "unreadable")])
def test_a_bad_date_stops_the_ingest_at_its_row(tmp_path: Path, printed: str, problem: str) -> None:
    """An impossible day or an unreadable date is refused with the file and row number."""
    table = f"partner,level,date\n랴오닝성,자매결연,1993.10.4\n지린성,우호교류,{printed}\n"
    refused(register(tmp_path, table, columns="partner=partner, level=level, date=date"), "row 3", problem)


def test_a_partner_is_resolved_by_its_variant_names(tmp_path: Path) -> None:
    """Sino-Korean readings and list spellings (요녕성, 심양, Gillimseong, 무한) find the same places."""
    table = "partner,level\n요녕성,우호\n심양,우호\nGillimseong,우호\n武汉,우호\n우한,우호\n무한,우호\n"
    _, facts = read(register(tmp_path, table, columns="partner=partner, level=level"))
    partners = [next(party for party in fact.parties if party != "KR-41") for fact in facts]
    assert partners == ["CN-LN", "cn:shenyang", "CN-JL", "cn:wuhan", "cn:wuhan", "cn:wuhan"]


def test_an_unknown_partner_is_refused_with_the_closest_names(tmp_path: Path) -> None:
    """A name the gazetteer does not know stops the ingest with the row and the nearest known names."""
    table = "partner,level,date\n랴오닝성,자매결연,1993\nHangzhuo,자매결연,1994\n"
    refused(
        register(tmp_path, table, columns="partner=partner, level=level, date=date"),
        "row 3",
        "'Hangzhuo'",
        "Hangzhou",
    )


def test_an_ambiguous_partner_is_refused_with_its_candidates(tmp_path: Path) -> None:
    """A name two places share (Gwangju) is refused with both, never silently read as one."""
    table = "partner,level\nGwangju,sister city\n"
    path = register(tmp_path, table, owner="cn:guangzhou", partner_country="KR", columns="partner=partner, level=level")
    refused(path, "row 2", "ambiguous", "KR-29", "kr:gwangju-gg")


def test_a_shared_name_is_read_within_the_partner_country_or_the_province_printed(tmp_path: Path) -> None:
    """广州市 is Guangzhou in China and Gwangju in Korea; 경기도 광주시 and a province column settle Gwangju."""
    to_korea = "partner,level\n广州市,友好城市\n경기도 광주시,友好城市\n"
    _, facts = read(
        register(tmp_path, to_korea, owner="CN-SD", partner_country="KR", columns="partner=partner, level=level")
    )
    assert [fact.parties for fact in facts] == [("CN-SD", "kr:gwangju-gg")] * 2
    with_parent = "province,city,level\n경기도,Gwangju,sister city\n"
    _, facts = read(
        register(
            tmp_path,
            with_parent,
            name="with-parent",
            owner="cn:zibo",
            partner_country="KR",
            columns="partner_parent=province, partner=city, level=level",
        )
    )
    assert facts[0].parties == ("cn:zibo", "kr:gwangju-gg")
    to_china = "partner,level\n广州市,자매결연\n"
    _, facts = read(
        register(tmp_path, to_china, name="to-china", owner="KR-29", columns="partner=partner, level=level")
    )
    assert facts[0].parties == ("KR-29", "cn:guangzhou")


def test_taizhou_needs_its_province(tmp_path: Path) -> None:
    """Taizhou is refused as ambiguous; Taizhou in Jiangsu and in Zhejiang are told apart by the province printed."""
    refused(
        register(tmp_path, "partner,level\nTaizhou,우호\n", columns="partner=partner, level=level"), "cn:taizhou-js"
    )
    table = 'partner,level\n"Taizhou, Jiangsu",우호\n저장성 타이저우시,우호\n'
    _, facts = read(register(tmp_path, table, name="taizhou", columns="partner=partner, level=level"))
    assert [fact.parties[1] for fact in facts] == ["cn:taizhou-js", "cn:taizhou-zj"]


def test_a_partner_outside_the_partner_country_is_refused(tmp_path: Path) -> None:
    """A Chinese list of Korean partners refuses a Chinese name, naming the place it does name."""
    table = "partner,level\n수원시,友好城市\nShenyang,友好城市\n"
    path = register(tmp_path, table, owner="cn:jinan", partner_country="KR", columns="partner=partner, level=level")
    refused(path, "row 3", "within KR", "cn:shenyang", "not a place in KR")


def test_a_tie_within_one_country_is_refused(tmp_path: Path) -> None:
    """A register records ties across countries: a Korean partner of a Korean owner is refused."""
    table = "partner,level\n수원시,자매결연\n"
    path = register(tmp_path, table, partner_country="", columns="partner=partner, level=level")
    refused(path, "row 2", "both in KR")


def test_a_list_short_names_are_read_through_its_names_header(tmp_path: Path) -> None:
    """A short form a list uses (경기 for Gyeonggi) is read through the header's names line, only within that list."""
    table = "partner,level\n경기,友好省州\n충남,友好省州\n"
    path = register(tmp_path, table, owner="CN-HE", partner_country="KR", columns="partner=partner, level=level")
    refused(path, "row 2", "'경기'", "경기도 (KR-41)")
    named = register(
        tmp_path,
        table,
        name="named",
        owner="CN-HE",
        partner_country="KR",
        columns="partner=partner, level=level",
        names="경기=경기도",
    )
    _, facts = read(named)
    assert [fact.parties for fact in facts] == [("CN-HE", "KR-41"), ("CN-HE", "KR-44")]
    assert "partner '경기' read as KR-41 (by the list's names: header)" in facts[0].notes


def test_a_names_header_is_checked_like_the_rows(tmp_path: Path) -> None:
    """A names line naming no actor, a country where a place is read, or a place outside the partner country is
    refused."""
    table = "partner,level\n경기,友好省州\n"
    columns = "partner=partner, level=level"
    refused(
        register(tmp_path, table, owner="CN-HE", partner_country="KR", columns=columns, names="경기=Gyeongido"),
        "names: 경기",
        "unknown",
    )
    refused(
        register(
            tmp_path, table, name="country", owner="CN-HE", partner_country="KR", columns=columns, names="경기=KR"
        ),
        "row 2",
        "'경기' is KR by the names: header, not a place",
    )
    refused(
        register(
            tmp_path, table, name="abroad", owner="CN-HE", partner_country="KR", columns=columns, names="경기=Liaoning"
        ),
        "row 2",
        "CN-LN",
        "not a place in KR",
    )


MIXED_TABLE = """국가,도시,구분,체결일
미국,캘리포니아주,자매결연,1997.5.1
중국,랴오닝성,자매결연,1993.10.4
일본,가나가와현,우호교류,1990.4.1
중국,지린성,우호교류,2014.7.1
"""


def test_a_whole_list_of_many_countries_keeps_its_rows_and_makes_facts_of_the_partner_country(tmp_path: Path) -> None:
    """A list copied whole (all countries) is refused row by row, or read with other_countries: skip: the rows of
    other countries stay in the stored text and make no fact; a country cell no one can read is still refused."""
    columns = "country=국가, partner=도시, level=구분, date=체결일"
    refused(register(tmp_path, MIXED_TABLE, columns=columns), "row 2", "'미국'", "other_countries: skip")
    text, facts = read(register(tmp_path, MIXED_TABLE, name="skipping", columns=columns, other_countries="skip"))
    assert "캘리포니아주" in text
    assert [fact.parties for fact in facts] == [("CN-LN", "KR-41"), ("CN-JL", "KR-41")]
    assert [text[fact.start : fact.start + len(fact.quote)] for fact in facts] == [
        "중국,랴오닝성,자매결연,1993.10.4",
        "중국,지린성,우호교류,2014.7.1",
    ]
    unreadable = MIXED_TABLE + "아틀란티스,포세이도니아,자매결연,1999.1.1\n"
    refused(register(tmp_path, unreadable, name="unreadable", columns=columns, other_countries="skip"), "row 6")
    only_others = "국가,도시,구분\n일본,가나가와현,우호교류\n"
    refused(
        register(
            tmp_path, only_others, name="none", columns="country=국가, partner=도시, level=구분", other_countries="skip"
        ),
        "no row is of the partner country CN",
    )
    no_country = "도시,구분\n랴오닝성,자매결연\n"
    refused(
        register(tmp_path, no_country, name="no-country", columns="partner=도시, level=구분", other_countries="skip"),
        "needs a country column",
    )
    refused(register(tmp_path, MIXED_TABLE, name="bad", columns=columns, other_countries="maybe"), "'maybe'")


def test_an_empty_owner_cell_is_the_province_s_own_tie_only_when_the_list_says_so(tmp_path: Path) -> None:
    """A national list with a province column and a city column leaves the city empty for the province's own
    ties: read so with empty_place: parent; without it an empty cell (a merged cell, say) is refused."""
    table = "시도,시군구,국가,교류도시,구분\n경기도,,중국,랴오닝성,자매결연\n경기도,수원시,중국,지난시,자매결연\n"
    columns = "owner_parent=시도, owner=시군구, country=국가, partner=교류도시, level=구분"
    refused(
        register(tmp_path, table, owner="", owner_country="KR", columns=columns),
        "row 2",
        "owner cell is empty",
        "empty_place: parent reads it as KR-41",
    )
    path = register(tmp_path, table, name="parent", owner="", owner_country="KR", columns=columns, empty_place="parent")
    _, facts = read(path)
    assert [fact.parties for fact in facts] == [("CN-LN", "KR-41"), ("cn:jinan", "kr:suwon")]
    assert any("owner cell empty" in note for note in facts[0].notes)
    nothing = table.replace("경기도,,", ",,")
    refused(
        register(
            tmp_path, nothing, name="nothing", owner="", owner_country="KR", columns=columns, empty_place="parent"
        ),
        "row 2",
        "owner cell is empty",
    )
    refused(register(tmp_path, table, name="bad", owner="", columns=columns, empty_place="maybe"), "'maybe'")


def test_a_names_line_reads_parent_and_country_cells_and_names_each_form_once(tmp_path: Path) -> None:
    """The names: line serves the province printed beside a city and the country cell too; a form given
    twice (even in another case or spacing) is refused rather than read as the last one."""
    table = "시도,시군구,국가,교류도시,구분\n경기,수원시,中國,지난시,자매결연\n"
    columns = "owner_parent=시도, owner=시군구, country=국가, partner=교류도시, level=구분"
    refused(register(tmp_path, table, owner="", owner_country="KR", columns=columns), "row 2", "'경기'")
    path = register(
        tmp_path, table, name="named", owner="", owner_country="KR", columns=columns, names="경기=경기도, 中國=CN"
    )
    _, facts = read(path)
    assert [fact.parties for fact in facts] == [("cn:jinan", "kr:suwon")]
    twice = register(tmp_path, table, name="twice", owner="", columns=columns, names="경기=경기도, 경 기=서울")
    refused(twice, "names", "given twice")
    country = register(tmp_path, table, name="country", owner="", columns=columns, names="경기=KR, 中國=CN")
    refused(country, "row 2", "'경기' is KR by the names: header, not a place")


def test_a_list_saved_in_a_legacy_encoding_is_refused_with_how_to_convert_it(tmp_path: Path) -> None:
    """A CP949 (EUC-KR) file, as Korean offices often publish, is refused in one line that says how to convert it."""
    utf8 = register(tmp_path, CSV_TABLE, columns="country=국가, partner=자매도시, level=구분, date=체결일")
    legacy = tmp_path / "legacy.csv"
    legacy.write_bytes(utf8.read_text(encoding="utf-8").encode("cp949"))
    message = refused(legacy, "not UTF-8", "it reads as cp949")
    assert "iconv -f cp949 -t utf-8" in message
    chinese = tmp_path / "chinese.csv"
    for codec in ("gb18030", "big5"):
        chinese.write_bytes(
            HEADER.format(register="chinese", language="zh", extra="").encode()
            + (
                "国家,城市,类别\n韩国,首尔,友好城市\n韩国,釜山,友好城市\n"
                if codec == "gb18030"
                else "國家,城市,類別\n韓國,首爾,友好城市\n"
            ).encode(codec)
        )
        assert f"iconv -f {codec} -t utf-8" in refused(chinese, "not UTF-8")


@pytest.mark.parametrize(
    ("printed", "level"),
    [
        ("Twin City", "sisterhood"),
        ("국외자매도시", "sisterhood"),
        ("해외 자매도시", "sisterhood"),
        ("友好城市关系", "sisterhood"),
        ("姉妹都市", "sisterhood"),
        ("국제우호도시", "friendship"),
        ("Friendly Cooperation City", "friendship"),
    ],
)
def test_printed_levels_of_korean_chinese_and_japanese_lists(tmp_path: Path, printed: str, level: str) -> None:
    """The closed vocabulary reads the forms official lists print, spaces and case aside."""
    _, facts = read(register(tmp_path, f"partner,level\n랴오닝성,{printed}\n", columns="partner=partner, level=level"))
    assert facts[0].attributes.get("level") == level


def test_an_unknown_level_is_refused_with_the_known_forms(tmp_path: Path) -> None:
    """A printed level outside the closed vocabulary stops the ingest; the header's levels line extends it."""
    table = "partner,level\n랴오닝성,자매결연\n지린성,교류협정\n"
    path = register(tmp_path, table, columns="partner=partner, level=level")
    refused(path, "row 3", "'교류협정'", "sisterhood:", "friendship:", "우호교류")
    extended = register(
        tmp_path, table, name="extended", columns="partner=partner, level=level", levels="교류협정=friendship"
    )
    _, facts = read(extended)
    assert facts[1].attributes.get("level") == "friendship"
    bad = register(
        tmp_path, table, name="bad-levels", columns="partner=partner, level=level", levels="교류협정=marriage"
    )
    refused(bad, "levels", "'marriage'")


def test_malformed_headers_are_refused(tmp_path: Path) -> None:
    """A missing field, an unknown field, a column the table lacks or no owner stop the ingest with one line."""
    table = "partner,level\n랴오닝성,자매결연\n"
    refused(register(tmp_path, table, columns="partner=상대, level=level"), "'상대' is not a column")
    refused(register(tmp_path, table, columns="partner=partner, level=level", colour="red"), "unknown field 'colour'")
    refused(register(tmp_path, table, owner="", columns="partner=partner, level=level"), "owner")
    no_magic = tmp_path / "plain.csv"
    no_magic.write_text(table, encoding="utf-8")
    refused(no_magic, "# paradip register")
    refused(register(tmp_path, "partner,level\n랴오닝성\n", columns="partner=partner, level=level"), "row 2", "1 cells")


def test_identical_rows_are_two_facts_at_distinct_offsets(tmp_path: Path, sqlite_url: str) -> None:
    """A row printed twice gives two facts with their own offsets, both recorded, never merged."""
    table = "partner,level,date\n랴오닝성,자매결연,1993.10.4\n랴오닝성,자매결연,1993.10.4\n"
    path = register(tmp_path, table, columns="partner=partner, level=level, date=date")
    text, facts = read(path)
    assert facts[0].quote == facts[1].quote
    assert facts[0].start is not None
    assert facts[1].start is not None
    assert facts[0].start < facts[1].start
    assert text[facts[1].start :].startswith(facts[1].quote)
    summary = as_json(run("ingest", str(path), "--json", "--store", sqlite_url))
    assert summary["facts_recorded"] == 2


def test_an_undated_row_stood_by_the_list_date(tmp_path: Path) -> None:
    """A list that prints no date says the tie stood by the day it was published (or read): ..that day."""
    table = "partner,level\n랴오닝성,자매결연\n"
    _, facts = read(register(tmp_path, table, columns="partner=partner, level=level", published="2024-05"))
    assert facts[0].date.edtf == "../2024-05-31"
    assert any("no date printed" in note for note in facts[0].notes)
    _, facts = read(register(tmp_path, table, name="unpublished", columns="partner=partner, level=level"))
    assert facts[0].date.edtf == "../2026-11-28"


@pytest.mark.parametrize(("printed_date", "printed_level"), [("1993年10月14日", "友好省州"), ("1993年", "友好交流")])
def test_registers_ingest_and_disagreements_show_as_conflicts(
    tmp_path: Path, store_url: str, printed_date: str, printed_level: str
) -> None:
    """Two lists that disagree about one tie (its day, or its level) are both ingested; state shows the conflict."""
    province = register(
        tmp_path,
        "partner,level,date\n랴오닝성,자매결연,1993.10.4\n",
        name="province-list",
        columns="partner=partner, level=level, date=date",
    )
    other = register(
        tmp_path,
        f"| 友好省州 | 类别 | 结好时间 |\n|---|---|---|\n| 京畿道 | {printed_level} | {printed_date} |\n",
        name="other-list",
        suffix=".txt",
        owner="CN-LN",
        partner_country="KR",
        language="zh",
        columns="partner=友好省州, level=类别, date=结好时间",
    )
    summary = as_json(run("ingest", str(province), str(other), "--json", "--store", store_url))
    assert summary["facts_recorded"] == 2
    assert summary["sources_registered"] == 2
    answer = as_json(run("state", "KR-41", "CN-LN", "--as-of", "2000-01-01", "--json", "--store", store_url))
    assert len(answer["conflicts"]) == 1
    assert len(answer["conflicts"][0]["claims"]) == 2
    again = run("ingest", str(province), str(other), "--store", store_url)
    assert again.exit_code == 0
    assert "Nothing new" in again.output
    quotes = set()
    for claim in answer["conflicts"][0]["claims"]:
        provenance = as_json(run("provenance", claim["fact_id"], "--json", "--store", store_url))
        assert provenance["verified"] is True
        quotes.add(provenance["quote"])
    assert quotes == {"랴오닝성,자매결연,1993.10.4", f"| 京畿道 | {printed_level} | {printed_date} |"}


def test_a_register_names_a_place_a_document_declared_in_an_earlier_ingest(tmp_path: Path, store_url: str) -> None:
    """A city the gazetteer lacks, declared once in a document's actors: block, is a partner for later lists."""
    # An invented name: the bundled places hold every real city (Rongcheng among them).
    (tmp_path / "lanxiwan.txt").write_text("Lanxiwan is a city of Shandong no gazetteer holds.\n", encoding="utf-8")
    (tmp_path / "lanxiwan.yaml").write_text(
        "document: places-lanxiwan\ntitle: A place a list names\npublisher: A reader\nkind: report\n"
        "language: en\npublished: '2026-11-01'\ntext_file: lanxiwan.txt\nactors:\n"
        "  - {code: 'cn:lanxiwan-test', level: city, country: CN, parent: CN-SD, en: Lanxiwan, zh: 岚溪湾市}\n"
        "facts: []\n",
        encoding="utf-8",
    )
    listed = register(
        tmp_path, "partner,level,date\nLanxiwan,자매결연,2001.5.1\n", columns="partner=partner, level=level, date=date"
    )
    as_json(run("ingest", str(tmp_path / "lanxiwan.yaml"), "--json", "--store", store_url))
    summary = as_json(run("ingest", str(listed), "--json", "--store", store_url))
    assert summary["facts_recorded"] == 1
    answer = as_json(run("partners", "KR-41", "--as-of", "2002-01-01", "--json", "--store", store_url))
    assert {(partner["party"], partner["status"], partner["since"]) for partner in answer["partners"]} == {
        ("cn:lanxiwan-test", "sisterhood", "2001-05-01")
    }
    elsewhere = register(
        tmp_path,
        "partner,level\nLanxiwan,友好城市\n",
        name="korean-partner",
        owner="cn:jinan",
        partner_country="KR",
        columns="partner=partner, level=level",
    )
    result = run("ingest", str(elsewhere), "--store", store_url)
    assert result.exit_code != 0
    assert "cn:lanxiwan-test" in result.output
    assert "not a place in KR" in result.output


def test_a_refused_register_writes_nothing(tmp_path: Path, store_url: str) -> None:
    """A register with one bad row stops the ingest with one line and a non-zero exit; no store was created."""
    path = register(
        tmp_path, "partner,level\n랴오닝성,자매결연\nAtlantis,자매결연\n", columns="partner=partner, level=level"
    )
    result = run("ingest", str(path), "--store", store_url)
    assert result.exit_code != 0
    assert len(result.stderr.strip().splitlines()) == 1
    assert "row 3" in result.stderr
    assert "Atlantis" in result.stderr
    after = run("sources", "--json", "--store", store_url)
    assert after.exit_code == 2
    assert "no store at" in after.stderr


def test_every_bundled_register_names_its_list_and_resolves_every_partner() -> None:
    """Each bundled register has an address and a retrieval day, and the whole corpus loads."""
    loaded = load()
    documents = {source.document: source for source in loaded.batch.sources}
    registers = bundled_registers()
    assert registers
    for path in registers:
        source, facts = read_register(path, load_gazetteer())
        assert source.address
        assert source.address.startswith("http")
        assert source.document in documents
        assert source.document == path.stem
        assert facts
        assert all(fact.kind == "relationship_established" for fact in facts)
