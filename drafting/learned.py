"""The learned model beside the rules: it weighs each rule's candidate by how likely its sentence is to
state a fact of that kind, sets aside the ones it finds very unlikely, and proposes the kinds a sentence
very likely states where no rule fired. Every proposal is still a candidate cited to its exact quote,
with its parties and date read by the same rules; the model only decides which sentences to read.
"""

from __future__ import annotations

import re

import attrs

from drafting.learning.model import SentenceModel, family_probability
from drafting.model import Candidate
from drafting.scoring import family
from events.values import FactKind

PROPOSE_AT = 0.5
DROP_BELOW = 0.0
KINDS_OF_FAMILY = {
    name: tuple(str(kind) for kind in FactKind if family(kind) == name) for name in {family(k) for k in FactKind}
}
_SISTER = re.compile(r"sister|twin|자매|姐妹|友好城市|友好省|友城", re.IGNORECASE)
_FRIEND = re.compile(r"friend|우호|友好", re.IGNORECASE)


@attrs.frozen(kw_only=True)
class Learned:
    """A trained sentence model, where it came from, and the two thresholds it is used with."""

    model: SentenceModel
    position: int | None = None
    propose_at: float = PROPOSE_AT
    drop_below: float = DROP_BELOW


def weighed(candidate: Candidate, probabilities: dict[str, float], learned: Learned) -> Candidate | None:
    """The candidate with its confidence averaged with the model's, or None if the model finds it very unlikely."""
    chance = family_probability(probabilities, KINDS_OF_FAMILY[family(candidate.kind)])
    if chance is None:
        return candidate
    if chance < learned.drop_below:
        return None
    return attrs.evolve(
        candidate,
        confidence=round(max(0.05, min(0.95, (candidate.confidence + chance) / 2)), 2),
        notes=(*candidate.notes, f"learned model {learned.model.identity}: {chance:.2f} for its kind here"),
    )


def proposals(
    probabilities: dict[str, float], proposed_families: set[str], learned: Learned
) -> list[tuple[FactKind, float]]:
    """The kinds the model finds likely enough in a sentence where no candidate of their family stands."""
    chosen: dict[str, tuple[FactKind, float]] = {}
    for kind, chance in sorted(probabilities.items(), key=lambda item: -item[1]):
        fact_kind = FactKind(kind)
        name = family(fact_kind)
        if chance < learned.propose_at or name in proposed_families or name in chosen:
            continue
        chosen[name] = (fact_kind, chance)
    return list(chosen.values())


def level_in(words: str) -> str | None:
    """The level of tie a sentence's words name, for a proposed tie (sisterhood before friendship)."""
    if _SISTER.search(words):
        return "sisterhood"
    if _FRIEND.search(words):
        return "friendship"
    return None
