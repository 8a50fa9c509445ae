"""Models read payloads shaped like the contract, and keep reading when the host deviates."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from integration.sdk import (
    AgentState,
    AgentStateChange,
    BeforeDial,
    CallType,
    Channel,
    ChannelInfo,
    ChannelType,
    Classification,
    CustomSettings,
    Direction,
    ErrorEvent,
    EventName,
    ReasonCode,
    Workitem,
    WorkitemState,
)

AGENT_STATE_CHANGE = {
    "event": "agentStateChange",
    "version": "1.0",
    "requestId": "r-1",
    "channelType": "Voice",
    "channelId": "voice_5000",
    "newState": "NotReady",
    "newReasonCode": 3,
    "newReasonCodeLabel": "Meeting",
    "newStateChangeTime": "2020-07-28T09:51:17.696Z",
    "oldState": "Ready",
    "oldReasonCode": -1,
    "oldReasonCodeLabel": "",
    "oldStateChangeTime": "2020-07-28T09:00:00.000Z",
}

WORKITEM = {
    "event": "workitemConnect",
    "version": "1.0",
    "requestId": "",
    "activity": {"id": "act-1", "recordType": "phonecall"},
    "agentId": "agent-1",
    "ani": "+41441234567",
    "associatedParticipant": {"id": "c-1", "name": "Jane Doe", "recordType": "contact"},
    "associations": [{"id": "act-1", "name": "Call", "recordType": "phonecall"}],
    "capabilities": ["hold", "transfer"],
    "channelId": "telephony",
    "channelType": "Voice",
    "classification": "Customer",
    "connectedAt": "2020-07-28T09:51:17.696Z",
    "ctiData": {"customerId": "42", "queue": "Sales"},
    "direction": "Incoming",
    "id": "call-1",
    "participants": [{"address": "+41441234567"}, {"address": "5001"}],
    "participantLookupResult": [{"id": "c-1", "name": "Jane Doe", "recordType": "contact"}],
    "state": "Active",
}


def test_agent_state_change_reads_every_contract_field():
    """All agentStateChange fields land in snake_case attributes with the right types."""
    event = AgentStateChange.model_validate(AGENT_STATE_CHANGE)
    assert event.event is EventName.AGENT_STATE_CHANGE
    assert event.request_id == "r-1"
    assert event.channel_type is ChannelType.VOICE
    assert event.channel_id == "voice_5000"
    assert event.new_state is AgentState.NOT_READY and event.old_state is AgentState.READY
    assert event.new_reason_code == 3 and event.new_reason_code_label == "Meeting"
    assert event.new_state_change_time == datetime(2020, 7, 28, 9, 51, 17, 696000, tzinfo=UTC)
    assert event.old_reason_code == -1


def test_negative_reason_codes_mean_none():
    """Negative (or empty) reason codes read as "no code" through the helpers."""
    event = AgentStateChange.model_validate(AGENT_STATE_CHANGE)
    assert event.has_new_reason_code and event.new_reason == 3
    assert not event.has_old_reason_code and event.old_reason is None
    as_text = AgentStateChange.model_validate({"newReasonCode": "-1", "oldReasonCode": ""})
    assert not as_text.has_new_reason_code and not as_text.has_old_reason_code
    channel = Channel.model_validate({"reasonCode": -5})
    assert not channel.has_reason_code and channel.reason is None
    assert Channel.model_validate({"reasonCode": "12"}).reason == "12"
    assert ReasonCode.model_validate({"id": -1, "label": "none"}).is_none_code


def test_unknown_enum_values_and_extra_fields_are_kept():
    """A newer host's values and fields do not break the model and are not lost."""
    event = AgentStateChange.model_validate({**AGENT_STATE_CHANGE, "newState": "Busy", "tenant": "x"})
    assert event.new_state == "Busy" and not event.new_state.is_known
    assert event.model_extra == {"tenant": "x"}
    assert event.to_wire()["tenant"] == "x" and event.to_wire()["newState"] == "Busy"


def test_missing_optional_fields_default_to_none_or_empty():
    """An almost empty payload still validates; lists and ctiData default to empty."""
    item = Workitem.model_validate({"id": "call-9"})
    assert item.activity is None and item.associated_participant is None
    assert item.participants == [] and item.cti_data == {} and item.capabilities == []
    nulls = Workitem.model_validate({"id": "c", "participants": None, "ctiData": None})
    assert nulls.participants == [] and nulls.cti_data == {}


def test_odd_dates_are_kept_raw():
    """Unparseable or non-text times are kept as sent instead of failing the event."""
    event = AgentStateChange.model_validate({"newStateChangeTime": "yesterday", "oldStateChangeTime": 1596000000000})
    assert event.new_state_change_time == "yesterday"
    assert event.old_state_change_time == 1596000000000


def test_workitem_reads_every_contract_field():
    """The workitem reference table maps field by field, records and participants included."""
    item = Workitem.model_validate(WORKITEM)
    assert item.id == "call-1" and item.state is WorkitemState.ACTIVE
    assert item.classification is Classification.CUSTOMER and item.direction is Direction.INCOMING
    assert item.activity.id == "act-1" and item.activity.record_type == "phonecall"
    assert item.associated_participant.name == "Jane Doe"
    assert item.associated_participant.record_type == "contact"
    assert [r.id for r in item.associations] == ["act-1"]
    assert item.participant_lookup_result[0].id == "c-1"
    assert item.cti_data == {"customerId": "42", "queue": "Sales"}
    assert item.addresses == ["+41441234567", "5001"]
    assert item.capabilities == ["hold", "transfer"]
    assert item.connected_at.year == 2020 and item.agent_id == "agent-1"


