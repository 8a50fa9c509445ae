"""Value sets of the b+s Connects Integration API as tolerant string enums.

The host is a product that evolves independently of this SDK: a new agent state or work item
class must not make a whole event unreadable. So every enum here is "open": a value it does not
know becomes a pseudo-member named ``UNRECOGNIZED`` whose ``value`` is the raw text, and
``is_known`` tells the two apart. Matching of known values ignores case, because the contract's
own spelling wobbles (``workItemWrapup`` vs ``workitemWrapup``).

Members are ``str`` subclasses (``StrEnum``), so ``AgentState.READY == "Ready"`` and they serialise
to JSON as their wire text.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from . import _contract

UNRECOGNIZED = "UNRECOGNIZED"


class OpenEnum(StrEnum):
    """A ``StrEnum`` that maps unknown text to an ``UNRECOGNIZED`` pseudo-member keeping the text."""

    @classmethod
    def _missing_(cls, value: Any) -> Any:
        # Called by Enum.__new__ (and by pydantic-core) only after the exact lookup failed.
        if not isinstance(value, str):
            return None
        folded = value.casefold()
        for member in cls:
            if member.value.casefold() == folded:
                return member
        pseudo = str.__new__(cls, value)
        pseudo._name_ = UNRECOGNIZED
        pseudo._value_ = value
        return pseudo

    @property
    def is_known(self) -> bool:
        """True for a value listed in the contract, False for an ``UNRECOGNIZED`` pseudo-member."""
        return type(self)._value2member_map_.get(self._value_) is self

    @classmethod
    def known_values(cls) -> tuple[str, ...]:
        """The wire texts this SDK knows, in contract order (for error messages)."""
        return tuple(member.value for member in cls)


class AgentState(OpenEnum):
    """Agent state on a channel (agentStateChange newState/oldState, Channel.state)."""

    LOGOUT = "Logout"
    OFFLINE = "Offline"
    READY = "Ready"
    NOT_READY = "NotReady"
    ACTIVE = "Active"
    WRAPUP = "Wrapup"
    UNKNOWN = "Unknown"


class ChannelType(OpenEnum):
    """Channel type (agentStateChange channelType, Workitem channelType, Channel.type)."""

    VOICE = "Voice"
    MAIL = "Mail"
    CHAT = "Chat"
    TASK = "Task"
    FEDERATION = "Federation"


class WorkitemState(OpenEnum):
    """Current state of a work item."""

    UNKNOWN = "Unknown"
    INITIATED = "Initiated"
    OFFERED = "Offered"
    ACTIVE = "Active"
    PAUSED = "Paused"
    WRAPUP = "Wrapup"
    ENDED = "Ended"
    ENDED_ABANDONED = "EndedAbandoned"
    ENDED_TRANSFERRED = "EndedTransferred"
    ENDED_UNKNOWN = "EndedUnknown"

    @property
    def is_ended(self) -> bool:
        """True for every ``Ended*`` state (the call is over, wrap-up may still follow)."""
        return self.value.startswith("Ended")


class Classification(OpenEnum):
    """Work item class."""

    CUSTOMER = "Customer"
    CONSULTATION = "Consultation"
    CONFERENCE = "Conference"
    TRANSFER = "Transfer"
    INTERNAL = "Internal"
    UNKNOWN = "Unknown"


class Direction(OpenEnum):
    """Direction of a work item."""

    INCOMING = "Incoming"
    OUTGOING = "Outgoing"


class CallType(OpenEnum):
    """beforeDial callType."""

    OUTBOUND = "Outbound"


class ReasonType(OpenEnum):
    """The reasonType argument of getReasonCodeList."""

    LOGOUT = "Logout"
    NOT_READY = "NotReady"
    WRAPUP = "Wrapup"


class LogLevel(OpenEnum):
    """The logLevel argument of writeLog."""

    DEBUG = "Debug"
    ERROR = "Error"


class EventName(OpenEnum):
    """The nine events, named as the shim forwards them (``cil.on<Name>`` without ``on``).

    Members are written out for type checkers; the names come from ``_contract.EVENTS`` (checked
    at import).

    The contract titles the wrap-up event ``workItemWrapup`` while the subscription is
    ``onWorkitemWrapup``; case-insensitive matching maps both to ``WORKITEM_WRAPUP``.
    """

    AGENT_STATE_CHANGE = "agentStateChange"
    BEFORE_DIAL = "beforeDial"
    ERROR = "error"
    WORKITEM_CONNECT = "workitemConnect"
    WORKITEM_CREATE = "workitemCreate"
    WORKITEM_END = "workitemEnd"
    WORKITEM_PAUSE = "workitemPause"
    WORKITEM_RESUME = "workitemResume"
    WORKITEM_WRAPUP = "workitemWrapup"


class RequestName(OpenEnum):
    """The ten ``cil`` requests a custom integration may issue (``_contract.REQUESTS``, checked at import)."""

    CREATE_SESSION = "createSession"
    DIAL_OR_CONSULT = "dialOrConsult"
    GET_CHANNEL = "getChannel"
    GET_CUSTOM_SETTINGS = "getCustomSettings"
    GET_REASON_CODE_LIST = "getReasonCodeList"
    IS_PRIMARY_TAB = "isPrimaryTab"
    SET_AGENT_STATE = "setAgentState"
    SHOW_ERROR = "showError"
    SHOW_INFO = "showInfo"
    WRITE_LOG = "writeLog"


_contract.require_values(EventName, _contract.EVENTS)
_contract.require_values(RequestName, _contract.REQUESTS)


class DecisionOutcome(OpenEnum):
    """What Python decided about a beforeDial (protocol ``decision`` message)."""

    DIAL = "dial"
    BLOCK = "block"
    FAILED = "failed"


class FailMode(OpenEnum):
    """What the shim does when Python fails to decide a beforeDial in time (protocol ``configure``)."""

    OPEN = "open"
    CLOSED = "closed"


WORKITEM_EVENTS: frozenset[EventName] = frozenset(
    {
        EventName.WORKITEM_CONNECT,
        EventName.WORKITEM_CREATE,
        EventName.WORKITEM_END,
        EventName.WORKITEM_PAUSE,
        EventName.WORKITEM_RESUME,
        EventName.WORKITEM_WRAPUP,
    }
)
"""The six events whose payload is a Workitem."""
