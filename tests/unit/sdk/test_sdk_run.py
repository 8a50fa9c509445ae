"""``run(main)`` hands the entry a connected Integration and starts it when the entry did not."""

from __future__ import annotations

import pytest

from integration.sdk import EventName, Integration, run
from integration.testing import FakeConnects


async def test_run_starts_after_a_sync_main_registered_handlers():
    fake = FakeConnects()
    seen: list[Integration] = []

    def main(integration: Integration) -> None:
        seen.append(integration)
        integration.on_before_dial(lambda event: integration.send_decision(event, "dial"))

    integration = await run(main, fake.transport)
    assert seen == [integration] and integration.started
    assert integration.handlers(EventName.BEFORE_DIAL)
    await integration.close()


async def test_run_leaves_a_start_the_entry_made_itself():
    fake = FakeConnects()
    channels: list[str | None] = []

    async def main(integration: Integration) -> None:
        await integration.start(channel_id=None)
        channels.append("started by main")

    integration = await run(main, fake.transport)
    assert integration.started and channels == ["started by main"]
    assert not fake.requests_named("getChannel")
    await integration.close()


async def test_an_error_in_main_reaches_the_caller():
    async def main(integration: Integration) -> None:
        raise LookupError("no such queue")

    with pytest.raises(LookupError, match="no such queue"):
        await run(main, FakeConnects().transport)
