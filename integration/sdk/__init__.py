"""Write b+s Connects custom integrations in typed Python.

Quick start::

    from integration.sdk import Integration, AgentState

    integration = Integration(transport)

    @integration.on_workitem_connect
    async def greet(item):
        await integration.client.show_info(f"Connected: {item.ani}")

    await integration.start(channel_id="voice")

Public names (everything else is private and may change):

Running an integration
    run                  ``await run(main)``: a connected Integration handed to ``main`` (the entry)
    Main                 the entry's type: ``main(integration)``, sync or async
    Integration          handlers (``on``/``on_<event>``), ``start``, ``client``, ``state``,
                         ``stats``, ``start_info``, ``wait_for``, ``send_decision``, ``configure_watchdog``,
                         ``persist``/``storage``, ``context``, ``send_status``, ``report_failure``,
                         ``forward_logging``, ``idle``, ``close``
    ShimContext          what the shim sends after hello (persisted strings, restarts, visible)
    ConnectsClient       the ten requests as async methods
    Action               a showError button (label + sync/async callback)
    StateStore           agent state per channel and open work items
    AgentStatus          the agent's state on one channel
    Stats                counters of invalid/dropped events, handler errors, ...
    ConnectsLogHandler   logging.Handler forwarding records to writeLog
    Transport            the text channel interface (the worker transport implements it)
    InMemoryTransport    an in-process Transport pair for tests
    load_package         ``await load_package(name)``: an ``on-demand-packages`` package's files in memory
    package_readable     whether a package's files can be read now (without waiting for a download)

Event payloads and results (pydantic models; snake_case names, camelCase wire aliases)
    Event                any handler payload: AgentStateChange | BeforeDial | ErrorEvent | Workitem
    AgentStateChange, BeforeDial, ErrorEvent, Workitem, Activity, CrmRecord, Participant,
    ChannelInfo, Channel, ReasonCode, CustomSettings

Value sets (open string enums: unknown values keep their text, ``is_known`` is False)
    OpenEnum, AgentState, ChannelType, WorkitemState, Classification, Direction, CallType,
    ReasonType, LogLevel, EventName, RequestName, DecisionOutcome, FailMode

Exceptions (tree in ``ConnectsError``'s module docstring)
    ConnectsError, InvalidRequest, RequestFailed, RequestTimeout, EventTimeout, ProtocolError

The test kit lives in ``integration.testing`` (``FakeConnects``): a tool for tests, not shipped to the browser.
"""

from ._callbacks import Action
from ._channel import Channel, ChannelInfo, ReasonCode
from ._client import ConnectsClient
from ._enums import (
    AgentState,
    CallType,
    ChannelType,
    Classification,
    DecisionOutcome,
    Direction,
    EventName,
    FailMode,
    LogLevel,
    OpenEnum,
    ReasonType,
    RequestName,
    WorkitemState,
)
from ._events import AgentStateChange, BeforeDial, ErrorEvent, Event
from ._exceptions import (
    ConnectsError,
    EventTimeout,
    InvalidRequest,
    ProtocolError,
    RequestFailed,
    RequestTimeout,
)
from ._integration import Integration
from ._logging import ConnectsLogHandler
from ._messages import ShimContext
from ._packages import load_package, package_readable
from ._run import Main, run
from ._settings import CustomSettings
from ._state import AgentStatus, StateStore
from ._stats import Stats
from ._transport import InMemoryTransport, Transport
from ._version import SDK_VERSION as __version__
from ._workitem import Activity, CrmRecord, Participant, Workitem

__all__ = [
    "Action",
    "Activity",
    "AgentState",
    "AgentStateChange",
    "AgentStatus",
    "BeforeDial",
    "CallType",
    "Channel",
    "ChannelInfo",
    "ChannelType",
    "Classification",
    "ConnectsClient",
    "ConnectsError",
    "ConnectsLogHandler",
    "CrmRecord",
    "CustomSettings",
    "DecisionOutcome",
    "Direction",
    "ErrorEvent",
    "Event",
    "EventName",
    "EventTimeout",
    "FailMode",
    "InMemoryTransport",
    "Integration",
    "InvalidRequest",
    "LogLevel",
    "Main",
    "OpenEnum",
    "Participant",
    "ProtocolError",
    "ReasonCode",
    "ReasonType",
    "RequestFailed",
    "RequestName",
    "RequestTimeout",
    "ShimContext",
    "StateStore",
    "Stats",
    "Transport",
    "Workitem",
    "WorkitemState",
    "load_package",
    "package_readable",
    "run",
    "__version__",
]
