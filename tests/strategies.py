"""Hypothesis strategies for dates and attributes, and an independent reading of the EDTF they draw.

``edtf_texts`` draws the forms the corpus uses: a year, month or day, qualified (``?``, ``~``, ``%``)
or not; unspecified digits (``199X``, ``19XX``, ``2019-XX``); intervals whose ends are qualified
(``2018?/2020~``) or open (``../2024-04-24``, ``2024-04-24/..``, and the shorthand ``..2024-04-24``).
``days`` reads them again without the edtf package: the first and last day each may mean (None for
an open end), widening a qualified date by one unit of its precision and ``%`` by two.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st

from domain.kinds import spec
from events.values import FactKind

YEARS = st.integers(min_value=1990, max_value=2030)


@st.composite
def plain_dates(draw: st.DrawFn, *, qualified: bool = True) -> str:
    """A year, month or day of 1990-2030, with a qualifier or not."""
    year = draw(YEARS)
    precision = draw(st.sampled_from(["year", "month", "day"]))
    text = f"{year:04d}"
    if precision != "year":
        text += f"-{draw(st.integers(1, 12)):02d}"
    if precision == "day":
        text += f"-{draw(st.integers(1, 28)):02d}"
    return text + (draw(st.sampled_from(["", "", "?", "~", "%"])) if qualified else "")


@st.composite
def unspecified_dates(draw: st.DrawFn) -> str:
    """A decade, a century or a year's unknown month, written with X digits."""
    year = draw(YEARS)
    return draw(st.sampled_from([f"{year // 10}X", f"{year // 100}XX", f"{year:04d}-XX"]))


@st.composite
def intervals(draw: st.DrawFn) -> str:
    """Two dates in order, each maybe qualified, or an interval open at one end."""
    start, end = draw(plain_dates()), draw(plain_dates())
    if days(start)[0] > days(end)[1]:  # type: ignore[operator]
        start, end = end, start
    form = draw(st.sampled_from(["closed", "closed", "open start", "open end", "shorthand"]))
    if form == "open start":
        return f"../{end}"
    if form == "open end":
        return f"{start}/.."
    if form == "shorthand":
        return f"..{end}"
    return f"{start}/{end}"


def edtf_texts() -> st.SearchStrategy[str]:
    """Every form above."""
    return st.one_of(plain_dates(), unspecified_dates(), intervals())


def finite_edtf_texts() -> st.SearchStrategy[str]:
    """The forms above without open ends (publication dates are never open)."""
    return edtf_texts().filter(lambda text: ".." not in text)


def days(text: str) -> tuple[date | None, date | None]:
    """The first and last day an EDTF text of the forms above may mean; None for an open end."""
    if text.startswith("..") and not text.startswith("../"):
        return None, days(text[2:])[1]
    if "/" in text:
        first, last = text.split("/")
        return (None if first == ".." else days(first)[0]), (None if last == ".." else days(last)[1])
    if "X" in text:
        if text.endswith("-XX"):
            year = int(text[:4])
            return date(year, 1, 1), date(year, 12, 31)
        digits = text.rstrip("X")
        span = 10 ** (4 - len(digits))
        first_year = int(digits) * span
        return date(first_year, 1, 1), date(first_year + span - 1, 12, 31)
    qualifier = text[-1] if text[-1] in "?~%" else ""
    parts = [int(part) for part in text.rstrip("?~%").split("-")]
    widen = 2 if qualifier == "%" else 1 if qualifier else 0
    if len(parts) == 1:
        return date(parts[0] - widen, 1, 1), date(parts[0] + widen, 12, 31)
    if len(parts) == 2:
        months = parts[0] * 12 + parts[1] - 1
        low, high = months - widen, months + widen
        after = date((high + 1) // 12, (high + 1) % 12 + 1, 1)
        return date(low // 12, low % 12 + 1, 1), after - timedelta(days=1)
    day = date(*parts)
    return day - timedelta(days=widen), day + timedelta(days=widen)


def by(text: str, asked: date) -> tuple[bool, bool]:
    """(certainly by, possibly by) ``asked``, checked day by day over the finite part of the period."""
    first, last = days(text)
    if first is None:
        return (last is not None and last <= asked), True
    if last is None:
        return False, first <= asked
    every = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    return all(day <= asked for day in every), any(day <= asked for day in every)


ATTRIBUTE_NAMES = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=12)
ATTRIBUTE_VALUES: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=40),
    st.lists(st.text(max_size=20), max_size=5),
)
ATTRIBUTES = st.dictionaries(ATTRIBUTE_NAMES, ATTRIBUTE_VALUES, max_size=8)
# A statistic's free attributes: `levels` names levels of the vocabulary and is checked (tests/test_kinds.py).
STATISTIC_ATTRIBUTES = st.dictionaries(
    st.sampled_from(sorted(set(spec(FactKind.STATISTIC).attributes) - {"levels"})), ATTRIBUTE_VALUES, max_size=8
)
