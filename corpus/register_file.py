"""Registers: published lists of ties (a province's sister cities, ...) read into a source and its facts.

A register file is a block of ``#`` header lines (see corpus/README.md, "Registers") followed by
the table as copied: a CSV (RFC 4180) or a text table with ``|`` separators. The table part is the
stored source text, and each data row is the quote of the one ``relationship_established`` fact
it states. Everything is checked first: a problem is one line naming the file, the row and what
is wrong, with the candidates where there are some.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Protocol

import attrs

from corpus.gazetteer import gazetteer_of
from domain.actors import ActorDraft
from domain.errors import AmbiguousActor, InvalidInput, UnknownActor
from domain.facts import FactDraft
from domain.names import Gazetteer, NamedActor, normalise
from domain.sources import SourceDraft
from events.values import ActorLevel, Attributes, FactKind, InvalidValue, Modality, Period, SourceKind

MAGIC = "# paradip register"
REGISTER_SUFFIXES = (".csv", ".txt")
HEADER_KEYS = frozenset(
    {
        "register",
        "title",
        "publisher",
        "address",
        "retrieved",
        "published",
        "language",
        "owner",
        "owner_country",
        "partner_country",
        "columns",
        "levels",
        "level",
        "names",
        "other_countries",
        "empty_place",
        "note",
    }
)
REQUIRED_HEADER_KEYS = ("register", "title", "publisher", "address", "retrieved", "language", "columns")
ROLES = frozenset({"partner", "owner", "level", "date", "country", "partner_parent", "owner_parent"})
TIE_LEVELS = ("sisterhood", "friendship")
PLACE_LEVELS = frozenset(
    {ActorLevel.PROVINCE, ActorLevel.MUNICIPALITY, ActorLevel.CITY, ActorLevel.COUNTY, ActorLevel.DISTRICT}
)

_SISTERHOOD_FORMS = (
    "sisterhood",
    "sister city",
    "sister cities",
    "sister province",
    "sister provinces",
    "sister region",
    "sister state",
    "sister-city",
    "sisterhood relationship",
    "sisterhood relationships",
    "sisterhood relations",
    "sister relationship",
    "sister city relations",
    "sister city relationship",
    "자매결연",
    "자매도시",
    "자매",
    "자매결연도시",
    "자매도시결연",
    "友好城市",
    "友好省",
    "友好省州",
    "友好省道",
    "友城",
    "姐妹城市",
    "姊妹城市",
    "缔结友好城市",
    "友好城市关系",
    "友好省州关系",
    "twin city",
    "twin cities",
    "twin town",
    "twinned city",
    "국외자매도시",
    "해외자매도시",
    "국제자매도시",
    "국제자매결연",
    "姉妹都市",
    "姉妹提携",
    "姉妹提携都市",
    "国際姉妹都市",
)
_FRIENDSHIP_FORMS = (
    "friendship",
    "friendly",
    "friendship city",
    "friendship cities",
    "international friendship city",
    "international friendship cities",
    "friendly city",
    "friendly cities",
    "friendly exchange",
    "friendly exchange city",
    "friendly exchange cities",
    "friendly exchanges",
    "friendly cooperation",
    "friendship cooperation",
    "friendly relationship",
    "friendly relations",
    "friendly cooperative city",
    "friendly cooperative cities",
    "friendly cooperation city",
    "friendly cooperation cities",
    "partnership",
    "partnerships",
    "우호교류",
    "우호협력",
    "우호도시",
    "우호",
    "우호교류도시",
    "우호협력도시",
    "우호교류협력",
    "友好交流城市",
    "友好合作城市",
    "友好合作",
    "友好交流",
    "友好合作关系",
    "友好交流关系",
    "해외우호도시",
    "국제우호도시",
    "국외우호도시",
    "국제우호협력도시",
)
KNOWN_LEVEL_FORMS: Mapping[str, str] = {
    **{normalise(form): "sisterhood" for form in _SISTERHOOD_FORMS},
    **{normalise(form): "friendship" for form in _FRIENDSHIP_FORMS},
}

_MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
_MONTH = r"(?P<month_name>[A-Za-z]+)\.?"
_DAY_ORDINAL = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_DATE_FORMS = (
    re.compile(r"(?P<year>\d{4})\s*[.\-/]\s*(?P<month>\d{1,2})\s*[.\-/]\s*(?P<day>\d{1,2})\s*\.?"),
    re.compile(r"(?P<year>\d{4})\s*년\s*(?P<month>\d{1,2})\s*월\s*(?P<day>\d{1,2})\s*일"),
    re.compile(r"(?P<year>\d{4})\s*年\s*(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日"),
    re.compile(rf"{_MONTH}\s*{_DAY_ORDINAL}[.,]?\s+(?P<year>\d{{4}})"),
    re.compile(r"(?P<month_name>[A-Za-z]+)\.(?P<day>\d{1,2})\.(?P<year>\d{4})"),
    re.compile(r"[‘’'](?P<short_year>\d{2})\s*\.\s*(?P<month>\d{1,2})\s*\.\s*(?P<day>\d{1,2})\s*\.?"),
    re.compile(rf"{_DAY_ORDINAL}\s+{_MONTH},?\s+(?P<year>\d{{4}})"),
    re.compile(r"(?P<year>\d{4})\s*[.\-/]\s*(?P<month>\d{1,2})\s*\.?"),
    re.compile(r"(?P<year>\d{4})\s*년\s*(?P<month>\d{1,2})\s*월"),
    re.compile(r"(?P<year>\d{4})\s*年\s*(?P<month>\d{1,2})\s*月"),
    re.compile(rf"{_MONTH},?\s+(?P<year>\d{{4}})"),
    re.compile(r"(?P<year>\d{4})\s*(?:년|年)?"),
)
SHORT_YEAR_PIVOT = 50
_SEPARATOR_LINE = re.compile(r"\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?")
_HEADER_LINE = re.compile(r"#\s*(?P<key>[a-z_]+)\s*:\s*(?P<value>.*)")
_PARENT_BEFORE = re.compile(r"(?P<parent>\S+)\s+(?P<child>.+)")
_PARENT_AFTER = re.compile(r"(?P<child>[^,]+),\s*(?P<parent>[^,]+)")


def is_register(path: Path) -> bool:
    """Whether a file is to be read as a register: a ``.csv`` file, or a ``.txt`` file opening with the
    ``# paradip register`` line (a ``.txt`` file without it is a document's text)."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return True
    if suffix != ".txt" or not path.is_file():
        return False
    with path.open("rb") as opened:
        return opened.read(len(MAGIC) + 3).decode("utf-8", "replace").lstrip("\ufeff").startswith(MAGIC)


