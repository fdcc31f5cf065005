"""What each kind of fact means, in one place: the registry that validation, the status folds, the
read models, the descriptions, charts and the corpus guide all read.

Adding a kind is one ``FactKind`` member and one ``KindSpec`` entry here, plus its tests.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping

import attrs

from domain.vocabulary import TIE_KEEPERS
from events.values import ActorLevel, FactKind


class Family(enum.StrEnum):
    """Which state machine a kind belongs to, if any."""

    RELATIONSHIP = "relationship"
    PROGRAMME = "programme"
    OTHER = "other"


class Move(enum.StrEnum):
    """How a fact of a kind moves its family's state machine."""

    ESTABLISH = "establish"
    UPGRADE = "upgrade"
    SUSPEND = "suspend"
    RESUME = "resume"
    END = "end"
    COOPERATE = "cooperate"
    CONTACT = "contact"
    START = "start"
    HOLD = "hold"
    NOTE = "note"


@attrs.frozen(kw_only=True)
class Parties:
    """Who may be a party to a fact of a kind; ``pair``: the parties stand on two sides (a tie's two actors,
    hosts and guests, a speaker and whom they speak of), so the pair a text is about may stand in for one."""

    minimum: int = 1
    maximum: int | None = None
    levels: frozenset[ActorLevel] | None = None
    one_of: ActorLevel | None = None
    across_countries: bool = False
    pair: bool = False
    shown: str = ""

    def describe(self) -> str:
        """The rule in words, for the corpus guide."""
        return self.shown


_TIE = Parties(
    minimum=2, maximum=2, levels=TIE_KEEPERS, across_countries=True, pair=True, shown="the two actors, in two countries"
)
_SEVERAL = Parties(minimum=2, pair=True, shown="two or more actors")


@attrs.frozen(kw_only=True)
class KindSpec:
    """One kind of fact: its family, parties, vocabulary, how it moves a state machine, and how it reads.

    ``begins``: a fact of the kind begins something that lasts (a tie, a programme, a body), so a
    period printed for it gives its start. ``pauses``: it puts something on hold (a tie, a programme,
    exchanges), for a reason. ``repeats``: two reports of it with the same parties and overlapping
    dates may be two facts (exchanges, figures, statements); of any other kind they are one.
    """

    kind: FactKind
    family: Family
    phrase: str
    parties: Parties
    attributes: tuple[str, ...]
    detail: tuple[str, ...] = ()
    requires_level: bool = False
    move: Move = Move.NOTE
    singular: bool = False
    contact_for_partners: bool = False
    begins: bool = False
    pauses: bool = False
    repeats: bool = False
    guidance: str = ""

    @property
    def takes_level(self) -> bool:
        """Whether facts of this kind carry a ``level`` from the closed vocabulary."""
        return "level" in self.attributes


def _registry(specs: Iterable[KindSpec]) -> dict[FactKind, KindSpec]:
    registry = {spec.kind: spec for spec in specs}
    missing = set(FactKind) - set(registry)
    if missing:
        msg = f"the kinds registry has no entry for {sorted(missing)}"
        raise RuntimeError(msg)
    return registry


