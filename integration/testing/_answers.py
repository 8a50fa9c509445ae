"""How the fake host answers each of the ten requests.

Like the real host, a request whose *operation* fails still resolves its promise and reports the
failure with an ``error`` event carrying the requestId; only malformed calls are rejected outright.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from integration.sdk import AgentState, RequestName
from integration.sdk._messages import Request, Response
from integration.sdk._protocol import encode

from . import _payloads as payloads
from ._calls import Calls
from ._desk import Desk
from ._outbox import Outbox
from ._records import Alert

_SETTABLE = {"Ready": AgentState.READY, "NotReady": AgentState.NOT_READY, "Logout": AgentState.LOGOUT}


class Answers:
    """``handle`` plus one method per request name; records what the requests showed or wrote."""

    def __init__(self, desk: Desk, calls: Calls, outbox: Outbox, send: Callable[[str], None], *,
                 envelope: bool = False) -> None:
        self._desk = desk
        self._calls = calls
        self._outbox = outbox
        self._send = send
        self.envelope = envelope
        """True: answers come as ``{success, response, error}`` envelopes (as some hosts send)."""
        self.fail: dict[str, str] = {}
        """Request name → error text: that request is rejected (ok=false, or success=false)."""
        self.silent: set[str] = set()
        """Request names the fake never answers (to test timeouts)."""
        self.canned: dict[str, Any] = {}
        """Request name → the result it resolves to, exactly as given (no envelope added): to test
        how an integration reads an answer in a shape the fake would not send by itself."""
        self.alerts: list[Alert] = []
        self.infos: list[str] = []
        self.logs: list[tuple[str, str]] = []
        self.sessions: list[tuple[str, Any]] = []

    def handle(self, request: Request) -> None:
        """Answer one request (or not, when its name is in ``silent``)."""
        if request.name in self.silent:
            return
        if request.name in self.fail:
            self._answer(request, error=self.fail[request.name])
            return
        if request.name in self.canned:
            self._respond(request.id, True, self.canned[request.name])
            return
        method = getattr(self, f"_do_{request.name}", None)
        if method is None:
            self._answer(request, error=f"unknown request {request.name!r}")
            return
        try:
            method(request, *request.args)
        except TypeError as exc:  # wrong number of args: the real cil would misbehave too
            self._answer(request, error=f"bad arguments for {request.name}: {exc}")

    def _answer(self, request: Request, result: Any = None, error: str | None = None) -> None:
        if self.envelope:
            body = {"success": error is None, "response": result, "error": error}
            self._respond(request.id, True, body)
        elif error is None:
            self._respond(request.id, True, result)
        else:
            self._respond(request.id, False, error=error)

    def _respond(self, request_id: int, ok: bool, result: Any = None, error: str | None = None) -> None:
        self._send(encode(Response(id=request_id, ok=ok, result=result, error=error)))

    def _do_createSession(self, request: Request, name: Any, params: Any = None) -> None:
        self.sessions.append((name, params))
        self._answer(request)

    def _do_dialOrConsult(self, request: Request, channel_id: Any, address: Any, request_id: Any = "") -> None:
        self._answer(request)
        self._calls.dial(channel_id, address, request_id or "")

    def _do_getChannel(self, request: Request, channel_id: Any) -> None:
        if not self._desk.matches(channel_id):
            self._answer(request, error=f"Unknown channel {channel_id}")
            return
        self._answer(request, self._desk.channel([dict(item) for item in self._calls.workitems.values()]))

    def _do_getCustomSettings(self, request: Request) -> None:
        self._answer(request, payloads.custom_settings(self._desk.custom_settings, self._desk.settings_shape))

    def _do_getReasonCodeList(self, request: Request, channel_id: Any, reason_type: Any) -> None:
        if not self._desk.matches(channel_id):
            self._answer(request, error=f"Unknown channel {channel_id}")
        elif reason_type not in ("Logout", "NotReady", "Wrapup"):
            self._answer(request, error=f"Unknown reason type {reason_type}")
        else:
            self._answer(request, [dict(code) for code in self._desk.reason_codes.get(reason_type, [])])

    def _do_isPrimaryTab(self, request: Request) -> None:
        self._answer(request, self._desk.primary_tab)

    def _do_setAgentState(
        self, request: Request, channel_id: Any, state: Any, reason_code: Any = "", request_id: Any = ""
    ) -> None:
        self._answer(request)
        rid = request_id or ""
        if not self._desk.matches(channel_id):
            self._outbox.error(f"Unknown channel {channel_id}", rid)
            return
        target = _SETTABLE.get(state) if isinstance(state, str) else None
        if target is None:
            self._outbox.error(f"Invalid state {state}", rid)
            return
        label = ""
        if reason_code not in ("", None) and target != AgentState.READY:
            found = self._desk.reason_label_for(target, reason_code)
            if found is None:
                self._outbox.error(f"Unknown reason code {reason_code} for {target.value}", rid)
                return
            label = found
        code = reason_code if reason_code not in ("", None) else -1
        self._desk.change_state(target, code, label, request_id=rid)

    def _do_showError(
        self, request: Request, description: Any, title: Any = None, confirm: Any = None, dismiss: Any = None
    ) -> None:
        self.alerts.append(Alert(description, title, confirm, dismiss))
        self._answer(request)

    def _do_showInfo(self, request: Request, description: Any) -> None:
        if not isinstance(description, str) or len(description) > 60:
            self._answer(request, error="description must be a string of at most 60 characters")
            return
        self.infos.append(description)
        self._answer(request)

    def _do_writeLog(self, request: Request, message: Any, level: Any = "Debug") -> None:
        self.logs.append((str(message), str(level)))
        self._answer(request)


assert {f"_do_{name.value}" for name in RequestName} <= set(vars(Answers)), "a request lacks a handler"
