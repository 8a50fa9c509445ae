"""Acknowledgements, repeated seqs and diagnostics: what lets the shim replay events safely."""

from __future__ import annotations

import asyncio
import time

from integration.sdk import Integration
from integration.sdk._intake import ACK_AFTER_S, ACK_EVERY
from integration.sdk._messages import EventEntry, Events
from integration.sdk._protocol import encode
from integration.testing import FakeConnects


def batch(*entries: tuple[int, str, object]) -> str:
    return encode(Events(events=[EventEntry(seq, name, payload) for seq, name, payload in entries]))


async def test_a_handled_batch_is_acknowledged_once_up_to_its_last_seq(started, fake):
    """One batch of events, all handled: one ack, carrying the batch's last seq."""
    seen = []
    started.on_error(seen.append)
    for number in range(5):
        fake.error(f"e{number}")
    await started.idle()
    assert len(seen) == 5
    assert fake.acks == [5] and fake.acked == 5


async def test_a_long_burst_is_acknowledged_every_few_hundred_events_not_per_event(started, fake):
    """A burst of 1,000 events in one batch: a handful of acks, the last covering everything."""
    started.on_error(lambda _event: None)
    for number in range(1000):
        fake.error(f"e{number}")
    began = time.monotonic()
    await started.idle()
    took = time.monotonic() - began
    assert fake.acked == 1000
    assert 1 < len(fake.acks) <= 1000 // ACK_EVERY + 2 + int(took / ACK_AFTER_S)
    assert fake.acks == sorted(set(fake.acks))  # increasing, never twice the same seq


async def test_the_ack_stops_before_an_event_whose_handler_is_still_running(started, fake):
    """Batches [1] and [2, 3]: while the handler of 2 awaits, only 1 is acknowledged; then all."""
    release = asyncio.Event()

    async def slow(event):
        if event.message == "slow":
            await release.wait()

    started.on_error(slow)
    fake.error("fast")
    fake.flush()
    fake.error("slow")
    fake.error("after")
    for _ in range(20):
        await asyncio.sleep(0)
    assert fake.acks == [1]
    release.set()
    await started.idle()
    assert fake.acks == [1, 3]


async def test_slow_handlers_get_each_event_acknowledged_as_it_is_done(started, fake):
    """One batch of three events whose handlers take 60 ms each: acks 1, 2, 3 (not only at the end)."""

    async def slow(_event):
        await asyncio.sleep(0.06)

    started.on_error(slow)
    fake.send_raw(batch((1, "error", {}), (2, "error", {}), (3, "error", {})))
    await started.idle()
    assert fake.acks == [1, 2, 3]


async def test_each_batch_is_acknowledged_at_its_end_even_with_more_batches_queued(started, fake):
    """Three batches queued behind each other: one ack per batch end (2, 4, 5), none per event."""
    started.on_error(lambda _event: None)
    fake.send_raw(batch((1, "error", {}), (2, "error", {})))
    fake.send_raw(batch((3, "error", {}), (4, "error", {})))
    fake.send_raw(batch((5, "error", {})))
    await started.idle()
    assert fake.acks == [2, 4, 5]


async def test_rejected_entries_are_acknowledged_too(started, fake):
    """A batch of only unreadable entries is done at once: it is acknowledged."""
    fake.send_raw(batch((1, "workitemCreate", "not an object"), (2, "noSuchEvent", {})))
    await started.idle()
    assert started.stats.events_invalid == 1 and started.stats.events_unknown == 1
    assert fake.acked == 2


async def test_a_seq_already_received_is_ignored_and_counted(started, fake):
    """The same seq twice in one worker life: handled once, the repeat counted, not dispatched."""
    seen = []
    started.on_error(seen.append)
    fake.send_raw(batch((7, "error", {"message": "first"})))
    fake.send_raw(batch((7, "error", {"message": "again"}), (5, "error", {"message": "older"})))
    fake.send_raw(batch((8, "error", {"message": "next"})))
    await started.idle()
    assert [event.message for event in seen] == ["first", "next"]
    assert started.stats.events_repeated == 2
    assert started.stats.events_received == 2


async def test_a_new_worker_life_handles_seqs_the_previous_one_never_acknowledged():
    """Replay: a fresh Integration (a restarted worker) accepts seqs posted to the dead one."""
    handled: list[tuple[str, int | None]] = []
    for life in ("first", "second"):
        fake = FakeConnects()
        integration = Integration(fake.transport)
        integration.on_error(lambda event, life=life: handled.append((life, event.seq)))
        await integration.start()
        fake.send_raw(batch((3, "error", {"message": "m"}), (4, "error", {"message": "m"})))
        await integration.idle()
        assert fake.acked == 4
        await integration.close()
    assert handled == [("first", 3), ("first", 4), ("second", 3), ("second", 4)]


async def test_diagnostics_report_counters_bookkeeping_and_memory(started, fake):
    """diagnose → diagnostics with the same id: stats, SDK sizes (nothing pending), memory figures."""
    started.on_error(lambda _event: None)
    fake.error("x")
    await started.idle()
    first = fake.diagnose(collect=True)
    second = fake.diagnose()
    await started.idle()
    assert [answer.id for answer in fake.diagnostics] == [first, second]
    answer = fake.diagnostics[0]
    assert answer.stats["events_received"] == 1 and answer.stats["events_dispatched"] == 1
    assert answer.sdk["highestSeq"] == 1 and answer.sdk["ackedSeq"] == 1
    assert answer.sdk["queued"] == 0 and answer.sdk["pendingRequests"] == 0 and answer.sdk["waiters"] == 0
    assert answer.python["gcObjects"] > 1000 and answer.python["allocatedBlocks"] > 0


async def test_a_transport_memory_probe_is_included_and_its_failure_reported(started, fake):
    """A transport with ``memory()`` adds its figures; a probe that raises is reported, not fatal."""
    started._transport.memory = lambda: {"wasmMemoryBytes": 123}  # type: ignore[attr-defined]
    fake.diagnose()
    await started.idle()
    started._transport.memory = lambda: 1 / 0  # type: ignore[attr-defined]
    fake.diagnose()
    await started.idle()
    assert fake.diagnostics[0].python["wasmMemoryBytes"] == 123
    assert "division" in fake.diagnostics[1].python["memoryError"]
