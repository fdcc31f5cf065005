"""The command line's JSON contract over HTTP (see the README), and the network on a date."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response

from web.params import (
    BadRequest,
    fact_kinds,
    flag,
    many,
    optional_day,
    optional_moment,
    parse_day,
    parse_first_day,
    required,
)
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
        as_of = parse_day(required(params, "as_of"), "as_of")
        with self.site.reading() as app:
            answer = app.relationship_state(
                a,
                b,
                as_of=as_of,
                known_at=optional_day(params, "known_at"),
                recorded_before=optional_moment(params, "recorded_before"),
            )
        return JSONAnswer(answer.to_json())

    def partners(self, request: Request) -> Response:
        params = request.query_params
        actor = required(params, "actor")
        as_of = parse_day(required(params, "as_of"), "as_of")
        with self.site.reading() as app:
            answer = app.partners(
                actor,
                as_of=as_of,
                known_at=optional_day(params, "known_at"),
                recorded_before=optional_moment(params, "recorded_before"),
                include_contacts=flag(params, "all"),
                include_bodies=flag(params, "bodies"),
                include_within=flag(params, "within"),
            )
        return JSONAnswer(answer.to_json())

    def program(self, request: Request) -> Response:
        params = request.query_params
        program = required(params, "program")
        as_of = parse_day(required(params, "as_of"), "as_of")
        with self.site.reading() as app:
            answer = app.program_state(
                program,
                as_of=as_of,
                known_at=optional_day(params, "known_at"),
                recorded_before=optional_moment(params, "recorded_before"),
            )
        return JSONAnswer(answer.to_json())

    def timeline(self, request: Request) -> Response:
        params = request.query_params
        actors = many(params, "actor")
        if len(actors) > 2:
            msg = "actor: a timeline takes at most two actors"
            raise BadRequest(msg)
        start = params.get("from", "").strip()
        end = params.get("to", "").strip()
        with self.site.reading() as app:
            facts = app.timeline(
                actors,
                start=parse_first_day(start, "from") if start else None,
                end=parse_day(end, "to") if end else None,
                kinds=fact_kinds(many(params, "kind")),
                known_at=optional_day(params, "known_at"),
                recorded_before=optional_moment(params, "recorded_before"),
            )
        return JSONAnswer({"events": [fact.to_json() for fact in facts]})

    def provenance(self, request: Request) -> Response:
        fact = required(request.query_params, "fact")
        with self.site.reading() as app:
            answer = app.provenance(app.find_fact(fact))
        return JSONAnswer(answer.to_json())

    def actors(self, request: Request) -> Response:
        query = request.query_params.get("q", "").strip() or None
        with self.site.reading() as app:
            found = app.actors(query)
        return JSONAnswer([actor.to_json() for actor in found])

    def sources(self, request: Request) -> Response:
        with self.site.reading() as app:
            found = app.sources()
        return JSONAnswer([source.to_json() for source in found])

    def projections(self, request: Request) -> Response:
        with self.site.reading() as app:
            found = app.projection_status()
        return JSONAnswer([status.to_json() for status in found])

    def network(self, request: Request) -> Response:
        """Every pair's status on a date (``as_of``), narrowed by ``country``, ``actor`` and ``kind`` if given."""
        params = request.query_params
        as_of = parse_day(required(params, "as_of"), "as_of")
        ties = TieFilter.from_params(params, self.site)
        history = self.site.ties(
            known_at=optional_day(params, "known_at"), recorded_before=optional_moment(params, "recorded_before")
        )
        answer = history.on(as_of)
        return JSONAnswer(ties.network(answer).to_json())
