"""Decorator sugar for registering event handlers, one ``on_<event>`` per event.

Kept apart from Integration so that file stays about lifecycle and messages. Every method here
returns the handler unchanged, so decorated functions stay directly callable in tests.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar, overload

from ._dispatch import Handler
from ._enums import EventName
from ._events import event_name

H = TypeVar("H", bound=Handler)


class HandlerRegistration:
    """Mixin: ``on(name)`` and ``on_<event>`` decorators on top of ``_register``."""

    def _register(self, name: EventName, handler: Handler) -> None:  # pragma: no cover
        raise NotImplementedError

    @overload
    def on(self, name: EventName | str) -> Callable[[H], H]: ...

    @overload
    def on(self, name: EventName | str, handler: H) -> H: ...

    def on(self, name: EventName | str, handler: H | None = None) -> H | Callable[[H], H]:
        """Register a handler for an event: ``@integration.on("workitemConnect")``.

        The name may be any of the nine event names (``workItemWrapup`` spelling too); an
        unknown name raises ValueError at once rather than never firing.
        """
        event = event_name(name)

        def register(function: H) -> H:
            self._register(event, function)
            return function

        return register if handler is None else register(handler)

    def on_agent_state_change(self, handler: H) -> H:
        """Decorator: handler(AgentStateChange)."""
        return self.on(EventName.AGENT_STATE_CHANGE, handler)

    def on_before_dial(self, handler: H) -> H:
        """Decorator: handler(BeforeDial); registering one makes start() subscribe beforeDial."""
        return self.on(EventName.BEFORE_DIAL, handler)

    def on_error(self, handler: H) -> H:
        """Decorator: handler(ErrorEvent)."""
        return self.on(EventName.ERROR, handler)

    def on_workitem_connect(self, handler: H) -> H:
        """Decorator: handler(Workitem) when a work item is accepted."""
        return self.on(EventName.WORKITEM_CONNECT, handler)

    def on_workitem_create(self, handler: H) -> H:
        """Decorator: handler(Workitem) when a work item appears (also on call recovery)."""
        return self.on(EventName.WORKITEM_CREATE, handler)

    def on_workitem_end(self, handler: H) -> H:
        """Decorator: handler(Workitem) when a work item disappears."""
        return self.on(EventName.WORKITEM_END, handler)

    def on_workitem_pause(self, handler: H) -> H:
        """Decorator: handler(Workitem) when a work item is put on hold."""
        return self.on(EventName.WORKITEM_PAUSE, handler)

    def on_workitem_resume(self, handler: H) -> H:
        """Decorator: handler(Workitem) when a held work item is resumed."""
        return self.on(EventName.WORKITEM_RESUME, handler)

    def on_workitem_wrapup(self, handler: H) -> H:
        """Decorator: handler(Workitem) when a work item enters wrap-up."""
        return self.on(EventName.WORKITEM_WRAPUP, handler)
