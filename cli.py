"""The paradip command: parse the arguments, call the application object once, print the answer."""

from __future__ import annotations

import csv
import io
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, NoReturn

import click
import orjson
from rich import box
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from application.app import BatchRefused, Paradip
from domain.errors import InvalidInput, UnknownFact
from events.values import Attributes, FactKind, InvalidValue, Modality, Period, RetractionReason
from presentation.describe import describe
from presentation.errors import REFUSED, USAGE, one_line, refusal
from projections.answers import FactView, ProjectionStatus, Provenance, RelationshipState

DATE_HELP = "YYYY-MM-DD; a year or a month alone means its last day"


class Failure(click.ClickException):
    """A failure to do what was asked (bad input file, store problem): exit code 1."""

    exit_code = 1

    def show(self, file: Any = None) -> None:
        click.echo(f"paradip: {self.message}", err=True)


class UsageProblem(click.UsageError):
    """An argument that cannot be used as given (unknown actor, bad date): exit code 2, one line."""


def _now() -> datetime:
    return datetime.now(UTC)


def parse_day(text: str, option: str) -> date:
    """An ISO date; a year or a month alone means its last day."""
    try:
        period = Period.from_edtf(text)
    except InvalidValue:
        period = None
    parts = text.strip().split("-")
    if period is None or period.latest is None or len(parts) > 3 or not all(part.isdigit() for part in parts):
        raise UsageProblem(f"{option}: {text!r} is not a date ({DATE_HELP})")
    return period.latest


def parse_moment(text: str, option: str) -> datetime:
    """An ISO timestamp (UTC unless it says otherwise); a date alone means its start."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise UsageProblem(f"{option}: {text!r} is not a timestamp (e.g. 2026-01-31T12:00:00Z)") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _optional_day(text: str | None, option: str) -> date | None:
    return None if text is None else parse_day(text, option)


def _optional_moment(text: str | None, option: str) -> datetime | None:
    return None if text is None else parse_moment(text, option)


class Output:
    """Where answers go: tables on a terminal, plain columns in a pipe, JSON on request."""

    def __init__(self, as_json: bool) -> None:
        self.as_json = as_json
        self.console = Console(highlight=False, soft_wrap=not sys.stdout.isatty())
        self.errors = Console(stderr=True, highlight=False)

    def json(self, value: Any) -> None:
        sys.stdout.write(orjson.dumps(value, option=orjson.OPT_INDENT_2).decode("utf-8") + "\n")

    def table(self, title: str | None, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        if not self.console.is_terminal:
            if title:
                self.console.print(title, markup=False)
            writer = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n")
            writer.writerow(columns)
            writer.writerows(["" if cell is None else str(cell) for cell in row] for row in rows)
            return
        table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left", show_edge=False)
        for column in columns:
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(*("" if cell is None else str(cell) for cell in row))
        self.console.print(table)

    def line(self, text: str) -> None:
        self.console.print(text, markup=False)


@contextmanager
def opened(store: str | None, *, reads_only: bool = False) -> Iterator[Paradip]:
    """The application on the chosen store, closed afterwards; store problems become one line.

    A command that only reads (``reads_only``) never creates a store: a missing one is refused.
    """
    from application.bootstrap import open_app  # noqa: PLC0415  (imported late so --help stays fast)

    context = click.get_current_context(silent=True)
    if store is None and context is not None:
        store = context.meta.get(GROUP_STORE)
    if store is not None and not store.strip():
        raise UsageProblem("--store is empty: give a store URL, or leave the option out for the default")
    try:
        app = open_app(store, must_exist=reads_only)
    except InvalidInput as error:
        _fail(error)
    except Exception as error:
        raise Failure(f"cannot open the store: {one_line(str(error)) or repr(error)}") from None
    try:
        yield app
    finally:
        app.close()


def _fail(error: Exception) -> NoReturn:
    shown = refusal(error)
    if shown.exit_code == USAGE:
        raise UsageProblem(shown.message)
    raise Failure(shown.message)


@contextmanager
def domain_errors() -> Iterator[None]:
    """Turn the domain's refusals into one line and an exit code."""
    try:
        yield
    except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
        raise
    except REFUSED as error:
        _fail(error)


