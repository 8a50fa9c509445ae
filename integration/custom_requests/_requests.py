"""``CustomRequests``: the requests a Dynamics page may send to b+s Connects, one method each.

Every method validates (same errors as the SDK's client), builds the ``detail`` and hands it to the
dispatcher; it returns the detail so a page can show or log what was sent. Nothing comes back: the
contract says Custom Requests consume no events, so there is no outcome to wait for.
"""

from __future__ import annotations

from typing import Any

from integration.sdk import LogLevel

from ._details import click_to_dial_detail, create_session_detail, set_agent_state_detail, write_log_detail
from ._dispatch import INTEGRATION_API, Dispatcher, event_name


class CustomRequests:
    """Sends Custom Requests through ``dispatcher`` as the DOM event ``event``.

    ``event`` is ``"integrationapi"`` (default: multi-session Dynamics can block ``CIClickToAct``) or
    ``"CIClickToAct"`` for single-session set-ups that use it.
    """

    def __init__(self, dispatcher: Dispatcher, *, event: str = INTEGRATION_API) -> None:
        self.dispatcher = dispatcher
        self.event = event_name(event)

    def _send(self, detail: dict[str, Any]) -> dict[str, Any]:
        self.dispatcher.dispatch(self.event, detail)
        return detail

    def create_session(self, template_name: str, template_parameters: dict[str, Any] | None = None) -> dict[str, Any]:
        """Open a Dynamics session from the session template ``template_name``."""
        return self._send(create_session_detail(template_name, template_parameters))

    def set_agent_state(
        self, channel_id: str, state: str, reason_code: int | str | None = "", request_id: str | int | None = None
    ) -> dict[str, Any]:
        """Set the agent's state (Ready, NotReady, Logout) on a channel, with an optional reason code."""
        return self._send(set_agent_state_detail(channel_id, state, reason_code, request_id))

    def write_log(self, message: str, level: LogLevel | str = LogLevel.DEBUG) -> dict[str, Any]:
        """Write a line into the b+s Connects log (search COR_API_WRITE_LOG)."""
        return self._send(write_log_detail(message, level))

    def click_to_dial(
        self, number: str, entity_logical_name: str | None = None, entity_id: str | None = None
    ) -> dict[str, Any]:
        """Dial ``number`` as if the agent clicked it (goes through beforeDial when an integration asks)."""
        return self._send(click_to_dial_detail(number, entity_logical_name, entity_id))
