"""Small worlds for tests: a few actors, one source, facts cited from it."""

from __future__ import annotations

from application.app import IngestBatch
from domain.actors import ActorDraft, CodeChange
from domain.facts import FactDraft
from domain.kinds import KINDS
from domain.sources import SourceDraft
from events.values import ActorLevel, Attributes, FactKind, Modality, Name, Period, SourceKind

TEXT = (
    "Gyeonggi Province established a sisterhood relationship with Liaoning Province in 1993. "
    "경기도와 랴오닝성은 자매결연을 맺었다. 京畿道与辽宁省结为友好省道。 "
    "The governors met in Shenyang on 2019-11-27. Gangwon signed an agreement with Jilin in 2018? "
    "A visit to Suwon is planned for June."
)


def actor(
    code: str,
    country: str,
    en: str,
    level: ActorLevel = ActorLevel.PROVINCE,
    *,
    ko: str | None = None,
    zh: str | None = None,
    parent: str | None = None,
    history: tuple[CodeChange, ...] = (),
) -> ActorDraft:
    names = [Name(text=en, lang="en")]
    if ko:
        names.append(Name(text=ko, lang="ko"))
    if zh:
        names.append(Name(text=zh, lang="zh"))
    return ActorDraft(code=code, level=level, country=country, parent=parent or country, names=names, history=history)


ACTORS = (
    actor("KR", "KR", "Republic of Korea", ActorLevel.COUNTRY, ko="대한민국", zh="韩国"),
    actor("CN", "CN", "China", ActorLevel.COUNTRY, ko="중국", zh="中国"),
    actor("KR-41", "KR", "Gyeonggi Province", ko="경기도", zh="京畿道"),
    actor("CN-LN", "CN", "Liaoning Province", ko="랴오닝성", zh="辽宁省"),
    actor("CN-JL", "CN", "Jilin Province", ko="지린성", zh="吉林省"),
    actor(
        "KR-51",
        "KR",
        "Gangwon State",
        ko="강원특별자치도",
        history=(CodeChange(old_code="KR-42", new_code="KR-51", effective=Period.from_edtf("2023-06-11")),),
    ),
    actor("cn:shenyang", "CN", "Shenyang", ActorLevel.CITY, zh="沈阳市", parent="CN-LN"),
    actor("kr:suwon", "KR", "Suwon", ActorLevel.CITY, ko="수원시", parent="KR-41"),
)

PROGRAM = actor("program:exchange", "KR", "Youth Exchange Programme", ActorLevel.PROGRAM, parent="KR-41")
SERIES = actor("conference:forum", "KR", "Governors' Forum", ActorLevel.CONFERENCE_SERIES, parent="KR-41")

SOURCE = SourceDraft(
    document="test-doc",
    title="A test document",
    publisher="Test Publisher",
    published=Period.from_edtf("2024-04-24"),
    published_note="printed",
    language="en",
    kind=SourceKind.NEWS,
    address=None,
    text=TEXT,
)


def fact(
    *,
    kind: FactKind = FactKind.RELATIONSHIP_ESTABLISHED,
    parties: tuple[str, ...] = ("KR-41", "CN-LN"),
    date: str = "1993",
    quote: str = "established a sisterhood relationship with Liaoning Province in 1993",
    modality: Modality = Modality.OCCURRED,
    attributes: dict[str, object] | None = None,
    document: str = "test-doc",
    start: int | None = None,
) -> FactDraft:
    return FactDraft(
        kind=kind,
        modality=modality,
        parties=parties,
        date=Period.from_edtf(date),
        attributes=Attributes.of(_default_attributes(kind) if attributes is None else attributes),
        document=document,
        quote=quote,
        start=start,
    )


def _default_attributes(kind: FactKind) -> dict[str, object]:
    """A sisterhood for kinds that carry a level, nothing for the others."""
    return {"level": "sisterhood"} if KINDS[kind].takes_level else {}


def world(*facts: FactDraft) -> IngestBatch:
    return IngestBatch(actors=ACTORS, sources=(SOURCE,), facts=facts)


def numbered_world(count: int, *, seed: int = 7) -> IngestBatch:
    """``count`` facts of mixed kinds, dates and pairs, each quoting its own numbered line (at its offset, so a
    large world is not cited by searching its whole text once per fact)."""
    import random

    rng = random.Random(seed)
    lines = [f"Line {number:06d}: officials of both sides took part.\n" for number in range(count)]
    width = len(lines[0]) if lines else 0
    source = SourceDraft(
        document="numbered-world",
        title="Numbered facts",
        publisher="Test",
        published=Period.from_edtf("2024"),
        published_note="",
        language="en",
        kind=SourceKind.REPORT,
        address=None,
        text="".join(lines),
    )
    keys = [draft.key for draft in ACTORS if draft.level is not ActorLevel.COUNTRY]
    countries = {draft.key: draft.country for draft in ACTORS}
    kinds = [
        FactKind.MEETING,
        FactKind.VISIT,
        FactKind.AGREEMENT_SIGNED,
        FactKind.RELATIONSHIP_ESTABLISHED,
        FactKind.RELATIONSHIP_SUSPENDED,
        FactKind.RELATIONSHIP_RESUMED,
        FactKind.PROGRAM_STARTED,
        FactKind.STATISTIC,
    ]
    dates = ["1993", "2001-05", "2008-07-14", "2012?", "2016~", "2019/2021", "..2024-04-24", "2020-03-01"]
    facts = []
    for number in range(count):
        a, b = rng.sample(keys, 2)
        kind = rng.choice(kinds)
        spec = KINDS[kind]
        if spec.parties.across_countries and countries[a] == countries[b]:
            b = rng.choice([key for key in keys if countries[key] != countries[a]])
        if spec.parties.one_of is ActorLevel.PROGRAM:
            b = PROGRAM.key
        facts.append(
            FactDraft(
                kind=kind,
                modality=Modality.PLANNED if number % 11 == 0 else Modality.OCCURRED,
                parties=(a, b),
                date=Period.from_edtf(rng.choice(dates)),
                attributes=Attributes.of(
                    {"level": rng.choice(["friendship", "sisterhood"])} if spec.takes_level else {}
                ),
                document="numbered-world",
                quote=f"Line {number:06d}:",
                start=number * width,
            )
        )
    return IngestBatch(actors=(*ACTORS, PROGRAM), sources=(source,), facts=tuple(facts))


SISTERHOOD_1993 = fact()
MET_2019 = fact(
    kind=FactKind.MEETING,
    parties=("KR-41", "CN-LN", "cn:shenyang"),
    date="2019-11-27",
    quote="The governors met in Shenyang on 2019-11-27",
    attributes={},
)
PLANNED_VISIT = fact(
    kind=FactKind.VISIT,
    parties=("CN-JL", "kr:suwon"),
    date="2024-06",
    quote="A visit to Suwon is planned for June",
    modality=Modality.PLANNED,
    attributes={},
)