STORE_HELP = (
    "sqlite:///path/file.sqlite, postgresql://user@host:port/db or memory: "
    "(default: $PARADIP_STORE, else a file in your data directory)."
)
GROUP_STORE = "paradip.store"
store_option = click.option("--store", metavar="URL", help=STORE_HELP)
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON (see the README for its contract).")
as_of_option = click.option(
    "--as-of", "as_of", required=True, metavar="DATE", help=f"Valid time: what had happened by this date ({DATE_HELP})."
)
known_at_option = click.option(
    "--known-at",
    "known_at",
    metavar="DATE",
    help=f"Publication time: only sources published by this date ({DATE_HELP}).",
)
recorded_option = click.option(
    "--recorded-before",
    "recorded_before",
    metavar="TIMESTAMP",
    help="System time: only what this store had recorded before this ISO timestamp.",
)


class ParadipGroup(click.Group):
    """The command group, printing click's own usage errors on one line too."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False
        kwargs.setdefault("prog_name", "paradip")
        try:
            return super().main(*args, **kwargs)
        except click.UsageError as error:
            command = error.ctx.command_path if error.ctx else "paradip"
            hint = f" (see '{command} --help')" if error.ctx else ""
            click.echo(f"{command}: {error.format_message()}{hint}", err=True)
            sys.exit(error.exit_code)
        except click.ClickException as error:
            error.show()
            sys.exit(error.exit_code)
        except click.Abort:
            click.echo("paradip: aborted", err=True)
            sys.exit(1)


@click.group(cls=ParadipGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="paradip")
@click.option("--store", metavar="URL", help=f"For every command: {STORE_HELP} A command's own --store wins.")
@click.pass_context
def main(context: click.Context, store: str | None) -> None:
    """Paradip: the relations of provinces and cities with their counterparts abroad, as a timeline of
    cited facts.

    \b
    Every fact is an event cited to the exact quote of a hashed source. Ask how a relationship
    stood on a date (--as-of), as known from sources published by a date (--known-at), as this
    store had recorded it (--recorded-before):
      paradip ingest
      paradip state Gyeonggi Liaoning --as-of 2000-01-01
      paradip partners KR-41 --as-of 2012-06
      paradip timeline 경기도 辽宁省
      paradip provenance 3f2a
    """
    context.meta[GROUP_STORE] = store


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@store_option
@json_option
def ingest(paths: tuple[Path, ...], store: str | None, as_json: bool) -> None:
    """Record documents and the facts cited from them (the bundled corpus when no PATH is given).

    Everything is checked first and written together, or nothing is written. Ingesting the same
    documents again writes nothing; an edited document text is recorded as a new version.
    """
    from corpus.loader import load  # noqa: PLC0415

    out = Output(as_json)
    with domain_errors():
        loaded = load(list(paths) if paths else None)
    with opened(store) as app, domain_errors(), _progress(out, "updating read models") as progress:
        try:
            report = app.ingest(loaded.batch, at=_now())
        except BatchRefused as error:
            raise Failure(f"{error}; nothing was written") from None
        app.catch_up(progress)
    summary = {
        "documents": [{"document": document, "facts": count} for document, count in loaded.facts_per_document],
        "actors_registered": report.actors_registered,
        "actors_updated": report.actors_updated,
        "sources_registered": report.sources_registered,
        "sources_revised": report.sources_revised,
        "facts_recorded": report.facts_recorded,
        "facts_already_held": report.facts_already_held,
        "events_written": report.events_written,
    }
    if as_json:
        out.json(summary)
    elif report.wrote_nothing:
        out.line(
            f"Nothing new: the store already holds all {len(loaded.batch.facts)} facts of "
            f"{len(loaded.batch.sources)} documents."
        )
    else:
        out.line(
            f"Recorded {report.facts_recorded} facts from {len(loaded.batch.sources)} documents "
            f"({report.sources_registered} new sources, {report.sources_revised} revised; "
            f"{report.actors_registered} actors registered, {report.actors_updated} updated; "
            f"{report.facts_already_held} facts already held)."
        )


@main.command()
@store_option
@json_option
def verify(store: str | None, as_json: bool) -> None:
    """Re-hash every stored source, re-derive every fact id, re-check every quote and the log's hash chain."""
    out = Output(as_json)
    with opened(store, reads_only=True) as app, domain_errors():
        result = app.verify()
    if as_json:
        out.json(result.to_json())
    else:
        for problem in result.problems:
            out.line(f"PROBLEM: {problem}")
        out.line(
            f"{'OK' if result.ok else 'FAILED'}: {result.events_checked} events, {result.sources_checked} source "
            f"versions, {result.facts_checked} facts checked; {len(result.problems)} problems."
        )
    if not result.ok:
        sys.exit(1)