KINDS: Mapping[FactKind, KindSpec] = _registry(
    (
        KindSpec(
            kind=FactKind.RELATIONSHIP_ESTABLISHED,
            family=Family.RELATIONSHIP,
            phrase="relationship established",
            parties=_TIE,
            attributes=("level", "purpose"),
            detail=("level",),
            requires_level=True,
            move=Move.ESTABLISH,
            singular=True,
            begins=True,
            guidance="a formal tie made (sisterhood, friendship, diplomatic relations, a legislatures' friendship)",
        ),
        KindSpec(
            kind=FactKind.RELATIONSHIP_UPGRADED,
            family=Family.RELATIONSHIP,
            phrase="relationship upgraded",
            parties=_TIE,
            attributes=("level", "reason", "purpose"),
            detail=("level", "reason"),
            requires_level=True,
            move=Move.UPGRADE,
            guidance="a tie raised to a new level (a friendship made a sisterhood)",
        ),
        KindSpec(
            kind=FactKind.RELATIONSHIP_SUSPENDED,
            family=Family.RELATIONSHIP,
            phrase="relationship suspended",
            parties=_TIE,
            attributes=("reason",),
            detail=("reason",),
            move=Move.SUSPEND,
            pauses=True,
            guidance="a tie formally put on hold",
        ),
        KindSpec(
            kind=FactKind.RELATIONSHIP_RESUMED,
            family=Family.RELATIONSHIP,
            phrase="relationship resumed",
            parties=_TIE,
            attributes=("reason",),
            detail=("reason",),
            move=Move.RESUME,
            guidance="a suspended tie taken up again",
        ),
        KindSpec(
            kind=FactKind.RELATIONSHIP_ENDED,
            family=Family.RELATIONSHIP,
            phrase="relationship ended",
            parties=_TIE,
            attributes=("reason",),
            detail=("reason",),
            move=Move.END,
            guidance="a tie ended",
        ),
        KindSpec(
            kind=FactKind.EXCHANGES_DISRUPTED,
            family=Family.RELATIONSHIP,
            phrase="exchanges disrupted",
            parties=_SEVERAL,
            attributes=("reason", "field", "summary"),
            detail=("reason", "field"),
            pauses=True,
            guidance="exchanges hindered without a formal suspension (the THAAD dispute); the status stays",
        ),
        KindSpec(
            kind=FactKind.EXCHANGES_RESUMED,
            family=Family.RELATIONSHIP,
            phrase="exchanges resumed",
            parties=_SEVERAL,
            attributes=("reason", "field", "summary"),
            detail=("reason", "field"),
            move=Move.CONTACT,
            guidance="exchanges stepped up again after a disruption",
        ),
        KindSpec(
            kind=FactKind.AGREEMENT_SIGNED,
            family=Family.RELATIONSHIP,
            phrase="agreement signed",
            parties=_SEVERAL,
            attributes=("subject", "signatories", "topics", "agreed_by", "place", "term", "form"),
            detail=("subject", "topics", "place"),
            move=Move.COOPERATE,
            contact_for_partners=True,
            guidance="an agreement, MOU or letter of intent signed (say which in `form`)",
        ),
        KindSpec(
            kind=FactKind.AGREEMENT_REACHED,
            family=Family.RELATIONSHIP,
            phrase="agreement reached",
            parties=_SEVERAL,
            attributes=("subject", "topics", "place", "participants"),
            detail=("subject", "topics", "place"),
            move=Move.CONTACT,
            contact_for_partners=True,
            guidance='an agreement in principle, nothing signed ("agreed to open a new door")',
        ),
        KindSpec(
            kind=FactKind.MEETING,
            family=Family.RELATIONSHIP,
            phrase="meeting",
            parties=_SEVERAL,
            attributes=("place", "participants", "topics", "sequence", "outcome", "time", "purpose"),
            detail=("topics", "place"),
            move=Move.CONTACT,
            contact_for_partners=True,
            guidance="people of the parties met",
        ),
        KindSpec(
            kind=FactKind.VISIT,
            family=Family.RELATIONSHIP,
            phrase="visit",
            parties=_SEVERAL,
            attributes=("visitor", "host", "destination", "answering", "purpose", "duration", "delegation", "place"),
            detail=("place",),
            move=Move.CONTACT,
            contact_for_partners=True,
            guidance="a visit or delegation: the visitor and the host",
        ),
        KindSpec(
            kind=FactKind.INVITATION,
            family=Family.RELATIONSHIP,
            phrase="invitation",
            parties=_SEVERAL,
            attributes=("inviter", "invited", "event"),
            detail=("event",),
            move=Move.CONTACT,
            contact_for_partners=True,
            guidance="one party invited another",
        ),
        KindSpec(
            kind=FactKind.EXCHANGE,
            family=Family.RELATIONSHIP,
            phrase="exchange",
            parties=_SEVERAL,
            attributes=("field", "given", "description", "participants"),
            detail=("field",),
            move=Move.CONTACT,
            contact_for_partners=True,
            repeats=True,
            guidance="an exchange of people or things in a field (tourism, officials, students); contacts count",
        ),
        KindSpec(
            kind=FactKind.CONFERENCE_HELD,
            family=Family.PROGRAMME,
            phrase="conference held",
            parties=Parties(one_of=ActorLevel.CONFERENCE_SERIES, shown="the conference series, host and organisers"),
            attributes=(
                "name",
                "edition",
                "place",
                "participants",
                "korean_participants",
                "chinese_participants",
                "focus",
                "presiding",
                "frequency",
                "organisers",
                "theme",
            ),
            detail=("edition", "place"),
            move=Move.HOLD,
            guidance="a meeting of a conference series; a one-off conference is a series of its own (`actors:`)",
        ),
        KindSpec(
            kind=FactKind.PROGRAM_STARTED,
            family=Family.PROGRAMME,
            phrase="program started",
            parties=Parties(one_of=ActorLevel.PROGRAM, shown="the programme (and those running it)"),
            attributes=("description", "purpose"),
            detail=(),
            move=Move.START,
            singular=True,
            begins=True,
            guidance="a programme began",
        ),
        KindSpec(
            kind=FactKind.PROGRAM_ROUND_HELD,
            family=Family.PROGRAMME,
            phrase="program round held",
            parties=Parties(one_of=ActorLevel.PROGRAM, shown="the programme (and those taking part)"),
            attributes=("round", "place", "participants"),
            detail=("round", "place"),
            move=Move.HOLD,
            guidance="a round of a programme took place",
        ),
        KindSpec(
            kind=FactKind.PROGRAM_SUSPENDED,
            family=Family.PROGRAMME,
            phrase="program suspended",
            parties=Parties(one_of=ActorLevel.PROGRAM, shown="the programme"),
            attributes=("reason", "duration"),
            detail=("reason",),
            move=Move.SUSPEND,
            pauses=True,
            guidance="a programme put on hold (COVID-19)",
        ),
        KindSpec(
            kind=FactKind.PROGRAM_RESUMED,
            family=Family.PROGRAMME,
            phrase="program resumed",
            parties=Parties(one_of=ActorLevel.PROGRAM, shown="the programme"),
            attributes=("after", "reason"),
            detail=("reason",),
            move=Move.RESUME,
            guidance="a suspended programme taken up again",
        ),
        KindSpec(
            kind=FactKind.PROGRAM_ENDED,
            family=Family.PROGRAMME,
            phrase="program ended",
            parties=Parties(one_of=ActorLevel.PROGRAM, shown="the programme"),
            attributes=("reason",),
            detail=("reason",),
            move=Move.END,
            singular=True,
            guidance="a programme ended",
        ),
        KindSpec(
            kind=FactKind.ORGANIZATION_ESTABLISHED,
            family=Family.OTHER,
            phrase="organization established",
            parties=Parties(shown="the new body, and its founder or place"),
            attributes=("organization", "purpose"),
            detail=(),
            begins=True,
            guidance="a body founded (an office abroad, an association)",
        ),
        KindSpec(
            kind=FactKind.OFFICE_HELD,
            family=Family.OTHER,
            phrase="office held",
            parties=Parties(shown="the body where the office is"),
            attributes=("person", "role", "person_as_printed"),
            detail=("role",),
            guidance="a person held an office",
        ),
        KindSpec(
            kind=FactKind.STATISTIC,
            family=Family.OTHER,
            phrase="statistic",
            parties=Parties(shown="what it counts"),
            attributes=("measure", "value", "unit", "period", "rank", "qualifier", "countries", "levels", "counted_by"),
            detail=("measure",),
            repeats=True,
            guidance=(
                "a figure a source states (645 ties by 2019, a GRDP); a count of ties says which `levels` it counts "
                "(sisterhood, friendship: the levels vocabulary) and who counted (`counted_by`)"
            ),
        ),
        KindSpec(
            kind=FactKind.STATEMENT,
            family=Family.OTHER,
            phrase="statement",
            parties=Parties(pair=True, shown="who said it, about whom"),
            attributes=("speaker", "summary"),
            detail=("summary",),
            repeats=True,
            guidance="an opinion or description; never an event (record the event itself)",
        ),
        KindSpec(
            kind=FactKind.OTHER,
            family=Family.OTHER,
            phrase="other",
            parties=Parties(shown="those concerned"),
            attributes=("summary",),
            detail=("summary",),
            repeats=True,
            guidance="anything else a source states",
        ),
    )
)


def spec(kind: FactKind) -> KindSpec:
    """The registry entry of a kind."""
    return KINDS[kind]


def kinds_of(family: Family) -> frozenset[FactKind]:
    """Every kind of one family."""
    return frozenset(kind for kind, entry in KINDS.items() if entry.family is family)


RELATIONSHIP_KINDS = kinds_of(Family.RELATIONSHIP)
PROGRAMME_KINDS = kinds_of(Family.PROGRAMME)
PROGRAMME_LEVELS = frozenset(
    entry.parties.one_of for entry in KINDS.values() if entry.family is Family.PROGRAMME and entry.parties.one_of
)
