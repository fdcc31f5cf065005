"""The drafter's learned model for one store, derived from its events like any read model: trained from the
documents the store holds at the position its read models have reached, never edited by hand, and kept in a
cache keyed by everything it depends on (the reviewed documents and their facts, the log position, the
drafter's code and gazetteer), so a second draft at the same position reads it instead of training again.

Deleting the cache changes nothing but the time the next draft takes: the same store at the same position
trains the same model, byte for byte.
"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING

import attrs
import platformdirs

from domain.errors import UnknownSource
from drafting.learned import Learned
from drafting.learning.examples import ReviewedDocument, ReviewedFact, rows_of, training_set
from drafting.learning.model import MODEL_VERSION, SentenceModel, train
from drafting.learning.version import code_digest
from events.values import InvalidValue, Period
from projections.questions.reviewed import ReviewedDocuments

if TYPE_CHECKING:
    from application.app import Paradip
    from drafting import Drafter

CACHE_ENV = "PARADIP_MODEL_CACHE"


@attrs.frozen(kw_only=True)
class StoreModel:
    """The learned model of a store (None when it has nothing to learn from, with the reason), and how it was had."""

    learned: Learned | None
    documents: int
    position: int
    trained: bool
    seconds: float
    reason: str = ""


def cache_folder() -> Path:
    """Where learned models are kept: ``PARADIP_MODEL_CACHE``, else the user's cache folder."""
    given = os.environ.get(CACHE_ENV)
    return Path(given) if given else Path(platformdirs.user_cache_dir("paradip")) / "models"


def model_key(reviewed: ReviewedDocuments, drafter: Drafter) -> str:
    """The cache key of the model these documents train for this drafter at this position."""
    parts = (str(MODEL_VERSION), code_digest(), drafter.gazetteer_digest, reviewed.digest, str(reviewed.position))
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:40]


def store_model(app: Paradip, drafter: Drafter, cache: Path | None = None) -> StoreModel:
    """The model trained from the store's reviewed documents, read from the cache when it holds it."""
    started = time.perf_counter()
    reviewed = app.questions.reviewed_documents()
    usable = [source for source in reviewed.sources if source.facts]
    if not usable:
        return StoreModel(
            learned=None,
            documents=0,
            position=reviewed.position,
            trained=False,
            seconds=time.perf_counter() - started,
            reason="the store holds no reviewed document with facts",
        )
    folder = cache or cache_folder()
    path = folder / f"{model_key(reviewed, drafter)}.npz"
    model = _cached(path)
    trained = model is None
    if model is None:
        model = train(training_set(rows_of(drafter, _documents(app, reviewed))))
        _keep(model, path)
    elapsed = time.perf_counter() - started
    if not model.kinds:
        return StoreModel(
            learned=None,
            documents=model.documents,
            position=reviewed.position,
            trained=trained,
            seconds=elapsed,
            reason="too few reviewed facts of any kind to learn from",
        )
    return StoreModel(
        learned=Learned(model=model, position=reviewed.position),
        documents=model.documents,
        position=reviewed.position,
        trained=trained,
        seconds=elapsed,
    )


def _documents(app: Paradip, reviewed: ReviewedDocuments) -> list[ReviewedDocument]:
    documents = []
    for source in reviewed.sources:
        if not source.facts:
            continue
        try:
            stored = app.questions.source_text(source.document, source.sha256)
            published = Period.from_edtf(source.published)
        except (UnknownSource, InvalidValue):
            continue
        if not stored.intact:
            continue
        documents.append(
            ReviewedDocument(
                document=source.document,
                language=source.language,
                text=stored.text,
                published=published,
                facts=tuple(ReviewedFact(kind=kind, start=start, end=end) for kind, start, end in source.facts),
            )
        )
    return documents


def _cached(path: Path) -> SentenceModel | None:
    try:
        return SentenceModel.from_bytes(path.read_bytes())
    except (OSError, ValueError, KeyError):
        return None


def _keep(model: SentenceModel, path: Path) -> None:
    """Write the model to the cache; a cache that cannot be written only costs the next draft a training run."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        model.save(path)
    except OSError:
        return