@main.command()
@click.argument("a")
@click.argument("b")
@as_of_option
@known_at_option
@recorded_option
@store_option
@json_option
def state(
    a: str, b: str, as_of: str, known_at: str | None, recorded_before: str | None, store: str | None, as_json: bool
) -> None:
    """How the relationship between actors A and B stood on a date.

    A and B are codes (KR-41, CN-LN, cn:shenyang) or names in English, Korean or Chinese.
    """
    out = Output(as_json)
    day, known, recorded = (
        parse_day(as_of, "--as-of"),
        _optional_day(known_at, "--known-at"),
        _optional_moment(recorded_before, "--recorded-before"),
    )
    with opened(store, reads_only=True) as app, domain_errors():
        answer = app.relationship_state(a, b, as_of=day, known_at=known, recorded_before=recorded)
    if as_json:
        out.json(answer.to_json())
        return
    _print_state(out, answer)


def _print_state(out: Output, answer: RelationshipState) -> None:
    since = f" since {answer.since}" if answer.since else ""
    known = f", as known from sources published by {answer.known_at}" if answer.known_at else ""
    out.line(
        f"{answer.parties[0]} – {answer.parties[1]} on {answer.as_of}{known}: "
        f"{answer.status} ({answer.certainty}){since}"
    )
    if answer.events:
        _fact_table(out, "Facts up to that date", answer.events)
    for conflict in answer.conflicts:
        out.line(
            f"Conflict over {conflict.subject}: {len(conflict.claims)} claims; preferred "
            f"{str(conflict.preferred)[:8]} by {conflict.rule}"
            + (f" (decided by {conflict.decided_by})" if conflict.decided_by else "")
        )
        _fact_table(out, None, conflict.claims)


@main.command()
@click.argument("actor")
@as_of_option
@known_at_option
@recorded_option
@click.option("--all", "include_contacts", is_flag=True, help="Also list contacts and cooperation, not only ties.")
@store_option
@json_option
def partners(
    actor: str,
    as_of: str,
    known_at: str | None,
    recorded_before: str | None,
    include_contacts: bool,
    store: str | None,
    as_json: bool,
) -> None:
    """An actor's partners abroad on a date: friendship and sisterhood ties (and suspended ones)."""
    out = Output(as_json)
    day, known, recorded = (
        parse_day(as_of, "--as-of"),
        _optional_day(known_at, "--known-at"),
        _optional_moment(recorded_before, "--recorded-before"),
    )
    with opened(store, reads_only=True) as app, domain_errors():
        answer = app.partners(
            actor, as_of=day, known_at=known, recorded_before=recorded, include_contacts=include_contacts
        )
    if as_json:
        out.json(answer.to_json())
        return
    out.table(
        f"Partners of {answer.actor} on {answer.as_of}",
        ["party", "name", "status", "certainty", "since"],
        [(p.party, p.name, p.status, p.certainty, p.since) for p in answer.partners],
    )


