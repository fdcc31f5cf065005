"""What the learned model reads of a sentence: its words with names and dates replaced by what they are,
and the reading the rules made of it (its names' levels and countries, its dates, the rules that fired).

Everything but the words is the same in every language, so what is learned from a Korean press release
about "<place> ... <place> ... <day>" with a sisterhood rule firing carries over to an English article.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence

from drafting.kinds import PLACE_LEVELS
from drafting.learning.tokens import tokens
from drafting.model import DateMention, Mention, SentenceRead, Span

Features = dict[str, float]


def _bucket(mention: Mention) -> str:
    if mention.how.startswith("person"):
        return "person"
    if mention.level in PLACE_LEVELS:
        return "place"
    if mention.level in ("country", "conference_series", "program"):
        return mention.level
    return "body"


def _date_shape(date: DateMention) -> str:
    if date.relative is not None:
        return "relative"
    edtf = date.edtf or ""
    if "/" in edtf:
        return "range"
    if len(edtf.rstrip("~?")) == 10:
        return "day"
    if len(edtf.rstrip("~?")) == 7:
        return "month"
    return "year"


Words = Callable[[str, Span], list[str]]


def masked_tokens(
    text: str,
    span: Span,
    mentions: Sequence[Mention],
    dates: Sequence[DateMention],
    language: str,
    *,
    words: Words | None = None,
) -> list[str]:
    """The sentence's words in order, each name as '@' and its kind, each date as '#' and its precision.

    ``words`` reads the words of ``text[span]`` (a language's own analyser: Korean morphemes, Chinese words);
    without it, :func:`drafting.learning.tokens.tokens` reads them for ``language``."""

    def read(start: int, end: int) -> list[str]:
        if words is not None:
            return [word.casefold() for word in words(text, Span(start=start, end=end))]
        return tokens(text[start:end], language)

    marks: list[tuple[Span, str]] = [(m.span, "@" + _bucket(m)) for m in mentions]
    marks += [(d.span, "#" + _date_shape(d)) for d in dates]
    marks.sort(key=lambda mark: (mark[0].start, -mark[0].end))
    found: list[str] = []
    cursor = span.start
    for mark_span, token in marks:
        if mark_span.start < cursor or mark_span.end > span.end:
            continue
        found.extend(read(cursor, mark_span.start))
        found.append(token)
        cursor = mark_span.end
    found.extend(read(cursor, span.end))
    return found


def _count(value: int) -> str:
    return str(value) if value < 3 else "3+"


def sentence_features(text: str, read: SentenceRead, language: str, analyser: Words | None = None) -> Features:
    """The features of one sentence (binary, by name); ``analyser`` is the language's own word reader, if any."""
    words = masked_tokens(text, read.span, read.mentions, read.dates, language, words=analyser)
    features: Features = {f"lang={language}": 1.0}
    for word in words:
        features[f"w={word}"] = 1.0
    for first, second in itertools.pairwise(words):
        features[f"b={first}_{second}"] = 1.0
    places = [m for m in read.mentions if _bucket(m) == "place"]
    features[f"places={_count(len({m.key for m in places}))}"] = 1.0
    features[f"sides={_count(len({m.country for m in read.mentions if _bucket(m) != 'person'}))}"] = 1.0
    for name in {_bucket(m) for m in read.mentions}:
        features[f"has={name}"] = 1.0
    shapes = {_date_shape(d) for d in read.dates} or {"none"}
    for shape in shapes:
        features[f"date={shape}"] = 1.0
    if any(d.since for d in read.dates):
        features["date=since"] = 1.0
    for rule in read.rules:
        features[f"rule={rule}"] = 1.0
        features[f"family={rule.split('.')[0]}"] = 1.0
    if not read.rules:
        features["rule=none"] = 1.0
    if read.heading:
        features["heading"] = 1.0
    if read.index == 0:
        features["first"] = 1.0
    return features


def labels_of(read: SentenceRead, quotes: Iterable[tuple[str, Span]]) -> frozenset[str]:
    """The kinds of the reviewed facts whose quote overlaps the sentence."""
    return frozenset(kind for kind, quote in quotes if quote.overlaps(read.span))
