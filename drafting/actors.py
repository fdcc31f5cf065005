"""Every name of every actor found at once (Aho-Corasick), with variants, spelling variants and unresolved names.

Names are matched on a folded copy of the text (lower case, one kind of hyphen and apostrophe,
single spaces) that keeps a map back to the original offsets. Each actor is found by the names
the gazetteer gives it and by generated variants: "X Province", "X-do", "X City", "the provincial
government of X", and the older romanisations of Korean names (Kyonggi, Kangwon, Cheju). A
place-like name ("Weihai City", "Kyunggi Province") that matches nothing exactly is compared with
the gazetteer by rapidfuzz; it is read as a spelling variant only when one actor scores clearly
best, and otherwise reported as unresolved. A known name with a suffix of another level
("Zhenjiang Province", where the gazetteer knows Zhenjiang as a city) is reported, not guessed.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable, Sequence

import ahocorasick
import attrs
from rapidfuzz import fuzz, process

from domain.actors import ActorDraft
from drafting.kinds import PLACE_LEVELS
from drafting.model import Mention, Span, Unresolved
from events.values import ActorLevel

_DOTTED = re.compile(r"(?:[A-Z]\.){1,3}[A-Z]\.?")
FUZZY_MIN_SCORE = 85.0
FUZZY_MARGIN = 5.0
_HYPHENS = dict.fromkeys(map(ord, "‐‑‒–—−"), "-")
_QUOTES = dict.fromkeys(map(ord, "’‘`´ʼ"), "'") | dict.fromkeys(map(ord, "“”„"), '"')
_SUFFIX = re.compile(
    r"(?i)(?:[- ](?:do|si|gun|gu|sheng|shi|ken|province|state|metropolitan city|special city|"
    r"special self-governing province|special self-governing city|city|municipality|prefecture|"
    r"(?:zhuang |hui |uygur |uyghur )?autonomous region)|-gwangyeoksi|-teukbyeolsi|-teukbyeoljachido|"
    r"-teukbyeoljachisi|-teukbyeoljachisi)$"
)
_PROVINCE_FORMS = (
    "{0} Province",
    "{0} Provincial Government",
    "the provincial government of {0}",
    "the {0} provincial government",
    "{0} Provincial People's Government",
)
_KOREAN_PROVINCE_FORMS = ("{0}-do", "{0}do", "{0}-do Province", "{0}-do (province)")
_JAPANESE_PREFECTURE_FORMS = ("{0} Prefecture", "{0}-ken", "{0} Prefectural Government")
_CITY_FORMS = (
    "{0} City",
    "the city of {0}",
    "{0} City Government",
    "{0} Municipal Government",
    "{0} Municipality",
    "{0} Metropolitan City",
    "{0} Metropolitan Government",
    "{0} Municipal People's Government",
)
_KOREAN_CITY_FORMS = ("{0}-si", "{0} Special City")
_DEMONYMS = {"South Korean": "KR", "Korean": "KR", "Chinese": "CN", "Japanese": "JP", "American": "US"}
_PLACE_PHRASE = re.compile(
    r"\b(?P<stem>(?:[A-Z][a-z'’]+[ -]){0,2}[A-Z][a-z'’]+)[ -](?P<suffix>Province|City|County|Prefecture|"
    r"Metropolitan City|Special City|Autonomous Region|Autonomous Prefecture|District|Municipality|State|"
    r"do|si|gun)\b"
)
_NOT_A_STEM = frozenset(
    {
        "the", "this", "that", "each", "every", "our", "their", "its", "his", "her", "provincial", "municipal",
        "chinese", "korean", "japanese", "other", "capital", "host", "home", "sister", "partner", "central",
        "northeast", "northeastern", "western", "eastern", "southern", "northern", "major", "local", "free",
        "first", "second", "new", "old", "same", "neighbouring", "neighboring", "coastal", "inland", "island",
    }
)  # fmt: skip
_SUFFIX_LEVELS = {
    "province": (ActorLevel.PROVINCE,),
    "state": (ActorLevel.PROVINCE,),
    "do": (ActorLevel.PROVINCE,),
    "prefecture": (ActorLevel.PROVINCE,),
    "autonomous region": (ActorLevel.PROVINCE,),
    "city": (ActorLevel.MUNICIPALITY, ActorLevel.CITY),
    "metropolitan city": (ActorLevel.MUNICIPALITY,),
    "special city": (ActorLevel.MUNICIPALITY,),
    "municipality": (ActorLevel.MUNICIPALITY,),
    "si": (ActorLevel.MUNICIPALITY, ActorLevel.CITY),
    "county": (ActorLevel.COUNTY,),
    "gun": (ActorLevel.COUNTY,),
    "district": (ActorLevel.DISTRICT,),
    "autonomous prefecture": (ActorLevel.CITY,),
}
_CONFLICTING_SUFFIX = {
    ActorLevel.CITY: re.compile(r"[ -](?:Province|Provincial|do)\b"),
    ActorLevel.PROVINCE: re.compile(r"[ -](?:City|County|si|gun)\b"),
    ActorLevel.MUNICIPALITY: re.compile(r"[ -](?:Province|do)\b"),
}


def fold(text: str) -> tuple[str, list[int]]:
    """A folded copy of ``text`` for matching, and for each of its characters the original offset."""
    folded: list[str] = []
    offsets: list[int] = []
    previous_space = False
    for index, char in enumerate(text):
        if char.isspace():
            if previous_space:
                continue
            folded.append(" ")
            offsets.append(index)
            previous_space = True
            continue
        previous_space = False
        lowered = char.lower()
        kept = lowered if len(lowered) == 1 else char
        folded.append(kept.translate(_HYPHENS).translate(_QUOTES))
        offsets.append(index)
    return "".join(folded), offsets


def fold_name(name: str) -> str:
    """A name folded the way the text is."""
    return fold(unicodedata.normalize("NFC", name.strip()))[0]


def _compact(name: str) -> str:
    return re.sub(r"[\s'\-.]+", "", fold_name(name))


def _is_latin(char: str) -> bool:
    return char.isascii() and char.isalnum()


_OLD_ROMANISATION = (
    (re.compile(r"\bG(?=[aeiouyw])"), "K"),
    (re.compile(r"\bD(?=[aeiouyw])"), "T"),
    (re.compile(r"\bB(?=[aeiouyw])"), "P"),
    (re.compile(r"\bJ(?=[aeiouyw])"), "Ch"),
    (re.compile(r"eo"), "o"),
    (re.compile(r"eu"), "u"),
)


def korean_variants(name: str) -> set[str]:
    """Older romanisations of a Revised Romanisation name (Gyeonggi -> Kyonggi, Jeju -> Cheju)."""
    variants = {name}
    for size in range(1, len(_OLD_ROMANISATION) + 1):
        for rules in itertools.combinations(_OLD_ROMANISATION, size):
            changed = name
            for pattern, replacement in rules:
                changed = pattern.sub(replacement, changed)
            variants.add(changed)
    return variants


def _stems(draft: ActorDraft) -> set[str]:
    stems: set[str] = set()
    for name in draft.names:
        if name.lang != "en":
            continue
        stem = _SUFFIX.sub("", name.text.strip())
        if len(stem) >= 3 and stem[:1].isupper() and "(" not in stem:
            stems.add(stem)
    return stems


def _generated_names(draft: ActorDraft) -> set[str]:
    if draft.level not in PLACE_LEVELS:
        return set()
    forms: list[str] = []
    if draft.level == ActorLevel.PROVINCE:
        forms.extend(_PROVINCE_FORMS)
        if draft.country == "KR":
            forms.extend(_KOREAN_PROVINCE_FORMS)
        if draft.country == "JP":
            forms.extend(_JAPANESE_PREFECTURE_FORMS)
    else:
        forms.extend(_CITY_FORMS)
        if draft.country == "KR":
            forms.extend(_KOREAN_CITY_FORMS)
    generated: set[str] = set()
    for stem in _stems(draft):
        spellings = korean_variants(stem) if draft.country == "KR" else {stem}
        for spelling in spellings:
            generated.add(spelling)
            generated.update(form.format(spelling) for form in forms)
    for name in draft.names:
        if name.lang == "en" and draft.country == "KR":
            generated.update(korean_variants(name.text))
    return generated


@attrs.frozen(kw_only=True)
class _Entry:
    keys: frozenset[str]
    display: str
    exact_case: bool
    proper: bool
    generated: bool


@attrs.frozen(kw_only=True)
class _Known:
    key: str
    level: ActorLevel
    country: str
    parent: str | None
    display: str


class ActorMatcher:
    """Finds the gazetteer's actors in a text by every name at once, with exact offsets."""

    def __init__(self, drafts: Sequence[ActorDraft]) -> None:
        codes = {code: draft.key for draft in drafts for code in (draft.code, draft.key)}
        self.actors: dict[str, _Known] = {}
        entries: dict[str, _Entry] = {}
        for draft in drafts:
            display = next((name.text for name in draft.names if name.lang == "en"), draft.code)
            parent = codes.get(draft.parent, draft.parent) if draft.parent else None
            self.actors[draft.key] = _Known(
                key=draft.key, level=draft.level, country=draft.country, parent=parent, display=display
            )
            for name in draft.names:
                if draft.level == ActorLevel.COUNTRY and re.fullmatch(r"[A-Z]{2,3}", name.text):
                    continue
                self._add(entries, name.text, draft.key, generated=False)
        for draft in drafts:
            for generated in _generated_names(draft):
                self._add(entries, generated, draft.key, generated=True)
        for demonym, country in _DEMONYMS.items():
            if country in self.actors:
                self._add(entries, demonym, country, generated=True)
        self._entries = entries
        self._automaton = ahocorasick.Automaton()
        for folded in entries:
            self._automaton.add_word(folded, folded)
        self._automaton.make_automaton()
        self._fuzzy_choices: dict[ActorLevel, dict[str, str]] = {}
        for folded, entry in entries.items():
            if len(entry.keys) != 1 or not folded.isascii():
                continue
            key = next(iter(entry.keys))
            known = self.actors[key]
            if known.level in PLACE_LEVELS:
                stem = _compact(_SUFFIX.sub("", entry.display))
                if len(stem) >= 4:
                    self._fuzzy_choices.setdefault(known.level, {})[stem] = key

    def _add(self, entries: dict[str, _Entry], name: str, key: str, *, generated: bool) -> None:
        folded = fold_name(name)
        if len(folded) < 2:
            return
        existing = entries.get(folded)
        if existing is not None:
            if key in existing.keys:
                return
            if generated and not existing.generated:
                return
            if existing.generated and not generated:
                existing = None
        exact_case = name.isupper() and len(name) <= 5
        proper = name[:1].isupper()
        keys = frozenset({key} | (existing.keys if existing is not None else set()))
        entries[folded] = _Entry(keys=keys, display=name, exact_case=exact_case, proper=proper, generated=generated)

    def known(self, key: str) -> _Known | None:
        """What the matcher knows of an actor key: level, country, parent, display name."""
        return self.actors.get(key)

    def find(self, text: str, start: int = 0) -> tuple[list[Mention], list[Unresolved]]:
        """Every actor named in ``text`` from ``start`` (longest names first), and names left unresolved."""
        folded, offsets = fold(text[start:])
        raw: list[tuple[int, int, str]] = []
        for end_index, word in self._automaton.iter(folded):
            first = end_index - len(word) + 1
            original = text[start + offsets[first] : start + offsets[end_index] + 1]
            if self._acceptable(folded, first, end_index + 1, word, original):
                raw.append((first, end_index + 1, word))
        raw.sort(key=lambda item: (item[0], -(item[1] - item[0])))
        mentions: list[Mention] = []
        unresolved: list[Unresolved] = []
        taken_until = -1
        for first, last, word in raw:
            if first < taken_until:
                continue
            taken_until = last
            span = Span(start=start + offsets[first], end=start + offsets[last - 1] + 1)
            entry = self._entries[word]
            surface = text[span.start : span.end]
            if len(entry.keys) > 1:
                unresolved.append(
                    Unresolved(span=span, text=surface, reason=f"ambiguous: could be {', '.join(sorted(entry.keys))}")
                )
                continue
            key = next(iter(entry.keys))
            conflict = self._level_conflict(text, span, key)
            if conflict is not None:
                unresolved.append(conflict)
                continue
            known = self.actors[key]
            how = "name" if not entry.generated else f"variant of {known.display}"
            mentions.append(
                Mention(span=span, text=surface, key=key, level=str(known.level), country=known.country, how=how)
            )
        fuzzy_mentions, fuzzy_unresolved = self._place_phrases(text, start, mentions, unresolved)
        mentions.extend(fuzzy_mentions)
        unresolved.extend(fuzzy_unresolved)
        mentions.sort(key=lambda mention: mention.span.start)
        unresolved.sort(key=lambda name: name.span.start)
        return mentions, unresolved

    def _acceptable(self, folded: str, first: int, last: int, word: str, original: str) -> bool:
        """Whole words only, the case a proper name or an acronym needs, and never a dotted abbreviation ('U.S.'
        in 'U.S. dollars' or 'the U.S. missile defense system' names no party)."""
        entry = self._entries[word]
        if _DOTTED.fullmatch(original):
            return False
        if _is_latin(word[0]) and first > 0 and _is_latin(folded[first - 1]):
            return False
        if _is_latin(word[-1]) and last < len(folded) and _is_latin(folded[last]):
            return False
        if entry.exact_case:
            return fold_name(original) == word and original == original.upper()
        return not (entry.proper and original[:1].isalpha() and not original[:1].isupper())

    def _level_conflict(self, text: str, span: Span, key: str) -> Unresolved | None:
        known = self.actors[key]
        pattern = _CONFLICTING_SUFFIX.get(known.level)
        if pattern is None:
            return None
        after = pattern.match(text, span.end)
        if after is None:
            return None
        phrase = text[span.start : after.end()]
        return Unresolved(
            span=Span(start=span.start, end=after.end()),
            text=phrase,
            reason=(
                f"the gazetteer knows {text[span.start : span.end]!r} as {known.display} ({key}, a "
                f"{known.level.replace('_', ' ')}), not as a{after.group(0).rstrip()}; no actor of that name and level"
            ),
        )

    def _place_phrases(
        self, text: str, start: int, mentions: Iterable[Mention], unresolved: Iterable[Unresolved]
    ) -> tuple[list[Mention], list[Unresolved]]:
        covered = [mention.span for mention in mentions] + [name.span for name in unresolved]
        found: list[Mention] = []
        missing: list[Unresolved] = []
        for match in _PLACE_PHRASE.finditer(text, start):
            span = Span(start=match.start(), end=match.end())
            if any(span.gap(other) == 0 and span.start < other.end and other.start < span.end for other in covered):
                continue
            stem_words = match.group("stem").replace("-", " ").split()
            while stem_words and stem_words[0].lower().strip("'’") in _NOT_A_STEM:
                stem_words.pop(0)
            if not stem_words:
                continue
            stem = " ".join(stem_words)
            span = Span(start=match.end() - len(stem) - len(match.group("suffix")) - 1, end=match.end())
            levels = _SUFFIX_LEVELS.get(match.group("suffix").lower(), ())
            resolved = self._fuzzy(stem, levels)
            surface = text[span.start : span.end]
            if isinstance(resolved, Mention):
                known = self.actors[resolved.key]
                found.append(
                    Mention(
                        span=span,
                        text=surface,
                        key=resolved.key,
                        level=str(known.level),
                        country=known.country,
                        how=resolved.how,
                    )
                )
            else:
                missing.append(Unresolved(span=span, text=surface, reason=resolved))
        return found, missing

    def _fuzzy(self, stem: str, levels: Sequence[ActorLevel]) -> Mention | str:
        choices: dict[str, str] = {}
        for level in levels:
            choices.update(self._fuzzy_choices.get(level, {}))
        query = _compact(stem)
        if not choices or len(query) < 4:
            return "not in the gazetteer"
        ranked = process.extract(query, list(choices), scorer=fuzz.ratio, limit=6)
        if not ranked or ranked[0][1] < FUZZY_MIN_SCORE:
            near = [f"{self.actors[choices[name]].display} ({choices[name]}, {score:.0f})" for name, score, _ in ranked]
            near = [item for item, (_, score, _) in zip(near, ranked, strict=True) if score >= 60][:3]
            return "not in the gazetteer" + (f"; nearest: {', '.join(near)}" if near else "")
        best_name, best_score, _ = ranked[0]
        best_key = choices[best_name]
        rivals = [score for name, score, _ in ranked[1:] if choices[name] != best_key]
        if rivals and best_score - rivals[0] < FUZZY_MARGIN:
            others = sorted({choices[name] for name, score, _ in ranked if best_score - score < FUZZY_MARGIN})
            return f"spelling close to several actors ({', '.join(others)}); not guessed"
        known = self.actors[best_key]
        return Mention(
            span=Span(start=0, end=0),
            text=stem,
            key=best_key,
            level=str(known.level),
            country=known.country,
            how=f"spelling variant of {known.display} (rapidfuzz {best_score:.0f})",
        )
