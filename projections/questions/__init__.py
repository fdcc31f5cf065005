"""The questions Paradip answers: plain functions over a read session, one module per subject, and
``Questions``, the one object that asks them of one store's read session (``Paradip.questions``)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Concatenate, Generic, ParamSpec, TypeVar, overload

from projections.questions.audit import digest, verify
from projections.questions.catalogue import actors, resolve_actor, sources
from projections.questions.coverage import coverage
from projections.questions.impact import impact_of
from projections.questions.network import network, ties_over_time
from projections.questions.programs import program_state
from projections.questions.provenance import document_facts, provenance, source_text
from projections.questions.read_models import projection_status, view_rows
from projections.questions.relationships import (
    counterparts,
    partners,
    relationship_histories,
    relationship_history,
    relationship_state,
)
from projections.questions.reviewed import reviewed_documents
from projections.questions.timeline import facts, find_fact, timeline
from projections.session import ReadSession

Asked = ParamSpec("Asked")
Answer = TypeVar("Answer")


class Question(Generic[Asked, Answer]):
    """A question function, asked through ``Questions`` of its read session: ``questions.partners(...)`` is
    ``questions.relationships.partners(questions.read, ...)``, with the function's own signature and docstring."""

    def __init__(self, function: Callable[Concatenate[ReadSession, Asked], Answer]) -> None:
        self.function = function
        self.__doc__ = function.__doc__

    @overload
    def __get__(self, questions: None, owner: type[Questions]) -> Question[Asked, Answer]: ...
    @overload
    def __get__(self, questions: Questions, owner: type[Questions]) -> Callable[Asked, Answer]: ...
    def __get__(
        self, questions: Questions | None, owner: type[Questions]
    ) -> Question[Asked, Answer] | Callable[Asked, Answer]:
        if questions is None:
            return self
        return partial(self.function, questions.read)


class Questions:
    """Every question, over one store's read session; each is written once, as a function in its subject's module."""

    def __init__(self, read: ReadSession) -> None:
        self.read = read

    relationship_state = Question(relationship_state)
    relationship_history = Question(relationship_history)
    relationship_histories = Question(relationship_histories)
    partners = Question(partners)
    counterparts = Question(counterparts)
    program_state = Question(program_state)
    network = Question(network)
    ties_over_time = Question(ties_over_time)
    coverage = Question(coverage)
    timeline = Question(timeline)
    facts = Question(facts)
    find_fact = Question(find_fact)
    provenance = Question(provenance)
    document_facts = Question(document_facts)
    source_text = Question(source_text)
    resolve_actor = Question(resolve_actor)
    actors = Question(actors)
    sources = Question(sources)
    impact_of = Question(impact_of)
    digest = Question(digest)
    verify = Question(verify)
    projection_status = Question(projection_status)
    view_rows = Question(view_rows)
    reviewed_documents = Question(reviewed_documents)
