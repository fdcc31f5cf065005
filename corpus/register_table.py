"""A register file's format: the ``# paradip register`` header block, then the table as copied (a CSV,
RFC 4180, or a text table with ``|`` separators), read into rows that keep their text and offsets."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Mapping
from pathlib import Path

import attrs

from domain.errors import InvalidInput
from domain.names import normalise

MAGIC = "# paradip register"
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

_SEPARATOR_LINE = re.compile(r"\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?")
_HEADER_LINE = re.compile(r"#\s*(?P<key>[a-z_]+)\s*:\s*(?P<value>.*)")


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


@attrs.frozen(kw_only=True)
class Row:
    """One data row of a register: its cells, its text and where the text starts."""

    number: int
    cells: tuple[str, ...]
    text: str
    start: int


@attrs.frozen(kw_only=True)
class Header:
    """The header block of a register: its fields, and where the table starts."""

    fields: Mapping[str, str]
    table_start: int


def read_header(text: str, where: str) -> Header:
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
            return Header(fields=fields, table_start=offset)
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


def pairs(value: str, where: str, key: str) -> dict[str, str]:
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


def table_rows(table: str, pipe: bool, where: str) -> tuple[tuple[str, ...], list[Row]]:
    columns: tuple[str, ...] | None = None
    rows: list[Row] = []
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
        rows.append(Row(number=line_number, cells=cells, text=quote, start=start + leading))
    if columns is None:
        msg = f"{where}: the table has no column header"
        raise InvalidInput(msg)
    return columns, rows
