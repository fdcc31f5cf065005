"""Has any stored event been changed behind the engine's back? A hash chain over the whole log."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import NamedTuple

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


class Checkpoint(NamedTuple):
    """The chain's digest after the event at a position, and how many events it covers."""

    position: int
    digest: str
    events: int


class Head(NamedTuple):
    """The chain's digest after the newest event (one row)."""

    one: int
    position: int
    digest: str
    events: int


class Anchor(NamedTuple):
    """The chain's digest at a position as first computed: written once, kept across rebuilds, compared after."""

    position: int
    digest: str


class Ledger(Projection):
    """Has any stored event been changed behind the engine's back? (a hash chain over the log)

    The digest is kept at every thousandth position and at the head, so the same log always
    gives the same rows, however its pages fell. Each checkpoint, and the head after every page, is
    also anchored in a table no rebuild rewrites: a rebuild over a changed log cannot launder it.
    """

    name = "ledger"
    version = 3
    topics = ()
    tables = (
        Table.of("checkpoints", Checkpoint, key=("position",)),
        Table.of("head", Head, key=("one",)),
        Table.of("anchors", Anchor, key=("position",), kept=True),
    )

    def handle(self, events: Sequence[Envelope], out: Writer) -> None:
        rows = [Head._make(row) for row in out.execute("SELECT one, position, digest, events FROM {head}")]
        digest, count = (rows[0].digest, rows[0].events) if rows else (GENESIS, 0)
        checkpoints: list[Checkpoint] = []
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
                checkpoints.append(Checkpoint(envelope.position, digest, count))
        out.insert("checkpoints", checkpoints)
        out.upsert("head", [Head(1, events[-1].position, digest, count)])
        anchors = {checkpoint.position: checkpoint.digest for checkpoint in checkpoints}
        anchors[events[-1].position] = digest
        out.insert_new("anchors", [Anchor(position, value) for position, value in sorted(anchors.items())])
