"""``make eval``: how well ``paradip draft`` drafts, scored against hand-coded facts; figures per language.

Each text is drafted from its words and publication date alone (``--published`` is metadata a user
gives); its hand-coded facts are read only afterwards, to score, by the rule in ``drafting/scoring.py``.
The figures go to ``.benchmarks/draft.json`` and are printed as a table:

- *the corpus, leave one document out*: every bundled document drafted by the rules alone, and by the
  rules with the model trained on all the other documents (never on itself);
- *coded after the drafter last changed*: the same, for the documents that were not in the corpus when
  the drafting package was last changed (``drafting/seen_documents.txt``): nothing was tuned on them;
- *a folder of your own* (``make eval HELDOUT=folder``): every document file in it, drafted with the
  model trained on the whole corpus (a bundled document with the same text is left out of training);
- *the invented articles* of ``tests/fixtures/drafting``, and the timings: drafting a 3,000-character
  article after start-up, and training from a corpus of 300 documents.

``python -m benchmarks.draft --record-change`` writes ``drafting/seen_documents.txt`` anew: run it when
you change the drafting package (a test fails until you do), so that the documents coded afterwards are
scored apart as never tuned on.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import attrs

from corpus.loader import bundled_documents, corpus_files, load, load_gazetteer
from domain.errors import InvalidInput
from domain.facts import FactDraft
from domain.ids import sha256_of
from drafting import Draft, Drafter
from drafting.learned import Learned
from drafting.learning.examples import DocumentRows, ReviewedDocument, ReviewedFact, rows_of, training_set
from drafting.learning.model import train
from drafting.learning.version import code_digest
from drafting.scoring import Scored, Tally, family, tally
from events.values import FactKind

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / ".benchmarks" / "draft.json"
FIXTURES = ROOT / "tests" / "fixtures" / "drafting"
SEEN = ROOT / "drafting" / "seen_documents.txt"
ARTICLE_CHARACTERS = 3000
TRAINING_DOCUMENTS = 300
DRAFT_GOAL_SECONDS = 1.0
TRAINING_GOAL_SECONDS = 60.0


@attrs.frozen(kw_only=True)
class Coded:
    """A document file read for scoring: the text a drafter gets, and the facts a person coded."""

    name: str
    language: str
    reviewed: ReviewedDocument
    facts: tuple[Scored, ...]
    levels: Mapping[str, str]


@attrs.frozen(kw_only=True)
class Seen:
    """The record of the drafter's last change: its code digest, the day, and the documents then in the corpus."""

    code: str
    changed: str
    documents: frozenset[str]


def coded(paths: Iterable[Path]) -> list[Coded]:
    """Every document file given, read together as one ingest reads them (a document may name an actor another
    declares), in the order given."""
    files = list(paths)
    if not files:
        return []
    batch = load(files).batch
    levels = {actor.key: str(actor.level) for actor in batch.actors}
    facts_of: dict[str, list[FactDraft]] = defaultdict(list)
    for fact in batch.facts:
        facts_of[fact.document].append(fact)
    found = []
    for source in batch.sources:
        facts, reviewed_facts = [], []
        for fact in facts_of[source.document]:
            start = fact.start if fact.start is not None else source.text.find(fact.quote)
            if start < 0 or source.text[start : start + len(fact.quote)] != fact.quote:
                msg = f"{fact.origin or source.document}: the quote {fact.quote[:60]!r} is not in the document's text"
                raise InvalidInput(msg)
            end = start + len(fact.quote)
            facts.append(
                Scored(
                    kind=fact.kind,
                    modality=fact.modality,
                    parties=frozenset(fact.parties),
                    period=fact.date,
                    start=start,
                    end=end,
                )
            )
            reviewed_facts.append(ReviewedFact(kind=str(fact.kind), start=start, end=end))
        found.append(
            Coded(
                name=source.document,
                language=source.language or "en",
                reviewed=ReviewedDocument(
                    document=source.document,
                    language=source.language or "en",
                    text=source.text,
                    published=source.published,
                    facts=tuple(reviewed_facts),
                ),
                facts=tuple(facts),
                levels=levels,
            )
        )
    return found


