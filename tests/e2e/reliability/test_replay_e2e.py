"""Events posted to a worker that then hangs or is killed are not lost: the shim keeps them until
Python acknowledges them and re-posts them to the restarted worker, which handles each exactly
once, in order. A beforeDial is never re-posted: the watchdog already dialled it, once.

Faults are injected by serving another worker entry (as in tests/e2e/integration/test_watchdog_e2e.py).
Every handled event is written to the b+s Connects log with its seq and the worker's life (the
number of restarts before it), so what each worker did survives the worker.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..integration.conftest import ENTRY_PREAMBLE
from .conftest import PythonSim, fire, shim_stats

Open = Callable[..., PythonSim]

REPLAY_ENTRY = "import asyncio, itertools\n" + ENTRY_PREAMBLE + """integration = None
life = None
ids = itertools.count(1)

async def handle(event):
    if event.message == "hang" and "hung" not in integration.storage:
        integration.persist("hung", "1")
        while True:  # never returns, never yields: the worker hangs
            pass
    if event.message.startswith("slow"):
        await asyncio.sleep(0.4)
    integration.client.write_log_nowait(f"handled seq={event.seq} {event.message} life={life}")

def decide(event):
    integration.client.write_log_nowait(f"decided seq={event.seq} life={life}")
    integration.send_decision(event, "dial", request_id=f"python-{next(ids)}")

async def main():
    global integration, life
    integration = Integration(transport)
    integration.on_error(handle)
    integration.on_before_dial(decide)
    life = (await integration.wait_for_context()).restarts
    integration.configure_watchdog(10000, "open")
    await integration.start()

_task = asyncio.ensure_future(main())
"""

HANDLED = re.compile(r"^handled seq=(\d+) (\S+(?: \d+)?) life=(\d+)$")


def errors(*messages: str) -> str:
    """JS for `fire`: one `error` event per message, through the stub library."""
    items = ", ".join(f'["error", {{event: "error", version: "1.0", requestId: "", message: "{m}"}}, false]'
                      for m in messages)
    return f"[{items}]"


def handled(sim: PythonSim) -> list[tuple[int, str, int]]:
    """(seq, message, life) of every event the workers logged as handled, in log order."""
    found = [HANDLED.match(log["message"]) for log in sim.prop("writeLogs")]
    return [(int(m[1]), m[2], int(m[3])) for m in found if m]


def quick_detection(sim: PythonSim) -> None:
    """Notice a silent worker after 1 s without an ack and 1 s without an answer (defaults: 5 s + 5 s)."""
    sim.frame().evaluate("shim => { shim.bridge.stallMs = 1000; shim.supervisor.pingTimeoutMs = 1000; }",
                         sim.frame().evaluate_handle("window.integrationShim"))


def wait_handled(sim: PythonSim, count: int, timeout_ms: int = 60_000) -> list[tuple[int, str, int]]:
    sim.page.wait_for_function(
        "n => connectsSimulator.writeLogs.filter((log) => log.message.startsWith('handled ')).length >= n",
        arg=count, timeout=timeout_ms,
    )
    return handled(sim)


def assert_once_each_in_order(done: list[tuple[int, str, int]], expected: list[str]) -> None:
    assert [message for _seq, message, _life in done] == expected
    seqs = [seq for seq, _message, _life in done]
    assert seqs == sorted(set(seqs)), seqs  # each seq once, in seq order, across both workers


def test_events_posted_to_a_hung_worker_are_handled_once_by_its_successor(python_sim: Open) -> None:
    """A handler loops forever on "hang"; the events behind it were already posted to that worker.
    The stalled worker is replaced and the new one handles "hang" and the rest, each once, in order."""
    sim = python_sim(entry=REPLAY_ENTRY)
    quick_detection(sim)
    fire(sim, errors("e1", "e2", "e3"))
    wait_handled(sim, 3)
    sim.frame().wait_for_function("window.integrationShim.bridge.unacked.length === 0")

    fire(sim, errors("hang", "e4", "e5", "e6"))
    sim.frame().wait_for_function("window.integrationShim.bridge.unacked.length === 4")  # all posted
    done = wait_handled(sim, 7, timeout_ms=90_000)
    sim.settle(1000)
    done = handled(sim)

    assert_once_each_in_order(done, ["e1", "e2", "e3", "hang", "e4", "e5", "e6"])
    assert [life for *_rest, life in done] == [0, 0, 0, 1, 1, 1, 1]
    stats = shim_stats(sim)
    assert stats["restarts"] == 1 and stats["replayed"] == 4 and stats["stalls"] >= 1 and stats["dropped"] == 0


def test_events_posted_to_a_killed_worker_are_handled_once_and_a_before_dial_never_twice(python_sim: Open) -> None:
    """Six slow events and a beforeDial are posted; the worker is killed while handling the second.
    The restarted worker handles events 2-6 once each, in order; the beforeDial it never saw was
    dialled once by the watchdog and is not re-posted (no second dial, no late decision)."""
    sim = python_sim(entry=REPLAY_ENTRY)
    quick_detection(sim)
    sim.api("login", "Ready")
    fire(sim, errors("slow 1", "slow 2", "slow 3", "slow 4", "slow 5", "slow 6"))
    sim.api("agentDial", "+41441234567")
    first = wait_handled(sim, 1)[0]
    # Kill it once the first event is acknowledged: the second is running, the rest are posted.
    sim.frame().evaluate("""async (seq) => {
        const shim = window.integrationShim;
        while (shim.bridge.stats.acked < seq) await new Promise((resolve) => setTimeout(resolve, 5));
        shim.supervisor.worker.terminate();
    }""", first[0])

    done = wait_handled(sim, 6, timeout_ms=90_000)
    sim.settle(1500)
    done = handled(sim)

    assert_once_each_in_order(done, [f"slow {n}" for n in range(1, 7)])
    assert [life for *_rest, life in done] == [0, 1, 1, 1, 1, 1]
    dials = sim.requests("dialOrConsult")
    assert [d["args"] for d in dials] == [["voice", "+41441234567"]]  # the watchdog's, once
    assert not any(log["message"].startswith("decided ") for log in sim.prop("writeLogs"))
    stats = shim_stats(sim)
    assert stats["restarts"] == 1 and stats["replayed"] == 5
    assert stats["fallbackDials"] == 1 and stats["decided"] == 0 and stats["lateDropped"] == 0
