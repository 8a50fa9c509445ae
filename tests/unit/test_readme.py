"""The README's and the SDK guide's examples are real integrations: they run on FakeConnects."""

from __future__ import annotations

import re
import types
from pathlib import Path

from integration.sdk import run
from integration.testing import FakeConnects

ROOT = Path(__file__).resolve().parents[2]


def example_module(document: str) -> types.ModuleType:
    """The first ```python block of a document, loaded as a module."""
    text = (ROOT / document).read_text(encoding="utf-8")
    source = re.search(r"```python\n(.*?)```", text, re.S)
    assert source, f"{document} has no python example"
    module = types.ModuleType("example")
    exec(compile(source.group(1), document, "exec"), module.__dict__)
    return module


async def test_readme_example_pops_a_screen_and_blocks_0900_numbers():
    fake = FakeConnects()
    integration = await run(example_module("README.md").main, fake.transport)
    call_id = fake.incoming_call("+41441234567", cti_data={"account": "ACME-7"})
    fake.connect(call_id)
    blocked, dialled = fake.before_dial("0900123456"), fake.before_dial("+41449999999")
    await integration.idle()
    assert fake.sessions == [("Incoming call", {"account": "ACME-7"})]
    assert fake.decisions == {blocked: "block", dialled: "dial"}
    await integration.close()


async def test_sdk_guide_example_pops_goes_ready_when_idle_and_dials_only_swiss_numbers():
    fake = FakeConnects()
    integration = await run(example_module("docs/sdk-guide.md").main, fake.transport)
    call_id = fake.incoming_call("+41441234567", cti_data={"customerId": "42"})
    fake.connect(call_id)
    fake.end(call_id)
    blocked, dialled = fake.before_dial("+15551234567"), fake.before_dial("+41449999999")
    await integration.idle()
    assert fake.sessions == [("Incoming call", {"ani": "+41441234567", "customerId": "42"})]
    assert fake.state == "Ready"
    assert fake.decisions == {blocked: "block", dialled: "dial"}
    await integration.close()