def bundled_registers() -> list[Path]:
    """The register files shipped with Paradip."""
    folder = Path(__file__).resolve().parent / "registers"
    return sorted(path for path in folder.iterdir() if is_register(path)) if folder.is_dir() else []


def parse_printed_date(text: str) -> Period:
    """A date as printed on a list, with the precision printed (``1994.11. 1`` is 1994-11-01)."""
    cleaned = unicodedata.normalize("NFKC", text).strip()
    for form in _DATE_FORMS:
        match = form.fullmatch(cleaned)
        if match is None:
            continue
        groups = match.groupdict()
        if groups.get("short_year") is not None:
            short = int(groups["short_year"])
            year = short + (1900 if short >= SHORT_YEAR_PIVOT else 2000)
        else:
            year = int(groups["year"])
        if groups.get("month_name") is not None:
            month_number = _MONTHS.get(groups["month_name"].casefold())
            if month_number is None:
                break
            month: int | None = month_number
        else:
            month = int(groups["month"]) if groups.get("month") else None
        day = int(groups["day"]) if groups.get("day") else None
        try:
            date(year, month or 1, day or 1)
        except ValueError as error:
            msg = f"impossible date {text!r} ({error})"
            raise InvalidValue(msg) from None
        if month is None:
            return Period.from_edtf(f"{year:04d}")
        if day is None:
            return Period.from_edtf(f"{year:04d}-{month:02d}")
        return Period.from_edtf(f"{year:04d}-{month:02d}-{day:02d}")
    msg = (
        f"unreadable date {text!r} (forms: 1994.11.1, 1994-11-01, 1994/11/01, 1994년 11월 1일, 1994年11月1日, "
        "November 1, 1994, Nov.1.1994, 1st November 1994, '94. 11. 1, 1994.11, 1994년 11월, 1994)"
    )
    raise InvalidValue(msg)


