"""The ties page's model: which pairs the filters keep, the network on the date, the timeline's rows, the layout."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any

import attrs
from starlette.datastructures import QueryParams

from domain.vocabulary import BODIES, Certainty, RelationshipStatus
from events.values import ActorLevel
from projections.questions.network import Network, NetworkEdge, NetworkNode, PairHistory, TiesOverTime
from web.params import TIE_KINDS, many, tie_kinds
from web.site import COLOURS, STATUS_RANK, Site, link, segment

TIMELINE_PAIRS = 150
FIRST_YEAR = 1990
EARLIEST = date(1900, 1, 1)
COLUMN_GAP = 520
ROW_GAP = 58
CHILD_INDENT = 60
_LEVEL_ORDER = {
    str(ActorLevel.COUNTRY): 0,
    str(ActorLevel.PROVINCE): 1,
    str(ActorLevel.MUNICIPALITY): 1,
    **{str(level): 2 for level in BODIES},
}


@attrs.frozen(kw_only=True)
class TieFilter:
    """Which pairs to show: of actors in these countries, involving these actors, at these kinds of tie."""

    countries: tuple[str, ...]
    actors: tuple[str, ...]
    actor_names: tuple[str, ...]
    kinds: tuple[RelationshipStatus, ...]

    @classmethod
    def from_params(cls, params: QueryParams, site: Site) -> TieFilter:
        names = many(params, "actor")
        return cls(
            countries=tuple(country.upper() for country in many(params, "country")),
            actors=tuple(site.actor(name).code for name in names),
            actor_names=names,
            kinds=tie_kinds(many(params, "kind")),
        )

    def query(self) -> dict[str, Any]:
        """The filter as URL parameters (the names as typed, so a link reads as it was asked)."""
        return {
            "country": list(self.countries),
            "actor": list(self.actor_names),
            "kind": [] if self.kinds == TIE_KINDS else [str(kind) for kind in self.kinds],
        }

    def wants_pair(self, a: NetworkNode, b: NetworkNode) -> bool:
        """Whether a pair of actors passes the country and actor filters."""
        if self.countries and a.country not in self.countries and b.country not in self.countries:
            return False
        return not self.actors or a.code in self.actors or b.code in self.actors

    def network(self, network: Network) -> Network:
        """The network with only the pairs and kinds of tie asked for and their actors; unchanged without filters."""
        if not self.countries and not self.actors and set(self.kinds) == set(TIE_KINDS):
            return network
        nodes = {node.code: node for node in network.nodes}
        pairs = _wanted_pairs(self, nodes, ((edge.a, edge.b) for edge in network.edges))
        kinds = set(self.kinds)
        edges = tuple(edge for edge in network.edges if (edge.a, edge.b) in pairs and edge.status in kinds)
        codes = {code for edge in edges for code in (edge.a, edge.b)}
        return attrs.evolve(network, nodes=tuple(node for node in network.nodes if node.code in codes), edges=edges)


def _wanted_pairs(
    ties: TieFilter, nodes: dict[str, NetworkNode], pairs: Iterable[tuple[str, str]]
) -> set[tuple[str, str]]:
    return {(a, b) for a, b in pairs if ties.wants_pair(nodes[a], nodes[b])}


@attrs.frozen(kw_only=True)
class TiesPage:
    """Everything the ties page shows on first load; later dates come from /api/network and /fragments/ties."""

    network: Network
    nodes: tuple[NetworkNode, ...]
    pairs: tuple[PairHistory, ...]
    hidden_pairs: int

    @classmethod
    def build(cls, history: TiesOverTime, ties: TieFilter, as_of: date) -> TiesPage:
        nodes = {node.code: node for node in history.nodes}
        kinds = set(ties.kinds)
        kept = [
            pair
            for pair in history.pairs
            if ties.wants_pair(nodes[pair.a], nodes[pair.b]) and any(p.status in kinds for p in pair.periods)
        ]
        kept.sort(key=lambda pair: (_first_known(pair, kinds), pair.a, pair.b))
        codes = {code for pair in kept for code in (pair.a, pair.b)}
        return cls(
            network=ties.network(history.on(as_of)),
            nodes=tuple(node for node in history.nodes if node.code in codes),
            pairs=tuple(kept[:TIMELINE_PAIRS]),
            hidden_pairs=max(0, len(kept) - TIMELINE_PAIRS),
        )

    def data(
        self, *, as_of: date, today: date, kinds: Sequence[RelationshipStatus], query: dict[str, Any]
    ) -> dict[str, Any]:
        """What the page's script needs, as JSON embedded in the page."""
        names = {node.code: node.name for node in self.nodes}
        shown = set(kinds)
        starts = [p.start for pair in self.pairs for p in pair.periods if p.status in shown and p.start >= EARLIEST]
        first = date(min([FIRST_YEAR, *(start.year for start in starts)]), 1, 1)
        last = max(today, as_of) + timedelta(days=366)
        return {
            "asOf": as_of.isoformat(),
            "min": first.isoformat(),
            "max": last.isoformat(),
            "networkUrl": link("/api/network", query),
            "fragmentUrl": link("/fragments/ties", query),
            "pageUrl": link("/", query),
            "colours": COLOURS,
            "nodes": layout(self.nodes),
            "edges": [edge.to_json() for edge in self.network.edges],
            "pairs": [
                {
                    "id": f"{pair.a}|{pair.b}",
                    "label": f"{names.get(pair.a, pair.a)} – {names.get(pair.b, pair.b)}",
                    "url": f"/pairs/{segment(pair.a)}/{segment(pair.b)}",
                    "periods": [
                        {
                            "start": max(period.start, first).isoformat(),
                            "end": (min(period.end, last) + timedelta(days=1)).isoformat(),
                            "status": str(period.status),
                            "certainty": str(period.certainty),
                            "since": period.since,
                        }
                        for period in pair.periods
                        if period.status in shown
                    ],
                }
                for pair in self.pairs
            ],
        }


