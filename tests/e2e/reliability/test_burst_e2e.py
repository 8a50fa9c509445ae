"""A 10,000-event burst and a 300-call session through the real integration: nothing lost, in
order, and memory back where it was.

Memory is read from both sides: Python's `diagnostics` (objects tracked by the garbage collector,
C heap in use inside the WebAssembly memory, JS objects Python holds, the SDK's bookkeeping sizes)
and the page's JS heap through the DevTools protocol after a forced collection. WebAssembly memory
never shrinks, so its growth is reported, not asserted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page

from .conftest import PythonSim, diagnose, shim_stats, wait_handled

Open = Callable[..., PythonSim]
MiB = 2**20
# A settled request's timeout timer stays scheduled in Pyodide's event loop (a JS setTimeout holding
# a small closure) until it would have fired: after the SDK's default 10 s nothing of a call is left.
QUIET_MS = 10_500

# 1,666 complete calls (create → connect → pause → resume → wrap-up → end) and 4 state changes.
BURST = r"""
(() => {
  const cycle = [
    "workitemCreate", "workitemConnect", "workitemPause", "workitemResume", "workitemWrapup", "workitemEnd",
  ];
  const state = { Offered: "Offered", workitemConnect: "Connected" };
  const items = [];
  for (let call = 0; items.length < 9996; call += 1) {
    for (const name of cycle) {
      items.push([name, {
        event: name, version: "1.0", requestId: "", agentId: "agent-1", ani: "+41441234567",
        associatedParticipant: { id: "c1", name: "Jane Doe", recordType: "contact" }, associations: [],
        capabilities: ["HangUp"], channelId: "voice_5000", channelType: "Voice", classification: "Customer",
        connectedAt: null, ctiData: { case: String(call) }, direction: "Incoming", id: `burst-${call}`,
        participants: [{ address: "+41441234567" }], participantLookupResult: [],
        state: state[name] ?? "Connected", fromAddress: "+41441234567", toAddress: "1001",
      }]);
    }
  }
  for (const newState of ["NotReady", "Ready", "NotReady", "Ready"]) {
    const payload = { event: "agentStateChange", channelId: "voice_5000", newState, newReasonCode: -1 };
    items.push(["agentStateChange", payload]);
  }
  return items;
})()
"""

# Fire the burst through the stub library and time it until Python acknowledged the last event;
# `workerMs` starts when the shim posted the first batch (the simulator's delivery excluded).
TIMED_BURST = """
async (source) => {
  const items = (0, eval)(source);
  const stub = window.parent.connectsSimulator._core.tabReg;
  const bridge = window.integrationShim.bridge;
  const last = bridge.seq + items.length;
  const post = bridge.post;
  let posted;
  bridge.post = (text) => { posted ??= performance.now(); post(text); };
  const started = performance.now();
  for (const [name, payload] of items) stub.deliver(name, payload, null);
  const fired = performance.now() - started;
  try {
    while (bridge.stats.acked < last) {
      if (performance.now() - started > 60000) throw new Error(`only ${bridge.stats.acked} of ${last} acknowledged`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  } finally {
    bridge.post = post;
  }
  const done = performance.now();
  return { count: items.length, last, firedMs: fired, handledMs: done - started, workerMs: done - posted };
}
"""

# `count` outbound calls, each: beforeDial → Python's dial → create, connect, (hold, resume,)
# hang-up → wrap-up → end. The far end answers only when told (?answer=).
CALLS = """
async ([count, number]) => {
  const sim = window.connectsSimulator;
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  for (let i = 0; i < count; i += 1) {
    if (!sim.agentDial(number).blocked) throw new Error(`call ${i}: beforeDial was not raised`);
    const deadline = performance.now() + 10000;
    let call;
    while (!(call = sim.calls()[0])) {
      if (performance.now() > deadline) throw new Error(`call ${i}: Python did not dial`);
      await sleep(1);
    }
    sim.accept(call.id);
    if (i % 3 === 0) { sim.hold(call.id); sim.retrieve(call.id); }
    sim.hangUp(call.id);
    sim.endWrapup(call.id);
  }
  return count;
}
"""


def js_heap(page: Page) -> int:
    """The page's JS heap in use (host page and integration frame share it) after a forced collection."""
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("HeapProfiler.collectGarbage")
        return int(cdp.send("Runtime.getHeapUsage")["usedSize"])
    finally:
        cdp.detach()


def settled(sim: PythonSim) -> dict[str, Any]:
    """Diagnostics after the simulator's own logs were emptied and both sides collected garbage."""
    sim.api("clearLogs")
    result = diagnose(sim, collect=True)
    result["jsHeap"] = js_heap(sim.page)
    return result


def assert_nothing_held(after: dict[str, Any]) -> None:
    """The SDK's and the shim's bookkeeping is empty (or at its fixed bound) between calls."""
    sdk, shim = after["sdk"], after["shim"]
    assert sdk["queued"] == sdk["pendingRequests"] == sdk["waiters"] == sdk["callbacks"] == 0, sdk
    assert sdk["tasks"] == 0 and sdk["openWorkitems"] == 0, sdk
    assert sdk["nowaitRequests"] <= 512 and sdk["decided"] <= 256, sdk
    assert shim["pending"] == shim["unacked"] == shim["waitingDiagnoses"] == shim["watchdogPending"] == 0, shim
    assert sdk["ackedSeq"] == sdk["highestSeq"] == shim["seq"], (sdk, shim)


def grew(before: dict[str, Any], after: dict[str, Any]) -> dict[str, float]:
    python_before, python_after = before["python"], after["python"]
    return {
        "gcObjects": python_after["gcObjects"] - python_before["gcObjects"],
        "mallocMiB": (python_after.get("mallocInUseBytes", 0) - python_before.get("mallocInUseBytes", 0)) / MiB,
        "jsRefs": python_after.get("jsRefs", 0) - python_before.get("jsRefs", 0),
        "jsHeapMiB": (after["jsHeap"] - before["jsHeap"]) / MiB,
        "wasmMiB": (python_after.get("wasmMemoryBytes", 0) - python_before.get("wasmMemoryBytes", 0)) / MiB,
    }


def test_a_10000_event_burst_is_handled_in_order_with_none_lost_and_memory_comes_back(python_sim: Open) -> None:
    """10,000 events in one burst: every one handled once, in seq order (every call's six events in
    order, so no work item is left open), within 30 s; Python's and the page's memory return to
    their pre-burst level."""
    sim = python_sim()
    sim.api("login", "Ready")
    warm_up = sim.frame().evaluate(TIMED_BURST, BURST.replace("9996", "600"))
    wait_handled(sim, warm_up["last"])
    before = settled(sim)

    burst = sim.frame().evaluate(TIMED_BURST, BURST)
    after = settled(sim)

    seconds = burst["handledMs"] / 1000
    delta = {key: after["stats"][key] - before["stats"][key] for key in after["stats"]}
    assert burst["count"] == 10_000 and seconds < 30
    assert delta["events_received"] == delta["events_dispatched"] == 10_000
    assert delta["events_repeated"] == delta["events_invalid"] == delta["events_dropped"] == 0
    assert delta["handler_errors"] == delta["protocol_errors"] == 0
    assert after["sdk"]["highestSeq"] == burst["last"]  # strictly increasing seqs, none skipped
    assert_nothing_held(after)
    assert shim_stats(sim)["restarts"] == 0

    growth = grew(before, after)
    assert growth["gcObjects"] <= 0.02 * before["python"]["gcObjects"] + 500, growth
    assert growth["mallocMiB"] <= 8, growth
    assert growth["jsRefs"] <= 20, growth
    assert growth["jsHeapMiB"] <= 8, growth
    print(f"\nburst: 10,000 events handled in {seconds:.2f} s = {10_000 / seconds:,.0f} events/s "
          f"(fired in {burst['firedMs']:.0f} ms; from the shim's post {burst['workerMs']:.0f} ms = "
          f"{10_000_000 / burst['workerMs']:,.0f} events/s); after - before: {growth}; "
          f"wasm {after['python'].get('wasmMemoryBytes', 0) / MiB:.0f} MiB")


def test_a_300_call_session_does_not_grow_memory(python_sim: Open) -> None:
    """300 outbound calls, each decided by Python on beforeDial, then created, connected, held,
    wrapped up and ended: after a 50-call warm-up, the next 250 calls leave Python's objects and
    heap, its JS references and the page's JS heap where they were, with no bookkeeping left over."""
    sim = python_sim({"setting1": "region=CH; format=E164"}, answer="")
    sim.api("login", "Ready")
    sim.page.evaluate(CALLS, [50, "+41441234567"])
    warm = shim_stats(sim)
    wait_handled(sim, warm["events"])
    sim.page.wait_for_timeout(QUIET_MS)
    before = settled(sim)

    sim.page.evaluate(CALLS, [250, "+41441234567"])
    stats = shim_stats(sim)
    wait_handled(sim, stats["events"])
    sim.page.wait_for_timeout(QUIET_MS)
    after = settled(sim)

    assert stats["started"] == stats["decided"] == 300 and stats["fallbacks"] == 0
    assert stats["restarts"] == 0
    events = after["stats"]["events_dispatched"] - before["stats"]["events_dispatched"]
    assert events >= 250 * 6 and after["stats"]["handler_errors"] == 0
    assert_nothing_held(after)

    growth = grew(before, after)
    assert growth["gcObjects"] <= 150, growth  # a leak of one object per call would show 250
    assert growth["mallocMiB"] <= 1, growth  # 4 kB per call would show 1 MiB
    assert growth["jsRefs"] <= 5, growth
    assert growth["jsHeapMiB"] <= 2, growth
    print(f"\nsession: 300 calls ({events} events after the warm-up); after 250 calls - after 50: {growth}; "
          f"wasm {after['python'].get('wasmMemoryBytes', 0) / MiB:.0f} MiB")