@attrs.frozen(kw_only=True)
class _Row:
    """One data row of a register: its cells, its text and where the text starts."""

    number: int
    cells: tuple[str, ...]
    text: str
    start: int


@attrs.frozen(kw_only=True)
class _Header:
    """The header block of a register: its fields, and where the table starts."""

    fields: Mapping[str, str]
    table_start: int


def _header(text: str, where: str) -> _Header:
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip().casefold() != MAGIC:
        msg = f"{where}: a register starts with the line {MAGIC!r}"
        raise InvalidInput(msg)
    fields: dict[str, str] = {}
    offset = len(lines[0])
    for number, line in enumerate(lines[1:], start=2):
        stripped = line.strip()
        if not stripped:
            offset += len(line)
            continue
        if not stripped.startswith("#"):
            return _Header(fields=fields, table_start=offset)
        match = _HEADER_LINE.fullmatch(stripped)
        if match is None:
            msg = f"{where}: header line {number}: expected '# key: value', got {stripped!r}"
            raise InvalidInput(msg)
        key, value = match["key"], match["value"].strip()
        if key not in HEADER_KEYS:
            msg = f"{where}: header line {number}: unknown field {key!r} (fields: {', '.join(sorted(HEADER_KEYS))})"
            raise InvalidInput(msg)
        if key in fields:
            msg = f"{where}: header line {number}: {key} is given twice"
            raise InvalidInput(msg)
        fields[key] = value
        offset += len(line)
    msg = f"{where}: no table after the header"
    raise InvalidInput(msg)


def _pairs(value: str, where: str, key: str) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for item in value.split(","):
        name, sep, target = item.partition("=")
        if not sep or not name.strip() or not target.strip():
            msg = f"{where}: {key}: expected 'a=b, c=d', got {item.strip()!r}"
            raise InvalidInput(msg)
        if normalise(name) in {normalise(known) for known in pairs}:
            msg = f"{where}: {key}: {name.strip()!r} is given twice"
            raise InvalidInput(msg)
        pairs[name.strip()] = target.strip()
    return pairs


def _records(table: str) -> Iterator[tuple[int, str, int]]:
    """Each record of the table: its line number (1 = the column header), text and start offset.

    A record ends at a line break outside double quotes, so a quoted CSV cell may span lines.
    """
    start = 0
    line_number = 1
    record_line = 1
    in_quotes = False
    position = 0
    for line in table.splitlines(keepends=True):
        in_quotes ^= line.count('"') % 2 == 1
        position += len(line)
        if not in_quotes:
            text = table[start:position].rstrip("\r\n")
            yield record_line, text, start
            start = position
            record_line = line_number + 1
        line_number += 1
    if start < len(table):
        yield record_line, table[start:].rstrip("\r\n"), start


def _cells(text: str, pipe: bool, where: str) -> tuple[str, ...]:
    if pipe:
        body = text.strip()
        body = body.removeprefix("|").removesuffix("|")
        return tuple(cell.strip() for cell in body.split("|"))
    try:
        rows = list(csv.reader([text], strict=True))
    except csv.Error as error:
        msg = f"{where}: malformed CSV ({error})"
        raise InvalidInput(msg) from None
    return tuple(cell.strip() for cell in rows[0]) if rows else ()


def _table_rows(table: str, pipe: bool, where: str) -> tuple[tuple[str, ...], list[_Row]]:
    columns: tuple[str, ...] | None = None
    rows: list[_Row] = []
    for line_number, text, start in _records(table):
        stripped = text.strip()
        if not stripped or (pipe and _SEPARATOR_LINE.fullmatch(stripped)):
            continue
        row_where = f"{where}: row {line_number}"
        cells = _cells(text, pipe, row_where)
        if columns is None:
            columns = cells
            continue
        if len(cells) != len(columns):
            msg = f"{row_where}: {len(cells)} cells where the column header has {len(columns)}"
            raise InvalidInput(msg)
        leading = len(text) - len(text.lstrip())
        quote = text.strip()
        rows.append(_Row(number=line_number, cells=cells, text=quote, start=start + leading))
    if columns is None:
        msg = f"{where}: the table has no column header"
        raise InvalidInput(msg)
    return columns, rows


def _split_parent(name: str) -> re.Match[str] | None:
    """A name printed with its province: ``경기도 광주시``, ``Dalian City, Liaoning province``."""
    text = name.strip()
    return _PARENT_AFTER.fullmatch(text) or _PARENT_BEFORE.fullmatch(text)


