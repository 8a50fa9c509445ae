"""A beforeDial that comes as the integration subscribes is decided by Python, not by the watchdog.

The reference integration with dial rules (setting1 region=CH, setting2 block=premium_rate) gets a
beforeDial for a premium number at the moments around its subscription where an event could fall
between two steps: in the same turn as `cil.onBeforeDial` returns (subscription complete, Python
not ready yet), in the same turn as the shim handles Python's `ready`, just before and just
after it, and while Python is still inside `start()` (its getChannel held back). Meanwhile the
dial rules' wheel, which Python downloads whole in the background from its start, is held back
by the network: a decision that waited for it was received but not handled until the watchdog
dialled the blocked number. Each time Python must decide `block` itself, without waiting: the
agent is told, nothing is dialled, every event received is handled and acknowledged.

The stress test (marked slow, not in the default run) fires the same beforeDial at random moments
from the subscription to one second after it, over many page loads, every other one with the
wheel held back: the blocked number is never dialled.
"""

from __future__ import annotations

import json
import os
import random
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Request, Route

from ..integration.conftest import READY_MS, SETTINGS_KEY, PythonSim

Open = Callable[..., PythonSim]

RULES = {"setting1": "region=CH; format=E164", "setting2": "block=premium_rate"}
BLOCKED = "+41900123456"

# Runs in every frame before its scripts. In the simulator (top): logs the agent in and fires the
# beforeDial when a tab subscribes it (moment "subscribed", or "random": 0-1000 ms later). In the
# integration's frame: fires it around the shim's handling of Python's `ready`, or while Python's
# getChannel (inside start()) is held back.
FIRE_AT = """
(() => {
  const moment = %(moment)s;
  if (window === window.top) {
    let api;
    Object.defineProperty(window, "connectsSimulator", { configurable: true, get: () => api, set(value) {
      api = value;
      api.login("Ready");
      window.fireBeforeDial = () => { window.fired = (window.fired ?? 0) + 1; return api.agentDial(%(number)s); };
      const registry = api._core.tabReg;
      const connect = registry.connect.bind(registry);
      registry.connect = (n, endpoint) => {
        const conn = connect(n, endpoint);
        const subscribe = conn.subscribe;
        conn.subscribe = (event, count) => {
          subscribe(event, count);
          if (event !== "beforeDial" || window.fired) return;
          if (moment === "subscribed") window.fireBeforeDial();
          if (moment === "random") setTimeout(window.fireBeforeDial, Math.random() * 1000);
        };
        return conn;
      };
    } });
    return;
  }
  let shim;
  Object.defineProperty(window, "integrationShim", { configurable: true, get: () => shim, set(value) {
    shim = value;
    const bridge = shim.bridge;
    const fromWorker = bridge.fromWorker.bind(bridge);
    const request = bridge.request.bind(bridge);
    bridge.fromWorker = (message) => {
      if (message.kind === "ready" && moment === "before ready") parent.fireBeforeDial();
      fromWorker(message);
      if (message.kind === "ready" && moment === "after ready") parent.fireBeforeDial();
    };
    bridge.request = (message) => {
      if (message.name !== "getChannel" || moment !== "inside start") return request(message);
      parent.fireBeforeDial();
      return new Promise((resolve) => setTimeout(resolve, 300)).then(() => request(message));
    };
  } });
})();
"""


def fire_at(moment: str) -> str:
    return FIRE_AT % {"moment": json.dumps(moment), "number": json.dumps(BLOCKED)}


class HeldWheel:
    """Holds back every whole-file request of the dial rules' wheel (a slow network) until released;
    reads of byte ranges go through."""

    def __init__(self, context: BrowserContext) -> None:
        self.held: list[Route] = []
        context.route("**/phonenumberslite-*.whl", self.hold)

    def hold(self, route: Route, request: Request) -> None:
        if request.headers.get("range"):
            route.continue_()
        else:
            self.held.append(route)

    def release(self) -> int:
        held, self.held = self.held, []
        for route in held:
            route.continue_()
        return len(held)


