"""Every transition of the relationship and programme state machines, by name, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest

from application.app import IngestBatch, Paradip
from domain.facts import FactDraft
from domain.observer import Observer
from domain.sources import SourceDraft
from domain.vocabulary import ProgramStatus, RelationshipStatus
from events.values import Attributes, FactKind, Modality, Period, SourceKind
from tests.builders import ACTORS, PROGRAM, SERIES
from tests.conftest import AT

R = RelationshipStatus
P = ProgramStatus
Step = tuple[FactKind, str, str | None]

RELATIONSHIP_TRANSITIONS: dict[str, tuple[list[Step], list[tuple[str, RelationshipStatus]]]] = {
    "a meeting makes contact": (
        [(FactKind.MEETING, "2001-03-01", None)],
        [("2001-02-28", R.NONE), ("2001-03-01", R.CONTACT)],
    ),
    "a visit makes contact": ([(FactKind.VISIT, "2001-03-01", None)], [("2001-03-01", R.CONTACT)]),
    "an invitation makes contact": ([(FactKind.INVITATION, "2001-03-01", None)], [("2001-03-01", R.CONTACT)]),
    "an exchange makes contact": ([(FactKind.EXCHANGE, "2001-03-01", None)], [("2001-03-01", R.CONTACT)]),
    "an agreement in principle makes contact": (
        [(FactKind.AGREEMENT_REACHED, "2001-03-01", None)],
        [("2001-03-01", R.CONTACT)],
    ),
    "contact then an agreement makes cooperation": (
        [(FactKind.MEETING, "2001-03-01", None), (FactKind.AGREEMENT_SIGNED, "2002-05-01", None)],
        [("2002-04-30", R.CONTACT), ("2002-05-01", R.COOPERATION)],
    ),
    "cooperation then a friendship": (
        [
            (FactKind.AGREEMENT_SIGNED, "2002-05-01", None),
            (FactKind.RELATIONSHIP_ESTABLISHED, "2005-01-10", "friendship"),
        ],
        [("2005-01-09", R.COOPERATION), ("2005-01-10", R.FRIENDSHIP)],
    ),
    "a sisterhood established": (
        [(FactKind.RELATIONSHIP_ESTABLISHED, "1993-10-04", "sisterhood")],
        [("1993-10-04", R.SISTERHOOD)],
    ),
    "a friendship upgraded to a sisterhood": (
        [
            (FactKind.RELATIONSHIP_ESTABLISHED, "2010-01-01", "friendship"),
            (FactKind.RELATIONSHIP_UPGRADED, "2023-10-22", "sisterhood"),
        ],
        [("2023-10-21", R.FRIENDSHIP), ("2023-10-22", R.SISTERHOOD)],
    ),
    "a later contact never lowers a tie": (
        [(FactKind.RELATIONSHIP_ESTABLISHED, "1993-10-04", "sisterhood"), (FactKind.MEETING, "2019-11-27", None)],
        [("2019-11-27", R.SISTERHOOD)],
    ),
    "a tie suspended": (
        [
            (FactKind.RELATIONSHIP_ESTABLISHED, "1993-10-04", "sisterhood"),
            (FactKind.RELATIONSHIP_SUSPENDED, "2016-08-01", None),
        ],
        [("2016-07-31", R.SISTERHOOD), ("2016-08-01", R.SUSPENDED)],
    ),
    "a suspended tie resumed at its level": (
        [
            (FactKind.RELATIONSHIP_ESTABLISHED, "1993-10-04", "sisterhood"),
            (FactKind.RELATIONSHIP_SUSPENDED, "2016-08-01", None),
            (FactKind.RELATIONSHIP_RESUMED, "2018-03-01", None),
        ],
        [("2017-01-01", R.SUSPENDED), ("2018-03-01", R.SISTERHOOD)],
    ),
    "contact while suspended changes nothing": (
        [
            (FactKind.RELATIONSHIP_ESTABLISHED, "1993-10-04", "friendship"),
            (FactKind.RELATIONSHIP_SUSPENDED, "2016-08-01", None),
            (FactKind.MEETING, "2017-01-01", None),
        ],
        [("2017-01-01", R.SUSPENDED)],
    ),
    "a resumption without a suspension changes nothing": (
        [
            (FactKind.RELATIONSHIP_ESTABLISHED, "1993-10-04", "friendship"),
            (FactKind.RELATIONSHIP_RESUMED, "2018-03-01", None),
        ],
        [("2018-03-01", R.FRIENDSHIP)],
    ),
    "a tie ended": (
        [
            (FactKind.RELATIONSHIP_ESTABLISHED, "1993-10-04", "friendship"),
            (FactKind.RELATIONSHIP_ENDED, "2020-01-01", None),
        ],
        [("2019-12-31", R.FRIENDSHIP), ("2020-01-01", R.ENDED)],
    ),
    "a suspension after the end changes nothing": (
        [(FactKind.RELATIONSHIP_ENDED, "2020-01-01", None), (FactKind.RELATIONSHIP_SUSPENDED, "2021-01-01", None)],
        [("2021-01-01", R.ENDED)],
    ),
    "an ended tie established again": (
        [
            (FactKind.RELATIONSHIP_ESTABLISHED, "1993-10-04", "friendship"),
            (FactKind.RELATIONSHIP_ENDED, "2020-01-01", None),
            (FactKind.RELATIONSHIP_ESTABLISHED, "2024-05-01", "sisterhood"),
        ],
        [("2023-01-01", R.ENDED), ("2024-05-01", R.SISTERHOOD)],
    ),
    "disrupted exchanges leave the tie as it was": (
        [
            (FactKind.RELATIONSHIP_ESTABLISHED, "1993-10-04", "sisterhood"),
            (FactKind.EXCHANGES_DISRUPTED, "2017-03-01", None),
        ],
        [("2017-03-01", R.SISTERHOOD)],
    ),
}

PROGRAM_TRANSITIONS: dict[str, tuple[list[Step], list[tuple[str, ProgramStatus]]]] = {
    "a programme started": (
        [(FactKind.PROGRAM_STARTED, "1999-05-01", None)],
        [("1999-04-30", P.NOT_STARTED), ("1999-05-01", P.ACTIVE)],
    ),
    "a round held makes it active": ([(FactKind.PROGRAM_ROUND_HELD, "2005-07-01", None)], [("2005-07-01", P.ACTIVE)]),
    "a programme suspended": (
        [(FactKind.PROGRAM_STARTED, "1999-05-01", None), (FactKind.PROGRAM_SUSPENDED, "2020-02-01", None)],
        [("2020-01-31", P.ACTIVE), ("2020-02-01", P.SUSPENDED)],
    ),
    "a suspended programme resumed": (
        [
            (FactKind.PROGRAM_STARTED, "1999-05-01", None),
            (FactKind.PROGRAM_SUSPENDED, "2020-02-01", None),
            (FactKind.PROGRAM_RESUMED, "2024-09-23", None),
        ],
        [("2023-01-01", P.SUSPENDED), ("2024-09-23", P.ACTIVE)],
    ),
    "a round after a suspension makes it active again": (
        [(FactKind.PROGRAM_SUSPENDED, "2020-02-01", None), (FactKind.PROGRAM_ROUND_HELD, "2024-09-23", None)],
        [("2024-09-22", P.SUSPENDED), ("2024-09-23", P.ACTIVE)],
    ),
    "a programme ended": (
        [(FactKind.PROGRAM_STARTED, "1999-05-01", None), (FactKind.PROGRAM_ENDED, "2010-12-31", None)],
        [("2010-12-30", P.ACTIVE), ("2010-12-31", P.ENDED)],
    ),
}


def _batch(steps: list[Step], program: bool) -> IngestBatch:
    sentences = [f"Event number {index} took place as reported." for index in range(len(steps))]
    source = SourceDraft(
        document="transitions",
        title="Transitions",
        publisher="Test",
        published=Period.from_edtf("2025"),
        published_note="",
        language="en",
        kind=SourceKind.REPORT,
        address=None,
        text=" ".join(sentences),
    )
    facts = [
        FactDraft(
            kind=kind,
            modality=Modality.OCCURRED,
            parties=("program:exchange", "KR-41") if program else ("KR-41", "CN-LN"),
            date=Period.from_edtf(when),
            attributes=Attributes.of({"level": level} if level else {}),
            document="transitions",
            quote=sentence,
        )
        for (kind, when, level), sentence in zip(steps, sentences, strict=True)
    ]
    return IngestBatch(actors=(*ACTORS, PROGRAM, SERIES), sources=(source,), facts=tuple(facts))


@pytest.mark.parametrize("name", list(RELATIONSHIP_TRANSITIONS))
def test_relationship_transition(app: Paradip, name: str) -> None:
    """Each named move of the relationship machine leads from the status before to the status after."""
    steps, expected = RELATIONSHIP_TRANSITIONS[name]
    app.ingest(_batch(steps, program=False), at=AT)
    for when, status in expected:
        answer = app.questions.relationship_state("KR-41", "CN-LN", observer=Observer(as_of=date.fromisoformat(when)))
        assert (when, answer.status) == (when, status)


@pytest.mark.parametrize("name", list(PROGRAM_TRANSITIONS))
def test_program_transition(app: Paradip, name: str) -> None:
    """Each named move of the programme machine leads from the status before to the status after."""
    steps, expected = PROGRAM_TRANSITIONS[name]
    app.ingest(_batch(steps, program=True), at=AT)
    for when, status in expected:
        answer = app.questions.program_state("program:exchange", observer=Observer(as_of=date.fromisoformat(when)))
        assert (when, answer.status) == (when, status)
