"""A deterministic, seeded generator of realistic paradiplomacy data: actors, source texts and facts.

Each pair of a Korean and a Chinese city gets its own story, drawn from a random source seeded by
the pair's number alone (so pair 7 tells the same story at 10k facts and at 1M): a tie
established (now and then claimed twice, with different dates or levels), perhaps upgraded,
suspended over THAAD in 2016-17 or over COVID-19 in 2020-22 and resumed, agreements, programmes,
and many meetings, visits and statements, dated with mixed EDTF precision. The facts are then
filed, in the order of their latest possible day, into documents of 20 to 40 facts published
after the last of them, each fact quoting a sentence of its own.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta
from functools import cache
from typing import NamedTuple

import attrs

from domain.actors import ActorDraft
from domain.facts import FactDraft
from domain.sources import SourceDraft
from events.values import ActorLevel, Attributes, FactKind, Modality, Name, Period, SourceKind

SEED = 20_240_424
FACTS_PER_PAIR = 25
PARTNERS_PER_ACTOR = 4
PARTNER_STRIDE = 37
FIRST_YEAR = 1990
LAST_YEAR = 2024
SAMPLE_POOL = 300
DOCUMENT_FACTS = (20, 40)

# (Korean, romanised, Chinese) syllables: two-letter romanisations keep English names as unique as Korean ones.
_KR_SYLLABLES = (
    ("가", "ga", "佳"),
    ("나", "na", "羅"),
    ("다", "da", "多"),
    ("라", "ra", "蘭"),
    ("마", "ma", "馬"),
    ("바", "ba", "波"),
    ("사", "sa", "沙"),
    ("자", "ja", "慈"),
    ("하", "ha", "河"),
    ("고", "go", "高"),
    ("노", "no", "蘆"),
    ("도", "do", "道"),
    ("로", "ro", "路"),
    ("모", "mo", "慕"),
    ("보", "bo", "寶"),
    ("소", "so", "蘇"),
    ("조", "jo", "祖"),
    ("호", "ho", "湖"),
    ("구", "gu", "邱"),
    ("누", "nu", "樓"),
    ("두", "du", "杜"),
    ("루", "ru", "流"),
    ("무", "mu", "茂"),
    ("부", "bu", "釜"),
    ("수", "su", "秀"),
    ("주", "ju", "珠"),
    ("후", "hu", "厚"),
    ("기", "gi", "基"),
    ("미", "mi", "美"),
    ("비", "bi", "碑"),
    ("시", "si", "始"),
    ("지", "ji", "池"),
    ("히", "hi", "希"),
)
# (Chinese, pinyin, Korean) syllables.
_CN_SYLLABLES = (
    ("安", "an", "안"),
    ("宝", "bao", "바오"),
    ("昌", "chang", "창"),
    ("德", "de", "더"),
    ("丰", "feng", "펑"),
    ("广", "guang", "광"),
    ("海", "hai", "하이"),
    ("华", "hua", "화"),
    ("江", "jiang", "장"),
    ("金", "jin", "진"),
    ("兰", "lan", "란"),
    ("龙", "long", "룽"),
    ("明", "ming", "밍"),
    ("宁", "ning", "닝"),
    ("平", "ping", "핑"),
    ("庆", "qing", "칭"),
    ("山", "shan", "산"),
    ("泰", "tai", "타이"),
    ("文", "wen", "원"),
    ("新", "xin", "신"),
    ("阳", "yang", "양"),
    ("云", "yun", "윈"),
    ("州", "zhou", "저우"),
    ("中", "zhong", "중"),
    ("东", "dong", "둥"),
    ("南", "nan", "난"),
    ("西", "xi", "시"),
    ("北", "bei", "베이"),
    ("成", "cheng", "청"),
    ("春", "chun", "춘"),
)

_EN = {
    FactKind.RELATIONSHIP_ESTABLISHED: "{a} and {b} established a {x} relationship ({when})",
    FactKind.RELATIONSHIP_UPGRADED: "{a} and {b} upgraded their ties to a {x} relationship ({when})",
    FactKind.RELATIONSHIP_SUSPENDED: "{a} suspended its exchanges with {b}, citing {x} ({when})",
    FactKind.RELATIONSHIP_RESUMED: "{a} and {b} resumed their {x} exchanges ({when})",
    FactKind.RELATIONSHIP_ENDED: "{a} and {b} ended their {x} relationship ({when})",
    FactKind.AGREEMENT_SIGNED: "{a} and {b} signed an agreement on {x} cooperation ({when})",
    FactKind.MEETING: "Officials of {a} met a delegation from {b} to discuss {x} ({when})",
    FactKind.VISIT: "A delegation of {x} from {a} visited {b} ({when})",
    FactKind.INVITATION: "{a} invited officials of {b} to its {x} ({when})",
    FactKind.CONFERENCE_HELD: "{a} and {b} held a joint conference on {x} ({when})",
    FactKind.PROGRAM_STARTED: "{a} and {b} launched the {x} ({when})",
    FactKind.PROGRAM_ROUND_HELD: "A new round of the {x} of {a} and {b} took place ({when})",
    FactKind.PROGRAM_SUSPENDED: "The {x} of {a} and {b} was put on hold ({when})",
    FactKind.PROGRAM_RESUMED: "The {x} of {a} and {b} started again ({when})",
    FactKind.PROGRAM_ENDED: "The {x} of {a} and {b} came to an end ({when})",
    FactKind.ORGANIZATION_ESTABLISHED: "{a} opened a {x} in {b} ({when})",
    FactKind.OFFICE_HELD: "An official of {a} served as {x} in {b} ({when})",
    FactKind.STATISTIC: "{x} travelled between {a} and {b} ({when})",
    FactKind.EXCHANGE: "{a} and {b} exchanged {x} delegations ({when})",
    FactKind.STATEMENT: "{a} said it valued its {x} ties with {b} ({when})",
    FactKind.OTHER: "{a} and {b} played a friendly {x} match ({when})",
}
_KO = {
    FactKind.RELATIONSHIP_ESTABLISHED: "{a}·{b} {x} 관계 수립",
    FactKind.RELATIONSHIP_UPGRADED: "{a}·{b} {x} 관계로 격상",
    FactKind.RELATIONSHIP_SUSPENDED: "{a}, {x} 여파로 {b}와의 교류 중단",
    FactKind.RELATIONSHIP_RESUMED: "{a}·{b} {x} 교류 재개",
    FactKind.RELATIONSHIP_ENDED: "{a}·{b} {x} 관계 종료",
    FactKind.AGREEMENT_SIGNED: "{a}·{b} {x} 협력 협정 체결",
    FactKind.MEETING: "{a} 관계자, {b} 대표단과 {x} 논의",
    FactKind.VISIT: "{a} 대표단 {x}, {b} 방문",
    FactKind.INVITATION: "{a}, {b} 관계자를 {x}에 초청",
    FactKind.CONFERENCE_HELD: "{a}·{b} {x} 공동 회의 개최",
    FactKind.PROGRAM_STARTED: "{a}·{b} {x} 출범",
    FactKind.PROGRAM_ROUND_HELD: "{a}·{b} {x} 새 회차 진행",
    FactKind.PROGRAM_SUSPENDED: "{a}·{b} {x} 잠정 중단",
    FactKind.PROGRAM_RESUMED: "{a}·{b} {x} 재개",
    FactKind.PROGRAM_ENDED: "{a}·{b} {x} 종료",
    FactKind.ORGANIZATION_ESTABLISHED: "{a}, {b}에 {x} 개설",
    FactKind.OFFICE_HELD: "{a} 공무원, {b}에서 {x}로 근무",
    FactKind.STATISTIC: "{a}·{b} 간 {x} 왕래",
    FactKind.EXCHANGE: "{a}·{b} {x} 대표단 교환",
    FactKind.STATEMENT: "{a}, {b}와의 {x} 관계 중시 입장 밝혀",
    FactKind.OTHER: "{a}·{b} {x} 친선 경기",
}
_ZH = {
    FactKind.RELATIONSHIP_ESTABLISHED: "{a}与{b}建立{x}关系",
    FactKind.RELATIONSHIP_UPGRADED: "{a}与{b}将关系提升为{x}关系",
    FactKind.RELATIONSHIP_SUSPENDED: "{a}因{x}暂停与{b}的交流",
    FactKind.RELATIONSHIP_RESUMED: "{a}与{b}恢复{x}交流",
    FactKind.RELATIONSHIP_ENDED: "{a}与{b}结束{x}关系",
    FactKind.AGREEMENT_SIGNED: "{a}与{b}签署{x}合作协议",
    FactKind.MEETING: "{a}官员会见{b}代表团，商讨{x}",
    FactKind.VISIT: "{a}代表团{x}访问{b}",
    FactKind.INVITATION: "{a}邀请{b}官员出席{x}",
    FactKind.CONFERENCE_HELD: "{a}与{b}举办{x}联合会议",
    FactKind.PROGRAM_STARTED: "{a}与{b}启动{x}",
    FactKind.PROGRAM_ROUND_HELD: "{a}与{b}举行新一轮{x}",
    FactKind.PROGRAM_SUSPENDED: "{a}与{b}的{x}暂停",
    FactKind.PROGRAM_RESUMED: "{a}与{b}的{x}恢复",
    FactKind.PROGRAM_ENDED: "{a}与{b}的{x}结束",
    FactKind.ORGANIZATION_ESTABLISHED: "{a}在{b}设立{x}",
    FactKind.OFFICE_HELD: "{a}官员在{b}担任{x}",
    FactKind.STATISTIC: "{a}与{b}之间往来{x}",
    FactKind.EXCHANGE: "{a}与{b}互派{x}代表团",
    FactKind.STATEMENT: "{a}表示重视与{b}的{x}关系",
    FactKind.OTHER: "{a}与{b}举行{x}友谊赛",
}
_TEMPLATES = {"en": _EN, "ko": _KO, "zh": _ZH}
_WORDS = {
    "ko": {
        "sisterhood": "자매결연",
        "friendship": "우호교류",
        "the THAAD deployment": "사드 배치",
        "the COVID-19 pandemic": "코로나19",
        "trade": "통상",
        "culture": "문화",
        "tourism": "관광",
        "education": "교육",
        "environment": "환경",
        "health": "보건",
        "sports": "체육",
        "youth exchange": "청소년 교류",
        "youth exchange programme": "청소년 교류 사업",
        "civil servant trainee programme": "공무원 연수 사업",
        "school twinning programme": "학교 자매결연 사업",
        "trade office": "무역사무소",
        "exchange liaison": "교류 연락관",
        "people": "명",
        "visitors": "명의 방문객",
        "students": "명의 학생",
        "trainees": "명의 연수생",
        "annual festival": "연례 축제",
        "trade fair": "무역 박람회",
        "marathon": "마라톤 대회",
        "economic": "경제",
        "cultural": "문화",
        "football": "축구",
        "table tennis": "탁구",
        "baduk": "바둑",
    },
    "zh": {
        "sisterhood": "友好城市",
        "friendship": "友好交流",
        "the THAAD deployment": "萨德部署",
        "the COVID-19 pandemic": "新冠疫情",
        "trade": "经贸",
        "culture": "文化",
        "tourism": "旅游",
        "education": "教育",
        "environment": "环境",
        "health": "卫生",
        "sports": "体育",
        "youth exchange": "青少年交流",
        "youth exchange programme": "青少年交流项目",
        "civil servant trainee programme": "公务员研修项目",
        "school twinning programme": "学校结对项目",
        "trade office": "贸易代表处",
        "exchange liaison": "交流联络员",
        "people": "人",
        "visitors": "名游客",
        "students": "名学生",
        "trainees": "名研修生",
        "annual festival": "年度节庆",
        "trade fair": "贸易博览会",
        "marathon": "马拉松",
        "economic": "经济",
        "cultural": "文化",
        "football": "足球",
        "table tennis": "乒乓球",
        "baduk": "围棋",
    },
}
_STOP = {"en": ".", "ko": ".", "zh": "。"}
_FILLERS = {
    "en": (
        "Both sides agreed to keep in close touch.",
        "The delegation also toured an industrial park and a port.",
        "Local media covered the occasion widely.",
        "Further details were not disclosed.",
    ),
    "ko": (
        "양측은 긴밀한 소통을 이어가기로 했다.",
        "대표단은 산업단지와 항만도 둘러봤다.",
        "자세한 내용은 공개되지 않았다.",
    ),
    "zh": ("双方同意保持密切沟通。", "代表团还参观了工业园区和港口。", "具体细节未予公布。"),
}
_HEADERS = {
    "en": "{publisher}: exchange digest no. {number}.",
    "ko": "{publisher} 국제교류 소식 제{number}호.",
    "zh": "{publisher}国际交流简报第{number}期。",
}
_PUBLISHERS = {
    "en": (("Korea Herald (synthetic)", SourceKind.NEWS), ("GAOK exchange database (synthetic)", SourceKind.DATABASE)),
    "ko": (("연합뉴스 (합성)", SourceKind.NEWS), ("경기도 보도자료 (합성)", SourceKind.PRESS_RELEASE)),
    "zh": (("人民网 (合成)", SourceKind.NEWS), ("中国国际友好城市联合会 (合成)", SourceKind.REPORT)),
}
_LANGUAGES = ("en", "ko", "zh")
_LANGUAGE_WEIGHTS = (60, 25, 15)

_CONTACT_KINDS = (
    FactKind.MEETING,
    FactKind.VISIT,
    FactKind.STATEMENT,
    FactKind.EXCHANGE,
    FactKind.INVITATION,
    FactKind.STATISTIC,
    FactKind.CONFERENCE_HELD,
    FactKind.OTHER,
)
_CONTACT_WEIGHTS = (30, 26, 14, 9, 7, 6, 4, 4)
_FIELDS = ("trade", "culture", "tourism", "education", "environment", "health", "sports", "youth exchange")
_CONFERENCES = ("governors", "mayors", "exchange")
_PROGRAMS = ("youth exchange programme", "civil servant trainee programme", "school twinning programme")
_PRECISIONS = ("day", "month", "year", "uncertain", "approximate", "interval", "open")
_PROFILES = {
    "tie": (60, 18, 12, 5, 5, 0, 0),
    "contact": (62, 20, 8, 3, 3, 2, 2),
    "span": (20, 15, 25, 3, 2, 25, 10),
}
_SPAN_KINDS = frozenset({FactKind.STATISTIC, FactKind.OFFICE_HELD, FactKind.EXCHANGE, FactKind.PROGRAM_ROUND_HELD})
_ESTABLISHED_YEARS = tuple(range(1992, 2019))
_ESTABLISHED_WEIGHTS = tuple(3 if year <= 2008 else 2 if year <= 2014 else 1 for year in _ESTABLISHED_YEARS)


@attrs.frozen(kw_only=True)
class Pair:
    """A Korean and a Chinese city with a story of about 25 facts."""

    index: int
    kr: str
    cn: str
    established: int


@attrs.frozen(kw_only=True)
class Sample:
    """One as-of question: how did these two stand on this day."""

    a: str
    b: str
    as_of: date


@attrs.frozen(kw_only=True)
class World:
    """A generated corpus: actors and sources to register first, then the facts to record."""

    size: int
    seed: int
    actors: tuple[ActorDraft, ...]
    sources: tuple[SourceDraft, ...]
    facts: tuple[FactDraft, ...]
    pairs: tuple[Pair, ...]

    def samples(self, count: int = 8) -> tuple[Sample, ...]:
        """Realistic as-of questions about pairs that exist at every size (the same ones at 10k and 1M)."""
        rng = random.Random(self.seed + 1)
        pool = range(max(1, min(len(self.pairs) - 1, SAMPLE_POOL)))
        chosen = rng.sample(pool, min(count, len(pool)))
        samples = []
        for index in chosen:
            pair = self.pairs[index]
            year = rng.randint(max(FIRST_YEAR, pair.established - 3), LAST_YEAR)
            samples.append(Sample(a=pair.kr, b=pair.cn, as_of=date(year, rng.randint(1, 12), rng.randint(1, 28))))
        return tuple(samples)


class _Item(NamedTuple):
    pair: int
    kind: FactKind
    modality: Modality
    period: Period
    attributes: Attributes
    detail: str
    amount: int | None
    subject: str | None  # the programme or conference series a fact is about, a party beside the pair


def generate(size: int, *, seed: int = SEED) -> World:
    """``size`` facts over about ``size / 25`` pairs, with their actors and source documents."""
    items: list[_Item] = []
    pairs: list[Pair] = []
    while len(items) < size:
        index = len(pairs)
        kr, cn = _pair_actors(index)
        story = _Story(index, seed)
        pairs.append(Pair(index=index, kr=_kr_code(kr), cn=_cn_code(cn), established=story.established))
        items.extend(story.tell()[: size - len(items)])
    items.sort(key=lambda item: (item.period.upper, item.pair))
    sources, facts = _file(items, pairs, seed)
    subjects = sorted({item.subject for item in items if item.subject is not None})
    return World(
        size=size,
        seed=seed,
        actors=_actors(len(pairs), subjects),
        sources=tuple(sources),
        facts=tuple(facts),
        pairs=tuple(pairs),
    )


def _pair_actors(index: int) -> tuple[int, int]:
    kr = index // PARTNERS_PER_ACTOR
    return kr, kr + PARTNER_STRIDE * (index % PARTNERS_PER_ACTOR)


def _kr_code(number: int) -> str:
    return f"kr:synth-{number + 1:05d}"


def _cn_code(number: int) -> str:
    return f"cn:synth-{number + 1:05d}"


def _spell(number: int, table: Sequence[tuple[str, ...]], column: int, width: int = 3) -> str:
    """A name of syllables, a bijection of ``number`` so that neighbours do not look alike."""
    space = len(table) ** width
    value = (number * 7919 + 13) % space if number < space else number
    parts: list[str] = []
    while value or len(parts) < width:
        parts.append(table[value % len(table)][column])
        value //= len(table)
    return "".join(parts)


@cache
def _kr_names(number: int) -> tuple[str, str, str]:
    roman = _spell(number, _KR_SYLLABLES, 1).capitalize()
    return f"{roman} City", _spell(number, _KR_SYLLABLES, 0) + "시", _spell(number, _KR_SYLLABLES, 2) + "市"


@cache
def _cn_names(number: int) -> tuple[str, str, str]:
    pinyin = _spell(number, _CN_SYLLABLES, 1).capitalize()
    return f"{pinyin} City", _spell(number, _CN_SYLLABLES, 2) + "시", _spell(number, _CN_SYLLABLES, 0) + "市"


def _actors(pair_count: int, subjects: Sequence[str]) -> tuple[ActorDraft, ...]:
    kr_numbers: set[int] = set()
    cn_numbers: set[int] = set()
    for index in range(pair_count):
        kr, cn = _pair_actors(index)
        kr_numbers.add(kr)
        cn_numbers.add(cn)
    drafts = [
        ActorDraft(
            code="KR",
            level=ActorLevel.COUNTRY,
            country="KR",
            parent=None,
            names=(
                Name(text="Republic of Korea", lang="en"),
                Name(text="대한민국", lang="ko"),
                Name(text="韩国", lang="zh"),
            ),
        ),
        ActorDraft(
            code="CN",
            level=ActorLevel.COUNTRY,
            country="CN",
            parent=None,
            names=(Name(text="China", lang="en"), Name(text="중국", lang="ko"), Name(text="中国", lang="zh")),
        ),
    ]
    for number in sorted(kr_numbers):
        en, ko, zh = _kr_names(number)
        drafts.append(_city(_kr_code(number), "KR", en, ko, zh))
    for number in sorted(cn_numbers):
        en, ko, zh = _cn_names(number)
        drafts.append(_city(_cn_code(number), "CN", en, ko, zh))
    drafts.extend(_subject(code) for code in subjects)
    return tuple(drafts)


def _subject(code: str) -> ActorDraft:
    """A programme run for one pair, or one of the conference series, as an actor of its own."""
    if code.startswith("program:"):
        number = code.removeprefix("program:synth-")
        return ActorDraft(
            code=code,
            level=ActorLevel.PROGRAM,
            country="KR",
            parent=None,
            names=(Name(text=f"Exchange programme {number}", lang="en"), Name(text=f"교류사업 {number}", lang="ko")),
        )
    name = code.removeprefix("conference:synth-")
    return ActorDraft(
        code=code,
        level=ActorLevel.CONFERENCE_SERIES,
        country="KR",
        parent=None,
        names=(Name(text=f"{name.capitalize()} conference", lang="en"),),
    )


def _city(code: str, country: str, en: str, ko: str, zh: str) -> ActorDraft:
    return ActorDraft(
        code=code,
        level=ActorLevel.CITY,
        country=country,
        parent=country,
        names=(Name(text=en, lang="en"), Name(text=ko, lang="ko"), Name(text=zh, lang="zh")),
    )


# Dates


@cache
def _pooled(text: str) -> Period:
    return Period.from_edtf(text)


def _months(year: int) -> tuple[int, ...]:
    return tuple(sorted({(year * 5 + 3 * step) % 12 + 1 for step in range(4)}))


def _period(rng: random.Random, year: int, profile: str) -> Period:
    """A date in ``year`` of a precision drawn for the profile; every text but a day's comes from a fixed pool."""
    precision = rng.choices(_PRECISIONS, _PROFILES[profile])[0]
    if precision == "day":
        return Period.day(date(year, rng.randint(1, 12), rng.randint(1, 28)))
    if precision == "month":
        return _pooled(f"{year}-{rng.choice(_months(year)):02d}")
    year = min(year, LAST_YEAR - 1)
    if precision == "uncertain":
        return _pooled(f"{year}?")
    if precision == "approximate":
        return _pooled(f"{year}~")
    if precision == "interval":
        return _pooled(f"{year}/{year + rng.randint(1, min(2, LAST_YEAR - year))}")
    if precision == "open":
        return _pooled(f"..{year}-{year % 12 + 1:02d}-{year % 27 + 1:02d}")
    return _pooled(str(year))


