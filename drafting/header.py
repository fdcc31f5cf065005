"""The text before the body: a title line, navigation, a 'Created 2024-06-19 Hit 235' line, a dateline."""

from __future__ import annotations

import re

from edtf import text_to_edtf

from drafting.model import Header
from events.values import InvalidValue, Period

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?"
    r"|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_WRITTEN_DATE = (
    rf"(?:\d{{4}}-\d{{1,2}}-\d{{1,2}}|\d{{4}}\.\s?\d{{1,2}}\.\s?\d{{1,2}}\.?|\d{{4}}/\d{{1,2}}/\d{{1,2}}"
    rf"|{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH}\s+\d{{4}})"
)
_DATE_LINE = re.compile(
    rf"^\W*(?:(?P<label>Created+|Posted|Published|Released|Issued|Date|Written|Registered|Updated|Modified)\b"
    rf"\s*(?:on|:)?\s*:?\s*)?(?P<date>{_WRITTEN_DATE})(?:\b|$)",
    re.IGNORECASE,
)
_DATELINE = re.compile(
    rf"^(?P<place>[A-Z][A-Z .'’-]{{1,40}}),\s+(?P<date>{_MONTH}\s+\d{{1,2}}(?:,\s+\d{{4}})?)\s*"
    r"(?:\([^)\n]{1,40}\))?\s*(?:--|—|–|-)\s*"
)
_SENTENCE_END = re.compile(r"[.!?…][”\"’)]*\s*$")
_LIST_MARKER = re.compile(r"^\s*(?:[○●•◦▪■□※–—*-]|\d{1,2}[.)])\s*")
_NAVIGATION = re.compile(r"[>|»]|^\s*(?:by|home|print|menu|share|tweet|email)\b|\(\)", re.IGNORECASE)
_UPDATED = ("updated", "modified")
MIN_BODY_WORDS = 8


def _written_date(text: str) -> Period | None:
    cleaned = re.sub(r"(\d{4})[./](\d{1,2})[./](\d{1,2})\.?", r"\1-\2-\3", text.strip())
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", cleaned)
    if iso:
        cleaned = f"{iso.group(1)}-{int(iso.group(2)):02d}-{int(iso.group(3)):02d}"
    else:
        cleaned = str(text_to_edtf(cleaned) or "")
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", cleaned):
        return None
    try:
        return Period.from_edtf(cleaned)
    except InvalidValue:
        return None


def _lines(text: str) -> list[tuple[int, str]]:
    lines, offset = [], 0
    for line in text.splitlines(keepends=True):
        lines.append((offset, line))
        offset += len(line)
    return lines


def _is_body_line(line: str) -> bool:
    stripped = _LIST_MARKER.sub("", line.strip())
    words = re.findall(r"[A-Za-z]+", stripped)
    return len(words) >= MIN_BODY_WORDS and bool(_SENTENCE_END.search(stripped))


def _title_of(header_lines: list[str]) -> str | None:
    best: str | None = None
    for line in header_lines:
        stripped = line.strip()
        if not stripped or _LIST_MARKER.match(stripped) or _NAVIGATION.search(stripped) or _DATE_LINE.match(stripped):
            continue
        words = re.findall(r"[A-Za-z]+", stripped)
        if len(words) >= 3 and (best is None or len(words) > len(re.findall(r"[A-Za-z]+", best))):
            best = stripped
    return best


def read_header(text: str) -> Header:
    """Where the body starts, the likeliest title, and a publication date printed before the body."""
    lines = _lines(text)
    body_index = next((index for index, (_, line) in enumerate(lines) if _is_body_line(line)), None)
    if body_index is None:
        body_index = next((index for index, (_, line) in enumerate(lines) if line.strip()), 0)
    header_lines = [line for _, line in lines[:body_index]]
    published: Period | None = None
    published_line: str | None = None
    for line in header_lines:
        match = _DATE_LINE.match(line.strip())
        if not match:
            continue
        found = _written_date(match.group("date"))
        label = (match.group("label") or "").lower()
        if found is not None and (published is None or label not in _UPDATED):
            if published is None or published_line is None or label not in _UPDATED:
                published, published_line = found, line.strip()
            if label not in _UPDATED:
                break
    body_start = lines[body_index][0] if lines else 0
    body_line = lines[body_index][1] if lines else ""
    indent = len(body_line) - len(body_line.lstrip())
    dateline = _DATELINE.match(body_line.lstrip())
    dateline_end = None
    if dateline:
        dateline_end = body_start + indent + dateline.end()
        if published is None and re.search(r"\d{4}", dateline.group("date")):
            published = _written_date(dateline.group("date"))
            published_line = dateline.group(0).strip() if published else None
    return Header(
        body_start=body_start,
        title=_title_of(header_lines),
        published=published,
        published_line=published_line,
        dateline_end=dateline_end,
    )