class KnownActor(Protocol):
    """An actor a store already holds (one a document declared earlier), as a register needs it."""

    @property
    def key(self) -> str: ...
    @property
    def level(self) -> str: ...
    @property
    def country(self) -> str: ...
    @property
    def parent(self) -> str | None: ...
    def named(self) -> NamedActor: ...


@attrs.frozen
class _Place:
    """What a register asks of an actor: its level, its country and the code of its parent."""

    level: ActorLevel
    country: str
    parent: str | None


class _Places:
    """Resolves the names printed on a list to places of the gazetteer, never by guessing."""

    def __init__(self, actors: Sequence[ActorDraft], known: Sequence[KnownActor] = ()) -> None:
        self.drafts: dict[str, _Place] = {
            actor.key: _Place(ActorLevel(actor.level), actor.country, actor.parent) for actor in known
        }
        self.drafts |= {draft.key: _Place(draft.level, draft.country, draft.parent) for draft in actors}
        drafted = {draft.key for draft in actors}
        self.gazetteer: Gazetteer = gazetteer_of(actors, [actor.named() for actor in known if actor.key not in drafted])

    def resolve(self, name: str, *, country: str | None, parent: str | None) -> tuple[str, str]:
        """The actor key for a printed name, and how it was read; UnknownActor/AmbiguousActor otherwise."""
        try:
            candidates = self._candidates(name)
        except UnknownActor:
            split = _split_parent(name)
            if split is None or parent is not None:
                raise
            try:
                parent_key = self.resolve(split["parent"], country=country, parent=None)[0]
            except (UnknownActor, AmbiguousActor):
                raise UnknownActor(name, self.gazetteer.closest(name)) from None
            key, how = self.resolve(split["child"], country=country, parent=parent_key)
            return key, f"{how}, within {parent_key} printed with it"
        places = [key for key in candidates if self.drafts[key].level in PLACE_LEVELS]
        if country is not None:
            foreign = [key for key in places if self.drafts[key].country != country]
            places = [key for key in places if self.drafts[key].country == country]
            if not places and foreign:
                msg = f"{name!r} names {', '.join(foreign)}, not a place in {country}"
                raise UnknownActor(msg, foreign)
        if parent is not None:
            places = [key for key in places if self.within(key, parent)]
        if len(places) == 1:
            how = "by code" if name.strip() in self.gazetteer else "by name"
            if len(candidates) > 1:
                how += f" among {', '.join(sorted(candidates))}"
            return places[0], how
        if not places:
            raise UnknownActor(name, [*sorted(candidates), *self.gazetteer.closest(name)])
        raise AmbiguousActor(name, sorted(places))

    def _candidates(self, name: str) -> list[str]:
        try:
            return [self.gazetteer.resolve(name).key]
        except AmbiguousActor as error:
            return list(error.candidates)

    def within(self, key: str, parent: str) -> bool:
        """Whether a place lies within another (itself included), following the gazetteer's parents."""
        seen: set[str] = set()
        current: str | None = key
        while current is not None and current not in seen:
            if current == parent:
                return True
            seen.add(current)
            draft = self.drafts.get(current)
            current = draft.parent if draft is not None else None
        return False

    def code(self, name: str, where: str, what: str) -> str:
        """The key of a code or name given in a header (owner, countries)."""
        try:
            return self.gazetteer.resolve(name).key
        except (UnknownActor, AmbiguousActor) as error:
            msg = f"{where}: {what}: {error}"
            raise InvalidInput(msg) from None


@attrs.frozen(kw_only=True)
class _Layout:
    """How a register's table is read: which column holds what, and what the header fixes."""

    roles: Mapping[str, int]
    owner: str | None
    owner_country: str | None
    partner_country: str | None
    level_forms: Mapping[str, str]
    extra_forms: Mapping[str, str]
    fixed_level: tuple[str, str] | None
    names: Mapping[str, str]
    skip_other_countries: bool
    empty_is_parent: bool


