"""Sources: the documents facts are cited from, each version kept and addressed by its sha256."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import attrs

from domain.errors import InvalidInput, QuoteNotInSource, UnknownSource
from domain.fold import Fold
from domain.ids import sha256_of, source_id
from domain.quotes import nearest
from events.sources import SourceRegistered, SourceRevised
from events.values import Citation, Period, SourceKind


@attrs.frozen(kw_only=True)
class SourceDraft:
    """A document as offered for registration: metadata and full text."""

    document: str
    title: str
    publisher: str
    published: Period
    published_note: str
    language: str
    kind: SourceKind
    address: str | None
    text: str
    origin: str = attrs.field(default="", eq=False)


@attrs.frozen(kw_only=True)
class SourceVersion:
    """One text of a document, addressed by its sha256."""

    sha256: str
    text: str


@attrs.frozen(kw_only=True)
class Source:
    """A document and every version of its text that the store has held."""

    id: UUID
    version: int
    document: str
    title: str
    publisher: str
    published: Period
    published_note: str
    language: str
    kind: SourceKind
    address: str | None
    versions: tuple[SourceVersion, ...]

    @property
    def latest(self) -> SourceVersion:
        """The newest text."""
        return self.versions[-1]

    def text_of(self, sha256: str) -> str:
        """The text of the version with this sha256."""
        return self.version_of(sha256).text

    def version_of(self, sha256: str) -> SourceVersion:
        """The version with this sha256."""
        for version in self.versions:
            if version.sha256 == sha256:
                return version
        msg = f"source {self.document} has no version {sha256[:12]}"
        raise UnknownSource(msg)

    def cite(self, quote: str, *, start: int | None = None, sha256: str | None = None) -> Citation:
        """A citation of ``quote`` in a version of this source (the newest unless ``sha256``).

        With ``start`` the quote must be at exactly that offset; without it, the quote must occur
        exactly once.
        """
        version = self.versions[-1] if sha256 is None else self.version_of(sha256)
        text = version.text
        if not quote:
            msg = f"empty quote for source {self.document}"
            raise QuoteNotInSource(msg)
        if start is None:
            start = text.find(quote)
            if start < 0:
                close = nearest(text, quote)
                hint = f"; {close.describe()}" if close else ""
                msg = f"quote not found in source {self.document}: {_clip(quote)!r}{hint}"
                raise QuoteNotInSource(msg)
            again = text.find(quote, start + 1)
            if again >= 0:
                msg = (
                    f"quote occurs more than once in source {self.document} "
                    f"(at {start} and {again}); give its start: {_clip(quote)!r}"
                )
                raise QuoteNotInSource(msg)
        elif text[start : start + len(quote)] != quote:
            msg = f"quote not at offset {start} of source {self.document}: {_clip(quote)!r}"
            raise QuoteNotInSource(msg)
        return Citation(
            document=self.document,
            sha256=version.sha256,
            start=start,
            end=start + len(quote),
            quote=quote,
        )

    def check(self, citation: Citation) -> None:
        """Refuse a citation whose quote is not at its offsets in the version it names."""
        text = self.text_of(citation.sha256)
        if text[citation.start : citation.end] != citation.quote:
            msg = (
                f"quote not at offsets {citation.start}-{citation.end} of source "
                f"{self.document}: {_clip(citation.quote)!r}"
            )
            raise QuoteNotInSource(msg)


def _clip(text: str, width: int = 80) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


source_fold: Fold[Source] = Fold("a source")
mutate = source_fold.mutate


@source_fold.applies
def _(event: SourceRegistered, state: Source | None) -> Source:
    return Source(
        id=event.originator_id,
        version=event.originator_version,
        document=event.document,
        title=event.title,
        publisher=event.publisher,
        published=event.published,
        published_note=event.published_note,
        language=event.language,
        kind=event.kind,
        address=event.address,
        versions=(SourceVersion(sha256=event.sha256, text=event.text),),
    )


@source_fold.applies
def _(event: SourceRevised, state: Source | None) -> Source:
    if state is None:
        msg = "a source revision before its registration"
        raise TypeError(msg)
    return attrs.evolve(
        state,
        version=event.originator_version,
        versions=(*state.versions, SourceVersion(sha256=event.sha256, text=event.text)),
    )


project_source = source_fold.project


def register_source(
    draft: SourceDraft, existing: Source | None, *, at: datetime
) -> SourceRegistered | SourceRevised | None:
    """Register a document, or store its changed text as a new version; nothing if already held."""
    _check_text(draft)
    sha256 = sha256_of(draft.text)
    if existing is None:
        return SourceRegistered(
            originator_id=source_id(draft.document),
            originator_version=1,
            timestamp=at,
            document=draft.document,
            title=draft.title,
            publisher=draft.publisher,
            published=draft.published,
            published_note=draft.published_note,
            language=draft.language,
            kind=draft.kind,
            address=draft.address,
            text=draft.text,
            sha256=sha256,
        )
    if any(version.sha256 == sha256 for version in existing.versions):
        return None
    return SourceRevised(
        originator_id=existing.id,
        originator_version=existing.version + 1,
        timestamp=at,
        text=draft.text,
        sha256=sha256,
        note=f"text changed from version {existing.latest.sha256[:12]}",
    )


def _check_text(draft: SourceDraft) -> None:
    if not draft.document.strip():
        msg = "a source needs a document name"
        raise InvalidInput(msg)
    if not draft.text.strip():
        msg = f"source {draft.document} has an empty text"
        raise InvalidInput(msg)
    if "\x00" in draft.text:
        msg = f"source {draft.document} is binary (its text holds NUL bytes)"
        raise InvalidInput(msg)
