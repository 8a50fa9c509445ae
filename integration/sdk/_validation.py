"""Argument checks done before a request is sent, each naming the offending wire field.

Failing here, in Python, with a message that names ``channelId`` or ``description`` is far easier
to act on than an ``error`` event from the host some time later — and for showInfo the host would
otherwise cut or reject a long text without telling the caller.
"""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

from ._enums import AgentState, LogLevel, OpenEnum, ReasonType
from ._exceptions import InvalidRequest

CHANNEL_ID = re.compile(r"^(voice|voice_-?\d+|telephony)$")
SHOW_INFO_MAX = 60
SETTABLE_STATES = (AgentState.READY, AgentState.NOT_READY, AgentState.LOGOUT)


def _text(field: str, value: Any, *, allow_empty: bool = False) -> str:
    if not isinstance(value, str):
        raise InvalidRequest(field, f"must be a string, got {type(value).__name__}")
    if not allow_empty and not value.strip():
        raise InvalidRequest(field, "must not be empty")
    return value


def channel_id(value: Any) -> str:
    """``voice``, ``voice_<peripheral_id>`` (``voice_-1`` for CCX) or ``telephony`` (WxCC)."""
    text = _text("channelId", value)
    if not CHANNEL_ID.match(text):
        raise InvalidRequest(
            "channelId",
            f"{text!r} is not a channel id; expected 'voice', 'voice_<peripheral_id>' "
            "(e.g. 'voice_5000', 'voice_-1' for CCX) or 'telephony' (WxCC)",
        )
    return text


def _member(field: str, enum: type[OpenEnum], value: Any, allowed: tuple[OpenEnum, ...]) -> str:
    names = ", ".join(item.value for item in allowed)
    if not isinstance(value, str):
        raise InvalidRequest(field, f"must be one of {names}, got {value!r}")
    member = enum(value)
    if member not in allowed or not member.is_known:
        raise InvalidRequest(field, f"must be one of {names}, got {value!r}")
    return member.value


def agent_state(value: AgentState | str) -> str:
    """Ready, NotReady or Logout (the states an integration may request)."""
    return _member("state", AgentState, value, SETTABLE_STATES)


def reason_type(value: ReasonType | str) -> str:
    """Logout, NotReady or Wrapup."""
    return _member("reasonType", ReasonType, value, tuple(ReasonType))


def log_level(value: LogLevel | str) -> str:
    """Debug or Error."""
    return _member("logLevel", LogLevel, value, tuple(LogLevel))


def reason_code(value: Any) -> int | str:
    """A reason code as the host takes it: an int, its text, or "" for none (None → "")."""
    if value is None:
        return ""
    code = getattr(value, "id", value)  # a ReasonCode from get_reason_code_list
    if isinstance(code, bool) or not isinstance(code, (int, str)):
        raise InvalidRequest("reasonCode", f"must be an int, a string or a ReasonCode, got {value!r}")
    return code


def address(value: Any) -> str:
    """A non-empty destination address (surrounding blanks removed)."""
    return _text("address", value).strip()


def template_name(value: Any) -> str:
    """A non-empty session template name."""
    return _text("templateName", value)


def template_parameters(value: Any) -> dict[str, Any] | None:
    """None or a JSON-serialisable object."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise InvalidRequest("templateParameters", f"must be a dict or None, got {type(value).__name__}")
    json_value(value, "templateParameters")
    return value


def show_info_text(value: Any) -> str:
    """At most 60 characters, counted as JavaScript does (UTF-16 units); never truncated."""
    text = _text("description", value)
    length = len(text.encode("utf-16-le")) // 2
    if length > SHOW_INFO_MAX:
        raise InvalidRequest(
            "description",
            f"showInfo text is {length} characters; b+s Connects allows at most {SHOW_INFO_MAX}",
        )
    return text


def request_id(value: Any) -> str:
    """The caller's request id, or a fresh unique one when none was given."""
    if value is None or value == "":
        return new_request_id()
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise InvalidRequest("requestId", f"must be a string, got {type(value).__name__}")
    return str(value)


def new_request_id() -> str:
    """A request id unique across tabs and reloads (so events are never matched to a stranger)."""
    return f"py-{uuid.uuid4().hex}"


def text(field: str, value: Any, *, allow_empty: bool = False) -> str:
    """A string argument (non-empty unless allowed)."""
    return _text(field, value, allow_empty=allow_empty)


def optional_text(field: str, value: Any) -> str | None:
    """None or a string."""
    return None if value is None else _text(field, value, allow_empty=True)


def json_value(value: Any, field: str) -> None:
    """Raise InvalidRequest unless ``value`` survives JSON (what postMessage of text needs)."""
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise InvalidRequest(field, f"must be JSON-serialisable: {exc}") from None
