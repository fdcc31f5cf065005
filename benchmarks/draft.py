"""``make eval``: draft the bundled documents and the invented test articles, score them, write the figures.

The figures go to ``.benchmarks/draft.json`` and are printed as a table.

Each text is drafted from its text and publication date alone (the publication date is metadata a
user passes with ``--published``); its hand-coded facts are read only afterwards, to score. The
matching rule is in ``drafting/scoring.py``. Four sets of figures:

- *as drafted*: every candidate, no tuning (what ``paradip draft`` writes);
- *leave-one-out*: for each bundled document, the only tunable things (a confidence threshold,
  and rules switched off when their precision on the other documents is below a floor) are
  chosen on the other four and applied to it;
- *tuned on all five*: the same tuning on all five, in-sample, for comparison;
- *invented articles*: the three articles of ``tests/fixtures/drafting``, as drafted and with the
  policy tuned on the five bundled documents.
"""

from __future__ import annotations

import json
import platform
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from corpus.files import read_text, read_yaml
from corpus.loader import bundled_documents, load, load_gazetteer
from drafting import Drafter
from drafting.scoring import Policy, Scored, Tally, best_matching, family, rule_precision, tally, tune
from events.values import FactKind, Period

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / ".benchmarks" / "draft.json"
FIXTURES = ROOT / "tests" / "fixtures" / "drafting"
ISSUE_FAMILIES = frozenset(
    {"relationship", "agreement_signed", "meeting", "visit", "invitation", "conference_held", "program",
     "organization_established", "statistic", "exchange"}
)  # fmt: skip


@attrs.frozen(kw_only=True)
class Scoredoc:
    """One document drafted and its hand-coded facts, as the matching rule sees them."""

    name: str
    characters: int
    seconds: float
    warm_seconds: float
    candidates: tuple[Scored, ...]
    facts: tuple[Scored, ...]


def _text_path(path: Path, data: Mapping[str, Any]) -> Path:
    if data.get("text_file"):
        return path.parent / str(data["text_file"])
    return path.parent.parent / "sources" / f"{data['document']}.txt"


def drafted(drafter: Drafter, path: Path) -> tuple[str, tuple[Scored, ...], float, float, int]:
    """Draft the text a document file points at, from its text and publication date only."""
    data = read_yaml(path)
    text = read_text(_text_path(path, data), "source text")
    published = Period.from_edtf(str(data["published"]))
    started = time.perf_counter()
    draft = drafter.draft(text, published)
    seconds = time.perf_counter() - started
    started = time.perf_counter()
    drafter.draft(text, published)
    warm = time.perf_counter() - started
    candidates = tuple(
        Scored(
            kind=c.kind,
            modality=c.modality,
            parties=frozenset(c.parties),
            period=c.period,
            start=c.quote.start,
            end=c.quote.end,
            rule=c.rule,
            confidence=c.confidence,
        )
        for c in draft.proposals
    )
    return str(data["document"]), candidates, seconds, warm, len(text)


def hand_coded(path: Path) -> tuple[tuple[Scored, ...], dict[str, str]]:
    """The hand-coded facts of a document file (read after drafting, to score)."""
    loaded = load([path])
    source = loaded.batch.sources[0]
    facts = []
    for fact in loaded.batch.facts:
        start = fact.start if fact.start is not None else source.text.index(fact.quote)
        facts.append(
            Scored(
                kind=fact.kind,
                modality=fact.modality,
                parties=frozenset(fact.parties),
                period=fact.date,
                start=start,
                end=start + len(fact.quote),
            )
        )
    levels = {actor.key: str(actor.level) for actor in loaded.batch.actors}
    return tuple(facts), levels


def score_documents(drafter: Drafter, paths: Sequence[Path]) -> tuple[list[Scoredoc], dict[str, str]]:
    """Each document drafted, then its facts read; the levels of every actor."""
    documents = []
    levels: dict[str, str] = {}
    for path in paths:
        name, candidates, seconds, warm, characters = drafted(drafter, path)
        facts, document_levels = hand_coded(path)
        levels.update(document_levels)
        documents.append(
            Scoredoc(
                name=name, characters=characters, seconds=seconds, warm_seconds=warm, candidates=candidates, facts=facts
            )
        )
    return documents, levels


def _kept(document: Scoredoc, policy: Policy) -> tuple[Scored, ...]:
    return tuple(c for c in document.candidates if policy.keeps(c))


def _report(documents: Sequence[Scoredoc], levels: Mapping[str, str], policies: Sequence[Policy]) -> dict[str, Any]:
    total = Tally()
    issue = Tally()
    per_family: dict[str, Tally] = {}
    per_document = {}
    agreement = {"kind": 0, "modality": 0, "date": 0, "matched": 0}
    for document, policy in zip(documents, policies, strict=True):
        candidates = _kept(document, policy)
        counts = tally(candidates, document.facts, levels)
        total += counts
        issue += tally(candidates, document.facts, levels, lambda kind: family(kind) in ISSUE_FAMILIES)
        per_document[document.name] = counts.as_dict()
        for name in {family(c.kind) for c in candidates} | {family(f.kind) for f in document.facts}:
            per_family[name] = per_family.get(name, Tally()) + tally(
                candidates, document.facts, levels, _in_family(name)
            )
        for match in best_matching(candidates, document.facts, levels):
            candidate, fact = candidates[match.candidate], document.facts[match.fact]
            agreement["matched"] += 1
            agreement["kind"] += int(candidate.kind == fact.kind)
            agreement["modality"] += int(candidate.modality == fact.modality)
            agreement["date"] += int(candidate.period == fact.period)
    return {
        "overall": total.as_dict(),
        "issue_kinds": issue.as_dict(),
        "per_family": {name: counts.as_dict() for name, counts in sorted(per_family.items())},
        "per_document": per_document,
        "among_matches": agreement,
    }


