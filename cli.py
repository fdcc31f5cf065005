"""The paradip command: parse the arguments, call the application object once, print the answer."""

from __future__ import annotations

import csv
import io
import os
import signal
import subprocess
import sys
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, date, datetime
from functools import wraps
from pathlib import Path
from typing import Any, Literal, NoReturn, TypeVar, cast, overload

import attrs
import click
import orjson
from rich import box
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from application.app import BatchRefused, IngestReport, Paradip
from domain.errors import InvalidInput, StoreNotFound, UnknownFact
from domain.observer import DATE_HELP, Observer, read_day, read_first_day
from events.values import Attributes, FactKind, InvalidValue, Modality, Period, RetractionReason
from presentation.describe import describe
from presentation.errors import REFUSED, USAGE, one_line, refusal
from projections.answers import (
    ActorSummary,
    Conflict,
    Digest,
    FactView,
    ProgramState,
    ProjectionStatus,
    Provenance,
    RelationshipState,
)
from projections.questions.impact import Impact

Command = TypeVar("Command", bound=Callable[..., Any])


class Failure(click.ClickException):
    """A failure to do what was asked (bad input file, store problem): exit code 1."""

    exit_code = 1

    def show(self, file: Any = None) -> None:
        click.echo(f"paradip: {self.message}", err=True)


class UsageProblem(click.UsageError):
    """An argument that cannot be used as given (unknown actor, bad date): exit code 2, one line."""


def _now() -> datetime:
    return datetime.now(UTC)


def _option(name: str) -> str:
    """How the command line spells a parameter: ``--as-of`` for ``as_of``."""
    return "--" + name.replace("_", "-")


def _day(text: str, option: str, *, first: bool = False) -> date:
    """A date given to an option (its first day with ``first``, else its last); ``today`` is today (UTC)."""
    read = read_first_day if first else read_day
    with domain_errors():
        return read(text, option, today=_now().date())


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
def opened(store: str | None, *, must_exist: bool = False) -> Iterator[Paradip]:
    """The application on the chosen store, closed afterwards; store problems become one line.

    Only a command that records what it is given creates a store; every other (``must_exist``: the questions,
    and the commands on what a store holds, such as retract or replay) refuses a missing one.
    """
    from application.bootstrap import open_app  # noqa: PLC0415  (imported late so --help stays fast)

    context = click.get_current_context(silent=True)
    if store is None and context is not None:
        store = context.meta.get(GROUP_STORE)
    if store is not None and not store.strip():
        raise UsageProblem("--store is empty: give a store URL, or leave the option out for the default")
    try:
        app = open_app(store, must_exist=must_exist)
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
AS_OF_HELP = f"Valid time: what had happened by this date ({DATE_HELP})."
OBSERVER_OPTIONS = {
    "as_of": click.option("--as-of", "as_of", required=True, metavar="DATE", help=AS_OF_HELP),
    "as_of_today": click.option(
        "--as-of", "as_of", default="today", show_default=True, metavar="DATE", help=AS_OF_HELP
    ),
    "known_at": click.option(
        "--known-at",
        "known_at",
        metavar="DATE",
        help=f"Publication time: only sources published by this date ({DATE_HELP}).",
    ),
    "recorded_before": click.option(
        "--recorded-before",
        "recorded_before",
        metavar="TIMESTAMP",
        help="System time: only what this store had recorded before this ISO timestamp.",
    ),
}


