"""What the drafter reads of the kinds registry and the levels of actors: a new kind is known to it there."""

from __future__ import annotations

from domain.kinds import KINDS, PROGRAM_LEVELS
from domain.vocabulary import BODIES, GOVERNMENTS, LOCAL_GOVERNMENTS
from events.values import ActorLevel

PLACE_LEVELS = LOCAL_GOVERNMENTS
STANDING_BODIES = BODIES | {ActorLevel.ORGANIZATION}
STATED_ONCE = frozenset(kind for kind, entry in KINDS.items() if not entry.repeats)
BETWEEN_A_PAIR = frozenset(kind for kind, entry in KINDS.items() if entry.parties.pair)
PAUSES = frozenset(kind for kind, entry in KINDS.items() if entry.pauses)
BEGINNINGS = frozenset(kind for kind, entry in KINDS.items() if entry.begins)
FOUNDED_LEVELS = frozenset(ActorLevel) - GOVERNMENTS - PROGRAM_LEVELS
