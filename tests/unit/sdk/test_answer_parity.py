"""The shim and the SDK read every `cil` answer the same way, plain or enveloped.

One table of answers the library may give (plain values, `{success, response, error}` with
success true or false, error shapes, rejected promises, null and undefined, values JSON cannot
carry) is fed to both sides: in Node.js, to the shim's reader (static/shim/answers.js, what the
watchdog uses for isPrimaryTab and its own dials) and to the bridge, whose `response` message is
then read by the SDK's request correlation in CPython. Both readings must be equal, and a few
are pinned outright so that both sides cannot agree on a wrong reading.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from integration.sdk import RequestFailed
from integration.sdk._messages import Response
from integration.sdk._protocol import decode
from integration.sdk._rpc import Rpc
from integration.sdk._stats import Stats

ROOT = Path(__file__).resolve().parents[3]
NODE = shutil.which("node")

pytestmark = pytest.mark.skipif(NODE is None, reason="Node.js is not installed (README: a set-up requirement)")

# name -> JS expression of what the library's request returns (a promise, a value, or a throw).
ANSWERS = {
    "true": "Promise.resolve(true)",
    "false": "Promise.resolve(false)",
    "zero": "Promise.resolve(0)",
    "text": "Promise.resolve('text')",
    "empty text": "Promise.resolve('')",
    "null": "Promise.resolve(null)",
    "undefined": "Promise.resolve(undefined)",
    "not a promise": "false",
    "array": "Promise.resolve([1, 'a', null])",
    "object": "Promise.resolve({a: 1, b: [true]})",
    "success not a boolean": "Promise.resolve({success: 'yes', response: false})",
    "success with another field": "Promise.resolve({success: true, extra: 1})",
    "envelope false": "Promise.resolve({success: true, response: false, error: null})",
    "envelope true": "Promise.resolve({success: true, response: true})",
    "envelope null": "Promise.resolve({success: true, response: null})",
    "envelope success only": "Promise.resolve({success: true})",
    "envelope undefined response": "Promise.resolve({success: true, response: undefined})",
    "envelope undefined response and another field": "Promise.resolve({success: true, response: undefined, x: 1})",
    "envelope object": "Promise.resolve({success: true, response: {id: 7, label: 'Break'}})",
    "failure bare": "Promise.resolve({success: false})",
    "failure text": "Promise.resolve({success: false, response: null, error: 'not now'})",
    "failure empty text": "Promise.resolve({success: false, error: ''})",
    "failure null error": "Promise.resolve({success: false, error: null, response: true})",
    "failure message object": "Promise.resolve({success: false, error: {message: 'denied', code: 7}})",
    "failure code object": "Promise.resolve({success: false, error: {code: 7, reason: 'ü ✓'}})",
    "failure number": "Promise.resolve({success: false, error: 42})",
    "failure array": "Promise.resolve({success: false, error: ['a', 'b']})",
    "rejected Error": "Promise.reject(new Error('boom'))",
    "rejected empty Error": "Promise.reject(new Error(''))",
    "rejected text": "Promise.reject('no tab')",
    "rejected undefined": "Promise.reject(undefined)",
    "rejected message object": "Promise.reject({message: 'gone'})",
    "rejected code object": "Promise.reject({code: 9})",
    "thrown": "(() => { throw new TypeError('cil.x is not a function'); })()",
    "cycle": "(() => { const o = {}; o.o = o; return Promise.resolve(o); })()",
    "bigint": "Promise.resolve({n: 1n})",
    "function": "Promise.resolve(() => 1)",
}

HARNESS = """
import { readAnswer } from "%(answers)s";
import { Bridge } from "%(bridge)s";

const answers = %(answers_js)s;
const cil = { initIntegration() {}, isPrimaryTab() { return answers[current](); } };
let current = null;
const sent = [];
const bridge = new Bridge(Promise.resolve(cil), { storage: { load: () => ({}), save() {} },
  console: { warn() {}, info() {}, error() {} } });
