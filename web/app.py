"""``paradip serve``: a read-only web page over the application, and the JSON contract under /api.

Starlette rather than FastAPI: the answers already carry their JSON form (``to_json``), so
FastAPI's pydantic models would restate every shape a third time; the pages are templates and
a few query parameters, which Starlette's request object reads as well.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from application.app import Paradip
from domain.errors import AmbiguousActor, ParadipError, UnknownActor, UnknownFact, UnknownSource
from events.values import InvalidValue
from projections.registry import ProjectionError
from web.api import Api, JSONAnswer
from web.pages import Pages
from web.params import BadRequest
from web.site import HERE, Site

log = logging.getLogger("paradip.web")
SECURITY_HEADERS = (
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        b"connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
)


def _today() -> date:
    return datetime.now(UTC).date()


def create_app(app: Paradip, *, today: Callable[[], date] = _today) -> Starlette:
    """The web app over an opened application; ``today`` is the date a page shows when none is asked for."""
    site = Site(app, today)
    pages, api = Pages(site), Api(site)
    get = ["GET"]
    routes = [
        Route("/", pages.ties, methods=get),
        Route("/fragments/ties", pages.ties_fragment, methods=get),
        Route("/fragments/actors", pages.suggestions, methods=get),
        Route("/search", pages.search, methods=get),
        Route("/actors", pages.actors, methods=get),
        Route("/actors/{code}", pages.actor, methods=get),
        Route("/pairs/{a}/{b}", pages.pair, methods=get),
        Route("/facts/{fact}", pages.fact, methods=get),
        Route("/programs", pages.programs, methods=get),
        Route("/programs/{code}", pages.program, methods=get),
        Route("/sources", pages.sources, methods=get),
        Route("/api/state", api.state, methods=get),
        Route("/api/partners", api.partners, methods=get),
        Route("/api/program", api.program, methods=get),
        Route("/api/timeline", api.timeline, methods=get),
        Route("/api/provenance", api.provenance, methods=get),
        Route("/api/actors", api.actors, methods=get),
        Route("/api/sources", api.sources, methods=get),
        Route("/api/projections", api.projections, methods=get),
        Route("/api/network", api.network, methods=get),
        Mount("/static", app=StaticFiles(directory=HERE / "static"), name="static"),
    ]

    def problem(request: Request, status: int, message: str) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONAnswer({"error": message, "status": status}, status_code=status)
        return site.page(request, "error.html", status_code=status, status=status, message=message)

    def refused(request: Request, error: Exception) -> Response:
        if isinstance(error, UnknownActor | UnknownFact | UnknownSource):
            return problem(request, 404, str(error))
        if isinstance(error, BadRequest | AmbiguousActor | InvalidValue | ParadipError):
            return problem(request, 400, str(error))
        if isinstance(error, ProjectionError):
            return problem(request, 503, str(error))
        log.exception("internal error on %s", request.url.path)
        return problem(request, 500, "internal error: the server could not answer (its log has the details)")

    async def http_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, HTTPException)
        messages = {404: f"no page at {request.url.path}", 405: f"{request.method} is not allowed here: read only"}
        return problem(request, error.status_code, messages.get(error.status_code, str(error.detail)))

    async def any_error(request: Request, error: Exception) -> Response:
        return refused(request, error)

    handlers: dict[Any, Any] = {HTTPException: http_error, Exception: any_error}
    for kind in (BadRequest, ParadipError, InvalidValue, ProjectionError):
        handlers[kind] = any_error

    @asynccontextmanager
    async def lifespan(_web: Starlette) -> AsyncIterator[None]:
        threading.Thread(target=site.warm, name="paradip-warm", daemon=True).start()
        yield

    web = Starlette(
        routes=routes, exception_handlers=handlers, middleware=[Middleware(SecurityHeaders)], lifespan=lifespan
    )
    web.state.site = site
    return web


class SecurityHeaders:
    """Adds a content security policy (nothing but this server's own files) and related headers."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, with_headers)
