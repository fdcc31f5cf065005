"""Domain commands: given events, when a command, then the events it decides (or its refusal)."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4, uuid5

import attrs
import orjson
import pytest

from domain.actors import mutate as mutate_actor
from domain.actors import register_actor
from domain.errors import (
    ConflictingDefinition,
    FactAlreadyRetracted,
    InvalidInput,
    QuoteNotInSource,
    UnknownActor,
)
from domain.facts import Correction, FactStatus, correct_fact, project_fact, record_fact, resolve_conflict, retract_fact
from domain.facts import mutate as mutate_fact
from domain.ids import NAMESPACE
from domain.sources import mutate as mutate_source
from domain.sources import register_source
from events.actors import ActorCodeChanged, ActorNamesAdded, ActorRegistered
from events.facts import ConflictResolved, FactCorrected, FactRecorded, FactRetracted
from events.sources import SourceRegistered, SourceRevised
from events.values import Attributes, FactKind, Modality, Name, Period, RetractionReason
from tests.builders import ACTORS, SOURCE, TEXT, actor, fact

AT = datetime(2026, 1, 15, tzinfo=UTC)
KNOWN = {draft.key for draft in ACTORS}


def registered_source():  # type: ignore[no-untyped-def]
    event = register_source(SOURCE, None, at=AT)
    assert isinstance(event, SourceRegistered)
    return mutate_source(None, event)


def recorded(draft=None):  # type: ignore[no-untyped-def]
    event = record_fact(draft or fact(), registered_source(), KNOWN.__contains__, at=AT)
    return event, project_fact(None, [event])


def test_register_source_records_text_and_hash() -> None:
    """A new document is registered with its full text and the sha256 of that text."""
    event = register_source(SOURCE, None, at=AT)
    assert isinstance(event, SourceRegistered)
    assert event.text == TEXT
    assert len(event.sha256) == 64
    assert event.timestamp == AT


def test_same_text_again_records_nothing() -> None:
    """Registering a document whose text the store holds decides no event."""
    assert register_source(SOURCE, registered_source(), at=AT) is None


def test_changed_text_is_a_new_version() -> None:
    """A changed text becomes a new version; the old version stays citable."""
    source = registered_source()
    changed = register_source(_with_text(TEXT + " More."), source, at=AT)
    assert isinstance(changed, SourceRevised)
    after = mutate_source(source, changed)
    assert [version.sha256 for version in after.versions] == [source.latest.sha256, changed.sha256]
    assert after.text_of(source.latest.sha256) == TEXT


def _with_text(text: str):  # type: ignore[no-untyped-def]
    return attrs.evolve(SOURCE, text=text)


def test_binary_source_is_refused() -> None:
    """A text holding NUL bytes is refused as binary."""
    with pytest.raises(InvalidInput, match="binary"):
        register_source(_with_text("abc\x00def"), None, at=AT)


def test_record_fact_cites_quote_at_its_offsets() -> None:
    """A fact is recorded with the source's hash, the quote and its character offsets."""
    event, _state = recorded()
    assert isinstance(event, FactRecorded)
    citation = event.citation
    assert TEXT[citation.start : citation.end] == citation.quote
    assert citation.sha256 == registered_source().latest.sha256
    assert event.published.edtf == "2024-04-24"


def test_same_fact_has_same_id() -> None:
    """The fact id derives from source version, span, kind and content: recording twice gives one id."""
    assert recorded()[0].originator_id == recorded()[0].originator_id


def test_different_content_has_different_id() -> None:
    """Another date for the same quote is another fact."""
    assert recorded()[0].originator_id != recorded(fact(date="1992"))[0].originator_id


def test_fact_id_is_the_uuid5_of_its_content() -> None:
    """A fact's id is uuid5 of the namespace and "fact:" plus its content as JSON, so stored ids never change."""
    event = recorded()[0]
    citation = event.citation
    content = orjson.dumps(
        [
            citation.sha256,
            citation.start,
            citation.end,
            event.kind,
            event.modality,
            sorted(event.parties),
            event.date.edtf,
            event.attributes.items,
        ]
    )
    assert event.originator_id == uuid5(NAMESPACE, "fact:" + content.decode("utf-8"))


def test_unknown_actor_is_refused() -> None:
    """A party that no registered actor carries is refused by name."""
    with pytest.raises(UnknownActor, match="CN-XX"):
        record_fact(fact(parties=("KR-41", "CN-XX")), registered_source(), KNOWN.__contains__, at=AT)


def test_quote_not_in_source_is_refused() -> None:
    """A quote the text does not contain is refused."""
    with pytest.raises(QuoteNotInSource, match="not found"):
        record_fact(fact(quote="signed in 1992"), registered_source(), KNOWN.__contains__, at=AT)


def test_quote_not_at_its_offset_is_refused() -> None:
    """A quote given with a start offset must be exactly there."""
    with pytest.raises(QuoteNotInSource, match="not at offset 3"):
        record_fact(fact(start=3), registered_source(), KNOWN.__contains__, at=AT)


def test_ambiguous_quote_needs_its_start() -> None:
    """A quote occurring twice must be placed with its start offset."""
    with pytest.raises(QuoteNotInSource, match="more than once"):
        record_fact(fact(quote="Province"), registered_source(), KNOWN.__contains__, at=AT)


