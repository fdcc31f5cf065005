"""The body split into paragraphs, sentences (pysbd) and clauses, all by exact character offsets."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import pysbd

from drafting.model import Header, Sentence, Span

_GLUED = re.compile(r"(?<=[a-z0-9)])(?<!\be\.g)(?<!\bi\.e)(?<!\betc)[.!?](?=[”\"’]?[A-Z][a-z])")
_TERMINAL = re.compile(r"[.!?…:][”\"’)]*\s*$")
_LEADING = re.compile(r"^(?:\s|[○●•◦▪■□※*]|[–—-](?=\s)|\d{1,2}[.)](?=\s))+")
_CLAUSE_BREAK = re.compile(
    r";\s|\s/\s|…\s*|:\s(?=[“\"])|\s[–—]\s|,\s(?=(?:and|but|while|which|who|whom|whose|where|as|after|before|"
    r"including|asserting|saying|citing|resuming|expressing|adding|meet|visit|attend|sign|hold|tour|discuss|"
    r"a|an)\b)"
)


@cache
def _segmenter() -> Any:
    return pysbd.Segmenter(language="en", clean=False, char_span=True)


def paragraphs(text: str, start: int) -> list[Span]:
    """Paragraphs of ``text`` from ``start``: a line is its own paragraph unless it was hard-wrapped."""
    spans: list[Span] = []
    offset = start
    current: Span | None = None
    for line in text[start:].splitlines(keepends=True):
        content = line.strip()
        line_start = offset + (len(line) - len(line.lstrip()))
        line_end = offset + len(line.rstrip())
        offset += len(line)
        if not content:
            if current is not None:
                spans.append(current)
                current = None
            continue
        continues = (
            current is not None and not _TERMINAL.search(text[current.start : current.end]) and content[:1].islower()
        )
        if continues and current is not None:
            current = Span(start=current.start, end=line_end)
        else:
            if current is not None:
                spans.append(current)
            current = Span(start=line_start, end=line_end)
    if current is not None:
        spans.append(current)
    return spans


def _trimmed(text: str, start: int, end: int) -> Span | None:
    piece = text[start:end]
    leading = _LEADING.match(piece)
    skip = leading.end() if leading else 0
    stripped = piece[skip:].rstrip()
    if not stripped.strip():
        return None
    return Span(start=start + skip, end=start + skip + len(stripped))


def clauses(text: str, sentence: Span) -> tuple[Span, ...]:
    """The clauses of a sentence, split at semicolons, slashes, dashes, colons and ', and'-like joints."""
    pieces: list[Span] = []
    cursor = sentence.start
    for match in _CLAUSE_BREAK.finditer(text, sentence.start, sentence.end):
        if match.start() > cursor:
            pieces.append(Span(start=cursor, end=match.start()))
        cursor = match.end()
    if cursor < sentence.end:
        pieces.append(Span(start=cursor, end=sentence.end))
    return tuple(piece for piece in (_trimmed(text, p.start, p.end) for p in pieces) if piece is not None) or (
        sentence,
    )


def sentences(text: str, header: Header) -> list[Sentence]:
    """The body's sentences in order, each trimmed of list markers and a leading dateline."""
    found: list[Sentence] = []
    for number, paragraph in enumerate(paragraphs(text, header.body_start)):
        start = paragraph.start
        if header.dateline_end is not None and start <= header.dateline_end <= paragraph.end:
            start = header.dateline_end
        piece = text[start : paragraph.end]
        for segment in _segmenter().segment(piece):
            seg_start = start + segment.start
            seg_end = start + segment.end
            if text[seg_start:seg_end] != segment.sent:
                located = text.find(segment.sent, seg_start - 5 if seg_start >= 5 else 0)
                if located < 0:
                    continue
                seg_start, seg_end = located, located + len(segment.sent)
            for part in unglued(text, Span(start=seg_start, end=seg_end)):
                span = _trimmed(text, part.start, part.end)
                if span is not None:
                    found.append(Sentence(span=span, paragraph=number, clauses=clauses(text, span)))
    return found


def unglued(text: str, segment: Span) -> list[Span]:
    """A segment split where two sentences were glued without a space ('in 1992.He emphasized', '1993.”Over')."""
    pieces: list[Span] = []
    start = segment.start
    for glue in _GLUED.finditer(text, segment.start, segment.end):
        pieces.append(Span(start=start, end=glue.end()))
        start = glue.end()
    pieces.append(Span(start=start, end=segment.end))
    return pieces
