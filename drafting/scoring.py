"""Scoring drafted candidates against hand-coded facts, by one written-down matching rule.

A candidate matches a hand-coded fact when all four hold:

1. the same kind family (the kind, except that ``relationship_*`` kinds form one family and
   ``program_*`` kinds another);
2. the same sub-national parties: the parties at the levels province, municipality, city,
   county and district are the same set (countries, bodies, programmes and series are not
   compared; two facts with no sub-national party agree on this);
3. compatible dates: the days the two dates allow overlap (``1993`` and ``1993-10`` do,
   ``2019-11-27`` and ``2019-12-10`` do not);
4. the quotes overlap or lie within 300 characters of each other in the text.

Each candidate matches at most one fact and each fact at most one candidate (a maximum
matching); precision is matched candidates over candidates, recall matched facts over facts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

import attrs

from drafting.kinds import PLACE_LEVELS
from events.values import FactKind, Modality, Period

QUOTE_DISTANCE = 300


def family(kind: FactKind) -> str:
    """The kind family a kind is scored in."""
    if kind.value.startswith("relationship_"):
        return "relationship"
    if kind.value.startswith("program_"):
        return "program"
    return kind.value


@attrs.frozen(kw_only=True)
class Scored:
    """What the matching rule compares of a fact or a candidate."""

    kind: FactKind
    modality: Modality
    parties: frozenset[str]
    period: Period
    start: int
    end: int
    rule: str = ""
    confidence: float = 1.0


@attrs.frozen(kw_only=True)
class Match:
    """One candidate paired with one hand-coded fact."""

    candidate: int
    fact: int


def subnational(parties: Iterable[str], levels: Mapping[str, str]) -> frozenset[str]:
    """The parties that are provinces, municipalities, cities, counties or districts."""
    return frozenset(party for party in parties if levels.get(party) in PLACE_LEVELS)


def compatible(a: Period, b: Period) -> bool:
    """Whether two dates allow a common day."""
    return a.lower <= b.upper and b.lower <= a.upper


def matches(candidate: Scored, fact: Scored, levels: Mapping[str, str]) -> bool:
    """The matching rule of this module's docstring."""
    if family(candidate.kind) != family(fact.kind):
        return False
    if subnational(candidate.parties, levels) != subnational(fact.parties, levels):
        return False
    if not compatible(candidate.period, fact.period):
        return False
    gap = max(0, max(candidate.start, fact.start) - min(candidate.end, fact.end))
    return gap <= QUOTE_DISTANCE


def best_matching(candidates: Sequence[Scored], facts: Sequence[Scored], levels: Mapping[str, str]) -> list[Match]:
    """A maximum one-to-one matching of candidates to facts (augmenting paths)."""
    edges = [[j for j, fact in enumerate(facts) if matches(candidate, fact, levels)] for candidate in candidates]
    fact_owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in fact_owner or augment(fact_owner[j], seen):
                fact_owner[j] = i
                return True
        return False

    for i in range(len(candidates)):
        augment(i, set())
    return sorted((Match(candidate=i, fact=j) for j, i in fact_owner.items()), key=lambda m: m.candidate)


@attrs.frozen(kw_only=True)
class Tally:
    """Counts from which precision, recall and F1 follow."""

    candidates: int = 0
    facts: int = 0
    matched: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            candidates=self.candidates + other.candidates,
            facts=self.facts + other.facts,
            matched=self.matched + other.matched,
        )

    @property
    def precision(self) -> float:
        """Matched candidates over candidates (1.0 when there are none)."""
        return self.matched / self.candidates if self.candidates else 1.0

    @property
    def recall(self) -> float:
        """Matched facts over facts (1.0 when there are none)."""
        return self.matched / self.facts if self.facts else 1.0

    @property
    def f1(self) -> float:
        """The harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        """The counts and the three scores, rounded, for JSON."""
        return {
            "candidates": self.candidates,
            "facts": self.facts,
            "matched": self.matched,
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "f1": round(self.f1, 3),
        }


def tally(
    candidates: Sequence[Scored],
    facts: Sequence[Scored],
    levels: Mapping[str, str],
    keep: Callable[[FactKind], bool] = lambda _kind: True,
) -> Tally:
    """The counts over the candidates and facts whose kind ``keep`` accepts."""
    chosen_candidates = [c for c in candidates if keep(c.kind)]
    chosen_facts = [f for f in facts if keep(f.kind)]
    found = best_matching(chosen_candidates, chosen_facts, levels)
    return Tally(candidates=len(chosen_candidates), facts=len(chosen_facts), matched=len(found))


@attrs.frozen(kw_only=True)
class Policy:
    """What tuning may change: the lowest confidence kept and rules switched off."""

    min_confidence: float = 0.0
    dropped_rules: frozenset[str] = frozenset()

    def keeps(self, candidate: Scored) -> bool:
        """Whether the policy keeps ``candidate``."""
        return candidate.confidence >= self.min_confidence and candidate.rule not in self.dropped_rules


THRESHOLDS = (0.0, 0.3, 0.4, 0.5, 0.6, 0.7)
RULE_PRECISION_FLOORS = (0.0, 0.15, 0.25, 0.35, 0.5)


def rule_precision(
    documents: Sequence[tuple[Sequence[Scored], Sequence[Scored]]], levels: Mapping[str, str]
) -> dict[str, Tally]:
    """For each rule, how many of its candidates matched a fact, over the given documents."""
    by_rule: dict[str, Tally] = {}
    for candidates, facts in documents:
        found = {m.candidate for m in best_matching(candidates, facts, levels)}
        for index, candidate in enumerate(candidates):
            before = by_rule.get(candidate.rule, Tally())
            by_rule[candidate.rule] = before + Tally(candidates=1, matched=int(index in found))
    return by_rule


def tune(documents: Sequence[tuple[Sequence[Scored], Sequence[Scored]]], levels: Mapping[str, str]) -> Policy:
    """The policy with the best micro-averaged F1 over ``documents`` (the only tuning there is)."""
    per_rule = rule_precision(documents, levels)
    best: tuple[float, Policy] | None = None
    for floor in RULE_PRECISION_FLOORS:
        dropped = frozenset(rule for rule, counts in per_rule.items() if counts.precision < floor)
        for threshold in THRESHOLDS:
            policy = Policy(min_confidence=threshold, dropped_rules=dropped)
            total = Tally()
            for candidates, facts in documents:
                total += tally([c for c in candidates if policy.keeps(c)], facts, levels)
            if best is None or total.f1 > best[0] + 1e-9:
                best = (total.f1, policy)
    assert best is not None
    return best[1]
