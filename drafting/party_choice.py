"""Which actors a candidate is about: those its trigger governs in its clause, a body's place, the other
side nearest it, or the pair the text is about; tidied of repeats and of places that only locate others."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable, Sequence

import attrs

from domain.vocabulary import BODIES
from drafting.actors import ActorMatcher
from drafting.kinds import BETWEEN_A_PAIR, PLACE_LEVELS, STANDING_BODIES
from drafting.model import Mention, Span, Unresolved
from drafting.triggers import SentenceContext, Trigger
from events.values import FactKind

_THE_TWO_STRICT = re.compile(r"\bthe two (?:provinces|cities|regions|sides|leaders|islands|governments|partners)\b")
_BETWEEN_THEM = re.compile(r"\b(?:between|of) (?:them|the two\b)|\bthe two (?:provinces|cities|regions|sides)\b")
_LOCATING = re.compile(r",?\s*(?:(?:the|its)\s+(?:provincial\s+)?capital(?:\s+city)?\s+of\s+|in\s+)?")


class PartyReading:
    """The parties of one text's candidates, with the pair of places the text is about (when there is one)."""

    def __init__(
        self,
        matcher: ActorMatcher,
        text: str,
        mentions: Sequence[Mention],
        unresolved: Sequence[Unresolved],
        headline: Sequence[Mention] = (),
    ) -> None:
        self.matcher = matcher
        self.text = text
        self.unresolved = unresolved
        self.topic = topic_pair(mentions) or headline_pair(headline)
        self.home = home_place(mentions)
        self.program_places: list[Mention] = []

    def choose(self, trigger: Trigger, context: SentenceContext, clause: Span) -> tuple[list[Mention], bool, list[str]]:
        """The trigger's parties, whether they were widened to the sentence's other side, and notes on the reading."""
        notes: list[str] = []
        in_clause = [m for m in context.mentions if clause.covers(m.span)]
        unresolved_here = any(clause.covers(name.span) for name in self.unresolved)
        if trigger.kind == FactKind.CONFERENCE_HELD:
            return self._conference_parties(trigger, in_clause), False, notes
        if trigger.kind == FactKind.ORGANIZATION_ESTABLISHED:
            chosen = [m for m in in_clause if is_place(m) and m.span.start >= trigger.span.start - 5]
            if trigger.series is not None:
                chosen = [trigger.series, *self._located(trigger.series), *chosen]
                parent = self._parent_mention(trigger.series)
                if parent is not None:
                    chosen.append(parent)
            elif not chosen:
                chosen = [m for m in in_clause if m.span.end <= trigger.span.start]
            return chosen, False, notes
        if trigger.kind.value.startswith("program_"):
            chosen = [m for m in context.mentions if is_place(m) or m.level in ("government_body", "program")]
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
        fixed = self._fixed(trigger, in_clause)
        if fixed is not None:
            return fixed, False, notes
        if trigger.kind in (FactKind.MEETING, FactKind.VISIT, FactKind.INVITATION):
            before = [m for m in in_clause if m.span.end <= trigger.span.start]
            after = [m for m in in_clause if m.span.start >= trigger.span.end]
            chosen = before + self._listed(after)
        else:
            chosen = list(in_clause)
        chosen += self._places_of_bodies(chosen)
        widened = False
        if self.topic is not None and trigger.kind in BETWEEN_A_PAIR:
            chosen, topic_notes = self._with_topic(chosen, context.words(clause), trigger.kind)
            notes.extend(topic_notes)
        elif trigger.kind in BETWEEN_A_PAIR:
            chosen, home_notes = self._with_home(chosen, context.words(clause))
            notes.extend(home_notes)
        sides = {m.country for m in chosen}
        if len(sides) < 2 and trigger.kind != FactKind.STATEMENT and not unresolved_here:
            partner = self._nearest_other_side(context, trigger, chosen)
            if partner:
                chosen = [*chosen, *partner]
                widened = True
        if (
            not chosen
            and self.topic is not None
            and trigger.kind in BETWEEN_A_PAIR
            and trigger.kind != FactKind.STATEMENT
        ):
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

    def _fixed(self, trigger: Trigger, in_clause: Sequence[Mention]) -> list[Mention] | None:
        """Parties the words fix: the countries of diplomatic relations, the pair of 'a tie between A and B'."""
        if trigger.level == "diplomatic":
            return [m for m in in_clause if m.level == "country"]
        between = between_pair(self.text, in_clause, trigger.span) if trigger.kind in TIE_KINDS else None
        return list(between) if between is not None else None

    def _with_home(self, chosen: list[Mention], words: str) -> tuple[list[Mention], list[str]]:
        """'the city signed a sisterhood with Shanghai': the city is the place the text names most."""
        home = self.home
        if home is None or not _ANAPHOR.search(words) or home.key in {m.key for m in chosen}:
            return chosen, []
        if not any(m.country != home.country for m in chosen):
            return chosen, []
        kept = [m for m in chosen if not (m.level == "country" and m.country == home.country)]
        return [*kept, home], [f"'the city' or 'the province' read as the place the text is about, {home.key}"]

    def _places_of_bodies(self, chosen: Sequence[Mention]) -> list[Mention]:
        countries = {m.country for m in chosen if is_place(m)}
        added: list[Mention] = []
        for mention in chosen:
            if mention.level not in STANDING_BODIES or mention.how.startswith("person"):
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
            if is_place(m)
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
            chosen = [m for m in in_clause if is_place(m)][:1]
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

    def tidy(self, chosen: Sequence[Mention]) -> list[Mention]:
        """Parties without repeats, a place's parent dropped where it only locates it ('Dalian City, Liaoning
        Province'), and a country dropped where one of its provinces or bodies already stands for it."""
        ordered = sorted(chosen, key=lambda m: m.span.start)
        locating = set()
        for place in ordered:
            known = self.matcher.known(place.key)
            if not is_place(place) or known is None or known.parent is None:
                continue
            for other in ordered:
                between = self.text[place.span.end : other.span.start] if other.span.start >= place.span.end else None
                if other.key == known.parent and between is not None and _LOCATING.fullmatch(between):
                    locating.add(id(other))
        kept = [m for m in ordered if id(m) not in locating]
        represented = {m.country for m in kept if m.level in PLACE_LEVELS or m.level in BODIES}
        result: list[Mention] = []
        for mention in kept:
            if mention.level == "country" and mention.country in represented:
                continue
            if all(mention.key != other.key for other in result):
                result.append(mention)
        return result


