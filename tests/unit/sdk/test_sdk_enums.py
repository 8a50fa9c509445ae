"""Open enums: every contract value is a member, unknown values survive with their text."""

from __future__ import annotations

import copy
import pickle

import pytest

from integration.sdk import (
    AgentState,
    CallType,
    ChannelType,
    Classification,
    DecisionOutcome,
    Direction,
    EventName,
    FailMode,
    LogLevel,
    ReasonType,
    RequestName,
    WorkitemState,
)

CONTRACT_VALUES = {
    AgentState: ["Logout", "Offline", "Ready", "NotReady", "Active", "Wrapup", "Unknown"],
    ChannelType: ["Voice", "Mail", "Chat", "Task", "Federation"],
    WorkitemState: [
        "Unknown", "Initiated", "Offered", "Active", "Paused", "Wrapup",
        "Ended", "EndedAbandoned", "EndedTransferred", "EndedUnknown",
    ],
    Classification: ["Customer", "Consultation", "Conference", "Transfer", "Internal", "Unknown"],
    Direction: ["Incoming", "Outgoing"],
    CallType: ["Outbound"],
    ReasonType: ["Logout", "NotReady", "Wrapup"],
    LogLevel: ["Debug", "Error"],
    EventName: [
        "agentStateChange", "beforeDial", "error", "workitemConnect", "workitemCreate",
        "workitemEnd", "workitemPause", "workitemResume", "workitemWrapup",
    ],
    RequestName: [
        "createSession", "dialOrConsult", "getChannel", "getCustomSettings", "getReasonCodeList",
        "isPrimaryTab", "setAgentState", "showError", "showInfo", "writeLog",
    ],
    DecisionOutcome: ["dial", "block", "failed"],
    FailMode: ["open", "closed"],
}  # fmt: skip


@pytest.mark.parametrize("enum", list(CONTRACT_VALUES), ids=lambda e: e.__name__)
def test_every_contract_value_is_a_known_member(enum):
    """Each enum lists exactly the contract's value set, every member known."""
    assert [member.value for member in enum] == CONTRACT_VALUES[enum]
    assert all(enum(value).is_known for value in CONTRACT_VALUES[enum])


@pytest.mark.parametrize("enum", list(CONTRACT_VALUES), ids=lambda e: e.__name__)
def test_unknown_value_becomes_unrecognized_member_keeping_text(enum):
    """An unknown value maps to an UNRECOGNIZED pseudo-member whose value is the raw text."""
    member = enum("SomethingNew 2.0")
    assert isinstance(member, enum)
    assert member.value == "SomethingNew 2.0" == member
    assert member.name == "UNRECOGNIZED"
    assert member.is_known is False
    assert str(member) == "SomethingNew 2.0"


def test_known_member_matching_ignores_case():
    """Case variants map to the known member (the contract itself spells names two ways)."""
    assert AgentState("notready") is AgentState.NOT_READY
    assert EventName("workItemWrapup") is EventName.WORKITEM_WRAPUP
    assert EventName("workitemWrapup") is EventName.WORKITEM_WRAPUP


def test_members_compare_and_serialise_as_their_wire_text():
    """StrEnum members equal their text, format as it and hash like it."""
    assert AgentState.READY == "Ready"
    assert f"{AgentState.NOT_READY}" == "NotReady"
    assert {"Ready": 1}[AgentState.READY] == 1


def test_pseudo_members_survive_copy_and_pickle():
    """Unknown values round-trip through copy and pickle without losing their text."""
    member = WorkitemState("Parked")
    assert copy.deepcopy(member) == "Parked"
    restored = pickle.loads(pickle.dumps(member))
    assert restored == "Parked" and not restored.is_known


def test_non_text_values_are_rejected():
    """Only text is a value: numbers raise ValueError like a plain Enum would."""
    with pytest.raises(ValueError):
        AgentState(5)


def test_workitem_state_knows_which_states_are_ended():
    """is_ended is true exactly for the four Ended* states."""
    ended = {s for s in WorkitemState if s.is_ended}
    assert ended == {
        WorkitemState.ENDED, WorkitemState.ENDED_ABANDONED,
        WorkitemState.ENDED_TRANSFERRED, WorkitemState.ENDED_UNKNOWN,
    }  # fmt: skip
