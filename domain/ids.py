"""Deterministic ids: the same source, actor or fact always gets the same stream id."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from uuid import UUID, uuid5

import orjson

from events.values import Attributes, FactKind, Modality, Period

NAMESPACE = UUID("5d4c3b2a-1f0e-4d9c-8b7a-695847362514")
_FACT_NAME = NAMESPACE.bytes + b"fact:"


def source_id(document: str) -> UUID:
    """The stream id of a document, whatever its versions."""
    return uuid5(NAMESPACE, f"source:{document}")


def actor_id(key: str) -> UUID:
    """The stream id of an actor, from the key it was first registered under."""
    return uuid5(NAMESPACE, f"actor:{key}")


CORPUS_STREAM = uuid5(NAMESPACE, "corpus")


def resolution_id(facts: Iterable[UUID]) -> UUID:
    """The stream id of the resolution of a conflict among these facts."""
    return uuid5(NAMESPACE, "resolution:" + ",".join(sorted(str(fact) for fact in facts)))


def sha256_of(text: str) -> str:
    """The content address of a text: the hex sha256 of its UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def fact_id(
    *,
    sha256: str,
    start: int,
    end: int,
    kind: FactKind,
    modality: Modality,
    parties: tuple[str, ...],
    date: Period,
    attributes: Attributes,
) -> UUID:
    """A fact's id, from its source version, span, kind and normalised content.

    It is ``uuid5(NAMESPACE, "fact:" + content)``, computed from the content's bytes as ``uuid5`` does
    (SHA-1 of the namespace's bytes and the name's UTF-8), without decoding and encoding them again.
    """
    content = orjson.dumps([sha256, start, end, kind, modality, sorted(parties), date.edtf, attributes.items])
    return UUID(bytes=hashlib.sha1(_FACT_NAME + content, usedforsecurity=False).digest()[:16], version=5)
