"""Registers: published lists of ties (a province's sister cities, ...) read into a source and its facts.

A register file is a block of ``#`` header lines (see corpus/README.md, "Registers") followed by
the table as copied: a CSV (RFC 4180) or a text table with ``|`` separators. The table part is the
stored source text, and each data row is the quote of the one ``relationship_established`` fact
it states. Everything is checked first: a problem is one line naming the file, the row and what
is wrong, with the candidates where there are some.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import attrs

from corpus.files import period_field, read_text
from corpus.gazetteer import KnownActor
from corpus.printed import KNOWN_LEVEL_FORMS, TIE_LEVELS, known_forms, parse_printed_date
from corpus.register_places import Places
from corpus.register_table import REQUIRED_HEADER_KEYS, Row, pairs, read_header, table_rows
from domain.actors import ActorDraft
from domain.errors import AmbiguousActor, InvalidInput, UnknownActor
from domain.facts import FactDraft
from domain.names import normalise
from domain.sources import SourceDraft
from domain.vocabulary import LOCAL_GOVERNMENTS
from events.values import ActorLevel, Attributes, FactKind, InvalidValue, Modality, Period, SourceKind

ROLES = frozenset({"partner", "owner", "level", "date", "country", "partner_parent", "owner_parent"})


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


def _layout(fields: Mapping[str, str], columns: Sequence[str], places: Places, where: str) -> _Layout:
    mapping = pairs(fields["columns"], where, "columns")
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
    extra_forms = pairs(fields["levels"], where, "levels") if fields.get("levels") else {}
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
            msg = f"{where}: level: unknown printed level {fields['level']!r} ({known_forms(extra_forms)})"
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


def _names(value: str, places: Places, where: str) -> dict[str, str]:
    """A list's own names (``경기=경기도, 대만=TW``): each printed form, once, to one place or country."""
    names: dict[str, str] = {}
    for printed, target in pairs(value, where, "names").items() if value else ():
        key = places.code(target, where, f"names: {printed}")
        if places.drafts[key].level not in LOCAL_GOVERNMENTS and places.drafts[key].level is not ActorLevel.COUNTRY:
            msg = f"{where}: names: {printed}: {key} is not a place or a country"
            raise InvalidInput(msg)
        names[normalise(printed)] = key
    return names


def read_register(
    path: Path, actors: Sequence[ActorDraft], known: Sequence[KnownActor] = ()
) -> tuple[SourceDraft, list[FactDraft]]:
    """A register file read into its source (kind database) and one fact per data row; its places are the
    gazetteer's, the documents' of the same ingest, and ``known``: those the store already holds."""
    where = str(path)
    text = read_text(path, "register")
    header = read_header(text, where)
    fields = header.fields
    missing = [key for key in REQUIRED_HEADER_KEYS if not fields.get(key)]
    if missing:
        msg = f"{where}: missing header field {missing[0]!r} (# {missing[0]}: ...)"
        raise InvalidInput(msg)
    table = text[header.table_start :]
    columns, rows = table_rows(table, path.suffix.lower() == ".txt", where)
    if not rows:
        msg = f"{where}: the table has no data rows"
        raise InvalidInput(msg)
    places = Places(actors, known)
    layout = _layout(fields, columns, places, where)
    retrieved = period_field(fields["retrieved"], where, "retrieved")
    if retrieved.earliest is None or retrieved.earliest != retrieved.latest:
        msg = f"{where}: retrieved must be the day the list was read (YYYY-MM-DD), not {fields['retrieved']!r}"
        raise InvalidInput(msg)
    published = (
        period_field(fields["published"], where, "published")
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


def _of_another_country(row: Row, layout: _Layout, places: Places, where: str) -> bool:
    """Whether a row is to be skipped: ``other_countries: skip`` and its country cell names another country
    (a country cell the gazetteer cannot read is refused, never skipped)."""
    if not layout.skip_other_countries:
        return False
    country = _country(row, layout, places, where)
    return country is not None and country != layout.partner_country


def _country(row: Row, layout: _Layout, places: Places, where: str) -> str | None:
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


def _cell(row: Row, layout: _Layout, role: str) -> str | None:
    index = layout.roles.get(role)
    return row.cells[index] if index is not None else None


def _fact(row: Row, layout: _Layout, places: Places, *, document: str, published: Period, where: str) -> FactDraft:
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
    row: Row, layout: _Layout, places: Places, role: str, *, country: str | None, where: str, notes: list[str]
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
    places: Places,
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
        if places.drafts[listed].level not in LOCAL_GOVERNMENTS:
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


def _level(row: Row, layout: _Layout, where: str, notes: list[str]) -> str:
    if layout.fixed_level is not None:
        heading, fixed = layout.fixed_level
        notes.append(f"level printed as {heading!r} for the whole list")
        return fixed
    printed = _cell(row, layout, "level") or ""
    level = layout.level_forms.get(normalise(printed))
    if level is None:
        msg = f"{where}: unknown printed level {printed!r} ({known_forms(layout.extra_forms)})"
        raise InvalidInput(msg)
    notes.append(f"level printed as {printed!r}")
    return level