@main.command()
@click.argument("program")
@as_of_option
@known_at_option
@recorded_option
@store_option
@json_option
def program(
    program: str, as_of: str, known_at: str | None, recorded_before: str | None, store: str | None, as_json: bool
) -> None:
    """How a programme or conference series stood on a date (not_started, active, suspended, ended)."""
    out = Output(as_json)
    day, known, recorded = (
        parse_day(as_of, "--as-of"),
        _optional_day(known_at, "--known-at"),
        _optional_moment(recorded_before, "--recorded-before"),
    )
    with opened(store, reads_only=True) as app, domain_errors():
        answer = app.program_state(program, as_of=day, known_at=known, recorded_before=recorded)
    if as_json:
        out.json(answer.to_json())
        return
    since = f" since {answer.since}" if answer.since else ""
    out.line(f"{answer.name} ({answer.program}) on {answer.as_of}: {answer.status} ({answer.certainty}){since}")
    if answer.events:
        _fact_table(out, "Facts up to that date", answer.events)


@main.command()
@click.argument("actors", nargs=-1)
@click.option("--from", "start", metavar="DATE", help="Only facts that may have happened on or after this date.")
@click.option("--to", "end", metavar="DATE", help="Only facts that may have happened by this date.")
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    type=click.Choice([str(kind) for kind in FactKind]),
    help="Only facts of this kind (repeatable).",
)
@known_at_option
@recorded_option
@store_option
@json_option
def timeline(
    actors: tuple[str, ...],
    start: str | None,
    end: str | None,
    kinds: tuple[str, ...],
    known_at: str | None,
    recorded_before: str | None,
    store: str | None,
    as_json: bool,
) -> None:
    """Facts in valid-time order: all of them, an actor's (A), or those between A and B."""
    if len(actors) > 2:
        raise UsageProblem("timeline takes at most two actors")
    out = Output(as_json)
    first = None if start is None else _first_day(start)
    last = _optional_day(end, "--to")
    known, recorded = _optional_day(known_at, "--known-at"), _optional_moment(recorded_before, "--recorded-before")
    with opened(store, reads_only=True) as app, domain_errors():
        facts = app.timeline(
            actors,
            start=first,
            end=last,
            kinds=[FactKind(kind) for kind in kinds],
            known_at=known,
            recorded_before=recorded,
        )
    if as_json:
        out.json({"events": [fact.to_json() for fact in facts]})
        return
    counted = f"{len(facts)} fact{'' if len(facts) == 1 else 's'}"
    _fact_table(out, f"Timeline{' of ' + ' and '.join(actors) if actors else ''} ({counted})", facts)


def _first_day(text: str) -> date:
    day = parse_day(text, "--from")
    period = Period.from_edtf(text)
    return period.earliest or day


@main.command()
@click.argument("fact_id")
@store_option
@json_option
def provenance(fact_id: str, store: str | None, as_json: bool) -> None:
    """Where a fact comes from: source, version, offsets, the quote (re-checked), notes and history.

    FACT_ID may be shortened to its first hex digits.
    """
    out = Output(as_json)
    with opened(store, reads_only=True) as app, domain_errors():
        try:
            answer = app.provenance(app.find_fact(fact_id))
        except UnknownFact as error:
            raise UsageProblem(str(error)) from None
    if as_json:
        out.json(answer.to_json())
        return
    _print_provenance(out, answer)


