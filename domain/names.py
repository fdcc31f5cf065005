"""Name resolution: codes and names in English, Korean and Chinese to one actor, never by guessing."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping

import attrs
import opencc

from domain.errors import AmbiguousActor, UnknownActor

_IGNORED = re.compile(r"[\s\-‐‑–—_.,'’()]+")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_SIMPLIFIED = opencc.OpenCC("t2s")
LONGEST_NAME = 400


def normalise(name: str) -> str:
    """The form names are compared in: NFKC, case-folded, without spaces, hyphens or punctuation, and
    Chinese characters in their simplified forms (遼寧 is 辽宁)."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    if _HAN.search(folded):
        folded = _SIMPLIFIED.convert(folded)
    return _IGNORED.sub("", folded)


@attrs.frozen(kw_only=True)
class NamedActor:
    """What resolution needs of an actor: its key, every code it carried, and every name."""

    key: str
    codes: tuple[str, ...]
    names: tuple[str, ...]


@attrs.frozen(kw_only=True)
class Resolved:
    """An actor key found for a name, and how it was found."""

    key: str
    how: str


class Gazetteer:
    """Finds actors by code (``KR-41``, ``cn:shenyang``) or by any of their names, case-insensitively.

    A name carried by several actors is refused with the candidates; an unknown name is refused
    with the closest known names.
    """

    def __init__(self, actors: Iterable[NamedActor]) -> None:
        self._codes: dict[str, str] = {}
        self._names: dict[str, set[str]] = {}
        self._display: dict[str, str] = {}
        for actor in actors:
            for code in (*actor.codes, actor.key):
                self._codes[code.casefold()] = actor.key
            for name in actor.names:
                normalised = normalise(name)
                if normalised:
                    self._names.setdefault(normalised, set()).add(actor.key)
                    self._display.setdefault(normalised, name)

    def resolve(self, name: str) -> Resolved:
        """The actor for ``name``, or UnknownActor / AmbiguousActor naming the candidates."""
        text = name.strip()
        if len(text) > LONGEST_NAME:
            raise UnknownActor(text[: LONGEST_NAME // 4] + "…", ())
        key = self._codes.get(text.casefold())
        if key is not None:
            return Resolved(key=key, how="code")
        keys = self._names.get(normalise(text), set())
        if len(keys) == 1:
            return Resolved(key=next(iter(keys)), how="name")
        if keys:
            raise AmbiguousActor(text, sorted(keys))
        raise UnknownActor(text, self.closest(text))

    def closest(self, name: str, limit: int = 5) -> list[str]:
        """The known names (with their actors) nearest to ``name``."""
        matches = difflib.get_close_matches(normalise(name), list(self._names), n=limit, cutoff=0.6)
        return [f"{self._display[match]} ({', '.join(sorted(self._names[match]))})" for match in matches]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key.casefold() in self._codes


def resolve_with_overrides(gazetteer: Gazetteer, name: str, overrides: Mapping[str, tuple[str, str]]) -> Resolved:
    """Resolve ``name``, first through a document's own readings (misspellings it is known to use)."""
    override = overrides.get(normalise(name))
    if override is not None:
        key, note = override
        return Resolved(key=gazetteer.resolve(key).key, how=note)
    return gazetteer.resolve(name)