def observer_options(
    *, as_of: Literal["required", "today"] | None = "required", known_at: bool = True
) -> Callable[[Command], Command]:
    """The three times a question is asked at, as options (``--as-of``, required or ``today`` by default or left
    out; ``--known-at`` unless left out; ``--recorded-before``), handed to the command as one ``observer``."""
    names = []
    if as_of is not None:
        names.append("as_of" if as_of == "required" else "as_of_today")
    if known_at:
        names.append("known_at")
    names.append("recorded_before")

    def decorate(command: Command) -> Command:
        @wraps(command)
        def with_observer(*args: Any, **kwargs: Any) -> Any:
            texts = {name: kwargs.pop(name, None) for name in ("as_of", "known_at", "recorded_before")}
            with domain_errors():
                observer = Observer.from_text(**texts, today=_now().date(), label=_option)
            return command(*args, observer=observer, **kwargs)

        decorated: Any = with_observer
        for name in reversed(names):
            decorated = OBSERVER_OPTIONS[name](decorated)
        return cast("Command", decorated)

    return decorate


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
@click.option(
    "--check", is_flag=True, help="Validate and compute everything, write nothing, and say what would change."
)
@click.option(
    "--as-of",
    "as_of",
    metavar="DATE",
    help=f"With --check: the day the changed answers are given for (default today; {DATE_HELP}).",
)
@store_option
@json_option
def ingest(paths: tuple[Path, ...], check: bool, as_of: str | None, store: str | None, as_json: bool) -> None:
    """Record document files, registers and folders of them, with the facts they cite.

    \b
    Without PATH: the bundled corpus, and every folder and file ingested into this store before.
    A document file is the source of truth for its facts: ingesting it again after an edit corrects
    what changed, re-locates quotes in a revised text and withdraws what the file no longer states.
    Everything is checked first and written together, or nothing is written.
    """
    from corpus.loader import load  # noqa: PLC0415

    out = Output(as_json)
    exists = store_exists(store)
    remembered: list[Path] = []
    known: list[ActorSummary] = []
    if exists:
        with opened(store, must_exist=True) as held, domain_errors():
            remembered = [Path(path) for path in held.corpus_paths()] if not paths else []
            known = held.questions.actors()
    present = [path for path in remembered if path.exists()]
    for missing in sorted(set(remembered) - set(present)):
        click.echo(f"paradip: {missing}: remembered in this store's corpus but missing; skipped", err=True)
    with domain_errors():
        loaded = load(list(paths), known=known) if paths else load(None, known=known, extra=present)
    batch = attrs.evolve(loaded.batch, paths=tuple(str(path.resolve()) for path in paths))
    at = _now()
    if as_of is not None and not check:
        raise UsageProblem("--as-of goes with --check (the day the changed answers are given for)")
    day = _day(as_of, "--as-of") if as_of else at.date()
    try:
        if check:
            with opened(store if exists else "memory:", must_exist=exists) as app, domain_errors():
                report, impact = app.check_ingest(batch, at=at, as_of=day)
        else:
            if not exists:
                with opened("memory:") as scratch, domain_errors():
                    scratch.validate_ingest(batch, at=at)
            with opened(store) as app, domain_errors(), _progress(out, "updating read models") as progress:
                report = app.ingest(batch, at=at)
                app.catch_up(progress)
    except BatchRefused as error:
        raise Failure(f"{error}; nothing was written") from None
    summary = {
        "documents": [{"document": document, "facts": count} for document, count in loaded.facts_per_document],
        **report.to_json(),
    }
    if check:
        _print_check(out, summary, report, impact, len(loaded.batch.sources))
    elif as_json:
        out.json(summary)
    elif report.wrote_nothing:
        out.line(
            f"Nothing new: the store already holds all {len(loaded.batch.facts)} facts of "
            f"{len(loaded.batch.sources)} documents."
        )
    else:
        out.line(f"Recorded {_plural(len(loaded.batch.sources), 'document')}: {_counts(report)}.")


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _counts(report: IngestReport) -> str:
    """What an ingest did or would do, in a sentence's words."""
    parts = [
        f"{report.facts_recorded} facts new",
        f"{report.facts_corrected} revised",
        f"{report.facts_relocated} re-located",
        f"{report.facts_withdrawn} withdrawn",
        f"{report.facts_already_held} already held",
        f"{report.sources_registered} new sources, {report.sources_revised} revised",
        f"{report.actors_registered} actors registered, {report.actors_updated} updated",
    ]
    return "; ".join(parts)


