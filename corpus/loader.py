"""Reading the corpus: the bundled documents, registers and gazetteer, and the files and folders a user
names, into one batch of actors, sources and facts (all checked before anything is written)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import attrs

from corpus.document_file import DOCUMENT_SUFFIXES, DocumentReader
from corpus.files import read_yaml
from corpus.gazetteer import KnownActor, build_drafts, other_actor_drafts
from corpus.register_file import read_register
from corpus.register_table import is_register
from domain.actors import ActorDraft
from domain.batch import IngestBatch
from domain.errors import InvalidInput
from domain.facts import FactDraft
from domain.sources import SourceDraft

BUNDLED = Path(__file__).resolve().parent


@attrs.frozen(kw_only=True)
class LoadedCorpus:
    """The batch read from document files, and how many facts each document gave."""

    batch: IngestBatch
    facts_per_document: tuple[tuple[str, int], ...]


def bundled_documents() -> list[Path]:
    """The document files shipped with Paradip."""
    return sorted((BUNDLED / "documents").glob("*.yaml"))


def bundled_registers() -> list[Path]:
    """The register files shipped with Paradip."""
    folder = BUNDLED / "registers"
    return sorted(path for path in folder.iterdir() if is_register(path)) if folder.is_dir() else []


def load_gazetteer() -> list[ActorDraft]:
    """The bundled gazetteer's actors: actors.yaml, and the cities and counties of places/*.yaml."""
    path = BUNDLED / "actors.yaml"
    drafts = build_drafts(read_yaml(path), str(path))
    for places in sorted((BUNDLED / "places").glob("*.yaml")):
        drafts.extend(other_actor_drafts(read_yaml(places).get("actors") or [], str(places)))
    return drafts


def corpus_files(paths: Sequence[Path]) -> list[Path]:
    """The document and register files these paths name: a folder stands for every document file
    (``*.yaml``, ``*.yml``, ``*.json``) and register in it, at any depth."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                candidate
                for candidate in path.rglob("*")
                if candidate.is_file() and (candidate.suffix.lower() in DOCUMENT_SUFFIXES or is_register(candidate))
            )
            if not found:
                msg = f"{path}: no document (*.yaml) or register file in this folder"
                raise InvalidInput(msg)
            files.extend(found)
        else:
            files.append(path)
    return files


def load(
    paths: Sequence[Path] | None = None, *, known: Sequence[KnownActor] = (), extra: Sequence[Path] = ()
) -> LoadedCorpus:
    """Read document files and folders (the bundled corpus and ``extra`` when ``paths`` is None) into one batch.

    ``known`` are actors the store already holds: a document may name them (an actor another
    document declared earlier) as it names the gazetteer's."""
    reader = DocumentReader(load_gazetteer(), known)
    files = [*bundled_documents(), *bundled_registers(), *corpus_files(extra)] if paths is None else corpus_files(paths)
    if not files:
        msg = "no document files to ingest"
        raise InvalidInput(msg)
    sources: list[SourceDraft] = []
    facts: list[FactDraft] = []
    counts: list[tuple[str, int]] = []
    for path in sorted(files, key=is_register):
        if is_register(path):
            source, document_facts = read_register(path, reader.actors, reader.known)
        else:
            source, document_facts = reader.document(path)
        sources.append(source)
        facts.extend(document_facts)
        counts.append((source.document, len(document_facts)))
    documents = [source.document for source in sources]
    duplicated = sorted({document for document in documents if documents.count(document) > 1})
    if duplicated:
        msg = f"document {duplicated[0]!r} is given by more than one file"
        raise InvalidInput(msg)
    return LoadedCorpus(
        batch=IngestBatch(actors=tuple(reader.actors), sources=tuple(sources), facts=tuple(facts), reconcile=True),
        facts_per_document=tuple(counts),
    )
