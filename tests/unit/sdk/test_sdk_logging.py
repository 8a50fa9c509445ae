"""Forwarding log records to writeLog: levels, no blocking, no recursion, no flood."""

from __future__ import annotations

import logging

import pytest

from integration.sdk import ConnectsLogHandler


class Clock:
    """A hand-driven monotonic clock for the rate limiter."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def test_logger():
    logger = logging.getLogger("tests.sdk.forwarded")
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    yield logger
    for handler in list(logger.handlers):
        logger.removeHandler(handler)


async def test_levels_map_to_debug_and_error(started, fake, test_logger):
    """Below ERROR goes out as Debug, ERROR and CRITICAL as Error, with the formatted message."""
    started.forward_logging(test_logger, logging.DEBUG)
    test_logger.debug("d %s", 1)
    test_logger.info("i")
    test_logger.warning("w")
    test_logger.error("e")
    test_logger.critical("c")
    await started.idle()
    assert fake.logs == [
        ("DEBUG tests.sdk.forwarded: d 1", "Debug"),
        ("INFO tests.sdk.forwarded: i", "Debug"),
        ("WARNING tests.sdk.forwarded: w", "Debug"),
        ("ERROR tests.sdk.forwarded: e", "Error"),
        ("CRITICAL tests.sdk.forwarded: c", "Error"),
    ]


async def test_level_threshold_is_respected(started, fake, test_logger):
    """forward_logging(level=INFO) does not forward DEBUG records."""
    started.forward_logging(test_logger, logging.INFO)
    test_logger.debug("hidden")
    test_logger.info("shown")
    await started.idle()
    assert [m for m, _ in fake.logs] == ["INFO tests.sdk.forwarded: shown"]


async def test_exceptions_are_forwarded_with_traceback(started, fake, test_logger):
    """logger.exception sends the traceback text at Error level."""
    started.forward_logging(test_logger)
    try:
        raise ValueError("bad value")
    except ValueError:
        test_logger.exception("it failed")
    await started.idle()
    message, level = fake.logs[-1]
    assert level == "Error" and "Traceback" in message and "ValueError: bad value" in message


async def test_emit_does_not_block_or_wait_for_the_host(started, fake, test_logger):
    """emit only posts the request: with a silent host it returns at once and nothing is pending."""
    fake.silent.add("writeLog")
    started.forward_logging(test_logger)
    test_logger.info("fire and forget")
    assert started._rpc.pending_count == 0
    await started.idle()
    assert fake.requests_named("writeLog")[0].args == ["INFO tests.sdk.forwarded: fire and forget", "Debug"]


async def test_records_emitted_while_forwarding_are_not_forwarded(started, fake, test_logger, monkeypatch):
    """A record logged by the forwarding path itself (e.g. the transport) is not sent again."""
    handler = started.forward_logging(test_logger)
    original = handler._client.write_log_nowait

    def noisy(message, level, on_failure=None):
        test_logger.warning("transport says hi")  # would recurse without the guard
        original(message, level, on_failure)

    monkeypatch.setattr(handler._client, "write_log_nowait", noisy)
    test_logger.info("outer")
    await started.idle()
    assert [m for m, _ in fake.logs] == ["INFO tests.sdk.forwarded: outer"]


async def test_rejected_write_log_is_counted_not_logged(started, fake, test_logger):
    """A host rejecting writeLog increments a counter and produces no new log record."""
    fake.fail["writeLog"] = "log full"
    started.forward_logging(test_logger)
    test_logger.info("one")
    await started.idle()
    assert started.stats.log_forward_failures == 1
    assert len(fake.requests_named("writeLog")) == 1


async def test_flood_is_rate_limited_and_the_suppressed_count_reported(started, fake):
    """Beyond max_records per window records are dropped, then one summary line reports them."""
    clock = Clock()
    handler = ConnectsLogHandler(started.client, max_records=3, per_seconds=10, stats=started.stats, clock=clock)
    logger = logging.getLogger("tests.sdk.flood")
    logger.propagate = False
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        for i in range(10):
            logger.info("msg %d", i)
        logger.error("an error in the flood")
        assert handler.suppressed == 8 and started.stats.log_records_suppressed == 8
        clock.now = 5.0  # half the window: 1.5 tokens back
        logger.info("after pause")
        await started.idle()
    finally:
        logger.removeHandler(handler)
    messages = [m for m, _ in fake.logs]
    assert messages[:3] == ["INFO tests.sdk.flood: msg 0", "INFO tests.sdk.flood: msg 1", "INFO tests.sdk.flood: msg 2"]
    assert fake.logs[3] == ("8 log record(s) suppressed by the forwarding rate limit", "Error")
    assert messages[4] == "INFO tests.sdk.flood: after pause"
    assert handler.suppressed == 0


async def test_suppressed_count_is_reported_on_flush(started, fake):
    """flush() (logging shutdown) reports a pending suppressed count."""
    handler = ConnectsLogHandler(started.client, max_records=1, per_seconds=60, clock=Clock())
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "m", None, None)
    handler.handle(record)
    handler.handle(record)
    handler.flush()
    await started.idle()
    assert fake.logs[-1] == ("1 log record(s) suppressed by the forwarding rate limit", "Debug")


async def test_suppressed_count_is_reported_later_without_new_records(started, fake):
    """Even if nothing else is logged, the summary goes out once the window has passed."""
    handler = ConnectsLogHandler(started.client, max_records=1, per_seconds=0.02)
    record = logging.LogRecord("x", logging.WARNING, __file__, 1, "m", None, None)
    handler.handle(record)
    handler.handle(record)
    handler.handle(record)
    import asyncio

    await asyncio.sleep(0.05)
    await started.idle()
    assert fake.logs[-1] == ("2 log record(s) suppressed by the forwarding rate limit", "Debug")


async def test_close_removes_forwarding(fake, integration, test_logger):
    """After close() the handler is detached from the logger."""
    handler = integration.forward_logging(test_logger)
    assert handler in test_logger.handlers
    await integration.close()
    assert handler not in test_logger.handlers
