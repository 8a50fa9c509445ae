"""The watchdog dials only in the primary tab, whichever shape isPrimaryTab answers in.

Runs static/shim/watchdog.js in Node.js against a fake `cil` whose isPrimaryTab answers plain
or enveloped, and counts the dialOrConsult calls of a decided dial and of a fail-open fallback.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
NODE = shutil.which("node")

pytestmark = pytest.mark.skipif(NODE is None, reason="Node.js is not installed (README: a set-up requirement)")

HARNESS = """
import { DialWatchdog } from "%(watchdog)s";

const quiet = { warn() {}, info() {}, error() {} };
const out = {};
for (const [name, answer] of Object.entries(%(answers)s)) {
  const dials = [];
  const cil = {
    isPrimaryTab: () => (answer === "reject" ? Promise.reject(new Error("no")) : Promise.resolve(answer)),
    dialOrConsult: (...args) => { dials.push(args); return Promise.resolve({ success: true, response: null }); },
    writeLog: () => Promise.resolve(),
    showError: () => Promise.resolve(),
  };
  const watchdog = new DialWatchdog(Promise.resolve(cil), { console: quiet });
  watchdog.started(1, { dialedNumber: "+41441234567" });
  watchdog.decided({ seq: 1, outcome: "dial", channelId: "voice", address: "+41441234567", requestId: "r1" });
  watchdog.started(2, { dialedNumber: "+41447654321" });
  watchdog.decided({ seq: 2, outcome: "failed" });
  await new Promise((resolve) => setTimeout(resolve, 20));
  out[name] = dials.map((args) => args[1]);
}
console.log(JSON.stringify(out));
process.exit(0);
"""

ANSWERS = {
    "plain primary": True,
    "plain secondary": False,
    "enveloped primary": {"success": True, "response": True, "error": None},
    "enveloped secondary": {"success": True, "response": False, "error": None},
    "enveloped failure": {"success": False, "response": None, "error": "unknown"},
    "rejected": "reject",
}


@pytest.fixture(scope="module")
def dialled() -> dict[str, list[str]]:
    script = HARNESS % {"watchdog": (ROOT / "static" / "shim" / "watchdog.js").as_uri(), "answers": json.dumps(ANSWERS)}
    done = subprocess.run([NODE or "node", "--input-type=module", "-e", script],
                          capture_output=True, text=True, timeout=30, check=False)
    if done.returncode != 0:
        pytest.fail(f"the Node.js harness failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout)


@pytest.mark.parametrize("answer", ["plain primary", "enveloped primary"])
def test_the_primary_tab_dials_a_decision_and_a_fallback_once_each(dialled, answer) -> None:
    assert dialled[answer] == ["+41441234567", "+41447654321"]


@pytest.mark.parametrize("answer", ["plain secondary", "enveloped secondary"])
def test_a_secondary_tab_dials_nothing_also_when_the_answer_is_an_envelope(dialled, answer) -> None:
    """`{success: true, response: false}` is a secondary tab: it must not read as a truthy object."""
    assert dialled[answer] == []


@pytest.mark.parametrize("answer", ["enveloped failure", "rejected"])
def test_a_tab_that_cannot_tell_dials(dialled, answer) -> None:
    """A failed question: the tab dials (an agent who cannot dial is worse than a rare double dial)."""
    assert dialled[answer] == ["+41441234567", "+41447654321"]
