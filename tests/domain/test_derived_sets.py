"""The drafter, the readers and the web page know kinds and levels only through the domain: the kinds
registry and the vocabulary of levels, and the one palette of statuses. A set spelled out by hand, which
would drift when a kind or a level is added, is caught here."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from domain.kinds import KINDS, PROGRAM_LEVELS, Family, Move
from domain.vocabulary import BODIES, LOCAL_GOVERNMENTS, RelationshipStatus
from drafting import kinds as drafter
from events.values import ActorLevel, FactKind
from presentation import charts
from presentation.palette import STATUS_COLOURS
from tests.support import ROOT
from web import site

ENUMS = {"FactKind": FactKind, "ActorLevel": ActorLevel}


def test_the_drafters_sets_of_kinds_are_read_from_the_registry() -> None:
    """Merged repeats, the pair a text is about, pauses and beginnings follow each kind's registry entry."""
    assert {kind for kind in FactKind if not KINDS[kind].repeats} == drafter.STATED_ONCE
    assert {kind for kind in FactKind if KINDS[kind].parties.pair} == drafter.BETWEEN_A_PAIR
    assert {kind for kind in FactKind if KINDS[kind].pauses} == drafter.PAUSES
    assert {kind for kind in FactKind if KINDS[kind].begins} == drafter.BEGINNINGS
    assert drafter.PLACE_LEVELS == LOCAL_GOVERNMENTS
    assert BODIES | {ActorLevel.ORGANIZATION} == drafter.STANDING_BODIES


def test_the_registrys_drafting_entries_agree_with_its_state_machines() -> None:
    """A kind that suspends pauses, one that establishes or starts begins, a tie's kinds are between a pair,
    and a kind that happens once is never a repeat."""
    for kind, entry in KINDS.items():
        if entry.move is Move.SUSPEND:
            assert entry.pauses, kind
        if entry.move in (Move.ESTABLISH, Move.START):
            assert entry.begins, kind
        if entry.family is Family.RELATIONSHIP:
            assert entry.parties.pair, kind
        if entry.singular:
            assert not entry.repeats, kind


def test_program_levels_are_those_the_program_kinds_are_about() -> None:
    """A programme's page is for the actors that the programme family's kinds take as their one party."""
    assert {ActorLevel.PROGRAM, ActorLevel.CONFERENCE_SERIES} == PROGRAM_LEVELS
    for level in ActorLevel:
        actor = SimpleNamespace(level=level, code="x")
        assert site.is_program(actor) == (level in PROGRAM_LEVELS)
        assert site.is_body(actor) == (level in BODIES)
        assert site.actor_path(actor).startswith("/programs/" if level in PROGRAM_LEVELS else "/actors/")


def test_the_web_page_and_the_charts_colour_statuses_from_one_palette() -> None:
    """The badges, network and timeline colours are the palette's, and so are the charts' bars."""
    assert {str(status): colour for status, colour in STATUS_COLOURS.items()} == site.COLOURS
    assert {status: colour for status, colour in charts.COLOURS.items() if colour} == dict(STATUS_COLOURS)
    assert set(charts.COLOURS) == set(RelationshipStatus)


def _spelled_out(node: ast.expr) -> str | None:
    """The enum a literal set, tuple or list of two or more of its members (or their values) spells out."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("frozenset", "set"):
        return _spelled_out(node.args[0]) if node.args else None
    if not isinstance(node, ast.Set | ast.Tuple | ast.List) or len(node.elts) < 2:
        return None
    for name, enum in ENUMS.items():
        values = {str(member) for member in enum}
        if all(
            (isinstance(item, ast.Attribute) and isinstance(item.value, ast.Name) and item.value.id == name)
            or (isinstance(item, ast.Constant) and item.value in values)
            for item in node.elts
        ):
            return name
    return None


def _modules() -> list[Path]:
    return sorted(path for folder in ("drafting", "corpus", "web") for path in (ROOT / folder).rglob("*.py"))


@pytest.mark.parametrize("path", _modules(), ids=lambda path: str(path.relative_to(ROOT)))
def test_no_module_spells_out_a_set_of_kinds_or_levels(path: Path) -> None:
    """No module-level name of the drafter, the readers or the web page holds kinds or levels listed by hand."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    spelled = [
        f"{path.name}:{statement.lineno} ({enum})"
        for statement in tree.body
        if isinstance(statement, ast.Assign | ast.AnnAssign) and statement.value is not None
        for enum in [_spelled_out(statement.value)]
        if enum is not None
    ]
    assert not spelled


def test_no_template_lists_levels_by_hand() -> None:
    """The templates ask is_body and is_program (the domain's sets), never a tuple of level names."""
    levels = "|".join(str(level) for level in ActorLevel)
    pattern = re.compile(rf"level\s+(?:not\s+)?in\s+\(\s*'(?:{levels})'")
    found = [
        path.name for path in sorted((ROOT / "web" / "templates").glob("*.html")) if pattern.search(path.read_text())
    ]
    assert not found
