"""Has any stored event been changed behind the engine's back? A hash chain over the whole log."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from projections.base import Envelope, Projection, Table, Writer

GENESIS = "0" * 64
EVERY = 1000


def chain(previous: str, envelope_fields: tuple[int, str, int, str, bytes]) -> str:
    """The digest after one more event: sha256 of the previous digest and the event as stored."""
    position, originator_id, version, topic, state = envelope_fields
    digest = hashlib.sha256(previous.encode("ascii"))
    digest.update(f"|{position}|{originator_id}|{version}|{topic}|".encode())
    digest.update(state)
    return digest.hexdigest()


class Ledger(Projection):
    """Has any stored event been changed behind the engine's back? (a hash chain over the log)

    The digest is kept at every thousandth position and at the head, so the same log always
    gives the same rows, however its pages fell.
    """

    name = "ledger"
    version = 2
    topics = ()
    tables = (
        Table("checkpoints", (("position", "int"), ("digest", "text"), ("events", "int")), key=("position",)),
        Table("head", (("one", "int"), ("position", "int"), ("digest", "text"), ("events", "int")), key=("one",)),
    )

    def handle(self, events: Sequence[Envelope], out: Writer) -> None:
        rows = out.execute("SELECT digest, events FROM {head} WHERE one = 1")
        digest, count = (rows[0][0], rows[0][1]) if rows else (GENESIS, 0)
        checkpoints: list[tuple[Any, ...]] = []
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
            count += 1
            if envelope.position % EVERY == 0:
                checkpoints.append((envelope.position, digest, count))
        out.insert("checkpoints", checkpoints)
        out.upsert("head", [(1, events[-1].position, digest, count)])
