"""Fixtures for the reliability tests: the real integration in the simulator, plus ways to fire
events through the stub `cil` and to read what Python counted.

Events reach the integration the way b+s Connects delivers them: `fire()` hands each one to the
simulator's stub library (one task per event, the payload structured-cloned into the integration's
page). Payloads a structured clone cannot carry (functions, throwing getters) or would choke on
(thousands of nesting levels) are handed straight to the handlers the integration registered on
`cil`, also one task per event: an init script records those handlers as the page subscribes.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import BrowserContext

from ..integration.conftest import PythonSim, _echo_console, python_sim  # noqa: F401 - fixtures

# Runs in every frame before its scripts: in the integration's iframe it wraps the stub library's
# on<Event> methods so that the handlers the shim registers can be called directly.
RECORD_CIL_HANDLERS = """
if (window !== window.top && !("__cilHandlers" in window)) {
  window.__cilHandlers = {};
  let library;
  Object.defineProperty(window, "ConnectsIntegrationLibrary", {
    configurable: true,
    get() { return library; },
    set(value) {
      library = value;
      for (const key of Object.keys(value)) {
        if (!/^on[A-Z]/.test(key) || typeof value[key] !== "function") continue;
        const subscribe = value[key];
        value[key] = function (handler) {
          (window.__cilHandlers[key] ??= []).push(handler);
          return subscribe.call(this, handler);
        };
      }
    },
  });
}
"""

# In the integration's frame: fire a list of [name, payload, direct] one task each, in order.
# `payloads` is JS source evaluated there (so it can build cycles, BigInts, functions, getters).
FIRE = """
async ([source, gapEvery]) => {
  const items = (0, eval)(source);
  const sim = window.parent.connectsSimulator._core.tabReg;
  const method = (name) => `on${name[0].toUpperCase()}${name.slice(1)}`;
  let fired = 0;
  for (const [name, payload, direct] of items) {
    if (direct) {
      setTimeout(() => (window.__cilHandlers[method(name)] ?? []).forEach((handler) => handler(payload)), 0);
    } else {
      sim.deliver(name, payload, null);
    }
    fired += 1;
    if (gapEvery && fired % gapEvery === 0) await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return fired;
}
"""


@pytest.fixture(autouse=True)
def _record_cil_handlers(context: BrowserContext) -> None:
    context.add_init_script(RECORD_CIL_HANDLERS)


def fire(sim: PythonSim, source: str, gap_every: int = 0) -> int:
    """Fire the events the JS expression `source` evaluates to ([name, payload, direct] items)."""
    return int(sim.frame().evaluate(FIRE, [source, gap_every]))


def diagnose(sim: PythonSim, collect: bool = False, tab: int = 1) -> dict[str, Any]:
    """Python's counters and memory figures plus the shim's (docs/protocol.md, diagnose)."""
    return sim.frame(tab).evaluate("c => window.integrationShim.diagnose({collect: c, timeoutMs: 30000})", collect)


def wait_handled(sim: PythonSim, received: int, timeout_ms: int = 60_000, tab: int = 1) -> dict[str, Any]:
    """Wait until Python received `received` events in all and has nothing queued; return diagnostics."""
    sim.frame(tab).wait_for_function(
        """async (n) => {
            const d = await window.integrationShim.diagnose({timeoutMs: 30000});
            return d.stats.events_received + d.stats.events_repeated >= n && d.sdk.queued === 0
                && d.shim.pending === 0 && d.shim.unacked === 0;
        }""",
        arg=received, timeout=timeout_ms, polling=100,
    )
    return diagnose(sim, tab=tab)


def shim_stats(sim: PythonSim, tab: int = 1) -> dict[str, Any]:
    return sim.frame(tab).evaluate("window.integrationShim.stats")
