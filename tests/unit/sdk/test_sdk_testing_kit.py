"""FakeConnects behaves like a simple, realistic b+s Connects host."""

from __future__ import annotations

import pytest

from integration.sdk import (
    Action,
    AgentState,
    Classification,
    Direction,
    Integration,
    RequestFailed,
    RequestName,
    WorkitemState,
)
from integration.testing import FakeConnects


async def test_records_every_request_with_name_and_args(started, fake):
    """Each request is recorded in order with its positional args."""
    await started.client.show_info("hi")
    await started.client.create_session("Case", {"a": 1})
    assert [(r.name, r.args) for r in fake.requests][1:] == [
        ("showInfo", ["hi"]),
        ("createSession", ["Case", {"a": 1}]),
    ]
    assert fake.requests_named(RequestName.SHOW_INFO)[0].args == ["hi"]
    assert fake.infos == ["hi"] and fake.sessions == [("Case", {"a": 1})]


@pytest.mark.parametrize("shape", ["pairs", "Pairs", "object"])
async def test_custom_settings_in_each_shape(shape):
    """The configured settings come back right whatever shape the fake uses."""
    fake = FakeConnects(custom_settings={"setting1": "queue=Sales", "setting4": "x"}, settings_shape=shape)
    integration = Integration(fake.transport)
    settings = await integration.client.get_custom_settings()
    assert settings.setting1 == "queue=Sales" and settings.setting4 == "x" and settings.setting2 is None
    await integration.close()


async def test_reason_codes_primary_tab_and_envelope_mode():
    """Configured reason codes and primary-tab flag are returned, also through envelopes."""
    fake = FakeConnects(reason_codes={"NotReady": [{"id": "B", "label": "Break"}]}, primary_tab=False, envelope=True)
    integration = Integration(fake.transport)
    codes = await integration.client.get_reason_code_list("voice", "NotReady")
    assert [(c.id, c.label) for c in codes] == [("B", "Break")]
    assert await integration.client.get_reason_code_list("voice", "Wrapup") == []
    assert await integration.client.is_primary_tab() is False
    fake.fail["showInfo"] = "busy"
    with pytest.raises(RequestFailed, match="busy"):
        await integration.client.show_info("x")
    await integration.close()


async def test_unknown_channel_is_rejected(started, fake):
    """getChannel for another peripheral is refused by the fake."""
    with pytest.raises(RequestFailed, match="Unknown channel"):
        await started.client.get_channel("voice_9999")


async def test_set_agent_state_behaviour(started, fake):
    """Valid changes raise agentStateChange; an unknown reason code raises an error event."""
    ready = await started.client.set_agent_state("voice", "Ready", wait=True)
    assert ready.new_state is AgentState.READY and not ready.has_new_reason_code
    lunch = await started.client.set_agent_state("voice", "NotReady", 2, wait=True)
    assert lunch.new_reason_code == 2 and lunch.new_reason_code_label == "Lunch"
    assert lunch.old_state is AgentState.READY
    with pytest.raises(RequestFailed, match="Unknown reason code"):
        await started.client.set_agent_state("voice", "Logout", 2, wait=True)
    assert fake.state is AgentState.NOT_READY


async def test_invalid_state_on_the_wire_gets_an_error_event(started, fake):
    """A state the host does not accept (bypassing validation) yields an error event."""
    errors = []
    started.on_error(errors.append)
    await started._rpc.call("setAgentState", ["voice", "Active", "", "raw-1"])
    await started.idle()
    assert [(e.request_id, e.message) for e in errors] == [("raw-1", "Invalid state Active")]


async def test_dial_behaviour(started, fake):
    """Dialling creates an outgoing call; a second one is a consultation; empty address errors."""
    first = await started.client.dial_or_consult("voice", "+41441111111", wait=True)
    second = await started.client.dial_or_consult("voice", "+41442222222", wait=True)
    assert first.direction is Direction.OUTGOING and first.state is WorkitemState.INITIATED
    assert first.classification is Classification.CUSTOMER
    assert second.classification is Classification.CONSULTATION
    errors = []
    started.on_error(errors.append)
    await started._rpc.call("dialOrConsult", ["voice", "", "raw-2"])
    await started.idle()
    assert errors[0].message == "Cannot dial: the address is empty"


