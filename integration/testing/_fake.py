"""``FakeConnects``: an in-process fake of b+s Connects for integrators' unit tests.

It plays the main thread (shim + ``cil``) on the far end of an in-memory transport, speaking
the real protocol, so an integration is tested exactly as it runs, minus the browser. The fake
is the shim's side of the wire; its parts play the rest: the agent's ``desk`` (profile, state,
reason codes, settings), the ``calls``, the ``answers`` to the ten requests and the ``outbox``
of events.

Behaviour is simple but realistic: events are buffered until ``ready`` (like the shim);
setAgentState answers with agentStateChange carrying the requestId, or an ``error`` event for an
invalid state or unknown reason code; dialOrConsult answers with workitemCreate, or an error
when logged out or the address is empty; showError buttons can be clicked.
"""

from __future__ import annotations

from typing import Any

from integration.sdk import AgentState, Direction, EventName, InMemoryTransport, RequestName, WorkitemState
from integration.sdk._messages import (
    Ack,
    Callback,
    Configure,
    Decision,
    Diagnose,
    Diagnostics,
    Failed,
    Hello,
    Persist,
    Ping,
    Ready,
    Request,
    ShimContext,
    Status,
    Subscribe,
)
from integration.sdk._protocol import decode, encode

from . import _payloads as payloads
from ._answers import Answers
from ._calls import Calls
from ._desk import Desk
from ._outbox import Outbox
from ._records import Alert, RecordedRequest
from ._shared import Shared