def _layout(fields: Mapping[str, str], columns: Sequence[str], places: _Places, where: str) -> _Layout:
    mapping = _pairs(fields["columns"], where, "columns")
    unknown = sorted(set(mapping) - ROLES)
    if unknown:
        msg = f"{where}: columns: unknown role {unknown[0]!r} (roles: {', '.join(sorted(ROLES))})"
        raise InvalidInput(msg)
    roles: dict[str, int] = {}
    for role, column in mapping.items():
        if column not in columns:
            msg = f"{where}: columns: {role}={column!r} is not a column of the table ({', '.join(columns)})"
            raise InvalidInput(msg)
        roles[role] = columns.index(column)
    if "partner" not in roles:
        msg = f"{where}: columns: the partner column is missing"
        raise InvalidInput(msg)
    owner = places.code(fields["owner"], where, "owner") if fields.get("owner") else None
    if (owner is None) == ("owner" not in roles):
        msg = f"{where}: give either a fixed owner (# owner: KR-41) or an owner column (columns: owner=...)"
        raise InvalidInput(msg)
    level_forms = dict(KNOWN_LEVEL_FORMS)
    extra_forms = _pairs(fields["levels"], where, "levels") if fields.get("levels") else {}
    for printed, level in extra_forms.items():
        if level not in TIE_LEVELS:
            msg = f"{where}: levels: {printed}={level!r} is not a level ({', '.join(TIE_LEVELS)})"
            raise InvalidInput(msg)
        level_forms[normalise(printed)] = level
    fixed_level = None
    if fields.get("level"):
        if "level" in roles:
            msg = f"{where}: give either a fixed level (# level: ...) or a level column, not both"
            raise InvalidInput(msg)
        fixed = level_forms.get(normalise(fields["level"]))
        if fixed is None:
            msg = f"{where}: level: unknown printed level {fields['level']!r} ({_known_forms(extra_forms)})"
            raise InvalidInput(msg)
        fixed_level = (fields["level"], fixed)
    elif "level" not in roles:
        msg = f"{where}: columns: the level column is missing (or give '# level: <printed level>')"
        raise InvalidInput(msg)
    countries = {
        key: places.code(fields[key], where, key) if fields.get(key) else None
        for key in ("owner_country", "partner_country")
    }
    names = _names(fields.get("names") or "", places, where)
    empty_place = fields.get("empty_place") or "refuse"
    if empty_place not in ("refuse", "parent"):
        msg = f"{where}: empty_place: {empty_place!r} is neither 'parent' nor 'refuse'"
        raise InvalidInput(msg)
    other_countries = fields.get("other_countries") or "refuse"
    if other_countries not in ("refuse", "skip"):
        msg = f"{where}: other_countries: {other_countries!r} is neither 'skip' nor 'refuse'"
        raise InvalidInput(msg)
    if other_countries == "skip" and ("country" not in roles or countries["partner_country"] is None):
        msg = f"{where}: other_countries: skip needs a country column and a partner_country to keep"
        raise InvalidInput(msg)
    return _Layout(
        roles=roles,
        owner=owner,
        owner_country=countries["owner_country"],
        partner_country=countries["partner_country"],
        level_forms=level_forms,
        extra_forms=extra_forms,
        fixed_level=fixed_level,
        names=names,
        skip_other_countries=other_countries == "skip",
        empty_is_parent=empty_place == "parent",
    )


def _names(value: str, places: _Places, where: str) -> dict[str, str]:
    """A list's own names (``경기=경기도, 대만=TW``): each printed form, once, to one place or country."""
    names: dict[str, str] = {}
    for printed, target in _pairs(value, where, "names").items() if value else ():
        key = places.code(target, where, f"names: {printed}")
        if places.drafts[key].level not in PLACE_LEVELS and places.drafts[key].level is not ActorLevel.COUNTRY:
            msg = f"{where}: names: {printed}: {key} is not a place or a country"
            raise InvalidInput(msg)
        names[normalise(printed)] = key
    return names


def _known_forms(extra: Mapping[str, str]) -> str:
    forms = {
        "sisterhood": [*_SISTERHOOD_FORMS, *(form for form, level in extra.items() if level == "sisterhood")],
        "friendship": [*_FRIENDSHIP_FORMS, *(form for form, level in extra.items() if level == "friendship")],
    }
    return "known: " + "; ".join(f"{level}: {', '.join(forms[level])}" for level in TIE_LEVELS)