async def test_call_life_cycle_events(started, fake):
    """incoming_call → connect → pause → resume → wrapup → end produce the six events in order."""
    names = []
    for name in (
        "workitemCreate",
        "workitemConnect",
        "workitemPause",
        "workitemResume",
        "workitemWrapup",
        "workitemEnd",
    ):
        started.on(name, lambda item, name=name: names.append((name, item.state.value)))
    call_id = fake.incoming_call("+41440000000", cti_data={"queue": "Sales"})
    for step in (fake.connect, fake.pause, fake.resume, fake.wrapup, fake.end):
        step(call_id)
    await started.idle()
    assert names == [
        ("workitemCreate", "Offered"), ("workitemConnect", "Active"), ("workitemPause", "Paused"),
        ("workitemResume", "Active"), ("workitemWrapup", "Wrapup"), ("workitemEnd", "Ended"),
    ]  # fmt: skip
    assert fake.workitems == {}


async def test_incoming_call_payload_is_contract_shaped(started, fake):
    """The fake's workitem carries ani, participants, ctiData and (after connect) an activity."""
    items = []
    started.on_workitem_connect(items.append)
    call_id = fake.incoming_call("+41449999999", cti_data={"customerId": "7"})
    fake.connect(call_id)
    await started.idle()
    item = items[0]
    assert item.ani == "+41449999999" and item.from_address == "+41449999999"
    assert item.cti_data == {"customerId": "7"} and item.activity.record_type == "phonecall"
    assert item.connected_at is not None and item.addresses == ["+41449999999", "5001"]


async def test_before_dial_without_subscription_just_dials(started, fake):
    """Without a beforeDial subscription the agent's dial goes through at once."""
    assert fake.before_dial("+41445555555") is None
    created = await started.wait_for("workitemCreate", timeout=1)
    assert created.ani == "+41445555555"


async def test_failed_decision_falls_back_by_fail_mode():
    """'failed' dials in open mode and raises an error event in closed mode."""
    for mode, expect_call in (("open", True), ("closed", False)):
        fake = FakeConnects()
        integration = Integration(fake.transport)
        integration.on_before_dial(lambda event: None)
        integration.configure_watchdog(1000, mode)
        await integration.start()
        seq = fake.before_dial("+41446666666")
        await integration.idle()
        integration.send_decision(seq, "failed")
        await integration.idle()
        assert bool(fake.workitems) is expect_call, mode
        await integration.close()


async def test_click_on_alert_without_that_button_is_an_error(started, fake):
    """click() on a missing button raises so a test cannot silently click nothing."""
    await started.client.show_error("x", None, Action("OK", lambda: None))
    with pytest.raises(ValueError):
        fake.click(-1, "dismiss")


async def test_unknown_request_names_are_rejected(started, fake):
    """A request name the host does not have is refused."""
    with pytest.raises(RequestFailed, match="unknown request"):
        await started._rpc.call("reboot", [])


async def test_example_integration_from_the_readme(fake):
    """The README example runs against the fake: screen pop, Ready when idle, dial rule."""
    from integration.sdk import BeforeDial, Integration, Workitem

    integration = Integration(fake.transport)  # README: Integration(WorkerTransport())

    @integration.on_workitem_connect
    async def screen_pop(item: Workitem) -> None:
        await integration.client.create_session("Incoming call", {"ani": item.ani, **item.cti_data})

    @integration.on_workitem_end
    async def ready_when_idle(item: Workitem) -> None:
        if not integration.state.open_workitems():
            await integration.client.set_agent_state("voice", "Ready", wait=True, timeout=5)

    @integration.on_before_dial
    def only_swiss(event: BeforeDial) -> None:
        integration.send_decision(event, "dial" if event.dialed_number.startswith("+41") else "block")

    await integration.start(channel_id="voice")
    call_id = fake.incoming_call("+41441234567", cti_data={"customerId": "42"})
    fake.connect(call_id)
    fake.end(call_id)
    blocked, dialled = fake.before_dial("+15551234567"), fake.before_dial("+41449999999")
    await integration.idle()
    assert fake.sessions == [("Incoming call", {"ani": "+41441234567", "customerId": "42"})]
    assert fake.state is AgentState.READY
    assert fake.decisions == {blocked: "block", dialled: "dial"}
    assert [item["ani"] for item in fake.workitems.values()] == ["+41449999999"]
    await integration.close()
