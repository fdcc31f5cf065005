"""The closed vocabularies of answers and ties: statuses, certainty, the levels of a tie and who may hold them."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping

import attrs

from events.values import ActorLevel


class RelationshipStatus(enum.StrEnum):
    """Where a relationship between two actors stands."""

    UNKNOWN = "unknown"
    NONE = "none"
    CONTACT = "contact"
    COOPERATION = "cooperation"
    FRIENDSHIP = "friendship"
    SISTERHOOD = "sisterhood"
    DIPLOMATIC = "diplomatic"
    SUSPENDED = "suspended"
    ENDED = "ended"


class ProgramStatus(enum.StrEnum):
    """Where a programme or conference series stands."""

    UNKNOWN = "unknown"
    NOT_STARTED = "not_started"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    ENDED = "ended"


class Certainty(enum.StrEnum):
    """Whether an answer holds for sure, or only if an imprecise date falls one way."""

    DEFINITE = "definite"
    POSSIBLE = "possible"


FORMAL_TIES = frozenset(
    {
        RelationshipStatus.FRIENDSHIP,
        RelationshipStatus.SISTERHOOD,
        RelationshipStatus.DIPLOMATIC,
        RelationshipStatus.SUSPENDED,
    }
)


GOVERNMENTS = frozenset(
    {
        ActorLevel.COUNTRY,
        ActorLevel.PROVINCE,
        ActorLevel.MUNICIPALITY,
        ActorLevel.CITY,
        ActorLevel.COUNTY,
        ActorLevel.DISTRICT,
    }
)
LOCAL_GOVERNMENTS = GOVERNMENTS - {ActorLevel.COUNTRY}
BODIES = frozenset({ActorLevel.LEGISLATURE, ActorLevel.GOVERNMENT_BODY})
TIE_KEEPERS = GOVERNMENTS | BODIES


@attrs.frozen(kw_only=True)
class Level:
    """A level of tie (the ``level`` attribute): the status it gives and who may hold it."""

    name: str
    status: RelationshipStatus
    holders: frozenset[ActorLevel]
    meaning: str
    every_party: bool = True

    def allows(self, levels: Iterable[ActorLevel]) -> bool:
        """Whether parties at these levels may hold a tie at this level (all of them, or one unless ``every_party``)."""
        held = [level in self.holders for level in levels]
        return all(held) if self.every_party else any(held)


def _levels(levels: Iterable[Level]) -> dict[str, Level]:
    return {level.name: level for level in levels}


LEVELS: Mapping[str, Level] = _levels(
    (
        Level(
            name="sisterhood",
            status=RelationshipStatus.SISTERHOOD,
            holders=LOCAL_GOVERNMENTS,
            meaning="sister cities or provinces (자매결연, 友好城市), usually approved by the local council",
        ),
        Level(
            name="sister_city",
            status=RelationshipStatus.SISTERHOOD,
            holders=LOCAL_GOVERNMENTS,
            meaning="a sisterhood between cities",
        ),
        Level(
            name="sister_province",
            status=RelationshipStatus.SISTERHOOD,
            holders=LOCAL_GOVERNMENTS,
            meaning="a sisterhood between provinces",
        ),
        Level(
            name="friendship",
            status=RelationshipStatus.FRIENDSHIP,
            holders=LOCAL_GOVERNMENTS,
            meaning="friendship or friendly exchange (우호교류, 友好交流)",
        ),
        Level(
            name="friendly_cooperation",
            status=RelationshipStatus.FRIENDSHIP,
            holders=LOCAL_GOVERNMENTS,
            meaning="friendly cooperation (우호협력, 友好合作)",
        ),
        Level(
            name="friendly_exchange",
            status=RelationshipStatus.FRIENDSHIP,
            holders=LOCAL_GOVERNMENTS,
            meaning="a friendly-exchange relationship (우호교류도시, 友好交流城市)",
        ),
        Level(
            name="parliamentary_friendship",
            status=RelationshipStatus.FRIENDSHIP,
            holders=frozenset({ActorLevel.LEGISLATURE}),
            meaning="a friendship of a legislature (a provincial assembly, a people's congress) with a counterpart",
            every_party=False,
        ),
        Level(
            name="diplomatic",
            status=RelationshipStatus.DIPLOMATIC,
            holders=frozenset({ActorLevel.COUNTRY}),
            meaning="diplomatic relations between states",
        ),
    )
)


def tie_status(level: str | None) -> RelationshipStatus:
    """The status a tie at ``level`` gives; a level outside the vocabulary (older stores) counts as friendship."""
    found = LEVELS.get(level or "")
    return found.status if found else RelationshipStatus.FRIENDSHIP