def _print_check(out: Output, summary: dict[str, Any], report: IngestReport, impact: Impact, documents: int) -> None:
    if out.as_json:
        out.json({**summary, "impact": impact.to_json()})
        return
    out.line(
        f"Checked {_plural(documents, 'document')}; nothing was written. An ingest would record: {_counts(report)}."
    )
    if impact.facts:
        out.table(
            "Facts",
            ["change", "what", "date", "parties", "quote"],
            [(f.change, f.kind, f.date, ", ".join(f.parties), f.quote) for f in impact.facts],
        )
    if impact.answers:
        out.table(
            f"Answers that would change (as of {impact.as_of})",
            ["subject", "now", "after"],
            [(" – ".join(change.subject), change.before, change.after) for change in impact.answers],
        )
    else:
        out.line(f"No relationship's or programme's status would change (as of {impact.as_of}).")
    if impact.conflicts:
        out.table(
            "New conflicts with sources already held",
            ["subject", "about", "claims", "preferred", "rule"],
            [(" – ".join(c.subject), c.about, "; ".join(c.claims), c.preferred, c.rule) for c in impact.conflicts],
        )


def store_exists(store: str | None) -> bool:
    """Whether the chosen store exists already (checked without creating anything)."""
    from infrastructure.store import StoreLocation, resolve_store_url  # noqa: PLC0415

    context = click.get_current_context(silent=True)
    if store is None and context is not None:
        store = context.meta.get(GROUP_STORE)
    try:
        StoreLocation.parse(resolve_store_url(store)).require_existing()
    except StoreNotFound:
        return False
    except InvalidInput as error:
        _fail(error)
    return True


@main.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.argument("quote")
@json_option
def quote(file: Path, quote: str, as_json: bool) -> None:
    """Where QUOTE occurs in FILE's text (a document file's source text, or a text file): its offsets and
    how often, or the nearest passage and how it differs. Exits 1 when the quote is not in the text."""
    from corpus.document_file import text_of  # noqa: PLC0415
    from domain.quotes import nearest, occurrences  # noqa: PLC0415

    out = Output(as_json)
    if not quote:
        raise UsageProblem("QUOTE is empty")
    with domain_errors():
        text, read_from = text_of(file)
    found = occurrences(text, quote)
    close = None if found else nearest(text, quote)
    if as_json:
        out.json(
            {
                "text_file": str(read_from),
                "quote": quote,
                "occurrences": [{"start": start, "end": start + len(quote)} for start in found],
                "nearest": None
                if close is None
                else {
                    "start": close.start,
                    "end": close.end,
                    "passage": close.passage,
                    "differences": list(close.differences),
                },
            }
        )
    elif found:
        where = ", ".join(f"{start}-{start + len(quote)}" for start in found)
        advice = " (give start: in the fact to say which)" if len(found) > 1 else ""
        out.line(f"{_plural(len(found), 'occurrence')} in {read_from} at {where}{advice}")
    else:
        out.line(f"not in {read_from}; {close.describe() if close else 'nothing alike'}")
    if not found:
        sys.exit(1)


DRAFT_MAX_BYTES = 1_000_000


def _with_learned_model(drafter: Any, store: str | None) -> tuple[Any, str]:
    """The drafter with the model the store's reviewed documents train, and a line saying which model it is."""
    from application.drafting_model import store_model  # noqa: PLC0415
    from infrastructure.store import StoreLocation, resolve_store_url  # noqa: PLC0415

    context = click.get_current_context(silent=True)
    chosen = store if store is not None else (context.meta.get(GROUP_STORE) if context is not None else None)
    try:
        StoreLocation.parse(resolve_store_url(chosen)).require_existing()
    except StoreNotFound as error:
        return drafter, f"rules only: {error} (its reviewed documents would train the drafter's model)"
    except InvalidInput as error:
        raise UsageProblem(str(error)) from None
    with opened(chosen, must_exist=True) as app, domain_errors():
        found = store_model(app, drafter)
    if found.learned is None:
        return drafter, f"rules only: {found.reason} (log position {found.position})"
    how = f"trained now in {found.seconds:.1f} s" if found.trained else "read from the cache"
    line = (
        f"learned model {found.learned.model.identity}, trained on {found.documents} reviewed documents "
        f"at log position {found.position} ({how})"
    )
    return drafter.with_model(found.learned), line


