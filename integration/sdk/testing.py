"""Test kit: ``FakeConnects``, an in-process fake of b+s Connects for integrators' unit tests.

It plays the main thread (shim + ``cil``) on the far end of an in-memory transport, speaking
the real protocol, so an integration is tested exactly as it runs — minus the browser::

    fake = FakeConnects(state=AgentState.NOT_READY)
    integration = Integration(fake.transport)
    ...register handlers...
    await integration.start()
    call_id = fake.incoming_call("+41441234567")
    fake.connect(call_id)
    await integration.idle()
    assert fake.requests_named("showInfo")

Behaviour is simple but realistic: events are buffered until ``ready`` (like the shim);
setAgentState answers with agentStateChange carrying the requestId, or an ``error`` event for an
invalid state or unknown reason code; dialOrConsult answers with workitemCreate, or an error
when logged out or the address is empty; showError buttons can be clicked.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from . import _fake_payloads as payloads
from ._enums import AgentState, Direction, EventName, RequestName, WorkitemState
from ._fake_calls import CallBehaviour
from ._fake_requests import RequestBehaviour
from ._protocol import (
    Ack,
    Callback,
    Configure,
    Decision,
    Diagnose,
    Diagnostics,
    EventEntry,
    Events,
    Failed,
    Hello,
    Persist,
    Ping,
    Ready,
    Request,
    Response,
    ShimContext,
    Status,
    Subscribe,
    decode,
    encode,
)
from ._transport import InMemoryTransport

__all__ = ["Alert", "FakeConnects", "RecordedRequest"]


@dataclass(frozen=True)
class RecordedRequest:
    """A request the integration sent: its protocol id, name and positional args."""

    id: int
    name: str
    args: list[Any]


@dataclass
class Alert:
    """A showError the integration displayed (buttons as sent: label + callback id or None)."""

    description: str
    title: str | None
    confirm: dict[str, Any] | None
    dismiss: dict[str, Any] | None
    closed: bool = False


class FakeConnects(RequestBehaviour, CallBehaviour):
    """An in-process b+s Connects host; hand ``fake.transport`` to ``Integration``."""

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
        self.channel_id = channel_id
        self.agent: dict[str, Any] = {**payloads.DEFAULT_AGENT, **(agent or {})}
        self.state = AgentState(state)
        self.reason_code: int | str = reason_code
        self.reason_label = ""
        self.state_change_time = payloads.now_iso()
        self.reason_codes = reason_codes if reason_codes is not None else payloads.DEFAULT_REASON_CODES
        self.custom_settings = dict(custom_settings or {"setting1": "", "setting2": ""})
        self.settings_shape = settings_shape
        self.primary_tab = primary_tab
        self.envelope = envelope
        self.fail: dict[str, str] = {}
        """Request name → error text: that request is rejected (ok=false, or success=false)."""
        self.silent: set[str] = set()
        """Request names the fake never answers (to test timeouts)."""
        self.requests: list[RecordedRequest] = []
        self.workitems: dict[str, dict[str, Any]] = {}
        self.alerts: list[Alert] = []
        self.infos: list[str] = []
        self.logs: list[tuple[str, str]] = []
        self.sessions: list[tuple[str, Any]] = []
        self.hellos: list[str] = []
        self.subscriptions: list[str] = []
        self.decisions: dict[int, str] = {}
        self.status: dict[str, str] = {}
        self.failures: list[str] = []
        self.unknown: list[Any] = []
        self.ready = False
        self.storage: dict[str, str] = dict(storage or {})
        """Persisted strings (sent in ``context``; updated by ``persist`` messages)."""
        self.restarts = restarts
        self.visible = visible
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
        self._seq = 0
        self._outbox: list[EventEntry] = []
        self._dropped = 0
        self._flush_scheduled = False

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

    def _respond(self, request_id: int, ok: bool, result: Any = None, error: str | None = None) -> None:
        self._end.send(encode(Response(id=request_id, ok=ok, result=result, error=error)))

    def _receive(self, text: str) -> None:
        message = decode(text)
        if isinstance(message, Request):
            self.requests.append(RecordedRequest(message.id, message.name, list(message.args)))
            self.handle_request(message)
        elif isinstance(message, Hello):
            self.hellos.append(message.sdk)
            if len(self.hellos) == 1:
                context = ShimContext(dict(self.storage), self.restarts, self.visible)
                self._end.send(encode(context))
        elif isinstance(message, Subscribe):
            self.subscriptions.extend(message.events)
        elif isinstance(message, Ready):
            self.ready = True
            self._schedule_flush()
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
        self._seq += 1
        self._outbox.append(EventEntry(seq=self._seq, name=str(name), payload=payload))
        self._schedule_flush()
        return self._seq

    def emit_invalid(self, name: EventName | str, reason: str = "not JSON-serialisable") -> int:
        """Queue an entry the shim marks ``invalid``."""
        self._seq += 1
        self._outbox.append(EventEntry(seq=self._seq, name=str(name), invalid=reason))
        self._schedule_flush()
        return self._seq

    def drop(self, count: int = 1) -> None:
        """Pretend ``count`` events were lost to the shim's bounded buffer."""
        self._seq += count
        self._dropped += count
        self._schedule_flush()

    def _schedule_flush(self) -> None:
        if not self.ready or self._flush_scheduled:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.flush()
            return
        self._flush_scheduled = True
        loop.call_soon(self.flush)

    def flush(self) -> None:
        """Send the queued events now as one batch (normally done per loop iteration)."""
        self._flush_scheduled = False
        if not self.ready or not (self._outbox or self._dropped):
            return
        batch, self._outbox = self._outbox, []
        dropped, self._dropped = self._dropped, 0
        self._end.send(encode(Events(events=batch, dropped=dropped)))

    def agent_state_change(
        self,
        new_state: AgentState | str,
        reason_code: int | str = -1,
        label: str = "",
        request_id: str = "",
    ) -> dict[str, Any]:
        """Change the agent's state and raise agentStateChange; returns the payload."""
        old = (self.state, self.reason_code, self.reason_label, self.state_change_time)
        self.state, self.reason_code, self.reason_label = AgentState(new_state), reason_code, label
        self.state_change_time = payloads.now_iso()
        new = (self.state, self.reason_code, self.reason_label, self.state_change_time)
        payload = payloads.agent_state_change(channel_id=self.channel_id, old=old, new=new, request_id=request_id)
        self.emit(EventName.AGENT_STATE_CHANGE, payload)
        return payload

    def before_dial(self, number: str) -> int | None:
        """The agent dials ``number``: beforeDial if subscribed (returns seq), else it just dials."""
        if EventName.BEFORE_DIAL.value not in self.subscriptions:
            self._new_call(number, Direction.OUTGOING, WorkitemState.INITIATED)
            return None
        seq = self.emit(EventName.BEFORE_DIAL, payloads.before_dial(number))
        self.before_dials[seq] = number
        return seq

    def error(self, message: str, request_id: str = "") -> int:
        """Raise an ``error`` event."""
        return self.emit(EventName.ERROR, payloads.error(message, request_id))

    def click(self, alert: int = -1, button: str = "confirm") -> None:
        """Click a showError button (``confirm``/``dismiss``) of an alert (default: the latest)."""
        shown = self.alerts[alert]
        action = shown.confirm if button == "confirm" else shown.dismiss
        if action is None:
            raise ValueError(f"alert has no {button} button")
        shown.closed = True
        if action.get("callback"):
            self._end.send(encode(Callback(callback=action["callback"])))
