"""Which date a candidate gets: the one its trigger is nearest in its sentence, else its passage's, else
the publication date; a weekday read back from publication, an anniversary counted from its year."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import TypeVar

import attrs

from domain.errors import InvalidInput
from domain.relative_dates import resolve_relative
from drafting.dates import anniversary_from
from drafting.kinds import BEGINNINGS, PAUSES
from drafting.model import DateMention, Sentence, Span
from drafting.triggers import Trigger
from events.values import FactKind, InvalidValue, Modality, Period

_HIATUS = re.compile(r"\b(?P<count>\w+)-year (?:hiatus|suspension|pause|break)\b")
_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
ANCHOR_WINDOW = timedelta(days=60)
_OF_DIPLOMATIC = re.compile(
    r"\s+of\s+(?:the\s+)?(?:establish\w*\s+(?:of\s+)?)?(?:the\s+)?(?:\w+-\w+\s+|\w+\s+and\s+\w+\s+)?diplomatic",
    re.IGNORECASE,
)
_LOOKING_BACK = re.compile(r"anniversary|\bago\b|^for\b|^since\b", re.IGNORECASE)


_Dated = TypeVar("_Dated", DateMention, "DateChoice")


@attrs.frozen(kw_only=True)
class DateChoice:
    """The date chosen for a candidate, as EDTF or a relative phrase, with a note saying where it came from."""

    period: Period
    edtf: str | None
    relative: str | None
    note: str
    from_text: bool
    each: tuple[Period, ...] = ()


class DateReading:
    """The dates of one text's candidates, read against its publication date and the date the text is about."""

    def __init__(self, text: str, published: Period) -> None:
        self.text = text
        self.published = published
        self.anchor: DateMention | None = None

    def past_reading(self, mention: DateMention) -> DateMention:
        """'on Thursday' read as the Thursday before publication when the one after is later than publication."""
        if mention.relative is None or mention.period.lower <= self.published.upper:
            return mention
        return self._previous_weekday(mention, mention.relative)

    def anchor_on(self, dated: Iterable[tuple[Sentence, list[DateMention]]]) -> None:
        """The date the text is about: its first precise date within two months before publication."""
        low = self.published.lower - ANCHOR_WINDOW
        for _, dates in dated:
            for mention in dates:
                past = self.past_reading(mention)
                if past.is_precise and low <= past.period.lower and past.period.upper <= self.published.upper:
                    self.anchor = past
                    return

    def default(self, modality: Modality, paragraph_date: DateMention | None) -> DateChoice:
        """The date of a candidate whose sentence gives none: its passage's, the text's, or publication's."""
        base = paragraph_date or self.anchor
        if modality != Modality.OCCURRED:
            start = base.period.earliest if base is not None and base.period.earliest else self.published.lower
            return DateChoice(
                period=Period.from_edtf(f"{start.isoformat()}/.."),
                edtf=f"{start.isoformat()}/..",
                relative=None,
                note="No date in the sentence: planned or expected from the date the text is about, with no end.",
                from_text=False,
            )
        if base is not None:
            carried = DateChoice(
                period=base.period,
                edtf=base.edtf,
                relative=base.relative,
                note=f"No date in the sentence: the date of the passage, {base.text!r}.",
                from_text=False,
            )
            return self.past_weekday(carried, modality)
        return DateChoice(
            period=self.published,
            edtf=self.published.edtf,
            relative=None,
            note="No date in the sentence: the publication date.",
            from_text=False,
        )

    def choose(
        self,
        trigger: Trigger,
        clause: Span,
        dates: Sequence[DateMention],
        modality: Modality,
        paragraph_date: DateMention | None,
    ) -> DateChoice:
        """The date nearest the trigger among its sentence's, as its kind reads dates; else the default."""
        usable = list(dates)
        if trigger.kind not in BEGINNINGS:
            usable = [d for d in usable if not (d.relative or "").endswith("anniversary")]
        else:
            usable = [d for d in usable if trigger.level == "diplomatic" or not self._anniversary_of_diplomatic(d)]
        if trigger.kind == FactKind.RELATIONSHIP_ESTABLISHED:
            looking_back = [d for d in usable if clause.covers(d.span) and _LOOKING_BACK.search(d.text)]
            usable = looking_back or usable
        if trigger.kind in (FactKind.STATEMENT, FactKind.INVITATION, FactKind.OFFICE_HELD):
            usable = [d for d in usable if d.is_precise and d.period.lower <= self.published.upper]
        if trigger.kind == FactKind.STATISTIC:
            usable = [
                d
                for d in usable
                if clause.covers(d.span) and ("/" in (d.edtf or "") or 0 <= trigger.span.start - d.span.end <= 20)
            ]
        if not usable:
            return self.default(modality, paragraph_date)

        def distance(mention: DateMention) -> int:
            return trigger.span.gap(mention.span) + (0 if clause.covers(mention.span) else 200)

        chosen = min(usable, key=distance)
        absolute = [
            d
            for d in dates
            if d.edtf is not None
            and d is not chosen
            and not d.since
            and not re.search(
                r"\b(?:since|starting|started|from|began)\s+(?:in\s+)?$",
                self.text[max(0, d.span.start - 15) : d.span.start],
            )
        ]
        absolute += [d for d in dates if d.relative in ("this year", "next year", "last year")]
        if chosen.relative is not None and chosen.relative.endswith("anniversary") and absolute:
            converted = anniversary_from(chosen, absolute[0])
            if converted is not None:
                chosen = converted
        edtf, relative, period = chosen.edtf, chosen.relative, chosen.period
        note = f"Read from {chosen.text!r}."
        if edtf is not None and "/" in edtf and trigger.kind in BEGINNINGS:
            edtf = edtf.split("/")[0]
            period = Period.from_edtf(edtf)
            note = f"The start of {chosen.text!r}."
        elif chosen.since and trigger.kind in (FactKind.EXCHANGE, FactKind.STATEMENT) and edtf is not None:
            end = self.published.edtf.split("/")[-1]
            edtf = f"{edtf}/{end}"
            period = Period.from_edtf(edtf)
            note = f"From {chosen.text!r} to the publication date."
        if chosen.anchor is not None:
            note = f"Read from {chosen.text!r}, counted from {chosen.anchor!r}."
        choice = DateChoice(period=period, edtf=edtf, relative=relative, note=note, from_text=True, each=chosen.each)
        return self.past_weekday(choice, modality)

    def _anniversary_of_diplomatic(self, mention: DateMention) -> bool:
        """Whether a date is the anniversary of diplomatic relations ('the 30th anniversary of the establishment of
        diplomatic ties'), which dates no tie between places."""
        if not (mention.relative or "").endswith("anniversary"):
            return False
        return bool(_OF_DIPLOMATIC.match(self.text, mention.span.end))

    def past_weekday(self, choice: DateChoice, modality: Modality) -> DateChoice:
        """'on Tuesday' of something that happened is the Tuesday before publication, not the one after."""
        if choice.relative is None or modality != Modality.OCCURRED:
            return choice
        return self._previous_weekday(choice, choice.relative)

    def _previous_weekday(self, dated: _Dated, relative: str) -> _Dated:
        """``on Tuesday`` read as the Tuesday before publication; anything else as it was."""
        if not re.fullmatch(r"on \w+day", relative):
            return dated
        previous = "previous " + relative.split()[1]
        try:
            period = resolve_relative(previous, self.published).period
        except (InvalidInput, InvalidValue):
            return dated
        return attrs.evolve(dated, relative=previous, period=period)

    def hiatus(self, trigger: Trigger, sentence: Span, date: DateChoice) -> DateChoice:
        """A pause's start counted back from 'a three-year hiatus' ending at the date chosen."""
        if trigger.kind not in PAUSES:
            return date
        match = _HIATUS.search(self.text, sentence.start, sentence.end)
        if match is None:
            return date
        word = match.group("count").lower()
        count = int(word) if word.isdigit() else _NUMBER_WORDS.get(word)
        if count is None or date.period.earliest is None:
            return date
        year = date.period.earliest.year - count
        edtf = f"{year}~"
        return DateChoice(
            period=Period.from_edtf(edtf),
            edtf=edtf,
            relative=None,
            note=f"{match.group(0)!r} counted back from {date.period.edtf}: about {year}.",
            from_text=True,
        )