def _article(path: Path) -> str:
    """The text of an article to draft from: refused, in one line, if it is not a small UTF-8 text."""
    from corpus.files import read_text  # noqa: PLC0415

    if path.is_file() and path.stat().st_size > DRAFT_MAX_BYTES:
        raise UsageProblem(f"{path}: larger than {DRAFT_MAX_BYTES:,} bytes; paradip draft reads one article at a time")
    try:
        text = read_text(path, "text file")
    except InvalidInput as error:
        raise UsageProblem(str(error)) from None
    control = next(
        (index for index, char in enumerate(text) if unicodedata.category(char) == "Cc" and char not in "\t\n\r\f"),
        None,
    )
    if control is not None:
        raise UsageProblem(f"{path}: binary or control character U+{ord(text[control]):04X} at character {control}")
    return text


@main.command()
@click.argument("text_file", type=click.Path(path_type=Path))
@click.option(
    "--published",
    metavar="EDTF",
    help="Publication date (2024-06-19, 2024-06, 2019-08/2019-12). Default: a date printed before the body.",
)
@click.option("--title", help="The document's title. Default: the likeliest title line before the body.")
@click.option("--publisher", help="Who published it (to be set before ingesting if not given).")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the draft to FILE, not stdout."
)
@click.option("--json", "as_json", is_flag=True, help="Print the candidates as fact objects (see the README).")
@click.option("--rules-only", is_flag=True, help="Draft with the rules alone, without the model the store trains.")
@store_option
def draft(
    text_file: Path,
    published: str | None,
    title: str | None,
    publisher: str | None,
    output: Path | None,
    as_json: bool,
    rules_only: bool,
    store: str | None,
) -> None:
    """Draft candidate facts, each cited to its exact quote, from a plain-text article (English).

    \b
    The rules read each sentence; a model trained from the documents the store holds (every
    reviewed document is an example) weighs their candidates and proposes what they miss. It is
    trained once per log position and kept in a cache; the draft says which model it used.

    \b
    The draft is a document file for review, never ingested by itself: check it, then
      paradip ingest --check DOC.yaml && paradip ingest DOC.yaml
    Text before the body (a title, a dateline, 'Created 2024-06-19 Hit 235') is skipped; a
    publication date printed there is used when --published is not given, and the draft says so.
    Files over 1 MB, empty, binary or not UTF-8 are refused.
    """
    from corpus.loader import load_gazetteer  # noqa: PLC0415
    from drafting import Drafter  # noqa: PLC0415
    from drafting.output import Metadata, document_id, guessed_kind, to_json, to_yaml  # noqa: PLC0415

    given: Period | None = None
    if published is not None:
        try:
            given = Period.from_edtf(published)
        except InvalidValue as error:
            raise UsageProblem(f"--published: {error}") from None
    text = _article(text_file)
    drafter = Drafter(load_gazetteer())
    model_line = "rules only (--rules-only)"
    if not rules_only:
        drafter, model_line = _with_learned_model(drafter, store)
    try:
        drafted = drafter.draft(text, given)
    except InvalidInput as error:
        raise UsageProblem(f"{text_file}: {error}") from None
    text_path = text_file.name if output is None else os.path.relpath(text_file.resolve(), output.resolve().parent)
    metadata = Metadata(
        document=document_id(text_file.stem),
        text_file=text_path,
        title=title or drafted.title or f"{text_file.name} (no title found)",
        publisher=publisher or "not stated (paradip draft was given no --publisher)",
        kind=guessed_kind(drafted),
    )
    if as_json:
        shown = {**to_json(drafted, metadata), "model": model_line}
        rendered = orjson.dumps(shown, option=orjson.OPT_INDENT_2).decode("utf-8") + "\n"
    else:
        rendered = to_yaml(
            drafted, metadata, title_given=title is not None, publisher_given=publisher is not None, model=model_line
        )
    click.echo(f"paradip draft: {model_line}", err=True)
    if drafted.published_from == "header":
        click.echo(
            f"paradip draft: publication date {drafted.published.edtf} read from the text's header "
            f"({drafted.header.published_line!r}); give --published to set another",
            err=True,
        )
    if output is None:
        sys.stdout.write(rendered)
        return
    try:
        output.write_text(rendered, encoding="utf-8")
    except OSError as error:
        raise Failure(f"{output}: cannot write the draft: {error.strerror or error}") from None
    click.echo(
        f"Wrote {len(drafted.candidates)} candidate facts to {output} "
        f"({len(drafted.unresolved)} names left unresolved); review it, then paradip ingest --check {output}"
    )