# Attributes (one immutable value per distinct content)


@cache
def _attributes(*items: tuple[str, str | int | tuple[str, ...]]) -> Attributes:
    return Attributes(items=items)


# Stories


class _Story:
    """The facts of one pair, drawn from a random source seeded by the pair alone."""

    def __init__(self, index: int, seed: int) -> None:
        self.index = index
        self.rng = random.Random(seed * 1_000_003 + index)
        self.items: list[_Item] = []
        self.established = self.rng.choices(_ESTABLISHED_YEARS, _ESTABLISHED_WEIGHTS)[0]
        self.level = "sisterhood" if self.rng.random() < 0.35 else "friendship"

    def add(
        self,
        kind: FactKind,
        year: int,
        attributes: Attributes,
        detail: str,
        *,
        modality: Modality = Modality.OCCURRED,
        amount: int | None = None,
        subject: str | None = None,
    ) -> None:
        profile = "span" if kind in _SPAN_KINDS else "contact" if kind in _CONTACT_KINDS else "tie"
        period = _period(self.rng, min(year, LAST_YEAR), profile)
        self.items.append(_Item(self.index, kind, modality, period, attributes, detail, amount, subject))

    def tell(self) -> list[_Item]:
        self.tie()
        self.agreements()
        self.program()
        self.contacts()
        return self.items

    def tie(self) -> None:
        """Established (sometimes claimed twice), perhaps upgraded, suspended and resumed, rarely ended."""
        rng, established = self.rng, self.established
        level = self.level
        self.add(FactKind.RELATIONSHIP_ESTABLISHED, established, _attributes(("level", level)), level)
        if rng.random() < 0.08:
            other = level if rng.random() < 0.5 else "friendship"
            year = established + rng.choice((-1, 0, 1))
            self.add(FactKind.RELATIONSHIP_ESTABLISHED, year, _attributes(("level", other)), other)
        if level == "friendship" and rng.random() < 0.35:
            level = "sisterhood"
            self.add(
                FactKind.RELATIONSHIP_UPGRADED, established + rng.randint(2, 10), _attributes(("level", level)), level
            )
        for first, suspended, resumed, reason, why, chance in (
            (2016, (2016, 2017), (2018, 2019), "THAAD", "the THAAD deployment", 0.18),
            (2020, (2020,), (2022, 2023), "COVID-19", "the COVID-19 pandemic", 0.2),
        ):
            if established < first and rng.random() < chance:
                pause = _attributes(("reason", reason))
                self.add(FactKind.RELATIONSHIP_SUSPENDED, rng.choice(suspended), pause, why)
                if rng.random() < 0.8:
                    self.add(FactKind.RELATIONSHIP_RESUMED, rng.choice(resumed), _attributes(), level)
        if rng.random() < 0.03:
            year = rng.randint(established + 1, LAST_YEAR)
            self.add(FactKind.RELATIONSHIP_ENDED, year, _attributes(), level)

    def agreements(self) -> None:
        rng = self.rng
        for _ in range(1 + (rng.random() < 0.5)):
            field = rng.choice(_FIELDS)
            modality = Modality.OCCURRED if rng.random() < 0.9 else Modality.PLANNED
            year = rng.randint(self.established, LAST_YEAR)
            self.add(FactKind.AGREEMENT_SIGNED, year, _attributes(("subject", field)), field, modality=modality)

    def program(self) -> None:
        rng = self.rng
        if rng.random() < 0.35:
            program = rng.choice(_PROGRAMS)
            code = f"program:synth-{self.index + 1:05d}"
            start = rng.randint(self.established, LAST_YEAR - 1)
            started = _attributes(("description", program))
            self.add(FactKind.PROGRAM_STARTED, start, started, program, subject=code)
            for _ in range(rng.randint(1, 3)):
                year = rng.randint(start, LAST_YEAR)
                self.add(FactKind.PROGRAM_ROUND_HELD, year, _attributes(), program, subject=code)
            if rng.random() < 0.2:
                self.add(FactKind.PROGRAM_SUSPENDED, 2020, _attributes(("reason", "COVID-19")), program, subject=code)
                self.add(FactKind.PROGRAM_RESUMED, rng.choice((2022, 2023)), _attributes(), program, subject=code)
            if rng.random() < 0.1:
                self.add(FactKind.PROGRAM_ENDED, LAST_YEAR, _attributes(), program, subject=code)
        if rng.random() < 0.03:
            year = rng.randint(self.established, LAST_YEAR)
            self.add(FactKind.ORGANIZATION_ESTABLISHED, year, _attributes(), "trade office")
        if rng.random() < 0.04:
            self.add(FactKind.OFFICE_HELD, rng.randint(self.established, LAST_YEAR), _attributes(), "exchange liaison")

    def contacts(self) -> None:
        """Meetings, visits, statements and the like, to about 25 facts in all."""
        rng = self.rng
        count = max(len(self.items) + 3, min(45, round(rng.gauss(FACTS_PER_PAIR, 6))))
        while len(self.items) < count:
            kind = rng.choices(_CONTACT_KINDS, _CONTACT_WEIGHTS)[0]
            draw = rng.random()
            modality = Modality.OCCURRED if draw < 0.88 else Modality.PLANNED if draw < 0.96 else Modality.EXPECTED
            year = rng.randint(max(FIRST_YEAR, self.established - 3), LAST_YEAR)
            if modality is not Modality.OCCURRED:
                year = rng.randint(max(self.established, 2018), LAST_YEAR)
            attributes, detail, amount = _contact_details(rng, kind)
            subject = f"conference:synth-{rng.choice(_CONFERENCES)}" if kind is FactKind.CONFERENCE_HELD else None
            self.add(kind, year, attributes, detail, modality=modality, amount=amount, subject=subject)


