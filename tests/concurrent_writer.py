"""A writer process for the concurrency tests: ingests facts FIRST..LAST of the numbered world, CHUNK at a time
(``python -m tests.concurrent_writer URL FIRST LAST CHUNK [--no-read-models]``; with the flag it leaves the
read models to others, as a writer beside projection workers does)."""

from __future__ import annotations

import sys
from datetime import UTC, datetime

from application.app import IngestBatch
from application.bootstrap import open_app
from domain.facts import FactDraft
from domain.sources import SourceDraft
from events.values import Attributes, FactKind, Modality, Period, SourceKind
from tests.builders import ACTORS

LINES = 1200
TEXT = "".join(f"Line {number:05d}: the governors of Gyeonggi and Liaoning met again.\n" for number in range(LINES))
SOURCE = SourceDraft(
    document="numbered",
    title="Numbered meetings",
    publisher="Test",
    published=Period.from_edtf("2024"),
    published_note="",
    language="en",
    kind=SourceKind.REPORT,
    address=None,
    text=TEXT,
)


def draft(number: int) -> FactDraft:
    return FactDraft(
        kind=FactKind.MEETING,
        modality=Modality.OCCURRED,
        parties=("KR-41", "CN-LN"),
        date=Period.from_edtf(f"{1993 + number % 30}"),
        attributes=Attributes.of({"sequence": str(number)}),
        document="numbered",
        quote=f"Line {number:05d}: the governors",
    )


def batch(first: int, last: int) -> IngestBatch:
    return IngestBatch(actors=ACTORS, sources=(SOURCE,), facts=tuple(draft(n) for n in range(first, last)))


def main() -> None:
    url, first, last, chunk = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    app = open_app(url, keep_read_models_current="--no-read-models" not in sys.argv[5:])
    try:
        for start in range(first, last, chunk):
            app.ingest(batch(start, min(start + chunk, last)), at=datetime.now(UTC))
    finally:
        app.close()


if __name__ == "__main__":
    main()