bridge.attach((text) => sent.push(text), 0);
const out = {};
for (const name of Object.keys(answers)) {
  current = name;
  const reading = await readAnswer(() => cil.isPrimaryTab());
  sent.length = 0;
  await bridge.request({ id: 1, name: "isPrimaryTab", args: [] });
  out[name] = { reading, response: sent.find((text) => JSON.parse(text).kind === "response") };
}
console.log(JSON.stringify(out));
process.exit(0);
"""


def run_shim() -> dict[str, Any]:
    """Each answer through the shim: its own reading, and the `response` text the bridge posts."""
    answers_js = "{" + ",".join(f"{json.dumps(name)}: () => {expr}" for name, expr in ANSWERS.items()) + "}"
    script = HARNESS % {
        "answers": (ROOT / "static" / "shim" / "answers.js").as_uri(),
        "bridge": (ROOT / "static" / "shim" / "bridge.js").as_uri(),
        "answers_js": answers_js,
    }
    done = subprocess.run([NODE or "node", "--input-type=module", "-e", script],
                          capture_output=True, text=True, timeout=30, check=False)
    if done.returncode != 0:
        pytest.fail(f"the Node.js harness failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout)


def sdk_reading(response_text: str) -> dict[str, Any]:
    """How the SDK reads that `response`: what a request's caller gets, or the RequestFailed's error."""

    async def read() -> dict[str, Any]:
        rpc = Rpc(lambda _text: None, Stats())
        pending = asyncio.ensure_future(rpc.call("isPrimaryTab", [], timeout=5))
        await asyncio.sleep(0)
        response = decode(response_text)
        assert isinstance(response, Response)
        rpc.resolve(response)
        try:
            return {"ok": True, "value": await pending}
        except RequestFailed as exc:
            return {"ok": False, "error": exc.error}

    return asyncio.run(read())


@pytest.fixture(scope="module")
def shim() -> dict[str, Any]:
    return run_shim()


@pytest.mark.parametrize("name", list(ANSWERS))
def test_the_shim_and_the_sdk_read_each_answer_the_same(shim: dict[str, Any], name: str) -> None:
    """The shim's own reading equals the SDK's reading of what the bridge sent on."""
    assert shim[name]["reading"] == sdk_reading(shim[name]["response"])


@pytest.mark.parametrize(("name", "reading"), [
    ("false", {"ok": True, "value": False}),
    ("envelope false", {"ok": True, "value": False}),
    ("envelope true", {"ok": True, "value": True}),
    ("undefined", {"ok": True, "value": None}),
    ("envelope success only", {"ok": True, "value": None}),
    ("success not a boolean", {"ok": True, "value": {"success": "yes", "response": False}}),
    ("success with another field", {"ok": True, "value": {"success": True, "extra": 1}}),
    ("failure bare", {"ok": False, "error": "success=false"}),
    ("failure text", {"ok": False, "error": "not now"}),
    ("failure message object", {"ok": False, "error": "denied"}),
    ("failure code object", {"ok": False, "error": '{"code":7,"reason":"ü ✓"}'}),
    ("rejected Error", {"ok": False, "error": "boom"}),
    ("rejected undefined", {"ok": False, "error": "request rejected"}),
    ("rejected code object", {"ok": False, "error": '{"code":9}'}),
    ("thrown", {"ok": False, "error": "cil.x is not a function"}),
])
def test_readings_that_matter_are_what_the_contract_means(shim: dict[str, Any], name: str, reading: dict) -> None:
    """An envelope's `response: false` is false (not a truthy object); failures carry their error's text."""
    assert shim[name]["reading"] == reading


def test_answers_json_cannot_carry_are_failures_on_both_sides(shim: dict[str, Any]) -> None:
    """A cycle or a BigInt cannot reach Python: both sides read a failure saying why."""
    for name in ("cycle", "bigint"):
        assert shim[name]["reading"]["ok"] is False and shim[name]["reading"]["error"]
