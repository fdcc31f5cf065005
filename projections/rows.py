"""Turning stored event payloads into row values shared by several projections."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from itertools import combinations
from typing import Any

import orjson

from projections.base import FIRST_DAY, LAST_DAY


def period_bounds(period: Mapping[str, Any]) -> tuple[str, str, str]:
    """A stored period as (EDTF, earliest day, latest day), open ends as the first and last day."""
    return period["edtf"], period["earliest"] or FIRST_DAY, period["latest"] or LAST_DAY


def pair_key(a: str, b: str) -> str:
    """The key of an unordered pair of actors."""
    return f"{a}|{b}" if a <= b else f"{b}|{a}"


def pairs(parties: list[str]) -> Iterator[tuple[str, str]]:
    """Every unordered pair among a fact's parties."""
    return combinations(sorted(set(parties)), 2)


def json_text(value: Any) -> str:
    """A value as compact JSON text for a text column."""
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode("utf-8")
