"""The gazetteer: ISO countries and subdivisions from pycountry, with what actors.yaml adds to them."""

from __future__ import annotations

import gettext
import re
from collections.abc import Iterable, Mapping
from datetime import timedelta
from functools import cache
from typing import Any, Protocol

import pycountry

from domain.actors import ActorDraft, CodeChange
from domain.errors import InvalidInput
from domain.names import Gazetteer, NamedActor
from events.values import ActorLevel, InvalidValue, Name, Period

_COUNTRIES: Any = pycountry.countries
_SUBDIVISIONS: Any = pycountry.subdivisions
SUBDIVISION_COUNTRIES = ("KR", "CN", "JP")
LANGUAGES = {"ko": "ko", "zh": "zh_CN"}
_LEVELS = {
    "province": ActorLevel.PROVINCE,
    "prefecture": ActorLevel.PROVINCE,
    "autonomous region": ActorLevel.PROVINCE,
    "special administrative region": ActorLevel.PROVINCE,
    "special self-governing province": ActorLevel.PROVINCE,
    "metropolitan city": ActorLevel.MUNICIPALITY,
    "special city": ActorLevel.MUNICIPALITY,
    "special self-governing city": ActorLevel.MUNICIPALITY,
    "municipality": ActorLevel.MUNICIPALITY,
}
_ISO_SUFFIX = re.compile(
    r"(-do|-gwangyeoksi|-teukbyeolsi|-teukbyeoljachido|-teukbyeoljachisi| Sheng| Shi| SAR"
    r"| Zizhiqu| Huizu Zizhiqu| Zhuangzu Zizhiqu| Uygur Zizhiqu)$"
)


@cache
def _translation(domain: str, lang: str) -> gettext.NullTranslations:
    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[LANGUAGES[lang]], fallback=True)


def _translated(domain: str, lang: str, text: str) -> str | None:
    result = _translation(domain, lang).gettext(text)
    return result if result != text else None


def _names(official: Mapping[str, str | None], aliases: Iterable[tuple[str, str]]) -> tuple[Name, ...]:
    names: dict[tuple[str, str], Name] = {}
    for lang, text in official.items():
        if text:
            names[(text, lang)] = Name(text=text, lang=lang, official=True)
    for lang, text in aliases:
        if text and (text, lang) not in names:
            names[(text, lang)] = Name(text=text, lang=lang, official=False)
    return tuple(names.values())


def _alias_pairs(entry: Mapping[str, Any]) -> list[tuple[str, str]]:
    aliases = entry.get("aliases") or {}
    if not isinstance(aliases, Mapping):
        msg = "aliases must map a language (en, ko, zh) to a list of names"
        raise InvalidInput(msg)
    pairs: list[tuple[str, str]] = []
    for lang, given in aliases.items():
        texts = [given] if isinstance(given, str) else given
        if lang not in ("en", "ko", "zh") or not isinstance(texts, list):
            msg = f"aliases: {lang!r} must be en, ko or zh with a list of names"
            raise InvalidInput(msg)
        pairs.extend((lang, str(text)) for text in texts)
    return pairs


def _established(entry: Mapping[str, Any]) -> Period | None:
    """When an actor came to exist, when the gazetteer says (``established: "1948-08-15"``)."""
    value = entry.get("established")
    return None if value is None else Period.from_edtf(str(value))


def _country_drafts(additions: Mapping[str, Any]) -> list[ActorDraft]:
    drafts = []
    for country in _COUNTRIES:
        extra = additions.get(country.alpha_2) or {}
        iso_names = [country.name, getattr(country, "common_name", None), getattr(country, "official_name", None)]
        official = {
            "en": extra.get("en") or getattr(country, "common_name", None) or country.name,
            "ko": extra.get("ko") or _translated("iso3166-1", "ko", country.name),
            "zh": extra.get("zh") or _translated("iso3166-1", "zh", country.name),
        }
        aliases = [("en", name) for name in iso_names if name] + [("en", country.alpha_3)] + _alias_pairs(extra)
        drafts.append(
            ActorDraft(
                code=country.alpha_2,
                level=ActorLevel.COUNTRY,
                country=country.alpha_2,
                parent=None,
                names=_names(official, aliases),
                established=_established(extra),
                note="ISO 3166-1 (pycountry)",
                origin=f"gazetteer: country {country.alpha_2}",
            )
        )
    return drafts