def _in_family(name: str) -> Callable[[FactKind], bool]:
    return lambda kind: family(kind) == name


def _policy_dict(policy: Policy) -> dict[str, Any]:
    return {"min_confidence": policy.min_confidence, "dropped_rules": sorted(policy.dropped_rules)}


def evaluate() -> dict[str, Any]:
    """Every figure of ``make eval``."""
    started = time.perf_counter()
    drafter = Drafter(load_gazetteer())
    setup_seconds = time.perf_counter() - started
    bundled, levels = score_documents(drafter, bundled_documents())
    invented, invented_levels = score_documents(drafter, sorted(FIXTURES.glob("*.yaml")))
    levels = {**levels, **invented_levels}
    untuned = [Policy()] * len(bundled)
    left_out = []
    for index in range(len(bundled)):
        others = [(d.candidates, d.facts) for j, d in enumerate(bundled) if j != index]
        left_out.append(tune(others, levels))
    everything = tune([(d.candidates, d.facts) for d in bundled], levels)
    rules = rule_precision([(d.candidates, d.facts) for d in bundled], levels)
    timings = [
        {
            "document": d.name,
            "characters": d.characters,
            "first_call_ms": round(d.seconds * 1000, 1),
            "again_ms": round(d.warm_seconds * 1000, 1),
        }
        for d in [*bundled, *invented]
    ]
    return {
        "matching_rule": (
            "same kind family (relationship_* one family, program_* another, other kinds each their own); "
            "the same set of sub-national parties (province, municipality, city, county, district); dates that "
            "allow a common day; quotes overlapping or within 300 characters; one-to-one maximum matching"
        ),
        "bundled_as_drafted": _report(bundled, levels, untuned),
        "bundled_leave_one_out": _report(bundled, levels, left_out),
        "leave_one_out_policies": {d.name: _policy_dict(p) for d, p in zip(bundled, left_out, strict=True)},
        "bundled_tuned_on_all_five": _report(bundled, levels, [everything] * len(bundled)),
        "policy_tuned_on_all_five": _policy_dict(everything),
        "invented_as_drafted": _report(invented, levels, [Policy()] * len(invented)),
        "invented_with_five_document_policy": _report(invented, levels, [everything] * len(invented)),
        "rule_precision_on_bundled": {rule: counts.as_dict() for rule, counts in sorted(rules.items())},
        "timings": {"drafter_setup_ms": round(setup_seconds * 1000, 1), "documents": timings},
        "machine": {"python": platform.python_version(), "platform": platform.platform()},
    }


def _row(label: str, counts: Mapping[str, Any]) -> str:
    return (
        f"{label:44} {counts['candidates']:>5} {counts['facts']:>5} {counts['matched']:>5} "
        f"{counts['precision']:>6.2f} {counts['recall']:>6.2f} {counts['f1']:>6.2f}"
    )


def print_table(results: Mapping[str, Any]) -> None:
    """The figures as a plain table."""
    header = f"{'':44} {'cands':>5} {'facts':>5} {'match':>5} {'P':>6} {'R':>6} {'F1':>6}"
    print(header)
    for key, label in (
        ("bundled_as_drafted", "bundled, as drafted"),
        ("bundled_leave_one_out", "bundled, leave-one-out tuning"),
        ("bundled_tuned_on_all_five", "bundled, tuned on all five (in-sample)"),
        ("invented_as_drafted", "invented articles, as drafted"),
        ("invented_with_five_document_policy", "invented articles, five-document policy"),
    ):
        print(_row(label, results[key]["overall"]))
        print(_row("  the issue's kinds (no statement, office)", results[key]["issue_kinds"]))
    print("\nper kind family, bundled as drafted / invented as drafted")
    bundled = results["bundled_as_drafted"]["per_family"]
    invented = results["invented_as_drafted"]["per_family"]
    for name in sorted(set(bundled) | set(invented)):
        empty = {"candidates": 0, "facts": 0, "matched": 0, "precision": 1.0, "recall": 1.0, "f1": 1.0}
        print(_row(f"  {name}", bundled.get(name, empty)) + "   |" + _row("", invented.get(name, empty))[44:])
    print("\nper document, as drafted")
    for section in ("bundled_as_drafted", "invented_as_drafted"):
        for name, counts in results[section]["per_document"].items():
            print(_row(f"  {name}", counts))
    print("\ntimings: gazetteer and matcher set-up", results["timings"]["drafter_setup_ms"], "ms; per document:")
    for row in results["timings"]["documents"]:
        print(
            f"  {row['document']:42} {row['characters']:>6} chars  first call {row['first_call_ms']:>6} ms"
            f"  again {row['again_ms']:>6} ms"
        )


def main() -> int:
    """Run the evaluation, write the JSON, print the table."""
    results = evaluate()
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print_table(results)
    print(f"\nwritten to {OUTPUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
