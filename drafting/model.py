"""What the drafter finds in a text and what it proposes: spans, mentions, dates and candidate facts."""

from __future__ import annotations

import attrs

from events.values import ActorLevel, Attributes, FactKind, Modality, Period, texts


@attrs.frozen(kw_only=True)
class Span:
    """A stretch of the text by character offsets, ``text[start:end]``."""

    start: int
    end: int

    def gap(self, other: Span) -> int:
        """Characters between the two spans (0 when they touch or overlap)."""
        return max(0, max(self.start, other.start) - min(self.end, other.end))

    def covers(self, other: Span) -> bool:
        """Whether ``other`` lies within this span."""
        return self.start <= other.start and other.end <= self.end

    def overlaps(self, other: Span) -> bool:
        """Whether the two spans share a character."""
        return self.start < other.end and other.start < self.end


@attrs.frozen(kw_only=True)
class Mention:
    """A name in the text read as one actor of the gazetteer, and how it was read."""

    span: Span
    text: str
    key: str
    level: str
    country: str
    how: str


@attrs.frozen(kw_only=True)
class Unresolved:
    """A place-like name the gazetteer cannot give one actor for: reported, never guessed."""

    span: Span
    text: str
    reason: str


@attrs.frozen(kw_only=True)
class DateMention:
    """A date in the text: an EDTF value, or a relative expression read against the publication date."""

    span: Span
    text: str
    period: Period
    edtf: str | None = None
    relative: str | None = None
    since: bool = False
    each: tuple[Period, ...] = ()
    anchor: str | None = None

    @property
    def is_precise(self) -> bool:
        """Whether it names a day or a month (a date that can anchor the sentences around it)."""
        if self.period.earliest is None or self.period.latest is None:
            return False
        return (self.period.latest - self.period.earliest).days <= 31


@attrs.frozen(kw_only=True)
class Sentence:
    """One sentence of the body, its paragraph, and the clauses it splits into."""

    span: Span
    paragraph: int
    clauses: tuple[Span, ...]


@attrs.frozen(kw_only=True)
class SentenceRead:
    """One sentence as the rules read it: its names, dates and the rules that fired (what the model learns from)."""

    span: Span
    index: int
    paragraph: int
    heading: bool
    mentions: tuple[Mention, ...]
    dates: tuple[DateMention, ...]
    rules: tuple[str, ...]


@attrs.frozen(kw_only=True)
class ModelUse:
    """Which learned model a draft used: its identity, what it was trained on, and what it changed."""

    identity: str
    documents: int
    sentences: int
    position: int | None
    proposed: int
    dropped: int


@attrs.frozen(kw_only=True)
class Header:
    """What precedes the body: where the body starts, a title and a publication date if printed."""

    body_start: int
    title: str | None
    published: Period | None
    published_line: str | None
    dateline_end: int | None


@attrs.frozen(kw_only=True)
class Candidate:
    """A fact the drafter proposes, cited to the exact quote at its offsets, for a person to review."""

    kind: FactKind
    modality: Modality
    parties: tuple[str, ...] = attrs.field(converter=texts)
    period: Period
    edtf: str | None
    relative: str | None
    date_note: str
    attributes: Attributes
    quote: Span
    confidence: float
    rule: str
    notes: tuple[str, ...] = attrs.field(converter=texts, factory=tuple)


@attrs.frozen(kw_only=True)
class Declared:
    """An actor the draft declares in its ``actors:`` block (a conference the gazetteer does not know)."""

    code: str
    level: ActorLevel
    country: str
    name: str


@attrs.frozen(kw_only=True)
class SetAside:
    """A candidate the kinds registry would refuse, kept out of the facts and shown to the reviewer."""

    candidate: Candidate
    reason: str


@attrs.frozen(kw_only=True)
class Draft:
    """The candidates drafted from one text, with the names left unresolved and the header read."""

    text: str
    published: Period
    published_from: str
    published_note: str
    title: str | None
    header: Header
    candidates: tuple[Candidate, ...]
    unresolved: tuple[Unresolved, ...]
    declared: tuple[Declared, ...] = ()
    set_aside: tuple[SetAside, ...] = ()
    language: str = "en"
    sentences: tuple[SentenceRead, ...] = ()
    model: ModelUse | None = None

    @property
    def proposals(self) -> tuple[Candidate, ...]:
        """Every fact the drafter proposes: the candidates, and those set aside for the reviewer to fix."""
        return (*self.candidates, *(aside.candidate for aside in self.set_aside))
