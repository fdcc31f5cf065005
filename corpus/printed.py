"""How lists print a tie's level and its date: the closed vocabulary of level forms in English, Korean,
Chinese and Japanese, and the date forms read with the precision printed."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import date

from domain.names import normalise
from events.values import InvalidValue, Period

TIE_LEVELS = ("sisterhood", "friendship")

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


def known_forms(extra: Mapping[str, str]) -> str:
    forms = {
        "sisterhood": [*_SISTERHOOD_FORMS, *(form for form, level in extra.items() if level == "sisterhood")],
        "friendship": [*_FRIENDSHIP_FORMS, *(form for form, level in extra.items() if level == "friendship")],
    }
    return "known: " + "; ".join(f"{level}: {', '.join(forms[level])}" for level in TIE_LEVELS)


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
