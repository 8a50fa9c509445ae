"""Fail-open dialling: whatever Python does, each beforeDial ends in exactly one outcome.

Faults are injected by serving a different worker entry (integration/worker_main.py) through a
Playwright route: a beforeDial handler that raises, is slow, never returns, or a worker that is
killed. Python's own dials carry a requestId starting with "python-"; the watchdog's carry none.
"""

from __future__ import annotations

from collections.abc import Callable

from .conftest import ENTRY_PREAMBLE, PythonSim

Open = Callable[..., PythonSim]

FAULTY_ENTRY = "import asyncio, itertools, time\n" + ENTRY_PREAMBLE + """MODE = "{mode}"
ids = itertools.count(1)
integration = None

async def rule(event):
    if MODE == "raise":
        raise RuntimeError("boom")
    if MODE == "slow":
        await asyncio.sleep(2.5)
    if MODE == "hang" and "hung" not in integration.storage:
        integration.persist("hung", "1")
        while True:  # a handler that never returns (and never yields)
            pass
    integration.send_decision(event, "dial", address=event.dialed_number, request_id=f"python-{{next(ids)}}")

async def main():
    global integration
    integration = Integration(transport)
    integration.on_before_dial(rule)
    await integration.wait_for_context()
    integration.configure_watchdog(1000, "{fail_mode}")
    await integration.start()

_task = asyncio.ensure_future(main())  # assigned: a bare expression would be awaited by PyScript
"""


def entry(mode: str, fail_mode: str = "open") -> str:
    return FAULTY_ENTRY.format(mode=mode, fail_mode=fail_mode)


def dials(sim: PythonSim) -> list[list]:
    return [request["args"] for request in sim.requests("dialOrConsult")]


def by_python(args: list) -> bool:
    return len(args) > 2 and str(args[2] or "").startswith("python-")


def end_calls(sim: PythonSim) -> None:
    """Hang up every call, so the next panel dial is a new call (not a consultation)."""
    sim.page.evaluate("""() => connectsSimulator.calls().forEach(c => {
        try { connectsSimulator.hangUp(c.id); } catch {}
        try { connectsSimulator.endWrapup(c.id); } catch {} })""")


def dial_across_a_restart(sim: PythonSim) -> tuple[list, list]:
    """After a dial that broke Python: wait for the restart, dial again; both dials' arguments."""
    sim.wait_requests("dialOrConsult", 1)
    sim.frame().wait_for_function("window.integrationShim.supervisor.restarts === 1", timeout=20_000)
    sim.frame().wait_for_function("document.documentElement.dataset.integration === 'ready'", timeout=60_000)
    end_calls(sim)
    sim.api("agentDial", "+41447654321")
    sim.wait_requests("dialOrConsult", 2)
    sim.settle(1200)
    first, second = dials(sim)
    return first, second


def shim_stats(sim: PythonSim) -> dict:
    return sim.frame().evaluate("window.integrationShim.stats")


def test_a_decision_in_time_is_dialled_once_by_python(python_sim: Open) -> None:
    """The healthy path: Python's decision dials once, the watchdog stays quiet."""
    sim = python_sim(entry="" + entry("ok"))
    sim.api("login", "Ready")
    sim.api("agentDial", "+41441234567")
    sim.wait_requests("dialOrConsult", 1)
    sim.settle(1500)
    assert len(dials(sim)) == 1 and by_python(dials(sim)[0])
    assert shim_stats(sim)["fallbacks"] == 0


def test_a_raising_handler_falls_back_to_one_dial_of_the_original_number(python_sim: Open) -> None:
    """Handler raised → the SDK says 'failed' → the shim dials the number unchanged, once, at once."""
    sim = python_sim(entry=entry("raise"))
    sim.api("login", "Ready")
    sim.api("agentDial", "044 123 45 67")
    sim.wait_requests("dialOrConsult", 1, timeout_ms=900)  # before the 1 s watchdog: 'failed' is immediate
    sim.settle(1500)
    assert dials(sim) == [["voice", "044 123 45 67"]]
    assert any("fail-open" in log["message"] for log in sim.prop("writeLogs"))


def test_a_slow_handler_is_overtaken_by_the_watchdog_and_its_late_decision_dropped(python_sim: Open) -> None:
    """No decision within 1 s → the watchdog dials; Python's decision at 2.5 s is dropped."""
    sim = python_sim(entry=entry("slow"))
    sim.api("login", "Ready")
    sim.api("agentDial", "+41441234567")
    sim.wait_requests("dialOrConsult", 1)
    sim.page.wait_for_timeout(2500)
    assert dials(sim) == [["voice", "+41441234567"]]
    assert shim_stats(sim)["lateDropped"] == 1


def test_an_endless_handler_is_survived_and_the_next_call_is_handled_by_python(python_sim: Open) -> None:
    """`while True` in a handler: the watchdog dials once, the hung worker is replaced, and the
    restarted Python (state rebuilt) decides the next dial itself."""
    sim = python_sim(entry=entry("hang"))
    sim.api("login", "Ready")
    sim.api("agentDial", "+41441234567")
    first, second = dial_across_a_restart(sim)
    assert first == ["voice", "+41441234567"] and by_python(second) and second[1] == "+41447654321"
    assert len(sim.requests("getChannel", tab=1)) == 2  # the new Python rebuilt its state


def test_a_killed_worker_is_survived_and_restarted(python_sim: Open) -> None:
    """The worker dies (terminated): the next beforeDial still dials once; Python comes back."""
    sim = python_sim(entry=entry("ok"))
    sim.api("login", "Ready")
    sim.frame().evaluate("window.integrationShim.supervisor.worker.terminate()")
    sim.api("agentDial", "+41441234567")
    first, second = dial_across_a_restart(sim)
    assert first == ["voice", "+41441234567"] and by_python(second)


def test_fail_closed_tells_the_agent_and_dials_nothing(python_sim: Open) -> None:
    """failMode=closed: a failed decision shows an error instead of dialling."""
    sim = python_sim(entry=entry("raise", fail_mode="closed"))
    sim.api("login", "Ready")
    sim.api("agentDial", "+41441234567")
    alerts = sim.wait_alerts(1)
    sim.settle(1500)
    assert dials(sim) == []
    assert "+41441234567" in alerts[0]["description"]


def test_secondary_tabs_never_fall_back_to_a_second_dial(python_sim: Open) -> None:
    """Two tabs whose handlers raise: only the primary tab's watchdog dials."""
    sim = python_sim(entry=entry("raise"), tabs=2)
    sim.api("login", "Ready")
    sim.api("agentDial", "+41441234567")
    sim.wait_requests("dialOrConsult", 1)
    sim.settle(2000)
    assert len(dials(sim)) == 1 and sim.requests("dialOrConsult")[0]["tab"] == 1
