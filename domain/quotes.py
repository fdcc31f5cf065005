"""Where a quote stands in a text: its exact occurrences, or the nearest passage and how it differs."""

from __future__ import annotations

import difflib

import attrs
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

SHOWN = 60


@attrs.frozen(kw_only=True)
class Nearest:
    """The passage of a text nearest to a quote that is not in it, and the differences (quote → text)."""

    start: int
    end: int
    passage: str
    score: float
    differences: tuple[str, ...]

    def describe(self) -> str:
        """The nearest passage in a line: where it is and what differs."""
        shown = ", ".join(self.differences[:4]) + (", …" if len(self.differences) > 4 else "")
        return (
            f"nearest at {self.start}-{self.end} ({self.score:.0f}% alike): {_clip(self.passage)!r}; differs: {shown}"
        )


def occurrences(text: str, quote: str) -> list[int]:
    """The offsets at which ``quote`` occurs in ``text``, overlaps included."""
    found, start = [], text.find(quote)
    while start >= 0 and quote:
        found.append(start)
        start = text.find(quote, start + 1)
    return found


def nearest(text: str, quote: str) -> Nearest | None:
    """The passage of ``text`` most like ``quote``, or None when nothing is alike (under half)."""
    if not quote or not text:
        return None
    alignment = fuzz.partial_ratio_alignment(quote, text)
    if alignment is None or alignment.score < 50:
        return None
    start, end = _widened(text, quote, alignment.dest_start, alignment.dest_end)
    passage = text[start:end]
    return Nearest(
        start=start,
        end=end,
        passage=passage,
        score=alignment.score,
        differences=tuple(_differences(quote, passage)),
    )


def _widened(text: str, quote: str, start: int, end: int, slack: int = 4) -> tuple[int, int]:
    """The window around an alignment most like the quote (an aligned window has the quote's length, so a
    letter missing or added in the text shifts it)."""
    candidates = (
        (Levenshtein.distance(quote, text[left:right]), abs(right - left - len(quote)), left, right)
        for left in range(max(0, start - slack), start + slack + 1)
        for right in range(max(left + 1, end - slack), min(len(text), end + slack) + 1)
    )
    _distance, _length, left, right = min(candidates)
    return left, right


def _differences(quote: str, passage: str) -> list[str]:
    """What changes the quote into the passage, in a few words each (``'\\'' → '’'``)."""
    matcher = difflib.SequenceMatcher(a=quote, b=passage, autojunk=False)
    return [
        f"{quote[a0:a1]!r} → {passage[b0:b1]!r}"
        if a1 > a0 and b1 > b0
        else (f"{quote[a0:a1]!r} not in the text" if a1 > a0 else f"the text adds {passage[b0:b1]!r}")
        for tag, a0, a1, b0, b1 in matcher.get_opcodes()
        if tag != "equal"
    ]


def _clip(text: str) -> str:
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"
