"""Facts in a few words, as every interface shows them: the kind's phrase and its main detail."""

from __future__ import annotations

from domain.kinds import KINDS
from events.values import Attributes, FactKind, Modality
from projections.answers import FactView

DETAIL_WIDTH = 90


def describe(fact: FactView) -> str:
    """What happened, with its main detail and its modality when not occurred: ``meeting (big data cooperation)``."""
    detail = main_detail(fact.kind, fact.attributes)
    planned = "" if fact.modality is Modality.OCCURRED else f" [{fact.modality}]"
    return f"{KINDS[fact.kind].phrase}{' (' + detail + ')' if detail else ''}{planned}"


def main_detail(kind: FactKind, attributes: Attributes) -> str:
    """The first of the kind's detail attributes that the fact has, shortened to fit a table cell."""
    for name in KINDS[kind].detail:
        value = attributes.get(name)
        if not value:
            continue
        text = ", ".join(value) if isinstance(value, tuple) else str(value)
        if name == "role":
            person = attributes.get("person")
            text = f"{person}, {text}" if person else text
        if name == "measure":
            text = f"{text}: {attributes.get('value')} {attributes.get('unit') or ''}".strip()
        return text if len(text) <= DETAIL_WIDTH else text[: DETAIL_WIDTH - 1] + "…"
    return ""


def period_in_words(edtf: str) -> str:
    """An EDTF period as a reader says it: ``../2026-11-28`` is "by 2026-11-28", ``1993/..`` "1993 or later",
    ``2018-01-02/2019-01-01`` "between 2018-01-02 and 2019-01-01"; a single date stays as it is."""
    start, interval, end = edtf.partition("/")
    if not interval:
        return edtf
    if start in ("", ".."):
        return f"by {end}"
    if end in ("", ".."):
        return f"{start} or later"
    return f"between {start} and {end}"


def since_in_words(edtf: str) -> str:
    """Since when a status holds, in words: "since 1993", "by 2026-11-28", "since between ... and ..."."""
    words = period_in_words(edtf)
    return words if words.startswith("by ") else f"since {words}"
