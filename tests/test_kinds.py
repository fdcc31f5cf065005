"""The kinds registry is the one statement of what each kind means, and everything that shows kinds follows it."""

from __future__ import annotations

from pathlib import Path

import pytest

from domain.kinds import KINDS, Family, Move
from domain.validation import InvalidFact, PartyFacts, check_fact
from domain.vocabulary import FORMAL_TIES, LEVELS
from events.values import ActorLevel, Attributes, FactKind, Modality, Period
from presentation.describe import main_detail
from presentation.guide import with_tables

GUIDE = Path(__file__).resolve().parent.parent / "corpus" / "README.md"


def test_every_kind_has_one_entry() -> None:
    """Each FactKind has its registry entry, under its own name."""
    assert set(KINDS) == set(FactKind)
    assert all(kind is spec.kind for kind, spec in KINDS.items())


def test_details_are_attributes_of_their_kind() -> None:
    """A kind's description shows only attributes the kind takes; a kind with a level requires it."""
    for spec in KINDS.values():
        assert set(spec.detail) <= set(spec.attributes), spec.kind
        assert not spec.requires_level or spec.takes_level, spec.kind


def test_moves_belong_to_their_family() -> None:
    """Relationship kinds never start a programme; programme kinds never make contact or a tie; others never move."""
    relationship_moves = {
        Move.ESTABLISH,
        Move.UPGRADE,
        Move.SUSPEND,
        Move.RESUME,
        Move.END,
        Move.COOPERATE,
        Move.CONTACT,
        Move.NOTE,
    }
    programme_moves = {Move.START, Move.HOLD, Move.SUSPEND, Move.RESUME, Move.END}
    for spec in KINDS.values():
        allowed = {
            Family.RELATIONSHIP: relationship_moves,
            Family.PROGRAMME: programme_moves,
            Family.OTHER: {Move.NOTE},
        }
        assert spec.move in allowed[spec.family], spec.kind


def test_every_level_gives_a_formal_tie() -> None:
    """Each level of the closed vocabulary maps to exactly one status, and it is a formal tie."""
    assert all(level.status in FORMAL_TIES for level in LEVELS.values())


def test_the_guide_tables_follow_the_registry() -> None:
    """corpus/README.md's kinds and levels tables are what the registry generates (python -m presentation.guide)."""
    guide = GUIDE.read_text(encoding="utf-8")
    assert with_tables(guide) == guide


def test_descriptions_read_the_registry() -> None:
    """A fact's main detail is the first of its kind's detail attributes it carries."""
    attributes = Attributes.of({"place": "Suwon", "topics": ["big data"], "participants": ["a", "b"]})
    assert main_detail(FactKind.MEETING, attributes) == "big data"
    assert main_detail(FactKind.VISIT, attributes) == "Suwon"
    assert main_detail(FactKind.STATEMENT, attributes) == ""


COUNTRIES = [
    PartyFacts(key="KR", code="KR", level=ActorLevel.COUNTRY, country="KR"),
    PartyFacts(key="CN", code="CN", level=ActorLevel.COUNTRY, country="CN"),
]


def _count(attributes: dict[str, object]) -> None:
    check_fact(
        kind=FactKind.STATISTIC,
        modality=Modality.OCCURRED,
        parties=COUNTRIES,
        date=Period.from_edtf("2018"),
        attributes=Attributes.of(attributes),
        published=Period.from_edtf("2019-11-11"),
    )


def test_a_count_of_ties_says_what_it_counts_and_who_counted() -> None:
    """A statistic names the levels of tie it counts (from the levels vocabulary) and the body whose count it is."""
    _count(
        {
            "measure": "ties",
            "value": 643,
            "unit": "ties",
            "levels": ["sisterhood", "friendship"],
            "counted_by": "org:gaok",
        }
    )
    _count({"measure": "sister ties", "value": 219, "unit": "ties", "levels": "sisterhood"})


@pytest.mark.parametrize(
    ("levels", "fragment"),
    [(["sisterhood", "frendship"], "did you mean 'friendship'"), ([], "name the levels"), (7, "name the levels")],
)
def test_a_count_of_an_unknown_level_is_refused(levels: object, fragment: str) -> None:
    """A level counted must be one of the vocabulary, so the store's count by the same levels can be compared."""
    with pytest.raises(InvalidFact, match=r"^attributes\.levels") as refused:
        _count({"measure": "ties", "value": 643, "unit": "ties", "levels": levels})
    assert fragment in str(refused.value)
