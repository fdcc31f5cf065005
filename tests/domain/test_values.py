"""Periods keep an EDTF date's precision and uncertainty; impossible or unparsable dates are refused."""

from __future__ import annotations

from datetime import date

import attrs
import orjson
import pytest

from domain.status import visibility
from events.values import Attributes, Citation, ImpossibleDate, InvalidValue, Period, UnparsableDate
from infrastructure import codec


@pytest.mark.parametrize(
    ("text", "earliest", "latest"),
    [
        ("1993", date(1993, 1, 1), date(1993, 12, 31)),
        ("2019-11-27", date(2019, 11, 27), date(2019, 11, 27)),
        ("2024-06", date(2024, 6, 1), date(2024, 6, 30)),
        ("2020/2023", date(2020, 1, 1), date(2023, 12, 31)),
        ("2018?", date(2017, 1, 1), date(2019, 12, 31)),
        ("1994~", date(1993, 1, 1), date(1995, 12, 31)),
        ("2019-11-27?", date(2019, 11, 26), date(2019, 11, 28)),
        ("2004-06~", date(2004, 5, 1), date(2004, 7, 31)),
        ("2018%", date(2016, 1, 1), date(2020, 12, 31)),
        ("..2024-04-24", None, date(2024, 4, 24)),
        ("2024-04-24/..", date(2024, 4, 24), None),
        ("199X", date(1990, 1, 1), date(1999, 12, 31)),
    ],
)
def test_bounds_keep_precision_and_uncertainty(text: str, earliest: date | None, latest: date | None) -> None:
    """A year is the whole year, a qualified date widens by one unit of its own precision, open ends stay open."""
    period = Period.from_edtf(text)
    assert (period.earliest, period.latest) == (earliest, latest)


def test_a_year_is_not_its_first_of_january_but_over_only_on_its_last_day() -> None:
    """'1993' may have happened by 1 January 1993 or 15 June 1993 but is certainly over only on 31 December
    1993, never on the 30th; by 31 December 1992 it cannot have happened."""
    period = Period.from_edtf("1993")
    assert visibility(period.lower, period.upper, date(1992, 12, 31)) is None
    for day in (date(1993, 1, 1), date(1993, 6, 15), date(1993, 12, 30)):
        assert visibility(period.lower, period.upper, day) is False
    assert visibility(period.lower, period.upper, date(1993, 12, 31)) is True


def test_open_start_is_written_as_an_interval() -> None:
    """'..2024-04-24' (by then) is stored as the EDTF interval with an open start."""
    assert Period.from_edtf("..2024-04-24").edtf == "../2024-04-24"


@pytest.mark.parametrize("text", ["2023-02-29", "2024-04-31", "2024/2020", "1993-13", "1993-00-10"])
def test_impossible_dates_are_refused(text: str) -> None:
    """A day that is not in the calendar, or a period ending before it starts, is refused by name."""
    with pytest.raises(ImpossibleDate, match="impossible date"):
        Period.from_edtf(text)


@pytest.mark.parametrize("text", ["", "June 1993", "1993/06/15", "19933-01-01x", "yesterday", "/..", "../"])
def test_unparsable_dates_are_refused(text: str) -> None:
    """Text that is not EDTF is refused, naming the text."""
    with pytest.raises(UnparsableDate):
        Period.from_edtf(text)


def test_attributes_are_sorted_and_immutable() -> None:
    """Attributes keep scalar values and lists of text as tuples, sorted by name."""
    attributes = Attributes.of({"b": ["x", "y"], "a": 1})
    assert attributes.items == (("a", 1), ("b", ("x", "y")))
    assert attributes.to_json() == {"a": 1, "b": ["x", "y"]}


def test_attributes_refuse_nested_values() -> None:
    """A nested mapping cannot ride in an event's attributes."""
    with pytest.raises(InvalidValue, match="attribute 'a'"):
        Attributes.of({"a": {"nested": 1}})


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        (2**63, "too large to store"),
        (-(2**63) - 1, "too large to store"),
        (float("nan"), "finite"),
        (float("inf"), "finite"),
    ],
)
def test_attributes_refuse_numbers_a_store_cannot_keep(value: float, fragment: str) -> None:
    """An integer beyond 64 bits cannot be encoded, and NaN or infinity would come back as null: both refused."""
    with pytest.raises(InvalidValue, match=fragment):
        Attributes.of({"count": value})
    assert Attributes.of({"count": 2**63 - 1}).get("count") == 2**63 - 1


@pytest.mark.parametrize(
    "value",
    [
        Period.from_edtf("2018?"),
        Period.from_edtf("..2024-04-24"),
        Citation(document="doc", sha256="ab" * 32, start=3, end=9, quote="a word"),
    ],
)
def test_stored_form_names_every_field(value: Period | Citation) -> None:
    """A value's hand-written stored form holds every field by name, so the codec's decoder finds them all."""
    assert value.to_json() == {field.name: getattr(value, field.name) for field in attrs.fields(type(value))}
    assert codec.decoder_for(type(value))(orjson.loads(codec.dumps(value))) == value
