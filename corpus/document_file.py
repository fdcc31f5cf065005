"""Document files: a YAML (or JSON) file holding a source's metadata and the facts cited from its text,
read against one gazetteer into its source and facts.

Everything is checked before anything is written: a problem is one line naming the file, the
fact's number and kind, and what is wrong.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from corpus.files import period_field, read_text, read_yaml
from corpus.gazetteer import KnownActor, gazetteer_of, other_actor_drafts
from domain.actors import ActorDraft
from domain.errors import AmbiguousActor, InvalidInput, UnknownActor
from domain.facts import FactDraft
from domain.names import Gazetteer, normalise
from domain.relative_dates import resolve_relative
from domain.sources import SourceDraft
from events.values import Attributes, FactKind, InvalidValue, Modality, Period, SourceKind

MAX_FIELD = 10_000
DOCUMENT_KEYS = frozenset(
    {
        "document",
        "title",
        "publisher",
        "kind",
        "language",
        "address",
        "published",
        "published_note",
        "resolutions",
        "facts",
        "text_file",
        "actors",
    }
)
DOCUMENT_SUFFIXES = (".yaml", ".yml", ".json")
DOCUMENT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,119}")
REQUIRED_DOCUMENT_KEYS = ("document", "title", "publisher", "kind", "language", "published", "facts")
FACT_KEYS = frozenset(
    {
        "kind",
        "modality",
        "parties",
        "date",
        "relative",
        "date_note",
        "attributes",
        "quote",
        "start",
        "note",
        "confidence",
        "rule",
    }
)


def _text_path(path: Path, document: str, text_file: Any, where: str) -> Path:
    """Where a document's text is: ``text_file`` beside it, or ``<document>.txt`` beside it or in the corpus's
    ``sources/`` folder. Never outside those folders, through ``..`` or a symbolic link."""
    folder = path.parent.resolve()
    allowed = (folder, (folder.parent / "sources").resolve())
    if text_file is not None:
        candidates = [path.parent / str(text_file)]
    else:
        candidates = [path.parent.parent / "sources" / f"{document}.txt", path.parent / f"{document}.txt"]
    chosen = next((candidate for candidate in candidates if candidate.exists()), candidates[-1])
    resolved = chosen.resolve()
    if not any(resolved.is_relative_to(root) for root in allowed):
        msg = f"{where}: text_file {str(text_file or chosen)!r} leaves the document's folder; put the text beside it"
        raise InvalidInput(msg)
    return chosen


def _text_field(data: Mapping[str, Any], key: str, where: str, *, required: bool = True) -> str | None:
    value = data.get(key)
    if value is None:
        if required:
            msg = f"{where}: missing {key}"
            raise InvalidInput(msg)
        return None
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        msg = f"{where}: {key} must be text, not {type(value).__name__}"
        raise InvalidInput(msg)
    text = str(value)
    if len(text) > MAX_FIELD:
        msg = f"{where}: {key} is {len(text)} characters long (at most {MAX_FIELD})"
        raise InvalidInput(msg)
    _refuse_control_characters(text, where, key)
    if required and not text.strip():
        msg = f"{where}: {key} is empty"
        raise InvalidInput(msg)
    return text


def _refuse_control_characters(text: str, where: str, key: str) -> None:
    for char in text:
        if unicodedata.category(char) == "Cc" and char not in "\t\n\r":
            msg = f"{where}: {key} contains the control character U+{ord(char):04X}"
            raise InvalidInput(msg)


class DocumentReader:
    """Reads document files against one gazetteer."""

    def __init__(self, actors: list[ActorDraft], known: Sequence[KnownActor] = ()) -> None:
        self.actors = actors
        self.known = tuple(known)
        self.named = tuple(actor.named() for actor in known)
        self.gazetteer = self._gazetteer()

    def add_actors(self, drafts: Iterable[ActorDraft]) -> None:
        self.actors.extend(drafts)
        self.gazetteer = self._gazetteer()

    def _gazetteer(self) -> Gazetteer:
        """The gazetteer's actors, the documents' own, and those the store already holds."""
        return gazetteer_of(self.actors, self.named)

    def document(self, path: Path) -> tuple[SourceDraft, list[FactDraft]]:
        data = read_yaml(path)
        where = str(path)
        unknown = sorted(set(data) - DOCUMENT_KEYS)
        if unknown:
            msg = f"{where}: unknown field {unknown[0]!r} (fields: {', '.join(sorted(DOCUMENT_KEYS))})"
            raise InvalidInput(msg)
        for key in REQUIRED_DOCUMENT_KEYS:
            if key not in data:
                msg = f"{where}: missing {key}"
                raise InvalidInput(msg)
        if data.get("actors"):
            if not isinstance(data["actors"], list):
                msg = f"{where}: actors must be a list"
                raise InvalidInput(msg)
            self.add_actors(other_actor_drafts(data["actors"], where))
        document = _text_field(data, "document", where)
        assert document is not None
        if not DOCUMENT_ID.fullmatch(document):
            msg = f"{where}: document {document[:80]!r} is not an id (letters, digits, '.', '_' and '-', at most 120)"
            raise InvalidInput(msg)
        text = read_text(_text_path(path, document, data.get("text_file"), where), "source text")
        try:
            kind = SourceKind(str(data["kind"]))
        except ValueError:
            msg = f"{where}: unknown source kind {data['kind']!r} ({', '.join(SourceKind)})"
            raise InvalidInput(msg) from None
        published = period_field(str(data["published"]), where, "published")
        source = SourceDraft(
            document=document,
            title=_text_field(data, "title", where) or "",
            publisher=_text_field(data, "publisher", where) or "",
            published=published,
            published_note=_text_field(data, "published_note", where, required=False) or "",
            language=_text_field(data, "language", where) or "",
            kind=kind,
            address=_text_field(data, "address", where, required=False),
            text=text,
            origin=where,
        )
        overrides = self._overrides(data.get("resolutions") or {}, where)
        facts_data = data["facts"]
        if not isinstance(facts_data, list):
            msg = f"{where}: facts must be a list"
            raise InvalidInput(msg)
        facts = [
            self.fact(entry, f"{where}: fact {number}", document, published, overrides)
            for number, entry in enumerate(facts_data, start=1)
        ]
        return source, facts

    def _overrides(self, resolutions: Any, where: str) -> dict[str, tuple[str, str]]:
        if not isinstance(resolutions, Mapping):
            msg = f"{where}: resolutions must map a name to {{actor, note}}"
            raise InvalidInput(msg)
        overrides: dict[str, tuple[str, str]] = {}
        for name, entry in resolutions.items():
            if not isinstance(entry, Mapping) or not entry.get("actor") or not entry.get("note"):
                msg = f"{where}: resolution of {name!r} needs an actor and a note"
                raise InvalidInput(msg)
            try:
                key = self.gazetteer.resolve(str(entry["actor"])).key
            except (UnknownActor, AmbiguousActor) as error:
                msg = f"{where}: resolution of {name!r}: {error}"
                raise InvalidInput(msg) from None
            overrides[normalise(str(name))] = (key, str(entry["note"]))
        return overrides

    def fact(
        self,
        entry: Any,
        where: str,
        document: str,
        published: Period,
        overrides: Mapping[str, tuple[str, str]],
    ) -> FactDraft:
        if not isinstance(entry, Mapping):
            msg = f"{where}: a fact is a mapping (kind, modality, parties, date, quote, ...)"
            raise InvalidInput(msg)
        raw_kind = entry.get("kind")
        try:
            kind = FactKind(str(raw_kind))
        except ValueError:
            msg = f"{where}: unknown kind {raw_kind!r}"
            raise InvalidInput(msg) from None
        where = f"{where} ({kind})"
        unknown = sorted(set(entry) - FACT_KEYS)
        if unknown:
            msg = f"{where}: unknown field {unknown[0]!r}"
            raise InvalidInput(msg)
        try:
            modality = Modality(str(entry.get("modality", "occurred")))
        except ValueError:
            msg = f"{where}: unknown modality {entry.get('modality')!r} (occurred, planned, expected)"
            raise InvalidInput(msg) from None
        parties, notes = self._parties(entry.get("parties"), where, overrides)
        date = _fact_date(entry, where, published, notes)
        for key in ("date_note", "note"):
            text = _text_field(entry, key, where, required=False)
            if text:
                notes.append(text)
        drafted = _drafted_note(entry, where)
        if drafted:
            notes.append(drafted)
        attributes = _attributes(entry, where)
        quote, start = _quote(entry, where)
        return FactDraft(
            kind=kind,
            modality=modality,
            parties=parties,
            date=date,
            attributes=attributes,
            document=document,
            quote=quote,
            start=start,
            notes=tuple(notes),
            origin=where,
        )

    def _parties(
        self, raw: Any, where: str, overrides: Mapping[str, tuple[str, str]]
    ) -> tuple[tuple[str, ...], list[str]]:
        if not isinstance(raw, list) or not raw or not all(isinstance(item, str) for item in raw):
            msg = f"{where}: parties must be a non-empty list of actor codes or names"
            raise InvalidInput(msg)
        keys: list[str] = []
        notes: list[str] = []
        for name in raw:
            override = overrides.get(normalise(name))
            if override is not None:
                key, note = override
                notes.append(f"party {name!r} read as {key}: {note}")
                keys.append(key)
                continue
            try:
                resolved = self.gazetteer.resolve(name)
            except UnknownActor as error:
                msg = (
                    f"{where}: parties: {error} (declare it in the file's actors: block, "
                    "or read the name as a known actor under resolutions:)"
                )
                raise InvalidInput(msg) from None
            except AmbiguousActor as error:
                msg = f"{where}: parties: {error} (write its code, or read the name under resolutions:)"
                raise InvalidInput(msg) from None
            if resolved.how == "name":
                notes.append(f"party {name!r} resolved by name to {resolved.key}")
            keys.append(resolved.key)
        return tuple(keys), notes


def _fact_date(entry: Mapping[str, Any], where: str, published: Period, notes: list[str]) -> Period:
    if ("date" in entry) == ("relative" in entry):
        msg = f"{where}: give either date (EDTF) or relative"
        raise InvalidInput(msg)
    if "date" in entry:
        return period_field(str(entry["date"]), where, "date")
    try:
        resolved = resolve_relative(str(entry["relative"]), published)
    except (InvalidInput, InvalidValue) as error:
        msg = f"{where}: relative: {error}"
        raise InvalidInput(msg) from None
    notes.append(resolved.note)
    return resolved.period


def _drafted_note(entry: Mapping[str, Any], where: str) -> str | None:
    """A drafted fact's rule and confidence (from ``paradip draft``), kept as a note, never in its id."""
    rule = _text_field(entry, "rule", where, required=False)
    confidence = entry.get("confidence")
    if confidence is not None and (
        isinstance(confidence, bool) or not isinstance(confidence, int | float) or not 0 <= confidence <= 1
    ):
        msg = f"{where}: confidence must be a number from 0 to 1"
        raise InvalidInput(msg)
    if rule is None and confidence is None:
        return None
    parts = [
        f"drafted by rule {rule}" if rule else "drafted",
        f"confidence {confidence}" if confidence is not None else "",
    ]
    return ", ".join(part for part in parts if part)