def outcome(sim: PythonSim) -> dict[str, Any]:
    """Once the beforeDial was decided (or fell back): what the shim, Python and the simulator did."""
    sim.page.wait_for_function("window.fired === 1", timeout=READY_MS)
    sim.frame().wait_for_function(
        "() => { const s = window.integrationShim.stats; return s.decided + s.fallbacks >= 1; }", timeout=15_000)
    sim.settle(500)
    shim = sim.frame().evaluate("window.integrationShim.stats")
    python = sim.frame().evaluate("window.integrationShim.diagnose({timeoutMs: 30000})")
    return {
        "decided": shim["decided"], "fallbacks": shim["fallbacks"],
        "dials": [request["args"] for request in sim.requests("dialOrConsult")],
        "alerts": [alert["title"] for alert in sim.prop("alertLog")],
        "received": python["stats"]["events_received"], "handled": python["stats"]["events_dispatched"],
        "acked": python["sdk"]["ackedSeq"] == python["sdk"]["highestSeq"],
    }


DECIDED_BY_PYTHON = {"decided": 1, "fallbacks": 0, "dials": [], "alerts": ["Call blocked"], "acked": True}


@pytest.mark.parametrize("moment", ["subscribed", "before ready", "after ready", "inside start"])
def test_a_before_dial_at_subscription_is_decided_by_python(python_sim: Open, page: Page, moment: str) -> None:
    page.add_init_script(fire_at(moment))
    wheel = HeldWheel(page.context)
    sim = python_sim(RULES)
    seen = outcome(sim)
    assert wheel.release() == 1  # the download was in flight all along
    assert {key: seen[key] for key in DECIDED_BY_PYTHON} == DECIDED_BY_PYTHON, seen
    assert seen["received"] == seen["handled"] == 1, seen


def load(browser: Browser, server_url: str, moment: str, hold_wheel: bool) -> dict[str, Any]:
    """One fresh page (new browser context) of the simulator with the reference integration."""
    context = browser.new_context()
    wheel = HeldWheel(context) if hold_wheel else None
    try:
        page = context.new_page()
        page.add_init_script(f"localStorage.setItem({json.dumps(SETTINGS_KEY)}, {json.dumps(json.dumps(RULES))});")
        page.add_init_script(fire_at(moment))
        page.goto(f"{server_url}/static/simulator/index.html?{urlencode({'integration': '/index.html', 'tabs': 1})}")
        page.wait_for_function("window.connectsSimulator")
        page.evaluate("ms => connectsSimulator.whenTabsReady({timeoutMs: ms})", READY_MS)
        return outcome(PythonSim(page, server_url))
    finally:
        if wheel is not None:
            wheel.release()
        context.close()


@pytest.mark.slow
@pytest.mark.timeout(3600)
def test_stress_a_blocked_number_fired_at_random_moments_around_subscription_is_never_dialled(
    browser: Browser, server_url: str
) -> None:
    """BSC_RACE_LOADS page loads (default 100), each firing at a random moment: 0 dials."""
    loads = int(os.environ.get("BSC_RACE_LOADS", "100"))
    moments = ["random"] * loads
    for index in random.sample(range(loads), k=min(loads, 12)):  # and the fixed moments, among them
        moments[index] = ["subscribed", "before ready", "after ready", "inside start"][index % 4]
    outcomes = [load(browser, server_url, moment, hold_wheel=index % 2 == 1) for index, moment in enumerate(moments)]
    dialled = [seen for seen in outcomes if seen["dials"]]
    by_watchdog = [seen for seen in outcomes if seen["fallbacks"]]
    print(f"\n{loads} loads: {len(dialled)} dialled the blocked number, {len(by_watchdog)} fell back to the watchdog")
    assert dialled == [] and by_watchdog == []
