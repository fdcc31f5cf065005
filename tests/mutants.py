"""Deliberate bugs, planted one at a time in a scratch copy of the tree, to show that the tests catch them.

Each mutant names the rule it breaks, a file, an exact snippet of that file, its replacement, and
the tests that must catch it. The runner copies the working tree (tracked and untracked files, not
ignored ones) to a scratch directory, checks that those tests pass there unchanged, then plants
each mutant alone, runs its tests (``CI=true``, so PostgreSQL tests run; each test under
pytest-timeout, each run under an overall limit) and restores the file. The working tree is never
touched. A mutant is

- caught: its tests failed (or a test hit its timeout); a race, which shows only sometimes, has its
  tests run up to ``attempts`` times;
- missed: its tests passed with the bug in place;
- stale: its snippet is not in the file (the code moved or changed): re-point it;
- ambiguous: its snippet occurs more than once, so where to plant it is not clear;
- broken: pytest could not run the tests (exit code 2-5), which says nothing about them.

    python -m tests.mutants                 # every mutant
    python -m tests.mutants paging ledger   # those whose names contain these words
    python -m tests.mutants --list          # the list, with no run

``make mutants`` runs them all; it is not part of ``make test``.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import attrs

ROOT = Path(__file__).resolve().parent.parent
RUN_LIMIT = 900  # seconds for one mutant's tests (each test also has its own pytest-timeout)
PYTEST = ("-q", "-p", "no:randomly", "-p", "no:cacheprovider", "-rf", "--timeout", "240")


@attrs.frozen(kw_only=True)
class Mutant:
    """One deliberate bug: where it goes and which tests must catch it."""

    name: str
    rule: str
    file: str
    original: str
    replacement: str
    tests: tuple[str, ...]
    why: str
    attempts: int = 1  # a race shows only sometimes: its tests are run up to this many times until they fail


MUTANTS: tuple[Mutant, ...] = (
    Mutant(
        name="paging-drops-last-event-of-full-page",
        rule="paging",
        file="projections/engine.py",
        original=(
            "                    for envelope in envelopes\n                    if envelope.position > target.position"
        ),
        replacement=(
            "                    for envelope in (envelopes[:-1] if len(envelopes) == PAGE else envelopes)\n"
            "                    if envelope.position > target.position"
        ),
        tests=(
            "tests/application/test_oracles.py",
            "tests/persistence/test_processes.py::test_a_rebuild_killed_inside_a_page_keeps_serving_and_resumes[sqlite]",
        ),
        why="issue 17: a 25,000-fact ingest left 24,998 facts and 193 tests passed",
    ),
    Mutant(
        name="state-facts-known-at-on-the-upper-publication-bound",
        rule="known-at",
        file="projections/session.py",
        original="(known_at is None or item.published_lo <= known_at)",
        replacement="(known_at is None or item.published_hi <= known_at)",
        tests=("tests/application/test_times.py", "tests/application/test_projections.py"),
        why="issue 17: the facts under a state answer hid a possibly published source",
    ),
    Mutant(
        name="timeline-known-at-on-the-wrong-column",
        rule="known-at",
        file="projections/questions/timeline.py",
        original="or not observer.sees_published(day(version.pub_lo))",
        replacement="or not observer.sees_published(day(version.pub_hi))",
        tests=("tests/application/test_times.py", "tests/corpus/test_corpus.py"),
        why="issue 17: 0 events instead of 12 on the corpus, and 193 tests passed",
    ),
    Mutant(
        name="status-fold-known-at-lower-bound",
        rule="known-at",
        file="domain/status.py",
        original="published = visibility(item.published_lo, item.published_hi, known_at)",
        replacement="published = visibility(item.published_hi, item.published_hi, known_at)",
        tests=(
            "tests/application/test_times.py",
            "tests/application/test_projections.py",
            "tests/persistence/test_reliability.py",
        ),
        why="issue 17: caught by a single test before",
    ),
    Mutant(
        name="recorded-resolutions-ignored",
        rule="conflicts",
        file="domain/status.py",
        original="for resolution in reversed(resolutions):",
        replacement="for resolution in reversed(resolutions[:0]):",
        tests=("tests/application/test_projections.py", "tests/cli/test_cli.py"),
        why="issue 17: caught by a single test before",
    ),
    Mutant(
        name="conflict-prefers-the-less-precise-claim",
        rule="conflicts",
        file="domain/status.py",
        original="    best = min(cluster, key=",
        replacement="    best = max(cluster, key=",
        tests=("tests/application/test_projections.py", "tests/cli/test_cli.py"),
        why="the preference rule: the more precise date wins",
    ),
    Mutant(
        name="possible-counted-as-definite",
        rule="certainty",
        file="domain/status.py",
        original="    if day is None or hi <= day:",
        replacement="    if day is None or lo <= day:",
        tests=(
            "tests/persistence/test_reliability.py",
            "tests/application/test_projections.py",
            "tests/application/test_times.py",
        ),
        why="a date is definite only when every day it allows is past",
    ),
    Mutant(
        name="recorded-before-includes-its-own-moment",
        rule="recorded-before",
        file="projections/session.py",
        original="{since} AND v.recorded < ?",
        replacement="{since} AND v.recorded <= ?",
        tests=("tests/application/test_projections.py", "tests/application/test_times.py"),
        why="recorded-before is strict: what was recorded at that moment is not yet seen",
    ),
    Mutant(
        name="timeline-ignores-recorded-before",
        rule="recorded-before",
        file="projections/questions/timeline.py",
        original="read.versions(candidates, before)",
        replacement="read.versions(candidates, micros(None))",
        tests=("tests/application/test_times.py", "tests/cli/test_cli.py"),
        why="the timeline as the store had it",
    ),
    Mutant(
        name="retractions-never-reach-the-fact-versions",
        rule="retraction/correction",
        file="projections/facts.py",
        original="                row = retracted_row(envelope, previous, details)",
        replacement="                continue",
        tests=("tests/application/test_projections.py", "tests/application/test_times.py", "tests/cli/test_cli.py"),
        why="a retracted fact no longer counts (dropping the status check in _evidence alone changes nothing:"
        " the version check already skips a retracted fact, so that mutant cannot be caught)",
    ),
    Mutant(
        name="corrections-never-reach-relationships",
        rule="retraction/correction",
        file="projections/relationships.py",
        original="    topics = (FactRecorded, FactCorrected)",
        replacement="    topics = (FactRecorded,)",
        tests=("tests/application/test_projections.py", "tests/application/test_times.py", "tests/cli/test_cli.py"),
        why="a corrected fact counts with its new values",
    ),
    Mutant(
        name="position-committed-before-its-rows",
        rule="positions",
        file="projections/engine.py",
        original='            if events:\n                cursor.execute("SAVEPOINT projection_handle")\n',
        replacement=(
            '            field = "building_position" if target.building else "live_position"\n'
            '            cursor.execute(f"UPDATE {REGISTRY} SET {field} = ? WHERE name = ?", (last, target.name))\n'
            "            if not self.db.postgres:\n"
            '                cursor.execute("COMMIT")\n'
            '                cursor.execute("BEGIN IMMEDIATE")\n'
            '            if events:\n                cursor.execute("SAVEPOINT projection_handle")\n'
        ),
        tests=(
            "tests/persistence/test_processes.py::test_a_catch_up_killed_inside_a_page_resumes_from_its_last_commit[sqlite]",
            "tests/persistence/test_processes.py::test_a_rebuild_killed_inside_a_page_keeps_serving_and_resumes[sqlite]",
        ),
        why="issue 17: caught before, but the run hung on pytest's diff of two huge snapshots",
    ),
    Mutant(
        name="a-failing-projection-rolls-back-the-others",
        rule="projections",
        file="projections/engine.py",
        original="target.failure = _failure(target.name, target.position, last, error)\n                    continue\n",
        replacement="raise ProjectionError(_failure(target.name, target.position, last, error)) from error\n",
        tests=("tests/application/test_projections.py::test_a_failing_user_projection_stops_only_itself",),
        why="one projection's error must not undo the page of the others, or every read model stalls behind it",
    ),
    Mutant(
        name="worker-stopped-by-a-failing-projection",
        rule="concurrency",
        file="projections/workers.py",
        original="                        self._apply(lease)\n",
        replacement="                        self.read.catch_up(only=frozenset(self.held))\n",
        tests=("tests/persistence/test_workers.py::test_a_failing_projection_is_set_aside_and_the_others_keep_up",),
        why="one projection's error must not end the worker that serves the others",
    ),
    Mutant(
        name="worker-creates-its-lease-table-outside-the-schema-lock",
        rule="concurrency",
        file="projections/workers.py",
        original='            lease.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))\n',
        replacement='            lease.execute("SELECT 1")\n',
        tests=(
            "tests/persistence/test_workers.py::test_workers_starting_at_once_on_a_new_store_all_create_their_lease_table",
            "tests/persistence/test_processes.py::"
            "test_processes_opening_a_postgres_store_with_followers_at_the_same_instant_all_succeed",
        ),
        why="two sessions creating the same table at once: PostgreSQL fails one (duplicate key in pg_type)",
        attempts=3,
    ),
    Mutant(
        name="quote-offset-not-checked",
        rule="quotes",
        file="domain/sources.py",
        original="        elif text[start : start + len(quote)] != quote:",
        replacement="        elif False:",
        tests=("tests/domain/test_commands.py", "tests/corpus/test_corpus.py"),
        why="issue 17: caught by a single test before",
    ),
    Mutant(
        name="verify-skips-quote-offsets",
        rule="quotes",
        file="projections/questions/audit.py",
        original="    elif text[citation.start : citation.end] != citation.quote:",
        replacement="    elif False:",
        tests=("tests/persistence/test_reliability.py",),
        why="verify re-checks each quote at its offsets",
    ),
    Mutant(
        name="source-hash-not-checked",
        rule="hashes",
        file="projections/questions/audit.py",
        original="                    if sha256_of(event.text) != event.sha256:",
        replacement="                    if False:",
        tests=("tests/persistence/test_reliability.py", "tests/cli/test_cli.py"),
        why="verify re-hashes every source version",
    ),
    Mutant(
        name="ledger-chain-ignores-the-payload",
        rule="the ledger",
        file="projections/ledger.py",
        original="    digest.update(state)",
        replacement='    digest.update(b"")',
        tests=(
            "tests/persistence/test_reliability.py",
            "tests/application/test_oracles.py::test_a_log_fed_in_uneven_batches_pages_the_same",
        ),
        why="the hash chain covers each event as stored",
    ),
    Mutant(
        name="removed-events-not-noticed",
        rule="the ledger",
        file="projections/questions/audit.py",
        original="        if ledger_position and ledger_position > after:",
        replacement="        if False:",
        tests=("tests/persistence/test_reliability.py",),
        why="the ledger has seen further than the log: events were removed",
    ),
    Mutant(
        name="period-ending-before-it-starts-accepted",
        rule="validation",
        file="events/values.py",
        original="    if earliest is not None and latest is not None and latest < earliest:",
        replacement="    if False:",
        tests=("tests/domain/test_values.py", "tests/corpus/test_corpus.py"),
        why="an impossible date is refused, naming it",
    ),
    Mutant(
        name="unknown-party-accepted",
        rule="validation",
        file="domain/facts.py",
        original=(
            "        if not is_known_actor(party):\n            raise UnknownActor(party)\n    citation = source.cite"
        ),
        replacement="        pass\n    citation = source.cite",
        tests=("tests/domain/test_commands.py", "tests/persistence/test_fact_log.py"),
        why="a fact about an actor the store does not hold is refused",
    ),
    Mutant(
        name="register-ignores-store-actors",
        rule="growing the corpus",
        file="corpus/loader.py",
        original="            source, document_facts = read_register(path, reader.actors, reader.known)\n",
        replacement="            source, document_facts = read_register(path, reader.actors)\n",
        tests=(
            "tests/corpus/test_registers.py::test_a_register_names_a_place_a_document_declared_in_an_earlier_ingest",
        ),
        why="a city declared once in a document must be a partner for every later list",
    ),
    Mutant(
        name="skipped-rows-of-other-countries-make-facts",
        rule="registers",
        file="corpus/register_file.py",
        original="    return country is not None and country != layout.partner_country\n",
        replacement="    return False\n",
        tests=(
            "tests/corpus/test_registers.py::"
            "test_a_whole_list_of_many_countries_keeps_its_rows_and_makes_facts_of_the_partner_country",
        ),
        why="other_countries: skip must keep rows of other countries out of the facts, never refuse or record them",
    ),
    Mutant(
        name="follow-stops-at-a-failing-projection",
        rule="projections",
        file="projections/follow.py",
        original="            self._catch_up()\n",
        replacement="            self.read.catch_up()\n",
        tests=(
            "tests/application/test_projections.py::test_following_a_sqlite_store_goes_on_past_a_failing_projection",
        ),
        why="one failing projection must not end follow on SQLite while the others could keep up",
    ),
    Mutant(
        name="unregister-leaves-tables",
        rule="projections",
        file="projections/registry.py",
        original='            for table in dropped:\n                cursor.execute(f"DROP TABLE {table}")\n',
        replacement="            for table in dropped:\n                pass\n",
        tests=(
            "tests/application/test_projections.py::test_a_user_projection_is_removed_with_its_tables_and_comes_back_by_replay",
        ),
        why="removing a projection removes its tables, so nothing stale stays under its name",
    ),
    Mutant(
        name="partners-within-finds-no-place",
        rule="answers",
        file="projections/actor_index.py",
        original="        return self._below(key, GOVERNMENTS)\n",
        replacement="        return self._below(key, frozenset())\n",
        tests=(
            "tests/application/test_answers.py::test_partners_within_a_province_name_the_place_that_holds_each_tie",
        ),
        why="a province's answer --within names every tie of the places within it, each with its place",
    ),
    Mutant(
        name="learned-model-never-consulted",
        rule="drafting-model",
        file="drafting/assemble.py",
        original="            if learned is not None:\n",
        replacement="            if False:\n",
        tests=(
            "tests/drafting/test_draft_learning.py::test_the_model_proposes_what_the_reviewed_documents_taught_and_the_rules_miss",
        ),
        why="issue 26: the drafter learns from every reviewed document, beside the rules",
    ),
    Mutant(
        name="retracted-fact-still-teaches",
        rule="drafting-model",
        file="projections/questions/reviewed.py",
        original="row.status != FactStatus.RETRACTED.value and row.sha256",
        replacement="row.sha256",
        tests=("tests/drafting/test_draft_learning.py::test_a_retracted_fact_teaches_nothing",),
        why="a fact that no longer stands is no reviewed example",
    ),
    Mutant(
        name="model-cache-ignores-the-log-position",
        rule="drafting-model",
        file="application/drafting_model.py",
        original="drafter.gazetteer_digest, reviewed.digest, str(reviewed.position))",
        replacement="drafter.gazetteer_digest, reviewed.digest)",
        tests=("tests/drafting/test_draft_learning.py::test_the_store_trains_its_model_once_per_position_and_reads_it_back",),
        why="the model is keyed by the log position and the documents: a grown store never drafts with a stale model",
    ),
    Mutant(
        name="dotted-abbreviation-read-as-a-party",
        rule="drafting",
        file="drafting/actors.py",
        original="        if _DOTTED.fullmatch(original):\n            return False\n",
        replacement="",
        tests=("tests/drafting/test_draft_learning.py::test_glued_sentences_split_and_dotted_abbreviations_name_no_party",),
        why="issue 26 item 2: abbreviations ('U.S.') never read as parties",
    ),
    Mutant(
        name="next-day-is-the-same-day",
        rule="drafting",
        file="drafting/dates.py",
        original="            days = 1\n",
        replacement="            days = 0\n",
        tests=("tests/drafting/test_draft_learning.py::test_a_date_anchored_on_the_day_the_text_gave",),
        why="issue 26 item 2: dates anchored on events the article dated ('the next day')",
    ),
)


@attrs.frozen(kw_only=True)
class Result:
    """How one mutant fared."""

    mutant: Mutant
    outcome: str
    failed: tuple[str, ...]
    seconds: float
    detail: str = ""


def _copy_tree(target: Path) -> None:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            destination = target / name
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination)


def _pytest(tree: Path, tests: Sequence[str]) -> tuple[int, str, float]:
    environment = {**os.environ, "CI": "true", "PYTHONPATH": str(tree), "PYTHONDONTWRITEBYTECODE": "1"}
    started = time.monotonic()
    try:
        finished = subprocess.run(
            [sys.executable, "-m", "pytest", *PYTEST, *tests],
            cwd=tree,
            env=environment,
            capture_output=True,
            text=True,
            timeout=RUN_LIMIT,
            check=False,
        )
    except subprocess.TimeoutExpired as expired:
        output = expired.stdout if isinstance(expired.stdout, str) else ""
        return -1, output, time.monotonic() - started
    return finished.returncode, finished.stdout + finished.stderr, time.monotonic() - started


def _failed(output: str) -> tuple[str, ...]:
    """The node ids of the failed tests in pytest's short summary (``FAILED id - message``)."""
    return tuple(sorted(set(re.findall(r"^(?:FAILED|ERROR) (.+?\]?)(?: - .*)?$", output, re.M))))


