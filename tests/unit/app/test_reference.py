"""The reference integration wired to the SDK, against the in-process FakeConnects host."""

from __future__ import annotations

import json
from typing import Any

from integration.app.reference import POP_MEMORY_KEY, start_reference_integration
from integration.sdk import Integration, Workitem
from integration.testing import FakeConnects

SWISS_RULES = {
    "setting1": "region=CH; format=E164",
    "setting2": "block=premium_rate; confirm=international",
}


async def started(settings: dict[str, str] | None = None, **fake_options: Any) -> tuple[FakeConnects, Integration]:
    fake = FakeConnects(custom_settings=settings or {}, **fake_options)
    integration = Integration(fake.transport)
    await start_reference_integration(integration)
    await integration.idle()
    return fake, integration


def dials(fake: FakeConnects) -> list[list[Any]]:
    return [request.args for request in fake.requests_named("dialOrConsult")]


async def test_empty_configuration_is_safe_and_does_not_block_dialling() -> None:
    """No settings: beforeDial is not subscribed (the agent dials untouched), nothing automated."""
    fake, integration = await started()
    assert "beforeDial" not in fake.subscriptions
    assert fake.ready and fake.watchdog == (3000, "open")
    call = fake.incoming_call("+41441234567")
    fake.connect(call)
    fake.end(call)
    await integration.idle()
    assert fake.requests_named("createSession") == [] and fake.requests_named("setAgentState") == []
    assert fake.alerts == []


async def test_an_ordinary_number_is_normalised_and_dialled_once_through_the_shim() -> None:
    """A Swiss national number becomes E.164 and is handed to the shim as a dial decision."""
    fake, integration = await started(SWISS_RULES)
    assert "beforeDial" in fake.subscriptions
    seq = fake.before_dial("044 123 45 67")
    await integration.idle()
    assert fake.decisions[seq] == "dial"
    assert [item["toAddress"] for item in fake.workitems.values()] == ["+41441234567"]
    assert fake.alerts == []


async def test_a_premium_number_is_blocked_with_a_reason_and_never_dialled() -> None:
    """Blocked numbers: decision block, an alert telling the agent why, no dial."""
    fake, integration = await started(SWISS_RULES)
    seq = fake.before_dial("0900 123 456")
    await integration.idle()
    assert fake.decisions[seq] == "block"
    assert dials(fake) == [] and fake.workitems == {}
    assert len(fake.alerts) == 1 and "remium" in fake.alerts[0].description


async def test_an_international_number_is_dialled_only_after_confirm() -> None:
    """Confirm categories ask first: Confirm dials exactly once, Cancel dials nothing."""
    fake, integration = await started(SWISS_RULES)
    fake.before_dial("+49 30 1234567")
    await integration.idle()
    assert dials(fake) == [] and fake.alerts[0].confirm is not None
    fake.click(button="dismiss")
    await integration.idle()
    assert dials(fake) == []
    fake.before_dial("+49 30 1234567")
    await integration.idle()
    fake.click(button="confirm")
    await integration.idle()
    assert [args[1] for args in dials(fake)] == ["+49301234567"]


async def test_a_secondary_tab_never_dials_or_alerts() -> None:
    """Gating: a secondary tab decides, but the shim dials only in the primary tab; no alert here."""
    fake, integration = await started(SWISS_RULES, primary_tab=False)
    seq = fake.before_dial("0900 123 456")
    seq2 = fake.before_dial("044 123 45 67")
    await integration.idle()
    assert fake.decisions == {seq: "block", seq2: "dial"}
    assert fake.alerts == [] and fake.workitems == {}


async def test_primary_is_asked_at_the_side_effect_so_a_new_primary_takes_over() -> None:
    """A tab that becomes primary later acts on the next event without a reload."""
    fake, integration = await started(SWISS_RULES, primary_tab=False)
    fake.before_dial("044 123 45 67")
    await integration.idle()
    fake.primary_tab = True
    seq = fake.before_dial("044 123 45 67")
    await integration.idle()
    assert fake.decisions[seq] == "dial"


