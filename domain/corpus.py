"""The folders and files a store reads its documents from: remembered, so a plain ingest reads them again."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from domain.ids import CORPUS_STREAM
from events.base import DomainEvent
from events.corpus import CorpusPathAdded


def corpus_paths(events: Iterable[DomainEvent]) -> tuple[tuple[str, ...], int]:
    """The paths of the corpus stream's events, in the order added, and the stream's version."""
    paths: list[str] = []
    version = 0
    for event in events:
        if isinstance(event, CorpusPathAdded) and event.path not in paths:
            paths.append(event.path)
        version = event.originator_version
    return tuple(paths), version


def add_paths(held: Sequence[str], version: int, paths: Iterable[str], *, at: datetime) -> list[CorpusPathAdded]:
    """Events adding the paths the corpus does not hold yet (absolute, as given)."""
    added: list[CorpusPathAdded] = []
    for path in paths:
        if path in held or any(event.path == path for event in added):
            continue
        added.append(
            CorpusPathAdded(
                originator_id=CORPUS_STREAM, originator_version=version + len(added) + 1, timestamp=at, path=path
            )
        )
    return added
