"""The command line's JSON contract over HTTP (see the README), and the network on a date."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response

from domain.observer import Observer, read_day, read_first_day
from web.params import BadRequest, fact_kinds, flag, many, observer_of, one, required
from web.site import Site
from web.ties import TieFilter


class JSONAnswer(Response):
    """A JSON body encoded as the command line's ``--json`` encodes it."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


class Api:
    """The JSON routes: the same questions and shapes as ``paradip COMMAND --json``."""

    def __init__(self, site: Site) -> None:
        self.site = site

    def state(self, request: Request) -> Response:
        params = request.query_params
        a, b = required(params, "a"), required(params, "b")
        observer = self._observer(request)
        with self.site.reading() as app:
            answer = app.questions.relationship_state(a, b, observer=observer)
        return JSONAnswer(answer.to_json())

    def partners(self, request: Request) -> Response:
        params = request.query_params
        actor = required(params, "actor")
        observer = self._observer(request)
        with self.site.reading() as app:
            answer = app.questions.partners(
                actor,
                observer=observer,
                include_contacts=flag(params, "all"),
                include_bodies=flag(params, "bodies"),
                include_within=flag(params, "within"),
            )
        return JSONAnswer(answer.to_json())

    def program(self, request: Request) -> Response:
        program = required(request.query_params, "program")
        observer = self._observer(request)
        with self.site.reading() as app:
            answer = app.questions.program_state(program, observer=observer)
        return JSONAnswer(answer.to_json())

    def timeline(self, request: Request) -> Response:
        params = request.query_params
        actors = many(params, "actor")
        if len(actors) > 2:
            msg = "actor: a timeline takes at most two actors"
            raise BadRequest(msg)
        start, end, today = one(params, "from"), one(params, "to"), self.site.today()
        observer = observer_of(params, today, as_of=None)
        with self.site.reading() as app:
            answer = app.questions.timeline(
                actors,
                start=None if start is None else read_first_day(start, "from", today=today),
                end=None if end is None else read_day(end, "to", today=today),
                kinds=fact_kinds(many(params, "kind")),
                observer=observer,
            )
        return JSONAnswer(answer.to_json())

    def provenance(self, request: Request) -> Response:
        fact = required(request.query_params, "fact")
        with self.site.reading() as app:
            answer = app.questions.provenance(app.questions.find_fact(fact))
        return JSONAnswer(answer.to_json())

    def actors(self, request: Request) -> Response:
        query = request.query_params.get("q", "").strip() or None
        with self.site.reading() as app:
            found = app.questions.actors(query)
        return JSONAnswer([actor.to_json() for actor in found])

    def sources(self, request: Request) -> Response:
        with self.site.reading() as app:
            found = app.questions.sources()
        return JSONAnswer([source.to_json() for source in found])

    def projections(self, request: Request) -> Response:
        with self.site.reading() as app:
            found = app.questions.projection_status()
        return JSONAnswer([status.to_json() for status in found])

    def network(self, request: Request) -> Response:
        """Every pair's status on a date (``as_of``), narrowed by ``country``, ``actor`` and ``kind`` if given."""
        observer = self._observer(request)
        ties = TieFilter.from_params(request.query_params, self.site)
        answer = self.site.ties(observer).on(observer.day)
        return JSONAnswer(ties.network(answer).to_json())

    def _observer(self, request: Request) -> Observer:
        """The observer of a question on a day: ``as_of`` is required here, as ``--as-of`` is."""
        return observer_of(request.query_params, self.site.today(), as_of="required")