@main.command()
@click.option(
    "--digest",
    "digest_token",
    metavar="POSITION:SHA256",
    help="Also prove the log up to POSITION unchanged since 'paradip digest' printed this.",
)
@store_option
@json_option
def verify(digest_token: str | None, store: str | None, as_json: bool) -> None:
    """Re-hash every stored source, re-derive every fact id, re-check every quote and the log's hash chain
    (against the ledger, its anchors that no rebuild rewrites, and a digest kept elsewhere if given)."""
    out = Output(as_json)
    try:
        kept = None if digest_token is None else Digest.parse(digest_token)
    except InvalidInput as error:
        raise UsageProblem(f"--digest: {error}") from None
    with opened(store, must_exist=True) as app, domain_errors():
        result = app.questions.verify(kept)
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
@click.option("--at", "position", type=click.IntRange(min=0), help="The position in the log (default: its head).")
@store_option
@json_option
def digest(position: int | None, store: str | None, as_json: bool) -> None:
    """The hash chain's digest of the log up to a position: keep it outside the store, and
    'paradip verify --digest' proves later that the log up to there is unchanged."""
    out = Output(as_json)
    with opened(store, must_exist=True) as app, domain_errors():
        found = app.questions.digest(position)
    if as_json:
        out.json(found.to_json())
        return
    out.line(found.token)


bodies_option = click.option(
    "--bodies",
    "include_bodies",
    is_flag=True,
    help="Also the ties of the governments' bodies (assemblies, institutes), each as its own row.",
)


@main.command()
@observer_options(as_of="today")
@click.option("--countries", nargs=2, default=("KR", "CN"), show_default=True, metavar="A B", help="The two countries.")
@store_option
@json_option
def coverage(observer: Observer, countries: tuple[str, str], store: str | None, as_json: bool) -> None:
    """How many formal ties between two countries' provinces and cities the store knows on a date, by level
    and by province, beside the counts the sources themselves state (645 by 2019, in document 002)."""
    out = Output(as_json)
    pair = (countries[0].upper(), countries[1].upper())
    with opened(store, must_exist=True) as app, domain_errors():
        answer = app.questions.coverage(observer=observer, countries=pair)
    if as_json:
        out.json(answer.to_json())
        return
    first, second = answer.countries
    out.line(
        f"{first}-{second} ties between sub-national governments known on {answer.observer.as_of}"
        f"{_filters(answer.observer)}: {answer.ties} ({answer.definite} definite, "
        f"{answer.ties - answer.definite} possible); "
        + ", ".join(f"{level} {count}" for level, count in answer.by_level)
    )
    for stated in answer.stated:
        out.line(f"A source states {stated.value:g} ({stated.date}, {stated.document}): “{stated.quote}”")
    if answer.share is not None:
        out.line(f"The store holds {answer.share:.0%} of the latest count a source states.")
    for country, counts in answer.by_province:
        out.table(
            f"By province ({country})",
            ["province", "name", "ties"],
            [(count.code, count.name, count.ties) for count in counts],
        )