def test_correct_fact_emits_new_values() -> None:
    """A correction records new values and the reason; the fact's status becomes corrected."""
    _event, state = recorded()
    correction = Correction(
        kind=state.kind,
        modality=state.modality,
        parties=state.parties,
        date=Period.from_edtf("1993-05"),
        attributes=state.attributes,
        reason="the register gives May",
        decided_by="analyst",
    )
    corrected = correct_fact(state, correction, KNOWN.__contains__, at=AT)
    assert isinstance(corrected, FactCorrected)
    assert corrected.originator_version == 2
    assert corrected.date.edtf == "1993-05"
    assert corrected.citation == state.citation
    assert mutate_fact(state, corrected).status is FactStatus.CORRECTED


def test_correction_that_changes_nothing_is_refused() -> None:
    """A correction must change something."""
    _event, state = recorded()
    same = Correction(
        kind=state.kind,
        modality=state.modality,
        parties=state.parties,
        date=state.date,
        attributes=state.attributes,
        reason="no reason",
        decided_by="analyst",
    )
    with pytest.raises(InvalidInput, match="changes nothing"):
        correct_fact(state, same, KNOWN.__contains__, at=AT)


def test_retract_fact() -> None:
    """A retraction records its reason; the fact's status becomes retracted."""
    _event, state = recorded()
    retracted = retract_fact(
        state, reason=RetractionReason.REFUTED, note="misread", decided_by="analyst", superseded_by=None, at=AT
    )
    assert isinstance(retracted, FactRetracted)
    assert mutate_fact(state, retracted).status is FactStatus.RETRACTED


def test_correcting_a_retracted_fact_is_refused() -> None:
    """A retracted fact cannot be corrected."""
    _event, state = recorded()
    retracted = mutate_fact(
        state,
        retract_fact(state, reason=RetractionReason.DUPLICATE, note="", decided_by="a", superseded_by=None, at=AT),
    )
    correction = Correction(
        kind=state.kind,
        modality=Modality.PLANNED,
        parties=state.parties,
        date=state.date,
        attributes=state.attributes,
        reason="x",
        decided_by="a",
    )
    with pytest.raises(FactAlreadyRetracted):
        correct_fact(retracted, correction, KNOWN.__contains__, at=AT)
    with pytest.raises(FactAlreadyRetracted):
        retract_fact(retracted, reason=RetractionReason.REFUTED, note="", decided_by="a", superseded_by=None, at=AT)


def test_superseded_needs_the_replacement() -> None:
    """Retracting as superseded names the fact that supersedes it."""
    _event, state = recorded()
    with pytest.raises(InvalidInput, match="supersedes"):
        retract_fact(state, reason=RetractionReason.SUPERSEDED, note="", decided_by="a", superseded_by=None, at=AT)


def test_resolve_conflict() -> None:
    """A resolution names the preferred fact among the conflicting ones, its rule and who decided."""
    _a, first = recorded()
    _b, second = recorded(fact(date="1992"))
    resolution = resolve_conflict(
        [first, second],
        preferred=second.id,
        rule="official register",
        decided_by="analyst",
        note="",
        previous_version=0,
        at=AT,
    )
    assert isinstance(resolution, ConflictResolved)
    assert set(resolution.facts) == {first.id, second.id}
    assert resolution.preferred == second.id


def test_resolution_prefers_one_of_its_facts() -> None:
    """The preferred fact must be among the conflicting ones."""
    _a, first = recorded()
    _b, second = recorded(fact(date="1992"))
    with pytest.raises(InvalidInput, match="not among"):
        resolve_conflict(
            [first, second], preferred=uuid4(), rule="r", decided_by="a", note="", previous_version=0, at=AT
        )


def test_register_actor_with_code_history() -> None:
    """An actor whose code changed is registered under its first code, then the change is recorded."""
    events = register_actor(ACTORS[5], None, at=AT)
    assert [type(event) for event in events] == [ActorRegistered, ActorCodeChanged]
    assert events[0].key == "KR-42"
    assert events[1].new_code == "KR-51"


def test_known_actor_with_new_names_records_only_the_names() -> None:
    """Registering a known actor again with a new alias records just the alias."""
    state = mutate_actor(None, register_actor(ACTORS[2], None, at=AT)[0])
    base = actor("KR-41", "KR", "Gyeonggi Province", ko="경기도", zh="京畿道")
    more = attrs.evolve(base, names=(*base.names, Name(text="Gyeonggi-do", lang="en", official=False)))
    events = register_actor(more, state, at=AT)
    assert [type(event) for event in events] == [ActorNamesAdded]
    assert register_actor(ACTORS[2], state, at=AT) == []


def test_actor_registered_differently_is_refused() -> None:
    """The same code under another country or level is a conflicting definition."""
    state = mutate_actor(None, register_actor(ACTORS[2], None, at=AT)[0])
    with pytest.raises(ConflictingDefinition):
        register_actor(actor("KR-41", "CN", "Gyeonggi Province"), state, at=AT)


def test_fact_needs_parties() -> None:
    """A fact with no party is refused."""
    with pytest.raises(InvalidInput, match="at least one party"):
        record_fact(fact(parties=()), registered_source(), KNOWN.__contains__, at=AT)


def test_attributes_of_recorded_fact() -> None:
    """The attributes given are the attributes recorded."""
    event, _state = recorded(fact(attributes={"level": "sisterhood", "note": "council approved"}))
    assert event.attributes == Attributes.of({"level": "sisterhood", "note": "council approved"})
    assert event.kind is FactKind.RELATIONSHIP_ESTABLISHED