def _contact_details(rng: random.Random, kind: FactKind) -> tuple[Attributes, str, int | None]:
    if kind is FactKind.VISIT:
        size = rng.randint(3, 40)
        return _attributes(("delegation", size)), "people", size
    if kind is FactKind.STATISTIC:
        value = rng.randint(1, 400) * 25
        measure = rng.choice(("visitors", "students", "trainees"))
        return _attributes(("measure", measure), ("value", value)), measure, value
    if kind is FactKind.MEETING:
        field = rng.choice(_FIELDS)
        return _attributes(("participants", ("mayor", "vice-mayor")), ("topics", (field,))), field, None
    if kind is FactKind.INVITATION:
        return _attributes(), rng.choice(("annual festival", "trade fair", "marathon")), None
    if kind is FactKind.STATEMENT:
        return _attributes(), rng.choice(("friendship", "economic", "cultural")), None
    if kind is FactKind.OTHER:
        return _attributes(), rng.choice(("football", "table tennis", "baduk")), None
    field = rng.choice(_FIELDS)
    if kind is FactKind.CONFERENCE_HELD:
        return _attributes(("focus", field)), field, None
    return _attributes(("field", field)), field, None


def _wording(item: _Item, language: str) -> str:
    """The detail of a fact in the document's language (``33 people``, ``33명``, ``33人``)."""
    word = _WORDS[language].get(item.detail, item.detail) if language in _WORDS else item.detail
    if item.amount is None:
        return word
    return f"{item.amount} {word}" if language == "en" else f"{item.amount}{word}"