@main.command()
@click.argument("a")
@click.argument("b")
@observer_options()
@bodies_option
@store_option
@json_option
def state(
    a: str,
    b: str,
    observer: Observer,
    include_bodies: bool,
    store: str | None,
    as_json: bool,
) -> None:
    """How the relationship between actors A and B stood on a date.

    A and B are codes (KR-41, CN-LN, cn:shenyang) or names in English, Korean or Chinese.
    """
    out = Output(as_json)
    with opened(store, must_exist=True) as app, domain_errors():
        answer = app.questions.relationship_state(a, b, observer=observer, include_bodies=include_bodies)
    if as_json:
        out.json(answer.to_json())
        return
    _print_state(out, answer)


def _filters(observer: Observer) -> str:
    """The publication and recording filters in effect, as a header names them."""
    known, recorded_before = observer.known_at, observer.recorded_before
    known_from = f", as known from sources published by {known}" if known else ""
    recorded = f", as recorded before {recorded_before.isoformat()}" if recorded_before else ""
    return known_from + recorded


def _print_status(out: Output, subject: str, answer: RelationshipState | ProgramState) -> None:
    """A status on a day: its line, the facts up to that day and the conflicts the fold met."""
    since = f" since {answer.since}" if answer.since else ""
    out.line(
        f"{subject} on {answer.observer.as_of}{_filters(answer.observer)}: {answer.status} ({answer.certainty}){since}"
    )
    if answer.events:
        _fact_table(out, "Facts up to that date", answer.events)
    _print_conflicts(out, answer.conflicts)


def _print_state(out: Output, answer: RelationshipState) -> None:
    _print_status(out, f"{answer.parties[0]} – {answer.parties[1]}", answer)
    if answer.bodies:
        out.table(
            "Ties of their bodies",
            ["parties", "status", "certainty", "since"],
            [(" – ".join(tie.parties), tie.status, tie.certainty, tie.since) for tie in answer.bodies],
        )


def _print_conflicts(out: Output, conflicts: Sequence[Conflict]) -> None:
    for conflict in conflicts:
        out.line(
            f"Conflict over {conflict.subject}: {len(conflict.claims)} claims; preferred "
            f"{str(conflict.preferred)[:8]} by {conflict.rule}"
            + (f" (decided by {conflict.decided_by})" if conflict.decided_by else "")
        )
        _fact_table(out, None, conflict.claims)


@main.command()
@click.argument("actor")
@observer_options()
@click.option("--all", "include_contacts", is_flag=True, help="Also list contacts and cooperation, not only ties.")
@bodies_option
@click.option(
    "--within",
    "include_within",
    is_flag=True,
    help="Also the ties of the places within it (a province's cities, counties and districts), each as its own row.",
)
@store_option
@json_option
def partners(
    actor: str,
    observer: Observer,
    include_contacts: bool,
    include_bodies: bool,
    include_within: bool,
    store: str | None,
    as_json: bool,
) -> None:
    """An actor's partners abroad on a date: friendship, sisterhood and diplomatic ties (and suspended ones).

    With --bodies or --within, the column 'via' names the body or the place within it that holds the tie.
    """
    out = Output(as_json)
    with opened(store, must_exist=True) as app, domain_errors():
        answer = app.questions.partners(
            actor,
            observer=observer,
            include_contacts=include_contacts,
            include_bodies=include_bodies,
            include_within=include_within,
        )
    if as_json:
        out.json(answer.to_json())
        return
    columns = ["party", "name", "status", "certainty", "since"]
    rows: list[tuple[object, ...]] = [(p.party, p.name, p.status, p.certainty, p.since) for p in answer.partners]
    if include_bodies or include_within:
        columns.append("via")
        rows = [(*row, p.via) for row, p in zip(rows, answer.partners, strict=True)]
    out.table(
        f"Partners of {answer.actor} on {answer.observer.as_of}{_filters(answer.observer)}",
        columns,
        rows,
    )