TIE_KINDS = frozenset(kind for kind in BETWEEN_A_PAIR if kind.value.startswith(("relationship_", "exchanges_")))
_BETWEEN = re.compile(r"\b(?:between|of)\s+(?:the\s+)?$", re.IGNORECASE)
_AND = re.compile(r"^\s*(?:,\s*)?(?:and|&|-|–)\s*(?:the\s+)?$|^-$|^–$")


def between_pair(text: str, mentions: Sequence[Mention], trigger: Span) -> tuple[Mention, Mention] | None:
    """The two places a tie's words name as a pair ('between A and B', 'the A-B sisterhood'), nearest the trigger."""
    places = [m for m in mentions if is_place(m)]
    pairs = []
    for first, second in itertools.pairwise(places):
        if first.country == second.country:
            continue
        joint = text[first.span.end : second.span.start]
        opened = _BETWEEN.search(text[max(0, first.span.start - 12) : first.span.start])
        if _AND.search(joint) and (opened or joint.strip() in ("-", "–")):
            pairs.append((first, second))
    if not pairs:
        return None
    return min(pairs, key=lambda pair: trigger.gap(Span(start=pair[0].span.start, end=pair[1].span.end)))


_ANAPHOR = re.compile(r"\b(?:the|our|this) (?:city|province|county|district|region)\b(?!\s+(?:of|hall)\b)", re.I)


def home_place(mentions: Sequence[Mention]) -> Mention | None:
    """The place a text names most (at least twice, and more than any other): 'the city' where no other is meant."""
    counts = Counter(m.key for m in mentions if is_place(m)).most_common(2)
    if not counts or counts[0][1] < 2 or (len(counts) > 1 and counts[1][1] == counts[0][1]):
        return None
    return next(m for m in mentions if m.key == counts[0][0])


def headline_pair(headline: Sequence[Mention]) -> tuple[Mention, Mention] | None:
    """The first places of two countries the headline names: the pair an article is about."""
    first: dict[str, Mention] = {}
    for mention in headline:
        if is_place(mention):
            first.setdefault(mention.country, mention)
    if len(first) < 2:
        return None
    chosen = sorted(first.values(), key=lambda m: m.span.start)[:2]
    return chosen[0], chosen[1]


def lead_pair(mentions: Sequence[Mention]) -> tuple[Mention, Mention] | None:
    """The first places of two countries in the lead (the first mentions of the body), when the text names no pair
    twice."""
    return headline_pair(mentions[:4])


def topic_pair(mentions: Sequence[Mention]) -> tuple[Mention, Mention] | None:
    """The pair of places the text is about: the most named place of each of two countries, each named twice or more."""
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


def is_place(mention: Mention) -> bool:
    return mention.level in PLACE_LEVELS and not mention.how.startswith("person")


def reading_notes(parties: Iterable[Mention]) -> list[str]:
    return [f"party {m.text!r} read as {m.key} ({m.how})" for m in parties if m.how != "name"]


def consistent(mentions: list[Mention], unresolved: list[Unresolved]) -> tuple[list[Mention], list[Unresolved]]:
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
