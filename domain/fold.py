"""State as a pure fold, written once: each aggregate registers one handler per event class, and its stream's
events fold into its state (``project`` is the projector function the event store's repository takes)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import singledispatch
from typing import Any, Generic, TypeVar

from events.base import DomainEvent

State = TypeVar("State")
Handler = TypeVar("Handler", bound=Callable[..., Any])


class Fold(Generic[State]):
    """``mutate(state, event)``, dispatched on the event's class, and ``project(state, events)``."""

    def __init__(self, stream: str) -> None:
        self.stream = stream

        @singledispatch
        def apply(event: DomainEvent, state: State | None) -> State:
            msg = f"unexpected event {type(event).__name__} in {stream} stream"
            raise TypeError(msg)

        self._apply = apply

    def applies(self, handler: Handler) -> Handler:
        """Register ``handler(event, state) -> state`` for the event class its first parameter names."""
        self._apply.register(handler)
        return handler

    def mutate(self, state: State | None, event: DomainEvent) -> State:
        """Fold one event into the state."""
        found: State = self._apply(event, state)
        return found

    def project(self, state: State | None, events: Iterable[DomainEvent]) -> State | None:
        """The state after the events."""
        for event in events:
            state = self.mutate(state, event)
        return state