def _subdivision_drafts(additions: Mapping[str, Any]) -> list[ActorDraft]:
    renamed_from = {
        entry["former"]["code"]: (code, entry)
        for code, entry in additions.items()
        if isinstance(entry, Mapping) and isinstance(entry.get("former"), Mapping)
    }
    drafts = []
    seen: set[str] = set()
    for country in SUBDIVISION_COUNTRIES:
        for subdivision in _SUBDIVISIONS.get(country_code=country):
            if subdivision.parent_code is not None:
                continue
            code = subdivision.code
            history: list[CodeChange] = []
            extra = additions.get(code) or {}
            if code in renamed_from:
                new_code, extra = renamed_from[code]
                until = Period.from_edtf(str(extra["former"]["until"]))
                if until.latest is None:
                    msg = f"{new_code}: former code {code} needs the day it was last used"
                    raise InvalidInput(msg)
                history.append(
                    CodeChange(old_code=code, new_code=new_code, effective=Period.day(until.latest + timedelta(days=1)))
                )
                code = new_code
            seen.add(code)
            base = _ISO_SUFFIX.sub("", subdivision.name)
            official = {
                "en": extra.get("en") or base,
                "ko": extra.get("ko") or _translated("iso3166-2", "ko", subdivision.name),
                "zh": extra.get("zh") or _translated("iso3166-2", "zh", subdivision.name),
            }
            aliases = [("en", subdivision.name), ("en", base), *_alias_pairs(extra)]
            for lang in ("ko", "zh"):
                iso = _translated("iso3166-2", lang, subdivision.name)
                if iso:
                    aliases.append((lang, iso))
            drafts.append(
                ActorDraft(
                    code=code,
                    level=_LEVELS.get(subdivision.type.lower(), ActorLevel.PROVINCE),
                    country=country,
                    parent=country,
                    names=_names(official, aliases),
                    history=tuple(history),
                    established=_established(extra),
                    note="ISO 3166-2 (pycountry)" + (f"; code changed from {history[0].old_code}" if history else ""),
                    origin=f"gazetteer: subdivision {code}",
                )
            )
    unknown = sorted(set(additions) - seen)
    if unknown:
        msg = (
            f"subdivisions {', '.join(unknown)} are not first-level subdivisions of {', '.join(SUBDIVISION_COUNTRIES)}"
        )
        raise InvalidInput(msg)
    return drafts


def other_actor_drafts(entries: Iterable[Any], origin: str) -> list[ActorDraft]:
    """Actors that are not countries or first-level subdivisions, from ``actors:`` entries."""
    drafts = []
    for number, entry in enumerate(entries, start=1):
        where = f"{origin}: actor {number}"
        if not isinstance(entry, Mapping):
            msg = f"{where}: each actor is a mapping with code, level, country, en"
            raise InvalidInput(msg)
        missing = [key for key in ("code", "level", "country", "en") if not entry.get(key)]
        if missing:
            msg = f"{where}: missing {', '.join(missing)}"
            raise InvalidInput(msg)
        try:
            level = ActorLevel(entry["level"])
        except ValueError:
            msg = f"{where} ({entry['code']}): unknown level {entry['level']!r}"
            raise InvalidInput(msg) from None
        try:
            aliases = _alias_pairs(entry)
        except InvalidInput as error:
            raise InvalidInput(f"{where} ({entry['code']}): {error}") from None
        official = {"en": str(entry["en"]), "ko": entry.get("ko"), "zh": entry.get("zh")}
        drafts.append(
            ActorDraft(
                code=str(entry["code"]),
                level=level,
                country=str(entry["country"]),
                parent=entry.get("parent"),
                names=_names(official, aliases),
                established=_established(entry),
                note=str(entry.get("note") or ""),
                origin=f"{where} ({entry['code']})",
            )
        )
    return drafts


def build_drafts(data: Mapping[str, Any], origin: str) -> list[ActorDraft]:
    """Every actor of the gazetteer: pycountry's, completed and extended by ``actors.yaml``."""
    try:
        return [
            *_country_drafts(data.get("countries") or {}),
            *_subdivision_drafts(data.get("subdivisions") or {}),
            *other_actor_drafts(data.get("actors") or [], origin),
        ]
    except (KeyError, TypeError, InvalidValue) as error:
        msg = f"{origin}: malformed gazetteer entry: {error}"
        raise InvalidInput(msg) from None


class KnownActor(Protocol):
    """An actor a store already holds (one a document declared earlier), as a register needs it."""

    @property
    def key(self) -> str: ...
    @property
    def level(self) -> str: ...
    @property
    def country(self) -> str: ...
    @property
    def parent(self) -> str | None: ...
    def named(self) -> NamedActor: ...


def gazetteer_of(drafts: Iterable[ActorDraft], known: Iterable[NamedActor] = ()) -> Gazetteer:
    """A gazetteer over actor drafts (and actors known otherwise, such as a store's), finding each by its
    codes and names."""
    return Gazetteer(
        [
            *known,
            *(
                NamedActor(
                    key=draft.key,
                    codes=(draft.key, *(change.new_code for change in draft.history)),
                    names=tuple(name.text for name in draft.names),
                )
                for draft in drafts
            ),
        ]
    )