def _print_provenance(out: Output, answer: Provenance) -> None:
    fact, source = answer.fact, answer.fact.source
    out.line(f"Fact {fact.fact_id} ({fact.status})")
    out.line(f"  {describe(fact)}")
    out.line(f"  date {fact.date}; {fact.modality}; parties {', '.join(fact.parties)}")
    out.line(f"Source {source.document}: {source.title}")
    out.line(f"  {source.publisher}, published {source.published}; sha256 {source.sha256}")
    out.line(f"  characters {source.start}-{source.end}, quote {'verified' if answer.verified else 'NOT VERIFIED'}:")
    out.line(f"  “{source.quote}”")
    for note in answer.notes:
        out.line(f"  note: {note}")
    out.table(
        "History",
        ["event", "recorded at", "position", "details"],
        [
            (
                entry.event,
                entry.recorded_at.isoformat(timespec="seconds"),
                entry.position,
                "; ".join(f"{key}: {value}" for key, value in entry.details if value not in (None, "")),
            )
            for entry in answer.history
        ],
    )


@main.command()
@store_option
@json_option
def sources(store: str | None, as_json: bool) -> None:
    """The documents the store holds, their newest version and how many facts cite them."""
    out = Output(as_json)
    with opened(store, reads_only=True) as app, domain_errors():
        found = app.sources()
    if as_json:
        out.json([source.to_json() for source in found])
        return
    out.table(
        "Sources",
        ["document", "published", "publisher", "kind", "facts", "versions", "sha256", "title"],
        [(s.document, s.published, s.publisher, s.kind, s.facts, s.versions, s.sha256[:12], s.title) for s in found],
    )


@main.command()
@click.argument("query", required=False)
@store_option
@json_option
def actors(query: str | None, store: str | None, as_json: bool) -> None:
    """Actors whose codes or names (English, Korean, Chinese) contain QUERY; all without one."""
    out = Output(as_json)
    with opened(store, reads_only=True) as app, domain_errors():
        found = app.actors(query)
    if as_json:
        out.json([actor.to_json() for actor in found])
        return
    out.table(
        f"Actors{' matching ' + repr(query) if query else ''} ({len(found)})",
        ["code", "name", "korean", "chinese", "level", "country", "parent", "former codes"],
        [
            (a.code, a.name, a.name_ko, a.name_zh, a.level, a.country, a.parent, ", ".join(a.former_codes))
            for a in found
        ],
    )


@main.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "csv", "prov"]),
    default="jsonl",
    show_default=True,
    help="jsonl: one fact object per line; csv: one row per fact; prov: W3C PROV-O as JSON-LD.",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE, not stdout.")
@click.option("--include-retracted", is_flag=True, help="Also export retracted facts (status: retracted).")
@store_option
def export(fmt: str, output: Path | None, include_retracted: bool, store: str | None) -> None:
    """Export every fact with its source and quote."""
    with opened(store, reads_only=True) as app, domain_errors():
        facts = list(app.facts(include_retracted=include_retracted))
        sources = {source.document: source for source in app.sources()}
    if fmt == "jsonl":
        text = "".join(orjson.dumps(fact.to_json()).decode("utf-8") + "\n" for fact in facts)
    elif fmt == "csv":
        text = _csv(facts)
    else:
        from presentation.prov import prov_document  # noqa: PLC0415

        text = orjson.dumps(prov_document(facts, sources), option=orjson.OPT_INDENT_2).decode("utf-8") + "\n"
    if output is None:
        sys.stdout.write(text)
    else:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as error:
            raise Failure(f"{output}: cannot write: {error.strerror}") from None


def _csv(facts: Sequence[FactView]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        [
            "fact_id",
            "kind",
            "modality",
            "parties",
            "date",
            "attributes",
            "document",
            "title",
            "publisher",
            "published",
            "sha256",
            "start",
            "end",
            "quote",
            "recorded_at",
            "status",
        ]
    )
    for fact in facts:
        source = fact.source
        writer.writerow(
            [
                fact.fact_id,
                fact.kind,
                fact.modality,
                ";".join(fact.parties),
                fact.date,
                orjson.dumps(fact.attributes.to_json()).decode("utf-8"),
                source.document,
                source.title,
                source.publisher,
                source.published,
                source.sha256,
                source.start,
                source.end,
                source.quote,
                fact.recorded_at.isoformat(),
                fact.status,
            ]
        )
    return buffer.getvalue()


