"""Has any stored event been changed behind the engine's back? A hash chain over the whole log."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from projections.base import Envelope, Projection, Table, Writer

GENESIS = "0" * 64


def chain(previous: str, envelope_fields: tuple[int, str, int, str, bytes]) -> str:
    """The digest after one more event: sha256 of the previous digest and the event as stored."""
    position, originator_id, version, topic, state = envelope_fields
    digest = hashlib.sha256(previous.encode("ascii"))
    digest.update(f"|{position}|{originator_id}|{version}|{topic}|".encode())
    digest.update(state)
    return digest.hexdigest()


class Ledger(Projection):
    """Has any stored event been changed behind the engine's back? (a hash chain over the log)"""

    name = "ledger"
    version = 1
    topics = ()
    tables = (Table("checkpoints", (("position", "int"), ("digest", "text"), ("events", "int")), key=("position",)),)

    def handle(self, events: Sequence[Envelope], out: Writer) -> None:
        rows = out.execute("SELECT digest, events FROM {checkpoints} ORDER BY position DESC LIMIT 1")
        digest, count = (rows[0][0], rows[0][1]) if rows else (GENESIS, 0)
        for envelope in events:
            digest = chain(
                digest,
                (
                    envelope.position,
                    envelope.originator_id,
                    envelope.originator_version,
                    envelope.topic,
                    envelope.state,
                ),
            )
        out.insert("checkpoints", [(events[-1].position, digest, count + len(events))])
