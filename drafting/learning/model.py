"""The learned sentence model: for each kind of fact, how likely a sentence is to state one.

Trained with scikit-learn (one L2-regularised logistic regression per kind, over binary features) and
kept as plain arrays: a sorted vocabulary, a weight matrix and intercepts, rounded so that the same
examples always give the same bytes. Applying it needs only numpy, so ``paradip draft`` never imports
scikit-learn unless it has to train.
"""

from __future__ import annotations

import hashlib
import io
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path

import attrs
import numpy as np

from drafting.learning.features import Features

MODEL_VERSION = 1
MIN_POSITIVES = 3
MIN_SENTENCES_OF_FEATURE = 2
REGULARISATION = 0.5
DECIMALS = 6


@attrs.frozen(kw_only=True)
class TrainingSet:
    """Sentences with their features and the kinds of the reviewed facts they carry, and where they came from."""

    rows: tuple[tuple[Features, frozenset[str]], ...]
    documents: int
    languages: tuple[tuple[str, int], ...] = ()


@attrs.frozen(kw_only=True, eq=False)
class SentenceModel:
    """Weights per kind over a vocabulary of features; ``probabilities`` reads one sentence."""

    kinds: tuple[str, ...]
    vocabulary: tuple[str, ...]
    weights: np.ndarray
    intercepts: np.ndarray
    documents: int
    sentences: int
    languages: tuple[tuple[str, int], ...] = ()
    version: int = MODEL_VERSION
    _index: dict[str, int] = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_index", {name: column for column, name in enumerate(self.vocabulary)})

    @property
    def identity(self) -> str:
        """A short digest of the weights: the model's name in a draft's notes."""
        digest = hashlib.sha256()
        digest.update("\n".join(self.kinds).encode())
        digest.update("\n".join(self.vocabulary).encode())
        digest.update(np.ascontiguousarray(self.weights).tobytes())
        digest.update(np.ascontiguousarray(self.intercepts).tobytes())
        return digest.hexdigest()[:12]

    def probabilities(self, features: Features) -> dict[str, float]:
        """For each kind the model knows, the probability that the sentence states a fact of it."""
        columns = [self._index[name] for name in features if name in self._index]
        scores = self.intercepts + (self.weights[:, columns].sum(axis=1) if columns else 0.0)
        return {kind: 1.0 / (1.0 + math.exp(-float(score))) for kind, score in zip(self.kinds, scores, strict=True)}

    def strongest_word(self, features: Features, kind: str) -> str | None:
        """The word of the sentence that speaks most for ``kind`` (where a proposal of the model is anchored)."""
        if kind not in self.kinds:
            return None
        row = self.kinds.index(kind)
        scored = [
            (float(self.weights[row, self._index[name]]), name)
            for name in features
            if name.startswith("w=") and name in self._index and name[2:3] not in "@#"
        ]
        if not scored:
            return None
        weight, name = max(scored)
        return name[2:] if weight > 0 else None

    def to_bytes(self) -> bytes:
        """The model as an ``.npz`` archive (no pickled objects)."""
        buffer = io.BytesIO()
        np.savez_compressed(
            buffer,
            kinds=np.array(self.kinds, dtype=str),
            vocabulary=np.array(self.vocabulary, dtype=str),
            weights=self.weights,
            intercepts=self.intercepts,
            counts=np.array([self.documents, self.sentences, self.version], dtype=np.int64),
            languages=np.array([f"{name}={count}" for name, count in self.languages], dtype=str),
        )
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> SentenceModel:
        """A model written by :meth:`to_bytes`."""
        with np.load(io.BytesIO(data), allow_pickle=False) as archive:
            documents, sentences, version = (int(value) for value in archive["counts"])
            languages = tuple(
                (name, int(count)) for name, count in (entry.split("=", 1) for entry in archive["languages"].tolist())
            )
            return cls(
                kinds=tuple(archive["kinds"].tolist()),
                vocabulary=tuple(archive["vocabulary"].tolist()),
                weights=archive["weights"],
                intercepts=archive["intercepts"],
                documents=documents,
                sentences=sentences,
                languages=languages,
                version=version,
            )

    def save(self, path: Path) -> None:
        """Write the model to ``path`` (atomically: a reader never sees half a file)."""
        partial = path.with_suffix(path.suffix + ".partial")
        partial.write_bytes(self.to_bytes())
        partial.replace(path)


def train(examples: TrainingSet) -> SentenceModel:
    """One logistic regression per kind with at least ``MIN_POSITIVES`` sentences, on the same features."""
    from scipy.sparse import csr_matrix  # noqa: PLC0415  (only a training run needs scipy and scikit-learn)
    from sklearn.linear_model import LogisticRegression  # noqa: PLC0415

    positives = Counter(kind for _features, kinds in examples.rows for kind in kinds)
    kinds = tuple(sorted(kind for kind, count in positives.items() if count >= MIN_POSITIVES))
    seen = Counter(name for features, _kinds in examples.rows for name in features)
    vocabulary = tuple(sorted(name for name, count in seen.items() if count >= MIN_SENTENCES_OF_FEATURE))
    index = {name: column for column, name in enumerate(vocabulary)}
    data: list[float] = []
    rows: list[int] = []
    columns: list[int] = []
    for row, (features, _kinds) in enumerate(examples.rows):
        for name, value in sorted(features.items()):
            if name not in index:
                continue
            rows.append(row)
            columns.append(index[name])
            data.append(value)
    matrix = csr_matrix((data, (rows, columns)), shape=(len(examples.rows), len(vocabulary)), dtype=np.float64)
    weights = np.zeros((len(kinds), len(vocabulary)), dtype=np.float64)
    intercepts = np.zeros(len(kinds), dtype=np.float64)
    for position, kind in enumerate(kinds):
        target = np.array([kind in labels for _features, labels in examples.rows], dtype=np.int64)
        fitted = LogisticRegression(C=REGULARISATION, solver="liblinear", max_iter=200, random_state=0)
        fitted.fit(matrix, target)
        weights[position] = fitted.coef_[0]
        intercepts[position] = fitted.intercept_[0]
    return SentenceModel(
        kinds=kinds,
        vocabulary=vocabulary,
        weights=np.round(weights, DECIMALS).astype(np.float32),
        intercepts=np.round(intercepts, DECIMALS).astype(np.float32),
        documents=examples.documents,
        sentences=len(examples.rows),
        languages=examples.languages,
    )


def family_probability(probabilities: Mapping[str, float], kinds: Sequence[str]) -> float | None:
    """The highest probability among ``kinds`` (None when the model knows none of them)."""
    known = [probabilities[kind] for kind in kinds if kind in probabilities]
    return max(known) if known else None