@main.command()
@click.argument("program")
@observer_options()
@store_option
@json_option
def program(program: str, observer: Observer, store: str | None, as_json: bool) -> None:
    """How a programme or conference series stood on a date (unknown, not_started, active, suspended, ended)."""
    out = Output(as_json)
    with opened(store, must_exist=True) as app, domain_errors():
        answer = app.questions.program_state(program, observer=observer)
    if as_json:
        out.json(answer.to_json())
        return
    _print_status(out, f"{answer.name} ({answer.program})", answer)


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
@observer_options(as_of=None)
@store_option
@json_option
def timeline(
    actors: tuple[str, ...],
    start: str | None,
    end: str | None,
    kinds: tuple[str, ...],
    observer: Observer,
    store: str | None,
    as_json: bool,
) -> None:
    """Facts in valid-time order: all of them, an actor's (A), or those between A and B."""
    if len(actors) > 2:
        raise UsageProblem("timeline takes at most two actors")
    out = Output(as_json)
    first, last = _span(start, end)
    with opened(store, must_exist=True) as app, domain_errors():
        found = app.questions.timeline(
            actors, start=first, end=last, kinds=[FactKind(kind) for kind in kinds], observer=observer
        )
    if as_json:
        out.json(found.to_json())
        return
    counted = _plural(len(found.facts), "fact")
    of = " of " + " and ".join(actors) if actors else ""
    _fact_table(out, f"Timeline{of}{_filters(found.observer)} ({counted})", found.facts)


@overload
def _span(start: str, end: str | None, *, until: date) -> tuple[date, date]: ...
@overload
def _span(start: str | None, end: str | None) -> tuple[date | None, date | None]: ...
def _span(start: str | None, end: str | None, *, until: date | None = None) -> tuple[date | None, date | None]:
    """The first day of ``--from`` and the last of ``--to`` (``until`` when it is not given), in order."""
    first = None if start is None else _day(start, "--from", first=True)
    last = until if end is None else _day(end, "--to")
    if first is not None and last is not None and first > last:
        raise UsageProblem(f"--from {start} is after --to {end or last.isoformat()}: the span would be empty")
    return first, last


@main.command()
@click.argument("fact_id")
@observer_options(as_of=None, known_at=False)
@store_option
@json_option
def provenance(fact_id: str, observer: Observer, store: str | None, as_json: bool) -> None:
    """Where a fact comes from: source, version, offsets, the quote (re-checked), notes and history.

    FACT_ID may be shortened to its first hex digits. With --recorded-before, the fact and its history as
    this store had them then.
    """
    out = Output(as_json)
    with opened(store, must_exist=True) as app, domain_errors():
        try:
            answer = app.questions.provenance(app.questions.find_fact(fact_id), observer=observer)
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
    with opened(store, must_exist=True) as app, domain_errors():
        found = app.questions.sources()
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
    with opened(store, must_exist=True) as app, domain_errors():
        found = app.questions.actors(query)
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
@observer_options(as_of=None)
@store_option
def export(fmt: str, output: Path | None, include_retracted: bool, observer: Observer, store: str | None) -> None:
    """Export every fact with its source and quote (as known from sources published by --known-at, as
    this store had them before --recorded-before)."""
    with opened(store, must_exist=True) as app, domain_errors():
        facts = list(app.questions.facts(include_retracted=include_retracted, observer=observer))
        sources = {source.document: source for source in app.questions.sources()}
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
    with opened(store, must_exist=True) as app, domain_errors(), _progress(out, "replaying") as progress:
        statuses = app.replay(names, from_scratch=from_scratch, progress=progress)
    _print_projections(out, statuses)


