"""Candidates from triggers: the parties, date, modality, attributes and quote of each, then duplicates merged."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import timedelta

import attrs

from domain.actors import ActorDraft
from domain.errors import InvalidInput
from domain.relative_dates import resolve_relative
from drafting.actors import ActorMatcher
from drafting.conform import conform
from drafting.dates import anniversary_from, find_dates
from drafting.header import read_header
from drafting.modality import modality_of
from drafting.model import Candidate, DateMention, Draft, Header, Mention, Sentence, Span, Unresolved
from drafting.people import Office, find_offices, person_mentions
from drafting.sentences import sentences
from drafting.triggers import FAMILIES, SentenceContext, Trigger
from events.values import Attributes, AttributeValue, FactKind, InvalidValue, Modality, Period

PLACE_LEVELS = frozenset({"province", "municipality", "city", "county", "district"})
_MERGED_KINDS = frozenset(
    {
        FactKind.RELATIONSHIP_ESTABLISHED,
        FactKind.RELATIONSHIP_SUSPENDED,
        FactKind.RELATIONSHIP_RESUMED,
        FactKind.RELATIONSHIP_UPGRADED,
        FactKind.RELATIONSHIP_ENDED,
        FactKind.EXCHANGES_DISRUPTED,
        FactKind.EXCHANGES_RESUMED,
        FactKind.AGREEMENT_SIGNED,
        FactKind.AGREEMENT_REACHED,
        FactKind.MEETING,
        FactKind.VISIT,
        FactKind.INVITATION,
        FactKind.CONFERENCE_HELD,
        FactKind.PROGRAM_STARTED,
        FactKind.PROGRAM_ROUND_HELD,
        FactKind.PROGRAM_SUSPENDED,
        FactKind.PROGRAM_RESUMED,
        FactKind.PROGRAM_ENDED,
        FactKind.ORGANIZATION_ESTABLISHED,
        FactKind.OFFICE_HELD,
    }
)
_BILATERAL = frozenset(
    {
        FactKind.RELATIONSHIP_ESTABLISHED,
        FactKind.RELATIONSHIP_SUSPENDED,
        FactKind.RELATIONSHIP_RESUMED,
        FactKind.RELATIONSHIP_UPGRADED,
        FactKind.RELATIONSHIP_ENDED,
        FactKind.EXCHANGES_DISRUPTED,
        FactKind.EXCHANGES_RESUMED,
        FactKind.AGREEMENT_SIGNED,
        FactKind.AGREEMENT_REACHED,
        FactKind.MEETING,
        FactKind.VISIT,
        FactKind.INVITATION,
        FactKind.EXCHANGE,
        FactKind.STATEMENT,
    }
)
_PAUSES = frozenset({FactKind.PROGRAM_SUSPENDED, FactKind.RELATIONSHIP_SUSPENDED, FactKind.EXCHANGES_DISRUPTED})
_STARTING_KINDS = frozenset(
    {FactKind.RELATIONSHIP_ESTABLISHED, FactKind.PROGRAM_STARTED, FactKind.ORGANIZATION_ESTABLISHED}
)
_THE_TWO_STRICT = re.compile(r"\bthe two (?:provinces|cities|regions|sides|leaders|islands|governments|partners)\b")
_REASON = re.compile(r"\b(?:due to|because of|owing to|amid) (?P<reason>(?:the )?[^,.;]{3,60}?)(?=[,.;]| and\b|$)")
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
_BETWEEN_THEM = re.compile(r"\b(?:between|of) (?:them|the two\b)|\bthe two (?:provinces|cities|regions|sides)\b")
_LOOKING_BACK = re.compile(r"anniversary|\bago\b|^for\b|^since\b", re.IGNORECASE)
_STANDING_BODIES = frozenset({"organization", "government_body", "legislature"})
_PRONOUN = re.compile(r"^[“\"]?(?:He|She)\b|[”\"],?\s+(?:he|she)\s+(?:said|added|responded|replied|noted)\b")
_COORDINATED = re.compile(r"(?:and\s+)?(?:meet|visit|attend|sign|hold|tour|discuss|explore|promote)\b")
_LOCATING = re.compile(r",?\s*(?:(?:the|its)\s+(?:provincial\s+)?capital(?:\s+city)?\s+of\s+|in\s+)?")


@attrs.frozen(kw_only=True)
class _DateChoice:
    period: Period
    edtf: str | None
    relative: str | None
    note: str
    from_text: bool


class Drafter:
    """Drafts candidate facts from a text against one gazetteer: pure, no I/O, no clock."""

    def __init__(self, actors: Sequence[ActorDraft]) -> None:
        self.matcher = ActorMatcher(actors)

    def draft(self, text: str, published: Period | None = None) -> Draft:
        """The candidate facts of ``text``; ``published`` wins over a date printed in its header."""
        header = read_header(text)
        if published is not None:
            chosen, source = published, "option"
            note = "Given with --published."
            if header.published is not None and header.published.edtf != published.edtf:
                note += f" The text's header reads {header.published_line!r}."
        elif header.published is not None:
            chosen, source = header.published, "header"
            note = f"Read from the text's header line {header.published_line!r} (paradip draft)."
        else:
            msg = "no publication date: none is printed before the body; give one with --published EDTF"
            raise InvalidInput(msg)
        if chosen.earliest is None or chosen.latest is None:
            msg = f"the publication date {chosen.edtf!r} is open-ended; give a bounded one (e.g. 2019, 2019-08/2019-12)"
            raise InvalidInput(msg)
        return _Assembly(self.matcher, text, header.body_start, chosen).run(header, source, note)


class _Assembly:
    """One drafting run over one text."""

    def __init__(self, matcher: ActorMatcher, text: str, body_start: int, published: Period) -> None:
        self.matcher = matcher
        self.text = text
        self.body_start = body_start
        self.published = published
        mentions, unresolved = matcher.find(text, body_start)
        mentions, unresolved = _consistent(mentions, unresolved)
        self.offices = find_offices(text, mentions, body_start)
        persons = person_mentions(text, self.offices, body_start)
        self.mentions = sorted(
            [*mentions, *(p for p in persons if not any(p.span.overlaps(m.span) for m in mentions))],
            key=lambda mention: mention.span.start,
        )
        self.unresolved = unresolved
        self.topic = self._topic_pair(mentions)
        self.anchor: DateMention | None = None
        self.program_places: list[Mention] = []

    def _topic_pair(self, mentions: Sequence[Mention]) -> tuple[Mention, Mention] | None:
        counts = Counter(m.key for m in mentions if m.level in PLACE_LEVELS)
        best: dict[str, tuple[int, Mention]] = {}
        first = {m.key: m for m in reversed(mentions)}
        for key, count in counts.items():
            mention = first[key]
            if count > best.get(mention.country, (0, mention))[0]:
                best[mention.country] = (count, mention)
        ranked = sorted(best.values(), key=lambda item: -item[0])
        if len(ranked) >= 2 and ranked[1][0] >= 2:
            return ranked[0][1], ranked[1][1]
        return None

    def run(self, header: Header, source: str, note: str) -> Draft:
        """Every sentence's triggers turned into candidates, duplicates merged."""
        body = sentences(self.text, header)
        dated = [(sentence, find_dates(self.text, sentence.span, self.published)) for sentence in body]
        self.anchor = self._anchor(dated)
        candidates: list[Candidate] = []
        paragraph = -1
        paragraph_date: DateMention | None = None
        series: Mention | None = None
        program: Mention | None = None
        program_before = False
        heading_date: DateMention | None = None
        previous_people: list[Mention] = []
        for index, (sentence, dates) in enumerate(dated):
            if sentence.paragraph != paragraph:
                paragraph, paragraph_date = sentence.paragraph, heading_date
            alone = (index == 0 or dated[index - 1][0].paragraph != paragraph) and (
                index + 1 == len(dated) or dated[index + 1][0].paragraph != paragraph
            )
            is_heading = alone and not re.search(r"[.!?:”\"]\W*$", self.text[sentence.span.start : sentence.span.end])
            heading_date = dates[-1] if is_heading and dates else None
            inside = tuple(m for m in self.mentions if sentence.span.covers(m.span))
            inside = self._with_pronoun(sentence, inside, previous_people)
            previous_people = [m for m in inside if m.how.startswith("person")]
            context = SentenceContext(
                text=self.text,
                span=sentence.span,
                clauses=sentence.clauses,
                mentions=inside,
                series=series,
                program=program,
                program_before=program_before,
            )
            triggers = [trigger for family in FAMILIES for trigger in family(context)]
            triggers = _suppress(triggers, context)
            for trigger in triggers:
                candidates.extend(self._candidates(trigger, context, sentence, dates, paragraph_date))
            for office in self.offices:
                if sentence.span.covers(office.span):
                    candidates.append(self._office(office, sentence, dates, paragraph_date))
            precise = [d for d in dates if d.is_precise]
            if precise:
                paragraph_date = precise[-1]
            series = next((m for m in reversed(inside) if m.level == "conference_series"), series)
            program_now = next((m for m in reversed(inside) if m.level == "program"), None)
            program = program_now or program
            places_here = [m for m in inside if _is_place(m)]
            if (
                re.search(r"\bprogram", self.text[sentence.span.start : sentence.span.end], re.IGNORECASE)
                and places_here
            ):
                self.program_places = places_here
            program_before = program_now is not None or bool(
                re.search(r"\bprogram", self.text[sentence.span.start : sentence.span.end], re.I)
            )
        conformed = conform(_merged(candidates), self.mentions, self.published)
        return Draft(
            text=self.text,
            published=self.published,
            published_from=source,
            published_note=note,
            title=header.title,
            header=header,
            candidates=conformed.candidates,
            unresolved=tuple(self.unresolved),
            declared=conformed.declared,
            set_aside=conformed.set_aside,
        )

    def _with_pronoun(
        self, sentence: Sentence, inside: tuple[Mention, ...], previous_people: Sequence[Mention]
    ) -> tuple[Mention, ...]:
        """'He added, ...' after a sentence about Mayor Tang: read as Mayor Tang's actor."""
        words = self.text[sentence.span.start : sentence.span.end]
        pronoun = _PRONOUN.search(words)
        if pronoun is None or not previous_people or any(m.how.startswith("person") for m in inside):
            return inside
        person = previous_people[0]
        span = Span(start=sentence.span.start + pronoun.start(), end=sentence.span.start + pronoun.end())
        read = attrs.evolve(
            person, span=span, text=pronoun.group(0), how=person.how.replace("person:", "person (he/she):", 1)
        )
        return tuple(sorted((*inside, read), key=lambda m: m.span.start))

    def _past_reading(self, mention: DateMention) -> DateMention:
        """'on Thursday' read as the Thursday before publication when the one after is later than publication."""
        if mention.relative is None or not re.fullmatch(r"on \w+day", mention.relative):
            return mention
        if mention.period.lower <= self.published.upper:
            return mention
        relative = "previous " + mention.relative.split()[1]
        try:
            period = resolve_relative(relative, self.published).period
        except (InvalidInput, InvalidValue):
            return mention
        return attrs.evolve(mention, relative=relative, period=period)

    def _anchor(self, dated: Iterable[tuple[Sentence, list[DateMention]]]) -> DateMention | None:
        low = self.published.lower - ANCHOR_WINDOW
        for _, dates in dated:
            for mention in dates:
                past = self._past_reading(mention)
                if past.is_precise and low <= past.period.lower and past.period.upper <= self.published.upper:
                    return past
        return None

    # parties

    def _parties(
        self, trigger: Trigger, context: SentenceContext, clause: Span
    ) -> tuple[list[Mention], bool, list[str]]:
        notes: list[str] = []
        in_clause = [m for m in context.mentions if clause.covers(m.span)]
        unresolved_here = any(clause.covers(name.span) for name in self.unresolved)
        if trigger.kind == FactKind.CONFERENCE_HELD:
            return self._conference_parties(trigger, in_clause), False, notes
        if trigger.kind == FactKind.ORGANIZATION_ESTABLISHED:
            chosen = [m for m in in_clause if _is_place(m) and m.span.start >= trigger.span.start - 5]
            if trigger.series is not None:
                chosen = [trigger.series, *self._located(trigger.series), *chosen]
                parent = self._parent_mention(trigger.series)
                if parent is not None:
                    chosen.append(parent)
            elif not chosen:
                chosen = [m for m in in_clause if m.span.end <= trigger.span.start]
            return chosen, False, notes
        if trigger.kind.value.startswith("program_"):
            chosen = [m for m in context.mentions if _is_place(m) or m.level in ("government_body", "program")]
            if trigger.series is not None and trigger.series not in chosen:
                chosen = [trigger.series, *chosen]
            if not chosen and self.program_places:
                chosen = list(self.program_places)
                notes.append("the programme's parties are those of the sentence that names it")
            return chosen, False, notes
        if trigger.kind == FactKind.STATISTIC:
            chosen = [m for m in in_clause if not m.how.startswith("person")]
            if not chosen and self.topic is not None and _BETWEEN_THEM.search(context.words(clause)):
                return list(self.topic), False, ["'them' read as the pair the text is about: " + self._pair_text()]
            if chosen or unresolved_here:
                return chosen, False, notes
            return [m for m in context.mentions if not m.how.startswith("person")], True, notes
        if trigger.level == "diplomatic":
            return [m for m in in_clause if m.level == "country"], False, notes
        if trigger.kind in (FactKind.MEETING, FactKind.VISIT, FactKind.INVITATION):
            before = [m for m in in_clause if m.span.end <= trigger.span.start]
            after = [m for m in in_clause if m.span.start >= trigger.span.end]
            chosen = before + self._listed(after)
        else:
            chosen = list(in_clause)
        chosen += self._places_of_bodies(chosen)
        widened = False
        if self.topic is not None and trigger.kind in _BILATERAL:
            chosen, topic_notes = self._with_topic(chosen, context.words(clause), trigger.kind)
            notes.extend(topic_notes)
        sides = {m.country for m in chosen}
        if len(sides) < 2 and trigger.kind != FactKind.STATEMENT and not unresolved_here:
            partner = self._nearest_other_side(context, trigger, chosen)
            if partner:
                chosen = [*chosen, *partner]
                widened = True
        if not chosen and self.topic is not None and trigger.kind in _BILATERAL and trigger.kind != FactKind.STATEMENT:
            chosen = list(self.topic)
            notes.append("no party named in the sentence: the pair the text is about, " + self._pair_text())
        return chosen, widened, notes

    def _nearest_other_side(
        self, context: SentenceContext, trigger: Trigger, chosen: Sequence[Mention]
    ) -> list[Mention]:
        """The nearest actor of another country in the sentence (before the trigger first), or all if none chosen."""
        if not chosen:
            return list(context.mentions)
        countries = {m.country for m in chosen}
        others = [m for m in context.mentions if m.country not in countries]
        before = [m for m in others if m.span.end <= trigger.span.start]
        if before:
            return [before[-1]]
        after = [m for m in others if m.span.start >= trigger.span.end]
        return after[:1]

    def _listed(self, after: Sequence[Mention]) -> list[Mention]:
        """The first actor after a verb and those listed with it ('visit A, B and C')."""
        listed: list[Mention] = []
        for mention in after:
            between = self.text[listed[-1].span.end : mention.span.start] if listed else ""
            if listed and re.fullmatch(r"['’]s\s+", between):
                listed[-1] = mention
                continue
            if listed and not re.fullmatch(r",?\s*(?:and\s+)?(?:the\s+)?", between):
                break
            listed.append(mention)
        return listed

    def _pair_text(self) -> str:
        return ", ".join(sorted(m.key for m in self.topic)) if self.topic else ""

    def _with_topic(self, chosen: list[Mention], words: str, kind: FactKind) -> tuple[list[Mention], list[str]]:
        assert self.topic is not None
        keys = {m.key for m in chosen}
        pair = {m.key for m in self.topic}
        if _THE_TWO_STRICT.search(words) and not pair <= keys:
            added = [m for m in self.topic if m.key not in keys]
            return [*chosen, *added], ["'the two ...' read as the pair the text is about: " + self._pair_text()]
        countries = {m.country for m in chosen if m.level in PLACE_LEVELS or m.level == "country"}
        present = [m for m in self.topic if m.key in keys]
        missing = [m for m in self.topic if m.key not in keys and m.country not in countries]
        if len(present) == 1 and missing:
            note = f"partner {missing[0].key} not named in the sentence: taken from the pair the text is about"
            return [*chosen, *missing], [note]
        return chosen, []

    def _places_of_bodies(self, chosen: Sequence[Mention]) -> list[Mention]:
        countries = {m.country for m in chosen if _is_place(m)}
        added: list[Mention] = []
        for mention in chosen:
            if mention.level not in _STANDING_BODIES or mention.how.startswith("person"):
                continue
            parent = self._parent_mention(mention)
            if parent is not None and parent.country not in countries:
                added.append(parent)
                countries.add(parent.country)
        return added

    def _located(self, mention: Mention) -> list[Mention]:
        """Places a body's own name gives ('Gyeonggi Business Center (GBC) in Shenyang' is in Shenyang)."""
        where = re.search(r"\bin (?P<place>[A-Z][\w -]+)$", mention.text)
        if where is None:
            return []
        found, _ = self.matcher.find(where.group("place"))
        return [
            attrs.evolve(m, span=mention.span, how=f"where {mention.text} is") for m in found if m.level in PLACE_LEVELS
        ]

    def _conference_parties(self, trigger: Trigger, in_clause: Sequence[Mention]) -> list[Mention]:
        chosen: list[Mention] = []
        if trigger.series is not None:
            chosen.append(trigger.series)
        places = [
            m
            for m in in_clause
            if _is_place(m)
            and m.span.start >= trigger.span.start
            and re.search(r"\b(?:in|at)\s+(?:the\s+)?$", self.text[max(0, m.span.start - 12) : m.span.start])
        ]
        if places:
            chosen.append(places[0])
            nxt = [m for m in places[1:] if m.span.start - places[0].span.end <= 3]
            chosen.extend(nxt[:1])
        elif trigger.series is not None:
            parent = self._parent_mention(trigger.series)
            if parent is not None:
                chosen.append(parent)
        if not chosen:
            chosen = [m for m in in_clause if _is_place(m)][:1]
        return chosen

    def _parent_mention(self, mention: Mention) -> Mention | None:
        known = self.matcher.known(mention.key)
        if known is None or known.parent is None:
            return None
        parent = self.matcher.known(known.parent)
        if parent is None or parent.level not in PLACE_LEVELS:
            return None
        return Mention(
            span=mention.span,
            text=mention.text,
            key=parent.key,
            level=str(parent.level),
            country=parent.country,
            how=f"where {mention.text} is ({parent.display})",
        )

    def _tidy(self, chosen: Sequence[Mention]) -> list[Mention]:
        """Parties without repeats, a place's parent dropped where it only locates it ('Dalian City, Liaoning
        Province'), and a country dropped where one of its provinces or bodies already stands for it."""
        ordered = sorted(chosen, key=lambda m: m.span.start)
        locating = set()
        for place in ordered:
            known = self.matcher.known(place.key)
            if not _is_place(place) or known is None or known.parent is None:
                continue
            for other in ordered:
                between = self.text[place.span.end : other.span.start] if other.span.start >= place.span.end else None
                if other.key == known.parent and between is not None and _LOCATING.fullmatch(between):
                    locating.add(id(other))
        kept = [m for m in ordered if id(m) not in locating]
        represented = {
            m.country for m in kept if m.level in PLACE_LEVELS or m.level in ("legislature", "government_body")
        }
        result: list[Mention] = []
        for mention in kept:
            if mention.level == "country" and mention.country in represented:
                continue
            if all(mention.key != other.key for other in result):
                result.append(mention)
        return result

    # dates

    def _default_date(self, modality: Modality, paragraph_date: DateMention | None) -> _DateChoice:
        base = paragraph_date or self.anchor
        if modality != Modality.OCCURRED:
            start = base.period.earliest if base is not None and base.period.earliest else self.published.lower
            return _DateChoice(
                period=Period.from_edtf(f"{start.isoformat()}/.."),
                edtf=f"{start.isoformat()}/..",
                relative=None,
                note="No date in the sentence: planned or expected from the date the text is about, with no end.",
                from_text=False,
            )
        if base is not None:
            carried = _DateChoice(
                period=base.period,
                edtf=base.edtf,
                relative=base.relative,
                note=f"No date in the sentence: the date of the passage, {base.text!r}.",
                from_text=False,
            )
            return self._past_weekday(carried, modality)
        return _DateChoice(
            period=self.published,
            edtf=self.published.edtf,
            relative=None,
            note="No date in the sentence: the publication date.",
            from_text=False,
        )

    def _date(
        self,
        trigger: Trigger,
        clause: Span,
        dates: Sequence[DateMention],
        modality: Modality,
        paragraph_date: DateMention | None,
    ) -> _DateChoice:
        usable = list(dates)
        if trigger.kind not in _STARTING_KINDS:
            usable = [d for d in usable if not (d.relative or "").endswith("anniversary")]
        elif trigger.kind == FactKind.RELATIONSHIP_ESTABLISHED:
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
            return self._default_date(modality, paragraph_date)

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
        if chosen.relative is not None and chosen.relative.endswith("anniversary") and absolute:
            converted = anniversary_from(chosen, absolute[0])
            if converted is not None:
                chosen = converted
        edtf, relative, period = chosen.edtf, chosen.relative, chosen.period
        note = f"Read from {chosen.text!r}."
        if edtf is not None and "/" in edtf and trigger.kind in _STARTING_KINDS:
            edtf = edtf.split("/")[0]
            period = Period.from_edtf(edtf)
            note = f"The start of {chosen.text!r}."
        elif chosen.since and trigger.kind in (FactKind.EXCHANGE, FactKind.STATEMENT) and edtf is not None:
            end = self.published.edtf.split("/")[-1]
            edtf = f"{edtf}/{end}"
            period = Period.from_edtf(edtf)
            note = f"From {chosen.text!r} to the publication date."
        choice = _DateChoice(period=period, edtf=edtf, relative=relative, note=note, from_text=True)
        return self._past_weekday(choice, modality)

    def _past_weekday(self, choice: _DateChoice, modality: Modality) -> _DateChoice:
        """'on Tuesday' of something that happened is the Tuesday before publication, not the one after."""
        if choice.relative is None or modality != Modality.OCCURRED or not re.fullmatch(r"on \w+day", choice.relative):
            return choice
        relative = "previous " + choice.relative.split()[1]
        try:
            period = resolve_relative(relative, self.published).period
        except (InvalidInput, InvalidValue):
            return choice
        return attrs.evolve(choice, relative=relative, period=period)

    def _hiatus(self, trigger: Trigger, sentence: Span, date: _DateChoice) -> _DateChoice:
        if trigger.kind not in _PAUSES:
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
        return _DateChoice(
            period=Period.from_edtf(edtf),
            edtf=edtf,
            relative=None,
            note=f"{match.group(0)!r} counted back from {date.period.edtf}: about {year}.",
            from_text=True,
        )

    # candidates

    def _candidates(
        self,
        trigger: Trigger,
        context: SentenceContext,
        sentence: Sentence,
        dates: Sequence[DateMention],
        paragraph_date: DateMention | None,
    ) -> list[Candidate]:
        clause = context.clause_of(trigger.span.start)
        if trigger.kind == FactKind.RELATIONSHIP_ESTABLISHED:
            listed = self._enumerated(trigger, context, dates)
            if listed:
                return listed
        nouns = (FactKind.CONFERENCE_HELD, FactKind.EXCHANGE, FactKind.ORGANIZATION_ESTABLISHED)
        window_end = min(context.span.end, trigger.span.end + (30 if trigger.kind in nouns else 0))
        modality, cue = modality_of(
            self.text[self._governing_start(context, clause) : window_end],
            commitments=trigger.kind != FactKind.STATEMENT,
        )
        chosen, widened, notes = self._parties(trigger, context, clause)
        parties = self._tidy(chosen)
        if not parties:
            return []
        date = self._date(trigger, clause, dates, modality, paragraph_date)
        date = self._hiatus(trigger, sentence.span, date)
        if trigger.kind == FactKind.RELATIONSHIP_ESTABLISHED and date.period.upper < self.published.lower:
            modality, cue = Modality.OCCURRED, None
        if modality == Modality.OCCURRED and date.period.lower > self.published.upper:
            modality, cue = Modality.PLANNED, "a date after publication"
        if (
            trigger.kind == FactKind.STATEMENT
            or widened
            or not all(clause.covers(m.span) for m in parties if m.span.end > m.span.start)
        ):
            quote = sentence.span
        else:
            quote = clause
        confidence = trigger.confidence
        if not date.from_text:
            confidence -= 0.1
        if widened:
            confidence -= 0.1
        if notes:
            confidence -= 0.15
        if any(m.how.startswith("spelling") for m in parties):
            confidence -= 0.1
        attributes = self._attributes(trigger, context, clause, parties)
        return [
            Candidate(
                kind=trigger.kind,
                modality=modality,
                parties=tuple(m.key for m in parties),
                period=date.period,
                edtf=date.edtf if date.relative is None else None,
                relative=date.relative,
                date_note=date.note,
                attributes=Attributes.of(attributes),
                quote=quote,
                confidence=round(max(0.05, min(0.95, confidence)), 2),
                rule=trigger.rule,
                notes=tuple(notes + _reading_notes(parties) + ([f"modality from {cue!r}"] if cue else [])),
            )
        ]

    def _governing_start(self, context: SentenceContext, clause: Span) -> int:
        """Where the words that govern a clause begin: earlier when it continues a list of verbs ('..., meet with')."""
        start = clause.start
        for previous in reversed([c for c in context.clauses if c.end <= clause.start]):
            if not _COORDINATED.match(self.text, start):
                break
            start = previous.start
        return start

    def _enumerated(self, trigger: Trigger, context: SentenceContext, dates: Sequence[DateMention]) -> list[Candidate]:
        places = [m for m in context.mentions if m.level in PLACE_LEVELS and not m.how.startswith("person")]
        years = [d for d in dates if d.edtf is not None and re.fullmatch(r"\d{4}(?:-\d{2})?", d.edtf)]
        pairs: list[tuple[Mention, DateMention]] = []
        for mention in places:
            following = [
                d
                for d in years
                if 0 <= d.span.start - mention.span.end <= 40
                and not any(mention.span.end <= p.span.start < d.span.start for p in places)
                and "." not in self.text[mention.span.end : d.span.start]
            ]
            if following:
                pairs.append((mention, following[0]))
        paired = {m.key for m, _ in pairs}
        homes = [m for m in places if m.key not in paired]
        if len(pairs) < 2 or not homes:
            return []
        home = homes[0]
        result = []
        for mention, year in pairs:
            if mention.country == home.country and mention.key == home.key:
                continue
            edtf = year.edtf or year.period.edtf
            result.append(
                Candidate(
                    kind=FactKind.RELATIONSHIP_ESTABLISHED,
                    modality=Modality.OCCURRED,
                    parties=(home.key, mention.key),
                    period=year.period,
                    edtf=edtf,
                    relative=None,
                    date_note=f"Read from {year.text!r}, listed beside {mention.text!r}.",
                    attributes=Attributes.of({"level": trigger.level or "friendship"}),
                    quote=Span(start=mention.span.start, end=year.span.end),
                    confidence=0.75,
                    rule="relationship.established-list",
                    notes=(*_reading_notes([home, mention]), f"one of {len(pairs)} ties listed in one sentence"),
                )
            )
        return result

    def _office(
        self, office: Office, sentence: Sentence, dates: Sequence[DateMention], paragraph_date: DateMention | None
    ) -> Candidate:
        trigger = Trigger(rule="office.title", kind=FactKind.OFFICE_HELD, span=office.span, confidence=0.8)
        clause = Span(start=sentence.span.start, end=sentence.span.end)
        date = self._date(trigger, clause, [d for d in dates if not d.since], Modality.OCCURRED, paragraph_date)
        if date.period.lower < self.published.lower - timedelta(days=366 * 2):
            date = self._default_date(Modality.OCCURRED, paragraph_date)
        return Candidate(
            kind=FactKind.OFFICE_HELD,
            modality=Modality.OCCURRED,
            parties=(office.actor.key,),
            period=date.period,
            edtf=date.edtf if date.relative is None else None,
            relative=date.relative,
            date_note=date.note,
            attributes=Attributes.of({"person": office.person, "role": office.role}),
            quote=office.span,
            confidence=0.8 if date.from_text else 0.7,
            rule="office.title",
            notes=tuple(_reading_notes([office.actor])),
        )

    def _attributes(
        self, trigger: Trigger, context: SentenceContext, clause: Span, parties: Sequence[Mention]
    ) -> dict[str, AttributeValue]:
        attributes: dict[str, AttributeValue] = dict(trigger.attributes)
        words = self.text[clause.start : clause.end]
        people = [m for m in context.mentions if m.how.startswith("person") and clause.covers(m.span)]
        if trigger.level is not None and trigger.kind.value.startswith("relationship"):
            attributes["level"] = trigger.level
        if trigger.kind in (FactKind.MEETING, FactKind.AGREEMENT_SIGNED, FactKind.STATEMENT) and people:
            described = [m.how.removeprefix("person: ") for m in people]
            key = {"meeting": "participants", "agreement_signed": "signatories", "statement": "speaker"}[trigger.kind]
            attributes[key] = described[0] if key == "speaker" else tuple(dict.fromkeys(described))
        if trigger.kind == FactKind.MEETING:
            place = re.search(
                r"\b(?:at|in) (?P<place>(?:the )?[A-Z][^,.;“”]{2,80}?)(?= on | to | and |[,.;]|$)",
                self.text[trigger.span.end : clause.end],
            )
            if place:
                attributes["place"] = place.group("place")
        if trigger.kind in _PAUSES:
            reason = _REASON.search(self.text, context.span.start, context.span.end)
            if reason:
                attributes["reason"] = reason.group("reason")
        if trigger.kind == FactKind.CONFERENCE_HELD:
            if trigger.series is not None:
                attributes.setdefault("name", trigger.series.text)
            places = [m.text for m in parties if m.level in PLACE_LEVELS]
            if places:
                attributes["place"] = ", ".join(places)
        if trigger.kind == FactKind.VISIT:
            after = [m for m in parties if m.span.start >= trigger.span.start and not m.how.startswith("person")]
            if after:
                attributes["destination"] = after[0].text
            delegation = re.search(
                r"\b(?P<size>\d+|[a-z]+)[- ]member delegation\b|\bdelegation of (?P<size2>\d+)\b", words
            )
            if delegation:
                size = delegation.group("size") or delegation.group("size2")
                attributes["delegation"] = int(size) if size.isdigit() else size
        if trigger.kind == FactKind.PROGRAM_ROUND_HELD and trigger.series is not None:
            attributes.setdefault("program", trigger.series.text)
        if trigger.kind == FactKind.STATISTIC:
            measure = re.search(
                r"\b(?:the number of|number of|total of) (?P<what>[^,.;]{3,80}?)(?= has| have| is| was| reached|[,.;])",
                words,
            )
            if measure:
                attributes["measure"] = measure.group("what")
        return attributes


