"""Screen pop: session-template parameters from a work item, and which items were popped already.

Why tolerant lookups: the same code must work on the raw event payload (camelCase mapping, as the
shim delivers it) and on the SDK's typed ``Workitem`` model (snake_case attributes), and a work
item may lack any part (``activity`` is often missing on workitemCreate, ``associatedParticipant``
may be undefined). A missing value leaves its parameter out; it never raises.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from enum import Enum
from typing import Any

from ._screen_pop_settings import ScreenPopConfig

__all__ = ["build_session_parameters", "resolve_source", "ScreenPopMemory"]

_MISSING = object()

#: wire name -> snake_case attribute names tried on typed models (the SDK may spell ctiData either way).
_PY_NAMES: dict[str, tuple[str, ...]] = {
    "agentId": ("agent_id",),
    "channelId": ("channel_id",),
    "associatedParticipant": ("associated_participant",),
    "recordType": ("record_type",),
    "ctiData": ("cti_data", "ct_i_data"),
}


def _field(obj: Any, wire: str) -> Any:
    """``obj[wire]`` for mappings, else the attribute (snake_case first); ``_MISSING`` if absent."""
    if obj is None:
        return _MISSING
    names = (wire, *_PY_NAMES.get(wire, ()))
    if isinstance(obj, Mapping):
        for name in names:
            if name in obj:
                return obj[name]
        return _MISSING
    for name in reversed(names):
        try:
            value = getattr(obj, name, _MISSING)
        except Exception:  # noqa: BLE001 - a misbehaving property is just a missing value
            value = _MISSING
        if value is not _MISSING:
            return value
    return _MISSING


def _variable(cti: Any, name: str) -> Any:
    """A call variable: exact name first, else the single case-insensitive match."""
    if isinstance(cti, Mapping):
        if name in cti:
            return cti[name]
        matches = [key for key in cti if isinstance(key, str) and key.casefold() == name.casefold()]
        return cti[matches[0]] if len(matches) == 1 else _MISSING
    return _field(cti, name)


def _text(value: Any) -> str | None:
    """The parameter text for a value; None means "leave the parameter out"."""
    if value is None or value is _MISSING:
        return None
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if hasattr(value, "model_dump"):
        value = value.model_dump(by_alias=True, mode="json")
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


def resolve_source(workitem: Any, source: str) -> str | None:
    """The text of one source (``ani``, ``ctiData.CaseNo``, ...) on ``workitem``; None if missing."""
    try:
        if source.startswith("ctiData."):
            return _text(_variable(_field(workitem, "ctiData"), source[len("ctiData.") :]))
        value = workitem
        for part in source.split("."):
            value = _field(value, part)
            if value is _MISSING:
                return None
        return _text(value)
    except Exception:  # noqa: BLE001 - one odd value must not stop the screen pop
        return None


def build_session_parameters(workitem: Any, config: ScreenPopConfig) -> dict[str, str]:
    """createSession's templateParameters for ``workitem`` (a payload mapping or SDK model).

    Literals are passed as written; sources without a value are omitted so the session template's
    own handling of a missing parameter applies; empty strings are passed on as empty.
    """
    parameters: dict[str, str] = {}
    for param in config.params:
        value = param.source if param.literal else resolve_source(workitem, param.source)
        if value is not None:
            parameters[param.name] = value
    return parameters


class ScreenPopMemory:
    """The last ``limit`` work item ids a session was popped for.

    Why: workitemConnect can repeat for one call (resume, call recovery after a reload), and an
    agent must get one session per call, not one per event. The memory serialises to a short JSON
    string so the wiring can keep it in sessionStorage across a reload of the integration.
    """

    def __init__(self, ids: Iterable[object] = (), limit: int = 200) -> None:
        self.limit = max(1, int(limit))
        self._ids: OrderedDict[str, None] = OrderedDict()
        for workitem_id in ids:
            self._add(workitem_id)

    @staticmethod
    def _key(workitem_id: object) -> str | None:
        if workitem_id is None or isinstance(workitem_id, bool):
            return None
        if isinstance(workitem_id, (str, int)):
            text = str(workitem_id)
            return text or None
        return None

    def _add(self, workitem_id: object) -> None:
        key = self._key(workitem_id)
        if key is None or key in self._ids:
            return
        self._ids[key] = None
        while len(self._ids) > self.limit:
            self._ids.popitem(last=False)

    def __contains__(self, workitem_id: object) -> bool:
        key = self._key(workitem_id)
        return key is not None and key in self._ids

    def __len__(self) -> int:
        return len(self._ids)

    def remember(self, workitem_id: object) -> bool:
        """Record ``workitem_id``; True when it was new (pop now), False when already popped.

        An empty or missing id cannot be remembered: it returns True (never suppress a pop).
        """
        if workitem_id in self:
            return False
        self._add(workitem_id)
        return True

    def to_json(self) -> str:
        """``{"v": 1, "ids": [...]}``, oldest first."""
        return json.dumps({"v": 1, "ids": list(self._ids)}, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: object, limit: int = 200) -> ScreenPopMemory:
        """Restore from :meth:`to_json` output; anything unreadable gives an empty memory."""
        try:
            data = json.loads(text) if isinstance(text, (str, bytes)) else None
        except (ValueError, RecursionError):
            data = None
        ids = data.get("ids") if isinstance(data, dict) else data
        return cls(ids if isinstance(ids, list) else (), limit=limit)