@main.command()
@store_option
@json_option
def projections(store: str | None, as_json: bool) -> None:
    """Each projection with its position in the log and the head of the log."""
    out = Output(as_json)
    with opened(store, must_exist=True) as app, domain_errors():
        statuses = app.questions.projection_status()
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
@click.option(
    "--keep-tables",
    is_flag=True,
    help="For a projection whose class no longer loads: remove only its registration (its tables stay).",
)
@store_option
@json_option
def unregister(name: str, keep_tables: bool, store: str | None, as_json: bool) -> None:
    """Remove a projection you wrote: its registration and its tables.

    The log is untouched: 'paradip replay module:Class' builds it again (a kept table, which a rebuild
    does not recreate, is gone with it). Built-in projections stay.
    """
    out = Output(as_json)
    with opened(store, must_exist=True) as app, domain_errors():
        dropped = app.unregister(name, keep_tables=keep_tables)
    if as_json:
        out.json({"projection": name, "class_loaded": dropped is not None, "dropped": dropped or []})
    elif dropped is None:
        out.line(f"Removed the registration of {name}; its class no longer loads, so its tables were not dropped.")
    else:
        out.line(f"Removed projection {name} and its tables: {', '.join(dropped) or 'none'}.")


@main.command()
@click.argument("name")
@click.option("--table", help="Which of the projection's tables (its first by default).")
@store_option
@json_option
def view(name: str, table: str | None, store: str | None, as_json: bool) -> None:
    """The rows of a projection's table, for projections you wrote yourself."""
    out = Output(as_json)
    with opened(store, must_exist=True) as app, domain_errors():
        table_name, columns, rows = app.questions.view_rows(name, table)
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
    projections are taken over by another within seconds. On SQLite, one process polls. A projection
    that fails is said once and set aside (PostgreSQL) or tried again at each poll (SQLite) while the
    others keep up.
    """
    deadline = None if duration is None else datetime.now(UTC).timestamp() + duration
    stopping = {"now": False}

    def stop_now(_signal: int, _frame: Any) -> None:
        stopping["now"] = True

    signal.signal(signal.SIGTERM, stop_now)
    with opened(store, must_exist=True) as app, domain_errors():
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
@store_option
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on (this machine only by default)."
)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
def serve(store: str | None, host: str, port: int) -> None:
    """Serve a read-only web page of the ties through time, and the JSON answers under /api/."""
    import uvicorn  # noqa: PLC0415  (only this command needs the web stack)

    from web.app import create_app  # noqa: PLC0415

    with opened(store) as app, domain_errors():
        app.catch_up()
        click.echo(f"serving http://{host}:{port}/ (read-only); Ctrl-C to stop", err=True)
        uvicorn.run(create_app(app, today=lambda: _now().date()), host=host, port=port, log_level="warning")


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
    first, last = _span(start, end, until=_now().date())
    from presentation.charts import draw_relationships  # noqa: PLC0415

    with opened(store, must_exist=True) as app, domain_errors():
        histories = app.questions.relationship_histories(actor, start=first, end=last)
        focus = app.questions.resolve_actor(actor) if actor else None
        title_actor = app.questions.actors(actor)[0].name if actor else "All actors"
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
    with opened(store, must_exist=True) as app, domain_errors():
        fact = app.questions.find_fact(fact_id)
        replacement = app.questions.find_fact(superseded_by) if superseded_by else None
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

    with opened(store, must_exist=True) as app, domain_errors():
        fact_uuid = app.questions.find_fact(fact_id)
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
            parties=tuple(app.questions.resolve_actor(party) for party in parties) if parties else current.parties,
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
    with opened(store, must_exist=True) as app, domain_errors():
        facts = [app.questions.find_fact(fact) for fact in fact_ids]
        preferred = app.questions.find_fact(prefer)
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
            (
                fact.date,
                describe(fact) + (f" — via {', '.join(fact.via)}" if fact.via else ""),
                ", ".join(fact.parties),
                fact.source.document,
                str(fact.fact_id)[:8],
            )
            for fact in facts
        ],
    )


if __name__ == "__main__":
    main()
