"""Events of the corpus stream: which folders and files of documents this store reads its facts from."""

from __future__ import annotations

import attrs

from events.base import DomainEvent


@attrs.frozen(kw_only=True)
class CorpusPathAdded(DomainEvent):
    """A folder or file of document files became part of this store's corpus: a plain ingest reads it again."""

    path: str