def _is_place(mention: Mention) -> bool:
    return mention.level in PLACE_LEVELS and not mention.how.startswith("person")


def _reading_notes(parties: Iterable[Mention]) -> list[str]:
    return [f"party {m.text!r} read as {m.key} ({m.how})" for m in parties if m.how != "name"]


def _consistent(mentions: list[Mention], unresolved: list[Unresolved]) -> tuple[list[Mention], list[Unresolved]]:
    """A name the text also writes with a conflicting suffix ('Zhenjiang Province') is left unresolved everywhere."""
    doubtful = {
        u.text.split()[0].casefold()
        for u in unresolved
        if u.reason.startswith("the gazetteer knows") and re.search(r"[ -](?:Province|Provincial|do)$", u.text)
    }
    kept: list[Mention] = []
    for mention in mentions:
        if mention.text.casefold() in doubtful:
            unresolved.append(
                Unresolved(
                    span=mention.span,
                    text=mention.text,
                    reason=f"the text also writes it with a suffix the gazetteer does not fit ({mention.key} is a "
                    f"{mention.level}); not guessed",
                )
            )
        else:
            kept.append(mention)
    return kept, sorted(unresolved, key=lambda name: name.span.start)


def _suppress(triggers: list[Trigger], context: SentenceContext) -> list[Trigger]:
    events = {
        FactKind.MEETING,
        FactKind.VISIT,
        FactKind.CONFERENCE_HELD,
        FactKind.AGREEMENT_SIGNED,
        FactKind.INVITATION,
    }
    event_clauses = {context.clause_of(t.span.start) for t in triggers if t.kind in events}
    kept: list[Trigger] = []
    for trigger in triggers:
        clause = context.clause_of(trigger.span.start)
        if trigger.kind == FactKind.STATISTIC and clause in event_clauses:
            continue
        if trigger.kind == FactKind.EXCHANGE and any(
            t.kind == FactKind.VISIT and t.span.overlaps(trigger.span) for t in triggers
        ):
            continue
        same = [
            other
            for other in kept
            if other.kind == trigger.kind
            and context.clause_of(other.span.start) == clause
            and trigger.kind in (FactKind.STATEMENT, FactKind.INVITATION)
        ]
        if same:
            continue
        kept.append(trigger)
    return kept


