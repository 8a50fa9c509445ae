"""Custom Requests: send b+s Connects requests from a Dynamics page, written in Python.

A Custom Request is a DOM ``CustomEvent`` named ``integrationapi`` (or ``CIClickToAct`` in
single-session set-ups) dispatched on ``window.top`` with the request as ``detail``. Only
createSession, setAgentState and writeLog are available, plus click-to-dial (a detail without
``request``). Nothing is answered: the page consumes no events.

Quick start (in the page's PyScript worker; ``post`` is the worker's ``postMessage``)::

    from integration.custom_requests import CustomRequests, MessageDispatcher

    requests = CustomRequests(MessageDispatcher(post))
    requests.set_agent_state("voice", "NotReady", reason_code=2)
    requests.click_to_dial("+41441234567", "contact", "0f8fad5b-d9cb-469f-a165-70867728950e")

Arguments are checked with the SDK's own validation, so bad input raises the same
:class:`~integration.sdk.InvalidRequest` as ``ConnectsClient`` would. On the page,
static/custom-requests/relay.js turns each posted message into the DOM event.

Public names
    CustomRequests       create_session, set_agent_state, write_log, click_to_dial
    Dispatcher           the interface: ``dispatch(event, detail)``
    MessageDispatcher    posts ``{"bsc":"custom-requests","kind":"dispatch",...}`` JSON text (the browser's way)
    InMemoryDispatcher   records ``sent`` (CPython tests)
    Dispatched           one recorded (event, detail)
    ClickHandler         the example page's button protocol (click → dispatch or error)
    INTEGRATION_API, CI_CLICK_TO_ACT   the two event names
    create_session_detail, set_agent_state_detail, write_log_detail, click_to_dial_detail
                         the validated detail dicts alone
    encode_dispatch      the worker → page message for one request
    InvalidRequest       re-exported from the SDK
"""

from integration.sdk import InvalidRequest

from ._details import click_to_dial_detail, create_session_detail, set_agent_state_detail, write_log_detail
from ._dispatch import (
    CI_CLICK_TO_ACT,
    INTEGRATION_API,
    Dispatched,
    Dispatcher,
    InMemoryDispatcher,
    MessageDispatcher,
    encode_dispatch,
)
from ._page import ClickHandler
from ._requests import CustomRequests

__all__ = [
    "CI_CLICK_TO_ACT",
    "INTEGRATION_API",
    "ClickHandler",
    "CustomRequests",
    "Dispatched",
    "Dispatcher",
    "InMemoryDispatcher",
    "InvalidRequest",
    "MessageDispatcher",
    "click_to_dial_detail",
    "create_session_detail",
    "encode_dispatch",
    "set_agent_state_detail",
    "write_log_detail",
]
