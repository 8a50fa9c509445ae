"""Write the browser's copies of the JS/Python contract (integration/sdk/_contract.py).

``python -m tools.contract`` rewrites static/shim/contract.js (an ES module the shim, the simulator
and the Custom Requests page import) and the generated block of
static/simulator/connects-library.js (a classic script, like the vendor's, so it cannot import).
``--check`` writes nothing and exits 1 when a file is stale; a unit test runs the same check.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from integration.sdk import _contract

ROOT = Path(__file__).resolve().parents[1]
MODULE = ROOT / "static" / "shim" / "contract.js"
LIBRARY = ROOT / "static" / "simulator" / "connects-library.js"
BEGIN = "  // <contract> written by `python -m tools.contract` from integration/sdk/_contract.py: do not edit\n"
END = "  // </contract>\n"

# exported name -> (key of _contract.CONTRACT, its doc comment)
_EXPORTS = {
    "MARK": ("mark", 'Value of `"bsc"` in every message of the shim\'s protocol.'),
    "CUSTOM_REQUESTS_MARK": ("customRequestsMark", 'Value of `"bsc"` in the Custom Requests page\'s messages.'),
    "MAX_PAYLOAD_DEPTH": ("maxPayloadDepth", "A payload nested deeper than this is sent as `invalid`."),
    "EVENTS": ("events", "The nine events, by subscription name (`cil.on` + capitalised name)."),
    "ON_DEMAND_EVENTS": ("onDemandEvents", "Events the shim subscribes only when Python asks."),
    "REQUESTS": ("requests", "The ten requests of the Integration API, by their `cil` method names."),
    "FROM_WORKER_FIELDS": ("fromWorker", "Kinds the worker sends, with their fields (`?`: may be null or left out)."),
    "TO_WORKER_FIELDS": ("toWorker", "Kinds the main thread sends, with their fields."),
    "CUSTOM_REQUESTS_EVENTS": ("customRequestsEvents", "The DOM events b+s Connects listens for on the top window."),
    "CUSTOM_REQUESTS_FROM_WORKER_FIELDS": ("customRequestsFromWorker", "Kinds the Custom Requests worker sends."),
    "CUSTOM_REQUESTS_TO_WORKER_FIELDS": ("customRequestsToWorker", "Kinds the Custom Requests page sends."),
}


def _wrapped(items: list[str], indent: str) -> str:
    """Comma-separated items on lines of at most 110 characters."""
    lines: list[str] = []
    for item in items:
        if lines and len(lines[-1]) + len(item) + 2 <= 110:
            lines[-1] += f" {item},"
        else:
            lines.append(f"{indent}{item},")
    return "\n".join(lines)


def _frozen(value: Any, indent: str = "") -> str:
    """A JS expression for a JSON value, frozen all the way down (one dict entry per line)."""
    inner = indent + "  "
    if isinstance(value, (list, tuple)):
        if not value:
            return "Object.freeze([])"
        return f"Object.freeze([\n{_wrapped([json.dumps(item) for item in value], inner)}\n{indent}])"
    if isinstance(value, dict):
        if all(isinstance(item, str) for item in value.values()):  # one kind's fields: on one line
            body = ", ".join(f"{key}: {json.dumps(item)}" for key, item in value.items())
            return f"Object.freeze({{ {body} }})" if body else "Object.freeze({})"
        entries = "".join(f"{inner}{key}: {_frozen(item, inner)},\n" for key, item in value.items())
        return f"Object.freeze({{\n{entries}{indent}}})"
    return json.dumps(value)


def module_text() -> str:
    """The whole of static/shim/contract.js."""
    data = _contract.CONTRACT
    lines = [
        "// Written by `python -m tools.contract` from integration/sdk/_contract.py: do not edit.",
        "// The names, message kinds, markers and limits JavaScript and Python agree on (docs/protocol.md).",
        "",
    ]
    for name, (key, doc) in _EXPORTS.items():
        lines += [f"/** {doc} */", f"export const {name} = {_frozen(data[key])};"]
    lines += [
        "/** Kinds the worker sends to the main thread. */",
        "export const FROM_WORKER = Object.freeze(Object.keys(FROM_WORKER_FIELDS));",
        "/** Kinds the main thread sends to the worker. */",
        "export const TO_WORKER = Object.freeze(Object.keys(TO_WORKER_FIELDS));",
        "",
    ]
    return "\n".join(lines)


def library_text(current: str) -> str:
    """connects-library.js with its generated block (the two name lists) rewritten."""
    if current.count(BEGIN) != 1 or current.count(END) != 1:
        raise SystemExit(f"{LIBRARY.relative_to(ROOT)}: the generated block's marker lines are missing")
    head, rest = current.split(BEGIN)
    _, tail = rest.split(END)
    block = "".join(f"  var {name} = [\n{_wrapped([json.dumps(item) for item in names], '    ')}\n  ];\n"
                    for name, names in (("EVENTS", _contract.EVENTS), ("REQUESTS", _contract.REQUESTS)))
    return head + BEGIN + block + END + tail


def outputs() -> dict[Path, str]:
    """Each generated file and the text it must have."""
    return {MODULE: module_text(), LIBRARY: library_text(LIBRARY.read_text(encoding="utf-8"))}


def stale() -> list[Path]:
    """The generated files whose text differs from what the contract gives."""
    return [path for path, text in outputs().items()
            if not path.exists() or path.read_text(encoding="utf-8") != text]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 when a file is stale")
    args = parser.parse_args(argv)
    if args.check:
        for path in stale():
            print(f"[contract] stale: {path.relative_to(ROOT)} (run: python -m tools.contract)")
        return 1 if stale() else 0
    for path, text in outputs().items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            print(f"[contract] wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
