"""Events of the sources stream: documents, content-addressed by the sha256 of their text."""

from __future__ import annotations

import attrs

from events.base import DomainEvent
from events.values import Period, SourceKind


@attrs.frozen(kw_only=True)
class SourceRegistered(DomainEvent):
    """A document entered the store: its metadata, its full text and the text's sha256."""

    document: str
    title: str
    publisher: str
    published: Period
    published_note: str
    language: str
    kind: SourceKind
    address: str | None
    text: str
    sha256: str


@attrs.frozen(kw_only=True)
class SourceRevised(DomainEvent):
    """A changed text of a known document was stored as its new version; older versions remain."""

    text: str
    sha256: str
    note: str
