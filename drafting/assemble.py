"""Candidates from triggers: each sentence's triggers read for their parties, date, modality, attributes and
quote, then duplicates merged."""

from __future__ import annotations

import copy
import hashlib
import re
from collections.abc import Sequence
from datetime import timedelta

import attrs

from domain.actors import ActorDraft
from domain.errors import InvalidInput
from drafting.actors import ActorMatcher
from drafting.attributes import attributes_of
from drafting.conform import conform
from drafting.dates import anchored_dates, find_dates
from drafting.fact_dates import DateReading
from drafting.header import read_header
from drafting.kinds import PLACE_LEVELS
from drafting.learned import Learned, level_in, proposals, weighed
from drafting.learning.features import sentence_features
from drafting.learning.tokens import guess_language
from drafting.merging import merged, suppress
from drafting.modality import modality_of
from drafting.model import Candidate, DateMention, Draft, Header, Mention, ModelUse, Sentence, SentenceRead, Span
from drafting.party_choice import PartyReading, consistent, is_place, reading_notes
from drafting.people import Office, find_offices, person_mentions
from drafting.scoring import family
from drafting.sentences import sentences
from drafting.triggers import FAMILIES, SentenceContext, Trigger
from events.values import Attributes, FactKind, Modality, Period

_PRONOUN = re.compile(r"^[“\"]?(?:He|She)\b|[”\"],?\s+(?:he|she)\s+(?:said|added|responded|replied|noted)\b")
_COORDINATED = re.compile(r"(?:and\s+)?(?:meet|visit|attend|sign|hold|tour|discuss|explore|promote)\b")


def gazetteer_digest(actors: Sequence[ActorDraft]) -> str:
    """A sha256 over the actors a drafter reads names by (a model's features depend on them)."""
    digest = hashlib.sha256()
    for actor in sorted(actors, key=lambda a: a.key):
        names = sorted(f"{name.lang}:{name.text}" for name in actor.names)
        digest.update("\t".join([actor.key, str(actor.level), actor.country, actor.parent or "", *names]).encode())
        digest.update(b"\n")
    return digest.hexdigest()


def _use(learned: Learned | None, proposed: int, dropped: int) -> ModelUse | None:
    if learned is None:
        return None
    return ModelUse(
        identity=learned.model.identity,
        documents=learned.model.documents,
        sentences=learned.model.sentences,
        position=learned.position,
        proposed=proposed,
        dropped=dropped,
    )


class Drafter:
    """Drafts candidate facts from a text against one gazetteer: pure, no I/O, no clock."""

    def __init__(self, actors: Sequence[ActorDraft], learned: Learned | None = None) -> None:
        self.matcher = ActorMatcher(actors)
        self.learned = learned
        self.gazetteer_digest = gazetteer_digest(actors)

    def with_model(self, learned: Learned | None) -> Drafter:
        """The same gazetteer's drafter with another learned model (or none: the rules alone)."""
        other = copy.copy(self)
        other.learned = learned
        return other

    def draft(self, text: str, published: Period | None = None, language: str | None = None) -> Draft:
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
        assembly = _Assembly(self.matcher, text, header.body_start, chosen, language or guess_language(text))
        return assembly.run(header, source, note, self.learned)