@main.command()
@click.argument("names", nargs=-1)
@click.option("--all", "everything", is_flag=True, help="Rebuild every projection.")
@click.option("--from-scratch", is_flag=True, help="Start again from position 0 even if a rebuild was interrupted.")
@store_option
@json_option
def replay(names: tuple[str, ...], everything: bool, from_scratch: bool, store: str | None, as_json: bool) -> None:
    """Rebuild projections from the log into fresh tables, switching over only when done.

    NAME is a projection (see 'paradip projections') or module:Class for one you wrote
    (a subclass of projections.base.Projection, importable from the current directory). An
    interrupted rebuild resumes from its own progress unless --from-scratch.
    """
    if not names and not everything:
        raise UsageProblem("give projection names, module:Class, or --all")
    if names and everything:
        raise UsageProblem("give projection names or --all, not both")
    if str(Path.cwd()) not in sys.path:
        sys.path.insert(0, str(Path.cwd()))
    out = Output(as_json)
    with opened(store, reads_only=True) as app, domain_errors(), _progress(out, "replaying") as progress:
        statuses = app.replay(names, from_scratch=from_scratch, progress=progress)
    _print_projections(out, statuses)


@main.command()
@store_option
@json_option
def projections(store: str | None, as_json: bool) -> None:
    """Each projection with its position in the log and the head of the log."""
    out = Output(as_json)
    with opened(store, reads_only=True) as app, domain_errors():
        statuses = app.projection_status()
    _print_projections(out, statuses)


def _print_projections(out: Output, statuses: Sequence[ProjectionStatus]) -> None:
    if out.as_json:
        out.json([status.to_json() for status in statuses])
        return
    out.table(
        "Projections",
        ["name", "position", "head", "lag", "generation", "state", "worker", "class"],
        [(s.name, s.position, s.head, s.lag, s.generation, s.state, s.worker, s.origin) for s in statuses],
    )


@main.command()
@click.argument("name")
@click.option("--table", help="Which of the projection's tables (its first by default).")
@store_option
@json_option
def view(name: str, table: str | None, store: str | None, as_json: bool) -> None:
    """The rows of a projection's table, for projections you wrote yourself."""
    out = Output(as_json)
    with opened(store, reads_only=True) as app, domain_errors():
        table_name, columns, rows = app.view_rows(name, table)
    if as_json:
        out.json([dict(zip(columns, row, strict=True)) for row in rows])
        return
    out.table(f"{name}.{table_name} ({len(rows)} rows)", columns, rows)


@main.command()
@click.option("--interval", default=2.0, show_default=True, help="Seconds between polls.")
@click.option("--for", "duration", type=float, help="Stop after this many seconds (default: until interrupted).")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Worker processes sharing the projections, one worker per projection (PostgreSQL).",
)
@click.option(
    "--lease",
    type=click.FloatRange(min=1.0),
    default=10.0,
    show_default=True,
    help="Seconds a worker's lease lasts unrenewed before another worker takes its projections (PostgreSQL).",
)
@store_option
def follow(interval: float, duration: float | None, workers: int, lease: float, store: str | None) -> None:
    """Keep projections current as other processes write.

    On PostgreSQL each follow process is a worker: several of them (or --workers N) share the
    projections, one worker per projection, woken by notifications and polling; a killed worker's
    projections are taken over by another within seconds. On SQLite, one process polls.
    """
    deadline = None if duration is None else datetime.now(UTC).timestamp() + duration
    stopping = {"now": False}

    def stop_now(_signal: int, _frame: Any) -> None:
        stopping["now"] = True

    signal.signal(signal.SIGTERM, stop_now)
    with opened(store, reads_only=True) as app, domain_errors():
        if workers > 1 and app.location.kind != "postgresql":
            raise UsageProblem("--workers: workers share a PostgreSQL store; on SQLite one follow process polls")
        helpers = _start_workers(app.location.url, workers - 1, interval=interval, lease=lease, deadline=deadline)
        click.echo("following the log; Ctrl-C to stop", err=True)
        try:
            with suppress(KeyboardInterrupt):
                app.follow(
                    poll_interval=interval,
                    lease_seconds=lease,
                    announce=lambda message: click.echo(message, err=True),
                    stop=lambda: (
                        stopping["now"] or (deadline is not None and datetime.now(UTC).timestamp() >= deadline)
                    ),
                )
        finally:
            _stop_workers(helpers)


