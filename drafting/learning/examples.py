"""Reviewed documents as training examples: each text read by the rules, each sentence labelled with the
kinds of the facts a person kept from it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import attrs

from domain.errors import InvalidInput
from drafting.learning.features import Features, labels_of, sentence_features
from drafting.learning.model import TrainingSet
from drafting.model import Span
from events.values import InvalidValue, Period

if TYPE_CHECKING:
    from drafting.assemble import Drafter

Rows = tuple[tuple[Features, frozenset[str]], ...]


@attrs.frozen(kw_only=True)
class ReviewedFact:
    """What a training example needs of a reviewed fact: its kind and where its quote is."""

    kind: str
    start: int
    end: int


@attrs.frozen(kw_only=True)
class ReviewedDocument:
    """A document a person reviewed: its text, language, publication date and the facts kept from it."""

    document: str
    language: str
    text: str
    published: Period
    facts: tuple[ReviewedFact, ...]


@attrs.frozen(kw_only=True)
class DocumentRows:
    """One reviewed document's sentences as training rows (none if the drafter cannot read it)."""

    document: str
    language: str
    rows: Rows


def document_rows(drafter: Drafter, document: ReviewedDocument) -> DocumentRows:
    """The document read by the rules alone, each sentence with its features and the kinds it carries."""
    rules = drafter.with_model(None)
    try:
        draft = rules.draft(document.text, document.published, document.language)
    except (InvalidInput, InvalidValue):
        return DocumentRows(document=document.document, language=document.language, rows=())
    quotes = [(fact.kind, Span(start=fact.start, end=fact.end)) for fact in document.facts]
    rows = tuple(
        (sentence_features(document.text, read, document.language), labels_of(read, quotes)) for read in draft.sentences
    )
    return DocumentRows(document=document.document, language=document.language, rows=rows)


def training_set(documents: Sequence[DocumentRows]) -> TrainingSet:
    """The rows of ``documents`` (in the order given) as one training set."""
    languages = Counter(document.language for document in documents)
    return TrainingSet(
        rows=tuple(row for document in documents for row in document.rows),
        documents=len(documents),
        languages=tuple(sorted(languages.items())),
    )


def rows_of(drafter: Drafter, documents: Iterable[ReviewedDocument]) -> list[DocumentRows]:
    """Every document's rows, sorted by document id (so the same documents always train the same model)."""
    return [document_rows(drafter, document) for document in sorted(documents, key=lambda d: d.document)]