def run_one(tree: Path, mutant: Mutant) -> Result:
    """Plant one mutant in the scratch tree, run its tests, put the file back."""
    path = tree / mutant.file
    if not path.exists():
        return Result(mutant=mutant, outcome="stale", failed=(), seconds=0.0, detail=f"{mutant.file} is gone")
    text = path.read_text(encoding="utf-8")
    found = text.count(mutant.original)
    if found != 1:
        outcome = "stale" if found == 0 else "ambiguous"
        return Result(mutant=mutant, outcome=outcome, failed=(), seconds=0.0, detail=f"snippet found {found} times")
    path.write_text(text.replace(mutant.original, mutant.replacement), encoding="utf-8")
    seconds = 0.0
    try:
        for _attempt in range(mutant.attempts):
            code, output, took = _pytest(tree, mutant.tests)
            seconds += took
            if code != 0:
                break
    finally:
        path.write_text(text, encoding="utf-8")
    if code == -1:
        return Result(mutant=mutant, outcome="caught", failed=("(run over its limit)",), seconds=seconds)
    if code == 0:
        return Result(mutant=mutant, outcome="missed", failed=(), seconds=seconds)
    if code == 1:
        return Result(mutant=mutant, outcome="caught", failed=_failed(output), seconds=seconds)
    tail = " | ".join(output.strip().splitlines()[-3:])
    return Result(mutant=mutant, outcome="broken", failed=(), seconds=seconds, detail=f"pytest exit {code}: {tail}")