def _start_workers(
    url: str, count: int, *, interval: float, lease: float, deadline: float | None
) -> list[subprocess.Popen[bytes]]:
    """``count`` more follow processes on the same store, each one worker."""
    command = [
        sys.executable,
        "-m",
        "cli",
        "follow",
        "--store",
        url,
        "--interval",
        str(interval),
        "--lease",
        str(lease),
    ]
    if deadline is not None:
        command += ["--for", str(max(deadline - datetime.now(UTC).timestamp(), 0.0))]
    return [subprocess.Popen(command) for _ in range(count)]


def _stop_workers(helpers: Sequence[subprocess.Popen[bytes]], grace: float = 30.0) -> None:
    """Ask the helper processes to give their projections back, and end any that do not within ``grace``."""
    for helper in helpers:
        if helper.poll() is None:
            helper.send_signal(signal.SIGTERM)
    for helper in helpers:
        try:
            helper.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            helper.kill()
            helper.wait()


@main.command()
@click.argument("actor", required=False)
@click.option("--from", "start", default="1992", show_default=True, metavar="DATE")
@click.option("--to", "end", metavar="DATE", help="Default: today.")
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="FILE.svg or FILE.png"
)
@store_option
def chart(actor: str | None, start: str, end: str | None, output: Path, store: str | None) -> None:
    """Draw an actor's relationships abroad (or every tie) as bars coloured by status, events as marks."""
    if output.suffix.lower() not in (".svg", ".png"):
        raise UsageProblem("-o must name a .svg or .png file")
    first = _first_day(start)
    last = parse_day(end, "--to") if end else _now().date()
    from presentation.charts import draw_relationships  # noqa: PLC0415

    with opened(store, reads_only=True) as app, domain_errors():
        histories = app.relationship_histories(actor, start=first, end=last)
        focus = app.resolve_actor(actor) if actor else None
        title_actor = app.actors(actor)[0].name if actor else "All actors"
    if not histories:
        raise Failure(f"no relationships abroad to draw{' for ' + actor if actor else ''}")
    try:
        draw_relationships(
            histories,
            start=first,
            end=last,
            title=f"{title_actor}: relationships abroad",
            output=output,
            focus=focus,
        )
    except OSError as error:
        raise Failure(f"{output}: cannot write: {error.strerror}") from None
    click.echo(f"wrote {output} ({len(histories)} relationships)")


@main.command()
@click.argument("fact_id")
@click.option("--reason", required=True, type=click.Choice([str(reason) for reason in RetractionReason]))
@click.option("--note", default="", help="Why, in a sentence.")
@click.option("--by", "decided_by", required=True, help="Who decided.")
@click.option("--superseded-by", help="The fact that replaces it (for --reason superseded).")
@store_option
def retract(
    fact_id: str, reason: str, note: str, decided_by: str, superseded_by: str | None, store: str | None
) -> None:
    """Retract a fact: it stays in the log and its history, but no longer counts."""
    with opened(store, reads_only=True) as app, domain_errors():
        fact = app.find_fact(fact_id)
        replacement = app.find_fact(superseded_by) if superseded_by else None
        app.retract_fact(
            fact,
            reason=RetractionReason(reason),
            note=note,
            decided_by=decided_by,
            superseded_by=replacement,
            at=_now(),
        )
    click.echo(f"retracted {fact}")