def scored(draft: Draft) -> tuple[Scored, ...]:
    """A draft's proposals as the matching rule sees them."""
    return tuple(
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


def read_seen(path: Path = SEEN) -> Seen | None:
    """The record of the drafter's last change, if there is one."""
    if not path.is_file():
        return None
    code, changed, documents = "", "", set()
    for line in path.read_text(encoding="utf-8").splitlines():
        field, _, value = line.partition(" ")
        if field == "code":
            code = value.strip()
        elif field == "changed":
            changed = value.strip()
        elif field == "document":
            documents.add(value.strip())
    return Seen(code=code, changed=changed, documents=frozenset(documents))


def record_change(path: Path = SEEN) -> Seen:
    """Write the record: the drafting package as it is now, and the documents the corpus holds now."""
    documents = sorted(document.name for document in coded(bundled_documents()))
    changed = datetime.now(UTC).date().isoformat()
    lines = [
        "# The documents in the corpus when the drafting package (rules, features, settings) was last changed.",
        "# Written by `python -m benchmarks.draft --record-change`; `make eval` scores the documents not listed",
        "# here apart, as never tuned on. tests/test_draft_learning.py fails when the package changes without a",
        "# new record.",
        f"code {code_digest()}",
        f"changed {changed}",
        *(f"document {name}" for name in documents),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return Seen(code=code_digest(), changed=changed, documents=frozenset(documents))


@attrs.frozen(kw_only=True)
class Outcome:
    """One document drafted twice: by the rules alone and with a model it was not trained on."""

    document: Coded
    rules: Tally
    model: Tally
    rules_by_family: Mapping[str, Tally]
    model_by_family: Mapping[str, Tally]


def _in_family(name: str) -> Callable[[FactKind], bool]:
    return lambda kind: family(kind) == name


def _by_family(candidates: Sequence[Scored], document: Coded) -> dict[str, Tally]:
    names = {family(c.kind) for c in candidates} | {family(f.kind) for f in document.facts}
    return {name: tally(candidates, document.facts, document.levels, _in_family(name)) for name in names}


def outcome(drafter: Drafter, document: Coded, learned: Learned | None) -> Outcome:
    """The document drafted by the rules and with ``learned``, each scored."""
    text, published, language = document.reviewed.text, document.reviewed.published, document.language
    rules = scored(drafter.with_model(None).draft(text, published, language))
    model = scored(drafter.with_model(learned).draft(text, published, language)) if learned else rules
    return Outcome(
        document=document,
        rules=tally(rules, document.facts, document.levels),
        model=tally(model, document.facts, document.levels),
        rules_by_family=_by_family(rules, document),
        model_by_family=_by_family(model, document),
    )


def leave_one_out(drafter: Drafter, documents: Sequence[Coded], rows: Mapping[str, DocumentRows]) -> list[Outcome]:
    """Each document drafted with the model trained on every other one."""
    outcomes = []
    for document in documents:
        others = [rows[other.name] for other in documents if other.name != document.name]
        model = train(training_set(others))
        outcomes.append(outcome(drafter, document, Learned(model=model) if model.kinds else None))
    return outcomes


def summary(outcomes: Sequence[Outcome]) -> dict[str, Any]:
    """Totals per language and over all, rules alone and with the model, per family and per document."""
    languages: dict[str, list[Outcome]] = defaultdict(list)
    for item in outcomes:
        languages[item.document.language].append(item)

    def totals(items: Sequence[Outcome]) -> dict[str, Any]:
        return {
            "documents": len(items),
            "rules": sum((i.rules for i in items), Tally()).as_dict(),
            "model": sum((i.model for i in items), Tally()).as_dict(),
        }

    families: dict[str, dict[str, Tally]] = defaultdict(lambda: {"rules": Tally(), "model": Tally()})
    for item in outcomes:
        for name, counts in item.rules_by_family.items():
            families[name]["rules"] += counts
        for name, counts in item.model_by_family.items():
            families[name]["model"] += counts
    return {
        "overall": totals(outcomes),
        "per_language": {language: totals(items) for language, items in sorted(languages.items())},
        "per_family": {
            name: {side: counts.as_dict() for side, counts in sides.items()} for name, sides in sorted(families.items())
        },
        "per_document": {
            item.document.name: {
                "language": item.document.language,
                "rules": item.rules.as_dict(),
                "model": item.model.as_dict(),
            }
            for item in outcomes
        },
    }


def article_of(documents: Sequence[Coded], characters: int = ARTICLE_CHARACTERS) -> Coded:
    """An English article of about ``characters`` characters to time drafting on: the longest English text, with
    the paragraphs of the next longest after it while it is shorter, cut at the paragraph that reaches the length."""
    english = sorted((d for d in documents if d.language == "en"), key=lambda d: -len(d.reviewed.text))
    english = english or list(documents)
    text = ""
    for document in english:
        text = (text + "\n\n" + document.reviewed.text).strip() if text else document.reviewed.text
        if len(text) >= characters:
            break
    cut = text.find("\n", characters)
    first = english[0]
    return attrs.evolve(first, reviewed=attrs.evolve(first.reviewed, text=text if cut < 0 else text[:cut]))


def _timed(action: Any) -> tuple[Any, float, float]:
    started, cpu = time.perf_counter(), time.process_time()
    value = action()
    return value, time.perf_counter() - started, time.process_time() - cpu


def timings(drafter: Drafter, documents: Sequence[Coded], learned: Learned | None) -> dict[str, Any]:
    """Drafting a 3,000-character article after start-up (first call and again), and training on 300 documents
    (the corpus's documents over again up to 300, each read by the rules and all fitted, as a training run does).
    Wall-clock and CPU seconds both: on a machine shared with other work the wall clock says more about the load."""
    article = article_of(documents)
    with_model = drafter.with_model(learned)

    def draft() -> Draft:
        return with_model.draft(article.reviewed.text, article.reviewed.published, article.language)

    _, first, first_cpu = _timed(draft)
    _, again, again_cpu = _timed(draft)
    reviewed = [d.reviewed for d in documents]
    copies = range(TRAINING_DOCUMENTS)
    corpus = [attrs.evolve(reviewed[index % len(reviewed)], document=f"copy-{index:03d}") for index in copies]
    model, training, training_cpu = _timed(lambda: train(training_set(rows_of(drafter, corpus))))
    return {
        "article": {"document": article.name, "characters": len(article.reviewed.text)},
        "draft_first_call_s": round(first, 3),
        "draft_first_call_cpu_s": round(first_cpu, 3),
        "draft_again_s": round(again, 3),
        "draft_again_cpu_s": round(again_cpu, 3),
        "draft_goal_s": DRAFT_GOAL_SECONDS,
        "training_documents": TRAINING_DOCUMENTS,
        "training_distinct_documents": len(reviewed),
        "training_sentences": model.sentences,
        "training_s": round(training, 2),
        "training_cpu_s": round(training_cpu, 2),
        "training_goal_s": TRAINING_GOAL_SECONDS,
        "load_average": list(os.getloadavg()),
    }


def evaluate(heldout: Path | None = None) -> dict[str, Any]:
    """Every figure of ``make eval``."""
    own = held_out(heldout) if heldout is not None else None
    started = time.perf_counter()
    drafter = Drafter(load_gazetteer())
    setup = time.perf_counter() - started
    corpus = coded(bundled_documents())
    rows = {document.document: document for document in rows_of(drafter, [d.reviewed for d in corpus])}
    corpus_outcomes = leave_one_out(drafter, corpus, rows)
    seen = read_seen()
    fresh = seen is not None and seen.code == code_digest()
    unseen = [item for item in corpus_outcomes if seen is not None and item.document.name not in seen.documents]
    whole = train(training_set([rows[d.name] for d in corpus]))
    learned = Learned(model=whole) if whole.kinds else None
    results: dict[str, Any] = {
        "matching_rule": (
            "same kind family (relationship_* one family, program_* another, other kinds each their own); "
            "the same set of sub-national parties (province, municipality, city, county, district); dates that "
            "allow a common day; quotes overlapping or within 300 characters; one-to-one maximum matching"
        ),
        "corpus_leave_one_out": summary(corpus_outcomes),
        "coded_after_last_change": {
            "record": None if seen is None else {"changed": seen.changed, "code": seen.code[:12], "current": fresh},
            **summary(unseen),
        },
        "model_on_whole_corpus": {
            "identity": whole.identity,
            "documents": whole.documents,
            "sentences": whole.sentences,
            "kinds": list(whole.kinds),
            "languages": dict(whole.languages),
        },
    }
    invented = [outcome(drafter, d, learned) for d in coded(sorted(FIXTURES.glob("*.yaml")))]
    results["invented_articles"] = summary(invented)
    if own is not None:
        results["heldout"] = {"folder": str(heldout), **summary(heldout_outcomes(drafter, corpus, rows, own))}
    results["timings"] = {"drafter_setup_s": round(setup, 2), **timings(drafter, corpus, learned)}
    results["machine"] = {"python": platform.python_version(), "platform": platform.platform()}
    return results


def held_out(folder: Path) -> list[Coded]:
    """The document files of a folder of one's own, read and checked before anything is scored."""
    documents = coded(path for path in corpus_files([folder]) if path.suffix.lower() in (".yaml", ".yml"))
    if not documents:
        msg = f"{folder}: no document file (*.yaml) in this folder"
        raise InvalidInput(msg)
    return documents


def heldout_outcomes(
    drafter: Drafter, corpus: Sequence[Coded], rows: Mapping[str, DocumentRows], documents: Sequence[Coded]
) -> list[Outcome]:
    """A folder's documents drafted with the model of the whole corpus, less any bundled document of the same text."""
    texts = {sha256_of(d.reviewed.text) for d in documents}
    training = [rows[d.name] for d in corpus if sha256_of(d.reviewed.text) not in texts]
    model = train(training_set(training))
    learned = Learned(model=model) if model.kinds else None
    return [outcome(drafter, document, learned) for document in documents]


def _row(label: str, counts: Mapping[str, Any]) -> str:
    return (
        f"{label:34} {counts['candidates']:>5} {counts['facts']:>5} {counts['matched']:>5} "
        f"{counts['precision']:>6.2f} {counts['recall']:>6.2f} {counts['f1']:>6.2f}"
    )


def _section(title: str, section: Mapping[str, Any]) -> None:
    print(f"\n{title}")
    print(f"{'':34} {'cands':>5} {'facts':>5} {'match':>5} {'P':>6} {'R':>6} {'F1':>6}")
    rows = [("all", section["overall"])] + [(f"  {k}", v) for k, v in section["per_language"].items()]
    for label, totals in rows:
        print(_row(f"{label} ({totals['documents']} docs), rules", totals["rules"]))
        print(_row(f"{label} ({totals['documents']} docs), + model", totals["model"]))


def print_table(results: Mapping[str, Any]) -> None:
    """The figures as plain tables."""
    _section("the corpus, leave one document out (the model never trained on the document it drafts)",
             results["corpus_leave_one_out"])  # fmt: skip
    after = results["coded_after_last_change"]
    record = after["record"]
    if record is None:
        print("\nno record of the drafter's last change (python -m benchmarks.draft --record-change)")
    else:
        stale = "" if record["current"] else " (the drafting package changed since: record it again)"
        _section(f"documents coded after the drafter last changed ({record['changed']}){stale}", after)
    _section("invented articles (tests/fixtures/drafting), model of the whole corpus", results["invented_articles"])
    if "heldout" in results:
        _section(f"held out: {results['heldout']['folder']}, model of the whole corpus", results["heldout"])
    model = results["model_on_whole_corpus"]
    print(
        f"\nmodel of the whole corpus: {model['identity']}, {model['documents']} documents, {model['sentences']} "
        f"sentences, languages {model['languages']}, kinds {len(model['kinds'])}"
    )
    t = results["timings"]
    print(
        f"timings (wall / CPU seconds; load average {t['load_average'][0]:.1f}):\n"
        f"  drafting {t['article']['characters']} characters after start-up: {t['draft_first_call_s']} / "
        f"{t['draft_first_call_cpu_s']} s on the first call, {t['draft_again_s']} / {t['draft_again_cpu_s']} s "
        f"again (goal {t['draft_goal_s']} s)\n"
        f"  training on {t['training_documents']} documents ({t['training_distinct_documents']} distinct, "
        f"{t['training_sentences']} sentences): {t['training_s']} / {t['training_cpu_s']} s "
        f"(goal {t['training_goal_s']} s)"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the evaluation (or record the drafter's change), write the JSON, print the tables."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.draft", description=__doc__.split("\n")[0])
    parser.add_argument("--heldout", type=Path, default=None, help="a folder of document files to score as well")
    parser.add_argument("--record-change", action="store_true", help="write drafting/seen_documents.txt anew")
    arguments = parser.parse_args(argv)
    if arguments.record_change:
        record = record_change()
        print(f"recorded: drafting code {record.code[:12]}, {len(record.documents)} documents, {record.changed}")
        return 0
    heldout = arguments.heldout or (Path(os.environ["HELDOUT"]) if os.environ.get("HELDOUT") else None)
    if heldout is not None and not heldout.is_dir():
        print(f"make eval: HELDOUT={heldout} is not a folder", file=sys.stderr)
        return 2
    try:
        results = evaluate(heldout)
    except InvalidInput as error:
        print(f"make eval: {error}", file=sys.stderr)
        return 2
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print_table(results)
    print(f"\nwritten to {OUTPUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