class _Assembly:
    """One drafting run over one text."""

    def __init__(self, matcher: ActorMatcher, text: str, body_start: int, published: Period, language: str) -> None:
        self.matcher = matcher
        self.language = language
        self.text = text
        self.body_start = body_start
        self.published = published
        mentions, unresolved = matcher.find(text, body_start)
        mentions, unresolved = consistent(mentions, unresolved)
        self.offices = find_offices(text, mentions, body_start)
        persons = person_mentions(text, self.offices, body_start)
        self.mentions = sorted(
            [*mentions, *(p for p in persons if not any(p.span.overlaps(m.span) for m in mentions))],
            key=lambda mention: mention.span.start,
        )
        self.unresolved = unresolved
        self.headline = [m for m in matcher.find(text[:body_start])[0] if not m.how.startswith("person")]
        self.parties = PartyReading(matcher, text, mentions, unresolved, self.headline)
        self.dating = DateReading(text, published)

    def run(self, header: Header, source: str, note: str, learned: Learned | None) -> Draft:
        """Every sentence's triggers turned into candidates (weighed by the learned model, and its own proposals
        added), duplicates merged."""
        body = sentences(self.text, header)
        dated = self._dated(body)
        self.dating.anchor_on(dated)
        candidates: list[Candidate] = []
        paragraph = -1
        paragraph_date: DateMention | None = None
        series: Mention | None = None
        program: Mention | None = None
        program_before = False
        heading_date: DateMention | None = None
        previous_people: list[Mention] = []
        reads: list[SentenceRead] = []
        proposed = dropped = 0
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
            triggers = [trigger for rules in FAMILIES for trigger in rules(context)]
            triggers = suppress(triggers, context)
            here: list[Candidate] = []
            for trigger in triggers:
                here.extend(self._candidates(trigger, context, sentence, dates, paragraph_date))
            for office in self.offices:
                if sentence.span.covers(office.span):
                    here.append(self._office(office, sentence, dates, paragraph_date))
            rules = {trigger.rule for trigger in triggers} | {c.rule for c in here if c.rule == "office.title"}
            read = SentenceRead(
                span=sentence.span,
                index=index,
                paragraph=sentence.paragraph,
                heading=is_heading,
                mentions=inside,
                dates=tuple(dates),
                rules=tuple(sorted(rules)),
            )
            reads.append(read)
            if learned is not None:
                before = len(here)
                here, added = self._learned(
                    learned, read, here, context=context, sentence=sentence, dates=dates, paragraph_date=paragraph_date
                )
                proposed += added
                dropped += before + added - len(here)
            candidates.extend(here)
            precise = [d for d in dates if d.is_precise]
            if precise:
                paragraph_date = precise[-1]
            series = next((m for m in reversed(inside) if m.level == "conference_series"), series)
            program_now = next((m for m in reversed(inside) if m.level == "program"), None)
            program = program_now or program
            places_here = [m for m in inside if is_place(m)]
            if (
                re.search(r"\bprogram", self.text[sentence.span.start : sentence.span.end], re.IGNORECASE)
                and places_here
            ):
                self.parties.program_places = places_here
            program_before = program_now is not None or bool(
                re.search(r"\bprogram", self.text[sentence.span.start : sentence.span.end], re.I)
            )
        conformed = conform(merged(candidates), [*self.mentions, *self.headline], self.published)
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
            language=self.language,
            sentences=tuple(reads),
            model=_use(learned, proposed, dropped),
        )

    def _learned(
        self,
        learned: Learned,
        read: SentenceRead,
        here: list[Candidate],
        *,
        context: SentenceContext,
        sentence: Sentence,
        dates: Sequence[DateMention],
        paragraph_date: DateMention | None,
    ) -> tuple[list[Candidate], int]:
        """A sentence's candidates weighed by the learned model, with its proposals; and how many it proposed."""
        features = sentence_features(self.text, read, self.language)
        chances = learned.model.probabilities(features)
        kept = [candidate for candidate in (weighed(c, chances, learned) for c in here) if candidate is not None]
        stood = {family(candidate.kind) for candidate in kept}
        added = 0
        for kind, chance in proposals(chances, stood, learned):
            anchor = learned.model.strongest_word(features, str(kind))
            found = self._proposal(
                kind,
                chance,
                learned.model.identity,
                anchor,
                context=context,
                sentence=sentence,
                dates=dates,
                paragraph_date=paragraph_date,
            )
            added += len(found)
            kept.extend(found)
        return kept, added

    def _proposal(
        self,
        kind: FactKind,
        chance: float,
        identity: str,
        word: str | None,
        *,
        context: SentenceContext,
        sentence: Sentence,
        dates: Sequence[DateMention],
        paragraph_date: DateMention | None,
    ) -> list[Candidate]:
        """A candidate of ``kind`` the model finds likely where no rule read one, anchored on its strongest word."""
        words = self.text[sentence.span.start : sentence.span.end]
        found = re.search(rf"(?i)(?<!\w){re.escape(word)}(?!\w)", words) if word else None
        if found is not None:
            span = Span(start=sentence.span.start + found.start(), end=sentence.span.start + found.end())
        else:
            span = Span(start=sentence.span.start, end=sentence.span.start)
        level = level_in(words) if kind in (FactKind.RELATIONSHIP_ESTABLISHED, FactKind.RELATIONSHIP_UPGRADED) else None
        trigger = Trigger(
            rule=f"model.{kind}",
            kind=kind,
            span=span,
            confidence=round(chance, 2),
            attributes=[("level", level)] if level else [],
            level=level,
        )
        made = self._candidates(trigger, context, sentence, dates, paragraph_date)
        note = f"proposed by the learned model {identity} ({chance:.2f})" + (
            f", from {word!r}" if found is not None else ""
        )
        return [attrs.evolve(candidate, notes=(*candidate.notes, note)) for candidate in made]

    def _dated(self, body: Sequence[Sentence]) -> list[tuple[Sentence, list[DateMention]]]:
        """Each sentence's dates: those written, and those counted from the last day the text gave ('the next
        day', 'six months later')."""
        dated = []
        last_day: DateMention | None = None
        for sentence in body:
            written = find_dates(self.text, sentence.span, self.published)
            counted = [
                d
                for d in anchored_dates(self.text, sentence.span, last_day)
                if not any(d.span.overlaps(w.span) for w in written)
            ]
            dates = sorted([*written, *counted], key=lambda d: d.span.start)
            dated.append((sentence, dates))
            days = [d for d in [*written, *counted] if d.period.earliest == d.period.latest is not None]
            if days:
                last_day = days[-1]
        return dated

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
        chosen, widened, notes = self.parties.choose(trigger, context, clause)
        parties = self.parties.tidy(chosen)
        if not parties:
            return []
        date = self.dating.choose(trigger, clause, dates, modality, paragraph_date)
        date = self.dating.hiatus(trigger, sentence.span, date)
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
        attributes = attributes_of(self.text, trigger, context, clause, parties)
        made = [
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
                notes=tuple(notes + reading_notes(parties) + ([f"modality from {cue!r}"] if cue else [])),
            )
        ]
        words = self.text[sentence.span.start : sentence.span.end]
        if len(date.each) > 1 and re.search(r"\brespectively\b", words):
            made = [
                attrs.evolve(
                    made[0],
                    period=period,
                    edtf=period.edtf,
                    relative=None,
                    date_note=f"Day {i + 1} of {date.note.removeprefix('Read from ').rstrip('.')}, respectively.",
                )
                for i, period in enumerate(date.each)
            ]
        return made

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
                    notes=(*reading_notes([home, mention]), f"one of {len(pairs)} ties listed in one sentence"),
                )
            )
        return result

    def _office(
        self, office: Office, sentence: Sentence, dates: Sequence[DateMention], paragraph_date: DateMention | None
    ) -> Candidate:
        trigger = Trigger(rule="office.title", kind=FactKind.OFFICE_HELD, span=office.span, confidence=0.8)
        clause = Span(start=sentence.span.start, end=sentence.span.end)
        date = self.dating.choose(trigger, clause, [d for d in dates if not d.since], Modality.OCCURRED, paragraph_date)
        if date.period.lower < self.published.lower - timedelta(days=366 * 2):
            date = self.dating.default(Modality.OCCURRED, paragraph_date)
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
            notes=tuple(reading_notes([office.actor])),
        )
