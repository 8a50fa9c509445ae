"""Entry point of the integration's Python worker (PyScript runs this file in a Web Worker).

Short on purpose: PyScript compiles this file at every start; the start itself is in
integration/_worker_start.py, frozen in the memory snapshot with the rest of the integration.
"""

import js  # type: ignore[import-not-found]  # only in Pyodide
from polyscript import xworker  # type: ignore[import-not-found]  # PyScript's worker-side handle

from integration._worker_start import start

# PyScript's worker hands every message it receives to `xworker.onmessage`, looked up by that name
# in this script's globals. Without it, each message made PyScript post an error back to the page
# (one uncaught console error per event). The SDK's transport has its own listener, so this one
# does nothing, in JS: Function.prototype is a function that returns undefined.
xworker.onmessage = js.Function.prototype

_task = start()