def test_workitem_wrapped_in_data_is_unwrapped():
    """A payload carrying the work item in a ``data`` object reads like a flat one."""
    wrapped = {"event": "workItemWrapup", "version": "1.0", "data": {**WORKITEM, "state": "Wrapup"}}
    del wrapped["data"]["event"]
    item = Workitem.model_validate(wrapped)
    assert item.id == "call-1" and item.state is WorkitemState.WRAPUP
    assert item.event is EventName.WORKITEM_WRAPUP and item.version == "1.0"


def test_workitem_keeps_a_data_field_when_it_is_flat():
    """A flat work item (it has an id) with an extra ``data`` field is not unwrapped."""
    item = Workitem.model_validate({"id": "call-1", "data": {"id": "other"}})
    assert item.id == "call-1" and item.model_extra == {"data": {"id": "other"}}


def test_workitem_simulator_extras_and_participant_shapes():
    """fromAddress/toAddress are read; participants keep extras and may be bare strings."""
    item = Workitem.model_validate(
        {
            "id": 77,
            "fromAddress": "+41441234567",
            "toAddress": "5001",
            "participants": ["+4179", {"address": "5001", "name": "Agent"}],
        }
    )
    assert item.id == "77"
    assert item.from_address == "+41441234567" and item.to_address == "5001"
    assert item.participants[0].address == "+4179"
    assert item.participants[1].model_extra == {"name": "Agent"}


def test_workitem_ended_states():
    """is_ended follows the state."""
    assert Workitem.model_validate({"state": "EndedAbandoned"}).is_ended
    assert not Workitem.model_validate({"state": "Paused"}).is_ended
    assert not Workitem.model_validate({}).is_ended


def test_before_dial_and_error_payloads():
    """beforeDial and error events read their contract fields."""
    dial = BeforeDial.model_validate(
        {"event": "beforeDial", "version": "1.0", "requestId": "", "dialedNumber": "+4144", "callType": "Outbound"}
    )
    assert dial.dialed_number == "+4144" and dial.call_type is CallType.OUTBOUND
    error = ErrorEvent.model_validate({"event": "error", "requestId": "r-2", "message": "Invalid state"})
    assert error.message == "Invalid state" and error.request_id == "r-2"


def test_get_channel_result():
    """getChannel's result reads agent fields and the nested channel with work items."""
    info = ChannelInfo.model_validate(
        {
            "activeDeviceId": "SEP1",
            "extension": "5001",
            "firstName": "Alex",
            "agentId": "agent-1",
            "lastName": "Agent",
            "loginName": "alex",
            "teamId": 7,
            "channel": {
                "id": "voice_5000",
                "type": "Voice",
                "state": "Ready",
                "reasonCode": -1,
                "reasonCodeLabel": "",
                "stateChangeTime": "2020-07-28T09:51:17Z",
                "workitems": [WORKITEM],
            },
        }
    )
    assert (info.first_name, info.last_name, info.login_name) == ("Alex", "Agent", "alex")
    assert info.team_id == "7" and info.active_device_id == "SEP1" and info.extension == "5001"
    assert info.channel.state is AgentState.READY and info.channel.type is ChannelType.VOICE
    assert info.channel.workitems[0].id == "call-1"


def test_reason_code_ids_may_be_numbers_or_text():
    """ReasonCode keeps int and str ids as sent."""
    assert ReasonCode.model_validate({"id": 5, "label": "Break"}).id == 5
    assert ReasonCode.model_validate({"id": "BRK", "label": "Break"}).id == "BRK"
    with pytest.raises(ValidationError):
        ReasonCode.model_validate({"label": "no id"})


@pytest.mark.parametrize(
    "payload",
    [
        [{"key": "setting1", "value": "a"}, {"key": "setting3", "value": "c"}],
        [{"Key": "setting1", "Value": "a"}, {"Key": "setting3", "Value": "c"}],
        {"setting1": "a", "setting3": "c"},
    ],
    ids=["pairs", "capitalised-pairs", "object"],
)
def test_custom_settings_accept_all_three_shapes(payload):
    """Key/value pairs (either capitalisation) and a plain object read the same."""
    settings = CustomSettings.model_validate(payload)
    assert settings.setting1 == "a" and settings.setting3 == "c" and settings.setting2 is None
    assert dict(settings.mapping) == {
        "setting1": "a", "setting2": None, "setting3": "c", "setting4": None, "setting5": None,
    }  # fmt: skip
    assert settings["setting1"] == "a" and settings.get("setting2", "dflt") == "dflt"
    assert "setting5" in settings and "nope" not in settings


def test_custom_settings_keep_other_keys_and_stringify_values():
    """Unexpected keys are kept in the mapping; numbers and booleans become text."""
    settings = CustomSettings.model_validate([{"key": "setting2", "value": 5}, {"key": "extra", "value": True}])
    assert settings.setting2 == "5" and settings.mapping["extra"] == "true"
    assert list(settings.keys())[:5] == ["setting1", "setting2", "setting3", "setting4", "setting5"]
    assert CustomSettings.model_validate(None).setting1 is None


def test_custom_settings_reject_garbage():
    """An array of non-objects is not a settings list."""
    with pytest.raises(ValidationError):
        CustomSettings.model_validate([1, 2])


def test_models_build_from_python_names_too():
    """populate_by_name: tests and integrators can construct models with snake_case names."""
    event = AgentStateChange(new_state=AgentState.READY, channel_id="voice_1")
    assert event.to_wire() == {"newState": "Ready", "channelId": "voice_1"}


def test_wrong_json_types_fail_validation():
    """A payload that is not an object, or a list where an object belongs, is rejected."""
    with pytest.raises(ValidationError):
        Workitem.model_validate(["not", "an", "object"])
    with pytest.raises(ValidationError):
        Workitem.model_validate({"id": "c", "activity": ["x"]})
