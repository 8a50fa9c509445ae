"""How the test kit's fake host answers each of the ten requests.

A mixin of ``testing.FakeConnects``: the state it reads and changes lives there. Like the real
host, a request whose *operation* fails still resolves its promise and reports the failure with an
``error`` event carrying the requestId; only malformed calls are rejected outright.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import _fake_payloads as payloads
from ._enums import AgentState, Direction, RequestName, WorkitemState
from ._protocol import Decision, Request

if TYPE_CHECKING:
    from .testing import FakeConnects

_SETTABLE = {"Ready": AgentState.READY, "NotReady": AgentState.NOT_READY, "Logout": AgentState.LOGOUT}
_LOGGED_OUT = (AgentState.LOGOUT, AgentState.OFFLINE)


class RequestBehaviour:
    """``handle_request`` plus one method per request name."""

    def handle_request(self: FakeConnects, request: Request) -> None:
        """Answer one request (or not, when its name is in ``silent``)."""
        if request.name in self.silent:
            return
        if request.name in self.fail:
            self._answer(request, error=self.fail[request.name])
            return
        method = getattr(self, f"_do_{request.name}", None)
        if method is None:
            self._answer(request, error=f"unknown request {request.name!r}")
            return
        try:
            method(request, *request.args)
        except TypeError as exc:  # wrong number of args: the real cil would misbehave too
            self._answer(request, error=f"bad arguments for {request.name}: {exc}")

    def _answer(self: FakeConnects, request: Request, result: Any = None, error: str | None = None) -> None:
        if self.envelope:
            body = {"success": error is None, "response": result, "error": error}
            self._respond(request.id, True, body)
        elif error is None:
            self._respond(request.id, True, result)
        else:
            self._respond(request.id, False, error=error)

    def _channel_matches(self: FakeConnects, channel_id: Any) -> bool:
        return channel_id == self.channel_id or (channel_id == "voice" and self.channel_id.startswith("voice"))

    def _do_createSession(self: FakeConnects, request: Request, name: Any, params: Any = None) -> None:
        self.sessions.append((name, params))
        self._answer(request)

    def _do_dialOrConsult(
        self: FakeConnects, request: Request, channel_id: Any, address: Any, request_id: Any = ""
    ) -> None:
        self._answer(request)
        self.dial(channel_id, address, request_id or "")

    def dial(self: FakeConnects, channel_id: Any, address: Any, request_id: str = "") -> None:
        """What ``cil.dialOrConsult`` does: a workitemCreate, or an error event."""
        if not self._channel_matches(channel_id):
            self.error(f"Unknown channel {channel_id}", request_id)
        elif self.state in _LOGGED_OUT:
            self.error("Cannot dial: the agent is not logged in", request_id)
        elif not isinstance(address, str) or not address.strip():
            self.error("Cannot dial: the address is empty", request_id)
        else:
            self._new_call(address, Direction.OUTGOING, WorkitemState.INITIATED, request_id=request_id)

    def handle_decision(self: FakeConnects, decision: Decision) -> None:
        """Like the shim: dial an accepted number, fall back on ``failed`` by the fail mode.

        As in the shim, only the primary tab dials (a decided or a fallback dial): every tab's
        integration gets the beforeDial.
        """
        self.decisions[decision.seq] = decision.outcome
        number = self.before_dials.pop(decision.seq, None)
        if number is None or not self.primary_tab:
            return  # unknown seq or already decided (never dialled twice), or a secondary tab
        if decision.outcome == "dial":
            self.dial(decision.channel_id, decision.address, decision.request_id or "")
        elif decision.outcome == "failed":
            if self.watchdog[1] == "open":
                self.dial("voice", number)
            else:
                self.error(f"Dial of {number} blocked: the integration failed to decide")

    def _do_getChannel(self: FakeConnects, request: Request, channel_id: Any) -> None:
        if not self._channel_matches(channel_id):
            self._answer(request, error=f"Unknown channel {channel_id}")
            return
        channel = {
            "id": self.channel_id,
            "type": "Voice",
            "state": self.state.value,
            "reasonCode": self.reason_code,
            "reasonCodeLabel": self.reason_label,
            "stateChangeTime": self.state_change_time,
            "workitems": [dict(item) for item in self.workitems.values()],
        }
        self._answer(request, {**self.agent, "channel": channel})

    def _do_getCustomSettings(self: FakeConnects, request: Request) -> None:
        self._answer(request, payloads.custom_settings(self.custom_settings, self.settings_shape))

    def _do_getReasonCodeList(self: FakeConnects, request: Request, channel_id: Any, reason_type: Any) -> None:
        if not self._channel_matches(channel_id):
            self._answer(request, error=f"Unknown channel {channel_id}")
        elif reason_type not in ("Logout", "NotReady", "Wrapup"):
            self._answer(request, error=f"Unknown reason type {reason_type}")
        else:
            self._answer(request, [dict(code) for code in self.reason_codes.get(reason_type, [])])

    def _do_isPrimaryTab(self: FakeConnects, request: Request) -> None:
        self._answer(request, self.primary_tab)

    def _reason_label(self: FakeConnects, state: AgentState, code: Any) -> str | None:
        """The label of a known code for this state; None when the code is unknown."""
        for entry in self.reason_codes.get(state.value, []):
            if str(entry.get("id")) == str(code):
                return str(entry.get("label", ""))
        return None

    def _do_setAgentState(
        self: FakeConnects,
        request: Request,
        channel_id: Any,
        state: Any,
        reason_code: Any = "",
        request_id: Any = "",
    ) -> None:
        self._answer(request)
        rid = request_id or ""
        if not self._channel_matches(channel_id):
            self.error(f"Unknown channel {channel_id}", rid)
            return
        target = _SETTABLE.get(state) if isinstance(state, str) else None
        if target is None:
            self.error(f"Invalid state {state}", rid)
            return
        label = ""
        if reason_code not in ("", None) and target != AgentState.READY:
            found = self._reason_label(target, reason_code)
            if found is None:
                self.error(f"Unknown reason code {reason_code} for {target.value}", rid)
                return
            label = found
        code = reason_code if reason_code not in ("", None) else -1
        self.agent_state_change(target, code, label, request_id=rid)

    def _do_showError(
        self: FakeConnects,
        request: Request,
        description: Any,
        title: Any = None,
        confirm: Any = None,
        dismiss: Any = None,
    ) -> None:
        from .testing import Alert

        self.alerts.append(Alert(description, title, confirm, dismiss))
        self._answer(request)

    def _do_showInfo(self: FakeConnects, request: Request, description: Any) -> None:
        if not isinstance(description, str) or len(description) > 60:
            self._answer(request, error="description must be a string of at most 60 characters")
            return
        self.infos.append(description)
        self._answer(request)

    def _do_writeLog(self: FakeConnects, request: Request, message: Any, level: Any = "Debug") -> None:
        self.logs.append((str(message), str(level)))
        self._answer(request)


assert {f"_do_{name.value}" for name in RequestName} <= set(vars(RequestBehaviour)), "a request lacks a handler"