def table(results: Sequence[Result]) -> str:
    """The results as a Markdown table."""
    lines = [
        "| mutant | rule | result | failing tests (test functions) | seconds |",
        "| --- | --- | --- | --- | --- |",
    ]
    for result in results:
        functions = sorted({test.split("::")[-1].split("[")[0] for test in result.failed})
        names = ", ".join(f"`{name}`" for name in functions[:3])
        more = f" and {len(functions) - 3} more" if len(functions) > 3 else ""
        count = f"{len(result.failed)} ({names}{more})" if result.failed else result.detail
        lines.append(
            f"| {result.mutant.name} | {result.mutant.rule} | {result.outcome} | {count} | {result.seconds:.0f} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Plant each deliberate bug in a scratch copy and run its tests.")
    parser.add_argument("words", nargs="*", help="run only mutants whose names contain one of these")
    parser.add_argument("--list", action="store_true", help="list the mutants and exit")
    parser.add_argument("--no-baseline", action="store_true", help="skip running the tests on the unchanged copy")
    args = parser.parse_args(argv)
    chosen = [m for m in MUTANTS if not args.words or any(word in m.name for word in args.words)]
    if args.list:
        for mutant in chosen:
            print(f"{mutant.name} ({mutant.rule}): {mutant.file}; {mutant.why}; tests {' '.join(mutant.tests)}")
        return 0
    with tempfile.TemporaryDirectory(prefix="paradip-mutants-") as scratch:
        tree = Path(scratch)
        _copy_tree(tree)
        if not args.no_baseline:
            tests = sorted({test for mutant in chosen for test in mutant.tests})
            code, output, seconds = _pytest(tree, tests)
            print(f"baseline: the tests of these mutants on the unchanged copy: exit {code} in {seconds:.0f} s")
            if code != 0:
                print(output[-3000:])
                print("the baseline fails: fix the tests before judging mutants")
                return 2
        results = []
        for mutant in chosen:
            result = run_one(tree, mutant)
            results.append(result)
            print(f"{result.outcome:9} {mutant.name} ({result.seconds:.0f} s) {result.detail}", flush=True)
    print()
    print(table(results))
    unsettled = [result for result in results if result.outcome != "caught"]
    print()
    print(f"{len(results) - len(unsettled)} of {len(results)} caught", end="")
    print(f"; not caught: {', '.join(f'{r.mutant.name} ({r.outcome})' for r in unsettled)}" if unsettled else "")
    return 1 if unsettled else 0


if __name__ == "__main__":
    sys.exit(main())
