"""The SDK's one reader of what ``cil`` answers, the Python twin of static/shim/answers.js.

The library's promises resolve either to the value itself or, in some versions, to an envelope
``{success, response, error}``. Both sides read an answer the same way (a test feeds both the
same table of answers): ``{success: true, response: false}`` is ``False``; ``success: false`` or
a rejected promise is a failure carrying its error as one line of text.
"""

from __future__ import annotations

import json
from typing import Any

from ._exceptions import RequestFailed

REJECTED = "request rejected"
"""The error text of a rejection with no readable reason (the shim uses the same words)."""
UNSUCCESSFUL = "success=false"
"""The error text of ``success: false`` without an error (the shim uses the same words)."""


def is_envelope(result: Any) -> bool:
    """True for ``{success: bool, response?, error?}``: never a real result of any request."""
    if not isinstance(result, dict) or not isinstance(result.get("success"), bool):
        return False
    return "response" in result or "error" in result or len(result) == 1


def error_text(error: Any) -> str:
    """An error as one line of text: a string as it is, ``{message}``'s message, anything else as JSON."""
    if error is None:
        return ""
    if isinstance(error, str):
        return error
    if isinstance(error, dict) and isinstance(error.get("message"), str):
        return error["message"]
    try:
        return json.dumps(error, separators=(",", ":"), ensure_ascii=False)
    except (TypeError, ValueError):
        return str(error)


def unwrap_result(request: str, result: Any) -> Any:
    """The value inside an envelope (or the result itself); RequestFailed for ``success: false``."""
    if not is_envelope(result):
        return result
    if not result["success"]:
        raise RequestFailed(request, error_text(result.get("error")) or UNSUCCESSFUL)
    return result.get("response")


def read_response(request: str, ok: bool, result: Any, error: str | None) -> Any:
    """A ``response`` message's fields read as the value, or RequestFailed (rejected or ``success: false``)."""
    if not ok:
        raise RequestFailed(request, error or REJECTED)
    return unwrap_result(request, result)