async def test_screen_pop_once_per_work_item_with_parameters_and_persisted() -> None:
    """workitemConnect pops the configured template once per id; the memory is persisted."""
    settings = {"setting3": "on=connect; template=Incoming call; param.phone=ani; param.customer=ctiData.customerId"}
    fake, integration = await started(settings)
    call = fake.incoming_call("+41441234567", cti_data={"customerId": "C-42"})
    fake.connect(call)
    fake.pause(call)
    fake.resume(call)
    await integration.idle()
    sessions = fake.requests_named("createSession")
    assert [request.args for request in sessions] == [["Incoming call", {"phone": "+41441234567", "customer": "C-42"}]]
    assert call in json.loads(fake.storage[POP_MEMORY_KEY]) or call in fake.storage[POP_MEMORY_KEY]


async def test_a_screen_pop_without_a_template_opens_nothing_and_does_not_raise() -> None:
    """With screen pop off there is no template: a trigger (however it arrives) opens no session."""
    fake = FakeConnects(custom_settings={})
    integration = Integration(fake.transport)
    app = await start_reference_integration(integration)
    assert app.settings.screen_pop.template is None
    await app.on_screen_pop_trigger(Workitem(id="call-1"))
    await integration.idle()
    assert fake.requests_named("createSession") == []


async def test_screen_pop_memory_survives_a_reload() -> None:
    """A reloaded integration (memory restored from the shim's context) does not pop again."""
    settings = {"setting3": "on=create; template=Incoming call"}
    fake, integration = await started(settings)
    call = fake.incoming_call("+41441234567")
    await integration.idle()
    memory = dict(fake.storage)
    reloaded = FakeConnects(custom_settings=settings, storage=memory)
    again = Integration(reloaded.transport)
    await start_reference_integration(again)
    reloaded.emit("workitemCreate", {**fake.workitems[call], "event": "workitemCreate"})
    await again.idle()
    assert reloaded.requests_named("createSession") == []


async def test_after_call_not_ready_reason_resolved_by_label_and_cached() -> None:
    """workitemEnd of a customer call sets NotReady with the id of the configured label."""
    fake, integration = await started({"setting4": "state=NotReady; reason=Lunch"}, state="Ready")
    for _ in range(2):
        call = fake.incoming_call("+41441234567")
        fake.connect(call)
        fake.end(call)
        await integration.idle()
    states = [request.args[1:3] for request in fake.requests_named("setAgentState")]
    assert states == [["NotReady", 2], ["NotReady", 2]]
    assert len(fake.requests_named("getReasonCodeList")) == 1


async def test_after_call_with_an_unknown_label_is_a_configuration_error() -> None:
    """An unknown reason label sets no state, and says which setting and key are wrong."""
    fake, integration = await started({"setting4": "state=NotReady; reason=Coffee"})
    call = fake.incoming_call("+41441234567")
    fake.connect(call)
    fake.end(call)
    await integration.idle()
    assert fake.requests_named("setAgentState") == []
    assert "setting4" in fake.alerts[-1].description and "Coffee" in fake.alerts[-1].description


async def test_a_bad_setting_disables_only_its_feature_and_is_reported_once() -> None:
    """A typo in setting2 is shown and logged; screen pop from setting3 still works."""
    settings = {"setting2": "block=premum_rate", "setting3": "on=connect; template=Pop"}
    fake, integration = await started(settings)
    assert any("setting2" in alert.description and "premum_rate" in alert.description for alert in fake.alerts)
    assert any(level == "Error" and "setting2" in message for message, level in fake.logs)
    call = fake.incoming_call("+41441234567")
    fake.connect(call)
    await integration.idle()
    assert len(fake.requests_named("createSession")) == 1


async def test_diagnostics_configure_the_shim_watchdog() -> None:
    """setting5's failMode and watchdogMs reach the shim."""
    fake, _ = await started({"setting5": "failMode=closed; watchdogMs=1500"})
    assert fake.watchdog == (1500, "closed")


async def test_with_dial_rules_the_decision_is_rehearsed_once_after_start(monkeypatch: Any) -> None:
    """Right after start, with dial rules only, the app decides once for an example number of the
    home region (the agent's first dial then finds the data loaded): no dial, no alert."""
    from integration.app import reference

    rehearsed: list[str | None] = []
    real = reference.rehearse
    monkeypatch.setattr(reference, "rehearse", lambda settings: rehearsed.append(settings.numbering.region)
                        or real(settings))
    fake, integration = await started(SWISS_RULES)
    assert rehearsed == ["CH"]
    assert dials(fake) == [] and fake.decisions == {} and fake.alerts == []
    rehearsed.clear()
    await started({"setting3": "on=connect; template=Incoming call; param.phone=ani"})
    assert rehearsed == []