class FakeConnects:
    """An in-process b+s Connects host; hand ``fake.transport`` to ``run`` or ``Integration``."""

    # The fake's picture, kept by its parts and read or set here as plain attributes.
    channel_id: Shared[str] = Shared("desk")
    agent: Shared[dict[str, Any]] = Shared("desk")
    state: Shared[AgentState] = Shared("desk")
    reason_code: Shared[int | str] = Shared("desk")
    reason_label: Shared[str] = Shared("desk")
    state_change_time: Shared[str] = Shared("desk")
    reason_codes: Shared[dict[str, list[dict[str, Any]]]] = Shared("desk")
    custom_settings: Shared[dict[str, Any]] = Shared("desk")
    settings_shape: Shared[str] = Shared("desk")
    primary_tab: Shared[bool] = Shared("desk")
    workitems: Shared[dict[str, dict[str, Any]]] = Shared("calls")
    envelope: Shared[bool] = Shared("answers")
    fail: Shared[dict[str, str]] = Shared("answers")
    silent: Shared[set[str]] = Shared("answers")
    canned: Shared[dict[str, Any]] = Shared("answers")
    alerts: Shared[list[Alert]] = Shared("answers")
    infos: Shared[list[str]] = Shared("answers")
    logs: Shared[list[tuple[str, str]]] = Shared("answers")
    sessions: Shared[list[tuple[str, Any]]] = Shared("answers")
    ready: Shared[bool] = Shared("outbox")

    def __init__(
        self,
        *,
        channel_id: str = "voice_5000",
        agent: dict[str, Any] | None = None,
        state: AgentState | str = AgentState.NOT_READY,
        reason_code: int | str = -1,
        reason_codes: dict[str, list[dict[str, Any]]] | None = None,
        custom_settings: dict[str, Any] | None = None,
        settings_shape: str = "pairs",
        primary_tab: bool = True,
        envelope: bool = False,
        storage: dict[str, str] | None = None,
        restarts: int = 0,
        visible: bool = True,
    ) -> None:
        self.transport, self._end = InMemoryTransport.pair()
        self._end.set_receiver(self._receive)
        self.outbox = Outbox(self._end.send)
        self.desk = Desk(self.outbox, channel_id=channel_id, agent=agent, state=state, reason_code=reason_code,
                         reason_codes=reason_codes, custom_settings=custom_settings, settings_shape=settings_shape,
                         primary_tab=primary_tab)
        self.calls = Calls(self.desk, self.outbox)
        self.answers = Answers(self.desk, self.calls, self.outbox, self._end.send, envelope=envelope)
        self.requests: list[RecordedRequest] = []
        """Every request the integration sent, in order."""
        self.storage: dict[str, str] = dict(storage or {})
        """Persisted strings (sent in ``context``; updated by ``persist`` messages)."""
        self.restarts = restarts
        self.visible = visible
        self.hellos: list[str] = []
        self.subscriptions: list[str] = []
        self.decisions: dict[int, str] = {}
        """beforeDial seq → the integration's decision (dial, block, failed)."""
        self.status: dict[str, str] = {}
        self.failures: list[str] = []
        self.unknown: list[Any] = []
        self.watchdog: tuple[int, str] = (3000, "open")
        """(watchdogMs, failMode) as last configured."""
        self.before_dials: dict[int, str] = {}
        """Undecided beforeDial seqs and their numbers."""
        self.acked = 0
        """The highest seq the worker acknowledged (``ack``): every event up to it is done."""
        self.acks: list[int] = []
        """Every ``ack`` seq received, in order (one per drained batch, not per event)."""
        self.diagnostics: list[Diagnostics] = []
        """The ``diagnostics`` answers received, in order (see :meth:`diagnose`)."""
        self._diagnose_id = 0

    # ---- what the integration did -----------------------------------------------------------
    def requests_named(self, name: RequestName | str) -> list[RecordedRequest]:
        """The recorded requests with this name, in order."""
        return [r for r in self.requests if r.name == str(name)]

    # ---- protocol plumbing -------------------------------------------------------------------
    def send_raw(self, text: str) -> None:
        """Send any text to the worker (non-protocol traffic, malformed messages, ...)."""
        self._end.send(text)

    def ping(self) -> None:
        """Send a ping (the worker answers hello)."""
        self._end.send(encode(Ping()))

    def diagnose(self, collect: bool = False) -> int:
        """Ask the worker for ``diagnostics`` (appended to :attr:`diagnostics`); returns the id."""
        self._diagnose_id += 1
        request_id = self._diagnose_id
        self._end.send(encode(Diagnose(id=request_id, collect=collect)))
        return request_id

    def _receive(self, text: str) -> None:
        message = decode(text)
        if isinstance(message, Request):
            self.requests.append(RecordedRequest(message.id, message.name, list(message.args)))
            self.answers.handle(message)
        elif isinstance(message, Hello):
            self.hellos.append(message.sdk)
            if len(self.hellos) == 1:
                self._end.send(encode(ShimContext(dict(self.storage), self.restarts, self.visible)))
        elif isinstance(message, Subscribe):
            self.subscriptions.extend(message.events)
        elif isinstance(message, Ready):
            self.outbox.open()
        elif isinstance(message, Status):
            self.status.update(message.status)
        elif isinstance(message, Decision):
            self.handle_decision(message)
        elif isinstance(message, Configure):
            self.watchdog = (message.watchdog_ms, message.fail_mode)
        elif isinstance(message, Persist):
            if message.value is None:
                self.storage.pop(message.key, None)
            else:
                self.storage[message.key] = message.value
        elif isinstance(message, Failed):
            self.failures.append(message.error)
        elif isinstance(message, Ack):
            self.acks.append(message.seq)
            self.acked = max(self.acked, message.seq)
        elif isinstance(message, Diagnostics):
            self.diagnostics.append(message)
        elif message is not None:
            self.unknown.append(message)

    # ---- raising events ----------------------------------------------------------------------
    def emit(self, name: EventName | str, payload: Any) -> int:
        """Queue one event for the worker (sent in the next batch once ready); returns its seq."""
        return self.outbox.emit(name, payload)

    def emit_invalid(self, name: EventName | str, reason: str = "not JSON-serialisable") -> int:
        """Queue an entry the shim marks ``invalid``."""
        return self.outbox.emit_invalid(name, reason)

    def drop(self, count: int = 1) -> None:
        """Pretend ``count`` events were lost to the shim's bounded buffer."""
        self.outbox.drop(count)

    def flush(self) -> None:
        """Send the queued events now as one batch (normally done per loop iteration)."""
        self.outbox.flush()

    def error(self, message: str, request_id: str = "") -> int:
        """Raise an ``error`` event."""
        return self.outbox.error(message, request_id)

    def agent_state_change(
        self,
        new_state: AgentState | str,
        reason_code: int | str = -1,
        label: str = "",
        request_id: str = "",
    ) -> dict[str, Any]:
        """Change the agent's state and raise agentStateChange; returns the payload."""
        return self.desk.change_state(new_state, reason_code, label, request_id)

    def incoming_call(self, ani: str = "+41441234567", *, cti_data: dict[str, Any] | None = None) -> str:
        """A call rings: workitemCreate (Offered, Incoming); returns the call id."""
        return self.calls.incoming_call(ani, cti_data=cti_data)

    def connect(self, call_id: str) -> dict[str, Any]:
        """The call is accepted: workitemConnect (Active)."""
        return self.calls.connect(call_id)

    def pause(self, call_id: str) -> dict[str, Any]:
        """The call is put on hold: workitemPause (Paused)."""
        return self.calls.pause(call_id)

    def resume(self, call_id: str) -> dict[str, Any]:
        """The held call is resumed: workitemResume (Active)."""
        return self.calls.resume(call_id)

    def wrapup(self, call_id: str) -> dict[str, Any]:
        """The call enters wrap-up: workitemWrapup (Wrapup)."""
        return self.calls.wrapup(call_id)

    def end(self, call_id: str, state: WorkitemState = WorkitemState.ENDED) -> dict[str, Any]:
        """The call disappears: workitemEnd; it is no longer open."""
        return self.calls.end(call_id, state)

    def dial(self, channel_id: Any, address: Any, request_id: str = "") -> None:
        """What ``cil.dialOrConsult`` does: a workitemCreate, or an error event."""
        self.calls.dial(channel_id, address, request_id)

    # ---- the shim's part: beforeDial and alerts ----------------------------------------------
    def before_dial(self, number: str) -> int | None:
        """The agent dials ``number``: beforeDial if subscribed (returns seq), else it just dials."""
        if EventName.BEFORE_DIAL.value not in self.subscriptions:
            self.calls.new_call(number, Direction.OUTGOING, WorkitemState.INITIATED)
            return None
        seq = self.outbox.emit(EventName.BEFORE_DIAL, payloads.before_dial(number))
        self.before_dials[seq] = number
        return seq

    def handle_decision(self, decision: Decision) -> None:
        """Like the shim: dial an accepted number, fall back on ``failed`` by the fail mode.

        As in the shim, only the primary tab dials (a decided or a fallback dial): every tab's
        integration gets the beforeDial.
        """
        self.decisions[decision.seq] = decision.outcome
        number = self.before_dials.pop(decision.seq, None)
        if number is None or not self.desk.primary_tab:
            return  # unknown seq or already decided (never dialled twice), or a secondary tab
        if decision.outcome == "dial":
            self.calls.dial(decision.channel_id, decision.address, decision.request_id or "")
        elif decision.outcome == "failed":
            if self.watchdog[1] == "open":
                self.calls.dial("voice", number)
            else:
                self.outbox.error(f"Dial of {number} blocked: the integration failed to decide")

    def click(self, alert: int = -1, button: str = "confirm") -> None:
        """Click a showError button (``confirm``/``dismiss``) of an alert (default: the latest)."""
        shown = self.answers.alerts[alert]
        action = shown.confirm if button == "confirm" else shown.dismiss
        if action is None:
            raise ValueError(f"alert has no {button} button")
        shown.closed = True
        if action.get("callback"):
            self._end.send(encode(Callback(callback=action["callback"])))
