# The Python side of the "bare PyScript" benchmark page: no packages, no SDK. Counts events and
# answers each beforeDial with the number unchanged, so the page measures PyScript's own floor.
import json

import js
from pyodide.ffi import create_proxy

handled = 0


def on_message(event):
    global handled
    data = event.data
    if not isinstance(data, str) or not data.startswith('{"bench"'):
        return
    message = json.loads(data)
    kind = message.get("kind")
    if kind == "ping":
        js.postMessage(json.dumps({"bench": 1, "kind": "hello"}))
    elif kind == "events":
        for entry in message["events"]:
            handled += 1
            if entry["name"] == "beforeDial":
                payload = entry["payload"]
                js.postMessage(json.dumps({"bench": 1, "kind": "dial", "address": payload["dialedNumber"],
                                           "requestId": payload["requestId"]}))
        js.postMessage(json.dumps({"bench": 1, "kind": "handled", "count": handled}))


js.addEventListener("message", create_proxy(on_message))

# PyScript's worker also hands every message to `xworker.onmessage` in this script's globals; without
# that name it posts an error to the page for each message (a baseline should not pay for that).
from polyscript import xworker  # noqa: E402

xworker.onmessage = js.Function.prototype  # a JS no-op