def read_register(
    path: Path, actors: Sequence[ActorDraft], known: Sequence[KnownActor] = ()
) -> tuple[SourceDraft, list[FactDraft]]:
    """A register file read into its source (kind database) and one fact per data row; its places are the
    gazetteer's, the documents' of the same ingest, and ``known``: those the store already holds."""
    from corpus.loader import read_text  # noqa: PLC0415 - the loader imports this module

    where = str(path)
    text = read_text(path, "register")
    header = _header(text, where)
    fields = header.fields
    missing = [key for key in REQUIRED_HEADER_KEYS if not fields.get(key)]
    if missing:
        msg = f"{where}: missing header field {missing[0]!r} (# {missing[0]}: ...)"
        raise InvalidInput(msg)
    table = text[header.table_start :]
    columns, rows = _table_rows(table, path.suffix.lower() == ".txt", where)
    if not rows:
        msg = f"{where}: the table has no data rows"
        raise InvalidInput(msg)
    places = _Places(actors, known)
    layout = _layout(fields, columns, places, where)
    retrieved = _header_period(fields["retrieved"], where, "retrieved")
    if retrieved.earliest is None or retrieved.earliest != retrieved.latest:
        msg = f"{where}: retrieved must be the day the list was read (YYYY-MM-DD), not {fields['retrieved']!r}"
        raise InvalidInput(msg)
    published = (
        _header_period(fields["published"], where, "published")
        if fields.get("published")
        else Period.from_edtf(f"..{fields['retrieved']}")
    )
    published_note = f"retrieved {fields['retrieved']}" + (
        "" if fields.get("published") else "; the list shows no date of its own"
    )
    document = fields["register"]
    source = SourceDraft(
        document=document,
        title=fields["title"],
        publisher=fields["publisher"],
        published=published,
        published_note=published_note,
        language=fields["language"],
        kind=SourceKind.DATABASE,
        address=fields["address"],
        text=table,
        origin=where,
    )
    kept = [row for row in rows if not _of_another_country(row, layout, places, f"{where}: row {row.number}")]
    if not kept:
        msg = f"{where}: no row is of the partner country {layout.partner_country} (other_countries: skip)"
        raise InvalidInput(msg)
    facts = [
        _fact(row, layout, places, document=document, published=published, where=f"{where}: row {row.number}")
        for row in kept
    ]
    return source, facts


def _of_another_country(row: _Row, layout: _Layout, places: _Places, where: str) -> bool:
    """Whether a row is to be skipped: ``other_countries: skip`` and its country cell names another country
    (a country cell the gazetteer cannot read is refused, never skipped)."""
    if not layout.skip_other_countries:
        return False
    country = _country(row, layout, places, where)
    return country is not None and country != layout.partner_country


def _country(row: _Row, layout: _Layout, places: _Places, where: str) -> str | None:
    """The country a row's country cell names (None when the row has none)."""
    country_cell = _cell(row, layout, "country")
    if not country_cell:
        return None
    row_country = layout.names.get(normalise(country_cell))
    if row_country is None:
        try:
            row_country = places.gazetteer.resolve(country_cell).key
        except (UnknownActor, AmbiguousActor) as error:
            msg = f"{where}: country {country_cell!r} is not a country the gazetteer knows: {error}"
            raise InvalidInput(msg) from None
    if places.drafts[row_country].level is not ActorLevel.COUNTRY:
        msg = f"{where}: country {country_cell!r} is {row_country}, not a country"
        raise InvalidInput(msg)
    return row_country


def _header_period(text: str, where: str, key: str) -> Period:
    try:
        return Period.from_edtf(text)
    except InvalidValue as error:
        msg = f"{where}: {key}: {error}"
        raise InvalidInput(msg) from None


def _cell(row: _Row, layout: _Layout, role: str) -> str | None:
    index = layout.roles.get(role)
    return row.cells[index] if index is not None else None


