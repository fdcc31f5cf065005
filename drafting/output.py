"""A draft written out: a document file in the corpus format (YAML) for review, or fact objects (JSON)."""

from __future__ import annotations

import re
from typing import Any

import attrs
import yaml

from domain.ids import fact_id, sha256_of
from drafting.model import Candidate, Draft

DRAFT_STATUS = "draft"


@attrs.frozen(kw_only=True)
class Metadata:
    """What the document file says about the document besides its facts."""

    document: str
    text_file: str
    title: str
    publisher: str
    kind: str
    language: str = "en"


def document_id(stem: str) -> str:
    """A document id from a file name: lower case letters, digits, '_' and '-'."""
    cleaned = re.sub(r"[^a-z0-9_-]+", "_", stem.lower()).strip("_-")
    return cleaned or "draft"


def guessed_kind(draft: Draft) -> str:
    """The source kind the header suggests: a press release if it says so, else news."""
    header = draft.text[: draft.header.body_start]
    return "press_release" if re.search(r"press release", header, re.IGNORECASE) else "news"


def occurrences(text: str, quote: str) -> int:
    """How many times ``quote`` occurs in ``text``, overlaps included."""
    count, start = 0, text.find(quote)
    while start >= 0:
        count += 1
        start = text.find(quote, start + 1)
    return count


def quote_of(draft: Draft, candidate: Candidate) -> str:
    """The exact text a candidate cites."""
    return draft.text[candidate.quote.start : candidate.quote.end]


def verify(draft: Draft) -> list[str]:
    """Problems with the candidates' quotes (none when every quote is exactly in the text at its offsets)."""
    problems = []
    for number, candidate in enumerate(draft.candidates, start=1):
        quote = quote_of(draft, candidate)
        if not quote or draft.text[candidate.quote.start : candidate.quote.start + len(quote)] != quote:
            problems.append(
                f"candidate {number}: quote not at characters {candidate.quote.start}-{candidate.quote.end}"
            )
    return problems


def _fact_entry(draft: Draft, candidate: Candidate) -> dict[str, Any]:
    quote = quote_of(draft, candidate)
    entry: dict[str, Any] = {"kind": str(candidate.kind), "modality": str(candidate.modality)}
    entry["parties"] = list(candidate.parties)
    if candidate.relative is not None:
        entry["relative"] = candidate.relative
    else:
        entry["date"] = candidate.edtf or candidate.period.edtf
    entry["date_note"] = candidate.date_note
    attributes = candidate.attributes.to_json()
    if attributes:
        entry["attributes"] = attributes
    entry["quote"] = quote
    if occurrences(draft.text, quote) > 1:
        entry["start"] = candidate.quote.start
    if candidate.notes:
        entry["note"] = "; ".join(candidate.notes)
    entry["confidence"] = candidate.confidence
    entry["rule"] = candidate.rule
    return entry


def _comments(draft: Draft, metadata: Metadata, title_given: bool, publisher_given: bool, model: str) -> list[str]:
    lines = [
        f"Drafted by `paradip draft` from {metadata.text_file}: {len(draft.candidates)} candidate facts for review.",
        f"Drafting model: {model}.",
        "A draft is never ingested by itself. Check each fact against the text (kind, modality, parties,",
        "date, attributes), delete what is wrong and add what is missing, then run",
        "  paradip ingest --check THIS_FILE.yaml   and then   paradip ingest THIS_FILE.yaml",
        "`confidence` and `rule` say which drafting rule proposed a fact and how sure it is; ingest keeps them",
        "as a note on the fact. Save this file beside the text (text_file is relative to this file).",
        f"Publication date {draft.published.edtf}: {draft.published_note}",
    ]
    if not title_given:
        lines.append("The title was taken from the text's header (give --title to set it): check it.")
    if not publisher_given:
        lines.append("No --publisher was given: set the publisher before ingesting.")
    lines.append(f"Source kind guessed as {metadata.kind}: check it.")
    if draft.declared:
        lines.append(
            "Actors declared below for the facts that need them (a conference the gazetteer lacks): check them."
        )
    if draft.set_aside:
        lines.append(
            "Candidates set aside because an ingest would refuse them (fix and add them back if they are facts):"
        )
        for aside in draft.set_aside:
            quote = draft.text[aside.candidate.quote.start : aside.candidate.quote.end]
            shown = quote if len(quote) <= 70 else quote[:69] + "…"
            lines.append(f"  - {aside.candidate.kind} {shown!r}: {aside.reason}")
    if draft.unresolved:
        lines.append("Names the gazetteer cannot resolve (add them under `actors:` or `resolutions:` if a fact needs")
        lines.append("them; they are not in any fact's parties):")
        for name in draft.unresolved:
            lines.append(f"  - {name.text!r} (characters {name.span.start}-{name.span.end}): {name.reason}")
    return lines


def to_yaml(
    draft: Draft,
    metadata: Metadata,
    *,
    title_given: bool = True,
    publisher_given: bool = True,
    model: str = "rules only",
) -> str:
    """The draft as a document file the loader accepts unchanged, with review notes as comments."""
    data: dict[str, Any] = {
        "document": metadata.document,
        "text_file": metadata.text_file,
        "title": metadata.title,
        "publisher": metadata.publisher,
        "kind": metadata.kind,
        "language": metadata.language,
        "address": None,
        "published": draft.published.edtf,
        "published_note": draft.published_note,
        "facts": [_fact_entry(draft, candidate) for candidate in draft.candidates],
    }
    if draft.declared:
        data["actors"] = [
            {"code": actor.code, "level": str(actor.level), "country": actor.country, "en": actor.name}
            for actor in draft.declared
        ]
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=110, default_flow_style=None)
    comments = "".join(f"# {line}\n" for line in _comments(draft, metadata, title_given, publisher_given, model))
    return comments + body


def fact_object(draft: Draft, metadata: Metadata, candidate: Candidate) -> dict[str, Any]:
    """A candidate as a fact object of the JSON contract (status ``draft``, never recorded) with its rule."""
    quote = quote_of(draft, candidate)
    sha256 = sha256_of(draft.text)
    identity = fact_id(
        sha256=sha256,
        start=candidate.quote.start,
        end=candidate.quote.end,
        kind=candidate.kind,
        modality=candidate.modality,
        parties=tuple(sorted(set(candidate.parties))),
        date=candidate.period,
        attributes=candidate.attributes,
    )
    return {
        "fact_id": str(identity),
        "kind": str(candidate.kind),
        "modality": str(candidate.modality),
        "parties": sorted(set(candidate.parties)),
        "date": candidate.period.edtf,
        "attributes": candidate.attributes.to_json(),
        "source": {
            "document": metadata.document,
            "title": metadata.title,
            "publisher": metadata.publisher,
            "published": draft.published.edtf,
            "sha256": sha256,
            "start": candidate.quote.start,
            "end": candidate.quote.end,
            "quote": quote,
        },
        "recorded_at": None,
        "status": DRAFT_STATUS,
        "confidence": candidate.confidence,
        "rule": candidate.rule,
    }


def to_json(draft: Draft, metadata: Metadata) -> dict[str, Any]:
    """The draft as JSON: the publication date and where it came from, the candidates, the unresolved names."""
    return {
        "document": metadata.document,
        "published": draft.published.edtf,
        "published_from": draft.published_from,
        "published_note": draft.published_note,
        "candidates": [fact_object(draft, metadata, candidate) for candidate in draft.candidates],
        "unresolved": [
            {"name": name.text, "start": name.span.start, "end": name.span.end, "reason": name.reason}
            for name in draft.unresolved
        ],
    }
