"""The HTML pages: ties (home), actors, pairs, facts, programmes, sources and search."""

from __future__ import annotations

from datetime import date

import attrs
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from application.app import Paradip
from domain.errors import AmbiguousActor, UnknownActor, UnknownFact, UnknownSource
from domain.observer import Observer
from domain.vocabulary import BODIES
from projections.answers import ActorSummary, Conflict, Partner, Partners
from web.params import TIE_KINDS, BadRequest, flag, observer_of, one
from web.site import Site, actor_path, is_body, is_program, link, segment
from web.ties import TieFilter, TiesPage, sorted_edges

HISTORY_START = date(1990, 1, 1)
SUGGESTIONS = 12


class Pages:
    """The page handlers, each a read of the application rendered by a template."""

    def __init__(self, site: Site) -> None:
        self.site = site

    def ties(self, request: Request) -> Response:
        site = self.site
        observer = observer_of(request.query_params, site.today())
        ties = TieFilter.from_params(request.query_params, site)
        history = site.ties(observer)
        view = TiesPage.build(history, ties, observer.day)
        query = {**observer.given(), **ties.query()}
        query.pop("as_of")
        names = {node.code: node.name for node in history.nodes}
        return site.page(
            request,
            "ties.html",
            observer=observer,
            ties=ties,
            kinds=TIE_KINDS,
            view=view,
            countries=sorted({node.country for node in history.nodes}),
            edges=sorted_edges(view.network.edges, names),
            names=names,
            bodies={node.code for node in history.nodes if node.level in BODIES},
            data=view.data(as_of=observer.day, today=site.today(), kinds=ties.kinds, query=query),
            query=query,
        )

    def ties_fragment(self, request: Request) -> Response:
        """The list of ties on a date, swapped into the ties page by htmx as the date moves."""
        site = self.site
        observer = observer_of(request.query_params, site.today())
        ties = TieFilter.from_params(request.query_params, site)
        history = site.ties(observer)
        network = ties.network(history.on(observer.day))
        names = {node.code: node.name for node in history.nodes}
        return site.page(
            request,
            "_ties_on_date.html",
            observer=observer,
            edges=sorted_edges(network.edges, names),
            names=names,
            bodies={node.code for node in history.nodes if node.level in BODIES},
        )

    def actor(self, request: Request) -> Response:
        site = self.site
        name = request.path_params["code"]
        actor = site.actor(name)
        if is_program(actor):
            return RedirectResponse(link(f"/programs/{segment(actor.code)}", request.query_params), status_code=307)
        if name != actor.code:
            return RedirectResponse(link(f"/actors/{segment(actor.code)}", request.query_params), status_code=307)
        observer = observer_of(request.query_params, site.today())
        every = flag(request.query_params, "all")
        actors = site.actors()
        bodies = [body for body in actors.values() if body.parent == actor.key and is_body(body)]
        parent = actors.get(actor.parent or "")
        with site.reading() as app:

            def partners_of(code: str, *, within: bool = False) -> Partners:
                return app.questions.partners(
                    code, observer=observer, include_contacts=not within, include_within=within
                )

            partners = partners_of(actor.code)
            body_partners = [(body, partners_of(body.code).partners) for body in bodies]
            within = partners_of(actor.code, within=True)
            conflicts = _conflicts(app, actor.code, partners.partners, observer)
            facts = app.questions.timeline(
                [actor.code], end=None if every else observer.day, observer=attrs.evolve(observer, as_of=None)
            ).facts
        return site.page(
            request,
            "actor.html",
            actor=actor,
            parent=parent,
            observer=observer,
            partners=partners.partners,
            body_partners=[(body, found) for body, found in body_partners if found],
            place_partners=[partner for partner in within.partners if partner.via is not None],
            conflicts=conflicts,
            facts=facts,
            every=every,
            actors=site.by_code(),
        )

    def pair(self, request: Request) -> Response:
        site = self.site
        first, second = site.actor(request.path_params["a"]), site.actor(request.path_params["b"])
        if first.key == second.key:
            msg = f"a pair needs two actors; {request.path_params['a']!r} and {request.path_params['b']!r} are one"
            raise BadRequest(msg)
        if (request.path_params["a"], request.path_params["b"]) != (first.code, second.code):
            path = f"/pairs/{segment(first.code)}/{segment(second.code)}"
            return RedirectResponse(link(path, request.query_params), status_code=307)
        observer = observer_of(request.query_params, site.today())
        with site.reading() as app:
            state = app.questions.relationship_state(first.code, second.code, observer=observer, include_bodies=True)
            history = app.questions.relationship_history(
                first.code,
                second.code,
                start=min(HISTORY_START, observer.day),
                end=max(observer.day, site.today()),
                observer=observer,
            )
        return site.page(
            request,
            "pair.html",
            first=first,
            second=second,
            observer=observer,
            state=state,
            periods=[period for period in history.periods if str(period.status) != "none"],
            actors=site.by_code(),
        )

    def fact(self, request: Request) -> Response:
        site = self.site
        given = request.path_params["fact"]
        with site.reading() as app:
            fact_id = app.questions.find_fact(given)
            if given != str(fact_id):
                return RedirectResponse(f"/facts/{fact_id}", status_code=307)
            provenance = app.questions.provenance(fact_id)
            source = provenance.fact.source
            summary = next((found for found in app.questions.sources() if found.document == source.document), None)
            try:
                stored = app.source(source.document)
                text: str | None = stored.text_of(source.sha256)
                version = next(
                    (index for index, held in enumerate(stored.versions, 1) if held.sha256 == source.sha256), None
                )
            except UnknownSource:
                text, version = None, None
        parts = None
        if provenance.verified and text is not None:
            parts = (text[: source.start], text[source.start : source.end], text[source.end :])
        return site.page(
            request,
            "fact.html",
            provenance=provenance,
            fact=provenance.fact,
            source=source,
            summary=summary,
            text=text,
            parts=parts,
            version=version,
            actors=site.by_code(),
        )

    def program(self, request: Request) -> Response:
        site = self.site
        name = request.path_params["code"]
        program = site.actor(name)
        if not is_program(program):
            return RedirectResponse(link(f"/actors/{segment(program.code)}", request.query_params), status_code=307)
        if name != program.code:
            return RedirectResponse(link(f"/programs/{segment(program.code)}", request.query_params), status_code=307)
        observer = observer_of(request.query_params, site.today())
        with site.reading() as app:
            state = app.questions.program_state(program.code, observer=observer)
        return site.page(
            request, "program.html", program=program, state=state, observer=observer, actors=site.by_code()
        )

    def programs(self, request: Request) -> Response:
        found = sorted((actor for actor in self.site.actors().values() if is_program(actor)), key=lambda a: a.name)
        return self.site.page(request, "programs.html", programs=found)

    def sources(self, request: Request) -> Response:
        with self.site.reading() as app:
            found = app.questions.sources()
        return self.site.page(request, "sources.html", sources=found)

    def actors(self, request: Request) -> Response:
        query = one(request.query_params, "q")
        with self.site.reading() as app:
            found = app.questions.actors(query)
        return self.site.page(request, "actors.html", query=query, found=found)

    def search(self, request: Request) -> Response:
        """One box for everything: a fact id goes to its fact, a name to its actor, else the actors that match."""
        query = one(request.query_params, "q")
        if query is None:
            return RedirectResponse("/actors", status_code=303)
        with self.site.reading() as app:
            if len(query) >= 4 and all(char in "0123456789abcdef-" for char in query.lower()):
                try:
                    return RedirectResponse(f"/facts/{app.questions.find_fact(query)}", status_code=303)
                except UnknownFact:
                    pass
            try:
                key = app.questions.resolve_actor(query)
            except (UnknownActor, AmbiguousActor):
                key = None
            found = app.questions.actors(query)
        if key is not None:
            actor = next((a for a in self.site.actors().values() if a.key == key), None)
            if actor is not None:
                return RedirectResponse(actor_path(actor), status_code=303)
        if len(found) == 1:
            return RedirectResponse(actor_path(found[0]), status_code=303)
        return self.site.page(request, "actors.html", query=query, found=found)

    def suggestions(self, request: Request) -> Response:
        """Actors whose names (in any language) or codes hold what was typed, for the search box."""
        query = one(request.query_params, "q")
        found: list[ActorSummary] = []
        if query is not None:
            with self.site.reading() as app:
                found = app.questions.actors(query)
        return self.site.page(request, "_suggestions.html", found=found[:SUGGESTIONS], more=len(found) > SUGGESTIONS)


def _conflicts(
    app: Paradip, actor: str, partners: tuple[Partner, ...], observer: Observer
) -> list[tuple[str, Conflict]]:
    found: list[tuple[str, Conflict]] = []
    for partner in partners:
        state = app.questions.relationship_state(actor, partner.party, observer=observer)
        found.extend((partner.party, conflict) for conflict in state.conflicts)
    return found