def _fact(row: _Row, layout: _Layout, places: _Places, *, document: str, published: Period, where: str) -> FactDraft:
    notes = [f"row {row.number} of the register"]
    partner_country = layout.partner_country
    row_country = _country(row, layout, places, where)
    if row_country is not None:
        if partner_country is not None and row_country != partner_country:
            printed = _cell(row, layout, "country")
            msg = (
                f"{where}: country {printed!r} is not the register's partner country {partner_country} "
                "(other_countries: skip keeps the rows of other countries out)"
            )
            raise InvalidInput(msg)
        partner_country = row_country
    partner = _place(row, layout, places, "partner", country=partner_country, where=where, notes=notes)
    if layout.owner is not None:
        owner = layout.owner
    else:
        owner = _place(row, layout, places, "owner", country=layout.owner_country, where=where, notes=notes)
    if owner == partner:
        msg = f"{where}: the owner and the partner are both {owner}"
        raise InvalidInput(msg)
    owner_country, partner_home = places.drafts[owner].country, places.drafts[partner].country
    if owner_country == partner_home:
        msg = f"{where}: {owner} and {partner} are both in {owner_country}; a register records ties across countries"
        raise InvalidInput(msg)
    level = _level(row, layout, where, notes)
    date_cell = _cell(row, layout, "date")
    if date_cell:
        try:
            date = parse_printed_date(date_cell)
        except InvalidValue as error:
            msg = f"{where}: {error}"
            raise InvalidInput(msg) from None
        notes.append(f"date printed as {date_cell!r}")
    else:
        if published.latest is None:
            msg = f"{where}: no date printed, and the register has no date to bound it"
            raise InvalidInput(msg)
        date = Period.from_edtf(f"..{published.latest.isoformat()}")
        notes.append("no date printed: the tie stood by the list's date")
    return FactDraft(
        kind=FactKind.RELATIONSHIP_ESTABLISHED,
        modality=Modality.OCCURRED,
        parties=(owner, partner),
        date=date,
        attributes=Attributes.of({"level": level}),
        document=document,
        quote=row.text,
        start=row.start,
        notes=tuple(notes),
        origin=where,
    )


def _place(
    row: _Row, layout: _Layout, places: _Places, role: str, *, country: str | None, where: str, notes: list[str]
) -> str:
    name = _cell(row, layout, role)
    parent_cell = _cell(row, layout, f"{role}_parent")
    parent = None
    if parent_cell:
        parent = _read_place(parent_cell, layout, places, f"{role}_parent", country=country, parent=None, where=where)
    if not name:
        if parent is None or not layout.empty_is_parent:
            hint = f" (empty_place: parent reads it as {parent}, printed beside it)" if parent is not None else ""
            msg = f"{where}: the {role} cell is empty{hint}"
            raise InvalidInput(msg)
        notes.append(f"{role} cell empty: the tie is {parent}'s own, printed in the {role}_parent column")
        return parent
    return _read_place(name, layout, places, role, country=country, parent=parent, where=where, notes=notes)


def _read_place(
    text: str,
    layout: _Layout,
    places: _Places,
    what: str,
    *,
    country: str | None,
    parent: str | None,
    where: str,
    notes: list[str] | None = None,
) -> str:
    """The place a cell names: by the list's names: line, else through the gazetteer; never guessed."""
    listed = layout.names.get(normalise(text))
    if listed is not None:
        if places.drafts[listed].level not in PLACE_LEVELS:
            msg = f"{where}: {what} {text!r} is {listed} by the names: header, not a place"
            raise InvalidInput(msg)
        if country is not None and places.drafts[listed].country != country:
            msg = f"{where}: {what} {text!r} is {listed} by the names: header, not a place in {country}"
            raise InvalidInput(msg)
        if parent is not None and not places.within(listed, parent):
            msg = f"{where}: {what} {text!r} is {listed} by the names: header, not a place within {parent}"
            raise InvalidInput(msg)
        if notes is not None:
            notes.append(f"{what} {text!r} read as {listed} (by the list's names: header)")
        return listed
    try:
        key, how = places.resolve(text, country=country, parent=parent)
    except (UnknownActor, AmbiguousActor) as error:
        within = f" within {country}" if country else ""
        msg = f"{where}: {what} {text!r}{within}: {error}"
        raise InvalidInput(msg) from None
    if notes is not None:
        notes.append(f"{what} {text!r} read as {key} ({how}{f', in {parent}' if parent else ''})")
    return key


def _level(row: _Row, layout: _Layout, where: str, notes: list[str]) -> str:
    if layout.fixed_level is not None:
        heading, fixed = layout.fixed_level
        notes.append(f"level printed as {heading!r} for the whole list")
        return fixed
    printed = _cell(row, layout, "level") or ""
    level = layout.level_forms.get(normalise(printed))
    if level is None:
        msg = f"{where}: unknown printed level {printed!r} ({_known_forms(layout.extra_forms)})"
        raise InvalidInput(msg)
    notes.append(f"level printed as {printed!r}")
    return level
