"""Request/response correlation over the protocol: ids, futures, timeouts, envelope unwrapping.

Each request gets a fresh integer id and a future; the shim's ``response`` with that id settles
it. A request that times out (or whose caller is cancelled) is removed at once, so a response that
arrives later is only counted as late — nothing accumulates.

The host's promise may resolve to the value itself or to an envelope ``{success, response,
error}``; the answer reader (``_answers``) accepts both so callers only ever see the value.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from ._answers import read_response
from ._exceptions import ConnectsError, RequestFailed, RequestTimeout
from ._messages import Request, Response
from ._protocol import encode
from ._stats import Stats

logger = logging.getLogger("integration.sdk")

DEFAULT_TIMEOUT = 10.0
"""Seconds a request waits for its response unless told otherwise."""

_NOWAIT_MEMORY = 512
"""How many fire-and-forget ids are remembered so their responses are not counted as late."""


class Rpc:
    """Sends ``request`` messages and matches ``response`` messages to them."""

    def __init__(self, send: Callable[[str], None], stats: Stats, default_timeout: float = DEFAULT_TIMEOUT) -> None:
        self._send = send
        self._stats = stats
        self.default_timeout = default_timeout
        self._ids = itertools.count(1)
        self._pending: dict[int, tuple[str, asyncio.Future[Any]]] = {}
        self._nowait: OrderedDict[int, tuple[str, Callable[[str], None] | None]] = OrderedDict()

    @property
    def pending_count(self) -> int:
        """Requests still waiting for their response (0 when nothing leaks)."""
        return len(self._pending)

    @property
    def nowait_count(self) -> int:
        """Fire-and-forget ids remembered for their responses (bounded by ``_NOWAIT_MEMORY``)."""
        return len(self._nowait)

    def _post(self, request_id: int, name: str, args: list[Any]) -> None:
        text = encode(Request(id=request_id, name=name, args=args))
        try:
            self._send(text)
        except Exception as exc:  # a transport failing (JS gone, bad state): report, do not hide
            raise ConnectsError(f"could not send {name}: {exc}") from exc

    async def call(self, name: str, args: list[Any], timeout: float | None = None) -> Any:
        """Send a request and return its (unwrapped) result.

        Raises RequestFailed (host said no), RequestTimeout (no answer in time), ConnectsError
        (could not send).
        """
        limit = self.default_timeout if timeout is None else timeout
        request_id = next(self._ids)
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._pending[request_id] = (name, future)
        try:
            self._post(request_id, name, args)
            return await asyncio.wait_for(future, limit)
        except TimeoutError:
            raise RequestTimeout(name, limit) from None
        finally:
            self._pending.pop(request_id, None)

    def call_nowait(self, name: str, args: list[Any], on_failure: Callable[[str], None] | None = None) -> int:
        """Send a request without waiting; ``on_failure(error)`` runs if the host rejects it."""
        request_id = next(self._ids)
        self._nowait[request_id] = (name, on_failure)
        while len(self._nowait) > _NOWAIT_MEMORY:
            self._nowait.popitem(last=False)
        try:
            self._post(request_id, name, args)
        except ConnectsError:
            self._nowait.pop(request_id, None)
            raise
        return request_id

    def resolve(self, response: Response) -> None:
        """Settle the request this response answers (or count it as late)."""
        entry = self._pending.pop(response.id, None)
        if entry is None:
            self._resolve_nowait(response)
            return
        name, future = entry
        if future.done():
            return
        try:
            future.set_result(read_response(name, response.ok, response.result, response.error))
        except RequestFailed as exc:
            future.set_exception(exc)

    def _resolve_nowait(self, response: Response) -> None:
        entry = self._nowait.pop(response.id, None)
        if entry is None:
            self._stats.late_responses += 1
            logger.debug("response for unknown or expired request id %s ignored", response.id)
            return
        name, on_failure = entry
        try:
            read_response(name, response.ok, response.result, response.error)
        except RequestFailed as exc:
            if on_failure is not None:
                on_failure(exc.error)

    def fail_all(self, exc: BaseException) -> None:
        """Fail every pending request (used when the integration closes)."""
        pending, self._pending = self._pending, {}
        for _name, future in pending.values():
            if not future.done():
                future.set_exception(exc)
        self._nowait.clear()