def _first_known(pair: PairHistory, kinds: set[RelationshipStatus]) -> date:
    """The first day the pair is definitely at a kind of tie shown, else the first day it may be (for ordering)."""
    shown = [period for period in pair.periods if period.status in kinds]
    definite = [period.start for period in shown if period.certainty is Certainty.DEFINITE]
    return min(definite) if definite else min(period.start for period in shown)


def layout(nodes: Sequence[NetworkNode]) -> list[dict[str, Any]]:
    """Actors in one column per country (Korea first, then China, then others), each province followed by
    its cities and bodies, so that ties run across and the picture stays still while the date moves."""
    by_code = {node.code: node for node in nodes}
    countries = sorted({node.country for node in nodes}, key=lambda c: ({"KR": 0, "CN": 1}.get(c, 2), c))

    def anchor(node: NetworkNode) -> str:
        parent = by_code.get(node.parent or "")
        return parent.code if parent is not None and parent.level != "country" else node.code

    placed = []
    for column, country in enumerate(countries):
        members = sorted(
            (node for node in nodes if node.country == country),
            key=lambda node: (
                node.level != "country",
                by_code[anchor(node)].name,
                anchor(node) != node.code,
                _LEVEL_ORDER.get(node.level, 3),
                node.name,
            ),
        )
        for row, node in enumerate(members):
            child = anchor(node) != node.code
            side = -1 if column % 2 == 0 else 1
            placed.append(
                {
                    **node.to_json(),
                    "body": node.level in BODIES,
                    "x": column * COLUMN_GAP + (side * CHILD_INDENT if child else 0),
                    "y": row * ROW_GAP,
                    "url": f"/actors/{segment(node.code)}",
                }
            )
    return placed


def sorted_edges(edges: Sequence[NetworkEdge], names: dict[str, str]) -> list[NetworkEdge]:
    """Edges strongest tie first, then by the names of their actors."""
    return sorted(
        edges,
        key=lambda edge: (
            STATUS_RANK.get(edge.status, 99),
            edge.certainty is Certainty.POSSIBLE,
            names.get(edge.a, edge.a),
            names.get(edge.b, edge.b),
        ),
    )