# Documents


def _file(items: Sequence[_Item], pairs: Sequence[Pair], seed: int) -> tuple[list[SourceDraft], list[FactDraft]]:
    """File the facts (sorted by latest day) into documents, each fact quoting a sentence of its own."""
    rng = random.Random(seed)
    sources: list[SourceDraft] = []
    facts: list[FactDraft] = []
    offset = 0
    while offset < len(items):
        chunk = items[offset : offset + rng.randint(*DOCUMENT_FACTS)]
        offset += len(chunk)
        number = len(sources) + 1
        document = f"synth-{number:06d}"
        language = rng.choices(_LANGUAGES, _LANGUAGE_WEIGHTS)[0]
        publisher, kind = rng.choice(_PUBLISHERS[language])
        published = max(item.period.upper for item in chunk) + timedelta(days=rng.randint(1, 45))
        templates = _TEMPLATES[language]
        fillers = _FILLERS[language]
        lines = [_HEADERS[language].format(publisher=publisher, number=number)]
        for position, item in enumerate(chunk, start=1):
            pair = pairs[item.pair]
            kr, cn = _pair_actors(pair.index)
            a, b = _name_in(_kr_names(kr), language), _name_in(_cn_names(cn), language)
            if rng.random() < 0.3:
                a, b = b, a
            sentence = templates[item.kind].format(a=a, b=b, x=_wording(item, language), when=item.period.edtf)
            quote = f"{sentence} [{number}-{position:02d}]{_STOP[language]}"
            lines.append(quote)
            if rng.random() < 0.35:
                lines.append(rng.choice(fillers))
            facts.append(
                FactDraft(
                    kind=item.kind,
                    modality=item.modality,
                    parties=(pair.kr, pair.cn) if item.subject is None else (item.subject, pair.kr, pair.cn),
                    date=item.period,
                    attributes=item.attributes,
                    document=document,
                    quote=quote,
                )
            )
        sources.append(
            SourceDraft(
                document=document,
                title=f"{publisher} {number}",
                publisher=publisher,
                published=Period.day(published),
                published_note="",
                language=language,
                kind=kind,
                address=f"https://example.org/synthetic/{document}",
                text=" ".join(lines),
            )
        )
    return sources, facts


def _name_in(names: tuple[str, str, str], language: str) -> str:
    return names[_LANGUAGES.index(language)]
