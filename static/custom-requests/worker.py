"""Entry of the example page's Python worker (loaded by URL by example.js, like integration/worker_main.py).

It only wires integration.custom_requests to the worker's messages; a start-up failure is posted to
the page (with its traceback) so the page shows it instead of never becoming ready.
"""

import json
import traceback

import js  # type: ignore[import-not-found]  # only in Pyodide

try:
    from integration.custom_requests._worker import run

    _handler = run()
except BaseException as error:  # noqa: BLE001 - everything must reach the page
    _text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    js.console.error(_text)
    # The Custom Requests marker (integration/sdk/_contract.py) written out: importing it may be what failed.
    js.postMessage(json.dumps({"bsc": "custom-requests", "kind": "failed", "error": _text[-4000:]}))