@main.command()
@click.argument("fact_id")
@click.option("--date", "edtf", help="The corrected date (EDTF).")
@click.option("--kind", type=click.Choice([str(kind) for kind in FactKind]))
@click.option("--modality", type=click.Choice([str(m) for m in Modality]))
@click.option("--party", "parties", multiple=True, help="The corrected parties (repeat; replaces all).")
@click.option("--set", "assignments", multiple=True, metavar="NAME=VALUE", help="Set an attribute (repeatable).")
@click.option("--reason", required=True, help="Why the old values were wrong.")
@click.option("--by", "decided_by", required=True, help="Who decided.")
@store_option
def correct(
    fact_id: str,
    edtf: str | None,
    kind: str | None,
    modality: str | None,
    parties: tuple[str, ...],
    assignments: tuple[str, ...],
    reason: str,
    decided_by: str,
    store: str | None,
) -> None:
    """Correct a fact's values; the old ones stay in its history."""
    from domain.facts import Correction  # noqa: PLC0415

    with opened(store, reads_only=True) as app, domain_errors():
        fact_uuid = app.find_fact(fact_id)
        current = app.fact(fact_uuid)
        attributes = current.attributes.as_dict()
        for assignment in assignments:
            name, sep, value = assignment.partition("=")
            if not sep or not name:
                raise UsageProblem(f"--set {assignment!r}: write NAME=VALUE")
            attributes[name] = value
        correction = Correction(
            kind=FactKind(kind) if kind else current.kind,
            modality=Modality(modality) if modality else current.modality,
            parties=tuple(app.resolve_actor(party) for party in parties) if parties else current.parties,
            date=Period.from_edtf(edtf) if edtf else current.date,
            attributes=Attributes.of(attributes),
            reason=reason,
            decided_by=decided_by,
        )
        app.correct_fact(fact_uuid, correction, at=_now())
    click.echo(f"corrected {fact_uuid}")


@main.command()
@click.argument("fact_ids", nargs=-1, required=True)
@click.option("--prefer", required=True, help="The fact to prefer.")
@click.option("--rule", required=True, help="The rule that decides (e.g. 'official register over press').")
@click.option("--by", "decided_by", required=True, help="Who decided.")
@click.option("--note", default="")
@store_option
def resolve(fact_ids: tuple[str, ...], prefer: str, rule: str, decided_by: str, note: str, store: str | None) -> None:
    """Record which of several conflicting facts is preferred, by what rule and whose decision."""
    with opened(store, reads_only=True) as app, domain_errors():
        facts = [app.find_fact(fact) for fact in fact_ids]
        preferred = app.find_fact(prefer)
        if preferred not in facts:
            facts.append(preferred)
        resolution = app.resolve_conflict(
            facts, preferred=preferred, rule=rule, decided_by=decided_by, note=note, at=_now()
        )
    click.echo(f"resolved {resolution}")


@contextmanager
def _progress(out: Output, label: str) -> Iterator[Callable[[int, int], None] | None]:
    if out.as_json or not out.errors.is_terminal:
        yield None
        return
    with Progress(
        TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=out.errors, transient=True
    ) as bar:
        task = bar.add_task(label, total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield advance


def _fact_table(out: Output, title: str | None, facts: Sequence[FactView]) -> None:
    out.table(
        title,
        ["date", "what", "parties", "source", "fact"],
        [
            (fact.date, describe(fact), ", ".join(fact.parties), fact.source.document[:3], str(fact.fact_id)[:8])
            for fact in facts
        ],
    )


if __name__ == "__main__":
    main()