def _attributes(entry: Mapping[str, Any], where: str) -> Attributes:
    data = entry.get("attributes") or {}
    if not isinstance(data, Mapping):
        msg = f"{where}: attributes must be a mapping"
        raise InvalidInput(msg)
    try:
        attributes = Attributes.of(data)
    except InvalidValue as error:
        msg = f"{where}: {error}"
        raise InvalidInput(msg) from None
    for name, value in attributes.items:
        for text in value if isinstance(value, tuple) else (value,):
            if isinstance(text, str) and len(text) > MAX_FIELD:
                msg = f"{where}: attribute {name} is {len(text)} characters long (at most {MAX_FIELD})"
                raise InvalidInput(msg)
            if isinstance(text, str):
                _refuse_control_characters(text, where, f"attribute {name}")
    return attributes


def _quote(entry: Mapping[str, Any], where: str) -> tuple[str, int | None]:
    quote = entry.get("quote")
    if not isinstance(quote, str) or not quote:
        msg = f"{where}: missing quote"
        raise InvalidInput(msg)
    if len(quote) > MAX_FIELD:
        msg = f"{where}: quote is {len(quote)} characters long (at most {MAX_FIELD})"
        raise InvalidInput(msg)
    _refuse_control_characters(quote, where, "quote")
    start = entry.get("start")
    if start is not None and (not isinstance(start, int) or isinstance(start, bool) or start < 0):
        msg = f"{where}: start must be a character offset (a whole number, 0 or more)"
        raise InvalidInput(msg)
    return quote, start


def text_of(path: Path) -> tuple[str, Path]:
    """The text a file stands for: a document file's source text (``text_file`` or beside it), else the file's
    own text; with the path the text was read from."""
    if path.suffix.lower() in DOCUMENT_SUFFIXES:
        data = read_yaml(path)
        document = _text_field(data, "document", str(path)) or ""
        text_path = _text_path(path, document, data.get("text_file"), str(path))
        return read_text(text_path, "source text"), text_path
    return read_text(path, "text"), path
