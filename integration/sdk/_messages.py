"""The messages of the JS⇄Python boundary protocol (docs/protocol.md), one dataclass per kind.

The kinds and their wire fields are written once, in ``_contract``; ``KINDS`` maps each kind to
its dataclass, and ``_protocol`` turns these into JSON text and back. Fields are snake_case
(``_protocol`` maps the few camelCase wire names). Both directions are here so the test kit
(``FakeConnects``) can play the main thread.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import _contract


# ---- worker → main thread ---------------------------------------------------------------------
@dataclass(frozen=True)
class Hello:
    """Python's listener is installed (sent once at attach and in reply to every ping)."""

    sdk: str


@dataclass(frozen=True)
class Request:
    """Call ``cil[name](...args)``; answered by a :class:`Response` with the same id."""

    id: int
    name: str
    args: list[Any]


@dataclass(frozen=True)
class Subscribe:
    """Subscribe these events on ``cil`` now (only beforeDial needs it)."""

    events: list[str]


@dataclass(frozen=True)
class Ready:
    """Handlers are registered: flush buffered events."""


@dataclass(frozen=True)
class Status:
    """Short strings for the visible status panel."""

    status: dict[str, str]


@dataclass(frozen=True)
class Decision:
    """Python's outcome for the beforeDial with this seq; a ``dial`` names what the shim dials."""

    seq: int
    outcome: str
    channel_id: str | None = None
    address: str | None = None
    request_id: str | None = None


@dataclass(frozen=True)
class Configure:
    """beforeDial watchdog settings: milliseconds to wait, and ``open``/``closed`` on failure."""

    watchdog_ms: int
    fail_mode: str


@dataclass(frozen=True)
class Persist:
    """Keep ``value`` under ``key`` across a page reload (None deletes)."""

    key: str
    value: str | None


@dataclass(frozen=True)
class Failed:
    """Python could not start the integration; ``error`` (with traceback) is shown on the page."""

    error: str


@dataclass(frozen=True)
class Ack:
    """Every event up to this seq is done (handlers returned, or the entry was rejected).

    The shim keeps posted events until they are acknowledged and re-posts the rest to a restarted
    worker; sent once per drained batch (and every few hundred events of a long burst).
    """

    seq: int


@dataclass(frozen=True)
class Diagnostics:
    """The answer to :class:`Diagnose`: counters, SDK bookkeeping sizes and memory figures."""

    id: int
    stats: dict[str, int] = field(default_factory=dict)
    python: dict[str, Any] = field(default_factory=dict)
    sdk: dict[str, Any] = field(default_factory=dict)


# ---- main thread → worker ---------------------------------------------------------------------
@dataclass(frozen=True)
class Ping:
    """Sent by the shim until it sees a hello, and later as a liveness check."""


@dataclass(frozen=True)
class ShimContext:
    """Sent once after the first hello: persisted strings, worker restarts, page visibility."""

    storage: dict[str, str] = field(default_factory=dict)
    restarts: int = 0
    visible: bool = True


@dataclass(frozen=True)
class EventEntry:
    """One event of a batch; ``invalid`` holds the shim's reason when the payload was unusable."""

    seq: int | None
    name: str
    payload: Any = None
    invalid: str | None = None


@dataclass(frozen=True)
class Events:
    """A batch of events in arrival order, plus how many were lost since the previous batch."""

    events: list[EventEntry] = field(default_factory=list)
    dropped: int = 0


@dataclass(frozen=True)
class Response:
    """The outcome of a Request: ``result`` when ok, else ``error`` text."""

    id: int
    ok: bool
    result: Any = None
    error: str | None = None


@dataclass(frozen=True)
class Diagnose:
    """Ask for a :class:`Diagnostics` answer with this id; ``collect`` runs gc.collect() first."""

    id: int
    collect: bool = False


@dataclass(frozen=True)
class Callback:
    """A showError button with this callback id was clicked."""

    callback: str


@dataclass(frozen=True)
class Unknown:
    """A protocol message of a kind this version does not know (logged, never fatal)."""

    kind: str
    raw: dict[str, Any]


Message = (
    Hello | Request | Subscribe | Ready | Status | Decision | Configure | Persist | Failed | Ack
    | Diagnostics | Ping | ShimContext | Events | Response | Callback | Diagnose | Unknown
)  # fmt: skip

KINDS: dict[str, type] = {
    "hello": Hello, "request": Request, "subscribe": Subscribe, "ready": Ready,
    "status": Status, "decision": Decision, "configure": Configure, "persist": Persist,
    "failed": Failed, "ack": Ack, "diagnostics": Diagnostics,
    "ping": Ping, "context": ShimContext, "events": Events,
    "response": Response, "callback": Callback, "diagnose": Diagnose,
}  # fmt: skip
FROM_WORKER = tuple(_contract.FROM_WORKER)
"""Kinds the worker sends, in docs/protocol.md's order (the contract's, as static/shim/contract.js)."""
TO_WORKER = tuple(_contract.TO_WORKER)
"""Kinds the main thread sends."""