def _compatible(a: Period, b: Period) -> bool:
    return a.lower <= b.upper and b.lower <= a.upper


def _merged(candidates: Sequence[Candidate]) -> list[Candidate]:
    """Candidates stating a fact already proposed (same kind, modality, parties and a compatible date) are merged."""
    kept: list[Candidate] = []
    for candidate in candidates:
        twin = next(
            (
                index
                for index, other in enumerate(kept)
                if candidate.kind in _MERGED_KINDS
                and other.kind == candidate.kind
                and other.modality == candidate.modality
                and set(other.parties) == set(candidate.parties)
                and _compatible(other.period, candidate.period)
                and (candidate.kind != FactKind.OFFICE_HELD or other.attributes == candidate.attributes)
            ),
            None,
        )
        if twin is None:
            kept.append(candidate)
            continue
        other = kept[twin]
        narrower = (candidate.period.upper - candidate.period.lower) < (other.period.upper - other.period.lower)
        if narrower and candidate.date_note.startswith(("Read", "The start")):
            kept[twin] = attrs.evolve(candidate, notes=(*candidate.notes, f"also stated at {other.quote.start}"))
        else:
            kept[twin] = attrs.evolve(other, notes=(*other.notes, f"also stated at {candidate.quote.start}"))
    return kept
