"""What every route shares: the application, one lock around it, the clock of the edge, templates and links."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.templating import Jinja2Templates

from application.app import Paradip
from domain.errors import UnknownActor
from domain.kinds import PROGRAM_LEVELS
from domain.observer import UNBOUNDED, Observer
from domain.vocabulary import BODIES
from presentation.describe import describe, period_in_words, since_in_words
from presentation.palette import STATUS_COLOURS
from projections.answers import ActorSummary
from projections.questions.network import TiesOverTime

HERE = Path(__file__).resolve().parent
log = logging.getLogger("paradip.web")
COLOURS = {str(status): colour for status, colour in STATUS_COLOURS.items()}
STATUS_RANK = {status: rank for rank, status in enumerate(STATUS_COLOURS)}


def link(path: str, params: Mapping[str, Any] | None = None, **more: Any) -> str:
    """A local URL with its query string; None and empty values are left out, lists repeat the name."""
    merged = {**(params or {}), **more}
    pairs: list[tuple[str, str]] = []
    for name, value in merged.items():
        if value is None or value in ("", (), []):
            continue
        values = value if isinstance(value, list | tuple) else [value]
        pairs.extend((name, str(item)) for item in values)
    return f"{path}?{urlencode(pairs)}" if pairs else path


def segment(value: str) -> str:
    """One path segment of a URL (an actor code such as ``cn:shenyang``)."""
    return quote(value, safe=":")


class Site:
    """The application behind the pages, read under one lock, with the names of its actors at hand."""

    def __init__(self, app: Paradip, today: Callable[[], date]) -> None:
        self.app = app
        self.today = today
        self._lock = threading.RLock()
        environment = jinja2.Environment(
            loader=jinja2.FileSystemLoader(HERE / "templates"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        environment.globals.update(
            link=link,
            segment=segment,
            describe=describe,
            period_in_words=period_in_words,
            since_in_words=since_in_words,
            colours=COLOURS,
            is_body=is_body,
            is_program=is_program,
            actor_path=actor_path,
        )
        self.templates = Jinja2Templates(env=environment)

    @contextmanager
    def reading(self) -> Iterator[Paradip]:
        """The application, for one request's questions (they run one at a time)."""
        with self._lock:
            yield self.app

    def page(self, request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        """A page rendered from a template (every value escaped by the template engine)."""
        return self.templates.TemplateResponse(
            request, template, {"today": self.today(), **context}, status_code=status_code
        )

    def ties(self, observer: Observer) -> TiesOverTime:
        """Every pair's status over valid time, for this observer (the network on any date is a lookup in it)."""
        with self.reading() as app:
            return app.questions.ties_over_time(observer=observer)

    def warm(self) -> None:
        """Fold every pair's periods for the default observer, so that the first page need not wait for it."""
        try:
            self.ties(UNBOUNDED)
        except Exception:
            log.warning("could not prepare the network at start-up; the first page will", exc_info=True)

    def actors(self) -> dict[str, ActorSummary]:
        """Every actor by its key."""
        with self.reading() as app:
            return {actor.key: actor for actor in app.questions.actors()}

    def actor(self, name: str) -> ActorSummary:
        """The actor with this code or name (English, Korean or Chinese)."""
        with self.reading() as app:
            key = app.questions.resolve_actor(name)
        found = self.actors().get(key)
        if found is None:
            raise UnknownActor(name)
        return found

    def by_code(self) -> dict[str, ActorSummary]:
        """Every actor by its current code."""
        return {actor.code: actor for actor in self.actors().values()}


def is_body(actor: ActorSummary | None) -> bool:
    """Whether an actor is a legislature or a government body (not a government itself)."""
    return actor is not None and actor.level in BODIES


def is_program(actor: ActorSummary | None) -> bool:
    """Whether an actor is a programme or a conference series (shown on a programme's page)."""
    return actor is not None and actor.level in PROGRAM_LEVELS


def actor_path(actor: ActorSummary) -> str:
    """The page of an actor: a programme's page, or an actor's."""
    kind = "programs" if is_program(actor) else "actors"
    return f"/{kind}/{segment(actor.code)}"
